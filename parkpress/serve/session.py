"""Builds for a long-lived process (``serve``): an edit of texts is built from the files it touched.

An ordinary build (builder.py) starts from nothing but the cache: it looks at every
input file, reads every document and checks every output file, which on a site of
10,000 pages takes seconds however small the edit.  ``serve`` knows more: the watcher
names the files that changed, and the last build's site, documents, views, plan and
output records are still in memory.  :class:`Session` keeps them and, when the edit
is one of texts (the bodies and card fields of Markdown files that existed before,
and static files), builds from that alone:

1. the changed files are read; if one fails to read, or changes the site's outline
   (replan.py: which pages exist and what they list), the build is an ordinary one,
   which also reports every error;
2. the content, site and views are the last ones with the edited documents in place;
3. the pages the edit reaches are planned (replan.reached) and rendered, and the files
   whose bytes changed are placed into the spare copy of the site, which is first
   caught up with the last build's changes, then swapped in (publish/publisher.py);
4. ``published`` is called (serve has the browser reload then); only after it are the
   fingerprints worked out and the cache file written, for the next build of any kind.

The records of the two output folders are this process's own and are trusted without
looking at every file; an ordinary build checks them again.  tests/test_session.py
compares the sites these builds make with clean builds after random edits.
"""

from __future__ import annotations

import contextlib
import dataclasses
import time
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path

from parkpress.build import builder, pipeline
from parkpress.build.builder import BuildReport, Keep, LastBuild
from parkpress.build.untranslated import Untranslated, summaries
from parkpress.content.model import Document
from parkpress.content.sources import SourceFile
from parkpress.core import gcpause, sealed
from parkpress.core.problems import BuildFailed, Problem, Problems
from parkpress.engine import replan, snapshot
from parkpress.engine.cache import BuildCache, Tree
from parkpress.engine.memo import Documents
from parkpress.publish.offline import SERVICE_WORKER, service_worker
from parkpress.publish.publisher import SPARE, Publisher, identity, locked
from parkpress.render.planner import Page, plan_site
from parkpress.render.templates import TemplateFailure
from parkpress.search.index import SearchMemo
from parkpress.search.live import LiveIndexes
from parkpress.site.body import Bodies

Published = Callable[[BuildReport], None]


class Session:
    """Builds one project again and again in this process."""

    def __init__(self, root: Path):
        self.root = root
        self.last: _State | None = None
        self.indexes = LiveIndexes()  # search indexes updated, not merged anew, after an edit

    def plan(self) -> pipeline.Plan | None:
        """The last good build's plan (its pages' contexts dropped), for serve's own pages; None after a failed build."""
        last = self.last  # once: the build thread replaces it
        return last.build.plan if last is not None else None

    def build(self, changed: Iterable[str] = (), published: Published = lambda report: None) -> BuildReport:
        """Build after edits of the files ``changed`` (absolute paths); ``published(report)`` is
        called as soon as the new site is in place.  Raises BuildFailed as builder.build does."""
        with gcpause.paused():  # a collection walking the kept state would cost more than a quick build
            return self._build(set(changed), published)

    def _build(self, changed: set[str], published: Published) -> BuildReport:
        quick = _Quick.start(self.last, changed) if self.last is not None else None
        try:
            done = quick.run(published) if quick is not None else None
        except BaseException as exc:
            # The spare it started from went with its staging folder: the next build is an ordinary one.
            config, self.last = self.last.build.config, None
            if isinstance(exc, OSError):  # named as builder.build names them
                raise BuildFailed([builder.os_problem(exc, self.root, config)]) from None
            raise
        if done is not None:
            report, self.last = done
            return report
        self.last = None
        kept: list[LastBuild] = []
        report = builder.build(self.root, keep=Keep(kept.append, self.indexes))
        published(report)
        if kept:
            self.last = _State.of(kept[0])
            _warm(kept[0])
        return report


