"""Findings about user input, reported as ``path:line: level: message``.

Every stage collects :class:`Problem` objects instead of raising on the first
one, so a single run reports everything an editor has to fix.  A stage that
cannot go on raises :class:`BuildFailed` with all problems found so far.  An
operating-system error (a full disk, a read-only folder) is the editor's to fix too:
:meth:`Problems.os_error` says what it means and what to do.
"""

from __future__ import annotations

import errno
import os
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
        return one_line(f"{where}: {self.level}: {self.message}")

    def as_dict(self) -> dict:
        return {"path": self.path, "line": self.line, "level": self.level, "message": self.message}


_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]")  # C0, DEL, C1, and where splitlines() splits


def one_line(text: str) -> str:
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

    def os_error(self, exc: OSError, shown: dict[str, str] | None = None) -> Problem:
        """What an operating-system error means to the editor: the path it is about, what
        happened and what to do.  ``shown``: folder -> the folder to name instead (the output
        folder for the staging folder a failed build removes)."""
        named = isinstance(exc.filename, (str, bytes, os.PathLike))  # not None, nor a file descriptor
        path = os.fsdecode(exc.filename) if named else str(self.root)
        message = OS_ERRORS.get(exc.errno) or f"{(exc.strerror or str(exc)).lower()}; fix this, then run again"
        blocking = _file_in_the_way(path) if exc.errno in (errno.ENOTDIR, errno.EEXIST) else None
        if blocking is not None:  # mkdir or a path through a file: name the file, not the path below it
            path, message = blocking, "is a file where a folder is expected; move it away or rename it, then run again"
        for folder, name in (shown or {}).items():
            if path == folder or path.startswith(folder + "/"):
                path = name + path[len(folder) :]
        return Problem(self.relpath(path), 0, message)


OS_ERRORS = {
    errno.ENOSPC: "the disk is full (no space left on device); free some space, then run again",
    errno.EDQUOT: "the disk quota is used up; free some space, then run again",
    errno.EACCES: "permission denied; make it readable and writable for the user who runs parkpress",
    errno.EPERM: "operation not permitted (permission denied, or the file is immutable); make it writable for the user who runs parkpress",
    errno.EROFS: "the file system is read-only; mount it writable, or work on a copy of the project",
    errno.ENOTDIR: "a file stands where a folder is expected; move it away or rename it, then run again",
    errno.EEXIST: "exists already where parkpress has to make it; move it away or rename it, then run again",
    errno.EISDIR: "is a folder where a file is expected; move it away or rename it, then run again",
    errno.ENAMETOOLONG: "the name is too long for the file system; use a shorter file or folder name",
    errno.ELOOP: "symbolic links here lead in a circle; remove the link",
    errno.EMFILE: "too many files open at once; raise the limit (ulimit -n), then run again",
    errno.ENFILE: "too many files open on this machine; close programs, then run again",
    errno.EIO: "input/output error: the disk or its connection failed; check the disk, then run again",
    errno.EXDEV: "is on another file system; keep the project and its folders on one disk",
    errno.ENOENT: "no such file or folder (moved or deleted while parkpress ran?); run again",
}


def _file_in_the_way(path: str) -> str | None:
    """The file standing where ``path`` needs a folder (the path itself, or a folder above it)."""
    while path not in ("", "/"):
        if os.path.lexists(path) and not os.path.isdir(path):
            return path
        path = os.path.dirname(path)
    return None
