"""Where a Markdown body would look different in the CommonMark previews editors write with.

Editors see their text in VS Code, on GitHub or in a Markdown app, whose previews follow CommonMark
(with GitHub's tables); the site renders it with Python-Markdown, which parkpress brings close to
CommonMark (lists.py, anchors.py) but not all the way.  :func:`divergences` parses a body with both,
markdown-it-py (a CommonMark-compliant parser) as the reference, reduces each result to its sequence
of blocks (headings with their level, paragraphs, lists and items with their nesting, code, quotes,
rules, HTML, tables, line breaks), and names each place where the two sequences differ: what the
previews show, what the site shows, and how to write it so that both agree.

Python-Markdown's side is its tree before parkpress rewrites it (markup.MarkdownConverter.inspect):
parkpress's own changes (headings moved below the page title, figures, scrolling tables, footnotes)
are deliberate and not compared.  Only `check` uses this module, and only it loads markdown-it-py.
"""

from __future__ import annotations

import bisect
import re
import xml.etree.ElementTree as etree
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

import markdown
from markdown.util import HTML_PLACEHOLDER_RE

from parkpress.content.markup import MarkdownConverter

PREVIEWS = "CommonMark previews (GitHub, VS Code)"


@dataclass(frozen=True)
class Block:
    """One block, or one line break or piece of inline HTML inside a block, as a parser read it."""

    kind: str  # paragraph, heading, list, item, code, quote, rule, html, table, break, inline-html
    detail: str = ""  # a heading's level, a list's kind and first number, a table's size
    path: str = ""  # the containers around it, outermost first: "q" a quote, "i" a list item
    text: str = ""  # its first letters and digits: lines the two sequences up, never reported
    line: int = 0  # its line in the body (0-based); on the site's side only a line break's, within its paragraph
    markup: str = ""  # CommonMark's side: how it was written ('#', '=', '```', '-', ')')

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (self.kind, self.detail, self.path, self.text)

    @property
    def shape(self) -> tuple[str, str, str]:
        return (self.kind, self.detail, self.path)


@dataclass(frozen=True)
class Divergence:
    line: int  # in the body, 0-based
    message: str


def divergences(text: str, converter: PythonMarkdown) -> list[Divergence]:
    """Each place where ``text`` would look different on the site than in CommonMark previews."""
    site = converter.blocks(text)
    if site is None:
        return []  # too complex to render: the build reports that
    lines = text.split("\n")
    return [Divergence(stretch.line, explain(stretch, lines, converter.raw_html)) for stretch in stretches(commonmark_blocks(text), site)]


@dataclass(frozen=True)
class Stretch:
    """Blocks where the two sequences differ: CommonMark's and the site's."""

    preview: list[Block]
    site: list[Block]
    before: Block | None  # CommonMark's block before the stretch (a line break's paragraph, not the break)
    line: int  # where it starts (0-based); where only the site has blocks, the line of CommonMark's block before them


def stretches(previews: list[Block], site: list[Block]) -> Iterable[Stretch]:
    """The blocks lined up by their text first, then within a stretch that differs by their kind alone,
    so that a paragraph that swallowed a list is the same paragraph and the list is what differs."""
    if [b.key for b in previews] == [b.key for b in site]:
        return
    for i1, i2, j1, j2 in _unequal([b.key for b in previews], [b.key for b in site]):
        in_preview, on_site = previews[i1:i2], site[j1:j2]
        for a1, a2, b1, b2 in _unequal([b.shape for b in in_preview], [b.shape for b in on_site]):
            at = i1 + a1
            before = next((b for b in reversed(previews[:at]) if b.kind not in _INLINE), None)
            line = in_preview[a1].line if a1 < a2 else _site_line(on_site[b1], before)
            yield Stretch(in_preview[a1:a2], on_site[b1:b2], before, line)


def _site_line(block: Block, before: Block | None) -> int:
    """Where a block only the site has is: in CommonMark's block before it (a line break at its own line)."""
    return (before.line if before else 0) + (block.line if block.kind == "break" else 0)


