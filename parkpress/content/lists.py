"""List nesting as CommonMark previews show it, for Python-Markdown.

CommonMark (GitHub, VS Code, Markdown apps) nests a line under a list item when it is
indented to the item's text: two spaces under ``- item``, three under ``1. item``.
Python-Markdown nests only at four spaces a level, so a list an editor sees nested is
flattened.  :class:`CommonMarkIndent` re-indents the lines of each list to Python-Markdown's
four spaces a level, following CommonMark's rule, before Python-Markdown reads them.  A text
whose lists are indented by four spaces already is left exactly as it was.
"""

from __future__ import annotations

import re

from markdown.preprocessors import Preprocessor

# A list marker with the spaces after it: "- ", "* ", "+ ", "1. ", "1) ".
_MARKER = re.compile(r"( *)([-*+]|\d{1,9}[.)])( +|$)")
LEVEL = 4  # Python-Markdown's indentation of one nesting level


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def reindent(lines: list[str]) -> list[str]:
    """``lines`` with each list's nested lines at four spaces a level (tabs already expanded)."""
    open_items: list[int] = []  # the text column of each open item, outermost first
    result, previous_blank = [], True
    for line in lines:
        if not line.strip():
            result.append(line)
            previous_blank = True
            continue
        indent = _indent(line)
        marker = _MARKER.match(line)
        while open_items and indent < open_items[-1] and (previous_blank or marker):
            open_items.pop()
        parent = open_items[-1] if open_items else 0
        level = len(open_items) * LEVEL
        if marker and indent - parent < LEVEL:
            result.append(_at(line, indent, level, indent - parent))
            open_items.append(indent + _marker_width(marker))
        elif open_items and indent >= parent:
            result.append(_at(line, indent, level, indent - parent))
        else:
            result.append(line)  # outside any list, or a lazy continuation line
        previous_blank = False
    return result


def _marker_width(marker: re.Match) -> int:
    """From the marker to the item's text: one space stands for a text that starts as code
    (five spaces or more) or is missing."""
    spaces = len(marker.group(3))
    return len(marker.group(2)) + (spaces if 0 < spaces <= LEVEL else 1)


def _at(line: str, indent: int, level: int, extra: int) -> str:
    """``line`` moved to ``level``: a line less than four spaces beyond its item's text stays
    where it is if Python-Markdown reads it at that level already; one further is code and keeps
    its extra indentation."""
    wanted = (indent if level <= indent < level + LEVEL else level) if extra < LEVEL else level + extra
    return line if wanted == indent else " " * wanted + line[indent:]


class CommonMarkIndent(Preprocessor):
    """Runs after Python-Markdown has expanded tabs (its whitespace preprocessor)."""

    def run(self, lines: list[str]) -> list[str]:
        return reindent(lines)
