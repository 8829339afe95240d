"""The site configuration: ``parkpress.toml`` read into frozen, typed objects.

Every error names the key, its line and the fix; unknown keys are errors so a
typo never silently falls back to a default.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale, UnknownLocaleError
from babel.core import get_global, get_locale_identifier, parse_locale

from parkpress.core import schema as s
from parkpress.core.problems import BuildFailed, Problem, Problems
from parkpress.core.yamldata import YamlDoc

CONFIG_FILE = "parkpress.toml"
SECTIONS = ("news", "parks", "industries", "rankings", "compare", "search")
COMMAND_LINE = "(command line)"  # where a problem with an option given to the command is reported
ROOT_FILES = "root"  # the folder of files published at the site's root
BASE_URL_VARIABLE = "PARKPRESS_BASE_URL"  # the public address for this build, as --base-url gives it
MAX_DESCRIPTION = 300  # characters of a language's description
# The longest output_dir: what one folder name may hold on every file system; pages go
# several folders deeper, and Windows paths end at 260 characters.
MAX_OUTPUT_NAME = 255


@dataclass(frozen=True)
class Language:
    code: str  # the folder name in URLs and the suffix of content files: "de"
    name: str  # the language's own name for the switcher: "Deutsch"
    locale: str  # the CLDR locale for Babel: "de_DE"
    title: str  # the site title in this language
    slugs: dict[str, str]  # section -> URL segment, e.g. "news" -> "nachrichten"
    direction: str = "ltr"  # the script's direction, "ltr" or "rtl": CLDR's for the locale unless the table sets it
    description: str = ""  # what the site is about, for pages without a summary of their own; "" = the title
    og_locale: str = ""  # language_TERRITORY as Open Graph wants it: "en_US" for the locale "en"

    @property
    def hreflang(self) -> str:
        return self.locale.replace("_", "-")

    @property
    def summary(self) -> str:
        """The description of a page that has none of its own."""
        return self.description or self.title


@dataclass(frozen=True)
class Overrides:
    """What one build's command line (or environment) sets instead of the configuration: a
    preview deploy builds the same site for another address into another folder."""

    output_dir: str | None = None
    base_url: str | None = None

    @classmethod
    def from_environment(cls, output_dir: str | None = None, base_url: str | None = None) -> Overrides:
        return cls(output_dir, base_url or os.environ.get(BASE_URL_VARIABLE) or None)

    def digest(self) -> bytes:
        """What the output depends on, for the snapshot of the inputs."""
        return f"{self.output_dir}\0{self.base_url}".encode()


NO_OVERRIDES = Overrides()


@dataclass(frozen=True)
class Config:
    root: Path
    base_url: str  # always ends with "/"
    default_language: str
    timezone: ZoneInfo
    news_per_page: int
    allow_raw_html: bool
    languages: tuple[Language, ...]
    output_dir: Path
    theme: str = "default"  # a theme's name or folder (see theme/loader.py)
    facts_language: str = ""  # the language the neutral facts are written in (a code or BCP 47 tag); "": the default language
    image: str | None = None  # output path of the picture shown when a page without one of its own is shared
    lines: dict[tuple, int] = field(default_factory=dict, compare=False)  # key path -> line in parkpress.toml
    overrides: Overrides = NO_OVERRIDES
    outdated_notice: bool = True  # an outdated translation's page says so (README: Translator's guide)

    @property
    def file(self) -> Path:
        return self.root / CONFIG_FILE

    def line(self, *keys: str) -> int:
        """The line of a key of parkpress.toml, such as ("site", "theme"); 0 if it is not written there."""
        return self.lines.get(keys, 0)

    @property
    def content_dir(self) -> Path:
        return self.root / "content"

    @property
    def templates_dir(self) -> Path:
        return self.root / "templates"

    @property
    def locales_dir(self) -> Path:
        return self.root / "locales"

    @property
    def static_dir(self) -> Path:
        return self.root / "static"

    @property
    def root_files_dir(self) -> Path:
        """Files published at the site's root as they are (CNAME, _headers, .well-known/…)."""
        return self.root / ROOT_FILES

    @property
    def inputs(self) -> tuple[Path, ...]:
        """The files and folders of the project a build reads (a theme kept in the project adds its own)."""
        return (self.file, self.content_dir, self.templates_dir, self.locales_dir, self.static_dir, self.root_files_dir)

    @property
    def cache_dir(self) -> Path:
        return self.root / ".parkpress-cache"

    @property
    def language_codes(self) -> tuple[str, ...]:
        return tuple(lang.code for lang in self.languages)

    def language(self, code: str) -> Language:
        return next(lang for lang in self.languages if lang.code == code)

    @property
    def facts_voice(self) -> FactsVoice:
        """The ``lang`` and ``dir`` of a neutral fact shown on a page of another language: a
        configured language's own, else the tag's and CLDR's direction for it."""
        configured = next((lang for lang in self.languages if lang.code == self.facts_language), None)
        if configured is not None:
            return FactsVoice(configured.code, configured.hreflang, configured.direction)
        tag = self.facts_language.replace("_", "-")
        try:
            direction = locale_direction(tag)
        except (ValueError, UnknownLocaleError):
            direction = "ltr"
        return FactsVoice(self.facts_language, tag, direction)


