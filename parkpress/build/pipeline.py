"""The build's steps: read the site, plan its pages, render what changed, place it.

builder.py decides whether there is anything to do; this module does it.  Reading is
complete every time (parsing only changed files and rendering only changed Markdown,
see memo.py).  Planning covers the whole site when its outline changed, else only the
pages an edit of texts and card fields can reach (replan.py).  Then only the planned
pages whose fingerprint changed are rendered, in worker processes when there are many.
"""

from __future__ import annotations

import contextlib
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from parkpress.build.untranslated import Untranslated
from parkpress.content import media
from parkpress.content.loader import load_content
from parkpress.content.markup import MarkdownConverter
from parkpress.content.readers import read_document
from parkpress.content.rootfiles import root_files
from parkpress.content.sources import SourceSet, discover
from parkpress.content.translation import translation_states_key
from parkpress.core import parallel
from parkpress.core.config import CONFIG_FILE, Config
from parkpress.core.problems import BuildFailed, Problems
from parkpress.engine import replan, snapshot
from parkpress.engine.cache import Loaded
from parkpress.engine.fingerprint import Fingerprinter
from parkpress.engine.memo import Documents, Renders
from parkpress.i18n.catalogs import LoadedCatalog, Lookups, NotedTranslations, load_catalogs
from parkpress.i18n.formatting import Formatter
from parkpress.publish.offline import SERVICE_WORKER, add_offline_files
from parkpress.publish.output import UnsafePath, check_relative
from parkpress.publish.publisher import Publisher
from parkpress.render.compiled import CompiledTemplates
from parkpress.render.layers import template_folders
from parkpress.render.planner import Page, Slot, plan_site, slot_of
from parkpress.render.templates import TemplateFailure, check_templates, environment, render
from parkpress.search.index import SearchMemo, index_script_for
from parkpress.search.live import LiveIndexes
from parkpress.site.body import Bodies, media_path
from parkpress.site.model import Site
from parkpress.site.urls import Urls
from parkpress.site.views import NewsCard, ParkCard, Views
from parkpress.theme.loader import Themes

RENDER_CHUNK = 24  # pages per task for a worker process
SEARCH_INDEX = "search-index.js"  # the template of a language's search index
STATIC = "static"  # where the static files of the site and its theme are published


@dataclass
class Plan:
    """Everything known about the site before a byte is written."""

    config: Config
    themes: Themes
    site: Site
    pages: list[Page]
    catalogs: dict[str, LoadedCatalog]
    media: list[str]  # content-relative assets that pages use
    problems: Problems
    slots: list[Slot]  # every page of the site; ``pages`` may be only some of them
    sources: SourceSet  # the content files
    views: dict[str, Views]  # per language
    bodies: Bodies
    root_files: dict[str, Path]  # output path -> file of root/, published as it is
    record: replan.PlanRecord | None = None  # what the next build needs to plan less
    partial: bool = False  # only some pages were planned; the others are as the last build left them
    missed: dict[str, tuple[str, ...]] = field(default_factory=dict)  # lang -> msgids the views looked up, untranslated


@dataclass
class Memory:
    """What this build takes from the cache, and gives back to it."""

    documents: Documents | None = None
    renders: Renders | None = None
    bytecode: jinja2.BytecodeCache | None = None
    search: SearchMemo | None = None
    inputs: snapshot.Snapshot | None = None  # with it, the plan is recorded for the next build
    record: replan.PlanRecord | None = None  # the last build's plan
    placeable: Callable[[str], bool] = lambda path: False  # whether a page's recorded bytes can be placed unrendered


