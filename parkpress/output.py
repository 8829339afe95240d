"""Writing the site: into a fresh staging folder, then swapped in as a whole.

The previous site stays untouched until the new one is complete; a build that
fails or is killed leaves it exactly as it was, and the next build removes
what a dead one left behind.  Nothing is written outside the staging folder.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import fcntl
import filecmp
import os
import shutil
import sys
from pathlib import Path

STAGING = ".staging-"
RETIRED = ".retired-"


class UnsafePath(ValueError):
    """An output path that would leave the output folder."""


def check_relative(path: str) -> str:
    """Return ``path`` if it is a plain relative path inside the output, else raise UnsafePath."""
    parts = path.split("/")
    if not path or path.startswith("/") or "\\" in path or "\0" in path or any(p in ("", ".", "..") for p in parts) or ":" in parts[0]:
        raise UnsafePath(f"output path '{path}' would leave the output folder; use a plain slug")
    return path


class Staging:
    """A build's output folder in the making, beside the live one."""

    def __init__(self, live: Path):
        self.live = live
        self.parent = live.parent
        self.parent.mkdir(parents=True, exist_ok=True)
        # One build at a time per output folder (say `serve` rebuilding while `build` runs):
        # otherwise one build's leftover cleanup deletes the other's staging folder.  The lock
        # is on the folder itself, so no lock file is left behind, and a killed build's lock
        # dies with its process.
        self._lock = os.open(self.parent, os.O_RDONLY)
        fcntl.flock(self._lock, fcntl.LOCK_EX)
        remove_leftovers(live)
        self.dir = self.parent / f".{live.name}{STAGING}{os.getpid()}"
        self.dir.mkdir()
        self.written: set[str] = set()
        self.reused = 0

    def target(self, rel: str) -> Path:
        return self.dir / check_relative(rel)

    def _claim(self, rel: str) -> Path:
        target = self.target(rel)
        target.parent.mkdir(parents=True, exist_ok=True)
        self.written.add(rel)
        return target

    def _reuse(self, old: Path, target: Path) -> bool:
        try:
            os.link(old, target)
        except OSError:
            return False
        self.reused += 1
        return True

    def write(self, rel: str, data: bytes) -> None:
        """Write ``data``; an unchanged file of the live site is linked instead, keeping its mtime."""
        target = self._claim(rel)
        old = self.live / rel
        try:
            unchanged = old.is_file() and not old.is_symlink() and old.stat().st_size == len(data) and old.read_bytes() == data
        except OSError:
            unchanged = False
        if unchanged and self._reuse(old, target):
            return
        # "x": a file linked from the live site must never be opened for writing, or
        # the live site would change before the swap.
        with open(target, "xb") as handle:
            handle.write(data)

    def copy(self, rel: str, source: Path) -> None:
        """Copy a static or media file without holding it in memory (they can be large)."""
        target = self._claim(rel)
        old = self.live / rel
        try:
            unchanged = old.is_file() and not old.is_symlink() and filecmp.cmp(old, source, shallow=False)
        except OSError:
            unchanged = False
        if unchanged and self._reuse(old, target):
            return
        with open(source, "rb") as src, open(target, "xb") as dst:
            shutil.copyfileobj(src, dst)

    def publish(self) -> None:
        """Make the staging folder the live site in one step where the OS allows."""
        if self.live.is_symlink():
            raise UnsafePath(f"{self.live} is a symbolic link; parkpress replaces the output folder and won't follow it")
        if self.live.exists() and _exchange(self.dir, self.live):
            shutil.rmtree(self.dir)
        else:
            retired = self.parent / f".{self.live.name}{RETIRED}{os.getpid()}"
            if self.live.exists():
                os.rename(self.live, retired)
            os.rename(self.dir, self.live)
            shutil.rmtree(retired, ignore_errors=True)
        self._unlock()

    def discard(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)
        self._unlock()

    def _unlock(self) -> None:
        if self._lock >= 0:
            os.close(self._lock)  # closing the descriptor releases the lock
            self._lock = -1


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


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two directories (Linux renameat2); False where unsupported."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd = -100
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0
