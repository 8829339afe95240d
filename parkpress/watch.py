"""Notice edits to a site's sources: compare snapshots of the watched files, wait until they are quiet.

Polling whole snapshots (rather than livereload's Watcher, which stops at the
first changed file of a poll and drops reloads within 3 s of the last one)
sees every file an editor's "save all" touched as one change.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from pathlib import Path

Snapshot = dict[str, tuple[int, int, int]]  # path -> (mtime_ns, size, inode)


def _editor_litter(name: str) -> bool:
    """Swap, backup and lock files that editors write beside the file being edited."""
    return name.startswith((".", "#")) or name.endswith(("~", ".swp", ".swx", ".tmp"))


def snapshot(paths: Iterable[Path]) -> Snapshot:
    found: Snapshot = {}

    def add(path: str) -> None:
        try:
            stat = os.stat(path)
        except OSError:
            return  # removed while we looked: the next snapshot sees it gone
        found[path] = (stat.st_mtime_ns, stat.st_size, stat.st_ino)

    for top in paths:
        if top.is_file():
            add(str(top))
            continue
        for dirpath, dirnames, filenames in os.walk(top):
            dirnames[:] = [d for d in dirnames if not _editor_litter(d)]
            for name in filenames:
                if not _editor_litter(name):
                    add(os.path.join(dirpath, name))
    return found


class ChangeWatcher:
    """Call :meth:`poll` regularly; it returns the changed files once they have been quiet for ``quiet`` seconds."""

    def __init__(self, paths: Iterable[Path], quiet: float = 0.3, clock: Callable[[], float] = time.monotonic):
        self.paths = tuple(paths)
        self.quiet = quiet
        self.clock = clock
        self.current = snapshot(self.paths)
        self.pending: set[str] = set()
        self.last_change = 0.0

    def poll(self) -> set[str]:
        new = snapshot(self.paths)
        changed = {path for path in self.current.keys() | new.keys() if self.current.get(path) != new.get(path)}
        now = self.clock()
        if changed:
            self.current = new
            self.pending |= changed
            self.last_change = now
            return set()
        if self.pending and now - self.last_change >= self.quiet:
            done, self.pending = self.pending, set()
            return done
        return set()
