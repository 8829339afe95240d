"""What the built pages show untranslated: the msgids they looked up that their language's
catalogs (the site's over the theme's) lack or have only fuzzy.

Recorded as the pages are made, not read off the templates: the views translate the taxonomy's
labels and parkpress's own strings while planning, the templates the rest while rendering
(i18n/catalogs.py: Lookups).  A page an incremental build places unrendered counts with what
it looked up when it was rendered (the cache keeps it with the page's fingerprint), so a build
reports what a clean one does.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from babel import Locale

from parkpress.core.config import Config
from parkpress.core.invocation import command
from parkpress.core.problems import Problem, Problems
from parkpress.i18n.catalogs import LoadedCatalog

LISTED = 5  # labels named in a language's summary; check names every one where it comes from


@dataclass
class Untranslated:
    """Per language, the msgids its pages show untranslated, each with the first page (by output
    path) that shows it; "" for those the views translate (taxonomy labels: many pages show them,
    and the taxonomy says where they come from)."""

    by_language: dict[str, dict[str, str]] = field(default_factory=dict)

    @classmethod
    def of_views(cls, missed: dict[str, tuple[str, ...]]) -> Untranslated:
        found = cls()
        for lang, message_ids in missed.items():
            found.add(lang, "", message_ids)
        return found

    def add(self, lang: str, page: str, missed: tuple[str, ...]) -> None:
        shown = self.by_language.setdefault(lang, {})
        for message_id in missed:
            if message_id not in shown or page < shown[message_id]:
                shown[message_id] = page


def summaries(config: Config, catalogs: dict[str, LoadedCatalog], untranslated: Untranslated, listed: bool = False) -> list[Problem]:
    """One warning per language whose pages show untranslated labels, at its catalog: how many, the
    first of them; ``listed``: each is also reported where it comes from (check), else the warning says where to look."""
    problems = Problems(config.root)
    listed_by = "" if listed else f" ('{command()} check' says where each comes from)"
    for language in config.languages:
        missed = sorted(untranslated.by_language.get(language.code, ()))
        if not missed:
            continue
        loaded = catalogs[language.code]
        fuzzy = sum(1 for message_id in missed if loaded.fuzzy(message_id))
        names = ", ".join(f'"{message_id}"' for message_id in missed[:LISTED])
        if len(missed) > LISTED:
            names += f" and {len(missed) - LISTED} more"
        count = f"{len(missed)} label{'s' if len(missed) != 1 else ''} used on pages {'have' if len(missed) != 1 else 'has'}"
        only_fuzzy = f" ({fuzzy} only a fuzzy one)" if fuzzy else ""
        them = "them" if len(missed) != 1 else "it"
        problems.warning(
            loaded.path,
            0,
            f"{count} no {language_name(language.locale)} translation{only_fuzzy}: {names};"
            f" '{command()} i18n update' adds what this catalog lacks, then translate {them}{listed_by}",
        )
    return problems.items


def language_name(locale: str) -> str:
    """The language's English name, with its script where that tells it apart ("German", "Chinese (Simplified)")."""
    parsed = Locale.parse(locale.replace("-", "_"))
    return Locale(parsed.language, script=parsed.script).english_name or locale
