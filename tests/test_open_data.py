"""Open data: parks.json, parks.csv and news.json per language match the content and are linked from the directory."""

from __future__ import annotations

import csv
import io
import json

import pytest
from conftest import run
from support.pages import elements

from parkpress.content.loader import load_content
from parkpress.content.sources import discover
from parkpress.core.config import load_config
from parkpress.core.problems import Problems
from parkpress.site import opendata


@pytest.fixture(scope="module")
def sample(sample_site):
    """The sample site's built folder and its content, read the way the build reads it."""
    config = load_config(sample_site.parent)
    problems = Problems(config.root)
    content = load_content(config, discover(config.content_dir, config.language_codes, problems), problems)
    return sample_site, content


DATA = {"en": ("parks", "news"), "de": ("parks", "nachrichten"), "fr": ("parcs", "actualites")}


@pytest.mark.parametrize("lang", DATA)
def test_the_directory_links_the_three_files(sample, lang):
    site, _ = sample
    parks_dir, news_dir = DATA[lang]
    links = {e.attrs["href"] for e in elements(site / lang / parks_dir / "index.html") if e.tag == "a" and e.inside("section", "open-data")}
    assert links == {"parks.csv", "parks.json", f"../{news_dir}/news.json"}
    for href in links:
        assert (site / lang / parks_dir / href).resolve().is_file()


@pytest.mark.parametrize("lang", DATA)
def test_parks_json_holds_every_park_with_raw_numbers_and_localised_labels(sample, lang):
    site, content = sample
    data = json.loads((site / lang / DATA[lang][0] / "parks.json").read_text(encoding="utf-8"))
    assert data["language"] == lang
    by_key = {p["key"]: p for p in data["parks"]}
    assert set(by_key) == {key for key, park in content.parks.items() if lang in park.prose}
    for key, record in by_key.items():
        facts = content.parks[key].facts
        assert record["name"] == facts.name
        assert record["title"] == content.parks[key].prose[lang].title
        assert (record["province"], record["city"], record["founded"]) == (facts.province, facts.city, facts.founded)
        assert [i["key"] for i in record["industries"]] == list(facts.industries)
        assert [(f["kind"], f["value"], f["year"], f["currency"], f["target"]) for f in record["figures"]] == [
            (f.kind, f.number, f.year, f.currency, f.target) for f in facts.figures
        ]
        assert [(r["list"], r["year"], r["rank"]) for r in record["rankings"]] == sorted(
            ((r.list, r.year, r.rank) for r in facts.rankings), key=lambda t: (t[0], -t[1])
        )
        assert record["contact"]["email"] == facts.contact.email
        assert record["url"] == f"https://invest.example.org/{lang}/{DATA[lang][0]}/{key}/"
    wuqing = by_key["wuqing"]
    invested = next(f for f in wuqing["figures"] if f["kind"] == "investment-attracted")
    assert invested["value"] == 120000000000 and isinstance(invested["value"], int), "raw, whole numbers stay whole"
    biomedicine = next(i for i in wuqing["industries"] if i["key"] == "biomedicine")
    assert biomedicine["label"] == {"en": "Biomedicine", "de": "Biomedizin", "fr": "Biomédecine"}[lang]


@pytest.mark.parametrize("lang", DATA)
def test_parks_csv_has_one_row_per_park_with_its_latest_figures(sample, lang):
    site, content = sample
    data = (site / lang / DATA[lang][0] / "parks.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf"), "a UTF-8 byte-order mark, so Excel does not read the accents in the ANSI code page"
    text = data.decode("utf-8-sig")
    assert text.count("\r\n") == text.count("\n"), "RFC 4180 line ends"
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {r["key"] for r in rows} == {key for key, park in content.parks.items() if lang in park.prose}
    for row in rows:
        facts = content.parks[row["key"]].facts
        for kind in {f.kind for f in facts.figures}:
            latest = facts.latest(kind)
            assert float(row[kind]) == latest.number
            assert row[f"{kind}_year"] == str(latest.year)
            assert row[f"{kind}_unit"] == (latest.currency or latest.unit)
            assert row[f"{kind}_target"] == ("yes" if latest.target else "no")
    binhai = next(r for r in rows if r["key"] == "binhai")
    assert binhai["biomedical-income_target"] == "yes" and binhai["biomedical-income"] == "100000000000"
    assert binhai["enterprises"] == "", "a figure the park does not state stays empty"