# SequenceMatcher takes time up to the product of the lengths it compares, and more where items repeat
# (a list's items look alike): a stretch longer than this is reported whole rather than lined up.
MATCH_LIMIT = 40_000


def _unequal(a: list, b: list) -> Iterable[tuple[int, int, int, int]]:
    """The stretches (i1, i2, j1, j2) where ``a`` and ``b`` differ.  Lined up first on the items found
    once in each, in the same order (as patience diff does), then between them by SequenceMatcher."""
    i1 = j1 = 0
    for i2, j2 in [*_anchors(a, b), (len(a), len(b))]:
        part_a, part_b = a[i1:i2], b[j1:j2]
        if part_a != part_b and len(part_a) * len(part_b) > MATCH_LIMIT:
            yield i1, i2, j1, j2
        elif part_a != part_b:
            matcher = SequenceMatcher(None, part_a, part_b, autojunk=False)
            yield from ((i1 + o1, i1 + o2, j1 + p1, j1 + p2) for tag, o1, o2, p1, p2 in matcher.get_opcodes() if tag != "equal")
        i1, j1 = i2 + 1, j2 + 1


def _anchors(a: list, b: list) -> list[tuple[int, int]]:
    """(i, j) of the items found exactly once in ``a`` and once in ``b``: the longest run of them in the same order."""
    count_a, count_b = Counter(a), Counter(b)
    where_b = {item: j for j, item in enumerate(b) if count_b[item] == 1}
    pairs = [(i, where_b[item]) for i, item in enumerate(a) if count_a[item] == 1 and item in where_b]
    # The longest increasing subsequence of the j's (patience sorting), with a link back from each pair.
    tails: list[int] = []  # for each length, the index in pairs of the run of that length ending lowest
    tail_j: list[int] = []  # and the j it ends at
    back: list[int] = []
    for index, (_, j) in enumerate(pairs):
        length = bisect.bisect_left(tail_j, j)
        back.append(tails[length - 1] if length else -1)
        if length == len(tails):
            tails.append(index)
            tail_j.append(j)
        else:
            tails[length], tail_j[length] = index, j
    run, index = [], tails[-1] if tails else -1
    while index >= 0:
        run.append(pairs[index])
        index = back[index]
    return run[::-1]


_INLINE = {"break", "inline-html"}  # inside a paragraph, heading or tight list item; after it in a sequence


# --- CommonMark's side -------------------------------------------------------------------------

_NOTE = re.compile(r" {0,3}\[\^[^\]\s]+\]:")  # a footnote's text ([^label]: ...): the site's extension, not compared


@lru_cache(maxsize=1)
def _commonmark():
    from markdown_it import MarkdownIt  # here: only `check` loads markdown-it-py

    return MarkdownIt("commonmark").enable("table")  # GitHub and VS Code read tables too


def commonmark_blocks(text: str) -> list[Block]:
    tokens = _commonmark().parse(text)
    blocks: list[Block] = []
    path, index = "", 0
    while index < len(tokens):
        token = tokens[index]
        kind, line = token.type, token.map[0] if token.map else 0
        if kind in ("bullet_list_open", "ordered_list_open"):
            start = token.attrGet("start")
            blocks.append(Block("list", _list_kind(kind == "ordered_list_open", str(start or 1)), path, line=line, markup=token.markup))
        elif kind in ("list_item_open", "blockquote_open"):
            blocks.append(Block("item" if kind == "list_item_open" else "quote", "", path, line=line, markup=token.markup))
            path += "i" if kind == "list_item_open" else "q"
        elif kind in ("list_item_close", "blockquote_close"):
            path = path[:-1]
        elif kind in ("paragraph_open", "heading_open"):
            words, inside = _commonmark_inline(tokens[index + 1].children or [], path, line)
            level = token.tag[1:] if kind == "heading_open" else ""
            blocks += [Block("heading" if level else "paragraph", level, path, words, line, token.markup), *inside]
        elif kind in ("code_block", "fence"):
            blocks.append(Block("code", "", path, _letters(token.content), line, "fence" if kind == "fence" else ""))
        elif kind in ("hr", "html_block"):
            blocks.append(Block("rule" if kind == "hr" else "html", "", path, line=line, markup=token.content))
        elif kind == "table_open":
            end = next(i for i in range(index, len(tokens)) if tokens[i].type == "table_close")
            table = tokens[index:end]
            columns = sum(1 for t in table if t.type == "th_open")
            rows = sum(1 for t in table if t.type == "tr_open") - 1  # the header row is not counted
            blocks.append(Block("table", f"{columns}x{rows}", path, line=line))
            index = end
        index += 1
    notes = _note_lines(text.split("\n"))
    return [b for b in blocks if b.line not in notes]


