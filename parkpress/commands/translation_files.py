"""The content translations a translator's command names (``i18n done``, ``i18n diff``), each with its source."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from parkpress.content.model import Document
from parkpress.content.readers import read_document
from parkpress.content.sources import SourceFile, discover
from parkpress.content.translation import source_of
from parkpress.core.config import Config
from parkpress.core.problems import Problems


@dataclass(frozen=True)
class Translation:
    file: SourceFile
    doc: Document
    source_file: SourceFile
    source: Document


def named_translations(config: Config, paths: list[str], problems: Problems, purpose: str) -> list[Translation]:
    """Each of ``paths`` that is a translation of this site's content, read with its source; what
    is not (no such file, an item's original, a file that does not read) is reported to ``problems``."""
    if not paths:
        problems.error(config.content_dir, 0, f"name the translations {purpose}, e.g. content/news/2024-05-x.de.md")
    markdown = discover(config.content_dir, config.language_codes, problems).of_kind("markdown")
    by_path = {Path(f.file).resolve(): f for f in markdown}
    found = []
    for given in paths:
        target = by_path.get(Path(given).resolve())
        if target is None:
            problems.error(given, 0, "not a Markdown file of this site's content/; give the translation's path")
            continue
        files = {f.lang: f for f in markdown if (f.section, f.key) == (target.section, target.key)}
        docs = {lang: doc for lang, f in files.items() if (doc := read_document(f, config.timezone, problems)) is not None}
        if target.lang not in docs:
            continue  # read_document said why
        source = source_of(docs, config.default_language)
        if source.lang == target.lang:
            problems.error(target.shown, 1, f"this is the item's original ('{source.lang}'), not a translation; name a translation of it")
            continue
        found.append(Translation(target, docs[target.lang], files[source.lang], source))
    return found
