"""Which pages an edit can have changed, so that a build plans those and not the whole site.

Planning every page of a large site costs seconds, while most edits change a news
item's text or its title.  The rule that keeps such a build exactly a clean one:

* The **outline** of the site is everything that decides which pages exist, what
  they list and in which order: the configuration, the park facts, the taxonomy,
  the catalogs, the templates, the content's other files, parkpress's code, and of
  every Markdown file everything but its body and its *card fields* (a news item's
  title, summary and source; a park's summary).  Dates, slugs, parks and industries
  of news items, park titles (which order the directory) and every field of a
  static page (menus) are outline.  When the outline changed, everything is planned.
* Otherwise only bodies and card fields changed.  A body is shown on its own page and
  indexed for search.  Card fields are shown on the item's own page, in the search
  index and the open data files, and through the item's card (views.NewsCard,
  ParkCard) on every page that shows the card: lists, feeds, neighbours, related
  items, park and industry pages.  Which pages show which card is recorded by the
  fingerprinter (it meets every card while hashing a page's context), and does not
  change while the outline does not.

A page not planned keeps its recorded fingerprint and bytes.  When any of them is
missing (a page the previous build could not fingerprint, a file gone from the
output) the build plans everything.  tests/test_incremental.py compares incremental
builds with clean ones after random edits.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from parkpress.content.model import Content, Document
from parkpress.core.problems import Problem
from parkpress.engine.snapshot import Snapshot
from parkpress.render.planner import Slot
from parkpress.site.body import Bodies

CARD_KINDS = {"news": "news", "parks": "park"}  # section -> the kind of card its items have
OWN_PAGE = {"news": "news-item", "parks": "park", "pages": "page"}  # section -> the ident of an item's page
SEARCH_INDEX = ("search-index",)
DATA_FILES = (("data", "parks.json"), ("data", "parks.csv"), ("data", "news.json"))
IGNORED_INPUTS = ("static/",)  # copied as they are; no page's context depends on them


class DocState(NamedTuple):
    """What a Markdown file gives the pages beyond the outline (a named tuple: thousands are
    made and unpickled by every edit's build)."""

    meta: bytes  # digest of its front matter and where its body starts
    body: str  # the body's render key (Document.body_key)


@dataclass
class PlanRecord:
    """What a build remembers of its plan, for the next build to plan less."""

    outline: bytes  # digest of the site's outline
    slots: list[Slot]  # every page of the site
    docs: dict[str, DocState]  # Markdown file -> its state
    assets: dict[str, tuple[str, ...]]  # Markdown file -> the files its body uses
    shown_on: dict[tuple, set[tuple]] = field(default_factory=dict)  # (lang, card kind, key) -> idents of pages showing it
    unfingerprinted: set[tuple] = field(default_factory=set)  # (lang, ident) of pages planned on every build
    warnings: list[Problem] = field(default_factory=list)  # what planning warned about
    media: list[str] = field(default_factory=list)
    missed: dict[str, tuple[str, ...]] = field(default_factory=dict)  # lang -> msgids the views looked up, untranslated


def doc_states(docs: Iterable[Document]) -> dict[str, tuple[DocState, bytes]]:
    """Markdown file -> (its state, the digest of its share of the outline)."""
    return {doc.rel: (DocState(doc.meta_digest, doc.body_key), doc.outline_digest) for doc in docs}


def outline_digest(inputs: Snapshot, states: dict[str, tuple[DocState, bytes]], archive: bool) -> bytes:
    summary = hashlib.blake2b(inputs.environment + f"\0archive={archive}\0".encode(), digest_size=16)
    for rel in sorted(inputs.files):
        if rel not in states and not rel.startswith(IGNORED_INPUTS):
            summary.update(rel.encode("utf-8", "surrogateescape") + b"\0" + inputs.files[rel].digest)
    for rel in sorted(states):
        summary.update(rel.encode("utf-8", "surrogateescape") + b"\0" + states[rel][1])
    return summary.digest()


def affected(
    record: PlanRecord,
    outline: bytes,
    states: dict[str, tuple[DocState, bytes]],
    content: Content,
    bodies: Bodies,
    placeable: Callable[[str], bool],
) -> dict[str, frozenset[tuple]] | None:
    """lang -> idents of the pages to plan; None: plan everything.

    ``placeable(path)``: whether a page's recorded bytes can be placed without rendering it.
    """
    if outline != record.outline or states.keys() != record.docs.keys():
        return None
    by_rel = {doc.rel: doc for doc in content.documents()}
    only = reached(record, [(by_rel[rel], state) for rel, (state, _) in states.items() if state != record.docs[rel]], bodies)
    if only is None:
        return None
    for slot in record.slots:
        if slot.ident not in only.get(slot.lang, ()) and not placeable(slot.path):
            return None
    return only


def reached(record: PlanRecord, changed: list[tuple[Document, DocState]], bodies: Bodies) -> dict[str, frozenset[tuple]] | None:
    """lang -> idents of the pages that edits of texts and card fields reach; None: the files
    published beside the pages change (a body now uses other images), so plan everything.

    ``changed``: each edited document with its new state; the outline is the record's.
    """
    only: dict[str, set[tuple]] = defaultdict(set)
    for lang, ident in record.unfingerprinted:
        only[lang].add(ident)
    for doc, state in changed:
        old = record.docs[doc.rel]
        wanted = only[doc.lang]
        wanted |= {(OWN_PAGE[doc.section], doc.key), SEARCH_INDEX}
        if state.body != old.body and tuple(bodies.rendered(doc).assets) != record.assets.get(doc.rel):
            return None
        if state.meta != old.meta:
            wanted.update(DATA_FILES)
            kind = CARD_KINDS.get(doc.section)
            if kind is not None:
                wanted |= record.shown_on.get((doc.lang, kind, doc.key), set())
    return {lang: frozenset(idents) for lang, idents in only.items()}


def merge_warnings(found: list[Problem], previous: PlanRecord | None, changed: set[str]) -> list[Problem]:
    """Planning's warnings: those found now, and the last build's for pages not planned now
    (those of files not in ``changed``).  Sorted and without repeats, so that they read the
    same whichever pages were planned."""
    if previous is not None:
        found = found + [problem for problem in previous.warnings if problem.path not in changed]
    return sorted(set(found))
