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

SQLite writes a build's changes in one transaction, so a killed build leaves the
previous state.  Anything unexpected (another parkpress version or cache format,
other code, an unreadable or corrupt file) empties the cache: the build is then a
clean one, never a wrong one.  Every value is a pickle made by this very code.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

import parkpress
from parkpress.engine.snapshot import Record
from parkpress.search.live import INDEX_FILE

FORMAT = 7
FILE = "build.sqlite"

_SCHEMA = """
CREATE TABLE meta (name TEXT PRIMARY KEY, value BLOB);
CREATE TABLE inputs (rel TEXT PRIMARY KEY, size INTEGER, mtime_ns INTEGER, digest BLOB, racy INTEGER);
CREATE TABLE docs (key BLOB PRIMARY KEY, value BLOB);
CREATE TABLE markdown (key TEXT PRIMARY KEY, value BLOB);
CREATE TABLE pages (path TEXT PRIMARY KEY, fingerprint BLOB, digest BLOB, missed TEXT);
CREATE TABLE plan (name TEXT PRIMARY KEY, value BLOB);
CREATE TABLE search (key BLOB PRIMARY KEY, value BLOB);
CREATE TABLE trees (dev INTEGER, ino INTEGER, value BLOB, PRIMARY KEY (dev, ino));
"""


@dataclass
class Tree:
    """One output folder as the cache knows it: path -> file state, and what it was built from."""

    files: dict[str, tuple]  # rel -> (digest, size, mtime_ns, inode); folders: (None, 0, mtime_ns, inode)
    built_from: bytes | None = None  # the input snapshot's digest; None: a copy being brought up to date
    report: object = None  # what the build that made it reported, for a build that finds nothing to do


@dataclass
class Loaded:
    inputs: dict = field(default_factory=dict)
    docs: dict = field(default_factory=dict)
    markdown: dict = field(default_factory=dict)
    pages: dict = field(default_factory=dict)  # path -> (fingerprint, digest, msgids missed)
    trees: dict = field(default_factory=dict)  # (dev, ino) -> Tree
    plan: object = None  # replan.PlanRecord of the last build
    search: dict = field(default_factory=dict)


