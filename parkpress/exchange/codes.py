"""Inline codes: the Markdown inside a segment that a translator must keep but not see as text.

A segment's text becomes a sequence of plain text, placeholders (:class:`Ph`: code spans,
autolinks, raw HTML, entities, hard line breaks, ``{…}`` placeholders, footnote marks) and
paired codes (:class:`Pc`: emphasis, links and images around text that is translated).
:func:`markdown` gives the exact text back, byte for byte, for any input: the parser only
cuts the text into slices, so whatever it fails to recognise stays plain text.

Each code carries a number, 1, 2, … in the order the codes start: XLIFF's ``id`` and the PO
form's ``{1}…{/1}``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_ESCAPABLE = set("\\`*_{}[]()#+-.!|<>~&\"'")
_AUTOLINK = re.compile(r"<(?:[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*|[^\s@<>]+@[^\s@<>]+)>")
_HTML = re.compile(r"<!--.*?-->|</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>", re.DOTALL)
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_PLACEHOLDER = re.compile(r"\{/?[^{}\s]{1,40}\}")
_HARD_BREAK = re.compile(r" {2,}\n")
_FOOTNOTE = re.compile(r"\[\^[^\]\s]+\]")
_LINK_TITLE = re.compile(r"""\]\([ \t]*(?:<[^<>\n]*>|[^\s()<>]+)[ \t]+["']([^"'\n]*[^"'\s][^"'\n]*)["'][ \t]*\)""")


@dataclass(frozen=True)
class Ph:
    """Markdown that stands alone: the translator places it, the text around it is theirs."""

    number: int
    data: str
    kind: str  # code | link | html | entity | break | placeholder | footnote | image


@dataclass(frozen=True)
class Pc:
    """Markdown around translated text: ``**`` … ``**``, ``[`` … ``](url)``."""

    number: int
    start: str
    end: str
    kind: str  # emphasis | link | image
    children: tuple


Token = str | Ph | Pc


def parse(text: str) -> list[Token]:
    """The segment's text as text and codes; ``markdown(parse(text)) == text`` always."""
    counter = iter(range(1, len(text) + 2))
    return _parse(text, counter)


def markdown(tokens: list[Token] | tuple) -> str:
    parts = []
    for token in tokens:
        if isinstance(token, str):
            parts.append(token)
        elif isinstance(token, Ph):
            parts.append(token.data)
        else:
            parts.append(token.start + markdown(token.children) + token.end)
    return "".join(parts)


def codes(tokens: list[Token] | tuple) -> list[Ph | Pc]:
    """Every code, nested ones included, in the order of their numbers."""
    found = []
    for token in tokens:
        if isinstance(token, Ph):
            found.append(token)
        elif isinstance(token, Pc):
            found.append(token)
            found += codes(token.children)
    return found


def _parse(text: str, counter) -> list[Token]:
    tokens: list[Token] = []
    plain: list[str] = []
    i = 0

    def emit(token: Token) -> None:
        if plain:
            tokens.append("".join(plain))
            plain.clear()
        tokens.append(token)

    while i < len(text):
        char = text[i]
        if char == "\\" and i + 1 < len(text) and text[i + 1] in _ESCAPABLE:
            plain.append(text[i : i + 2])
            i += 2
            continue
        found = _standalone(text, i)
        if found is not None:
            end, kind = found
            emit(Ph(next(counter), text[i:end], kind))
            i = end
            continue
        paired = _paired(text, i)
        if paired is not None:
            start_end, inner_end, end, kind = paired
            title = _LINK_TITLE.fullmatch(text, inner_end, end) if kind in ("link", "image") else None
            close = title.start(1) if title else end
            emit(Pc(next(counter), text[i:start_end], text[inner_end:close], kind, tuple(_parse(text[start_end:inner_end], counter))))
            if title:  # the title a link or image shows on hover is text to translate
                plain.append(title.group(1))
                emit(Ph(next(counter), text[title.end(1) : end], "link"))
            i = end
            continue
        run = _run_length(text, i) if char in "*_`" else 1
        plain.append(text[i : i + run])
        i += run
    if plain:
        tokens.append("".join(plain))
    return tokens


def _standalone(text: str, i: int) -> tuple[int, str] | None:
    """Where a placeholder starting at ``i`` ends, and its kind."""
    char = text[i]
    if char == "`":
        end = _code_span_end(text, i)
        return (end, "code") if end else None
    if char == "<":
        for pattern, kind in ((_AUTOLINK, "link"), (_HTML, "html")):
            if match := pattern.match(text, i):
                return match.end(), kind
    if char == "&" and (match := _ENTITY.match(text, i)):
        return match.end(), "entity"
    if char == "{" and (match := _PLACEHOLDER.match(text, i)):
        return match.end(), "placeholder"
    if char == " " and (match := _HARD_BREAK.match(text, i)):
        return match.end(), "break"
    if char == "[" and (match := _FOOTNOTE.match(text, i)):
        return match.end(), "footnote"
    if char == "!" and text.startswith("![]", i):  # an image without alt text: nothing to translate
        link = _link_end(text, i + 1)
        return (link[1], "image") if link else None
    return None


def _paired(text: str, i: int) -> tuple[int, int, int, str] | None:
    """(end of the opening code, end of the inner text, end of the closing code, kind)."""
    char = text[i]
    if char == "!" and text.startswith("![", i) and (link := _link_end(text, i + 1)):
        return i + 2, link[0], link[1], "image"
    if char == "[" and (link := _link_end(text, i)) and link[0] > i + 1:
        return i + 1, link[0], link[1], "link"
    if char in "*_":
        return _emphasis(text, i)
    return None


def _run_length(text: str, i: int) -> int:
    end = i
    while end < len(text) and text[end] == text[i]:
        end += 1
    return end - i


def _code_span_end(text: str, i: int) -> int | None:
    run = _run_length(text, i)
    j = i + run
    while j < len(text):
        if text[j] == "`":
            other = _run_length(text, j)
            if other == run:
                return j + run
            j += other
        else:
            j += 1
    return None


def _skip(text: str, j: int) -> int | None:
    """Past an escape or a code span at ``j``, else None."""
    if text[j] == "\\":
        return j + 2
    if text[j] == "`":
        return _code_span_end(text, j) or j + _run_length(text, j)
    return None


def _link_end(text: str, i: int) -> tuple[int, int] | None:
    """For ``[text](url)`` or ``[text][ref]`` at ``i``: (index of ``]``, end of the link)."""
    close = _matching(text, i, "[]", code_spans=True)
    if close is None:
        return None
    if text.startswith("(", close + 1):
        end = _matching(text, close + 1, "()", code_spans=False)
        return (close, end + 1) if end is not None else None
    if text.startswith("[", close + 1) and (end := text.find("]", close + 2)) != -1 and "[" not in text[close + 2 : end]:
        return close, end + 1
    return None


def _matching(text: str, i: int, pair: str, code_spans: bool) -> int | None:
    """Where the bracket that closes the one at ``i`` is (escapes, and in link text code spans, skipped)."""
    depth, j = 0, i
    while j < len(text):
        skipped = _skip(text, j) if code_spans else (j + 2 if text[j] == "\\" else None)
        if skipped is not None:
            j = skipped
            continue
        if text[j] == pair[0]:
            depth += 1
        elif text[j] == pair[1]:
            depth -= 1
            if depth == 0:
                return j
        j += 1
    return None


def _emphasis(text: str, i: int) -> tuple[int, int, int, str] | None:
    """``*a*``, ``**a**``, ``_a_``… : the same run of one to three marks closes it."""
    char, run = text[i], _run_length(text, i)
    after = i + run
    if run > 3 or after >= len(text) or text[after].isspace() or (char == "_" and i > 0 and text[i - 1].isalnum()):
        return None
    j = after
    while j < len(text):
        if (skipped := _skip(text, j)) is not None:
            j = skipped
            continue
        if text[j] != char:
            j += 1
            continue
        other = _run_length(text, j)
        closes = other == run and not text[j - 1].isspace() and j > after
        if closes and char == "_" and j + other < len(text) and text[j + other].isalnum():
            closes = False
        if closes:
            return after, j, j + run, "emphasis"
        j += other
    return None
