"""``init DIR --languages en,de,fr --title "…" [--base-url URL]``: a new site that builds at once.

It writes the configuration (a table per language, with translated section slugs), a small
taxonomy, one example park with its facts and a profile in each language, one news item in
each language, an about page, the site's catalogs of the taxonomy's labels, a GitHub Pages
workflow, and the JSON Schemas of its files with the VS Code settings that use them; it uses
the built-in theme, so no template needs to be on disk.  The texts come from
``starter/<language>.toml`` where parkpress has them (English, German, French, Spanish,
Chinese, Arabic); another language gets the English texts to translate, and ``check`` says
so.  Nothing is written into a folder that holds a site already, and no file is ever replaced.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import tomllib
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.core import get_global
from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po

from parkpress import __version__
from parkpress.commands.schemas_cmd import EXTENSIONS, cannot_write, schema_texts, vscode_settings
from parkpress.commands.schemas_cmd import FOLDER as SCHEMAS
from parkpress.core import schema as s
from parkpress.core.config import COMMAND_LINE, CONFIG_FILE, SECTIONS
from parkpress.core.invocation import command
from parkpress.core.problems import BuildFailed, Problem

STARTER = Path(__file__).with_name("starter")
SOURCE_LANGUAGE = "en"  # the starter's msgids and the texts of a language without its own file
PARK = "riverside"
NEWS = "welcome-service-centre"
LANGUAGE_CODE = re.compile(r"[a-z]{2,3}(-[a-z0-9]+)?")

TAXONOMY = """\
# The site's vocabulary, written once: keys in files and URLs, English labels (the msgids
# that locales/<lang>/LC_MESSAGES/messages.po translates).
industries:
  biomedicine: Biomedicine
  advanced-manufacturing: Advanced manufacturing
  logistics: Logistics

levels:
  state-etdz: State-level economic and technological development zone

figures:
  enterprises: Enterprises
  investment: Investment attracted
  foreign-share: Share of foreign-invested enterprises
"""

FACTS = """\
# The example park's language-neutral facts: written once, shown in every language.
name: Riverside Development Zone
levels: [state-etdz]
province: Example Province
city: Example City
founded: 1992
area_km2: 48.5
industries: [biomedicine, advanced-manufacturing, logistics]
figures:
  - kind: enterprises
    value: 1200
    year: {year}
    source: Example figure
  - kind: investment
    amount: 35000000000
    currency: CNY
    year: {year}
    source: Example figure
  - kind: foreign-share
    value: 18.5
    unit: percent
    year: {year}
    source: Example figure
contact:
  office: Investment promotion office
  email: invest@example.org
"""

WORKFLOW = """\
# Builds the site and publishes it with GitHub Pages on every push to main.
# In the repository's settings, under Pages, choose "GitHub Actions" as the source.
name: Publish the site

on:
  push:
    branches: [main]
  workflow_dispatch:

permissions:
  contents: read
  pages: write
  id-token: write

concurrency:
  group: pages
  cancel-in-progress: false

jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      - run: pip install -r requirements.txt
      - id: pages
        uses: actions/configure-pages@v5
      # The address GitHub Pages serves the site at, for canonical links, feeds and the sitemap.
      - run: parkpress build --base-url "${{ steps.pages.outputs.base_url }}/"
      - run: parkpress check --strict
      - uses: actions/upload-pages-artifact@v3
        with:
          path: site

  deploy:
    needs: build
    runs-on: ubuntu-latest
    environment:
      name: github-pages
      url: ${{ steps.deployment.outputs.page_url }}
    steps:
      - id: deployment
        uses: actions/deploy-pages@v4
