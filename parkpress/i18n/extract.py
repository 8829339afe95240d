"""The messages a site's pages can show, found in its files: what translators are given.

Three kinds of source: templates (``_()``, ``ngettext`` and ``{% trans %}``, read by Jinja2's
own Babel extractor), the strings parkpress's Python code translates (messages.py), and the
labels of ``content/taxonomy.yaml`` (industries, park levels, figure kinds, ranking lists).
Each is an :class:`Usage` with the file and line it comes from, so ``check`` can point at it
and ``i18n extract`` can write the catalog template.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from babel.messages.extract import DEFAULT_KEYWORDS, extract
from jinja2.ext import babel_extract

from parkpress.core.yamldata import YamlError, parse
from parkpress.i18n.messages import MESSAGES, NOTES, SECTION_LABELS

COMMENT_TAGS = ("TRANSLATORS:",)
# As the environment parses templates (render/templates.py), so line numbers match.
_JINJA_OPTIONS = {"extensions": "jinja2.ext.i18n", "trim_blocks": "yes", "lstrip_blocks": "yes", "newstyle_gettext": "yes", "silent": "no"}
_GROUPS = {"industries": "industry", "levels": "park level", "figures": "key figure"}
BUILTIN = Path(__file__).with_name("messages.py")  # where the strings of parkpress's own code are


@dataclass(frozen=True)
class Usage:
    """One message as a file uses it."""

    message: str | tuple[str, str]  # the msgid, or (singular, plural)
    path: Path
    line: int
    comments: tuple[str, ...] = ()
    context: str | None = None

    @property
    def singular(self) -> str:
        return self.message[0] if isinstance(self.message, tuple) else self.message


class ExtractionFailed(Exception):
    """A template whose messages cannot be read (a syntax error); the build reports it too."""

    def __init__(self, path: Path, line: int, message: str):
        self.path, self.line = path, line
        super().__init__(message)


def template_messages(files: Iterable[Path]) -> Iterator[Usage]:
    for path in files:
        try:
            with path.open("rb") as handle:
                for line, message, comments, context in extract(
                    babel_extract, handle, DEFAULT_KEYWORDS, COMMENT_TAGS, _JINJA_OPTIONS, strip_comment_tags=True
                ):
                    yield Usage(message, path, line, tuple(comments), context)
        except OSError as exc:
            raise ExtractionFailed(path, 0, f"cannot read: {exc.strerror}") from None
        except Exception as exc:  # Jinja2's TemplateSyntaxError, and whatever else a broken template raises
            raise ExtractionFailed(path, getattr(exc, "lineno", 0) or 0, f"cannot read its messages: {exc}") from None


def builtin_messages() -> Iterator[Usage]:
    """The section names and the chart and data-file strings parkpress's code translates."""
    for label in SECTION_LABELS.values():
        yield Usage(label, BUILTIN, 0, ("site section",))
    for key, label in MESSAGES.items():
        yield Usage(label, BUILTIN, 0, (NOTES.get(key, "charts and data files"),))


def taxonomy_messages(path: Path) -> Iterator[Usage]:
    """Every label of the taxonomy, with the key it labels as the translator's comment."""
    try:
        doc = parse(path.read_bytes().decode("utf-8"))
    except (OSError, YamlError, UnicodeDecodeError):
        return  # the build reports the broken or missing file with its line
    data = doc.data if isinstance(doc.data, dict) else {}
    for group, what in _GROUPS.items():
        labels = data.get(group)
        if isinstance(labels, dict):
            for key, label in labels.items():
                if isinstance(label, str) and label.strip():
                    yield Usage(label.strip(), path, doc.line((group, key)), (f"{what}: {key}",))
    rankings = data.get("rankings")
    if isinstance(rankings, dict):
        for key, ranking in rankings.items():
            if isinstance(ranking, dict) and isinstance(ranking.get("label"), str) and ranking["label"].strip():
                yield Usage(ranking["label"].strip(), path, doc.line(("rankings", key, "label")), (f"ranking list: {key}",))
