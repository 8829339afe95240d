"""What a build is made from, file by file: size, modification time and content digest.

What a build reads of the project counts (the configuration, content, templates,
catalogs, static and root files, a theme kept in the project), and nothing else in it:
a link beside them to / or to a huge folder is never read.  Links to folders inside them
are not followed (one in content/ may only lead to a folder walked as itself), and a link in
content/ to a file outside it is not read (the build refuses it, content/sources.py); but
such links, dangling ones and FIFOs are recorded, since they change what a build does.  The parkpress code itself counts too, so editing it
never leaves stale pages.  A file whose size and modification time match the previous
build's record keeps its recorded digest; any other is read and hashed.

A record is trusted only when its file was last modified well before the record was
taken ("racy" timestamps, as git calls them): file systems keep times in coarse steps,
so a file rewritten with the same size within one step would otherwise look unchanged.
"""

from __future__ import annotations

import functools
import hashlib
import os
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from stat import S_ISLNK, S_ISREG

import parkpress
from parkpress.content.sources import link_problem

RACY_NS = 2_000_000_000  # FAT and some network file systems keep mtimes in 2-second steps
CODE = "(parkpress)/"  # prefix of the parkpress package's own files in a snapshot (the built-in theme among them)
THEMES = "(theme {})/"  # prefix of the files of a theme that is neither in the project nor in the package
PACKAGE = Path(parkpress.__file__).resolve().parent
SETTINGS = "(settings)"  # not a file: what the command line sets instead of parkpress.toml (config.Overrides)
NOT_READ = -1  # the size in the record of what is not read: a link not followed or refused, a FIFO (_not_read)


@dataclass(frozen=True)
class Record:
    size: int
    mtime_ns: int
    digest: bytes
    racy: bool  # modified too close to when it was recorded: hash it again next time


