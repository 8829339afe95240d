"""Publishing with two copies of the site: the live one, and a spare that becomes the next.

Publishing stays all or nothing (see output.py): the new site is assembled in a
staging folder beside the live one and swapped in with one atomic exchange, so a
build that fails or is killed leaves the live site exactly as it was.

What changes is where the staging folder comes from.  Filling a fresh one means a
folder and a hard link for every unchanged page: on a site of 10,000 pages that is
20,000 file-system operations (seconds on a busy disk) to change one page.  Instead,
the site that the last swap retired is kept as a spare in the cache folder.  The next
build renames it into the staging position and brings it up to date: it holds the
previous build's output, so only the files that changed in the last two builds are
touched (linked from the live site, or written).  After the exchange the retired
site is the new spare.  Both folders are known to the cache file by file (digest,
size, modification time, inode), and are checked against that record before use:
a copy that differs from its record in any way is not trusted.

Files are never written in place: a file in the spare may be a hard link to the live
site's, so a new version is written beside it and renamed over it.  An unchanged file
is the live site's very inode, so it keeps its modification time; a changed file gets
a new one, even when the spare happened to hold those bytes already.

Without a trusted spare (the first build, or after the cache was lost) the staging
folder starts empty; when the live site is not known either, every file is also
linked into a new spare while it is written, so the next build finds one.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import os
import shutil
import stat as stat_module
from collections.abc import Callable, Iterator
from pathlib import Path

from parkpress.engine.cache import Tree
from parkpress.engine.snapshot import digest_bytes
from parkpress.publish import output

SPARE = "spare"  # the spare copy's folder name inside the cache folder


@contextlib.contextmanager
def locked(live: Path) -> Iterator[None]:
    """One build at a time per output folder."""
    live.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(live.parent, os.O_RDONLY)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # closing releases the lock


def identity(folder: Path) -> tuple[int, int] | None:
    try:
        info = os.lstat(folder)
    except OSError:
        return None
    return (info.st_dev, info.st_ino) if stat_module.S_ISDIR(info.st_mode) else None


def verify(folder: Path, files: dict[str, tuple]) -> dict[str, tuple] | None:
    """The recorded state of ``folder`` if every file and folder in it is still as recorded, else None.

    A folder's modification time changes when anything is added to or removed from it,
    so unchanged folders also prove that nothing unknown lies in them.
    """
    base = str(folder)
    for rel, state in files.items():
        try:
            info = os.lstat(f"{base}/{rel}" if rel else base)
        except OSError:
            return None
        digest, size, mtime_ns, inode = state
        if info.st_mtime_ns != mtime_ns or info.st_ino != inode:
            return None
        if digest is not None and (info.st_size != size or not stat_module.S_ISREG(info.st_mode)):
            return None
    return files


def verify_later(folder: Path, files: dict[str, tuple]) -> Callable[[], dict[str, tuple] | None]:
    """:func:`verify` in a forked process, so that the build goes on reading meanwhile (checking
    the 40,000 files and folders of a large site's two copies took a tenth of a second, and
    nothing needs the answer until the build plans).  Returns a function that waits for it.

    The process that checks is a grandchild: its parent leaves at once and is waited for
    here, so a build that fails before it asks (serve goes on running) leaves no zombie.
    """
    if len(files) < VERIFY_LATER_FROM or not hasattr(os, "fork"):
        answer = verify(folder, files)
        return lambda: answer
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # answer one byte from a process of its own, and run nothing of the parent's
        try:
            if os.fork() == 0:
                os.write(write, b"1" if verify(folder, files) is not None else b"0")
        finally:
            os._exit(0)
    os.close(write)
    os.waitpid(pid, 0)
    pipe = os.fdopen(read, "rb")

    @functools.cache
    def wait() -> dict[str, tuple] | None:
        with pipe:
            return files if pipe.read(1) == b"1" else None

    return wait


VERIFY_LATER_FROM = 2000  # files and folders; fewer are checked before forking would pay off


def file_state(path: str, digest: bytes) -> tuple:
    info = os.lstat(path)
    return (digest, info.st_size, info.st_mtime_ns, info.st_ino)


def folder_state(path: str) -> tuple:
    info = os.lstat(path)
    return (None, 0, info.st_mtime_ns, info.st_ino)


class Publisher:
    """The output of one build: placed file by file into the staging folder, then swapped in.

    ``known``: the folders the cache knows, by (device, inode).  The staging folder is
    taken only by :meth:`begin`, so a build that turns out to have nothing to do
    touches nothing.
    """

    def __init__(
        self,
        live: Path,
        spare: Path,
        known: dict[tuple[int, int], Tree],
        digest_of: Callable[[Path], bytes | None],
        trusted: tuple[dict[str, tuple], dict[str, tuple]] | None = None,
    ):
        """``trusted``: the records of the live folder and the spare as this process left them
        (session.py), taken as they are instead of checking every file against ``known``."""
        self.live, self.spare = live, spare
        self.digest_of = digest_of  # a source file's digest, if known without reading it
        if not live.exists():
            output.remove_leftovers(live)  # a build killed between two renames: its retired site comes back
        live_id, spare_id = identity(live), identity(spare)
        self.live_tree = known.get(live_id) if live_id else None
        if trusted is not None:
            self._checked = (lambda: trusted[0], lambda: trusted[1])
        else:
            spare_tree = known.get(spare_id) if spare_id and spare_id != live_id else None
            trees = ((live, self.live_tree), (spare, spare_tree))
            self._checked = tuple(verify_later(folder, tree.files) if tree else lambda: None for folder, tree in trees)
        self.dir = output.staging(live)
        self.files: dict[str, tuple] = {}  # the staging folder's files as they now are
        self.placed: set[str] = set()  # output paths of this build
        self.touched: set[str] = set()  # folders whose entries changed
        self.mirror: Path | None = None
        self.rewrote = 0  # files written (or given a new modification time)
        self.kept = 0  # files that are the live site's, untouched
        self.renewed: set[str] = set()  # paths of those written

    @property
    def live_files(self) -> dict[str, tuple] | None:
        """The live site's record, if the site is exactly as recorded."""
        return self._checked[0]()

    @property
    def spare_files(self) -> dict[str, tuple] | None:
        """The spare copy's record, if the copy is exactly as recorded."""
        return self._checked[1]()

    def built_from(self, digest: bytes) -> bool:
        """Whether the live site was built from inputs with ``digest`` and is exactly as that build left it."""
        return self.live_tree is not None and self.live_tree.built_from == digest and self.live_files is not None

    def tidy(self) -> None:
        """Remove what builds that died left beside the site."""
        output.remove_leftovers(self.live)

    def begin(self) -> None:
        # Leftovers go only now, right before this build's staging folder appears: someone
        # watching the folder sees a staging folder for as long as a build is writing.
        self.tidy()
        if self.spare_files is not None:
            os.rename(self.spare, self.dir)
            self.files = dict(self.spare_files)
            return
        if self.spare.is_dir() and not self.spare.is_symlink():
            shutil.rmtree(self.spare)
        elif os.path.lexists(self.spare):  # the cache's place for it holds a file or a link: damage, gone with the rest
            os.unlink(self.spare)
        os.mkdir(self.dir)
        self.files = {"": folder_state(str(self.dir))}
        if self.live_files is None:  # no copy to start the next build from: make one alongside
            self.spare.parent.mkdir(parents=True, exist_ok=True)
            os.mkdir(self.spare)
            self.mirror = self.spare

    def has_copy(self, rel: str, digest: bytes) -> bool:
        """Before :meth:`begin`: whether the live site or the spare holds ``rel`` with ``digest``,
        so that placing it will need no bytes."""
        for files in (self.live_files, self.spare_files):
            state = files.get(rel) if files is not None else None
            if state is not None and state[0] == digest:
                return True
        return False

    # -- placing files (also run in worker processes; they report back through ``absorb``) --

    def needs_bytes(self, rel: str, digest: bytes) -> bool:
        """Whether placing ``rel`` with ``digest`` needs its bytes (else a copy on disk has them)."""
        live = self.live_files.get(rel) if self.live_files is not None else None
        work = self.files.get(rel)
        return not ((live is not None and live[0] == digest) or (work is not None and work[0] == digest))

    def place(self, rel: str, digest: bytes, data: bytes | None) -> tuple[str, tuple, list[str]]:
        """Make the staging folder's ``rel`` hold the bytes with ``digest``.

        Returns (outcome, new file state, folders touched); outcome is 'unchanged'
        (the live site's file, linked) or 'written'.
        """
        work = self.files.get(rel)
        live_files = self.live_files
        recorded = live_files.get(rel) if live_files is not None else None
        live = recorded if recorded is not None and recorded[0] == digest else None
        if live is not None and work is not None and work[3] == live[3]:
            return "unchanged", live, []  # the live site's very file is already there: most files of an edit's build
        output.check_relative(rel)
        base = str(self.dir)
        target = f"{base}/{rel}"
        touched = self._parents(rel)
        if live_files is None:
            live = self._unrecorded_live_state(rel, digest)
        if work is not None and work[0] is None:  # a folder of the previous output: now a file
            shutil.rmtree(target)
            work = None
        if live is not None:
            if work is None or work[3] != live[3]:
                self._replace_with_link(f"{self.live}/{rel}", target, exists=work is not None)
                touched.append(_parent(rel))
            state, outcome = live, "unchanged"
        elif work is not None and work[0] == digest:
            os.utime(target)  # new to visitors: a new modification time, though the spare had these bytes
            state, outcome = file_state(target, digest), "written"
        else:
            if data is None:
                raise ValueError(f"{rel}: bytes needed")
            self._write(target, data, exists=work is not None)
            touched.append(_parent(rel))
            state, outcome = file_state(target, digest), "written"
        return outcome, state, touched

    def _unrecorded_live_state(self, rel: str, digest: bytes) -> tuple | None:
        """The state of the file ``rel`` of a live site the cache does not know, if it holds ``digest``."""
        path = f"{self.live}/{rel}"  # compare its bytes
        try:
            info = os.lstat(path)
            if not stat_module.S_ISREG(info.st_mode):
                return None
            with open(path, "rb") as handle:
                if digest_bytes(handle.read()) != digest:
                    return None
        except OSError:
            return None
        return (digest, info.st_size, info.st_mtime_ns, info.st_ino)

    def _parents(self, rel: str) -> list[str]:
        """Create the folders ``rel`` needs; return the folders whose entries changed."""
        made = []
        parts = rel.split("/")[:-1]
        for depth in range(1, len(parts) + 1):
            folder = "/".join(parts[:depth])
            known = self.files.get(folder)
            if known is not None and known[0] is None:
                continue
            if known is not None:  # a file of the previous output: now a folder
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(f"{self.dir}/{folder}")
            with contextlib.suppress(FileExistsError):  # another worker made it
                os.mkdir(f"{self.dir}/{folder}")
                made.append(_parent(folder))
            self.files[folder] = (None, 0, 0, 0)  # stat taken when the build is done
            made.append(folder)
        return made

    @staticmethod
    def _write(target: str, data: bytes, exists: bool) -> None:
        # A file already there may be a hard link to the live site's: never open it for
        # writing; a new file is renamed over it.
        temporary = _temporary(target) if exists else target
        try:
            with open(temporary, "xb") as handle:
                handle.write(data)
        except OSError as exc:
            if exc.filename is None:  # a full disk, found by write(): say where
                exc.filename = target
            raise
        if exists:
            os.replace(temporary, target)

    @staticmethod
    def _replace_with_link(source: str, target: str, exists: bool) -> None:
        if not exists:
            os.link(source, target)
            return
        temporary = _temporary(target)
        os.link(source, temporary)
        os.replace(temporary, target)

    def absorb(self, rel: str, outcome: str, state: tuple, touched: list[str]) -> None:
        """Record a file placed (here or in a worker process)."""
        for folder in touched:
            known = self.files.get(folder)
            if known is None or known[0] is not None:
                self.files[folder] = (None, 0, 0, 0)  # stat taken when the build is done
        self.files[rel] = state
        self.placed.add(rel)
        self.touched.update(touched)
        if outcome == "unchanged":
            self.kept += 1
        else:
            self.rewrote += 1
            self.renewed.add(rel)

    # -- for the steps that write a few files themselves ----------------------------------

    @property
    def written(self) -> set[str]:
        """Output paths placed so far."""
        return self.placed

    def target(self, rel: str) -> Path:
        return self.dir / output.check_relative(rel)

    def digest(self, rel: str) -> bytes:
        return self.files[rel][0]

    def write(self, rel: str, data: bytes) -> None:
        self.absorb(rel, *self.place(rel, digest_bytes(data), data))

    def copy(self, rel: str, source: Path) -> None:
        """Place a copy of ``source``; it is read only when no copy on disk has its bytes."""
        digest = self.digest_of(source)
        if digest is not None and not self.needs_bytes(rel, digest):
            self.absorb(rel, *self.place(rel, digest, None))
        else:
            self.write(rel, source.read_bytes())

    # -- finishing --------------------------------------------------------------------------

    def finish(self) -> dict[str, tuple]:
        """Mark the folder as parkpress's, remove what this build did not place; return the staging folder's new record."""
        self.write(output.MARKER, output.MARKER_TEXT)
        base = str(self.dir)
        needed = {""}
        for rel in self.placed:
            parts = rel.split("/")[:-1]
            needed.update("/".join(parts[:depth]) for depth in range(1, len(parts) + 1))
        for rel, state in list(self.files.items()):
            if state[0] is not None and rel not in self.placed:
                with contextlib.suppress(FileNotFoundError):  # gone with a folder that became a file
                    os.unlink(f"{base}/{rel}")
                del self.files[rel]
                self.touched.add(_parent(rel))
        for rel in sorted((r for r, s in self.files.items() if s[0] is None and r not in needed), key=len, reverse=True):
            with contextlib.suppress(FileNotFoundError):
                os.rmdir(f"{base}/{rel}")
            del self.files[rel]
            self.touched.add(_parent(rel))
        if self.mirror is not None:
            self._fill_mirror()
        return self.settle()

    def _fill_mirror(self) -> None:
        """Link every file into the spare made alongside.  Done once the pages are placed, not
        file by file while they are: two workers making folders in the same two trees slowed each
        other down (placing 4,000 pages of a large first build took a worker 1.4-1.7 s that way,
        0.85 s without the spare, which now costs 0.5-0.8 s here)."""
        base, mirror = str(self.dir), str(self.mirror)
        for rel in sorted(self.files):  # a folder before what is in it
            if not rel:
                continue
            if self.files[rel][0] is None:
                os.mkdir(f"{mirror}/{rel}")
            else:
                os.link(f"{base}/{rel}", f"{mirror}/{rel}")

    def catch_up(self, stale: set[str]) -> None:
        """After :meth:`begin` with a trusted spare: give it the live site's files where it differs
        (``stale``: the paths the last build wrote or removed), so that only what changes now is
        left to place; unlike :meth:`finish`, this looks at those paths only."""
        base = str(self.dir)
        gone = set()
        for rel in stale:
            state = self.live_files.get(rel)
            if state is not None:
                self.absorb(rel, *self.place(rel, state[0], None))
            elif rel in self.files:  # removed by the last build
                os.unlink(f"{base}/{rel}")
                del self.files[rel]
                gone.add(_parent(rel))
        for folder in sorted({up for rel in gone for up in _ancestors(rel)}, key=len, reverse=True):
            if folder not in self.live_files and folder in self.files:
                os.rmdir(f"{base}/{folder}")
                del self.files[folder]
                gone.add(_parent(folder))
        self.touched |= gone

    def settle(self) -> dict[str, tuple]:
        """The staging folder's record, with the folders whose entries changed looked at again."""
        base = str(self.dir)
        for rel in self.touched:
            if rel in self.files:
                self.files[rel] = folder_state(f"{base}/{rel}" if rel else base)
        return self.files

    def same_as_live(self) -> bool:
        """Whether the new output equals the live site, file for file."""
        if self.live_files is None:
            return False
        live = {rel: state[0] for rel, state in self.live_files.items() if state[0] is not None}
        return live == {rel: state[0] for rel, state in self.files.items() if state[0] is not None}

    def mirror_files(self) -> dict[str, tuple]:
        """The record of the spare made alongside (same files, its own folders)."""
        base = str(self.mirror)
        return {rel: state if state[0] is not None else folder_state(f"{base}/{rel}" if rel else base) for rel, state in self.files.items()}

    def swap(self) -> None:
        """Swap the staging folder in; the retired site becomes the spare (unless one was made alongside).

        Publishing never half-fails: when the retired site cannot be put away, the swap is
        undone and the error raised, so the old site is live again and the new one is the
        staging folder, which the caller discards.
        """
        if self.live.is_symlink():
            raise output.UnsafePath(f"{self.live} is a symbolic link; parkpress replaces the output folder and won't follow it")
        if not self.live.exists():
            os.rename(self.dir, self.live)  # one step: it happens, or nothing moved
            return
        if output.exchange(self.dir, self.live):
            retired, undo = self.dir, lambda: output.exchange(self.dir, self.live)
        else:
            retired = output.retired(self.live)
            os.rename(self.live, retired)
            undo = functools.partial(_swap_back, self.dir, self.live, retired)
            try:
                os.rename(self.dir, self.live)
            except OSError:
                os.rename(retired, self.live)
                raise
        if self.mirror is not None:
            # The new site is in place: what cannot be removed now, the next build removes (output.remove_leftovers).
            shutil.rmtree(retired, ignore_errors=True)
            return
        try:
            self.spare.parent.mkdir(parents=True, exist_ok=True)
            os.rename(retired, self.spare)
        except OSError:
            undo()
            raise

    def keep_as_spare(self) -> None:
        """Nothing to publish: the staging folder goes back to being the spare."""
        if self.mirror is not None:
            shutil.rmtree(self.dir)
        else:
            os.rename(self.dir, self.spare)

    def discard(self) -> None:
        """A failed build: remove the staging folder (and a half-made spare)."""
        shutil.rmtree(self.dir, ignore_errors=True)
        if self.mirror is not None:
            shutil.rmtree(self.mirror, ignore_errors=True)


def _temporary(target: str) -> str:
    """A name beside ``target`` for its next version, as short as can be: ``target`` plus a suffix
    would be too long for the file system when ``target``'s own name is nearly."""
    return f"{os.path.dirname(target)}/.{os.getpid()}.tmp"


def _swap_back(staging: Path, live: Path, retired: Path) -> None:
    """Undo a swap made with two renames: the new site back to ``staging``, the old one to ``live``."""
    os.rename(live, staging)
    os.rename(retired, live)


def _parent(rel: str) -> str:
    return rel.rpartition("/")[0]


def _ancestors(folder: str) -> list[str]:
    """'a/b/c' -> ['a/b/c', 'a/b', 'a']: a folder and those it is in, up to the top one."""
    parts = folder.split("/") if folder else []
    return ["/".join(parts[:depth]) for depth in range(len(parts), 0, -1)]
