"""The rules of the output folder, shared by every way of publishing it.

Output paths must stay inside the output folder; a staging folder beside the
live site is swapped in as a whole (publisher.py fills it), and the next build
removes what a dead one left behind.  Since publishing replaces the whole folder,
parkpress publishes only into a folder it made (one holding its marker file), or an
empty or missing one: never into a folder such as docs/ that holds someone's files.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from parkpress.core import libc

STAGING = ".staging-"
RETIRED = ".retired-"
MARKER = ".parkpress-site"  # in every output folder parkpress made
MARKER_TEXT = b"parkpress build made this folder and replaces all of it on every build: keep nothing of your own here.\n"


class UnsafePath(ValueError):
    """An output path that would leave the output folder."""


def check_relative(path: str) -> str:
    """Return ``path`` if it is a plain relative path inside the output, else raise UnsafePath."""
    parts = path.split("/")
    if not path or path.startswith("/") or "\\" in path or "\0" in path or any(p in ("", ".", "..") for p in parts) or ":" in parts[0]:
        raise UnsafePath(f"output path '{path}' would leave the output folder; use a plain slug")
    return path


def foreign_entry(live: Path) -> str | None:
    """The name of an entry of ``live`` that shows parkpress did not make the folder, or None
    when the folder is missing, empty or marked as parkpress's."""
    if os.path.lexists(live / MARKER):
        return None
    try:
        names = sorted(os.listdir(live))
    except (FileNotFoundError, NotADirectoryError):  # a file is refused with its own message (config.py)
        return None
    return names[0] if names else None


def staging(live: Path) -> Path:
    """This process's staging folder for ``live``."""
    return live.parent / f".{live.name}{STAGING}{os.getpid()}"


def retired(live: Path) -> Path:
    """Where this process puts the live site aside while swapping, where folders cannot be exchanged."""
    return live.parent / f".{live.name}{RETIRED}{os.getpid()}"


def unpublishable(live: Path, cache: Path) -> tuple[Path, str] | None:
    """(folder, why) if the swap at the end of a build could not succeed, found before any work.

    The staging folder is made beside ``live`` and swapped with it, and the retired site
    moves into the cache folder as the next build's spare: the parent and ``live`` must be
    writable (a folder that changes parent is written to), and the cache on the same file system.
    Checked with access(), which answers for a read-only mount and an immutable folder too.
    """
    for folder in (live.parent, live):
        if folder.is_dir() and not os.access(folder, os.W_OK | os.X_OK):
            return folder, f"cannot publish here: {_why_unwritable(folder)}; make it writable or choose --output DIR"
    if cache.is_dir() and os.stat(cache).st_dev != os.stat(live.parent).st_dev:
        return cache, f"is on another file system than {live.name}/, and the site moves between the two; keep them on one disk"
    return None


def _why_unwritable(folder: Path) -> str:
    if os.statvfs(folder).f_flag & os.ST_RDONLY:
        return "the file system is read-only"
    return "the folder is read-only (permission denied)"


def remove_leftovers(live: Path) -> None:
    """Remove staging folders of builds that died; restore a site retired mid-swap."""
    if not live.parent.is_dir():
        return
    for entry in live.parent.iterdir():
        name = entry.name
        if name.startswith(f".{live.name}{RETIRED}") and not live.exists():
            os.rename(entry, live)  # killed between the two renames: the old site comes back
        elif name.startswith((f".{live.name}{STAGING}", f".{live.name}{RETIRED}")) and entry.is_dir():
            shutil.rmtree(entry, ignore_errors=True)


_RENAME_EXCHANGE = 2


def exchange(a: Path, b: Path) -> bool:
    """Atomically swap two directories (Linux renameat2); False where unsupported."""
    if not sys.platform.startswith("linux"):
        return False
    renameat2 = getattr(libc.load(), "renameat2", None)  # glibc 2.28 and later
    if renameat2 is None:
        return False
    at_fdcwd = -100
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0
