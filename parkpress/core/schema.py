"""Typed, declarative validation of front matter and data files.

A schema is a dict of :class:`Field`.  ``validate`` converts every value to
its Python type and reports each problem with the line it came from and a
hint how to fix it, instead of stopping at the first one.

Every converter also says, as a JSON Schema fragment (its ``json`` attribute, set by
:func:`described` or by the factory that makes it), which values it accepts: editors
validate and complete a site's files from the schemas core/jsonschema.py derives from the
same declarations, so the two cannot drift apart.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from parkpress.core.yamldata import YamlDoc

Report = Callable[[int, str], None]


class Invalid(ValueError):
    """A value that cannot be converted; the message says how to fix it."""


@dataclass(frozen=True)
class Field:
    convert: Callable
    required: bool = False
    default: object = None


def described(fragment: dict) -> Callable[[Callable], Callable]:
    """Mark a converter with the JSON Schema of the values it accepts."""

    def mark(convert: Callable) -> Callable:
        convert.json = fragment
        return convert

    return mark


def any_case(word: str) -> str:
    """A JSON Schema pattern matching ``word`` in any case: ECMA-262 patterns take no flags."""
    return "".join(f"[{c.lower()}{c.upper()}]" if c.isalpha() else re.escape(c) for c in word)


def _type_name(value: object) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, (dt.date, dt.datetime)):
        return "a date"
    if value is None:
        return "nothing"
    return "text"


# Characters XML 1.0 forbids (most C0 controls, lone surrogates, U+FFFE/U+FFFF): YAML's
# "\x01" or "\ud800" escapes can produce them, and one would break the feed and the page.
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# The same rule for JSON Schema: something besides white space, and none of those characters.
TEXT = {"type": "string", "pattern": r"^(?=[\s\S]*\S)[^\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]*$"}


@described(TEXT)
def text(value: object) -> str:
    if not isinstance(value, str):
        raise Invalid(f"must be text, got {_type_name(value)}; put the value in quotes")
    if not value.strip():
        raise Invalid("must not be empty")
    bad = FORBIDDEN.search(value)
    if bad:
        raise Invalid(f"contains the control character U+{ord(bad.group()):04X} at position {bad.start() + 1}; remove it")
    return value.strip()


@described({"type": "object", "propertyNames": TEXT, "additionalProperties": TEXT})
def text_mapping(value: object) -> dict[str, str]:
    """'text: text' lines, such as a name and its translation; every key and value checked as :func:`text`."""
    if not isinstance(value, dict):
        raise Invalid(f"must be a mapping of 'name: translation' lines, got {_type_name(value)}")
    result = {}
    for key, item in value.items():
        try:
            result[text(key)] = text(item)
        except Invalid as exc:
            raise Invalid(f"entry '{key}' {exc}") from None
    return result


def integer(low: int, high: int) -> Callable[[object], int]:
    def convert(value: object) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise Invalid(f"must be a whole number between {low} and {high}, got {_type_name(value)}")
        if not low <= value <= high:
            raise Invalid(f"must be between {low} and {high}, got {value}")
        return value

    convert.json = {"type": "integer", "minimum": low, "maximum": high}
    return convert


MENU_POSITIONS = (0, 1000)  # a page's place in the main menu: front matter ``menu`` and ``new page --menu``
menu_position = integer(*MENU_POSITIONS)

MAX_NUMBER = 10**18  # beyond any real figure, and beyond what the number formatting handles


@described({"type": "number", "minimum": -MAX_NUMBER, "maximum": MAX_NUMBER})
def number(value: object) -> float | int:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise Invalid(f"must be a number without units or separators (e.g. 1500000), got {_type_name(value)}")
    if value != value or value in (float("inf"), float("-inf")):
        raise Invalid("must be a finite number")
    if abs(value) > MAX_NUMBER:
        raise Invalid("is too large; write the figure in a larger unit")
    return value


@described({"type": "boolean"})
def boolean(value: object) -> bool:
    if not isinstance(value, bool):
        raise Invalid(f"must be true or false, got {_type_name(value)}")
    return value


_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SLUG = {"type": "string", "pattern": _SLUG.pattern}


@described(SLUG)
def slug(value: object) -> str:
    value = text(value)
    if not _SLUG.match(value):
        raise Invalid(f"'{value}' is not a valid slug: use lowercase ASCII letters, digits and single hyphens")
    return value


_KEY = {"type": "string", "pattern": r"\S"}


@described({"anyOf": [_KEY, {"type": "array", "items": _KEY}]})
def keys(value: object) -> tuple[str, ...]:
    """A list of taxonomy or park keys; a single key is accepted too."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise Invalid(f"must be a list of keys such as [wuqing, binhai], got {_type_name(value)}")
    if not all(isinstance(item, str) and item.strip() for item in value):
        raise Invalid("every entry must be a key (text), e.g. [biomedicine, logistics]")
    return tuple(dict.fromkeys(item.strip() for item in value))


