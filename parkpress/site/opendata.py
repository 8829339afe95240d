"""Open data per language: parks.json, parks.csv and news.json.

Labels are in the file's language; numbers stay raw (no thousands separators,
no currency signs) so spreadsheets and scripts can use them; keys are stable
across languages.  The JSON files have one record a line (see to_json).  The output is a pure function of the content: no build
time or machine data, so two builds give the same bytes.
"""

from __future__ import annotations

import csv
import io
import json

from parkpress.content.model import ParkFacts
from parkpress.site.views import ContactView, FigureView, NewsCard, ParkCard, RankingView


def _number(value: float | None) -> float | int | None:
    """1500.0 -> 1500, so files show whole numbers as such."""
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


def _text(value) -> str | None:
    return None if value is None else str(value)


def park_record(card: ParkCard, facts: ParkFacts, figures, rankings, contact: ContactView | None, url: str) -> dict:
    return {
        "key": card.key,
        "name": facts.name,
        "title": card.title,
        "summary": card.summary,
        "url": url,
        "province": facts.province,
        "city": facts.city,
        "district": facts.district,
        "founded": facts.founded,
        "area_km2": _number(facts.area_km2),
        "levels": [{"key": link.key, "label": str(link.label)} for link in card.levels],
        "industries": [{"key": link.key, "label": str(link.label)} for link in card.industries],
        "figures": [_figure(f) for f in figures],
        "rankings": [_ranking(r) for r in rankings],
        "contact": None if contact is None else {k: _text(getattr(contact, k)) for k in ("office", "address", "phone", "email")},
    }


def _figure(figure: FigureView) -> dict:
    return {
        "kind": figure.kind,
        "label": str(figure.label),
        "value": _number(figure.number),
        "unit": None if figure.currency else figure.unit,
        "currency": figure.currency,
        "year": figure.year,
        "target": figure.target,
        "source": _text(figure.source),
        "text": figure.text,
    }


def _ranking(ranking: RankingView) -> dict:
    return {
        "list": ranking.list_key,
        "label": str(ranking.label),
        "publisher": ranking.publisher,
        "year": ranking.year,
        "rank": ranking.rank,
        "change": ranking.change,
        "evaluated": ranking.evaluated,
    }


def news_record(card: NewsCard, source_name: str, source_url: str | None, url: str) -> dict:
    return {
        "key": card.key,
        "title": card.title,
        "summary": card.summary,
        "url": url,
        "published": card.released.isoformat(),
        "source": {"name": source_name, "url": source_url},
        "parks": [{"key": link.key, "label": link.label} for link in card.parks],
        "industries": [{"key": link.key, "label": str(link.label)} for link in card.industries],
    }


# json.dumps with ``indent`` runs the standard library's pure-Python encoder, about ten times
# slower than its C encoder, which only writes compact JSON: news.json of a site with 3,000 news
# items took 0.2 s a language.  So each record is encoded compactly and has a line of its own,
# which keeps the file readable and line-oriented tools (diff, grep) useful.
_ENCODER = json.JSONEncoder(ensure_ascii=False)


def to_json(lang: str, name: str, records: list[dict]) -> str:
    """{"language": lang, name: records} as JSON, one record a line."""
    head = f'{{"language": {_ENCODER.encode(lang)}, {_ENCODER.encode(name)}: ['
    if not records:
        return head + "]}\n"
    return head + "\n" + ",\n".join(map(_ENCODER.encode, records)) + "\n]}\n"


# OWASP's rule against CSV injection: a spreadsheet runs a text cell starting with one of these as a formula
# (=HYPERLINK(...) leaks data, +/-/@ start formulas too); a leading apostrophe makes it plain text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Excel reads a CSV without a byte-order mark in the machine's ANSI code page, garbling "Zhangjiang Hightech-Park –
# Zone für" on a German or French Windows; with it, Excel, LibreOffice and Python's "utf-8-sig" all read UTF-8.
BOM = "\ufeff"

CSV_COLUMNS = ("key", "name", "title", "url", "province", "city", "district", "founded", "area_km2", "levels", "industries")


def parks_csv(records: list[dict], latest: list[dict[str, FigureView]], figure_kinds: list[str]) -> str:
    """One row per park; per figure kind the value that stands for the park (ParkFacts.latest).

    Several values of one kind (e.g. a result and a target) are all in parks.json;
    the CSV has one cell per kind.
    """
    header = list(CSV_COLUMNS)
    for kind in figure_kinds:
        header += [kind, f"{kind}_year", f"{kind}_unit", f"{kind}_target", f"{kind}_source"]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for record, figures in zip(records, latest, strict=True):
        row = [record[c] if c not in ("levels", "industries") else "; ".join(x["label"] for x in record[c]) for c in CSV_COLUMNS]
        for kind in figure_kinds:
            figure = figures.get(kind)
            if figure is None:
                row += ["", "", "", "", ""]
            else:
                unit = figure.currency or figure.unit
                row += [_number(figure.number), figure.year, unit, "yes" if figure.target else "no", _text(figure.source) or ""]
        writer.writerow([_cell(cell) for cell in row])
    return BOM + out.getvalue()


def _cell(value: str | float | None) -> str | float:
    """Text that a spreadsheet would run as a formula gets OWASP's apostrophe; numbers are ours and stay numbers."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
