"""The build, as a flat list of steps: read, check, plan, render, write, publish."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from parkpress import media
from parkpress.body import Bodies
from parkpress.config import Config, load_config
from parkpress.content import load_content
from parkpress.formatting import Formatter
from parkpress.i18n import LoadedCatalog, load_catalog
from parkpress.markup import MarkdownConverter
from parkpress.offline import add_offline_files
from parkpress.output import Staging, UnsafePath, check_relative
from parkpress.planner import Page, plan_site
from parkpress.problems import Problem, Problems
from parkpress.qrcode import QrCodes
from parkpress.site import Site
from parkpress.sources import discover
from parkpress.templates import TemplateFailure, environment, render
from parkpress.urls import Urls
from parkpress.views import Views


@dataclass
class Plan:
    """Everything known about the site before a byte is written."""

    config: Config
    site: Site
    pages: list[Page]
    catalogs: dict[str, LoadedCatalog]
    media: list[str]  # content-relative assets that pages use
    problems: Problems


@dataclass
class BuildReport:
    pages: Counter = field(default_factory=Counter)  # lang (or "" for root files) -> count
    written: int = 0
    unchanged: int = 0
    seconds: float = 0.0
    warnings: list[Problem] = field(default_factory=list)
    missing: dict[str, list[str]] = field(default_factory=dict)
    output: Path | None = None
    archive: str | None = None  # the offline archive's path in the output, when built


def make_plan(root: Path, archive: bool = False) -> Plan:
    """Read and check everything; raise BuildFailed listing every error.

    ``archive``: plan pages that link to the offline archive (``build --zip``).
    """
    config = load_config(root)
    problems = Problems(config.root)
    sources = discover(config.content_dir, config.language_codes, config.root, problems)
    catalogs = {lang.code: load_catalog(config.locales_dir, lang.code, lang.locale, problems) for lang in config.languages}
    content = load_content(config, sources, problems)
    if not config.templates_dir.is_dir():
        problems.error(config.templates_dir, 0, "no templates/ folder: copy the default templates from the parkpress repository")
    problems.raise_if_errors()
    site = Site(content, config.language_codes)
    urls = Urls(config)
    views = {
        lang.code: Views(site, urls, lang.code, catalogs[lang.code].translations, Formatter(lang.locale, config.timezone))
        for lang in config.languages
    }
    bodies = Bodies(content, urls, MarkdownConverter(config.allow_raw_html), problems)
    pages = plan_site(config, site, urls, views, bodies, problems, archive=archive)
    for page in pages:
        try:
            check_relative(page.path)
        except UnsafePath as exc:
            problems.error(page.source or "content", 1, str(exc))
    problems.raise_if_errors()
    return Plan(config, site, pages, catalogs, sorted(bodies.used_assets), problems)


class Renderer:
    """Renders pages with one Jinja2 environment per language (compiled templates are reused)."""

    def __init__(self, config: Config, catalogs: dict[str, LoadedCatalog]):
        absolute = Urls(config).absolute
        self.envs = {
            lang.code: environment(
                config.templates_dir,
                catalogs[lang.code].translations,
                Formatter(lang.locale, config.timezone),
                absolute,
                qr=QrCodes(config.cache_dir / "qr"),
            )
            for lang in config.languages
        }
        self.default = config.default_language

    def render(self, page: Page) -> bytes:
        env = self.envs[page.lang or self.default]
        return render(env, page.template, page.context).encode("utf-8")


def build(root: Path, progress: Callable[[int, int], None] | None = None, archive: bool = False) -> BuildReport:
    """Build and publish the site; ``progress(done, total)`` is called after each rendered page.

    ``archive``: also write a zip of the whole site for offline reading, linked from every page.
    """
    started = time.perf_counter()
    plan = make_plan(root, archive=archive)
    config = plan.config
    report = BuildReport(output=config.output_dir)
    renderer = Renderer(config, plan.catalogs)
    staging = Staging(config.output_dir)
    try:
        failures = Problems(config.root)
        for done, page in enumerate(plan.pages, start=1):
            try:
                staging.write(page.path, renderer.render(page))
                report.pages[page.lang or ""] += 1
            except TemplateFailure as exc:
                failures.error(exc.path, exc.line, f"{exc} (while rendering {page.path})")
            if progress is not None:
                progress(done, len(plan.pages))
        copy_static(config, plan, staging, failures)
        failures.raise_if_errors()
        try:
            report.archive = add_offline_files(plan.pages, renderer.render, staging, config.default_language)
        except TemplateFailure as exc:
            failures.error(exc.path, exc.line, f"{exc} (while writing the offline files)")
        failures.raise_if_errors()
        staging.publish()
    except BaseException:
        staging.discard()
        raise
    report.written = len(staging.written) - staging.reused
    report.unchanged = staging.reused
    report.warnings = plan.problems.warnings
    report.missing = plan.site.missing_translations()
    report.seconds = time.perf_counter() - started
    return report


def copy_static(config: Config, plan: Plan, staging: Staging, problems: Problems) -> None:
    """Copy static/ (the theme's CSS, JS, icons) and the media files pages use."""
    if config.static_dir.is_dir():
        for path in sorted(config.static_dir.rglob("*")):
            if path.is_file() and not path.name.startswith("."):
                staging.copy("static/" + path.relative_to(config.static_dir).as_posix(), path)
    for asset in plan.media:
        for path, data in media.published(asset, Path(plan.site.content.assets[asset]), config.cache_dir / "media"):
            staging.write(path, data)
