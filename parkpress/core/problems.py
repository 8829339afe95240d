"""Findings about user input, reported as ``path:line: level: message``.

Every stage collects :class:`Problem` objects instead of raising on the first
one, so a single run reports everything an editor has to fix.  A stage that
cannot go on raises :class:`BuildFailed` with all problems found so far.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one input file."""

    path: str
    line: int
    message: str
    level: str = ERROR

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return _one_line(f"{where}: {self.level}: {self.message}")

    def as_dict(self) -> dict:
        return {"path": self.path, "line": self.line, "level": self.level, "message": self.message}


_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]")  # C0, DEL, C1, and where splitlines() splits


def _one_line(text: str) -> str:
    """Control characters from file names or YAML keys, escaped: one problem stays one line,
    and no escape sequence reaches the terminal."""
    return _CONTROL.sub(lambda match: repr(match.group())[1:-1], text)


class BuildFailed(Exception):
    """Raised when input errors make a build (or check) impossible."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class Problems:
    """A collector that stages append to; paths are shown relative to the project."""

    def __init__(self, root: Path):
        self.root = root
        self.items: list[Problem] = []

    def relpath(self, path: Path | str) -> str:
        # Only the folder is resolved: a symbolic link is named as the editor sees it, not by its target.
        path = Path(path)
        return self.folder_prefix(path.parent) + path.name

    def folder_prefix(self, folder: Path) -> str:
        """What :meth:`relpath` puts before the name of a file in ``folder``: '' or a path ending in '/'."""
        try:
            rel = folder.resolve().relative_to(self.root.resolve()).as_posix()
        except (ValueError, OSError, RuntimeError):  # RuntimeError: a symbolic link loop (Python 3.11)
            rel = folder.as_posix()
        return "" if rel == "." else rel.rstrip("/") + "/"

    def error(self, path: Path | str, line: int, message: str) -> None:
        self.items.append(Problem(self.relpath(path), line, message, ERROR))

    def warning(self, path: Path | str, line: int, message: str) -> None:
        self.items.append(Problem(self.relpath(path), line, message, WARNING))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.level == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.level == WARNING]

    def raise_if_errors(self) -> None:
        if self.errors:
            raise BuildFailed(self.items)
