"""``i18n done PATH…``: record that translations now translate their source's current text.

Only the ``translation_of`` lines of each file are rewritten; every other byte stays.
Nothing is written unless every PATH is a translation that can be recorded.
"""

from __future__ import annotations

from parkpress.commands.translation_files import named_translations
from parkpress.content.sources import SourceFile
from parkpress.content.translation import with_record
from parkpress.core.config import Config
from parkpress.core.problems import Problems


def mark_done(config: Config, paths: list[str]) -> int:
    for target in record_current(config, paths):
        print(f"{target.shown}: current")
    return 0


def record_current(config: Config, paths: list[str]) -> list[SourceFile]:
    """Record each of ``paths`` as translating its source's current text; the files rewritten.

    BuildFailed, and nothing written, unless every one of them is a translation of this site's content.
    """
    problems = Problems(config.root)
    found = named_translations(config, paths, problems, "to mark as done")
    problems.raise_if_errors()
    updates = []
    for translation in found:
        with open(translation.file.path, encoding="utf-8", newline="") as handle:
            updates.append((translation.file, with_record(handle.read(), translation.source)))
    for target, text in updates:
        target.path.write_text(text, encoding="utf-8", newline="")
    return [target for target, _ in updates]
