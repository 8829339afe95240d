"""Readers: one per kind of source file, each returning typed model objects.

A reader reports every problem of its file to ``problems`` and returns None
when the file is unusable, so one run shows all errors of all files.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from parkpress.content.frontmatter import split
from parkpress.content.model import Contact, Document, Edition, Figure, ParkFacts, RankingEntry, RankingList, Taxonomy
from parkpress.content.sources import SourceFile
from parkpress.core import schema as s
from parkpress.core.problems import Problems
from parkpress.core.yamldata import YamlDoc, YamlError, parse

MAX_SOURCE_BYTES = 20 * 1024 * 1024
# The compare page and parks.csv give every park a cell for each figure kind, so their size is
# parks x kinds: a bound on the kinds keeps them growing with the parks alone (docs/content-format.md).
MAX_FIGURE_KINDS = 40


def news_schema(zone: ZoneInfo) -> dict[str, s.Field]:
    return {
        "title": s.Field(s.text, required=True),
        "date": s.Field(s.release_time(zone), required=True),
        "updated": s.Field(s.release_time(zone)),
        "parks": s.Field(s.keys, default=()),
        "industries": s.Field(s.keys, default=()),
        "source": s.Field(s.mapping({"name": s.Field(s.text, required=True), "url": s.Field(s.url)}), required=True),
        "summary": s.Field(s.text, required=True),
        "slug": s.Field(s.slug),
        **TRANSLATION_FIELDS,
    }


# Every Markdown file may say which language its item was written in and what it translates.
TRANSLATION_FIELDS = {"source_language": s.Field(s.text), "translation_of": s.Field(s.TRANSLATION_OF)}
# Names among a park's facts that a language may write its own way (parks/<park>.<lang>.md);
# where it does not, the page shows the neutral value of parks/<park>.yaml, marked with its language.
LOCALISED_CONTACT = {"office": s.Field(s.text), "address": s.Field(s.text)}
PARK_PROSE_SCHEMA = {
    "title": s.Field(s.text, required=True),
    "summary": s.Field(s.text, required=True),
    "province": s.Field(s.text),
    "city": s.Field(s.text),
    "district": s.Field(s.text),
    "contact": s.Field(s.mapping(LOCALISED_CONTACT)),
    "sources": s.Field(s.text_mapping, default={}),  # a figure's source as the facts name it -> its name in this language
    **TRANSLATION_FIELDS,
}
PAGE_SCHEMA = {
    "title": s.Field(s.text, required=True),
    "summary": s.Field(s.text),
    "menu": s.Field(s.menu_position),
    "slug": s.Field(s.slug),
    **TRANSLATION_FIELDS,
}

_UNITS = ("count", "km2", "ha", "percent", "mu")


@s.described({"enum": list(_UNITS)})
def _unit(value: object) -> str:
    value = s.text(value)
    if value not in _UNITS:
        raise s.Invalid(f"'{value}' is not a unit; use one of {', '.join(_UNITS)}")
    return value


@s.described({"type": "string", "pattern": "^[A-Z]{3}$", "examples": ["CNY", "USD", "EUR"]})
def _currency(value: object) -> str:
    value = s.text(value)
    if len(value) != 3 or not value.isalpha() or not value.isupper():
        raise s.Invalid(f"'{value}' is not an ISO 4217 currency code such as CNY or USD")
    return value


FIGURE_SCHEMA = {
    "kind": s.Field(s.text, required=True),
    "year": s.Field(s.integer(1900, 2200), required=True),
    "value": s.Field(s.number),
    "unit": s.Field(_unit, default="count"),
    "amount": s.Field(s.number),
    "currency": s.Field(_currency),
    "source": s.Field(s.text),
    "target": s.Field(s.boolean, default=False),
    "share": s.Field(s.boolean, default=False),
}
PARK_FACTS_SCHEMA = {
    "name": s.Field(s.text, required=True),
    "levels": s.Field(s.keys, required=True),
    "province": s.Field(s.text, required=True),
    "city": s.Field(s.text, required=True),
    "district": s.Field(s.text),
    "founded": s.Field(s.integer(1800, 2200)),
    "area_km2": s.Field(s.number),
    "industries": s.Field(s.keys, required=True),
    "figures": s.Field(s.list_of(FIGURE_SCHEMA), default=[]),
    "rankings": s.Field(
        s.list_of(
            {
                "list": s.Field(s.text, required=True),
                "year": s.Field(s.integer(1900, 2200), required=True),
                "rank": s.Field(s.integer(1, 100000), required=True),
            }
        ),
        default=[],
    ),
    "contact": s.Field(
        s.mapping(
            {
                "office": s.Field(s.text),
                "address": s.Field(s.text),
                "phone": s.Field(s.text),
                "email": s.Field(s.email),
            }
        )
    ),
}
EDITION_SCHEMA = {
    "year": s.Field(s.integer(1900, 2200), required=True),
    "evaluated": s.Field(s.integer(1, 1000000)),
    "indicators": s.Field(s.integer(1, 10000)),
    "dimensions": s.Field(s.integer(1, 10000)),
}
RANKING_LIST_SCHEMA = {
    "label": s.Field(s.text, required=True),
    "publisher": s.Field(s.text, required=True),
    "editions": s.Field(s.list_of(EDITION_SCHEMA), default=[]),
}
RANKING_LISTS = s.tables(s.slug, RANKING_LIST_SCHEMA, what="ranking list key")  # a list's key is its URL segment


# Each 'key: English label' line is checked on its own line by _labels.
@s.described({"type": "object", "propertyNames": s.SLUG, "additionalProperties": s.TEXT})
def _label_mapping(value: object) -> dict:
    if not isinstance(value, dict):
        raise s.Invalid("must be a mapping of 'key: English label' lines")
    return value


TAXONOMY_SCHEMA = {
    "industries": s.Field(_label_mapping, default={}),
    "levels": s.Field(_label_mapping, default={}),
    "figures": s.Field(_label_mapping, default={}),
    "rankings": s.Field(RANKING_LISTS, default={}),
}


def read_text(source: SourceFile, problems: Problems, data: bytes | None = None) -> str | None:
    """The file's text; ``data``: its bytes, when the caller has read them already."""
    try:
        size = source.path.stat().st_size if data is None else len(data)
        if size > MAX_SOURCE_BYTES:
            problems.error(source.path, 0, f"file is {size // 1048576} MB; split it (limit {MAX_SOURCE_BYTES // 1048576} MB)")
            return None
        data = source.path.read_bytes() if data is None else data
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        problems.error(source.path, line, "not valid UTF-8 text; save the file with UTF-8 encoding")
    except OSError as exc:
        problems.error(source.path, 0, f"cannot read: {exc.strerror}")
    return None