class BuildCache:
    def __init__(self, folder: Path):
        self.folder = folder
        self.path = folder / FILE
        self.db: sqlite3.Connection | None = None
        self.loaded = Loaded()
        self.work_loaded = False
        self.fresh = False  # made anew by this object, and not saved to yet (see _reset)
        self.version = f"parkpress {parkpress.__version__} cache {FORMAT}"

    def open(self) -> Loaded:
        """Load everything; an unusable cache, or one of another version, is emptied."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            self._connect()
            if self._meta("version") == self.version.encode():
                kept = _KEPT.get(self.path)
                if kept is not None and kept[0] == self._meta("generation"):
                    self.loaded, self.work_loaded = kept[1], True
                else:
                    self.loaded = self._load()
                return self.loaded
        except (sqlite3.DatabaseError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
            pass
        self._reset(b"")
        return self.loaded

    def require(self, environment: bytes) -> Loaded:
        """Empty the cache unless it was made by this very code and these libraries."""
        if self._meta("environment") != environment:
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
        return bytes(row[0]) if row else None

    def _reset(self, environment: bytes) -> None:
        self.close()
        stale = [Path(str(self.path) + suffix) for suffix in ("", "-wal", "-shm", "-journal")]
        for path in [*stale, *self.folder.glob(INDEX_FILE.format("*") + "*")]:  # with any a killed build left half written
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
        # A new cache gets a whole site in its first transaction (136 MB for the large benchmark),
        # which WAL writes twice, to the log and then into the database: 0.84 s instead of 0.47.
        # A rollback journal only notes the pages a transaction changes, and an empty database
        # has none; save() turns WAL on once that transaction is done.
        self._connect(journal="DELETE")
        self.fresh = True
        self.db.executescript(_SCHEMA)
        self.db.execute("INSERT INTO meta VALUES ('version', ?), ('environment', ?)", (self.version.encode(), environment))
        self.loaded = Loaded()
        self.work_loaded = True  # empty, and known to be

    def _load(self) -> Loaded:
        """The input snapshot and the output folders: enough to tell whether there is anything to do."""
        db, loads = self.db, pickle.loads
        loaded = Loaded()
        rows = db.execute("SELECT * FROM inputs")
        loaded.inputs = {rel: Record(size, mtime, bytes(digest), bool(racy)) for rel, size, mtime, digest, racy in rows}
        for dev, ino, value in db.execute("SELECT * FROM trees"):
            files, built_from, report = loads(value)
            loaded.trees[(dev, ino)] = Tree(files, built_from, report)
        return loaded

    def load_work(self) -> Loaded:
        """Documents, rendered Markdown and page records: what a build that has work to do needs."""
        if self.work_loaded:
            return self.loaded
        db, loaded = self.db, self.loaded
        loaded.docs = {bytes(key): value for key, value in db.execute("SELECT key, value FROM docs")}  # unpickled on use
        loaded.markdown = dict(db.execute("SELECT key, value FROM markdown"))
        rows = db.execute("SELECT * FROM pages")
        loaded.pages = {path: (bytes(fp), bytes(digest), _msgids(missed)) for path, fp, digest, missed in rows}
        loaded.search = {bytes(key): bytes(value) for key, value in db.execute("SELECT key, value FROM search")}
        row = db.execute("SELECT value FROM plan WHERE name = 'last'").fetchone()
        loaded.plan = pickle.loads(row[0]) if row else None
        self.work_loaded = True
        return loaded

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
        """Write what changed since loading, in one transaction; None: left as it is."""
        db, old = self.db, self.loaded
        db.execute("BEGIN IMMEDIATE")
        try:
            _sync(db, "inputs", ("rel",), old.inputs, inputs, lambda r: (r.size, r.mtime_ns, r.digest, int(r.racy)))
            tables = (
                ("docs", old.docs, docs),
                ("markdown", old.markdown, markdown),
                ("pages", old.pages, pages),
                ("search", old.search, search),
            )
            for table, before, after in tables:
                if after is not None:
                    if not self.work_loaded:
                        raise ValueError(f"{table}: not loaded, so its changes are unknown")
                    columns = _page_columns if table == "pages" else lambda v: v
                    _sync(db, table, ("key",) if table != "pages" else ("path",), before, after, columns)
            self._save_trees(trees)
            if plan is not None:
                db.execute("INSERT OR REPLACE INTO plan VALUES ('last', ?)", (pickle.dumps(plan, protocol=pickle.HIGHEST_PROTOCOL),))
            generation = os.urandom(16)
            db.execute("INSERT OR REPLACE INTO meta VALUES ('generation', ?)", (generation,))
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
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
                value = pickle.dumps((tree.files, tree.built_from, tree.report), protocol=pickle.HIGHEST_PROTOCOL)
                db.execute("INSERT OR REPLACE INTO trees VALUES (?, ?, ?)", (*ident, value))

    def close(self) -> None:
        if self.db is not None:
            self.db.close()
            self.db = None


# What this process last saved, per cache file, with the generation it wrote: while the file
# still holds that generation (no other process saved since), the next build in this process
# (`serve` rebuilding after an edit) takes it from here instead of reading the file again.
# Builds treat what they load as read-only.
_KEPT: dict[Path, tuple[bytes, Loaded]] = {}


def _sync(db: sqlite3.Connection, table: str, key: tuple[str, ...], old: dict, new: dict, columns) -> None:
    where = " AND ".join(f"{k} = ?" for k in key)
    db.executemany(f"DELETE FROM {table} WHERE {where}", [(k,) for k in old.keys() - new.keys()])
    rows = [(k, *_tuple(columns(v))) for k, v in new.items() if k not in old or old[k] != v]
    if rows:
        db.executemany(f"INSERT OR REPLACE INTO {table} VALUES ({', '.join('?' * len(rows[0]))})", rows)


def _page_columns(record: tuple[bytes, bytes, tuple[str, ...]]) -> tuple[bytes, bytes, str]:
    fingerprint, digest, missed = record
    return fingerprint, digest, "\0".join(missed)  # a msgid holds no NUL: gettext's .mo format ends strings with it


def _msgids(column: str) -> tuple[str, ...]:
    return tuple(column.split("\0")) if column else ()


def _tuple(value) -> tuple:
    return value if isinstance(value, tuple) else (value,)