FORMULAS = ('=HYPERLINK("http://evil.example/","x")', "+1+2", "-2+3", "@SUM(A1)", "\tTab", "\rCR")


@pytest.mark.parametrize("formula", FORMULAS)
def test_a_csv_cell_a_spreadsheet_would_run_as_a_formula_is_plain_text(formula):
    record = {column: "" for column in opendata.CSV_COLUMNS} | {"key": "alpha", "name": formula, "founded": 1991, "area_km2": -1.5}
    text = opendata.parks_csv([record | {"levels": [], "industries": [{"label": formula}]}], [{}], [])
    row = next(csv.DictReader(io.StringIO(text.removeprefix(opendata.BOM))))
    assert row["name"] == row["industries"] == "'" + formula, "OWASP: a leading apostrophe keeps it text"
    assert row["founded"] == "1991" and row["area_km2"] == "-1.5", "numbers the build writes stay numbers"


def test_ordinary_text_in_the_csv_is_left_alone():
    record = {column: "" for column in opendata.CSV_COLUMNS} | {
        "key": "alpha",
        "name": "Zone für Hightech – 'A'",
        "levels": [],
        "industries": [],
    }
    row = next(csv.DictReader(io.StringIO(opendata.parks_csv([record], [{}], []).removeprefix(opendata.BOM))))
    assert row["name"] == "Zone für Hightech – 'A'"


@pytest.mark.parametrize("lang", DATA)
def test_news_json_lists_every_item_newest_first(sample, lang):
    site, content = sample
    data = json.loads((site / lang / DATA[lang][1] / "news.json").read_text(encoding="utf-8"))
    items = data["news"]
    expected = {key for key, item in content.news.items() if lang in item.translations}
    assert {i["key"] for i in items} == expected
    assert [i["published"] for i in items] == sorted((i["published"] for i in items), reverse=True)
    for item in items:
        doc = content.news[item["key"]].translations[lang]
        assert item["title"] == doc.meta["title"]
        assert item["published"] == doc.meta["date"].isoformat()
        assert item["source"]["name"] == doc.meta["source"]["name"]
        assert [p["key"] for p in item["parks"]] == list(doc.meta["parks"])
        assert [i["key"] for i in item["industries"]] == list(doc.meta["industries"])


@pytest.mark.parametrize("path", ["en/parks/parks.json", "de/nachrichten/news.json", "fr/actualites/news.json"])
def test_json_files_have_one_record_a_line(sample, path):
    site, _ = sample
    text = (site / path).read_text(encoding="utf-8")
    data = json.loads(text)
    records = data["parks" if path.endswith("parks.json") else "news"]
    lines = text.split("\n")
    assert lines[0].startswith('{"language": ') and lines[0].endswith(": [")
    assert lines[-2:] == ["]}", ""]
    assert [json.loads(line.removesuffix(",")) for line in lines[1:-2]] == records
    assert len(records) > 1


def test_a_record_stays_on_its_line_and_an_empty_list_is_valid_json():
    records = [{"title": "Zwei\nZeilen", "summary": "Biomédecine ✓"}, {"title": "b"}]
    text = opendata.to_json("de", "news", records)
    assert text.count("\n") == 4 and "Biomédecine ✓" in text
    assert json.loads(text) == {"language": "de", "news": records}
    assert json.loads(opendata.to_json("fr", "parks", [])) == {"language": "fr", "parks": []}


def test_open_data_files_are_the_same_bytes_on_every_build(make_site):
    root = make_site()
    assert run(root, "build").code == 0
    first = {p: (root / "site" / p).read_bytes() for p in ("en/parks/parks.json", "en/parks/parks.csv", "de/nachrichten/news.json")}
    (root / "site").rename(root / "old-site")
    assert run(root, "build").code == 0
    assert {p: (root / "site" / p).read_bytes() for p in first} == first