"""

GITIGNORE = """\
# Made by every build: not committed.
/site/
/.parkpress-cache/
"""


def register(subparsers) -> None:
    parser = subparsers.add_parser("init", help="start a new site in an empty folder")
    parser.add_argument("folder", type=Path, metavar="DIR", help="where to write the site (created if missing)")
    parser.add_argument("--languages", default="en", metavar="CODES", help="comma-separated, the default one first (default: en)")
    parser.add_argument("--title", required=True, help="the site's title (the same in every language until you translate it)")
    parser.add_argument("--base-url", default="https://invest.example.org/", metavar="URL", help="the address the site will have")
    parser.add_argument("--timezone", default="Asia/Shanghai", metavar="ZONE", help="the zone of release times (default: Asia/Shanghai)")
    parser.set_defaults(run=run)


def run(args) -> int:
    languages = _languages(args.languages)
    title = _checked(s.text, args.title, "--title")
    base_url = _checked(s.site_address, args.base_url, "--base-url")
    files = starter_files(languages, title, base_url, args.timezone, dt.date.today())
    written = write_site(args.folder, files)
    record_translations(args.folder, files, languages)
    print(f"wrote a new site to {args.folder} ({len(written)} files)")
    print(next_steps(args.folder, languages))
    return 0


def record_translations(folder: Path, files: dict[str, str], languages: list[tuple[str, str]]) -> None:
    """Record the starter's texts in another language as translations of the default language's
    (``i18n status`` then says "current", not "unknown"); English stand-ins for a language without
    starter texts are no translation, and stay without a record for ``check`` to list."""
    from parkpress.commands.i18n_done import record_current
    from parkpress.core.config import load_config

    translated = {f".{code}.md" for code, _ in languages[1:] if has_texts(code)}
    paths = [str(folder / rel) for rel in files if rel.startswith("content/") and rel.endswith(tuple(translated))]
    if paths:
        record_current(load_config(folder), paths)


def _checked(convert, value: str, option: str):
    try:
        return convert(value)
    except s.Invalid as exc:
        raise BuildFailed([Problem(COMMAND_LINE, 0, f"{option}: {exc}")]) from None


def _languages(text: str) -> list[tuple[str, str]]:
    """(code, CLDR locale) of each language asked for; the first is the default."""
    found, problems = [], []
    for code in dict.fromkeys(part.strip().lower() for part in text.split(",") if part.strip()):
        locale = locale_for(code) if LANGUAGE_CODE.fullmatch(code) else None
        if locale is None:
            problems.append(
                Problem(COMMAND_LINE, 0, f"--languages: '{code}' is not a language code Babel knows; use e.g. en, de, zh or pt-br")
            )
        else:
            found.append((code, locale))
    if not found and not problems:
        problems.append(Problem(COMMAND_LINE, 0, "--languages: give at least one language, e.g. --languages en,de,fr"))
    if problems:
        raise BuildFailed(problems)
    return found


def locale_for(code: str) -> str | None:
    """The CLDR locale a language code stands for, with its most likely script and region
    where the code gives none (de -> de_DE, zh -> zh_Hans_CN, pt-br -> pt_BR)."""
    try:
        parsed = Locale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return None
    if parsed.territory or parsed.language == "en":
        return str(parsed)
    likely = get_global("likely_subtags").get(parsed.language)
    try:
        return str(Locale.parse(likely)) if likely else str(parsed)
    except (UnknownLocaleError, ValueError):
        return str(parsed)


def has_texts(code: str) -> bool:
    """Whether the starter is written in ``code``'s language (pt-br: Portuguese)."""
    return (STARTER / f"{code.split('-')[0]}.toml").is_file()


def texts(code: str) -> dict:
    """The starter's texts in ``code``'s language, else in English."""
    name = code.split("-")[0] if has_texts(code) else SOURCE_LANGUAGE
    return tomllib.loads((STARTER / f"{name}.toml").read_text(encoding="utf-8"))


def starter_files(languages: list[tuple[str, str]], title: str, base_url: str, zone: str, today: dt.date) -> dict[str, str]:
    """Path relative to the site -> text of every file of the new site."""
    english = texts(SOURCE_LANGUAGE)
    files = {
        CONFIG_FILE: configuration(languages, title, base_url, zone),
        "content/taxonomy.yaml": TAXONOMY,
        f"content/parks/{PARK}.yaml": FACTS.format(year=today.year - 1),
        "requirements.txt": f"# What the deploy workflow installs: the parkpress this site was made with.\nparkpress=={__version__}\n",
        ".github/workflows/pages.yml": WORKFLOW,
        ".gitignore": GITIGNORE,
        ".vscode/settings.json": vscode_settings(),
        ".vscode/extensions.json": EXTENSIONS,
        **{f"{SCHEMAS}/{name}": text for name, text in schema_texts().items()},
    }
    released = dt.datetime.combine(today, dt.time(9, 0))
    for code, locale in languages:
        own = texts(code)
        park, news, about = own["park"], own["news"], own["about"]
        files[f"content/parks/{PARK}.{code}.md"] = _document({"title": park["title"], "summary": park["summary"]}, park["body"])
        news_meta = {
            "title": news["title"],
            "date": released,
            "parks": [PARK],
            "industries": ["biomedicine", "logistics"],
            "source": {"name": news["source"]},
            "summary": news["summary"],
        }
        files[f"content/news/{today:%Y-%m}-{NEWS}.{code}.md"] = _document(news_meta, news["body"])
        files[f"content/pages/about.{code}.md"] = _document(
            {"title": about["title"], "summary": about["summary"], "menu": 1}, about["body"]
        )
        if not locale.startswith("en") and has_texts(code):
            files[f"locales/{code}/LC_MESSAGES/messages.po"] = _labels_catalog(locale, english["labels"], own["labels"])
    return files