def _note_lines(lines: list[str]) -> set[int]:
    """The lines of the footnotes' texts, as the site reads them (GitHub too): from a '[^label]:' line to the
    first line after a blank one that is not indented by four spaces.  CommonMark would read '[^label]: x'
    as a link definition, the lines under it as paragraphs or code."""
    found: set[int] = set()
    inside = blank = False
    for number, line in enumerate(lines):
        if _NOTE.match(line):
            inside = True
        elif not line.strip():
            blank = True
            continue
        elif blank and not line.startswith(("    ", "\t")):
            inside = False
        blank = False
        if inside:
            found.add(number)
    return found


def _commonmark_inline(children, path: str, line: int) -> tuple[str, list[Block]]:
    """A paragraph's letters, and its line breaks and inline HTML, each with its line."""
    words, inside = [], []
    for child in children:
        if child.type == "hardbreak":
            inside.append(Block("break", "", path, line=line))
        elif child.type == "html_inline":
            inside.append(Block("inline-html", "", path, line=line, markup=child.content))
        elif child.type in ("text", "code_inline"):
            words.append(child.content)
        line += 1 if child.type in ("softbreak", "hardbreak") else child.content.count("\n")
    return _letters("".join(words)), inside


def _list_kind(ordered: bool, start: str | None) -> str:
    return f"numbered from {start or 1}" if ordered else "bulleted"


def _letters(text: str) -> str:
    return re.sub(r"[\W_]+", "", text)[:24]


# --- Python-Markdown's side --------------------------------------------------------------------

_BLOCK_TAGS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "pre", "blockquote", "hr", "table", "div"}
_STASHED = re.compile("\x02[^\x03]*\x03")  # Python-Markdown's placeholders: raw HTML, entities, escaped characters
_HTML_TAG = re.compile(r"<\/?([^ >/]+)")


class PythonMarkdown:
    """The site's Markdown converter, reporting the blocks of each text it converts."""

    def __init__(self, raw_html: bool):
        self.raw_html = raw_html
        self._converter = MarkdownConverter(raw_html)
        self._converter.inspect(self._read)
        self._blocks: list[Block] = []

    def blocks(self, text: str) -> list[Block] | None:
        """The blocks of ``text``; None when it is too complex to render (the build says so)."""
        self._blocks = []
        rendered = self._converter.convert(text, "")
        return None if rendered.too_complex else self._blocks

    def _read(self, root: etree.Element, md: markdown.Markdown) -> None:
        self._blocks = _site_blocks(list(root), "", md)


