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

from babel import Locale, UnknownLocaleError
from babel.core import get_global
from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po
from babel.support import Translations
from markupsafe import escape

from parkpress.core.config import Config
from parkpress.core.invocation import command
from parkpress.core.pluralforms import plural_forms_error
from parkpress.core.problems import Problems
from parkpress.theme.loader import Themes

DOMAIN = "messages"
SOURCE_LANGUAGE = "en"  # the msgids' language
_PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


@dataclass
class CatalogFile:
    """One .po file that gives a language some of its translations."""

    path: Path
    catalog: Catalog


@dataclass
class LoadedCatalog:
    """A language's translations: its theme's catalogs, with the site's own entries over them."""

    translations: gettext.NullTranslations
    digest: str  # changes whenever one of the .po files changes
    catalog: Catalog | None  # the site's own catalog; None when the site has none for the language
    path: Path  # where the site's catalog is (or belongs)
    theme: tuple[CatalogFile, ...] = ()  # the theme's catalogs used, the theme's own first, then its parents'
    translated: frozenset[str] = frozenset()  # msgids (the singular's, for plurals) a page shows translated

    def sources(self) -> list[tuple[Path, Catalog]]:
        """The catalogs used, the one that wins first: the site's, then the theme's, then its parents'."""
        site = [(self.path, self.catalog)] if self.catalog is not None else []
        return site + [(entry.path, entry.catalog) for entry in self.theme]

    def fuzzy(self, message_id: str) -> bool:
        """Whether a catalog of the language has the message marked fuzzy (a translation pages do not use)."""
        return any((message := catalog.get(message_id)) is not None and message.fuzzy for _, catalog in self.sources())


