"""What ``i18n extract | update | compile | stats`` do: the site's catalogs, over its theme's.

extract  every message the site's pages can show -> locales/messages.pot (templates, theme
         included, parkpress's own strings and the taxonomy's labels: render/messages.py)
update   merge messages.pot into every configured language's catalog, creating missing
         ones; an entry the theme already translates is added only where the site has it
compile  write .mo files (optional: the build reads .po files directly)
stats    per language: how many of the messages pages use are translated, by either catalog (the
         pages are planned and rendered in memory, as ``check`` does, to count what they look up)

The theme's catalogs are the base, the site's catalog overrides and adds to them: labels of
the site's own taxonomy live there, and the interface strings of a language the theme does
not speak.  Babel does the catalog work (its Catalog API, so that any language code works).
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import write_po

from parkpress import __version__
from parkpress.core.config import Config, Language
from parkpress.core.invocation import command
from parkpress.core.problems import BuildFailed, Problem, Problems
from parkpress.i18n.catalogs import DOMAIN, LoadedCatalog, load_catalog, po_path, read_catalog, speaks_msgids
from parkpress.i18n.extract import ExtractionFailed, Usage
from parkpress.render.messages import site_messages
from parkpress.theme.loader import Themes

WIDTH = 100


def pot_path(config: Config) -> Path:
    return config.locales_dir / f"{DOMAIN}.pot"


def messages(config: Config, themes: Themes) -> list[Usage]:
    try:
        return site_messages(config, themes)
    except ExtractionFailed as exc:
        problems = Problems(config.root)
        problems.error(exc.path, exc.line, f"{exc}; fix the template first")
        raise BuildFailed(problems.items) from None


def template(config: Config, themes: Themes) -> Catalog:
    """The catalog template: every message, with where it is used (paths relative to the site, or theme/NAME/…)."""
    pot = Catalog(project="parkpress site", version=__version__, domain=DOMAIN, fuzzy=False)
    for usage in messages(config, themes):
        pot.add(
            usage.message, None, [(_shown(usage.path, config, themes), usage.line)], auto_comments=usage.comments, context=usage.context
        )
    return pot


def _shown(path: Path, config: Config, themes: Themes) -> str:
    if path.is_relative_to(config.root):
        return path.relative_to(config.root).as_posix()
    # No spaces: a .po location is a list separated by spaces (Babel before 2.15 splits on them).
    for theme in themes.chain:
        if path.is_relative_to(theme.folder):
            return f"theme/{theme.name}/{path.relative_to(theme.folder).as_posix()}"
    return f"parkpress/{path.name}"


def extract(config: Config, themes: Themes) -> int:
    pot = template(config, themes)
    _write(pot_path(config), pot)
    print(f"wrote {pot_path(config).relative_to(config.root)} ({len(pot)} messages)")
    return 0


def translated_languages(config: Config) -> list[Language]:
    """Languages that need a catalog: all but English (the msgids are English)."""
    return [lang for lang in config.languages if not speaks_msgids(lang.locale)]


def update(config: Config, themes: Themes) -> int:
    """Bring every language's catalog up to the template, as pybabel update does, but leave out
    new entries that the theme translates for that language: the site's catalog holds only what
    the site adds or overrides."""
    pot = template(config, themes)
    _write(pot_path(config), pot)
    for lang in translated_languages(config):
        loaded = _loaded(config, themes, lang)
        existing = loaded.catalog
        catalog = existing if existing is not None else Catalog(locale=lang.locale.replace("-", "_"), domain=DOMAIN, fuzzy=False)
        before = {message.id for message in catalog if message.id}
        catalog.update(pot, no_fuzzy_matching=False)
        catalog.obsolete.clear()  # dropped, not kept as #~ entries: git remembers them
        theme_translated = _loaded(config, themes, lang, site=False).translated  # without the site's own entries
        for message in list(catalog):
            key = message.id[0] if isinstance(message.id, (list, tuple)) else message.id
            if message.id and message.id not in before and key in theme_translated:
                catalog.delete(message.id, message.context)
        action = "updated" if existing is not None else "created"
        _write(loaded.path, catalog)
        print(f"{action} {loaded.path.relative_to(config.root)} ({len([m for m in catalog if m.id])} entries)")
    return 0


def compile_(config: Config, themes: Themes) -> int:
    """.mo files of the site's catalogs, for tools that want them: the build does not."""
    for lang in translated_languages(config):
        loaded = _loaded(config, themes, lang)
        if loaded.catalog is None:
            continue
        target = loaded.path.with_suffix(".mo")
        buffer = io.BytesIO()
        write_mo(buffer, loaded.catalog, use_fuzzy=False)
        target.write_bytes(buffer.getvalue())
        print(f"wrote {target.relative_to(config.root)}")
    return 0


def stats(config: Config, themes: Themes) -> int:
    """Per language: of the messages the site's pages use, how many a visitor sees translated: those
    its files name (templates, parkpress, the taxonomy) and those the pages looked up as they were made."""
    from parkpress.build.checks import shown_untranslated  # here: the other actions need no pipeline

    named = {usage.singular for usage in messages(config, themes)}
    shown = shown_untranslated(config, themes)
    incomplete = False
    for lang in translated_languages(config):
        used = named | shown.by_language.get(lang.code, {}).keys()
        loaded = _loaded(config, themes, lang)
        done = sum(1 for message_id in used if message_id in loaded.translated)
        fuzzy = sum(1 for message_id in used if message_id not in loaded.translated and loaded.fuzzy(message_id))
        total = len(used)
        incomplete |= done != total
        percent = 100 * done // total if total else 100  # rounded down: 999 of 1,000 is not 100 %
        line = f"{lang.code}: {done}/{total} translated ({percent} %), {fuzzy} fuzzy, {total - done - fuzzy} untranslated"
        if not loaded.theme:
            line += f"; the theme {themes.describe()} has no catalog for {lang.locale}: its interface shows in English"
        print(line)
    if incomplete:
        print(f"'{command()} check' lists each untranslated message with its file and line", file=sys.stderr)
    return 1 if incomplete else 0


def _loaded(config: Config, themes: Themes, lang: Language, site: bool = True) -> LoadedCatalog:
    """The language's catalogs, as the build reads them; an unreadable one stops the command."""
    problems = Problems(config.root)
    theme_locales = [layer.locales for layer in themes.layers[1:]]
    locales = config.locales_dir if site else config.locales_dir / "(not read)"
    loaded = load_catalog(locales, theme_locales, lang.code, lang.locale, problems)
    if problems.errors:
        raise BuildFailed(problems.items)
    if not site:
        return loaded
    path = po_path(config.locales_dir, lang.code)
    if path.is_file() and loaded.catalog is None:  # unreadable: load_catalog said why
        raise BuildFailed([Problem(str(path), 0, "cannot read this catalog")])
    if loaded.catalog is not None:  # as read, with its obsolete entries, for update to write back
        loaded.catalog = read_catalog(path, path.read_bytes(), lang.locale.replace("-", "_"), problems)
    return loaded


def _write(path: Path, catalog: Catalog) -> None:
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=WIDTH, sort_by_file=True, include_previous=False)
    temporary = path.with_name(path.name + ".tmp")
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary.unlink(missing_ok=True)  # a symbolic link left there would be written through
    temporary.write_bytes(buffer.getvalue())
    temporary.replace(path)  # never half a catalog, whatever stops the command


def run_action(action: str, config: Config, themes: Themes) -> int:
    return {"extract": extract, "update": update, "compile": compile_, "stats": stats}[action](config, themes)