def _site_blocks(elements: list[etree.Element], path: str, md: markdown.Markdown) -> list[Block]:
    blocks: list[Block] = []
    for el in elements:
        tag = el.tag
        if tag == "p" and _is_html_block(el, md):
            blocks.append(Block("html", "", path))
        elif tag == "p" or (tag[:1] == "h" and tag[1:].isdigit()):
            words, inside = _site_inline(el.text, list(el), path, md)
            blocks += [Block("heading" if tag != "p" else "paragraph", tag[1:] if tag != "p" else "", path, words), *inside]
        elif tag in ("ul", "ol"):
            blocks.append(Block("list", _list_kind(tag == "ol", el.get("start")), path))
            for item in el:
                blocks += [Block("item", "", path), *_item_blocks(item, path + "i", md)]
        elif tag == "pre":
            blocks.append(Block("code", "", path, _letters("".join(el.itertext()))))
        elif tag == "blockquote":
            blocks += [Block("quote", "", path), *_site_blocks(list(el), path + "q", md)]
        elif tag == "hr":
            blocks.append(Block("rule", "", path))
        elif tag == "table":
            blocks.append(Block("table", f"{len(el.findall('./thead/tr/th'))}x{len(el.findall('./tbody/tr'))}", path))
        # anything else is parkpress's own: the footnotes' <div>
    return blocks


def _item_blocks(item: etree.Element, path: str, md: markdown.Markdown) -> list[Block]:
    """A list item's blocks; the text of a tight item, which Python-Markdown writes without <p>, as the
    paragraph CommonMark sees."""
    children = list(item)
    first_block = next((i for i, child in enumerate(children) if child.tag in _BLOCK_TAGS), len(children))
    blocks = []
    if (item.text or "").strip() or first_block:
        words, inside = _site_inline(item.text, children[:first_block], path, md)
        blocks += [Block("paragraph", "", path, words), *inside]
    return blocks + _site_blocks(children[first_block:], path, md)


def _site_inline(text: str | None, children: list[etree.Element], path: str, md: markdown.Markdown) -> tuple[str, list[Block]]:
    words, inside = [], []

    def take(string: str | None) -> None:
        for match in HTML_PLACEHOLDER_RE.finditer(string or ""):
            if _stashed(md, match).startswith("<"):  # not an entity
                inside.append(Block("inline-html", "", path))
        words.append(_STASHED.sub("", string or ""))

    def visit(el: etree.Element) -> None:
        if el.tag == "br":
            inside.append(Block("break", "", path, line="".join(words).count("\n")))
        take(el.text)
        for child in el:
            visit(child)
        take(el.tail)

    take(text)
    for child in children:
        visit(child)
    return _letters("".join(words)), inside


def _stashed(md: markdown.Markdown, placeholder: re.Match) -> str:
    return str(md.htmlStash.rawHtmlBlocks[int(placeholder.group(1))])


def _is_html_block(paragraph: etree.Element, md: markdown.Markdown) -> bool:
    """A paragraph of raw HTML alone, which Python-Markdown writes out without the <p> (as its
    RawHtmlPostprocessor decides: a block-level tag or a comment)."""
    match = HTML_PLACEHOLDER_RE.fullmatch((paragraph.text or "").strip())
    if not match or len(paragraph):
        return False
    tag = _HTML_TAG.match(_stashed(md, match))
    return bool(tag) and (tag.group(1)[0] in "!?@%" or md.is_block_level(tag.group(1)))


# --- What to tell the editor -------------------------------------------------------------------

_PAREN_MARKER = re.compile(r"[ >]*\d{1,9}\)")
_LIST_MARKER = re.compile(r"[ >]*(?:[-*+]|\d{1,9}[.)])(?: |$)")
_HASH_WITHOUT_SPACE = re.compile(r"#{1,6}[^#\s]|#{7,}")
_UNDERLINE = re.compile(r" {0,3}(?:=+|-+) *")
_INTERRUPTING = {"list", "item", "quote", "table", "heading", "rule", "html", "code"}
_HTML = {"html", "inline-html"}
_DEFINITION = re.compile(r" {0,3}\[[^\]]+\]:")


@dataclass(frozen=True)
class _Case:
    """A stretch as the rules below look at it."""

    preview: list[Block]
    site: list[Block]
    first: Block  # CommonMark's first block, or the site's where CommonMark has none
    before: Block | None
    source: str  # the line the stretch starts on
    above: str  # the line before it
    below: str  # the line after it
    raw_html: bool


