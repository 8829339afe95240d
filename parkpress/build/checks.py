"""Everything worth knowing before publishing, found without writing the site.

The pipeline is the build's own: :func:`pipeline.make_plan` reads and
cross-checks the content (schema, references, links, images, duplicate URLs)
and every page is rendered in memory.  On top of that come the things a build
tolerates but an editor-in-chief would not: content missing in a language, a
translation that is still a copy of its source, catalog entries that are
untranslated or fuzzy, the labels the rendered pages show in English, and Markdown
that the CommonMark previews editors write with would show differently
(content/commonmark.py).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from babel import Locale
from babel.messages.catalog import Message

from parkpress.build.pipeline import Plan, Renderer, make_plan
from parkpress.build.untranslated import Untranslated, summaries
from parkpress.content.commonmark import PythonMarkdown, divergences
from parkpress.content.model import Document
from parkpress.content.translation import OUTDATED, changed_parts, source_of, state, translation_path
from parkpress.core.config import NO_OVERRIDES, Config, Overrides, load_config
from parkpress.core.invocation import command
from parkpress.core.problems import ERROR, WARNING, BuildFailed, Problem, Problems
from parkpress.i18n.catalogs import LoadedCatalog, load_catalog, speaks_msgids
from parkpress.i18n.extract import ExtractionFailed, Usage
from parkpress.render.messages import site_messages
from parkpress.render.templates import TemplateFailure
from parkpress.theme.loader import Themes, load_themes

SECTION_COMMAND = {"news": "news", "pages": "page", "parks": "park"}


@dataclass
class CheckReport:
    findings: list[Problem]
    pages: int  # pages planned and rendered; 0 when errors in the content stopped the check before planning

    @property
    def errors(self) -> int:
        return sum(1 for p in self.findings if p.level == ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for p in self.findings if p.level == WARNING)


def check_site(root: Path, strict: bool = False, overrides: Overrides = NO_OVERRIDES) -> CheckReport:
    """All findings, sorted; with ``strict`` every warning counts as an error; ``overrides``
    as the build takes them, so that the pages checked are the pages a deploy publishes."""
    try:
        config = load_config(root, overrides)
        themes = load_themes(config)
    except BuildFailed as exc:
        return CheckReport(exc.problems, 0)
    try:
        plan = make_plan(config, themes)
    except BuildFailed as exc:
        findings = exc.problems + catalog_findings(config, themes)
        pages = 0
    else:
        rendered, shown = render_findings(plan)
        findings = plan.problems.items + rendered + translation_findings(plan) + catalog_findings(config, themes, shown)
        findings += summaries(config, plan.catalogs, shown, listed=True) + commonmark_findings(plan)
        pages = len(plan.pages)
    if strict:
        findings = [replace(p, level=ERROR) for p in findings]
    return CheckReport(sorted(set(findings)), pages)


def render_findings(plan: Plan) -> tuple[list[Problem], Untranslated]:
    """Render every page as the build would, keeping the bytes nowhere; and what the pages show untranslated."""
    renderer = Renderer(plan.config, plan.themes, plan.catalogs)
    problems = Problems(plan.config.root)
    shown = Untranslated.of_views(plan.missed)
    for page in plan.pages:
        try:
            missed = renderer.render_noting(page)[1]
        except TemplateFailure as exc:
            problems.error(exc.path, exc.line, f"{exc} (while rendering {page.path})")
        else:
            shown.add(page.lang or plan.config.default_language, page.path, missed)
    return problems.items, shown


def shown_untranslated(config: Config, themes: Themes) -> Untranslated:
    """What the site's pages show untranslated, every page planned and rendered in memory; BuildFailed
    when the content or a template stops that (``check`` lists why)."""
    plan = make_plan(config, themes)
    failures, shown = render_findings(plan)
    if failures:
        raise BuildFailed(failures)
    return shown


def commonmark_findings(plan: Plan) -> list[Problem]:
    """Each place where a body would look different in CommonMark previews (GitHub, VS Code) than on the site."""
    problems = Problems(plan.config.root)
    converter = PythonMarkdown(plan.config.allow_raw_html)
    for doc in plan.site.content.documents():
        for divergence in divergences(doc.body, converter):
            problems.warning(doc.rel, doc.body_line + divergence.line, divergence.message)
    return problems.items


def translation_findings(plan: Plan) -> list[Problem]:
    """Items missing in a language, and translations whose text is still the source's."""
    problems = Problems(plan.config.root)
    content = plan.site.content
    groups = [
        ("news", {key: item.translations for key, item in content.news.items()}),
        ("pages", {key: page.translations for key, page in content.pages.items()}),
        ("parks", {key: park.prose for key, park in content.parks.items()}),
    ]
    for section, items in groups:
        for key, docs in items.items():
            original = source_of(docs, plan.config.default_language)
            for language in plan.config.languages:
                doc = docs.get(language.code)
                if doc is None:
                    problems.warning(
                        translation_path(original, language.code),
                        0,
                        f"'{key}' has no '{language.code}' version; "
                        f"create it with: {command()} new {SECTION_COMMAND[section]} --translations {key} --lang {language.code}",
                    )
                elif doc is not original and doc.body.strip() and doc.body.strip() == original.body.strip():
                    problems.warning(doc.rel, doc.body_line, f"the text is the same as in {original.rel}; translate it ('{language.code}')")
                elif doc is not original and state(doc, original).status == OUTDATED:
                    problems.warning(doc.rel, doc.line("translation_of"), _outdated(plan.config, doc, original))
    return problems.items


