"""Soft line breaks between Chinese or Japanese characters vanish, as the writer meant.

Chinese and Japanese put no spaces between words, but an editor who hard-wraps a paragraph
ends lines in the middle of a sentence; HTML turns each line end into a space, and Chromium
shows it (Firefox follows CSS Text's segment-break rules and drops it).  :class:`JoinCjkLines`
drops a line end, with the spaces around it, wherever the characters either side are wide or
half-width East Asian characters (Han, kana, CJK punctuation, full-width forms; CSS Text 4's
rule), except Hangul: Korean separates words with spaces.  Latin text keeps its space, a hard
break (two spaces at the end of a line) stays a break, and code is left as written.
"""

from __future__ import annotations

import re
import unicodedata
import xml.etree.ElementTree as etree

from markdown.treeprocessors import Treeprocessor

_BREAK = re.compile(r"[ \t]*\n[ \t]*")
_HANGUL = ((0x1100, 0x11FF), (0x3130, 0x318F), (0xA960, 0xA97F), (0xAC00, 0xD7FF), (0xFFA0, 0xFFDC))
# Every wide or half-width character (and some others near them): a text without any has nothing to
# join, which is nearly every text in a Latin, Cyrillic or Arabic script, and costs a third of a
# conversion to walk through.
_ANY_WIDE = re.compile("[\u20a9\u231a-\u2bff\u2e80-\ua4cf\uf900-\ufaff\ufe10-\uffee\U00016fe0-\U0003ffff]")
_VERBATIM = {"code", "pre", "kbd", "samp", "script", "style"}
_BARRIER = "\n"  # stands for a line break or a block between two texts: never East Asian


def east_asian(char: str) -> bool:
    """Whether a line end next to ``char`` on both sides is no space (CSS Text 4, segment breaks)."""
    if unicodedata.east_asian_width(char) not in ("W", "F", "H"):
        return False
    point = ord(char)
    return not any(low <= point <= high for low, high in _HANGUL)


def join_lines(text: str, before: str, after: str) -> str:
    """``text`` without its line breaks between East Asian characters; ``before`` and ``after``:
    the characters just outside it."""

    def join(match: re.Match) -> str:
        start, end = match.start(), match.end()
        left = text[start - 1] if start else before
        right = text[end] if end < len(text) else after
        return "" if east_asian(left) and east_asian(right) else match.group()

    return _BREAK.sub(join, text)


def _outside(texts: list[str]) -> tuple[list[str], list[str]]:
    """For each text, the last character of the texts before it and the first of those after."""
    before, after, last, first = [], [], _BARRIER, _BARRIER
    for text in texts:
        before.append(last)
        last = text[-1] if text else last
    for text in reversed(texts):
        after.append(first)
        first = text[0] if text else first
    return before, after[::-1]


class JoinCjkLines(Treeprocessor):
    """Runs after the inline patterns, so that a break beside emphasis or a link is seen with the
    characters on its other side."""

    def run(self, root: etree.Element) -> None:
        if not _ANY_WIDE.search("".join(root.itertext())):
            return
        for block in root.iter():
            if block.tag not in _VERBATIM and (block is root or self.md.is_block_level(block.tag)):
                self._join(block)

    def _join(self, block: etree.Element) -> None:
        """The texts of one block in reading order, its child blocks standing between them as barriers."""
        pieces: list[tuple[etree.Element | None, str, str]] = [(block, "text", block.text or "")]
        self._inline(block, pieces)
        before, after = _outside([text for _, _, text in pieces])
        for (owner, attr, text), left, right in zip(pieces, before, after, strict=True):
            if owner is not None and "\n" in text:
                setattr(owner, attr, join_lines(text, left, right))

    def _inline(self, parent: etree.Element, pieces: list) -> None:
        for child in parent:
            if self.md.is_block_level(child.tag) or child.tag == "br":
                pieces.append((None, "", _BARRIER))  # a block is joined on its own; a hard break stays
            elif child.tag in _VERBATIM:
                pieces.append((None, "", "".join(child.itertext())))  # read, never changed
            else:
                pieces.append((child, "text", child.text or ""))
                self._inline(child, pieces)
            pieces.append((child, "tail", child.tail or ""))