@dataclasses.dataclass
class _State:
    """A build's LastBuild, and what the next quick build needs besides."""

    build: LastBuild
    sources: dict[str, SourceFile]  # project-relative path of each Markdown file -> its source
    docs: dict[str, Document]  # project-relative path of each Markdown file -> its document
    body_keys: Counter[str]  # how many documents have each rendered body
    stale: set[str]  # output files in which the spare copy differs from the live site

    @classmethod
    def of(cls, build: LastBuild) -> _State:
        """After an ordinary build: the output folders' records are compared once."""
        (_, live), (_, spare) = build.live, build.spare
        stale = {rel for rel, state in live.items() if state[0] is not None and spare.get(rel, (None,) * 4)[3] != state[3]}
        stale |= {rel for rel, state in spare.items() if state[0] is not None and rel not in live}
        prefix = str(build.config.root) + "/"
        sources = {source.file.removeprefix(prefix): source for source in build.plan.sources.of_kind("markdown")}
        docs = {doc.rel: doc for doc in build.plan.site.content.documents()}
        return cls(build, sources, docs, Counter(doc.body_key for doc in docs.values()), stale)


def _warm(build: LastBuild) -> None:
    """After an ordinary build: plan and render every language's search index once, as the
    first edit of each language would have to, so that it finds the cards, the documents'
    search entries (SearchMemo.indexed) and the search indexes (LiveIndexes) in memory."""
    plan = build.plan
    only = {lang: frozenset({replan.SEARCH_INDEX}) for lang in plan.views}
    bodies = Bodies(plan.site.content, plan.bodies.urls, plan.bodies.converter, Problems(build.config.root), cache=build.memory.renders)
    slots, search = plan.record.slots, build.memory.search
    pages = plan_site(build.config, plan.site, bodies.urls, plan.views, bodies, bodies.problems, False, only, slots, search)
    for page in pages:
        if page.ident == replan.SEARCH_INDEX:
            with contextlib.suppress(TemplateFailure):  # the next build says where
                build.renderer.render(page)


def _folders(build: LastBuild) -> list[tuple[Path, tuple[int, int]]]:
    config = build.config
    return [(config.output_dir, build.live[0]), (config.cache_dir / SPARE, build.spare[0])]