def explain(stretch: Stretch, lines: list[str], raw_html: bool) -> str:
    """What the previews show, what the site shows, and how to write it so that both agree."""
    first = (stretch.preview or stretch.site)[0]
    line = stretch.line
    case = _Case(stretch.preview, stretch.site, first, stretch.before, *(_line(lines, n) for n in (line, line - 1, line + 1)), raw_html)
    return next((message for rule in _RULES if (message := rule(case))), None) or _otherwise(case)


def _line(lines: list[str], index: int) -> str:
    return lines[index] if 0 <= index < len(lines) else ""


def _fence(case: _Case) -> str | None:
    if any(b.kind == "code" and b.markup == "fence" for b in case.preview):
        return f"{PREVIEWS} show a fenced code block (```), the site shows its lines as text; indent the code by four spaces instead"
    return None


def _html_off(case: _Case) -> str | None:
    html = next((b.markup for b in case.preview if b.kind in _HTML), None)
    if case.raw_html or html is None:
        return None
    return (
        f"{PREVIEWS} show the HTML {html.strip().splitlines()[0]!r} as HTML, the site shows it as text (raw HTML is off: "
        "[site] allow_raw_html in parkpress.toml); write it in Markdown instead"
    )


def _html_on(case: _Case) -> str | None:
    if not case.raw_html or not {b.kind for b in case.preview + case.site} & _HTML:
        return None
    return (
        f"{PREVIEWS} end an HTML block at a blank line and read Markdown after it, the site keeps it as HTML "
        "to its closing tag; write the HTML without blank lines inside it, with a blank line before and after it"
    )


def _backslash(case: _Case) -> str | None:
    if case.first.kind == "break" and case.source.rstrip().endswith("\\"):
        return f"{PREVIEWS} break the line at the backslash that ends it, the site shows the backslash; end the line with two spaces"
    return None


def _trailing_tab(case: _Case) -> str | None:
    """Python-Markdown expands tabs to spaces first; for CommonMark only spaces make a line break."""
    end = case.source[len(case.source.rstrip()) :]
    if not case.preview and case.first.kind == "break" and "\t" in end:
        return f"the site breaks the line after the tab that ends it, {PREVIEWS} do not; remove the tabs and spaces at the end of the line"
    return None


def _definition_below(case: _Case) -> str | None:
    if case.first.kind == "break" and case.preview and _DEFINITION.match(case.below):
        return (
            "the site reads the line under this one as a definition (of a link or a footnote) and hides it, and with it "
            f"this line's break; {PREVIEWS} show it as text; put a blank line before it"
        )
    return None


def _parenthesis(case: _Case) -> str | None:
    if case.first.kind == "list" and _PAREN_MARKER.match(case.source):
        return f"{PREVIEWS} show a numbered list, the site shows '{case.source.strip()[:12]}' as text; number the items as '1.', not '1)'"
    return None


def _setext(case: _Case) -> str | None:
    if case.first.kind == "heading" and case.first.markup in ("=", "-"):
        return (
            f"{PREVIEWS} show a heading (its text underlined with {case.first.markup * 3}), the site shows "
            f"{_describe(case.site)}; write the heading on one line starting with '#' ('## Heading'), after a blank line"
        )
    return None


def _indented_hash(case: _Case) -> str | None:
    if case.first.kind == "heading" and case.preview and case.source[:1] == " ":
        return f"{PREVIEWS} show a heading, the site shows the '#' as text; start the heading's line with its '#', not with spaces"
    return None


def _hash_without_space(case: _Case) -> str | None:
    if case.first.kind == "paragraph" and any(b.kind == "heading" for b in case.site) and _HASH_WITHOUT_SPACE.match(case.source):
        return (
            f"the site shows a heading, {PREVIEWS} show the text '{case.source.strip()[:20]}'; put one space after the '#' "
            "(at most six '#')"
        )
    return None