def read_document(source: SourceFile, zone: ZoneInfo, problems: Problems, data: bytes | None = None) -> Document | None:
    """Read one Markdown file of any section (``data``: its bytes, if already read)."""
    text = read_text(source, problems, data)
    if text is None:
        return None
    try:
        parts = split(text)
    except YamlError as exc:
        problems.error(source.path, exc.line, str(exc))
        return None
    schema = {"news": news_schema(zone), "parks": PARK_PROSE_SCHEMA, "pages": PAGE_SCHEMA}[source.section]
    if source.section == "parks" and "slug" in parts.meta.data:
        problems.error(source.path, parts.meta.line(("slug",)), "parks take their URL from the file name; remove 'slug'")
        return None
    meta = s.validate(parts.meta, schema, lambda line, msg: problems.error(source.path, line, msg))
    if meta is None:
        return None
    if meta.get("updated") is not None and meta["updated"] < meta["date"]:
        problems.error(source.path, parts.meta.line(("updated",)), "updated is before date; an item is revised after its release")
        return None
    if source.section == "news":
        meta["timed"] = _gives_time(parts.meta.data["date"])
    lines = {name: parts.meta.line((name,)) for name in schema}
    return Document(source.section, source.key, source.lang, meta, parts.body, source.shown, lines, parts.body_line)


