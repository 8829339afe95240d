"""Notice edits to a site's sources as they happen, through the operating system's file
notifications (inotify, FSEvents, ReadDirectoryChangesW) by way of watchfiles.

Polling snapshots of the sources, as serve did before, costs a walk of every source
file per poll (tens of milliseconds on a site of 10,000 files, four times a second) and
a poll's wait before each build.  watchfiles hands over the changes of a burst (an
editor's "save all") as one set once the burst has been quiet for ``quiet_ms``; where a
file system gives no notifications (some network mounts) it polls by itself.

Folders are watched with their subfolders.  A single file (parkpress.toml) is watched
through its folder, not by itself: an editor that saves by writing a new file and
renaming it over the old one would leave a watch on the file with nothing to report.
A folder that does not exist yet (static/ or templates/ in a site that overrides nothing
of its theme so far) is watched for by name in its parent, like a file; once it appears,
it is watched with its subfolders too.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from pathlib import Path

import watchfiles

QUIET_MS = 25  # a burst of changes ends after this long without one
_STOP_CHECK_MS = 200  # how often a watch looks whether it is to stop


def _editor_litter(name: str) -> bool:
    """Swap, backup and lock files that editors write beside the file being edited."""
    return name.startswith((".", "#")) or name.endswith(("~", ".swp", ".swx", ".tmp"))


class ChangeWatcher:
    """Calls ``changed(paths)`` from threads of its own with the absolute paths of each burst of edits.

    ``folders``: watched with everything in them; ``files``: watched by name in their folder.
    Paths that do not exist when watching starts are left out.
    """

    def __init__(self, folders: Iterable[Path], files: Iterable[Path], changed: Callable[[set[str]], None], quiet_ms: int = QUIET_MS):
        self.changed = changed
        self.quiet_ms = quiet_ms
        self._stop = threading.Event()
        folders = list(folders)
        present = [folder for folder in folders if folder.is_dir()]
        self._awaited = {str(folder): folder for folder in folders if not folder.is_dir() and folder.parent.is_dir()}
        names = {str(file) for file in files} | set(self._awaited)
        self._watches = [
            (present, True, _sources_in(present)),
            (sorted({Path(name).parent for name in names}), False, lambda change, path: path in names),
        ]
        self._threads: list[threading.Thread] = []

    def start(self) -> None:
        for paths, recursive, wanted in self._watches:
            self._start(paths, recursive, wanted)

    def _start(self, paths: list[Path], recursive: bool, wanted: Callable[[watchfiles.Change, str], bool]) -> None:
        if paths:
            thread = threading.Thread(target=self._watch, args=(paths, recursive, wanted), name="parkpress-watch", daemon=True)
            thread.start()
            self._threads.append(thread)

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=2 * _STOP_CHECK_MS / 1000)

    def _watch(self, paths: list[Path], recursive: bool, wanted: Callable[[watchfiles.Change, str], bool]) -> None:
        changes = watchfiles.watch(
            *paths,
            watch_filter=wanted,
            step=self.quiet_ms,
            stop_event=self._stop,
            rust_timeout=_STOP_CHECK_MS,
            recursive=recursive,
            raise_interrupt=False,
        )
        for burst in changes:
            paths = {path for _, path in burst}
            self._enter_new_folders(paths)
            self.changed(paths)

    def _enter_new_folders(self, paths: set[str]) -> None:
        """Watch a folder that was awaited and has appeared (the build that follows reads what it holds)."""
        for path in paths & set(self._awaited):
            folder = self._awaited[path]
            if folder.is_dir():
                del self._awaited[path]
                self._start([folder], True, _sources_in([folder]))


def _sources_in(folders: list[Path]) -> Callable[[watchfiles.Change, str], bool]:
    """The filter of a watch of ``folders``: every change but editor litter."""
    return lambda change, path: not _litter_in(path, folders)


def _litter_in(path: str, folders: list[Path]) -> bool:
    """Whether any part of ``path`` below its watched folder is editor litter."""
    for folder in folders:
        top = str(folder) + "/"
        if path.startswith(top):
            return any(_editor_litter(part) for part in path[len(top) :].split("/"))
    return False