def make_plan(config: Config, themes: Themes, archive: bool = False, memory: Memory | None = None) -> Plan:
    """Read and check everything; raise BuildFailed listing every error.

    ``archive``: plan pages that link to the offline archive (``build --zip``).
    ``memory``: documents, rendered Markdown and the plan of earlier builds.
    """
    memory = memory or Memory()
    problems = Problems(config.root)
    sources = discover(config.content_dir, config.language_codes, problems)
    catalogs = load_catalogs(config, themes, problems)
    converter = MarkdownConverter(config.allow_raw_html)
    if memory.documents is not None and memory.renders is not None:
        memory.documents.prefetch(sources.of_kind("markdown"), config.timezone, converter, memory.renders)
    content = load_content(config, sources, problems, read=memory.documents.read if memory.documents else read_document)
    problems.raise_if_errors()
    site = Site(content, config.language_codes)
    urls = Urls(config)
    lookups = {lang.code: Lookups(catalogs[lang.code], lang.locale) for lang in config.languages}
    noted = {lang.code: NotedTranslations(catalogs[lang.code].translations, lookups[lang.code]) for lang in config.languages}
    views = {
        lang.code: Views(
            site,
            urls,
            lang.code,
            noted[lang.code],
            Formatter(lang.locale, config.timezone, noted[lang.code]),
            config.facts_voice,
            catalogs[config.facts_voice.code].translations if config.facts_voice.code in catalogs else None,
            lookups[lang.code].translated,
        )
        for lang in config.languages
    }
    if memory.renders is not None:
        memory.renders.prerender(content, converter)
    bodies = Bodies(content, urls, converter, problems, cache=memory.renders)
    states: dict = {}
    outline, previous, only = b"", None, None
    if memory.inputs is not None:
        states = replan.doc_states(content.documents())
        # Which translations are outdated is outline too: a source's edit puts a notice on its translations' pages.
        outline = replan.outline_digest(memory.inputs, states, archive) + translation_states_key(content, config.default_language)
        if memory.search is not None:
            memory.search.outline = outline  # known only now; the search entries of unchanged documents are kept by it
        if memory.record is not None and not archive:  # the archive holds every page: all are planned
            only = replan.affected(memory.record, outline, states, content, bodies, memory.placeable)
            previous = memory.record if only is not None else None
    planned_from = len(problems.items)
    pages = plan_site(config, site, urls, views, bodies, problems, archive, only, previous.slots if previous else None, memory.search)
    for page in pages:
        try:
            check_relative(page.path)
        except UnsafePath as exc:
            problems.error(page.source or "content", 1, str(exc))
    if previous is None:  # templates are part of the outline: unchanged since the last check otherwise
        default = config.language(config.default_language)
        needed = {page.template for page in pages}
        folders = template_folders(themes)
        check_templates(folders, Formatter(default.locale, config.timezone), needed, problems, bytecode_cache=memory.bytecode)
    slots = previous.slots if previous else [slot_of(page) for page in pages]
    published_as_is = root_files(config.root_files_dir, problems)
    static = static_files(themes)
    generated = generated_outputs(slots, static, urls.archive() if archive else None)
    check_root_files(published_as_is, generated, problems)
    check_share_image(config, static, problems)
    used_media = previous.media if previous else sorted(bodies.used_assets)
    media_files = {media_path(asset): Path(content.assets[asset]) for asset in used_media}
    check_portable_names(generated, {**static, **published_as_is, **media_files}, problems)
    problems.raise_if_errors()
    changed = {rel for rel, (state, _) in states.items() if previous is not None and previous.docs[rel] != state}
    problems.items[planned_from:] = replan.merge_warnings(problems.items[planned_from:], previous, changed)
    plan = Plan(config, themes, site, pages, catalogs, used_media, problems, slots, sources, views, bodies, published_as_is)
    plan.partial = previous is not None
    # What the views translate (labels of the taxonomy, the facts' charts) is outline: all of it
    # was looked up when the last build planned every page.
    plan.missed = previous.missed if previous else {lang: found.take() for lang, found in lookups.items()}
    if memory.inputs is not None:
        assets = previous.assets if previous else {doc.rel: tuple(bodies.rendered(doc).assets) for doc in content.documents()}
        states = {rel: state for rel, (state, _) in states.items()}
        plan.record = replan.PlanRecord(
            outline, slots, states, assets, warnings=problems.items[planned_from:], media=used_media, missed=plan.missed
        )
        if previous is not None:  # which pages show which card is fingerprinting's to find out when all are planned
            plan.record.shown_on, plan.record.unfingerprinted = previous.shown_on, previous.unfingerprinted
    return plan


