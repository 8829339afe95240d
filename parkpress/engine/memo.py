"""Parsed documents and rendered Markdown, remembered between builds.

A Markdown file is parsed again only when its bytes change, and a body is rendered
again only when its text changes (see cache.py for where they are kept).  Both are
keyed by content, so a renamed file or a reverted edit finds its earlier result.
Values stay pickled until a build asks for them; what a build does not ask for is
dropped when the cache is saved, so the cache holds one site's worth.  Each is sealed
(core/sealed.py): one whose seal fails is parsed or rendered again, and stored anew.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from zoneinfo import ZoneInfo

from parkpress.content.markup import MarkdownConverter, Rendered
from parkpress.content.model import Content, Document
from parkpress.content.readers import read_document
from parkpress.content.sources import SourceFile
from parkpress.core import parallel, sealed
from parkpress.core.problems import Problems
from parkpress.engine.snapshot import Snapshot, digest_bytes


class Documents:
    """A caching stand-in for readers.read_document (see content.load_content's ``read``)."""

    def __init__(self, stored: dict[bytes, bytes], snapshot: Snapshot, root_prefix: str):
        self.stored = stored
        self.used: dict[bytes, bytes] = {}  # found in the cache and whole, still pickled
        self.parsed: dict[bytes, tuple[Document, list]] = {}  # read from their files; pickled when the cache is saved
        self.snapshot = snapshot
        self.root_prefix = root_prefix  # the project folder as a string ending in '/'

    def read(self, source: SourceFile, zone: ZoneInfo, problems: Problems) -> Document | None:
        rel = self._rel(source)
        record = self.snapshot.files.get(rel)
        if record is not None and not record.racy:  # the snapshot read it; no need to read it again
            found = self._recall(self._key(rel, record.digest, zone), problems)
            if found is not None:
                return found
        try:
            data = source.path.read_bytes()
        except OSError:
            return read_document(source, zone, problems)  # it says what went wrong
        key = self._key(rel, digest_bytes(data), zone)
        found = self._recall(key, problems)
        if found is not None:
            return found
        if key in self.parsed:  # read ahead (prefetch)
            doc, found_problems = self.parsed[key]
            problems.items.extend(found_problems)
            return doc
        own = Problems(problems.root)
        doc = read_document(source, zone, own, data)
        problems.items.extend(own.items)
        if doc is not None and not own.errors:
            self.parsed[key] = _READ[key] = (doc, own.items)
        return doc

    def prefetch(self, sources: list[SourceFile], zone: ZoneInfo, converter: MarkdownConverter, renders: Renders) -> None:
        """Read the files the cache does not know and render their Markdown, on all cores: in
        a first build, reading a large site's front matter took a third as long as rendering
        it, on one core.  A file that gives errors is left to :meth:`read`, which reports them."""
        missing = []
        for source in sources:
            rel = self._rel(source)
            record = self.snapshot.files.get(rel)
            key = self._key(rel, record.digest, zone) if record is not None else None
            if key is None or not (key in self.stored or key in self.used):  # as read() finds it
                missing.append(source)
        if len(missing) < parallel.WORTH_FORKING:
            return  # read() reads the few left as they come

        def read(chunk: list[SourceFile]) -> list[tuple[bytes, Document, list, Rendered]]:
            done = []
            for source in chunk:
                try:
                    data = source.path.read_bytes()
                except OSError:
                    continue
                own = Problems(Path(self.root_prefix))
                doc = read_document(source, zone, own, data)
                if doc is not None and not own.errors:
                    doc.meta_digest, doc.outline_digest, doc.body_key  # noqa: B018 (cached, worked out here rather than in the parent)
                    key = self._key(self._rel(source), digest_bytes(data), zone)
                    done.append((key, doc, own.items, converter.convert(doc.body, doc.base_dir)))
            return done

        for key, doc, found, rendered in parallel.fork_map(read, missing, chunk=16):
            self.parsed[key] = _READ[key] = (doc, found)
            renders[doc.body_key] = rendered

    def to_store(self) -> dict[bytes, bytes]:
        """What to keep: every document this build read.  Pickled only now, not while the
        pages are planned and rendered, when a cold build of a large site is at its largest."""
        kept = dict(self.used)
        kept.update((key, sealed.pickled(value)) for key, value in self.parsed.items())
        return kept

    def _rel(self, source: SourceFile) -> str:
        path = source.file
        return path.removeprefix(self.root_prefix) if path.startswith(self.root_prefix) else path

    @staticmethod
    def _key(rel: str, digest: bytes, zone: ZoneInfo) -> bytes:
        # The file's place decides its section, key and language; the zone its dates.
        return hashlib.blake2b(f"{rel}\0{zone.key}\0".encode() + digest, digest_size=16).digest()

    def _recall(self, key: bytes, problems: Problems) -> Document | None:
        value = self.used.get(key) or self.stored.get(key)
        if value is None:
            return None
        known = _READ.get(key)
        if known is None:
            known = sealed.unpickled(value, ("docs", key))
            if known is None:
                return None
            _READ[key] = known
        doc, found = known
        self.used[key] = value
        problems.items.extend(found)
        return doc


# Documents unpickled in this process, by key.  The key is made from the file's bytes, so a
# document found here is the one the cache holds.  A long-lived `serve` rebuilding after every
# edit would otherwise unpickle every document of the site each time.
_READ: dict[bytes, tuple[Document, list]] = {}


class Renders(dict):
    """Rendered Markdown by render key: the dict body.Bodies caches in, filled from the cache file."""

    def __init__(self, stored: dict[str, bytes], settings: str):
        super().__init__()
        self.stored = stored
        self.prefix = settings + ":"  # rendering options (raw HTML allowed or not) are part of the key
        self.current: set[str] = set()  # render keys of the site's bodies now (see prerender)
        self.damaged: set[str] = set()  # render keys whose stored value was damaged: rendered again, stored anew

    def get(self, key: str, default=None) -> Rendered | None:
        found = super().get(key)
        if found is None:
            value = self.stored.get(self.prefix + key)
            if value is None or key in self.damaged:
                return default
            found = sealed.unpickled(value, ("markdown", self.prefix + key))
            if found is None:
                self.damaged.add(key)
                return default
            super().__setitem__(key, found)
        return found

    def __contains__(self, key) -> bool:
        return super().__contains__(key) or ((self.prefix + key) in self.stored and key not in self.damaged)

    def __getitem__(self, key: str) -> Rendered:
        found = self.get(key)
        if found is None:
            raise KeyError(key)
        return found

    def to_store(self, release: bool = False) -> dict[str, bytes]:
        """What to keep: the site's bodies now, and anything else this build rendered.

        A build that plans only some pages does not look at the other bodies; they are
        kept, still pickled, because they are the site's.  ``release``: forget each body
        once pickled (a build that ends now), so that a large site's bodies are not in
        memory twice.
        """
        kept = {}
        for key in self.current | self.keys():
            if key not in self:  # a body no page showed, so never rendered
                continue
            old = self.stored.get(self.prefix + key) if key not in self.damaged else None
            kept[self.prefix + key] = old if old is not None else sealed.pickled(self[key])
            if release:
                dict.pop(self, key, None)
        return kept

    def prerender(self, content: Content, converter: MarkdownConverter) -> None:
        """Render every body not rendered before, spread over the processor's cores."""
        missing: dict[str, Document] = {}
        for doc in content.documents():
            key = doc.body_key
            self.current.add(key)
            if key not in missing and key not in self:  # not unpickled: a build may need only a few
                missing[key] = doc
        if len(missing) < parallel.WORTH_FORKING:
            return  # the planner renders the few left as it goes

        def convert(keys: list[str]) -> list[tuple[str, Rendered]]:
            return [(key, converter.convert(missing[key].body, missing[key].base_dir)) for key in keys]

        for key, rendered in parallel.fork_map(convert, list(missing), chunk=16):
            self[key] = rendered
