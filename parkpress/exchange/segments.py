"""A Markdown file cut into the segments a translator translates, and put together again.

The front matter's text fields (content.translation.TEXT_FIELDS: the one definition of what is
text) are segments ``title`` and ``summary``; the body gives one segment per block that holds
text — paragraph, heading, list item, table cell, quote — numbered ``p1``, ``p2``, … in order.
The block's Markdown (``## ``, ``- ``, ``|``, ``> ``, the indentation of a continued line)
stays in the file and out of the segment; code blocks, rules and link definitions are not
text.  :func:`splice` writes other text into the same places, so a file whose segments are
given back unchanged is the same file, byte for byte.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from dataclasses import dataclass

from parkpress.content.frontmatter import FENCE, split
from parkpress.content.translation import TEXT_FIELDS, paragraph_spans

_ATX = re.compile(r" {0,3}#{1,6}[ \t]*")  # Python-Markdown's: '#heading' is one too
_ATX_CLOSE = re.compile(r"[ \t]+#+[ \t]*$|[ \t]+$")
_SETEXT = re.compile(r" {0,3}(=+|-+)[ \t]*$")
_RULE = re.compile(r" {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_ITEM = re.compile(r"([ \t]*)([-*+]|[0-9]{1,9}[.)])([ \t]+)")
_QUOTE = re.compile(r"[ \t]{0,3}>[ \t]?")
_TABLE_DELIMITER = re.compile(r"[ \t]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")
_DEFINITION = re.compile(r" {0,3}\[[^\]]+\]:[ \t]*\S")
_CELL_SPLIT = re.compile(r"(?<!\\)\|")


@dataclass(frozen=True)
class Segment:
    id: str  # title | summary | p1, p2, …
    kind: str  # field | paragraph | heading | item | cell | quote
    text: str  # what the translator translates (Markdown, continued lines without their prefix)
    start: int  # where it sits in the file's text (see :func:`normalised`)
    end: int
    prefix: str = ""  # what each continued line begins with in the file


def normalised(text: str) -> str:
    """The file's text as segments count offsets in it: without a byte order mark, with ``\\n`` line ends."""
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def segments(text: str) -> list[Segment]:
    """The segments of a Markdown file's normalised text (its front matter must be readable)."""
    meta = split(text).meta.data
    lines = _lines(text)
    fence = _fence(lines)
    found = [_field(name, meta[name], lines, fence) for name in TEXT_FIELDS if isinstance(meta.get(name), str) and meta[name].strip()]
    return found + [
        Segment(f"p{number}", kind, text, start, end, prefix)
        for number, (kind, text, start, end, prefix) in enumerate(_blocks(lines[fence + 1 :]), start=1)
    ]


def body_start(text: str) -> int:
    """Where the body begins: after the line that closes the front matter."""
    lines = _lines(text)
    return lines[_fence(lines) + 1][0] if _fence(lines) + 1 < len(lines) else len(text)


def parts_of(text: str, found: list[Segment]) -> dict[str, int]:
    """Each segment's part as the translation record counts them (content.translation.text_parts):
    a field its place in TEXT_FIELDS, a body segment ``len(TEXT_FIELDS)`` + the paragraph (the
    blank-line block) it lies in; a list or a table is one paragraph of several segments."""
    start = body_start(text)
    spans = paragraph_spans(text[start:])
    starts = [begin for begin, _ in spans]
    return {
        segment.id: TEXT_FIELDS.index(segment.id)
        if segment.kind == "field"
        else len(TEXT_FIELDS) + bisect_right(starts, segment.start - start) - 1
        for segment in found
    }


def _fence(lines: list[tuple[int, str]]) -> int:
    return next(index for index in range(1, len(lines)) if lines[index][1].strip() == FENCE)


def shape(found: list[Segment]) -> list[tuple[str, str]]:
    """What two versions of a page must share for their segments to correspond."""
    return [(segment.id, segment.kind) for segment in found]


def splice(text: str, found: list[Segment], translated: dict[str, str]) -> str:
    """``text`` with each segment named in ``translated`` replaced; everything else kept."""
    pieces, position = [], 0
    for segment in sorted(found, key=lambda s: s.start):
        new = translated.get(segment.id)
        if new is None or new == segment.text:
            continue
        pieces += [text[position : segment.start], _placed(segment, new)]
        position = segment.end
    return "".join(pieces) + text[position:]


def _placed(segment: Segment, new: str) -> str:
    if segment.kind == "field":
        return f"{segment.id}: {json.dumps(new, ensure_ascii=False)}\n"  # a JSON string is a YAML double-quoted scalar
    first, *rest = new.split("\n")
    return "\n".join([first, *(segment.prefix + line if line else line for line in rest)])