class Renderer:
    """Renders pages with one Jinja2 environment per language (compiled templates are reused)."""

    def __init__(
        self,
        config: Config,
        themes: Themes,
        catalogs: dict[str, LoadedCatalog],
        bytecode: jinja2.BytecodeCache | None = None,
        indexes: LiveIndexes | None = None,
    ):
        """``indexes``: the search indexes to keep and update (builds); without, each is merged anew (check)."""
        self.indexes = indexes
        absolute = Urls(config).absolute
        folders = template_folders(themes)
        self.lookups = {lang.code: Lookups(catalogs[lang.code], lang.locale) for lang in config.languages}
        self.envs = {
            lang.code: environment(
                folders,
                catalogs[lang.code].translations,
                Formatter(lang.locale, config.timezone, NotedTranslations(catalogs[lang.code].translations, self.lookups[lang.code])),
                absolute,
                bytecode_cache=bytecode,
                search_index=indexes.script_for if indexes is not None else index_script_for,
                direction=lang.direction,
                lookups=self.lookups[lang.code],
            )
            for lang in config.languages
        }
        self.default = config.default_language

    def render(self, page: Page) -> bytes:
        return self.render_noting(page)[0]

    def render_noting(self, page: Page) -> tuple[bytes, tuple[str, ...]]:
        """The page's bytes, and the msgids it looked up that its language's catalogs do not translate."""
        lang = page.lang or self.default
        lookups = self.lookups[lang]
        lookups.take()  # whatever an earlier render left, when it failed
        data = render(self.envs[lang], page.template, page.context).encode("utf-8")
        return data, lookups.take()

    def load(self, pages: list[Page]) -> None:
        """Compile (or load) the templates ``pages`` use, so worker processes inherit them."""
        for lang, name in {(page.lang or self.default, page.template) for page in pages}:
            with contextlib.suppress(jinja2.TemplateError):  # reported when the page is rendered
                self.envs[lang].get_template(name)


def publish_pages(
    plan: Plan, inputs: snapshot.Snapshot, known: dict, renderer: Renderer, publisher: Publisher, progress
) -> tuple[dict, Untranslated]:
    """Place every page into the staging folder, rendering those whose fingerprint is new; returns
    the page records, and what the pages show untranslated (a page placed unrendered: as recorded).

    Fingerprinting a page's context costs a tenth of rendering it: both are done in the
    worker processes when there are many pages, which report back what they placed.
    """
    fingerprints = fingerprinter(plan, inputs)
    records: dict[str, tuple[bytes, bytes, tuple[str, ...]]] = {}
    untranslated = Untranslated.of_views(plan.missed)
    total, done = len(plan.slots), 0
    if plan.partial:  # the pages not planned are as the last build left them
        planned = {page.path for page in plan.pages}
        for slot in plan.slots:
            if slot.path not in planned:
                records[slot.path] = known[slot.path]
                untranslated.add(slot.lang or plan.config.default_language, slot.path, known[slot.path][2])
                publisher.absorb(slot.path, *publisher.place(slot.path, known[slot.path][1], None))
                done += 1
    record = plan.record if plan.record is not None and not plan.partial else None

    def settle(indices: list[int]) -> list[tuple]:
        """(index, fingerprint, cards shown, digest or None, msgids missed, what placing gave or the failure) of each page."""
        results = []
        for index in indices:
            page = plan.pages[index]
            fingerprint = fingerprints.page(page.template, page.lang, page.context)
            shown = tuple(fingerprints.shown) if record is not None else ()
            old = known.get(page.path)
            if fingerprint is not None and old is not None and old[0] == fingerprint and not publisher.needs_bytes(page.path, old[1]):
                results.append((index, fingerprint, shown, old[1], old[2], publisher.place(page.path, old[1], None)))
                continue
            try:
                data, missed = renderer.render_noting(page)
            except TemplateFailure as exc:
                results.append((index, fingerprint, shown, None, (), (exc.path, exc.line, f"{exc} (while rendering {page.path})")))
                continue
            digest = snapshot.digest_bytes(data)
            results.append((index, fingerprint, shown, digest, missed, publisher.place(page.path, digest, data)))
            if page.template == SEARCH_INDEX and renderer.indexes is not None:  # for the next build to update
                renderer.indexes.keep(page.context["locale"], forget=parallel.in_worker())
        return results

    if len(plan.pages) >= parallel.WORTH_FORKING:
        renderer.load(plan.pages)
    failures = Problems(plan.config.root)
    for index, fingerprint, shown, digest, missed, outcome in parallel.fork_map(settle, list(range(len(plan.pages))), chunk=RENDER_CHUNK):
        page = plan.pages[index]
        if record is not None:
            if fingerprint is None:
                record.unfingerprinted.add((page.lang, page.ident))
            for kind, key in shown:
                record.shown_on.setdefault((page.lang, kind, key), set()).add(page.ident)
        if digest is None:
            failures.error(*outcome)
            continue
        publisher.absorb(page.path, *outcome)
        untranslated.add(page.lang or plan.config.default_language, page.path, missed)
        if fingerprint is not None:
            records[page.path] = (fingerprint, digest, missed)
        done += 1
        if progress is not None:
            progress(done, total)
    failures.raise_if_errors()
    return records, untranslated


