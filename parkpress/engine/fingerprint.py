"""A page's fingerprint: one digest of everything its bytes are made from.

A planned page is plain data (planner.py): its template, its language and its
context determine its bytes, given the template files, the language's catalog,
the configuration and the code (parkpress and the libraries it uses).  The
fingerprint hashes all of that, so a page whose fingerprint is the one recorded
with its bytes need not be rendered again.

The context is hashed through pickle, which walks any mix of dicts, tuples and
frozen dataclasses.  Cards (a news item's or a park's) appear on dozens of pages;
each is pickled once per build and referred to by its digest after that.  Meeting
every card on the way, the fingerprinter also notes which cards a page shows, which
is what an edit of a card's fields changes (replan.py).  A
context that cannot be pickled gets no fingerprint: its page is always rendered.
Two equal contexts may still pickle differently (sets order their items by hash,
which changes between processes); that costs a needless render, never a wrong page,
because the rendered bytes are compared before anything is written.
"""

from __future__ import annotations

import hashlib
import io
import pickle

from parkpress.engine.snapshot import digest_bytes


def _by_digest(digest: bytes) -> None:
    """Stands in for a shared object in a fingerprint's pickle; never called."""


class _Pickler(pickle.Pickler):
    def __init__(self, buffer, owner: Fingerprinter, top: object):
        super().__init__(buffer, protocol=pickle.HIGHEST_PROTOCOL)
        self.owner, self.top = owner, top

    def reducer_override(self, obj):
        kind = self.owner.shared.get(type(obj))
        if kind is None or obj is self.top:
            return NotImplemented
        self.owner.shown.add((kind, obj.key))
        return _by_digest, (self.owner.digest(obj),)


class Fingerprinter:
    """Fingerprints for the pages of one build; ``base`` covers templates, configuration and code.

    ``shared``: the types whose instances are hashed once and referred to by digest, with
    the kind of card each is; an instance has a ``key``.  ``shown`` holds (kind, key) of
    those the last fingerprinted page contains.
    """

    def __init__(self, base: bytes, catalogs: dict[str | None, bytes], shared: dict[type, str] | None = None):
        self.base = base
        self.catalogs = catalogs
        self.shared = shared or {}
        self.shown: set[tuple[str, str]] = set()
        self.memo: dict[int, tuple[object, bytes]] = {}  # id -> (the object, kept alive so the id stays its; digest)

    def digest(self, obj: object) -> bytes:
        known = self.memo.get(id(obj))
        if known is None or known[0] is not obj:
            buffer = io.BytesIO()
            _Pickler(buffer, self, obj).dump(obj)
            known = self.memo[id(obj)] = (obj, digest_bytes(buffer.getvalue()))
        return known[1]

    def page(self, template: str, lang: str | None, context: dict) -> bytes | None:
        self.shown = set()
        buffer = io.BytesIO()
        try:
            _Pickler(buffer, self, None).dump(context)
        except (pickle.PicklingError, TypeError, AttributeError, RecursionError):
            return None
        head = f"{template}\0{lang}\0".encode()
        return hashlib.blake2b(self.base + self.catalogs[lang] + head + buffer.getvalue(), digest_size=16).digest()