def po_path(locales_dir: Path, lang: str) -> Path:
    return locales_dir / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def theme_po_path(locales_dir: Path, locale: str) -> Path | None:
    """A theme's catalog for ``locale``: named after the locale or a shorter form of it
    (zh_Hans_CN, zh_Hans, zh_CN), as gettext looks catalogs up. A locale without a script has
    CLDR's likely one (zh_TW: Hant), and the bare language (zh) serves only its own likely
    script, so a Traditional site never gets a Simplified catalog."""
    try:
        parsed = Locale.parse(locale.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return None
    script = parsed.script or _likely_script(parsed.language, parsed.territory)
    names = [str(parsed)]
    if script:
        names.append(f"{parsed.language}_{script}")
    if parsed.territory:
        names.append(f"{parsed.language}_{parsed.territory}")
    if script == _likely_script(parsed.language, None):
        names.append(parsed.language)
    for name in dict.fromkeys(names):
        path = po_path(locales_dir, name)
        if path.is_file():
            return path
    return None


def _likely_script(language: str, territory: str | None) -> str | None:
    likely = get_global("likely_subtags")
    full = likely.get(f"{language}_{territory}") or likely.get(language)
    return Locale.parse(full).script if full else None


def load_catalogs(config: Config, themes: Themes, problems: Problems) -> dict[str, LoadedCatalog]:
    """Every configured language's translations, by language code."""
    theme_locales = [layer.locales for layer in themes.layers[1:]]
    return {lang.code: load_catalog(config.locales_dir, theme_locales, lang.code, lang.locale, problems) for lang in config.languages}


def load_catalog(locales_dir: Path, theme_locales: list[Path], lang: str, locale: str, problems: Problems) -> LoadedCatalog:
    """The site's ``locales/<lang>/LC_MESSAGES/messages.po`` over the theme's catalogs of the
    locale (``theme_locales``: the theme's locales/ folder first, then its parents'); problems
    are reported with their line.  Only entries translated in full and not fuzzy are used."""
    path = po_path(locales_dir, lang)
    found = [(theme_po, True) for folder in theme_locales if (theme_po := theme_po_path(folder, locale)) is not None]
    if path.is_file():
        found.append((path, False))
    if not found:
        if not speaks_msgids(locale):
            problems.warning(path, 0, f"no catalog for '{lang}': the interface shows English; run '{command()} i18n update'")
        return LoadedCatalog(gettext.NullTranslations(), "none", None, path)
    digest = hashlib.sha256()
    theme: list[CatalogFile] = []
    site: Catalog | None = None
    broken = False
    for po, of_theme in found:
        data = po.read_bytes()
        digest.update(str(po).encode() + b"\0" + data)
        catalog = read_catalog(po, data, locale, problems)
        bad = placeholder_errors(catalog, data.decode("utf-8", "replace")) if catalog is not None else []
        for line, message in bad:
            problems.error(po, line, message)
        broken |= catalog is None or bool(bad)
        if catalog is not None and of_theme:
            theme.append(CatalogFile(po, catalog))
        elif catalog is not None:
            site = catalog
    if broken:
        return LoadedCatalog(gettext.NullTranslations(), "broken", site, path, tuple(theme))
    layered = [*(entry.catalog for entry in reversed(theme)), *([site] if site is not None else [])]
    merged = Catalog(locale=locale.replace("-", "_"), domain=DOMAIN)
    # The plural rule the translations were written for, not CLDR's newest (French has three forms there).
    merged.mime_headers = [(name, value) for name, value in layered[-1].mime_headers if name.lower() == "plural-forms"]
    for catalog in layered:
        for message in catalog:
            if message.id and _translated(message):
                merged.delete(message.id, message.context)  # else Babel keeps the first string it was given
                merged[message.id] = message
    buffer = io.BytesIO()
    write_mo(buffer, merged, use_fuzzy=False)
    buffer.seek(0)
    translated = frozenset(_singular(message.id) for message in merged if message.id)
    return LoadedCatalog(Translations(buffer, domain=DOMAIN), digest.hexdigest(), site, path, tuple(theme), translated)


def _singular(message_id: str | tuple) -> str:
    return message_id[0] if isinstance(message_id, (list, tuple)) else message_id


def _translated(message: Message | None) -> bool:
    """Translated in full (every plural form) and not fuzzy."""
    if message is None or message.fuzzy or not message.string:
        return False
    strings = message.string if isinstance(message.string, (list, tuple)) else (message.string,)
    return all(strings)


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
    if (plural := plural_forms_error(data)) is not None:
        problems.error(path, *plural)
        return None
    try:
        return read_po(io.BytesIO(data), locale=locale, abort_invalid=True)
    except PoFileError as exc:
        # Babel counts lines from 0; its wording changes between releases, so the message is ours.
        problems.error(
            path,
            exc.lineno + 1,
            "broken catalog: this line is not part of a valid entry (a misspelt msgid or msgstr, or an entry cut short);"
            f" fix the entry or run '{command()} i18n update'",
        )
    except (UnicodeDecodeError, ValueError, LookupError) as exc:  # LookupError: a charset Python does not know
        problems.error(path, 0, f"unreadable catalog: {exc}; save it as UTF-8 .po (Content-Type: text/plain; charset=UTF-8)")
    return None


def _numbers_of_forms(catalog: Catalog) -> dict[int, list[int]]:
    """Plural form -> the numbers 0 to 1000 its rule chooses it for.  A form chosen for exactly one n
    (Arabic's 0, 1 and 2) may leave the number out, as in gettext (msgfmt -c): "يوم واحد", "يومان"."""
    try:
        rule = gettext.c2py(catalog.plural_expr)
    except (ValueError, SyntaxError):
        return {}
    numbers: dict[int, list[int]] = {}
    for n in range(1001):
        numbers.setdefault(rule(n), []).append(n)
    return numbers


def _form_name(form: int, numbers: list[int]) -> str:
    """'the form for n = 2 (msgstr[2])', 'the form for n = 3, 4, 5, … (msgstr[3])': what a translator knows the form by."""
    shown = ", ".join(str(n) for n in numbers[:3]) + (", …" if len(numbers) > 3 else "")
    return f"the form for n = {shown} (msgstr[{form}])" if numbers else f"msgstr[{form}]"


def _msgstr_line(lines: list[str], start: int, form: int) -> int:
    """The line of ``msgstr[form]`` in the entry whose msgid is on line ``start``."""
    for number in range(start, min(len(lines), start + 200) + 1):  # the entry may end the file
        if lines[number - 1].startswith(f"msgstr[{form}]"):
            return number
    return start


def placeholder_errors(catalog: Catalog, text: str = "") -> list[tuple[int, str]]:
    """Translations whose %(name)s placeholders differ from the source's; a form used for one n may omit them."""
    found, lines, numbers = [], text.splitlines(), _numbers_of_forms(catalog)
    for message in catalog:
        if not message.id or not message.string or message.fuzzy:
            continue
        ids = message.id if isinstance(message.id, (list, tuple)) else (message.id,)
        plural = isinstance(message.string, (list, tuple))
        strings = message.string if plural else (message.string,)
        expected = set().union(*(_PLACEHOLDER.findall(i) for i in ids))
        for form, string in enumerate(strings):
            used = set(_PLACEHOLDER.findall(string)) if string else expected
            where = _msgstr_line(lines, message.lineno, form) if plural else message.lineno
            what = f"{_form_name(form, numbers.get(form, []))} of '{ids[0]}'" if plural else f"translation of '{ids[0]}'"
            if used != expected and not (plural and len(numbers.get(form, ())) == 1 and used < expected):
                names = ", ".join(f"%({n})s" for n in sorted(expected)) or "none"
                kind = " (a form for many numbers must show the number)" if plural else ""
                found.append((where, f"{what} must use the placeholders {names}, exactly as the source does{kind}"))
                break
            # Jinja's newstyle gettext always %-formats the translation: a lone "%" would fail on every page.
            if string and "%" in _PLACEHOLDER.sub("", string).replace("%%", ""):
                found.append((where, f"{what} has a lone '%'; write '%%' for a percent sign"))
                break
    return found


def speaks_msgids(locale: str) -> bool:
    """Whether ``locale`` is the language the msgids are written in (the theme's, parkpress's and
    the taxonomy's labels are English): its pages show them as they are, no catalog needed."""
    return locale.replace("-", "_").split("_")[0].lower() == SOURCE_LANGUAGE


class Lookups:
    """The msgids one language's pages look up that its catalogs do not translate (absent, empty
    or fuzzy), as the templates and the views look them up: what a visitor sees in English."""

    def __init__(self, loaded: LoadedCatalog, locale: str):
        self.translated = None if speaks_msgids(locale) else loaded.translated  # None: nothing is missing
        self.missed: set[str] = set()

    def note(self, message_id: str) -> None:
        if self.translated is not None and message_id not in self.translated:
            self.missed.add(message_id)

    def take(self) -> tuple[str, ...]:
        """What was missed since the last take, sorted."""
        taken = tuple(sorted(self.missed))
        self.missed.clear()
        return taken


class NotedTranslations:
    """``translations`` that note each msgid looked up in ``lookups`` (for code that calls gettext itself)."""

    def __init__(self, translations: gettext.NullTranslations, lookups: Lookups):
        self.translations, self.lookups = translations, lookups

    def gettext(self, message: str) -> str:
        self.lookups.note(message)
        return self.translations.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        self.lookups.note(singular)
        return self.translations.ngettext(singular, plural, n)


def escaped_callables(translations: gettext.NullTranslations, lookups: Lookups | None = None):
    """gettext/ngettext whose results are HTML-escaped translations; each msgid looked up is noted in ``lookups``."""
    note = lookups.note if lookups is not None else lambda message: None

    def gettext_(message: str) -> str:
        note(message)
        return escape(translations.gettext(message))

    def ngettext_(singular: str, plural: str, n: int) -> str:
        note(singular)
        return escape(translations.ngettext(singular, plural, n))

    return gettext_, ngettext_