class _Quick:
    """One build of an edit of texts, from a session's last state."""

    def __init__(self, last: _State, inputs: snapshot.Snapshot, markdown: list[str], static: list[str]):
        self.last, self.inputs, self.markdown, self.static = last, inputs, markdown, static
        self.started = time.perf_counter()
        build = last.build
        self.config, self.plan, self.memory = build.config, build.plan, build.memory
        self.problems = Problems(self.config.root)

    @classmethod
    def start(cls, last: _State, changed: set[str]) -> _Quick | None:
        """The build of ``changed``, or None when it takes an ordinary one."""
        config = last.build.config
        prefix = str(config.root) + "/"
        rels = {path.removeprefix(prefix) for path in changed}
        markdown = sorted(rel for rel in rels if rel in last.sources and rel in last.docs)
        static = sorted(rel for rel in rels if rel.startswith("static/") and rel in last.build.live[1])
        if not rels or len(markdown) + len(static) != len(rels):
            return None  # anything else may change the outline: templates, catalogs, facts, new or deleted files
        if any(identity(folder) != ident for folder, ident in _folders(last.build)):
            return None  # the output folders are not as this process left them
        inputs = snapshot.updated(last.build.inputs, config.root, rels)
        return cls(last, inputs, markdown, static) if inputs is not None else None

    def run(self, published: Published) -> tuple[BuildReport, _State] | None:
        """Build and publish, or None (nothing done) when the edit takes an ordinary build."""
        documents = Documents(self.last.build.stores["docs"], self.inputs, str(self.config.root) + "/")
        edited = self._read(documents)
        if edited is None:
            return None
        planned = self._plan(edited)
        if planned is None:
            return None
        plan, pages, search = planned
        try:
            outputs, rendered = self._render(pages)
        except TemplateFailure:
            return None  # the ordinary build says where
        untranslated = summaries(self.config, plan.catalogs, self._untranslated(plan, rendered))
        report = BuildReport(
            pages=Counter(self.last.build.report.pages),
            files=self.last.build.report.files,
            written=len(outputs),
            unchanged=self.last.build.report.files - len(outputs),
            warnings=plan.problems.warnings + untranslated,
            missing=self.last.build.report.missing,
            output=self.config.output_dir,
        )
        live, spare, renewed = self._publish(outputs, report)
        report.seconds = time.perf_counter() - self.started
        published(report)
        return report, self._remember(plan, documents, search, edited, rendered, live, spare, renewed, report)

    def _read(self, documents: Documents) -> list[Document] | None:
        """The Markdown files whose texts changed, read; None if one cannot be read or changes the outline."""
        edited = []
        for rel in self.markdown:
            doc = documents.read(self.last.sources[rel], self.config.timezone, self.problems)
            old = self.last.docs[rel]
            if doc is None or self.problems.errors or doc.outline_digest != old.outline_digest:
                return None
            if (doc.meta_digest, doc.body_key) != (old.meta_digest, old.body_key):
                edited.append(doc)
        return edited

    def _plan(self, edited: list[Document]) -> tuple[pipeline.Plan, list[Page], SearchMemo] | None:
        """The last plan with the edited documents in place, and the pages they reach, planned."""
        last = self.plan
        content = last.site.content.with_documents(edited)
        news, parks = ({doc.key for doc in edited if doc.section == section} for section in ("news", "parks"))
        site = last.site.with_content(content, news)
        views = {lang: view.with_site(site, news, parks) for lang, view in last.views.items()}
        bodies = Bodies(content, last.bodies.urls, last.bodies.converter, self.problems, cache=self.memory.renders)
        states = {doc.rel: replan.DocState(doc.meta_digest, doc.body_key) for doc in edited}
        only = replan.reached(last.record, [(doc, states[doc.rel]) for doc in edited], bodies) if edited else {}
        if only is None:
            return None  # a body uses other images: the files published beside the pages change
        search = SearchMemo(self.last.build.stores["search"], self.memory.search.settings, self.memory.search.recent, last.record.outline)
        planned_from = len(self.problems.items)
        pages = plan_site(self.config, site, bodies.urls, views, bodies, self.problems, False, only, last.record.slots, search)
        if self.problems.errors:
            return None
        warnings = replan.merge_warnings(self.problems.items[planned_from:], last.record, set(states))
        problems = Problems(self.config.root)
        problems.items = _read_problems(last) + warnings
        record = dataclasses.replace(last.record, docs={**last.record.docs, **states}, warnings=warnings)
        plan = dataclasses.replace(last, site=site, views=views, bodies=bodies, problems=problems, record=record, pages=[], partial=True)
        return plan, pages, search

    def _render(self, pages: list[Page]) -> tuple[dict[str, tuple[bytes, bytes]], list[tuple[Page, bytes, tuple[str, ...]]]]:
        """(output path -> (digest, bytes) of every file whose bytes change, (page, digest, msgids missed) of every page rendered)."""
        renderer, live = self.last.build.renderer, self.last.build.live[1]
        outputs: dict[str, tuple[bytes, bytes]] = {}
        rendered = []
        for page in pages:
            data, missed = renderer.render_noting(page)
            digest = snapshot.digest_bytes(data)
            rendered.append((page, digest, missed))
            outputs[page.path] = (digest, data)
        for rel in self.static:
            data = (self.config.root / rel).read_bytes()
            outputs[rel] = (snapshot.digest_bytes(data), data)
        outputs = {rel: output for rel, output in outputs.items() if live.get(rel, (None,))[0] != output[0]}
        if outputs:  # the service worker's cache version is a digest of every other file
            digests = {rel: state[0] for rel, state in live.items() if state[0] is not None}
            digests.update((rel, digest) for rel, (digest, _) in outputs.items())
            data = renderer.render(service_worker(self.plan.slots, self.config.default_language, digests))
            outputs[SERVICE_WORKER] = (snapshot.digest_bytes(data), data)
        return outputs, rendered

    def _untranslated(self, plan: pipeline.Plan, rendered: list[tuple[Page, bytes, tuple[str, ...]]]) -> Untranslated:
        """What the pages show untranslated: those rendered now as they did, the others as recorded."""
        fresh = {page.path: missed for page, _, missed in rendered}
        records, default = self.last.build.records, self.config.default_language
        found = Untranslated.of_views(plan.missed)
        for slot in plan.slots:
            missed = fresh[slot.path] if slot.path in fresh else records[slot.path][2] if slot.path in records else ()
            found.add(slot.lang or default, slot.path, missed)
        return found

    def _publish(self, outputs: dict[str, tuple[bytes, bytes]], report: BuildReport) -> tuple[tuple, tuple, set[str]]:
        """Place ``outputs`` and swap the site in; (live, spare) as LastBuild has them, and the paths written."""
        last = self.last.build
        if not outputs:  # say, a file saved unchanged: nothing to publish
            return last.live, last.spare, self.last.stale
        config = self.config
        with locked(config.output_dir):
            publisher = Publisher(config.output_dir, config.cache_dir / SPARE, {}, lambda path: None, trusted=(last.live[1], last.spare[1]))
            publisher.begin()
            try:
                publisher.catch_up(self.last.stale)
                for rel, (digest, data) in outputs.items():
                    publisher.absorb(rel, *publisher.place(rel, digest, data))
                files = publisher.settle()
                staging = identity(publisher.dir)
                publisher.swap()
            except BaseException:
                publisher.discard()
                raise
        return (staging, files), last.live, publisher.renewed

    def _remember(self, plan, documents, search, edited, rendered, live, spare, renewed, report) -> _State:
        """After publishing: the fingerprints of the pages rendered, the cache file, and the state for the next build."""
        last = self.last.build
        records = dict(last.records)
        fingerprints = pipeline.fingerprinter(plan, self.inputs)
        for page, digest, missed in rendered:
            fingerprint = fingerprints.page(page.template, page.lang, page.context)
            if fingerprint is None:
                records.pop(page.path, None)
            else:
                records[page.path] = (fingerprint, digest, missed)
        stores = {"docs": self._docs_store(documents), "markdown": self._markdown_store(edited), "search": search.to_store()}
        trees = {live[0]: Tree(live[1], self.inputs.digest, report), spare[0]: Tree(spare[1])}
        cache = BuildCache(self.config.cache_dir)
        try:
            cache.open()
            cache.require(self.inputs.environment + self.inputs.under(snapshot.CODE))
            cache.load_work()
            cache.save(self.inputs.files, trees, stores["docs"], stores["markdown"], records, plan.record, stores["search"])
        finally:
            cache.close()
        self.last.build.renderer.indexes.keep_all()
        memory = dataclasses.replace(self.memory, documents=documents, search=search, inputs=self.inputs, record=plan.record)
        build = dataclasses.replace(
            last, inputs=self.inputs, plan=plan, memory=memory, records=records, stores=stores, live=live, spare=spare, report=report
        )
        docs = {**self.last.docs, **{doc.rel: doc for doc in edited}}
        return _State(build, self.last.sources, docs, self.last.body_keys, renewed)

    def _docs_store(self, documents: Documents) -> dict[bytes, bytes]:
        """The cache's parsed documents: the last ones, those of the files read now in place of their old versions."""
        store = dict(self.last.build.stores["docs"])
        zone = self.config.timezone
        for rel in self.markdown:
            store.pop(Documents._key(rel, self.last.build.inputs.files[rel].digest, zone), None)
        store.update(documents.to_store())
        return store

    def _markdown_store(self, edited: list[Document]) -> dict[str, bytes]:
        """The cache's rendered Markdown: one entry for each body some document has."""
        store = dict(self.last.build.stores["markdown"])
        prefix, renders, counts = self.memory.renders.prefix, self.memory.renders, self.last.body_keys
        for doc in edited:
            old = self.last.docs[doc.rel].body_key
            counts[old] -= 1
            counts[doc.body_key] += 1
            if counts[old] <= 0:
                del counts[old]
                store.pop(prefix + old, None)
            if prefix + doc.body_key not in store:
                store[prefix + doc.body_key] = sealed.pickled(renders[doc.body_key])
        return store


def _read_problems(plan: pipeline.Plan) -> list[Problem]:
    """The problems reading and checking the content gave: outline, unchanged by an edit of texts."""
    items = plan.problems.items
    return items[: len(items) - len(plan.record.warnings)]
