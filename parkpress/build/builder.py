"""The build: find out what changed, and rebuild only that.

The cache (cache.py) remembers the input files, parsed documents, rendered Markdown,
and for every output file the fingerprint of what it was built from (fingerprint.py)
and its bytes' digest.  A build

1. takes a snapshot of the inputs (snapshot.py); when it is the one the live site was
   built from, and the live site is as that build left it, it is done: nothing is
   read, rendered, written or swapped;
2. otherwise reads and plans the whole site, renders the pages whose fingerprint
   changed and writes the files whose bytes changed (pipeline.py) into the spare copy
   of the site, which is then swapped in (publish/publisher.py).
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from parkpress.core import gcpause, sealed
from parkpress.core.config import COMMAND_LINE, NO_OVERRIDES, Config, Overrides, load_config
from parkpress.core.problems import WARNING, BuildFailed, Problem, Problems
from parkpress.engine import snapshot
from parkpress.engine.cache import FILE, BuildCache, Tree
from parkpress.publish import output
from parkpress.publish.publisher import SPARE, Publisher, identity, locked
from parkpress.search.live import LiveIndexes
from parkpress.theme.loader import Themes, load_themes


@dataclass
class BuildReport:
    pages: Counter = field(default_factory=Counter)  # lang (or "" for root files) -> pages
    files: int = 0  # every file of the output: pages, static files, media
    written: int = 0  # files written by this build
    unchanged: int = 0  # files left as they were (their modification time too)
    seconds: float = 0.0
    warnings: list[Problem] = field(default_factory=list)
    missing: dict[str, list[str]] = field(default_factory=dict)
    output: Path | None = None
    archive: str | None = None  # the offline archive's path in the output, when built
    cache_warning: Problem | None = None  # damaged cache entries this build found and rebuilt: said once, never replayed


@dataclass
class Keep:
    """What a long-lived process (session.py) asks of a build: it is handed everything the
    build knew when it is done, and keeps the search indexes in its own LiveIndexes."""

    kept: Callable[[LastBuild], None]
    indexes: LiveIndexes


@dataclass
class LastBuild:
    """What a successful build knew, for the next build in the same process (session.py)."""

    config: Config
    inputs: snapshot.Snapshot
    plan: object  # pipeline.Plan, its pages' contexts dropped
    memory: object  # pipeline.Memory
    renderer: object  # pipeline.Renderer
    records: dict[str, tuple[bytes, bytes]]  # output path -> (fingerprint, digest), as saved
    stores: dict[str, dict]  # the cache's tables of documents, rendered Markdown and search analyses, as saved
    live: tuple[tuple[int, int], dict[str, tuple]]  # the live folder's identity and files (Publisher's records)
    spare: tuple[tuple[int, int], dict[str, tuple]]  # the spare copy's
    report: BuildReport


def build(
    root: Path,
    progress: Callable[[int, int], None] | None = None,
    archive: bool = False,
    keep: Keep | None = None,
    overrides: Overrides = NO_OVERRIDES,
) -> BuildReport:
    """Build and publish the site; ``progress(done, total)`` is called as pages are done.

    ``archive``: also write a zip of the whole site for offline reading, linked from every page.
    ``keep``: see :class:`Keep`; such a build reads and plans even when nothing changed.
    ``overrides``: what the command line sets instead of parkpress.toml (output folder, address).
    """
    started = time.perf_counter()
    config = None
    try:
        config = load_config(root, overrides)
        themes = load_themes(config)
        with locked(config.output_dir), gcpause.paused():
            cache = BuildCache(config.cache_dir)
            sealed.take_damaged()  # noted by an earlier command of this process: not this build's
            try:
                report = _build(config, themes, cache, progress, archive, started, keep)
            finally:
                cache.close()
    except OSError as exc:  # a full disk, a read-only folder, a file where a folder belongs: the editor's to fix
        raise BuildFailed([os_problem(exc, root, config)]) from None
    report.cache_warning = cache_warning(Problems(config.root).relpath(config.cache_dir), cache.discarded, sealed.take_damaged())
    return report


def os_problem(exc: OSError, root: Path, config: Config | None) -> Problem:
    """The problem an operating-system error is; a path in the folders a failed build
    removed is named by the output folder it was for."""
    if config is None:
        return Problems(root.resolve()).os_error(exc)
    live = config.output_dir
    return Problems(config.root).os_error(exc, {str(output.staging(live)): str(live), str(output.retired(live)): str(live)})


def cache_warning(folder: str, discarded: str | None, damaged: set[tuple]) -> Problem | None:
    """The one line that says what of the cache was found damaged, and so done again."""
    count = len(damaged)
    if discarded is not None:
        more = f", and {count} more damaged cache {'entry was' if count == 1 else 'entries were'} rebuilt" if count else ""
        return Problem(f"{folder}/{FILE}", 0, f"damaged ({discarded}); the cache was made anew{more}", WARNING)
    if count:
        return Problem(folder, 0, f"{count} damaged cache {'entry was' if count == 1 else 'entries were'} rebuilt", WARNING)
    return None


def _build(config: Config, themes: Themes, cache: BuildCache, progress, archive: bool, started: float, keep: Keep | None) -> BuildReport:
    loaded = cache.open()
    _check_own_output(config, loaded.trees)
    inputs = snapshot.take(
        config.root,
        config.inputs,
        loaded.inputs,
        extra=f"archive={archive}",
        themes=tuple((theme.name, theme.folder) for theme in themes.chain),
        settings=config.overrides.digest(),
        content=config.content_dir,
    )
    loaded = cache.require(inputs.environment + inputs.under(snapshot.CODE))
    publisher = Publisher(config.output_dir, config.cache_dir / SPARE, loaded.trees, digest_of=_digests(inputs))
    live = identity(config.output_dir)
    if publisher.built_from(inputs.digest) and keep is None:
        publisher.tidy()
        if inputs.files != loaded.inputs:
            cache.save(inputs.files, loaded.trees)
        return _copy_report(loaded.trees[live].report, started)

    _check_publishable(config)
    # Imported only now: a build with nothing to do need not load Jinja2, Markdown,
    # Pillow and the rest, which takes longer than everything it does.
    from parkpress.build import pipeline
    from parkpress.build.untranslated import summaries

    loaded = cache.load_work()
    memory = pipeline.remembered(config, loaded, inputs)

    def placeable(path: str) -> bool:
        known = loaded.pages.get(path)
        return known is not None and publisher.has_copy(path, known[1])

    memory.placeable = placeable
    plan = pipeline.make_plan(config, themes, archive=archive, memory=memory)
    report = BuildReport(output=config.output_dir, warnings=plan.problems.warnings, missing=plan.site.missing_translations())
    for slot in plan.slots:
        report.pages[slot.lang or ""] += 1
    indexes = keep.indexes if keep else LiveIndexes()
    indexes.cache_dir = config.cache_dir
    renderer = pipeline.Renderer(config, themes, plan.catalogs, memory.bytecode, indexes)
    publisher.begin()
    try:
        pages, untranslated = pipeline.publish_pages(plan, inputs, loaded.pages, renderer, publisher, progress)
        report.warnings += summaries(config, plan.catalogs, untranslated)
        pipeline.copy_static(config, plan, publisher)
        report.archive = pipeline.offline_files(plan, renderer, publisher)
        files = publisher.finish()
        report.files, report.written, report.unchanged = len(publisher.written), publisher.rewrote, publisher.kept
        staging = identity(publisher.dir)
        same = publisher.same_as_live()
        if same:  # say, a file was saved again unchanged: the live site stays, not even swapped
            trees = {live: Tree(publisher.live_files, inputs.digest, report), staging: Tree(files)}
        else:
            trees = {staging: Tree(files, inputs.digest, report)}
            if publisher.mirror is not None:
                trees[identity(publisher.mirror)] = Tree(publisher.mirror_files())
            elif publisher.live_files is not None:
                trees[live] = Tree(publisher.live_files)
        # The contexts are the bulk of a large build's memory, and saving the cache pickles more. The
        # cards views and the search memo keep are for the next build of a long-lived process only.
        plan.pages.clear()
        if keep is None:
            plan.views.clear()
            memory.search.recent.clear()
        stores = {"markdown": memory.renders.to_store(release=keep is None)}
        stores.update(docs=memory.documents.to_store(), search=memory.search.to_store())
        # Recorded before the swap: a build killed right after it finds the folders as recorded.
        cache.save(inputs.files, trees, stores["docs"], stores["markdown"], pages, plan.record, stores["search"])
        if same:
            publisher.keep_as_spare()
        else:
            publisher.swap()
    except BaseException:
        publisher.discard()
        raise
    report.seconds = time.perf_counter() - started  # with the cache saved and the site swapped in: the editor's wait
    if keep is not None:
        folders = [identity(folder) for folder in (config.output_dir, config.cache_dir / SPARE)]
        live_id, spare_id = (ident if ident in trees else None for ident in folders)
        if live_id is not None and spare_id is not None:
            live, spare = (live_id, trees[live_id].files), (spare_id, trees[spare_id].files)
            keep.kept(LastBuild(config, inputs, plan, memory, renderer, pages, stores, live, spare, report))
    return report


def _check_own_output(config: Config, trees: dict[tuple[int, int], Tree]) -> None:
    """Refuse an output folder parkpress did not make: publishing replaces all of it.

    Sites built before folders were marked are still known to the cache, and get their
    marker with this build; without a cache, the message says how to go on.
    """
    folder = config.output_dir
    entry = output.foreign_entry(folder)
    if entry is None or identity(folder) in trees:
        return
    name = folder.relative_to(config.root).as_posix()
    message = (
        f"output_dir '{name}' holds files parkpress did not make ({name}/{entry}); a build replaces the whole folder:"
        f" choose an empty or new folder, or move those files out (a site an older parkpress built: delete {name}/ and build again)"
    )
    if config.overrides.output_dir:
        raise BuildFailed([Problem(COMMAND_LINE, 0, f"--output: {message}")])
    problems = Problems(config.root)
    problems.error(config.file, config.line("site", "output_dir"), message)
    raise BuildFailed(problems.items)


def _check_publishable(config: Config) -> None:
    """Refuse, before any work, an output folder the finished site could not be swapped into."""
    refused = output.unpublishable(config.output_dir, config.cache_dir)
    if refused is not None:
        folder, why = refused
        problems = Problems(config.root)
        problems.error(folder, 0, why)
        raise BuildFailed(problems.items)


def _digests(inputs: snapshot.Snapshot) -> Callable[[Path], bytes | None]:
    """The snapshot's digest of an input file (the site's, its theme's), so copying it needs no reading when unchanged."""

    def digest_of(path: Path) -> bytes | None:
        name = inputs.name(path)
        record = inputs.files.get(name) if name is not None else None
        return record.digest if record is not None and not record.racy else None

    return digest_of


def _copy_report(stored: BuildReport, started: float) -> BuildReport:
    return BuildReport(
        pages=Counter(stored.pages),
        files=stored.files,
        written=0,
        unchanged=stored.files,
        seconds=time.perf_counter() - started,
        warnings=list(stored.warnings),
        missing=dict(stored.missing),
        output=stored.output,
        archive=stored.archive,
    )
