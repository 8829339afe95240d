"""``i18n status``: per language, which content translations are current, outdated, unknown or missing,
and of each outdated one which parts changed."""

from __future__ import annotations

from parkpress.build.pipeline import Plan
from parkpress.content.translation import CURRENT, MISSING, OUTDATED, UNKNOWN, changed_parts, source_of, state, translation_path

STATUSES = (CURRENT, OUTDATED, UNKNOWN, MISSING)


CHANGED, SOURCES = "changed", "sources"


def translation_status(plan: Plan) -> dict[str, dict]:
    """lang -> status -> the translations' paths (a missing one: where it belongs), for every language but the item's own;
    lang -> "changed" -> each outdated translation's path -> what changed in its source (None: its record cannot say);
    lang -> "sources" -> each translation's path (a missing one's too) -> its source's path."""
    content = plan.site.content
    groups = [
        *(item.translations for item in content.news.values()),
        *(page.translations for page in content.pages.values()),
        *(park.prose for park in content.parks.values()),
    ]
    report = {language.code: {status: [] for status in STATUSES} for language in plan.config.languages}
    changed = {language.code: {} for language in plan.config.languages}
    sources = {language.code: {} for language in plan.config.languages}
    for docs in groups:
        source = source_of(docs, plan.config.default_language)
        for language in plan.config.languages:
            if language.code == source.lang:
                continue
            doc = docs.get(language.code)
            if doc is None:
                path = translation_path(source, language.code)
                report[language.code][MISSING].append(path)
                sources[language.code][path] = source.rel
            else:
                sources[language.code][doc.rel] = source.rel
                status = state(doc, source).status
                report[language.code][status].append(doc.rel)
                if status == OUTDATED:
                    changed[language.code][doc.rel] = changed_parts(doc.meta["translation_of"], source)
    return {
        lang: {
            **{status: sorted(paths) for status, paths in statuses.items()},
            CHANGED: dict(sorted(changed[lang].items())),
            SOURCES: dict(sorted(sources[lang].items())),
        }
        for lang, statuses in report.items()
    }


def not_current(report: dict[str, dict]) -> bool:
    return any(statuses[status] for statuses in report.values() for status in (OUTDATED, UNKNOWN, MISSING))