def fingerprinter(plan: Plan, inputs: snapshot.Snapshot) -> Fingerprinter:
    """Fingerprints of this build's pages: of their contexts, and of the templates, catalogs,
    configuration and code they are rendered with."""
    templates = [inputs.under(inputs.name(f"{folder.folder}/") or "") for folder in template_folders(plan.themes)]
    config = [inputs.of(CONFIG_FILE) or b"", inputs.of(snapshot.SETTINGS) or b""]
    base = snapshot.digest_bytes(b"\0".join((inputs.environment, inputs.under(snapshot.CODE), *templates, *config)))
    catalogs: dict[str | None, bytes] = {lang: plan.catalogs[lang].digest.encode() for lang in plan.catalogs}
    catalogs[None] = catalogs[plan.config.default_language]
    return Fingerprinter(base, catalogs, shared={NewsCard: "news", ParkCard: "park"})


def generated_outputs(slots: list[Slot], static: dict[str, Path], archive: str | None) -> dict[str, str]:
    """Output path -> what makes it, for every file the build makes or copies from the themes."""
    generated = {slot.path: f"the page made from {slot.source}" if slot.source else f"the generated {slot.template} page" for slot in slots}
    generated.update((rel, f"the theme's static file {path}") for rel, path in static.items())
    generated[SERVICE_WORKER] = "the generated service worker"
    if archive:
        generated[archive] = "the offline archive (build --zip)"
    return generated


def check_root_files(files: dict[str, Path], generated: dict[str, str], problems: Problems) -> None:
    """A file of root/ must not take the place of a generated one: name both."""
    for rel, path in files.items():
        other = generated.get(rel)
        if other is None and rel.startswith(f"{media.MEDIA_DIR}/"):
            other = f"the media files pages use, published in {media.MEDIA_DIR}/"
        if other is not None:
            problems.error(path, 0, f"would replace {other} at {rel}; rename or remove this file")


