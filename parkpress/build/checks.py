"""Everything worth knowing before publishing, found without writing the site.

The pipeline is the build's own: :func:`pipeline.make_plan` reads and
cross-checks the content (schema, references, links, images, duplicate URLs)
and every page is rendered in memory.  On top of that come the things a build
tolerates but an editor-in-chief would not: content missing in a language, a
translation that is still a copy of its source, and catalog entries that are
untranslated or fuzzy.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from parkpress.build.pipeline import Plan, Renderer, make_plan
from parkpress.content.model import Document
from parkpress.core.config import Config, load_config
from parkpress.core.problems import ERROR, WARNING, BuildFailed, Problem, Problems
from parkpress.i18n.catalogs import load_catalog
from parkpress.render.templates import TemplateFailure

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


def check_site(root: Path, strict: bool = False) -> CheckReport:
    """All findings, sorted; with ``strict`` every warning counts as an error."""
    try:
        config = load_config(root)
    except BuildFailed as exc:
        return CheckReport(exc.problems, 0)
    findings = catalog_findings(config)
    try:
        plan = make_plan(root)
    except BuildFailed as exc:
        findings += exc.problems
        pages = 0
    else:
        findings += plan.problems.items + render_findings(plan) + translation_findings(plan)
        pages = len(plan.pages)
    if strict:
        findings = [replace(p, level=ERROR) for p in findings]
    return CheckReport(sorted(set(findings)), pages)


def render_findings(plan: Plan) -> list[Problem]:
    """Render every page as the build would, keeping the bytes nowhere."""
    renderer = Renderer(plan.config, plan.catalogs)
    problems = Problems(plan.config.root)
    for page in plan.pages:
        try:
            renderer.render(page)
        except TemplateFailure as exc:
            problems.error(exc.path, exc.line, f"{exc} (while rendering {page.path})")
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
            original = docs.get(plan.config.default_language) or docs[sorted(docs)[0]]
            for language in plan.config.languages:
                doc = docs.get(language.code)
                if doc is None:
                    problems.warning(
                        _sibling(original, language.code),
                        0,
                        f"'{key}' has no '{language.code}' version; "
                        f"create it with: python build.py new {SECTION_COMMAND[section]} --translations {key} --lang {language.code}",
                    )
                elif doc is not original and doc.body.strip() and doc.body.strip() == original.body.strip():
                    problems.warning(doc.rel, doc.body_line, f"the text is the same as in {original.rel}; translate it ('{language.code}')")
    return problems.items


def _sibling(doc: Document, lang: str) -> str:
    """Where ``doc``'s translation into ``lang`` belongs (beside it, also inside a bundle)."""
    folder, _, name = doc.rel.rpartition("/")
    return f"{folder}/{name.removesuffix(f'.{doc.lang}.md')}.{lang}.md"


def catalog_findings(config: Config) -> list[Problem]:
    """Interface strings that the catalogs leave in English: untranslated or fuzzy entries.

    Broken catalogs and placeholders that differ from the source are the build's
    errors (see i18n.load_catalog) and come with the plan's problems.
    """
    problems = Problems(config.root)
    for language in config.languages:
        if language.locale.startswith("en"):
            continue  # the msgids are English: an English catalog has nothing to translate
        loaded = load_catalog(config.locales_dir, language.code, language.locale, Problems(config.root))
        if loaded.catalog is None:
            continue
        for message in loaded.catalog:
            if not message.id:
                continue  # the header entry
            source = message.id[0] if isinstance(message.id, (list, tuple)) else message.id
            strings = message.string if isinstance(message.string, (list, tuple)) else (message.string,)
            if message.fuzzy:
                problems.warning(
                    loaded.path, message.lineno, f"fuzzy translation of '{source}': review it, then remove the '#, fuzzy' line"
                )
            elif not all(strings):
                problems.warning(loaded.path, message.lineno, f"'{source}' is not translated ('{language.code}'); pages show it in English")
    return problems.items