def digest_bytes(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


class Snapshot:
    """rel path -> Record for every input file; ``digest`` sums them all up.

    ``roots``: (prefix, folder) of every folder walked: "" for the project, CODE for the
    package, one for each theme found elsewhere.
    """

    def __init__(self, files: dict[str, Record], environment: bytes, roots: tuple[tuple[str, str], ...] = ()):
        self.files = files
        self.environment = environment
        self.roots = roots

    def name(self, path: Path | str) -> str | None:
        """The name a file (or, with a trailing '/', a folder) inside the walked folders has here."""
        text = str(path)
        for prefix, folder in sorted(self.roots, key=lambda root: -len(root[1])):
            if text.startswith(folder + "/"):
                return prefix + text[len(folder) + 1 :]
        return None

    @functools.cached_property
    def digest(self) -> bytes:
        # Worked out when asked: a build in serve publishes before it records what it was built from.
        summary = hashlib.blake2b(self.environment, digest_size=16)
        for rel in sorted(self.files):
            summary.update(rel.encode("utf-8", "surrogateescape") + b"\0" + self.files[rel].digest)
        return summary.digest()

    def of(self, rel: str) -> bytes | None:
        record = self.files.get(rel)
        return record.digest if record else None

    def under(self, prefix: str) -> bytes:
        """One digest of every file whose path starts with ``prefix`` (say 'templates/')."""
        summary = hashlib.blake2b(prefix.encode(), digest_size=16)
        for rel in sorted(r for r in self.files if r.startswith(prefix)):
            summary.update(rel.encode("utf-8", "surrogateescape") + b"\0" + self.files[rel].digest)
        return summary.digest()


def take(
    root: Path,
    inputs: tuple[Path, ...],
    previous: dict[str, Record],
    extra: str = "",
    themes: tuple[tuple[str, Path], ...] = (),
    settings: bytes = b"",
    content: Path | None = None,
) -> Snapshot:
    """Stat (and where needed hash) every input file of the project at ``root``.

    ``inputs``: the files and folders of the project a build reads (Config.inputs); nothing
    else in it is looked at, so that a link beside them to / or to a huge folder costs nothing.
    ``extra`` joins the environment digest: build options that change the output.  ``themes``:
    (name, folder) of the themes in use; those outside the package are walked too.
    ``settings``: what the command line sets, recorded as if it were a file (SETTINGS): it
    changes pages as parkpress.toml does, and unlike ``extra`` does not empty the cache.
    ``content``: the folder whose links may not lead out of it (content/sources.py refuses
    them), so a link to a file elsewhere is not read either.
    """
    now = time.time_ns()
    files: dict[str, Record] = {}
    roots = [("", str(root)), (CODE, str(PACKAGE))]
    for path in inputs:
        name = path.relative_to(root).as_posix()
        if path.is_dir():
            inside = Path(os.path.realpath(path)) if path == content else None
            _walk(path, f"{name}/", files, previous, now, _nothing, links=False, inside=inside)
        elif (record := _file(str(path), previous.get(name), now)) is not None:
            files[name] = record
    _walk(PACKAGE, CODE, files, previous, now, _hidden)
    for name, folder in themes:
        if folder.is_relative_to(PACKAGE):
            continue
        if folder.is_relative_to(root):
            prefix = folder.relative_to(root).as_posix() + "/"
        else:
            roots.append((THEMES.format(name), str(folder)))
            prefix = roots[-1][0]
        _walk(folder, prefix, files, previous, now, _hidden)
    if settings:
        files[SETTINGS] = Record(len(settings), 0, digest_bytes(settings), False)
    return Snapshot(files, environment(extra), tuple(roots))


def _hidden(name: str) -> bool:
    return name.startswith(".")


def _nothing(name: str) -> bool:
    return False


def _walk(top: Path, prefix: str, files: dict, previous: dict, now: int, skip_top, links: bool = True, inside: Path | None = None) -> None:
    """Record the regular files below ``top``; ``links``: whether links to folders at its top
    are followed (a theme's linked templates/); ``inside``: the folder links to files may not leave."""
    seen: set[tuple[int, int]] = set()  # (device, inode) of folders: followed links never loop
    for dirpath, dirnames, filenames in os.walk(top, followlinks=True):
        here = os.stat(dirpath)
        if (here.st_dev, here.st_ino) in seen:
            dirnames[:] = []
            continue
        seen.add((here.st_dev, here.st_ino))
        rel_dir = os.path.relpath(dirpath, top).replace(os.sep, "/")
        base = prefix if rel_dir == "." else f"{prefix}{rel_dir}/"
        if rel_dir == ".":
            dirnames[:] = [d for d in dirnames if not skip_top(d)]
            filenames = [f for f in filenames if not skip_top(f)]
        if rel_dir != "." or not links:  # a link deeper down (say to /) is not followed, but recorded (sources.py judges it)
            unfollowed = {d for d in dirnames if os.path.islink(os.path.join(dirpath, d))}
            files.update((base + d, _not_read(os.path.join(dirpath, d))) for d in unfollowed)
            dirnames[:] = [d for d in dirnames if d not in unfollowed]
        dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
        for name in filenames:
            rel = base + name
            record = _file(os.path.join(dirpath, name), previous.get(rel), now, inside)
            if record is not None:
                files[rel] = record


def _file(path: str, old: Record | None, now: int, inside: Path | None = None) -> Record | None:
    """The record of an input file, following a link unless it leads out of ``inside``; None if
    nothing is there (deleted while we looked).  What is not read, a dangling link, a link the
    build refuses, a FIFO or a device (reading would block or never end), is recorded all the
    same (:func:`_not_read`): sources.py reports it, so it changes the build's outcome."""
    try:
        stat = os.lstat(path)
    except OSError:
        return None
    try:
        if S_ISLNK(stat.st_mode):
            if inside is not None and link_problem(path, inside, "file"):
                return _not_read(path)
            stat = os.stat(path)
    except OSError:
        return _not_read(path)
    record = _record(path, stat, old, now) if S_ISREG(stat.st_mode) else None
    return record if record is not None else _not_read(path)


def _not_read(path: str) -> Record:
    """The record of what is not read: a link not followed or refused, a dangling link, a FIFO.
    A new one, or a link that now leads elsewhere, must change the snapshot as it changes a clean
    build's outcome (the build names where a refused link leads)."""
    try:
        what = "link to " + os.readlink(path)
    except OSError:  # not a link: a FIFO, a device, an unreadable file
        what = "not a regular file"
    return Record(NOT_READ, 0, digest_bytes(what.encode("utf-8", "surrogateescape")), False)


def _record(path: str, stat: os.stat_result, old: Record | None, now: int) -> Record | None:
    """The record of a regular file: the old one while size and modification time match it; None if unreadable."""
    if old is not None and not old.racy and old.size == stat.st_size and old.mtime_ns == stat.st_mtime_ns:
        return old
    try:
        with open(path, "rb") as handle:
            digest = hashlib.file_digest(handle, lambda: hashlib.blake2b(digest_size=16)).digest()
    except OSError:
        return None
    return Record(stat.st_size, stat.st_mtime_ns, digest, stat.st_mtime_ns + RACY_NS > now)


def updated(previous: Snapshot, root: Path, changed: Iterable[str]) -> Snapshot | None:
    """``previous`` with the files ``changed`` (paths relative to ``root``) looked at again, when
    they are told (say, by a watcher of the folders); None if one of them is no longer a regular
    file, or was not one of the inputs."""
    now = time.time_ns()
    files = dict(previous.files)
    for rel in changed:
        path = os.path.join(root, rel)
        try:
            stat = os.stat(path)
        except OSError:
            return None
        record = _record(path, stat, files.get(rel), now) if S_ISREG(stat.st_mode) and rel in files else None
        if record is None:
            return None
        files[rel] = record
    return Snapshot(files, previous.environment, previous.roots)


def environment(extra: str = "") -> bytes:
    """Python, parkpress, and every installed distribution with its version.

    Installing or upgrading any package empties the cache: cheaper to find out (the
    names of the *.dist-info folders on the import path say it all) than which of
    them shape the site, and it happens rarely.
    """
    parts = [sys.version, parkpress.__version__, extra]
    # sys.path[0] is where the command was started from (build.py's folder, the current folder
    # for ``python -m``, the script's folder for ``parkpress``): nothing installed, and counting
    # it would empty the cache whenever an editor switches between those ways of building.
    for folder in sys.path[1:]:
        try:
            names = os.listdir(folder or ".")
        except OSError:
            continue
        parts += sorted(name for name in names if name.endswith((".dist-info", ".egg-info")))
    return digest_bytes("\n".join(parts).encode())