def _outdated(config: Config, doc: Document, source: Document) -> str:
    """Which parts changed, where the record says; a record from before ``parts`` cannot."""
    language = language_name(config, source.lang)
    changes = changed_parts(doc.meta["translation_of"], source)
    if changes is None:
        what = "the title, the summary or the body: the record is older than part digests and cannot say which"
    else:
        what = ", ".join(changes) or "the title, the summary or the body"
    return (
        f"the {language} text changed since this translation ({what}); '{command()} i18n diff {doc.rel}' shows how; "
        f"update the translation, then run: {command()} i18n done {doc.rel}"
    )


def language_name(config: Config, code: str) -> str:
    """A configured language's name as the site's default language writes it: messages name the source's language so."""
    return Locale.parse(config.language(config.default_language).locale.replace("-", "_")).languages.get(code, code)


def catalog_findings(config: Config, themes: Themes, shown: Untranslated | None = None) -> list[Problem]:
    """Interface strings that pages would show in English: used by a template, by parkpress or by
    the taxonomy, or looked up by a page as it was made (``shown``), and translated by neither the
    site's catalog nor the theme's; and fuzzy entries.

    Broken catalogs and placeholders that differ from the source are the build's errors
    (see i18n/catalogs.py) and come with the plan's problems.
    """
    problems = Problems(config.root)
    try:
        used = site_messages(config, themes)
    except ExtractionFailed:
        return []  # a broken template: the plan reports it
    for language in config.languages:
        if speaks_msgids(language.locale):
            continue  # the msgids are English: an English catalog has nothing to translate
        loaded = load_catalog(
            config.locales_dir, [layer.locales for layer in themes.layers[1:]], language.code, language.locale, Problems(config.root)
        )
        if loaded.catalog is None and not loaded.theme:
            continue  # the build warns that the language has no catalog at all
        if not loaded.theme:
            problems.warning(
                loaded.path,
                0,
                f"the theme {themes.describe()} has no catalog for '{language.code}' ({language.locale}): its interface strings "
                f"show in English unless this catalog translates them; '{command()} i18n update' adds them here",
            )
        for source, entry in missing_translations(loaded, used + made_up(config, language.code, shown, used)):
            what = f"'{source.singular}'"
            if entry is not None and entry[1].fuzzy:
                problems.warning(entry[0], entry[1].lineno, f"fuzzy translation of {what}: review it, then remove the '#, fuzzy' line")
            elif entry is not None:
                problems.warning(entry[0], entry[1].lineno, f"{what} is not translated ('{language.code}'); pages show it in English")
            elif source.comments == (MADE_UP,):
                problems.warning(
                    source.path,
                    0,
                    f"{what} is shown untranslated on this page ('{language.code}'): a template makes the message up as it"
                    f" renders, so '{command()} i18n update' cannot find it; add it to {loaded.path.relative_to(config.root)} yourself",
                )
            elif loaded.theme:
                problems.warning(
                    source.path,
                    source.line,
                    f"{what} is not translated into '{language.code}'; add it to {loaded.path.relative_to(config.root)}"
                    f" ('{command()} i18n update' does)",
                )
    return problems.items


MADE_UP = "looked up while rendering"  # the comment of a message that no file names: a template computes it


def made_up(config: Config, lang: str, shown: Untranslated | None, used: list[Usage]) -> list[Usage]:
    """The messages the pages of ``lang`` looked up that no template, taxonomy or parkpress names,
    each at the first built page that shows it."""
    named = {usage.singular for usage in used}
    missed = shown.by_language.get(lang, {}) if shown is not None else {}
    return [
        Usage(message_id, config.output_dir / page, 0, (MADE_UP,)) for message_id, page in sorted(missed.items()) if message_id not in named
    ]


def missing_translations(loaded: LoadedCatalog, used: list[Usage]) -> list[tuple[Usage, tuple[Path, Message] | None]]:
    """Each used message a page would show untranslated, once, with the catalog entry that lacks it (site's first)."""
    found = []
    for usage in {usage.singular: usage for usage in reversed(used)}.values():
        if usage.singular in loaded.translated:
            continue
        entries = [
            (path, catalog.get(usage.message if not isinstance(usage.message, tuple) else usage.message[0], usage.context))
            for path, catalog in loaded.sources()
        ]
        entry = next(((path, message) for path, message in entries if message is not None), None)
        found.append((usage, entry))
    return sorted(found, key=lambda item: (str(item[0].path), item[0].line))
