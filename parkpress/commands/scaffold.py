"""New content files for ``new``: valid front matter, in the right place, never overwriting.

Every function here returns :class:`NewFile` objects; nothing is written until
:func:`write_all` has checked that none of them exists yet, so a refused
command leaves content/ exactly as it was.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from slugify import slugify

from parkpress.content.readers import read_document, read_park_facts, read_taxonomy
from parkpress.content.sources import SourceFile, SourceSet, discover
from parkpress.content.translation import with_record
from parkpress.core.config import Config
from parkpress.core.problems import BuildFailed, Problem, Problems

SLUG_LENGTH = 60
APOSTROPHES = [["'", "-"], ["’", "-"]]  # "L’économie" -> "l-economie", not "leconomie"
GERMAN_LETTERS = [["ä", "ae"], ["ö", "oe"], ["ü", "ue"], ["Ä", "Ae"], ["Ö", "Oe"], ["Ü", "Ue"], ["ß", "ss"]]


@dataclass(frozen=True)
class NewFile:
    rel: str  # relative to the project root
    text: str


def slug_for(title: str, locale: str) -> str:
    """A URL slug from a title in any script, transliterated to ASCII."""
    replacements = APOSTROPHES + (GERMAN_LETTERS if locale.startswith("de") else [])
    return slugify(title, max_length=SLUG_LENGTH, word_boundary=True, replacements=replacements)


def front_matter(fields: dict, body: str = "") -> str:
    """``---`` fenced YAML in the style of docs/content-format.md: text quoted, key lists in flow style."""
    lines = ["---"]
    for name, value in fields.items():
        if isinstance(value, dict):
            lines.append(f"{name}:")
            lines += [f"  {key}: {_scalar(item)}" for key, item in value.items()]
        else:
            lines.append(f"{name}: {_scalar(value)}")
    lines.append("---")
    return "\n".join(lines) + "\n" + body


def _scalar(value: object) -> str:
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(value) + "]"  # keys are slugs: they never need quotes
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")  # unquoted and without offset: read in the site's zone
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid YAML double-quoted scalar
    return str(value)


class Workspace:
    """What ``new`` needs to know about the existing content."""

    def __init__(self, config: Config):
        self.config = config
        problems = Problems(config.root)  # the content's own problems are check's business, not new's
        self.sources: SourceSet = discover(config.content_dir, config.language_codes, problems)
        taxonomy_source = self.sources.taxonomy()
        self.taxonomy = read_taxonomy(taxonomy_source, problems) if taxonomy_source else None
        self.parks = {f.key: f for f in self.sources.of_kind("facts", "parks")}

    def check_languages(self, langs: list[str]) -> None:
        unknown = [lang for lang in langs if lang not in self.config.language_codes]
        if unknown:
            known = ", ".join(self.config.language_codes)
            raise BuildFailed([Problem("parkpress.toml", 0, f"language '{lang}' is not configured (known: {known})") for lang in unknown])

    def rel(self, *parts: str) -> str:
        return "/".join(("content", *parts))

    def files_of(self, section: str, key: str) -> dict[str, SourceFile]:
        return {f.lang: f for f in self.sources.of_kind("markdown", section) if f.key == key}

    def check_parks(self, keys: list[str]) -> None:
        unknown = [
            Problem(self.rel("parks", f"{key}.yaml"), 0, f"no park '{key}'; {_hint(key, self.parks, 'parks')}")
            for key in keys
            if key not in self.parks
        ]
        if unknown:
            raise BuildFailed(unknown)

    def check_keys(self, kind: str, keys: list[str]) -> None:
        """Industries and levels must be keys of taxonomy.yaml."""
        if self.taxonomy is None:
            return  # an unreadable taxonomy is reported by check and build; new cannot validate against it
        known = {"industry": self.taxonomy.industries, "level": self.taxonomy.levels}[kind]
        where = self.rel("taxonomy.yaml")
        unknown = [Problem(where, 0, f"no {kind} '{key}'; {_hint(key, known, kind + ' keys')}") for key in keys if key not in known]
        if unknown:
            raise BuildFailed(unknown)

    def park_name(self, key: str) -> str:
        facts = read_park_facts(self.parks[key], Problems(self.config.root))
        return facts.name if facts else key

    def refuse_existing_item(self, section: str, key: str) -> None:
        existing = self.files_of(section, key)
        if existing:
            rel = self.rel(next(iter(existing.values())).rel)
            raise BuildFailed(
                [Problem(rel, 0, f"an item '{key}' already exists; choose another title, or add languages with --translations {key}")]
            )


def _hint(key: str, known, what: str) -> str:
    close = difflib.get_close_matches(key, list(known), n=1)
    listed = ", ".join(sorted(known)) or "none yet"
    return f"did you mean '{close[0]}'?" if close else f"known {what}: {listed}"


def now_in_site_zone(config: Config) -> dt.datetime:
    """The release time for a new item: now, in the site's zone, to the minute."""
    return dt.datetime.now(config.timezone).replace(second=0, microsecond=0)


