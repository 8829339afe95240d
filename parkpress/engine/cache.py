"""The build cache in <project>/.parkpress-cache/build.sqlite: what the last builds knew.

* inputs    the snapshot of every input file (size, mtime, digest), see snapshot.py
* docs      parsed Markdown files (typed front matter, body, the warnings they gave), by content
* markdown  rendered Markdown, by the digest of its text
* pages     per output path: the fingerprint of everything it was built from, its bytes' digest,
            and the msgids it looked up that its language's catalogs do not translate (so that a
            page placed unrendered still counts in what a build reports untranslated)
* search    documents analysed for the search index (search.SearchMemo), by what they are made of
* plan      what the last build planned (replan.PlanRecord), so the next one plans less
* trees     per output folder (live site and spare copy, told apart by inode): each file's
            digest and stat, and what the folder was built from (one value a folder: read
            and written whole, which is quicker than a row a file)

Beside it, per locale, the search index as liveindex.LiveIndex exported it, for the next
build to update (``search-<locale>.index``, see search/live.py: read_index).

The cache is disposable by construction.  Every value is sealed (core/sealed.py) and every
row of inputs and pages carries a seal of its own: an entry whose seal does not hold is a
miss, done again and counted, and the build says how many once.  SQLite writes a build's
changes in one transaction, so a killed build leaves the previous state.  A file SQLite
finds damaged, or that is not this code's database, is deleted and made anew (a warning);
one of another parkpress version or cache format is emptied without one.  What the
computer refuses (a full disk, a read-only file, an I/O error) stops the build with what
to do: the site stays as it was, and nothing is deleted.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

import parkpress
from parkpress.core import sealed
from parkpress.core.problems import BuildFailed, Problem
from parkpress.engine.snapshot import Record
from parkpress.search.live import INDEX_FILE

FORMAT = 8
FILE = "build.sqlite"

_SCHEMA = """
CREATE TABLE meta (name TEXT PRIMARY KEY, value BLOB);
CREATE TABLE inputs (rel TEXT PRIMARY KEY, size INTEGER, mtime_ns INTEGER, digest BLOB, racy INTEGER, seal BLOB);
CREATE TABLE docs (key BLOB PRIMARY KEY, value BLOB);
CREATE TABLE markdown (key TEXT PRIMARY KEY, value BLOB);
CREATE TABLE pages (path TEXT PRIMARY KEY, fingerprint BLOB, digest BLOB, missed TEXT, seal BLOB);
CREATE TABLE plan (name TEXT PRIMARY KEY, value BLOB);
CREATE TABLE search (key BLOB PRIMARY KEY, value BLOB);
CREATE TABLE trees (dev INTEGER, ino INTEGER, value BLOB, PRIMARY KEY (dev, ino));
"""

# SQLite's primary result codes for a file that is not (or no longer) a database this code
# wrote: damaged pages, another program's file, a schema it does not have.  Such a cache is
# deleted and made anew.  Any other code is the computer refusing (see _FAULTS).
_DAMAGE = {
    sqlite3.SQLITE_CORRUPT,
    sqlite3.SQLITE_NOTADB,
    sqlite3.SQLITE_ERROR,  # no such table, no such column
    sqlite3.SQLITE_FORMAT,
    sqlite3.SQLITE_SCHEMA,
    sqlite3.SQLITE_MISMATCH,
    sqlite3.SQLITE_CONSTRAINT,  # a damaged index
    sqlite3.SQLITE_RANGE,
}
_WRITABLE = "make {folder}/ and the files in it writable for the user who runs parkpress (or delete {folder}/), then run again"
_FAULTS = {
    sqlite3.SQLITE_FULL: "the disk is full; free some space, then run again",
    sqlite3.SQLITE_READONLY: "cannot be written (a read-only file or file system); " + _WRITABLE,
    sqlite3.SQLITE_PERM: "cannot be written (permission denied); " + _WRITABLE,
    sqlite3.SQLITE_AUTH: "cannot be written (permission denied); " + _WRITABLE,
    sqlite3.SQLITE_CANTOPEN: "cannot be opened (no permission, or not a file); " + _WRITABLE,
    sqlite3.SQLITE_IOERR: "input/output error ({name}): the disk or its connection failed; check the disk, then run again",
    sqlite3.SQLITE_BUSY: "is in use by another program; let it finish, then run again",
    sqlite3.SQLITE_LOCKED: "is in use by another program; let it finish, then run again",
    sqlite3.SQLITE_NOMEM: "could not be read: out of memory; close other programs, then run again",
}


_UNWRITABLE = {sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM, sqlite3.SQLITE_CANTOPEN}


def _read_only(folder: Path) -> bool:
    """Whether ``folder`` lies on a file system mounted read-only."""
    try:
        return bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except OSError:
        return False


def _full(folder: Path) -> bool:
    """Whether the file system of ``folder`` has no block left for this user."""
    try:
        return os.statvfs(folder).f_bavail == 0
    except OSError:
        return False


@dataclass
class Tree:
    """One output folder as the cache knows it: path -> file state, and what it was built from."""

    files: dict[str, tuple]  # rel -> (digest, size, mtime_ns, inode); folders: (None, 0, mtime_ns, inode)
    built_from: bytes | None = None  # the input snapshot's digest; None: a copy being brought up to date
    report: object = None  # what the build that made it reported, for a build that finds nothing to do


@dataclass
class Loaded:
    inputs: dict = field(default_factory=dict)
    docs: dict = field(default_factory=dict)  # key -> sealed pickle, verified on use (memo.py)
    markdown: dict = field(default_factory=dict)  # key -> sealed pickle, verified on use
    pages: dict = field(default_factory=dict)  # path -> (fingerprint, digest, msgids missed)
    trees: dict = field(default_factory=dict)  # (dev, ino) -> Tree
    plan: object = None  # replan.PlanRecord of the last build
    search: dict = field(default_factory=dict)  # key -> sealed bytes, verified on use (search.SearchMemo)


class BuildCache:
    def __init__(self, folder: Path):
        self.folder = folder
        self.path = folder / FILE
        self.db: sqlite3.Connection | None = None
        self.loaded = Loaded()
        self.work_loaded = False
        self.fresh = False  # made anew by this object, and not saved to yet (see _reset)
        self.version = f"parkpress {parkpress.__version__} cache {FORMAT}"
        self.environment = b""  # what require() was given
        self.discarded: str | None = None  # why the file was found damaged and made anew, for the build to say
        self._unsealed: list[tuple[str, tuple]] = []  # (table, key) of rows whose seal failed: deleted when saving

    def open(self) -> Loaded:
        """Load everything; an unusable cache, or one of another version, is emptied."""
        self.folder.mkdir(parents=True, exist_ok=True)  # an OSError (a file in its place) is named by builder.build
        if _holds_data(self.path):  # else a first build: nothing to read, nothing damaged
            try:
                if self._opened():
                    return self.loaded
            except sqlite3.DatabaseError as exc:
                self._found_damaged(exc)
        self._reset(b"")
        return self.loaded

    def _opened(self) -> bool:
        """Whether the file is a cache of this version, now loaded."""
        self._connect()
        if self._meta("version") != self.version.encode():
            return False
        kept = _KEPT.get(self.path)
        if kept is not None and kept[0] == self._meta("generation"):
            self.loaded, self.work_loaded = kept[1], True
        else:
            self.loaded = self._load()
        return True

    def require(self, environment: bytes) -> Loaded:
        """Empty the cache unless it was made by this very code and these libraries."""
        self.environment = environment
        try:
            if self._meta("environment") == environment:
                return self.loaded
        except sqlite3.DatabaseError as exc:
            self._found_damaged(exc)
        self._reset(environment)
        return self.loaded

    def _connect(self, journal: str = "WAL") -> None:
        self.db = sqlite3.connect(self.path, isolation_level=None)
        # WAL with synchronous=NORMAL cannot corrupt the file when the machine dies; at
        # worst the last build's changes are lost, and the next build redoes them.
        self.db.execute(f"PRAGMA journal_mode={journal}")
        self.db.execute("PRAGMA synchronous=NORMAL")

    def _meta(self, name: str) -> bytes | None:
        row = self.db.execute("SELECT value FROM meta WHERE name = ?", (name,)).fetchone()
        return bytes(row[0]) if row and isinstance(row[0], bytes) else None

    def _found_damaged(self, exc: sqlite3.DatabaseError) -> None:
        """Note why the file is to be made anew; a fault of the computer's stops the build instead."""
        if getattr(exc, "sqlite_errorcode", -1) & 0xFF not in _DAMAGE:
            self._refuse_file(exc)
        self.discarded = str(exc)

    def _refuse_file(self, exc: sqlite3.DatabaseError) -> None:
        code, name = getattr(exc, "sqlite_errorcode", -1), getattr(exc, "sqlite_errorname", "unknown error")
        what = _FAULTS.get(code & 0xFF, f"cannot be used ({name}: {exc}); delete {{folder}}/, then run again")
        # SQLite names only its own step (opening the journal, sizing shared memory): the disk says why.
        if code & 0xFF in _UNWRITABLE and _read_only(self.folder):
            what = "the file system is read-only; make it writable, or build on another disk, then run again"
        elif code & 0xFF == sqlite3.SQLITE_IOERR and _full(self.folder):
            what = _FAULTS[sqlite3.SQLITE_FULL]
        self.close()
        raise BuildFailed([Problem(f"{self.folder.name}/{FILE}", 0, what.format(folder=self.folder.name, name=name))])

    def _reset(self, environment: bytes) -> None:
        self.close()
        stale = [Path(str(self.path) + suffix) for suffix in ("", "-wal", "-shm", "-journal")]
        for path in [*stale, *self.folder.glob(INDEX_FILE.format("*") + "*")]:  # with any a killed build left half written
            path.unlink(missing_ok=True)
        # A new cache gets a whole site in its first transaction (136 MB for the large benchmark),
        # which WAL writes twice, to the log and then into the database: 0.84 s instead of 0.47.
        # A rollback journal only notes the pages a transaction changes, and an empty database
        # has none; save() turns WAL on once that transaction is done.
        try:
            self._connect(journal="DELETE")
            self.db.executescript(_SCHEMA)
            self.db.execute("INSERT INTO meta VALUES ('version', ?), ('environment', ?)", (self.version.encode(), environment))
        except sqlite3.DatabaseError as exc:
            self._refuse_file(exc)  # a file made just now: whatever goes wrong is the computer's
        self.fresh = True
        self.loaded = Loaded()
        self.work_loaded = True  # empty, and known to be
        self._unsealed = []

    def _load(self) -> Loaded:
        """The input snapshot and the output folders: enough to tell whether there is anything to do."""
        loaded = Loaded()
        for rel, size, mtime, digest, racy, seal in self.db.execute("SELECT * FROM inputs"):
            if seal == _input_seal(rel, size, mtime, digest, racy):
                loaded.inputs[rel] = Record(size, mtime, digest, bool(racy))
            else:
                self._unseal("inputs", (rel,))
        for dev, ino, value in self.db.execute("SELECT * FROM trees"):
            found = sealed.unpickled(value, ("trees", dev, ino))
            if found is None:  # noted as damaged: the folder is one the cache does not know
                self._unsealed.append(("trees", (dev, ino)))
            else:
                loaded.trees[(dev, ino)] = Tree(*found)
        return loaded

    def _unseal(self, table: str, key: tuple) -> None:
        sealed.damaged((table, *key))
        self._unsealed.append((table, key))

    def load_work(self) -> Loaded:
        """Documents, rendered Markdown and page records: what a build that has work to do needs."""
        if self.work_loaded:
            return self.loaded
        try:
            self._load_work()
        except sqlite3.DatabaseError as exc:
            self._found_damaged(exc)
            self._reset(self.environment)
        return self.loaded

    def _load_work(self) -> None:
        db, loaded = self.db, self.loaded
        loaded.docs = dict(db.execute("SELECT key, value FROM docs"))  # verified and unpickled on use
        loaded.markdown = dict(db.execute("SELECT key, value FROM markdown"))
        for path, fingerprint, digest, missed, seal in db.execute("SELECT * FROM pages"):
            if seal == _page_seal(path, fingerprint, digest, missed):
                loaded.pages[path] = (fingerprint, digest, _msgids(missed))
            else:
                self._unseal("pages", (path,))
        loaded.search = dict(db.execute("SELECT key, value FROM search"))
        row = db.execute("SELECT value FROM plan WHERE name = 'last'").fetchone()
        loaded.plan = sealed.unpickled(row[0], ("plan",)) if row else None
        self.work_loaded = True

    def save(
        self,
        inputs: dict,
        trees: dict,
        docs: dict | None = None,
        markdown: dict | None = None,
        pages: dict | None = None,
        plan=None,
        search: dict | None = None,
    ) -> None:
        """Write what changed since loading, in one transaction; None: left as it is.

        A file found damaged only now is made anew, and given everything."""
        try:
            self._save(inputs, trees, docs, markdown, pages, plan, search)
        except sqlite3.DatabaseError as exc:
            self._found_damaged(exc)
            self._reset(self.environment)
            try:
                self._save(inputs, trees, docs, markdown, pages, plan, search)
            except sqlite3.DatabaseError as again:
                self._refuse_file(again)

    def _save(self, inputs, trees, docs, markdown, pages, plan, search) -> None:
        db, old = self.db, self.loaded
        db.execute("BEGIN IMMEDIATE")
        try:
            for table, key in self._unsealed:
                where = " AND ".join(f"{column} = ?" for column in _KEYS[table])
                db.execute(f"DELETE FROM {table} WHERE {where}", key)
            _sync(db, "inputs", old.inputs, inputs, _input_columns)
            tables = (
                ("docs", old.docs, docs, None),
                ("markdown", old.markdown, markdown, None),
                ("pages", old.pages, pages, _page_columns),
                ("search", old.search, search, None),
            )
            for table, before, after, columns in tables:
                if after is not None:
                    if not self.work_loaded:
                        raise ValueError(f"{table}: not loaded, so its changes are unknown")
                    _sync(db, table, before, after, columns)
            self._save_trees(trees)
            if plan is not None:
                db.execute("INSERT OR REPLACE INTO plan VALUES ('last', ?)", (sealed.pickled(plan),))
            generation = os.urandom(16)
            db.execute("INSERT OR REPLACE INTO meta VALUES ('generation', ?)", (generation,))
            db.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(sqlite3.Error):  # the first error is the one to tell
                db.execute("ROLLBACK")
            raise
        self._unsealed = []
        if self.fresh:
            db.execute("PRAGMA journal_mode=WAL")  # stays 'delete' while another process reads: the next build sets it
            self.fresh = False
        keep = lambda new, before: before if new is None else dict(new)  # noqa: E731
        self.loaded = Loaded(
            dict(inputs),
            keep(docs, old.docs),
            keep(markdown, old.markdown),
            keep(pages, old.pages),
            dict(trees),
            plan or old.plan,
            keep(search, old.search),
        )
        if self.work_loaded:
            _KEPT[self.path] = (generation, self.loaded)

    def _save_trees(self, trees: dict) -> None:
        db, old = self.db, self.loaded.trees
        for ident in old.keys() - trees.keys():
            db.execute("DELETE FROM trees WHERE dev = ? AND ino = ?", ident)
        for ident, tree in trees.items():
            before = old.get(ident)
            if before is None or (before.files, before.built_from, before.report) != (tree.files, tree.built_from, tree.report):
                value = sealed.pickled((tree.files, tree.built_from, tree.report))
                db.execute("INSERT OR REPLACE INTO trees VALUES (?, ?, ?)", (*ident, value))

    def close(self) -> None:
        if self.db is not None:
            self.db.close()
            self.db = None


