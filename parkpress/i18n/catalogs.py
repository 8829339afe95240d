"""Message catalogs: read the committed .po files directly (no compile step).

Translations are escaped before Jinja marks them safe, so a translator cannot
inject markup, and every msgstr must use exactly the placeholders of its msgid.
"""

from __future__ import annotations

import gettext
import hashlib
import io
import re
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po
from babel.support import Translations
from markupsafe import escape

from parkpress.core.problems import Problems

DOMAIN = "messages"
_PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


@dataclass
class LoadedCatalog:
    translations: gettext.NullTranslations
    digest: str  # changes whenever the .po file changes
    catalog: Catalog | None  # None when the language has no .po file
    path: Path


def po_path(locales_dir: Path, lang: str) -> Path:
    return locales_dir / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def load_catalog(locales_dir: Path, lang: str, locale: str, problems: Problems) -> LoadedCatalog:
    """Read ``locales/<lang>/LC_MESSAGES/messages.po``; problems are reported with their line."""
    path = po_path(locales_dir, lang)
    if not path.is_file():
        if not locale.startswith("en"):
            problems.warning(path, 0, f"no catalog for '{lang}': the interface shows English; run 'python build.py i18n update'")
        return LoadedCatalog(gettext.NullTranslations(), "none", None, path)
    data = path.read_bytes()
    catalog = read_catalog(path, data, locale, problems)
    if catalog is None:
        return LoadedCatalog(gettext.NullTranslations(), "broken", None, path)
    bad = placeholder_errors(catalog)
    for line, message in bad:
        problems.error(path, line, message)
    if bad:
        return LoadedCatalog(gettext.NullTranslations(), "broken", catalog, path)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return LoadedCatalog(Translations(buffer, domain=DOMAIN), hashlib.sha256(data).hexdigest(), catalog, path)


# A line that starts a string must hold exactly one complete "…" string: Babel
# drops the last character of an unclosed or unquoted one without a word.
_STRING_LINE = re.compile(r'^(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)(?:\s|$)|^"')
_QUOTED = re.compile(r'^(?:[\w\[\]]+\s+)?"(?:[^"\\]|\\.)*"$')


def read_catalog(path: Path, data: bytes, locale: str | None, problems: Problems) -> Catalog | None:
    """Parse a .po file; report every malformed line with its 1-based line number."""
    unquoted = False
    for number, raw in enumerate(data.decode("utf-8", "replace").splitlines(), start=1):
        line = raw.strip().removeprefix("#~").strip()  # obsolete entries keep the syntax behind '#~'
        if _STRING_LINE.match(line) and not _QUOTED.match(line):
            unquoted = True
            problems.error(path, number, 'broken catalog: the text must be in double quotes (write \\" for a quote inside it)')
    if unquoted:
        return None
    try:
        return read_po(io.BytesIO(data), locale=locale, abort_invalid=True)
    except PoFileError as exc:
        # Babel counts lines from 0; its wording changes between releases, so the message is ours.
        problems.error(
            path,
            exc.lineno + 1,
            "broken catalog: this line is not part of a valid entry (a misspelt msgid or msgstr, or an entry cut short);"
            " fix the entry or run 'python build.py i18n update'",
        )
    except (UnicodeDecodeError, ValueError) as exc:
        problems.error(path, 0, f"unreadable catalog: {exc}; save it as UTF-8 .po")
    return None


def placeholder_errors(catalog: Catalog) -> list[tuple[int, str]]:
    """Translations whose %(name)s placeholders differ from the source's."""
    found = []
    for message in catalog:
        if not message.id or not message.string or message.fuzzy:
            continue
        ids = message.id if isinstance(message.id, (list, tuple)) else (message.id,)
        strings = message.string if isinstance(message.string, (list, tuple)) else (message.string,)
        expected = set().union(*(_PLACEHOLDER.findall(i) for i in ids))
        for string in strings:
            if string and set(_PLACEHOLDER.findall(string)) != expected:
                names = ", ".join(f"%({n})s" for n in sorted(expected)) or "none"
                found.append((message.lineno, f"translation of '{ids[0]}' must use the placeholders {names}, exactly as the source does"))
                break
            # Jinja's newstyle gettext always %-formats the translation: a lone "%" would fail on every page.
            if string and "%" in _PLACEHOLDER.sub("", string).replace("%%", ""):
                found.append((message.lineno, f"translation of '{ids[0]}' has a lone '%'; write '%%' for a percent sign"))
                break
    return found


def escaped_callables(translations: gettext.NullTranslations):
    """gettext/ngettext/pgettext whose results are HTML-escaped translations."""

    def gettext_(message: str) -> str:
        return escape(translations.gettext(message))

    def ngettext_(singular: str, plural: str, n: int) -> str:
        return escape(translations.ngettext(singular, plural, n))

    return gettext_, ngettext_
