"""serve's translation status page, ``/_parkpress/translations``: for the editors and translators
working on this computer, never part of the published site.

Per language, every content translation that is current, outdated (with what changed in its
source), unknown (no record) or missing, with links to its page and to its source file as
text (``/_parkpress/source/content/…``: only the site's own Markdown files are served so).
Made from the last good build's plan, kept in memory by the session; Jinja escapes every
value, as titles and paths are the site's input.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import jinja2

from parkpress.build.pipeline import Plan
from parkpress.build.translation_status import CHANGED, SOURCES, STATUSES, translation_status
from parkpress.content.translation import MISSING, OUTDATED, UNKNOWN
from parkpress.core.invocation import command

STATUS_PATH = "/_parkpress/translations"
SOURCE_PATH = "/_parkpress/source/"


@dataclass(frozen=True)
class Row:
    status: str
    path: str  # the translation's file, project-relative (a missing one: where it belongs)
    page: str | None  # its page on this server
    source: str  # the source's file, project-relative
    source_page: str | None
    note: str  # what changed, or what to do


def source_files(plan: Plan) -> set[str]:
    """The files the source view serves: the site's Markdown documents, by project-relative path."""
    return {doc.rel for doc in plan.site.content.documents()}


def rows(plan: Plan) -> dict[str, list[Row]]:
    """lang -> its rows, outdated first (what needs work), then unknown, missing, current."""
    pages = {(slot.source, slot.lang): "/" + slot.path.removesuffix("index.html") for slot in plan.slots if slot.source}
    langs = {doc.rel: doc.lang for doc in plan.site.content.documents()}
    result = {}
    for lang, statuses in translation_status(plan).items():
        order = (OUTDATED, UNKNOWN, MISSING, *(s for s in STATUSES if s not in (OUTDATED, UNKNOWN, MISSING)))
        result[lang] = [
            Row(
                status,
                path,
                pages.get((path, lang)),
                source := statuses[SOURCES][path],
                pages.get((source, langs[source])),
                _note(status, path, statuses[CHANGED].get(path)),
            )
            for status in order
            for path in statuses[status]
        ]
    return result


def _note(status: str, path: str, changes: list[str] | None) -> str:
    if status == OUTDATED:
        what = ", ".join(changes) if changes else "which part: the record is too old to say"
        return f"changed: {what}; {command()} i18n diff {path}"
    if status == UNKNOWN:
        return f"no record of its source's version; once it is checked: {command()} i18n done {path}"
    if status == MISSING:
        return "not translated yet"
    return ""


def page(plan: Plan | None) -> bytes:
    if plan is None:
        return _TEMPLATE.render(languages=None).encode()
    return _TEMPLATE.render(languages=rows(plan), statuses=STATUSES, source_link=source_link).encode()


def source_link(path: str) -> str:
    return SOURCE_PATH + quote(path)


# Its own template, not the theme's: the page is parkpress's, the same whatever the site looks like.
_TEMPLATE = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).parent), autoescape=True, undefined=jinja2.StrictUndefined
).get_template("translations.html")