def _gives_time(written: object) -> bool:
    """Whether a release was written with its time (2021-07-15 10:00), not as a day alone (2021-07-15)."""
    return isinstance(written, dt.datetime) or (isinstance(written, str) and len(written.strip()) > len("2021-07-15"))


def _read_yaml(source: SourceFile, problems: Problems) -> YamlDoc | None:
    text = read_text(source, problems)
    if text is None:
        return None
    try:
        return parse(text.removeprefix("\ufeff"))
    except YamlError as exc:
        problems.error(source.path, exc.line, str(exc))
        return None


def read_park_facts(source: SourceFile, problems: Problems) -> ParkFacts | None:
    doc = _read_yaml(source, problems)
    if doc is None:
        return None
    report = lambda line, msg: problems.error(source.path, line, msg)  # noqa: E731
    data = s.validate(doc, PARK_FACTS_SCHEMA, report)
    if data is None:
        return None
    figures = []
    for index, raw in enumerate(data["figures"]):
        if (raw["value"] is None) == (raw["amount"] is None) or (raw["amount"] is not None) != (raw["currency"] is not None):
            report(doc.line(("figures", index)), "a figure needs either 'value' (with 'unit') or 'amount' with 'currency'")
            continue
        if raw["share"] and (raw["unit"] != "percent" or raw["value"] is None or not 0 <= raw["value"] <= 100):
            report(doc.line(("figures", index, "share")), "'share: true' needs 'unit: percent' and a value from 0 to 100")
            continue
        figures.append(Figure(**raw))
    if len(figures) != len(data["figures"]):
        return None
    contact = Contact(**data["contact"]) if data["contact"] else None
    lines = {name: doc.line((name,)) for name in PARK_FACTS_SCHEMA}
    lines.update({("figures", i): doc.line(("figures", i)) for i in range(len(figures))})
    lines.update({("rankings", i): doc.line(("rankings", i)) for i in range(len(data["rankings"]))})
    return ParkFacts(
        key=source.key,
        name=data["name"],
        levels=data["levels"],
        province=data["province"],
        city=data["city"],
        founded=data["founded"],
        industries=data["industries"],
        figures=tuple(figures),
        rankings=tuple(RankingEntry(**r) for r in data["rankings"]),
        district=data["district"],
        area_km2=data["area_km2"],
        contact=contact,
        rel=source.shown,
        lines=lines,
    )


def read_taxonomy(source: SourceFile, problems: Problems) -> Taxonomy | None:
    doc = _read_yaml(source, problems)
    if doc is None:
        return None
    report = lambda line, msg: problems.error(source.path, line, msg)  # noqa: E731
    data = s.validate(doc, TAXONOMY_SCHEMA, report)
    if data is None:
        return None
    lists, ok = s.validate_tables(doc, "rankings", data["rankings"], RANKING_LISTS, report)
    rankings = {}
    for key, values in lists.items():
        editions = tuple(sorted((Edition(**e) for e in values["editions"]), key=lambda e: e.year))
        rankings[key] = RankingList(key, values["label"], values["publisher"], editions)
    labels = {group: _labels(doc, group, data[group], report) for group in ("industries", "levels", "figures")}
    if len(data["figures"]) > MAX_FIGURE_KINDS:
        report(
            doc.line(("figures",)),
            f"{len(data['figures'])} figure kinds; the compare page and parks.csv give every park a column for each,"
            f" so at most {MAX_FIGURE_KINDS} are allowed: merge kinds or leave out the least used",
        )
        return None
    if not ok or None in labels.values():
        return None
    return Taxonomy(labels["industries"], labels["levels"], labels["figures"], rankings, source.shown)


def _labels(doc: YamlDoc, group: str, value: dict, report) -> dict[str, str] | None:
    """Check each 'key: English label' line, reporting a bad one at its own line."""
    result, ok = {}, True
    for key, label in value.items():
        try:
            result[s.slug(str(key))] = s.text(label)
        except s.Invalid as exc:
            report(doc.line((group, key)), f"'{group}' entry '{key}': {exc}")
            ok = False
    return result if ok else None