def _lines(text: str) -> list[tuple[int, str]]:
    """(offset, line without its newline) of every line."""
    found, offset = [], 0
    for line in text.split("\n"):
        found.append((offset, line))
        offset += len(line) + 1
    return found


def _field(name: str, value: str, lines: list[tuple[int, str]], fence: int) -> Segment:
    """A text field: its whole ``name: value`` lines are replaced when it is translated."""
    first = next(index for index in range(1, fence) if re.match(rf"{name}[ \t]*:", lines[index][1]))
    last = first + 1
    while last < fence and (not lines[last][1].strip() or lines[last][1][:1] in (" ", "\t")):
        last += 1
    return Segment(name, "field", value, lines[first][0], lines[last][0])


def _blocks(lines: list[tuple[int, str]]):
    """(kind, text, start, end, prefix) of every block of the body that holds text."""
    index, in_list = 0, False
    while index < len(lines):
        start, line = lines[index]
        if not line.strip():
            index += 1
            continue
        indent = len(line) - len(line.lstrip(" \t"))
        if (line.startswith("\t") or indent >= 4) and not in_list:  # an indented code block
            index = _past_code(lines, index)
            continue
        if _RULE.match(line) or _DEFINITION.match(line):
            in_list = False
            index += 1
            continue
        if _ATX.match(line):
            in_list = False
            index += 1
            opening = _ATX.match(line).end()
            closing = _ATX_CLOSE.search(line, opening)
            end = closing.start() if closing else len(line)
            if end > opening:
                yield "heading", line[opening:end], start + opening, start + end, ""
            continue
        if index + 1 < len(lines) and "|" in line and _TABLE_DELIMITER.match(lines[index + 1][1]) and "-" in lines[index + 1][1]:
            in_list = False
            index = yield from _table(lines, index)
            continue
        if _QUOTE.match(line):
            in_list = False
            index = yield from _run(lines, index, "quote", _QUOTE.match(line).end(), quoted=True)
            continue
        item = _ITEM.match(line)
        if item and item.end() < len(line):
            in_list = True
            index = yield from _run(lines, index, "item", item.end())
            continue
        in_list = bool(in_list and indent)  # a paragraph inside an item is indented
        index = yield from _run(lines, index, "item" if in_list else "paragraph", indent)


def _run(lines, index: int, kind: str, opening: int, quoted: bool = False):
    """A paragraph-like block from ``lines[index]``: it goes on to a blank line or the next block."""
    last = index
    while last + 1 < len(lines) and not _ends_run(lines[last + 1][1], kind, quoted):
        if kind == "paragraph" and last == index and _SETEXT.match(lines[last + 1][1]):
            text = lines[index][1][opening:].rstrip()
            start = lines[index][0] + opening
            yield "heading", text, start, start + len(text), ""
            return index + 2
        last += 1
    continued = [lines[i][1] for i in range(index + 1, last + 1)]
    prefix = _common_prefix(continued, quoted)
    text = "\n".join([lines[index][1][opening:], *(line[len(prefix) :] for line in continued)]).rstrip()
    start = lines[index][0] + opening
    if text.strip():
        yield kind, text, start, start + _length_in_file(text, prefix), prefix
    return last + 1


def _ends_run(line: str, kind: str, quoted: bool) -> bool:
    if not line.strip() or _ATX.match(line) or quoted != bool(_QUOTE.match(line)):
        return True
    item = _ITEM.match(line)
    return kind == "item" and item is not None and item.end() < len(line)


def _common_prefix(continued: list[str], quoted: bool) -> str:
    """The prefix every continued line shares (``> `` of a quote, an item's indentation), or ''."""
    pattern = _QUOTE if quoted else re.compile(r"[ \t]*")
    prefixes = {pattern.match(line).group() for line in continued}
    return prefixes.pop() if len(prefixes) == 1 else ""


def _length_in_file(text: str, prefix: str) -> int:
    return len(text) + text.count("\n") * len(prefix)


def _table(lines, index: int):
    """Every non-empty cell of a table's header and rows; the delimiter row is not text."""
    row = index
    while row < len(lines) and lines[row][1].strip():
        if row != index + 1:
            start, line = lines[row]
            cells = _CELL_SPLIT.split(line)
            offset = 0
            for cell in cells:
                stripped = cell.strip()
                if stripped:
                    begin = start + offset + (len(cell) - len(cell.lstrip()))
                    yield "cell", stripped, begin, begin + len(stripped), ""
                offset += len(cell) + 1
        row += 1
    return row


def _past_code(lines, index: int) -> int:
    while index < len(lines) and (not lines[index][1].strip() or lines[index][1].startswith(("    ", "\t"))):
        index += 1
    return index