# Characters RFC 3986 never allows in a URL (<, >, ", {, }, |, \, ^, `) are refused, not escaped:
# a URL with them is a typo or an attack, and would not survive feeds and sitemaps intact.
_URL_PATTERN = r'^({http}[sS]?://[^\s/$.?#<>"{{}}|\\^`][^\s<>"{{}}|\\^`]*|{mailto}:[^\s@<>"]+@[^\s@<>"]+)$'
_URL = re.compile(_URL_PATTERN.format(http="http", mailto="mailto"), re.IGNORECASE)


@described({"type": "string", "pattern": _URL_PATTERN.format(http=any_case("http"), mailto=any_case("mailto"))})
def url(value: object) -> str:
    value = text(value)
    if not _URL.match(value):
        raise Invalid(f"'{value}' is not a web address: write it in full, starting with https:// or http://")
    return value


# An http(s) address with a host, and no user, query, fragment, space or character an address cannot carry.
@described({"type": "string", "pattern": "^" + any_case("http") + r'[sS]?://[^\s/?#@<>"{}|\\^`:\[\]]+(:[0-9]+)?(/[^\s?#<>"{}|\\^`]*)?$'})
def site_address(value: object) -> str:
    """The public address a site is published at: http(s), a host, no user, query or fragment."""
    value = text(value)
    try:
        parts = urlsplit(value)
        host = parts.hostname
    except ValueError:  # an unclosed '[' of an IPv6 host
        host = None
    if host is None or parts.scheme.lower() not in ("http", "https"):
        raise Invalid(f"'{value}' is not the address of a site: write it in full, such as https://invest.example.org/")
    if parts.username is not None or parts.password is not None:
        raise Invalid(f"'{value}' holds a user name or password, which every page would publish; remove them")
    if parts.query or parts.fragment or "?" in value or "#" in value:
        raise Invalid(f"'{value}' has a query or fragment ('?…', '#…'), which no page address can carry; remove it")
    if any(char.isspace() or char in '<>"{}|\\^`' for char in value):
        raise Invalid(f"'{value}' holds a space or a character an address cannot carry as it is")
    return value


_EMAIL = r'^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$'


@described({"type": "string", "pattern": _EMAIL})
def email(value: object) -> str:
    value = text(value)
    if not re.match(_EMAIL, value):
        raise Invalid(f"'{value}' is not an e-mail address")
    return value


def release_time(zone: ZoneInfo) -> Callable[[object], dt.datetime]:
    """A date or date and time; without an offset it is read in ``zone``."""

    def convert(value: object) -> dt.datetime:
        if isinstance(value, dt.datetime):
            moment = value
        elif isinstance(value, dt.date):
            moment = dt.datetime(value.year, value.month, value.day)
        elif isinstance(value, str):
            try:
                moment = dt.datetime.fromisoformat(value.strip())
            except ValueError:
                raise Invalid(f"'{value}' is not a date: write YYYY-MM-DD HH:MM, e.g. 2024-05-16 09:25 (optionally +08:00)") from None
        else:
            raise Invalid(f"must be a date such as 2024-05-16 09:25, got {_type_name(value)}")
        if not 1900 <= moment.year <= 2200:  # also keeps time-zone arithmetic clear of year 1 and 9999
            raise Invalid(f"year {moment.year} is out of range; use a year between 1900 and 2200")
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=zone)
        return moment

    convert.json = RELEASE_TIME
    return convert


# As an editor's YAML 1.2 reads it, a date is text: YYYY-MM-DD[ HH:MM[:SS]][±HH:MM|Z], years 1900-2200.
RELEASE_TIME = {
    "type": "string",
    "pattern": r"^(19[0-9]{2}|21[0-9]{2}|2200|20[0-9]{2})-[0-9]{2}-[0-9]{2}"
    r"([ Tt][0-9]{1,2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?\s*([zZ]|[+-][0-9]{2}(:?[0-9]{2})?)?)?$",
}


def mapping(schema: dict[str, Field]) -> Callable:
    """Marker converter: a nested mapping validated against ``schema``."""

    def convert(value: object) -> dict:  # replaced by validate(); kept for type errors
        raise AssertionError("nested schemas are validated by validate()")

    convert.schema = schema
    return convert


def list_of(schema: dict[str, Field]) -> Callable:
    """Marker converter: a list of mappings, each validated against ``schema``."""

    def convert(value: object) -> list:
        raise AssertionError("nested schemas are validated by validate()")

    convert.item_schema = schema
    return convert


def tables(key: Callable[[str], object], schema: dict[str, Field], what: str) -> Callable:
    """A mapping of named tables (``[languages.en]``, the ranking lists): each name is checked with
    ``key`` and each table against ``schema`` by :func:`validate_tables`, which reads both from here."""

    def convert(value: object) -> dict:
        if not isinstance(value, dict):
            raise Invalid(f"must be a mapping of {what}s to their tables, got {_type_name(value)}")
        return value

    convert.key, convert.table_schema, convert.what = key, schema, what
    return convert