def configuration(languages: list[tuple[str, str]], title: str, base_url: str, zone: str) -> str:
    lines = [
        f"#:schema ./{SCHEMAS}/parkpress.schema.json",
        "# parkpress site configuration: every key is checked (the README's 'Configuration' lists them).",
        "# The line above gives editors (Even Better TOML) the schema to complete and check it with.",
        "[site]",
        f"base_url = {_toml(base_url)}",
        f"default_language = {_toml(languages[0][0])}",
        f"timezone = {_toml(zone)}",
        "news_per_page = 10",
        'theme = "default"  # the built-in theme; templates/, static/ and locales/ here override its files',
    ]
    for code, locale in languages:
        slugs = texts(code)["slugs"]
        lines += ["", f"[languages.{code}]", f"name = {_toml(_own_name(locale))}", f"locale = {_toml(locale)}", f"title = {_toml(title)}"]
        lines += ["", f"[languages.{code}.slugs]", *(f"{section} = {_toml(slugs[section])}" for section in SECTIONS)]
    return "\n".join(lines) + "\n"


def _own_name(locale: str) -> str:
    """The language's name in itself, as the language switcher shows it: 'Deutsch', '中文', 'العربية'."""
    parsed = Locale.parse(locale)
    name = parsed.languages.get(parsed.language) or parsed.language
    return name[:1].upper() + name[1:]


def _toml(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid TOML basic string


def _document(meta: dict, body: str) -> str:
    from parkpress.commands.scaffold import front_matter  # loads python-slugify: only init and new need it

    return front_matter(meta, body.lstrip("\n"))


def _labels_catalog(locale: str, english: dict[str, str], own: dict[str, str]) -> str:
    catalog = Catalog(locale=locale, domain="messages", project="parkpress site", version=__version__, fuzzy=False)
    catalog.header_comment = "# The site's own translations: the labels of content/taxonomy.yaml, and anything its templates add."
    for key, label in english.items():
        catalog.add(label, own.get(key, ""), [("content/taxonomy.yaml", 0)], auto_comments=[f"taxonomy: {key}"])
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100, omit_header=False, no_location=True)
    return buffer.getvalue().decode("utf-8")


def write_site(folder: Path, files: dict[str, str]) -> list[Path]:
    """Write every file, or none: a folder with a site in it, or any file already there, stops it."""
    if (folder / CONFIG_FILE).exists() or (folder / "content").exists():
        found = CONFIG_FILE if (folder / CONFIG_FILE).exists() else "content/"
        raise BuildFailed(
            [Problem(str(folder), 0, f"holds a site already ({found}); init writes a new site only into a folder without one")]
        )
    if folder.exists() and not folder.is_dir():
        raise BuildFailed([Problem(str(folder), 0, "is a file; give the name of a folder to create")])
    taken = [Problem(str(folder / rel), 0, "exists already; init never replaces a file") for rel in files if (folder / rel).exists()]
    taken += _links_out(folder, files)
    if taken:
        raise BuildFailed(taken)
    written = []
    try:
        for rel, text in files.items():
            path = folder / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "x", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
            written.append(path)
    except OSError as exc:
        raise cannot_write(exc, folder) from None
    return written


def _links_out(folder: Path, files: dict[str, str]) -> list[Problem]:
    """The symbolic links among the folders to write into (.vscode/ in a cloned folder) that lead out
    of ``folder``: the site's files would be written elsewhere, beside files that are not the site's."""
    inside = folder.resolve()
    links = {}
    for rel in files:
        parents = [folder.joinpath(*Path(rel).parts[: depth + 1]) for depth in range(len(Path(rel).parts) - 1)]
        link = next((parent for parent in parents if parent.is_symlink()), None)
        if link is not None and not link.resolve().is_relative_to(inside):
            outside = f"is a symbolic link to {link.resolve()}, outside the new site"
            links[link] = Problem(str(link), 0, f"{outside}; remove it, or init another folder")
    return list(links.values())


def next_steps(folder: Path, languages: list[tuple[str, str]]) -> str:
    run = command()
    untranslated = [code for code, _ in languages if not has_texts(code)]
    steps = [
        "next:",
        f"  cd {folder}",
        f"  {run} serve                 # build, open the address it prints; every save reloads the page",
        f'  {run} new news --park {PARK} --lang {languages[0][0]} "Your first news item"',
        f"  {run} check                 # before publishing",
        f"  {run} build                 # the site in site/, ready for any static host",
        "Override one file of the theme by putting your own copy in templates/ or static/ (see the README of parkpress).",
        "The deploy workflow for GitHub Pages is .github/workflows/pages.yml.",
    ]
    if untranslated:
        steps.append(f"The texts of {', '.join(untranslated)} are English until you translate them ({run} check lists them).")
    return "\n".join(steps)