def _underlined(case: _Case) -> str | None:
    """Python-Markdown reads '---' or '===' under any line as a heading's underline, even under a list item or a quote."""
    heading = any(b.kind == "heading" for b in case.site) and not any(b.kind == "heading" for b in case.preview)
    if heading and case.preview and _UNDERLINE.fullmatch(case.below):
        return (
            f"the site reads the line under this one ('{case.below.strip()}') as the underline of a heading, {PREVIEWS} show "
            f"{_describe(case.preview)}; put a blank line before the '{case.below.strip()}' line"
        )
    return None


def _nested_in_quote(case: _Case) -> str | None:
    """lists.py re-indents the lines of lists, not of lists inside quotes."""
    nesting = [(len(b.path), b.kind) for b in case.preview] != [(len(b.path), b.kind) for b in case.site]
    if not ("q" in case.first.path and "i" in case.first.path and nesting):
        return None
    site = "does not nest it" if case.site and len(case.site[0].path) < len(case.first.path) else f"shows {_describe(case.site)}"
    return (
        f"{PREVIEWS} show {_describe(case.preview)} inside the list item above, the site {site}: inside a quote ('>') it "
        "reads the lines under a list item by four spaces a level after the '>' (code by eight), not by the item's "
        "text; indent them so"
    )


def _table_rows(case: _Case) -> str | None:
    if case.first.kind == "table" and case.site and case.site[0].kind == "table":
        return f"{PREVIEWS} end the table starting here before a line the site reads as one more of its rows; put a blank line after it"
    return None


def _new_marker(case: _Case) -> str | None:
    if case.first.kind == "list" and case.preview and _LIST_MARKER.match(case.above):
        return (
            f"{PREVIEWS} start a new list here, where the marker changes to '{case.first.markup}', the site does not; "
            "write one marker for all the items of a list, or put a blank line between two lists"
        )
    return None


def _no_blank_line(case: _Case) -> str | None:
    after_text = case.above.strip() and case.before is not None and case.before.kind == "paragraph"
    if case.first.kind in _INTERRUPTING and case.preview and after_text:
        return (
            f"{PREVIEWS} start {_describe([case.first])} here, the site reads this line as part of the paragraph above it; "
            "put a blank line before it"
        )
    return None


def _lazy_line(case: _Case) -> str | None:
    if case.first.kind == "paragraph" and any(b.kind == "paragraph" and len(b.path) > len(case.first.path) for b in case.site):
        return (
            f"{PREVIEWS} end the list item above this line (a line not indented to the item's text continues only a "
            "paragraph, not code or a table), the site keeps the line in "
            "the item; indent it to the item's text to keep it in the item, or put a blank line before it to end the list"
        )
    return None


_RULES = (
    _fence,
    _html_off,
    _html_on,
    _backslash,
    _trailing_tab,
    _definition_below,
    _parenthesis,
    _setext,
    _indented_hash,
    _hash_without_space,
    _underlined,
    _nested_in_quote,
    _table_rows,
    _new_marker,
    _no_blank_line,
    _lazy_line,
)


def _otherwise(case: _Case) -> str:
    return (
        f"{PREVIEWS} show {_describe(case.preview)}, the site shows {_describe(case.site)}; put a blank line between blocks "
        "and indent the lines of a list item to the item's text (see 'The Markdown dialect' in docs/content-format.md)"
    )


_NAMES = {
    "paragraph": "a paragraph",
    "item": "a list item",
    "code": "a code block",
    "quote": "a quote",
    "rule": "a horizontal rule",
    "html": "an HTML block",
    "inline-html": "HTML",
    "table": "a table",
    "break": "a line break",
}


def _describe(blocks: list[Block]) -> str:
    if not blocks:
        return "nothing there (the lines belong to the block above)"
    first = blocks[0]
    if first.kind == "heading":
        return f"a heading (level {first.detail})"
    if first.kind == "list":
        return f"a {first.detail.split()[0]} list"
    depth = first.path.count("i")
    return _NAMES[first.kind] + (
        f" nested {depth} level{'s' if depth > 1 else ''} deep in a list" if depth and first.kind == "item" else ""
    )
