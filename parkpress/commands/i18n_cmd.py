"""``i18n extract | update | compile | stats``: Babel's own tooling, wired to this site.

extract  templates/ and content/taxonomy.yaml -> locales/messages.pot
update   merge messages.pot into every configured language's .po (creating missing ones)
compile  write .mo files (optional: the build reads .po files directly)
stats    translated / fuzzy / untranslated per language
"""

from __future__ import annotations

import contextlib
import tempfile
from pathlib import Path

from parkpress import __version__
from parkpress.core.config import load_config
from parkpress.core.problems import Problems
from parkpress.i18n.catalogs import DOMAIN, po_path, read_catalog

MAPPING_FILE = "babel.cfg"
DEFAULT_MAPPING = """\
[extractors]
taxonomy = parkpress.i18n.extract:extract_taxonomy

[jinja2: templates/**.html]
silent = false
[jinja2: templates/**.xml]
silent = false
[taxonomy: content/taxonomy.yaml]
"""


def register(subparsers) -> None:
    command = subparsers.add_parser("i18n", help="extract, update, compile and count UI translations")
    command.add_argument("action", choices=["extract", "update", "compile", "stats"])
    command.set_defaults(run=run)


def run(args) -> int:
    config = load_config(args.project)
    return {"extract": extract, "update": update, "compile": compile_, "stats": stats}[args.action](config)


def _pybabel(*arguments: str) -> None:
    from babel.messages.frontend import CommandLineInterface  # here, not above: it takes longer to load than a build with nothing to do

    CommandLineInterface().run(["pybabel", "-q", *arguments])


def pot_path(config) -> Path:
    return config.locales_dir / f"{DOMAIN}.pot"


def extract(config) -> int:
    mapping = config.root / MAPPING_FILE
    with tempfile.TemporaryDirectory() as tmp:
        if not mapping.is_file():
            mapping = Path(tmp) / MAPPING_FILE
            mapping.write_text(DEFAULT_MAPPING, encoding="utf-8")
        config.locales_dir.mkdir(exist_ok=True)
        with contextlib.chdir(config.root):  # so the catalog names files relative to the site
            _pybabel(
                "extract", "-F", str(mapping), "-o", str(pot_path(config)),
                "--project", "parkpress site", "--version", __version__,
                "--sort-by-file", "--width", "100", "-c", "TRANSLATORS:", ".",
            )  # fmt: skip
    print(f"wrote {pot_path(config).relative_to(config.root)}")
    return 0


def translated_languages(config):
    """Languages that need a catalog: all but an English source language."""
    return [lang for lang in config.languages if not lang.locale.startswith("en")]


def update(config) -> int:
    if not pot_path(config).is_file():
        extract(config)
    for lang in translated_languages(config):
        po = po_path(config.locales_dir, lang.code)
        action, done = ("update", "updated") if po.is_file() else ("init", "created")
        _pybabel(action, "-i", str(pot_path(config)), "-d", str(config.locales_dir), "-l", lang.code, "-D", DOMAIN, "--width", "100",
                 *(["--ignore-obsolete"] if action == "update" else []))  # fmt: skip
        print(f"{done} {po.relative_to(config.root)}")
    return 0


def compile_(config) -> int:
    for lang in translated_languages(config):
        _pybabel("compile", "-d", str(config.locales_dir), "-l", lang.code, "-D", DOMAIN, "--statistics")
    return 0


def stats(config) -> int:
    incomplete = False
    for lang in translated_languages(config):
        po = po_path(config.locales_dir, lang.code)
        if not po.is_file():
            print(f"{lang.code}: no catalog ({po.relative_to(config.root)})")
            incomplete = True
            continue
        problems = Problems(config.root)
        catalog = read_catalog(po, po.read_bytes(), None, problems)
        problems.raise_if_errors()
        messages = [m for m in catalog if m.id]
        fuzzy = sum(1 for m in messages if m.fuzzy)
        done = sum(1 for m in messages if m.string and not m.fuzzy and all(m.string if isinstance(m.string, tuple) else [m.string]))
        total = len(messages)
        percent = 100 * done / total if total else 100
        incomplete |= done != total
        print(f"{lang.code}: {done}/{total} translated ({percent:.0f} %), {fuzzy} fuzzy, {total - done - fuzzy} untranslated")
    return 1 if incomplete else 0