def check_portable_names(generated: dict[str, str], files: dict[str, Path], problems: Problems) -> None:
    """Two outputs whose paths differ only in letter case, or in how Unicode spells a letter (é as
    one code point, or as e and an accent as macOS writes names), are one file on Windows and
    macOS, on most USB sticks and on some hosts: one would silently replace the other.

    ``generated``: see :func:`generated_outputs`; ``files``: output path -> the file published
    there, static, of root/ or of content/ (a used image's widths are named after it).  The error
    is reported at that file, or at the page's source."""
    paths = generated.keys() | files.keys()
    if len({_portable(path) for path in paths}) == len(paths):
        return  # as nearly always: an edit's build of ten thousand pages pays only this line
    named = {path: (what.removeprefix("the page made from "), what) for path, what in generated.items()}
    named.update((rel, (problems.relpath(path), problems.relpath(path))) for rel, path in files.items())
    seen: dict[str, str] = {}
    for path in sorted(named):
        other = seen.setdefault(_portable(path), path)
        if other == path:
            continue
        if Path(named[path][0]).is_absolute():  # a theme's file outside the project: the project's one is to rename
            path, other = other, path
        problems.error(named[path][0], 0, _twins_message(path, named[path][1], other, named[other][1]))


def _twins_message(path: str, what: str, other: str, first: str) -> str:
    if unicodedata.normalize("NFC", path) == unicodedata.normalize("NFC", other):
        differ = "are one name in two Unicode spellings (an accented letter as one code point, or two)"
        fix = "delete the copy, or rename one so that the names differ in their letters"
    else:
        differ = "differ only in letter case"
        fix = "rename one so that the names differ in more than that"
    return f"output {path} ({what}) and {other} ({first}) {differ}, which Windows, macOS and most USB sticks take for one file: {fix}"


def _portable(path: str) -> str:
    """What ``path`` is to a file system that ignores letter case and Unicode normalisation."""
    if path.isascii():
        return path.lower()  # the same, several times sooner
    return unicodedata.normalize("NFC", unicodedata.normalize("NFD", path).casefold())


def check_share_image(config: Config, static: dict[str, Path], problems: Problems) -> None:
    """The site's picture for link previews must be one of the static files the build publishes."""
    if config.image is not None and config.image not in static:
        problems.error(
            config.file, config.line("site", "image"), f"image '{config.image}' is not a static file; put it in {config.image} of the site"
        )


def copy_static(config: Config, plan: Plan, staging: Publisher) -> None:
    """Copy the static files (the site's, then the theme's: the site's win), the files of root/,
    and the media files pages use."""
    for rel, path in static_files(plan.themes).items():
        staging.copy(rel, path)
    for rel, path in plan.root_files.items():
        staging.copy(rel, path)
    refused = Problems(config.root)
    for asset in plan.media:
        source = Path(plan.site.content.assets[asset])
        try:
            for path, data in media.published(asset, source, config.cache_dir / "media"):
                staging.write(path, data)
        except media.MediaError as exc:  # changed since the page using it was last checked
            refused.error(source, 0, str(exc))
    refused.raise_if_errors()


def static_files(themes: Themes) -> dict[str, Path]:
    """Output path -> file of every static file: a layer's file hides the same name below it."""
    found: dict[str, Path] = {}
    for layer in themes.layers:
        if layer.static.is_dir():
            for path in sorted(layer.static.rglob("*")):
                if path.is_file() and not path.name.startswith("."):
                    found.setdefault(f"{STATIC}/{path.relative_to(layer.static).as_posix()}", path)
    return dict(sorted(found.items()))


def offline_files(plan: Plan, renderer: Renderer, publisher: Publisher) -> str | None:
    """The service worker and, with --zip, the archive; returns the archive's path."""
    try:
        return add_offline_files(plan.slots, plan.pages, renderer.render, publisher, plan.config.default_language)
    except TemplateFailure as exc:
        failures = Problems(plan.config.root)
        failures.error(exc.path, exc.line, f"{exc} (while writing the offline files)")
        raise BuildFailed(failures.items) from None


def remembered(config: Config, loaded: Loaded, inputs: snapshot.Snapshot) -> Memory:
    """This build's view of the cache: parsed documents, rendered Markdown, compiled templates."""
    return Memory(
        Documents(loaded.docs, inputs, str(config.root) + "/"),
        Renders(loaded.markdown, f"raw-html={config.allow_raw_html}"),
        CompiledTemplates(config.cache_dir / "jinja"),
        SearchMemo(loaded.search, settings=f"raw-html={config.allow_raw_html}"),
        inputs,
        loaded.plan,
    )