def validate(doc: YamlDoc, schema: dict[str, Field], report: Report, path: tuple = ()) -> dict | None:
    """Convert ``doc.data`` at ``path``; return None if any field was invalid."""
    data = _at(doc.data, path)
    label = ".".join(str(p) for p in path)
    if not isinstance(data, dict):
        what = f"'{label}'" if label else "the file"
        report(doc.line(path), f"{what} must be a mapping of 'field: value' lines, got {_type_name(data)}")
        return None
    result, ok = {}, True
    for name in data:
        if name not in schema:
            report(doc.line((*path, name)), _unknown_field(str(name), schema, label))
            ok = False
    for name, field in schema.items():
        where = (*path, name)
        full_name = ".".join(str(p) for p in where)
        if name not in data or data[name] is None:
            if field.required:
                report(doc.line(path), f"missing required field '{full_name}'; add a line '{name}{doc.assignment}…'")
                ok = False
            result[name] = field.default
            continue
        value = _convert(doc, where, field, report, full_name)
        if value is _FAILED:
            ok = False
        else:
            result[name] = value
    return result if ok else None


def validate_tables(doc: YamlDoc, group: str, named: dict, declared: Callable, report: Report) -> tuple[dict[str, dict], bool]:
    """Validate ``named``, the mapping at ``group`` that ``declared`` (made by :func:`tables`) describes.

    A bad name is reported as "<what> <the Invalid's message>" at its own line.  Returns the tables
    that passed, by name, and whether all did, so the caller can check those further and still fail.
    """
    result, ok = {}, True
    for name in named:
        try:
            declared.key(str(name))
        except Invalid as exc:
            report(doc.line((group, name)), f"{declared.what} {exc}")
            ok = False
            continue
        values = validate(doc, declared.table_schema, report, (group, name))
        if values is None:
            ok = False
            continue
        result[str(name)] = values
    return result, ok


_FAILED = object()


def _convert(doc: YamlDoc, where: tuple, field: Field, report: Report, full_name: str):
    value = _at(doc.data, where)
    nested = getattr(field.convert, "schema", None)
    if nested is not None:
        converted = validate(doc, nested, report, where)
        return _FAILED if converted is None else converted
    item_schema = getattr(field.convert, "item_schema", None)
    if item_schema is not None:
        if not isinstance(value, list):
            report(doc.line(where), f"'{full_name}' must be a list (lines starting with '- '), got {_type_name(value)}")
            return _FAILED
        items = [validate(doc, item_schema, report, (*where, i)) for i in range(len(value))]
        return _FAILED if any(item is None for item in items) else items
    try:
        return field.convert(value)
    except Invalid as exc:
        report(doc.line(where), f"'{full_name}' {exc}")
        return _FAILED


def _at(data: object, path: tuple) -> object:
    for part in path:
        data = data[part]
    return data


def _unknown_field(name: str, schema: dict, label: str) -> str:
    where = f" in '{label}'" if label else ""
    close = difflib.get_close_matches(name, list(schema), n=1)
    hint = f"did you mean '{close[0]}'?" if close else "known fields: " + ", ".join(schema)
    return f"unknown field '{name}'{where}; {hint}"


_SHA256 = re.compile(r"^[0-9a-f]{64}$")


@described({"type": "string", "pattern": _SHA256.pattern})
def sha256_hex(value: object) -> str:
    value = text(value)
    if not _SHA256.match(value):
        raise Invalid(f"'{value}' is not a SHA-256 digest (64 hex digits); run 'parkpress i18n done' on this file to record it")
    return value


@described({"type": "string", "pattern": r"^(?!/)(?!(.*/)?\.\.(/|$))[^\\]*\.md$"})
def content_path(value: object) -> str:
    """A Markdown file's path under content/, such as news/2024-05-opening.en.md."""
    value = text(value)
    if value.startswith("/") or "\\" in value or ".." in value.split("/") or not value.endswith(".md"):
        raise Invalid(f"'{value}' is not a Markdown file under content/; write it as news/<name>.en.md")
    return value


_PART_DIGESTS = re.compile(r"^[0-9a-f]{8}( [0-9a-f]{8})+$")


@described({"type": "string", "pattern": r"^\s*[0-9a-f]{8}(\s+[0-9a-f]{8})+\s*$"})  # spaces as the converter takes them
def part_digests(value: object) -> str:
    """The short digests of a source's title, summary and paragraphs, separated by spaces."""
    value = " ".join(text(value).split())
    if not _PART_DIGESTS.match(value):
        raise Invalid(
            "must be the digests of the source's title, summary and paragraphs (8 hex digits each, separated by spaces); "
            "run 'parkpress i18n done' on this file to record them"
        )
    return value


# What a translation was made from: the source's file, the digest of its translatable text and
# (since records name which part changed) of each part; records without ``parts`` stay valid.
TRANSLATION_OF = mapping(
    {"file": Field(content_path, required=True), "digest": Field(sha256_hex, required=True), "parts": Field(part_digests)}
)
