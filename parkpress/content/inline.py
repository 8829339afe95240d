"""Python-Markdown's inline processor, without trying patterns that cannot match.

For every piece of text (a paragraph, a list item, a table cell) Python-Markdown tries
each of its inline patterns in turn (code, escapes, four kinds of links and images,
autolinks, line breaks, entities, emphasis), one Python call per pattern per text:
about 550 calls a document of the benchmark corpus, which took 40 % of converting it.
Nearly all of them find nothing, because each pattern needs a character the text
does not have: a link needs ``[``, an entity ``&``, emphasis ``*`` or ``_``.

:class:`QuickInlineProcessor` looks for that character first (``str.find``, in C) and
skips the pattern when it is absent; everything else is Python-Markdown's own code.
The characters are known only for Python-Markdown's own patterns, recognised by their
regular expressions; any other pattern (an extension's, or one a later version
changes) is always tried.  tests/test_markdown_inline.py checks that the output is
the stock processor's, byte for byte.

The method replaced is private, so the quick processor is used only with the versions of
Python-Markdown it was compared against (:data:`CHECKED`); any other keeps the stock
processor (a fifth slower, the same HTML), and the test suite fails until the new
version has been compared and added.
"""

from __future__ import annotations

import markdown
from markdown import Markdown, inlinepatterns, treeprocessors, util

# The footnotes extension's reference pattern, written inside its extendMarkdown: not importable.
FOOTNOTE_RE = r"\[\^([^\]]*)\]"

# Python-Markdown releases whose InlineProcessor this module was compared against
# (tests/test_markdown_inline.py); pyproject.toml bounds the dependency to their series.
CHECKED = ("3.11.1", "3.11.2", "3.11.3", "3.11.4")

# A pattern's regular expression -> strings one of which a match must contain, at or after
# where it starts.  (BACKTICK_RE's first branch, a run of backslashes, must be followed by a
# backtick; a link or an image reference needs its '['.)
_NEEDS: dict[str, tuple[str, ...]] = {
    inlinepatterns.BACKTICK_RE: ("`",),
    inlinepatterns.ESCAPE_RE: ("\\",),
    inlinepatterns.LINK_RE: ("[",),  # also REFERENCE_RE
    inlinepatterns.IMAGE_LINK_RE: ("[",),  # also IMAGE_REFERENCE_RE
    inlinepatterns.AUTOLINK_RE: ("<",),
    inlinepatterns.AUTOMAIL_RE: ("<",),
    inlinepatterns.HTML_RE: ("<",),
    inlinepatterns.ENTITY_RE: ("&",),
    inlinepatterns.LINE_BREAK_RE: ("  \n",),
    FOOTNOTE_RE: ("[^",),
}

# The private methods replaced and called below; without them (another Python-Markdown)
# the stock processor stays.
_HANDLE = "_InlineProcessor__handleInline"
_APPLY = "_InlineProcessor__applyPattern"


def _needs(pattern: inlinepatterns.Pattern) -> tuple[str, ...] | None:
    """What a match of ``pattern`` must contain; None: unknown, always try it."""
    if type(pattern) is inlinepatterns.DelimiterProcessor:  # emphasis: its regex is its tokens
        return tuple(pattern.tokens) or None
    return _NEEDS.get(getattr(pattern, "pattern", None))


class QuickInlineProcessor(treeprocessors.InlineProcessor):
    """The stock inline processor with a cheap test before each pattern.

    Built after every inline pattern is registered: it keeps them as a list (the
    registry's item lookup is a Python call too).
    """

    def __init__(self, md: Markdown):
        super().__init__(md)
        self.patterns = list(md.inlinePatterns)
        self.needs = [_needs(pattern) for pattern in self.patterns]

    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:  # the stock name, mangled: this replaces it
        """As the stock method, but a pattern whose required strings are all absent counts as not matched."""
        if isinstance(data, util.AtomicString):
            return data
        apply = getattr(self, _APPLY)
        patterns, needs = self.patterns, self.needs
        start = 0
        while patternIndex < len(patterns):
            wanted = needs[patternIndex]
            if wanted is not None:
                for text in wanted:  # a loop, not all(): this runs ~550 times a document
                    if data.find(text, start) != -1:
                        break
                else:  # as the stock method goes on after a pattern that finds nothing
                    patternIndex, start = patternIndex + 1, 0
                    continue
            data, matched, start = apply(patterns[patternIndex], data, patternIndex, start)
            if not matched:
                patternIndex += 1
        return data


def install(md: Markdown) -> None:
    """Replace ``md``'s inline processor with the quick one, where this Python-Markdown allows;
    call it after the last inline pattern is registered."""
    stock = md.treeprocessors["inline"]
    if markdown.__version__ not in CHECKED:
        return
    if type(stock) is not treeprocessors.InlineProcessor or not all(hasattr(stock, name) for name in (_HANDLE, _APPLY)):
        return
    # Registering under the same name replaces the stock one; its priority keeps its place in the order.
    priority = next(item.priority for item in md.treeprocessors._priority if item.name == "inline")
    md.treeprocessors.register(QuickInlineProcessor(md), "inline", priority)