@dataclass(frozen=True)
class FactsVoice:
    """The language the neutral facts are written in: its code, its tag and its direction."""

    code: str = ""
    tag: str = ""
    direction: str = "ltr"


@s.described({**s.TEXT, "pattern": r"^[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+)*$", "examples": ["Asia/Shanghai", "Europe/Berlin", "UTC"]})
def _zone(value: object) -> ZoneInfo:
    name = s.text(value)
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise s.Invalid(f"'{name}' is not a time zone; use an IANA name such as Asia/Shanghai") from None


@s.described({"type": "string", "pattern": r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$", "examples": ["en", "de_DE", "zh-Hans-CN", "ar"]})
def _locale(value: object) -> str:
    """A locale as a BCP 47 tag (zh-Hans-CN) or in gettext's form (zh_Hans_CN), given back in
    gettext's form, the one Babel and the catalogs' folders use."""
    name = s.text(value)
    try:
        identifier = get_locale_identifier(parse_locale(name.replace("-", "_")))  # as written: zh-TW stays zh_TW
        Locale.parse(identifier)
        return identifier
    except (UnknownLocaleError, ValueError):
        raise s.Invalid(
            f"'{name}' is not a locale Babel knows; write a language with optional script and region, "
            "as a BCP 47 tag or in gettext's form: en, de-DE, zh-Hans-CN or zh_Hans_CN"
        ) from None


DIRECTIONS = {"left-to-right": "ltr", "right-to-left": "rtl"}  # CLDR's character order -> HTML's dir


@s.described({"enum": sorted(DIRECTIONS.values())})
def _direction(value: object) -> str:
    name = s.text(value)
    if name not in DIRECTIONS.values():
        raise s.Invalid(f'\'{name}\' is not a direction; use "rtl" (right to left, as Arabic) or "ltr"')
    return name


def locale_direction(locale: str) -> str:
    """ "rtl" or "ltr" as CLDR gives the locale's script (ar, he, fa, ur: right to left)."""
    return DIRECTIONS.get(Locale.parse(locale.replace("-", "_")).character_order, "ltr")


def open_graph_locale(name: str) -> str:
    """ "de_DE" for de_DE, "en_US" for en, "zh_CN" for zh: Open Graph reads only language_TERRITORY,
    so a locale without a territory gets the one CLDR deems likely (its likely-subtags table)."""
    locale = Locale.parse(name)
    territory = locale.territory
    if territory is None:
        likely = get_global("likely_subtags")
        guess = likely.get(str(locale)) or likely.get(locale.language)
        territory = Locale.parse(guess).territory if guess else None
    return f"{locale.language}_{territory}" if territory else locale.language


_LANGUAGE_CODE = r"^[a-z]{2,3}(-[a-z0-9]+)?$"


@s.described({"type": "string", "pattern": _LANGUAGE_CODE})
def _language_code(code: str) -> str:
    if not re.fullmatch(_LANGUAGE_CODE, code):
        raise s.Invalid(f"'{code}' must be lowercase, e.g. en, de or pt-br")
    return code


@s.described({"type": "string", "pattern": r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$"})
def _language_tag(value: object) -> str:
    tag = s.text(value)
    if not re.fullmatch(r"[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*", tag):
        raise s.Invalid(f"'{tag}' is not a language: use a language code such as en, or a tag such as en-GB")
    return tag


# Relative, no part hidden (which also refuses '..' and '.'), not too long.
@s.described({"type": "string", "minLength": 1, "maxLength": MAX_OUTPUT_NAME, "pattern": r"^(?![/\\])(?![A-Za-z]:)(?!(.*[/\\])?\.)"})
def _output_dir(value: object) -> str:
    name = s.text(value)
    parts = Path(name).parts
    if not parts:
        raise s.Invalid(f"'{name}' is the project folder itself; building would replace it: use a folder of its own, e.g. site")
    if Path(name).is_absolute() or ".." in parts:
        raise s.Invalid(f"'{name}' must be a folder inside the project, e.g. site")
    if any(part.startswith(".") for part in parts):
        raise s.Invalid(f"'{name}' is a hidden folder (such as .git); use a visible one, e.g. site")
    if len(name) > MAX_OUTPUT_NAME or any(len(part.encode()) > MAX_OUTPUT_NAME for part in parts):
        raise s.Invalid(f"'{name[:40]}…' is {len(name)} characters long; use a short folder name, e.g. site")
    return name


SHARE_IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp", ".gif")  # what link previews show: no SVG


_PICTURE = "|".join(s.any_case(suffix) for suffix in SHARE_IMAGE_SUFFIXES)


@s.described({"type": "string", "pattern": r"^static/(?!(.*/)?\.\.?(/|$))([^/]+/)*[^/]+(" + _PICTURE + ")$"})
def _share_image(value: object) -> str:
    name = s.text(value)
    parts = name.split("/")
    if parts[0] != "static" or len(parts) < 2 or "" in parts or ".." in parts or "." in parts:
        raise s.Invalid(f"'{name}' must be a file of the site's static/ folder as it is published, e.g. static/share.png")
    if not name.lower().endswith(SHARE_IMAGE_SUFFIXES):
        raise s.Invalid(f"'{name}' is not a picture link previews show; use a PNG, JPEG, WebP or GIF file (not SVG)")
    return name


@s.described({**s.TEXT, "maxLength": MAX_DESCRIPTION})
def _description(value: object) -> str:
    text = s.text(value)
    if len(text) > MAX_DESCRIPTION:
        raise s.Invalid(f"is {len(text)} characters long; search engines show about 160: say it in at most {MAX_DESCRIPTION}")
    return text


def _unsafe_output(root: Path, output: Path) -> str | None:
    """Why ``output`` cannot be the output folder, or None.

    A build replaces the output folder as a whole, so it must be a folder of its own:
    never the project, a folder holding sources, or anything reached through a link.
    """
    name = output.relative_to(root).as_posix()
    if output.is_symlink():
        return f"output_dir '{name}' is a symbolic link; parkpress replaces the output folder and won't follow it"
    if output.exists() and not output.is_dir():
        return f"output_dir '{name}' is a file; choose a folder name such as site"
    resolved = Path(os.path.realpath(output))  # unlike resolve(), never raises on a symbolic link loop
    if not resolved.is_relative_to(root):
        return f"output_dir '{name}' leads outside the project through a symbolic link; use a plain folder such as site"
    for source in ("content", "templates", "static", "locales", ROOT_FILES, CONFIG_FILE):
        real = Path(os.path.realpath(root / source))
        if real.is_relative_to(resolved):
            return f"output_dir '{name}' holds the sources ({source}); building would replace them: use a folder of its own such as site"
        if resolved.is_relative_to(real):
            return f"output_dir '{name}' is inside {source}; use a folder of its own such as site"
    if (output / "content").exists() or (output / CONFIG_FILE).exists():
        return f"output_dir '{name}' contains content/ or {CONFIG_FILE}, like a project; building would replace it: choose another folder"
    return None


SITE_SCHEMA = {
    "base_url": s.Field(s.site_address, required=True),
    "default_language": s.Field(s.text, required=True),
    "timezone": s.Field(_zone, default=ZoneInfo("Asia/Shanghai")),
    "news_per_page": s.Field(s.integer(1, 1000), default=10),
    "allow_raw_html": s.Field(s.boolean, default=False),
    "outdated_notice": s.Field(s.boolean, default=True),
    "output_dir": s.Field(_output_dir, default="site"),
    "theme": s.Field(s.text, default="default"),
    "facts_language": s.Field(_language_tag),
    "image": s.Field(_share_image),
}
LANGUAGE_SCHEMA = {
    "name": s.Field(s.text, required=True),
    "locale": s.Field(_locale, required=True),
    "title": s.Field(s.text, required=True),
    "description": s.Field(_description, default=""),
    "slugs": s.Field(s.mapping({name: s.Field(s.slug, default=name) for name in SECTIONS})),
    "direction": s.Field(_direction),  # only to overrule CLDR, e.g. for a script CLDR lacks
}

LANGUAGES = s.tables(_language_code, LANGUAGE_SCHEMA, what="language code")
TOP_SCHEMA = {
    "site": s.Field(s.mapping(SITE_SCHEMA), required=True),
    "languages": s.Field(LANGUAGES, required=True),  # checked table by table in _languages
}


def load_config(root: Path, overrides: Overrides = NO_OVERRIDES) -> Config:
    """Read ``root/parkpress.toml``, then apply ``overrides``; raise BuildFailed naming every problem."""
    root = root.resolve()
    path = root / CONFIG_FILE
    problems = Problems(root)
    if not path.is_file():
        problems.error(path, 0, f"no {CONFIG_FILE} here: run parkpress in a site folder or pass --project DIR")
        raise BuildFailed(problems.items)
    doc = read_toml(path, problems)
    if doc is None:
        raise BuildFailed(problems.items)

    def report(line: int, message: str) -> None:
        problems.error(path, line, message)

    top = s.validate(doc, TOP_SCHEMA, report)
    languages = _languages(doc, report)
    if top is None or languages is None:
        raise BuildFailed(problems.items)
    site = top["site"]
    if site["default_language"] not in {lang.code for lang in languages}:
        report(
            doc.line(("site", "default_language")), f"default_language '{site['default_language']}' is not one of the [languages.*] tables"
        )
        raise BuildFailed(problems.items)
    base_url, output = _overridden(site, overrides, problems)
    output_dir = root / output
    unsafe = _unsafe_output(root, output_dir)
    if unsafe:
        if overrides.output_dir:
            problems.items.append(Problem(COMMAND_LINE, 0, f"--output: {unsafe}"))
        else:
            report(doc.line(("site", "output_dir")), unsafe)
    problems.raise_if_errors()
    return Config(
        root=root,
        base_url=base_url.rstrip("/") + "/",
        default_language=site["default_language"],
        timezone=site["timezone"],
        news_per_page=site["news_per_page"],
        allow_raw_html=site["allow_raw_html"],
        outdated_notice=site["outdated_notice"],
        languages=tuple(languages),
        output_dir=output_dir,
        theme=site["theme"],
        facts_language=site["facts_language"] or site["default_language"],
        image=site["image"],
        lines=doc.lines,
        overrides=overrides,
    )


def _overridden(site: dict, overrides: Overrides, problems: Problems) -> tuple[str, str]:
    """(base URL, output folder) with the command line's values in place of the configuration's."""
    base_url, output = site["base_url"], site["output_dir"]
    for value, convert, what in ((overrides.base_url, s.site_address, "--base-url"), (overrides.output_dir, _output_dir, "--output")):
        if value is None:
            continue
        try:
            converted = convert(value)
        except s.Invalid as exc:
            where = f"{what} (or {BASE_URL_VARIABLE})" if what == "--base-url" else what
            problems.items.append(Problem(COMMAND_LINE, 0, f"{where}: {exc}"))
            continue
        if what == "--base-url":
            base_url = converted
        else:
            output = converted
    return base_url, output


def read_toml(path: Path, problems: Problems) -> YamlDoc | None:
    """A TOML file with the line of every key, as YAML files have them; None (reported) if unreadable."""
    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        match = re.search(r"line (\d+)", str(exc))
        problems.error(path, int(match.group(1)) if match else 0, f"invalid TOML: {exc}")
        return None
    except RecursionError:  # tomllib parses nested arrays and inline tables by recursion
        problems.error(path, 0, "invalid TOML: arrays or tables nested hundreds deep; a site configuration needs two levels")
        return None
    except OSError as exc:
        problems.error(path, 0, f"cannot read: {exc.strerror}")
        return None
    return YamlDoc(data, _toml_lines(text), assignment=" = ")


def _languages(doc: YamlDoc, report) -> list[Language] | None:
    tables = doc.data.get("languages")
    if not isinstance(tables, dict):  # reported by the schema
        return None
    if not tables:
        report(doc.line(("languages",)), "no languages configured: add a [languages.en] table with name, locale and title")
        return None
    languages = []
    valid, ok = s.validate_tables(doc, "languages", tables, LANGUAGES, report)
    for code, values in valid.items():
        slugs = values["slugs"] or {name: name for name in SECTIONS}
        if len(set(slugs.values())) != len(slugs):
            report(doc.line(("languages", code, "slugs")), f"two sections of '{code}' share one slug; give each its own")
            ok = False
        direction = values["direction"] or locale_direction(values["locale"])
        locale = values["locale"]
        languages.append(
            Language(
                code,
                values["name"],
                locale,
                values["title"],
                dict(slugs),
                direction,
                description=values["description"],
                og_locale=open_graph_locale(locale),
            )
        )
    return languages if ok else None


def _toml_lines(text: str) -> dict[tuple, int]:
    """Map key paths to line numbers for the simple TOML a site config uses."""
    lines: dict[tuple, int] = {}
    table: tuple = ()
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        header = re.fullmatch(r"\[([^\[\]]+)\]", line)
        if header:
            table = tuple(part.strip().strip('"') for part in header.group(1).split("."))
            for depth in range(1, len(table) + 1):
                lines.setdefault(table[:depth], number)
            continue
        key = re.match(r'^"?([A-Za-z0-9_-]+)"?\s*=', line)
        if key:
            lines[(*table, key.group(1))] = number
    return lines
