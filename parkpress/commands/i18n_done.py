"""``i18n done PATH…``: record that translations now translate their source's current text.

Only the ``translation_of`` lines of each file are rewritten; every other byte stays.
Nothing is written unless every PATH is a translation that can be recorded.
"""

from __future__ import annotations

from pathlib import Path

from parkpress.content.readers import read_document
from parkpress.content.sources import SourceFile, discover
from parkpress.content.translation import source_of, with_record
from parkpress.core.config import Config
from parkpress.core.problems import BuildFailed, Problems


def mark_done(config: Config, paths: list[str]) -> int:
    problems = Problems(config.root)
    if not paths:
        problems.error(config.content_dir, 0, "name the translations to mark as done, e.g. content/news/2024-05-x.de.md")
    sources = discover(config.content_dir, config.language_codes, problems)
    markdown = sources.of_kind("markdown")
    by_path = {Path(f.file).resolve(): f for f in markdown}
    updates = []
    for given in paths:
        target = by_path.get(Path(given).resolve())
        if target is None:
            problems.error(given, 0, "not a Markdown file of this site's content/; give the translation's path")
            continue
        updates.append(_update(config, target, [f for f in markdown if (f.section, f.key) == (target.section, target.key)], problems))
    problems.raise_if_errors()
    for target, text in updates:
        target.path.write_text(text, encoding="utf-8", newline="")
        print(f"{target.shown}: current")
    return 0


def _update(config: Config, target: SourceFile, siblings: list[SourceFile], problems: Problems) -> tuple[SourceFile, str]:
    docs = {f.lang: doc for f in siblings if (doc := read_document(f, config.timezone, problems)) is not None}
    if target.lang not in docs:
        raise BuildFailed(problems.items)
    source = source_of(docs, config.default_language)
    if source.lang == target.lang:
        problems.error(target.shown, 1, f"this is the item's original ('{source.lang}'), not a translation; name a translation of it")
    with open(target.path, encoding="utf-8", newline="") as handle:
        return target, with_record(handle.read(), source)