def news_item(
    ws: Workspace, title: str, lang: str, parks: list[str], industries: list[str], source: str | None, summary: str | None
) -> NewFile:
    ws.check_parks(parks)
    ws.check_keys("industry", industries)
    released = now_in_site_zone(ws.config)
    slug = _title_slug(ws, title, lang)
    key = f"{released:%Y-%m}-{slug}"  # "2024-05-…": files sort by month, as in the sample content
    ws.refuse_existing_item("news", key)
    fields = {
        "title": title,
        "date": released,
        "parks": parks,
        "industries": industries,
        "source": {"name": source or (ws.park_name(parks[0]) if parks else ws.config.language(lang).title)},
        "summary": summary or title,
    }
    return NewFile(ws.rel("news", f"{key}.{lang}.md"), front_matter(fields))


def static_page(ws: Workspace, title: str, lang: str, menu: int | None, summary: str | None) -> NewFile:
    key = _title_slug(ws, title, lang)
    ws.refuse_existing_item("pages", key)
    fields = {"title": title, **({"summary": summary} if summary else {}), **({"menu": menu} if menu is not None else {})}
    return NewFile(ws.rel("pages", f"{key}.{lang}.md"), front_matter(fields))


def park(
    ws: Workspace, key: str, lang: str, name: str, province: str, city: str, levels: list[str], industries: list[str], summary: str | None
) -> list[NewFile]:
    if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", key):
        raise BuildFailed([Problem(ws.rel("parks", f"{key}.yaml"), 0, "a park key is a slug: lowercase ASCII letters, digits and hyphens")])
    if key in ws.parks:
        raise BuildFailed([Problem(ws.rel("parks", f"{key}.yaml"), 0, f"park '{key}' already exists; add languages with --translations")])
    ws.check_keys("level", levels)
    ws.check_keys("industry", industries)
    facts = "\n".join(
        [
            f"name: {_scalar(name)}",
            f"levels: {_scalar(levels)}",
            f"province: {_scalar(province)}",
            f"city: {_scalar(city)}",
            f"industries: {_scalar(industries)}",
            "figures: []",
            "rankings: []",
            "",
        ]
    )
    prose = front_matter({"title": name, "summary": summary or name})
    return [NewFile(ws.rel("parks", f"{key}.yaml"), facts), NewFile(ws.rel("parks", f"{key}.{lang}.md"), prose)]


def translations(ws: Workspace, section: str, key: str, langs: list[str]) -> list[NewFile]:
    """Copies of an existing item for ``langs`` (default: every language it lacks), beside the original.

    The copy keeps the original's text for the translator to replace; check warns
    while a translation is still identical to its source.
    """
    existing = ws.files_of(section, key)
    if not existing:
        known = {f.key for f in ws.sources.of_kind("markdown", section)}
        raise BuildFailed([Problem(ws.rel(section), 0, f"no item '{key}' in {section}/; {_hint(key, known, 'items')}")])
    default = ws.config.default_language
    original = existing.get(default) or existing[sorted(existing)[0]]
    wanted = langs or [code for code in ws.config.language_codes if code not in existing]
    if not wanted:
        raise BuildFailed([Problem(ws.rel(original.rel), 0, f"'{key}' exists in every language already")])
    problems = Problems(ws.config.root)
    source = read_document(original, ws.config.timezone, problems)
    if source is None:
        raise BuildFailed(problems.items)
    text = with_record(original.path.read_text(encoding="utf-8"), source)  # records which version is translated
    folder, _, name = original.rel.rpartition("/")
    stem = name.removesuffix(f".{original.lang}.md")
    return [NewFile(ws.rel(folder, f"{stem}.{lang}.md"), text) for lang in wanted]


def _title_slug(ws: Workspace, title: str, lang: str) -> str:
    slug = slug_for(title, ws.config.language(lang).locale)
    if not slug:
        raise BuildFailed([Problem(ws.rel(), 0, f"cannot make a file name from the title {title!r}: give a title with letters or digits")])
    return slug


def write_all(root: Path, files: list[NewFile]) -> list[Path]:
    """Create every file, or none if any of them exists already."""
    taken = [Problem(f.rel, 0, "exists already; parkpress never overwrites content") for f in files if (root / f.rel).exists()]
    if taken:
        raise BuildFailed(taken)
    written = []
    for new in files:
        path = root / new.rel
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "x", encoding="utf-8", newline="\n") as handle:  # "x": never replace a file created meanwhile
            handle.write(new.text)
        written.append(path)
    return written