def _holds_data(path: Path) -> bool:
    try:
        return path.stat().st_size > 0
    except FileNotFoundError:
        return False
    except OSError:
        return True  # SQLite says what is wrong with it


_KEYS = {"inputs": ("rel",), "docs": ("key",), "markdown": ("key",), "pages": ("path",), "search": ("key",), "trees": ("dev", "ino")}


def _input_columns(rel: str, record: Record) -> tuple:
    columns = (record.size, record.mtime_ns, record.digest, int(record.racy))
    return (*columns, _input_seal(rel, *columns))


def _input_seal(rel: str, size: int, mtime_ns: int, digest: bytes, racy: int) -> bytes:
    try:
        return sealed.tag(f"{rel}\0{size}\0{mtime_ns}\0{racy}\0".encode() + digest)
    except (TypeError, UnicodeEncodeError):  # a damaged row may come back with any types
        return b""  # no seal is empty


def _page_columns(path: str, record: tuple[bytes, bytes, tuple[str, ...]]) -> tuple:
    fingerprint, digest, missed = record
    columns = (fingerprint, digest, "\0".join(missed))  # a msgid holds no NUL: gettext's .mo format ends strings with it
    return (*columns, _page_seal(path, *columns))


def _page_seal(path: str, fingerprint: bytes, digest: bytes, missed: str) -> bytes:
    try:
        return sealed.tag(f"{path}\0{missed}\0".encode() + fingerprint + digest)  # both digests of a fixed size
    except (TypeError, UnicodeEncodeError):
        return b""


def _msgids(column: str) -> tuple[str, ...]:
    return tuple(column.split("\0")) if column else ()


# What this process last saved, per cache file, with the generation it wrote: while the file
# still holds that generation (no other process saved since), the next build in this process
# (`serve` rebuilding after an edit) takes it from here instead of reading the file again.
# Builds treat what they load as read-only.
_KEPT: dict[Path, tuple[bytes, Loaded]] = {}


def _sync(db: sqlite3.Connection, table: str, old: dict, new: dict, columns=None) -> None:
    """Write the rows of ``new`` that ``old`` lacks or has otherwise; ``columns(key, value)``: a row's
    other columns (without it, the value is the one other column)."""
    (key,) = _KEYS[table]
    db.executemany(f"DELETE FROM {table} WHERE {key} = ?", [(k,) for k in old.keys() - new.keys()])
    changed = [(k, v) for k, v in new.items() if k not in old or old[k] != v]
    rows = changed if columns is None else [(k, *columns(k, v)) for k, v in changed]
    if rows:
        db.executemany(f"INSERT OR REPLACE INTO {table} VALUES ({', '.join('?' * len(rows[0]))})", rows)
