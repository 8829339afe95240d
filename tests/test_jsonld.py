"""JSON-LD: every page of every language carries a schema.org graph whose nodes have their type's required fields."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from conftest import build_fixture_site
from support.pages import elements

BASE = "https://invest.example.org/"


def _absolute(value) -> bool:
    return isinstance(value, str) and value.startswith(BASE)


def _text(value) -> bool:
    return isinstance(value, str) and value.strip() != ""


def _iso_time(value) -> bool:
    return _text(value) and dt.datetime.fromisoformat(value).tzinfo is not None


def _language(value) -> bool:
    return value in ("en", "de-DE", "fr-FR")


def _address(value) -> bool:
    return isinstance(value, dict) and value.get("@type") == "PostalAddress" and _text(value.get("addressCountry"))


def _breadcrumb_items(items) -> bool:
    return (
        isinstance(items, list)
        and bool(items)
        and [i.get("position") for i in items] == list(range(1, len(items) + 1))
        and all(i.get("@type") == "ListItem" and _text(i.get("name")) and _absolute(i.get("item")) for i in items)
    )


def _downloads(value) -> bool:
    return bool(value) and all(d["@type"] == "DataDownload" and _absolute(d["contentUrl"]) and _text(d["encodingFormat"]) for d in value)


# What this site promises of each type: the fields search engines need to use the node.
REQUIRED = {
    "BreadcrumbList": {"itemListElement": _breadcrumb_items},
    "NewsArticle": {"headline": _text, "datePublished": _iso_time, "url": _absolute, "inLanguage": _language},
    "Place": {"name": _text, "address": _address},
    "GovernmentOrganization": {"name": _text},
    "WebPage": {"name": _text, "url": _absolute, "inLanguage": _language},
    "WebSite": {"name": _text, "url": _absolute, "inLanguage": _language},
    "Dataset": {"name": _text, "description": _text, "url": _absolute, "distribution": _downloads},
}


def graphs(path: Path) -> list[dict]:
    text = path.read_text(encoding="utf-8")
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', text, re.S)
    return [json.loads(block) for block in blocks]


def language_pages(site: Path) -> list[Path]:
    return sorted(p for lang in ("en", "de", "fr") for p in (site / lang).rglob("*.html"))


def test_every_language_page_has_one_valid_graph(sample_site):
    pages = language_pages(sample_site)
    assert len(pages) > 100
    failures = []
    for page in pages:
        found = graphs(page)
        if len(found) != 1:
            failures.append(f"{page}: {len(found)} JSON-LD blocks")
            continue
        graph = found[0]
        if graph.get("@context") != "https://schema.org" or not graph.get("@graph"):
            failures.append(f"{page}: no schema.org @graph")
        for node in graph["@graph"]:
            rules = REQUIRED.get(node.get("@type"))
            if rules is None:
                failures.append(f"{page}: unexpected type {node.get('@type')}")
                continue
            failures += [f"{page}: {node['@type']}.{name} = {node.get(name)!r}" for name, ok in rules.items() if not ok(node.get(name))]
    assert failures == []


def types_of(path: Path) -> list[str]:
    return [node["@type"] for node in graphs(path)[0]["@graph"]]


def test_each_kind_of_page_says_what_it_is(sample_site):
    assert types_of(sample_site / "de/nachrichten/2021-09-binhai-biomedical-clusters/index.html") == ["BreadcrumbList", "NewsArticle"]
    assert types_of(sample_site / "fr/parcs/wuqing/index.html") == ["BreadcrumbList", "Place", "GovernmentOrganization"]
    assert types_of(sample_site / "en/parks/index.html") == ["BreadcrumbList", "Dataset"]
    assert types_of(sample_site / "de/index.html") == ["WebSite"]
    assert types_of(sample_site / "de/vergleich/index.html") == ["BreadcrumbList", "WebPage"]


def test_the_article_matches_its_page(sample_site):
    page = sample_site / "de/nachrichten/2021-08-wuqing-top100-biomedical/index.html"
    article = graphs(page)[0]["@graph"][1]
    h1 = next(e.text for e in elements(page) if e.tag == "h1")
    assert article["headline"] == h1.strip()
    assert article["datePublished"] == "2021-08-19T14:40:00+08:00"
    assert article["url"] == BASE + "de/nachrichten/2021-08-wuqing-top100-biomedical/"
    assert article["inLanguage"] == "de-DE"
    assert article["image"] == BASE + "media/news/2021-08-wuqing-top100-biomedical/rank-2020-2021-1200w.jpg"


def test_the_breadcrumbs_match_the_visible_trail(sample_site):
    page = sample_site / "fr/parcs/binhai/index.html"
    crumbs = graphs(page)[0]["@graph"][0]["itemListElement"]
    visible = [e.text.strip() for e in elements(page) if e.tag == "li" and e.inside("nav", "crumbs")]
    assert [c["name"] for c in crumbs] == visible
    assert crumbs[-1]["item"] == BASE + "fr/parcs/binhai/"


def test_the_search_action_points_at_the_search_page(sample_site):
    website = graphs(sample_site / "fr/index.html")[0]["@graph"][0]
    assert website["potentialAction"]["target"] == BASE + "fr/recherche/?q={search_term_string}"


@pytest.mark.parametrize("lang", ["en", "de", "fr"])
def test_the_dataset_lists_the_open_data_files(sample_site, lang):
    directory = {"en": "parks", "de": "parks", "fr": "parcs"}[lang]
    dataset = graphs(sample_site / lang / directory / "index.html")[0]["@graph"][1]
    urls = {d["contentUrl"]: d["encodingFormat"] for d in dataset["distribution"]}
    news = {"en": "news", "de": "nachrichten", "fr": "actualites"}[lang]
    assert urls == {
        f"{BASE}{lang}/{directory}/parks.csv": "text/csv",
        f"{BASE}{lang}/{directory}/parks.json": "application/json",
        f"{BASE}{lang}/{news}/news.json": "application/json",
    }


def test_the_root_page_names_the_site_in_all_its_languages(sample_site):
    website = graphs(sample_site / "index.html")[0]
    assert website["@type"] == "WebSite" and _absolute(website["url"]) and _text(website["name"])
    assert website["inLanguage"] == ["en", "de-DE", "fr-FR"]
    assert [part["url"] for part in website["hasPart"]] == [BASE + "en/", BASE + "de/", BASE + "fr/"]


def _node(path: Path, kind: str) -> dict:
    return next(node for node in graphs(path)[0]["@graph"] if node["@type"] == kind)


@pytest.mark.parametrize(
    ("kind", "pages"),
    [
        (
            "NewsArticle",
            {
                "en": "en/news/2021-08-wuqing-top100-biomedical",
                "de": "de/nachrichten/2021-08-wuqing-top100-biomedical",
                "fr": "fr/actualites/2021-08-wuqing-top100-biomedical",
            },
        ),
        ("WebPage", {"en": "en/about", "de": "de/ueber-uns", "fr": "fr/a-propos"}),
    ],
)
def test_the_original_lists_its_translations_and_each_translation_names_the_original(sample_site, kind, pages):
    nodes = {lang: _node(sample_site / path / "index.html", kind) for lang, path in pages.items()}
    fragment = "#article" if kind == "NewsArticle" else "#page"
    ids = {lang: BASE + path + "/" + fragment for lang, path in pages.items()}
    assert {lang: node["@id"] for lang, node in nodes.items()} == ids
    assert nodes["en"]["workTranslation"] == [{"@id": ids["de"]}, {"@id": ids["fr"]}]
    assert "translationOfWork" not in nodes["en"]
    for lang in ("de", "fr"):
        assert nodes[lang]["translationOfWork"] == {"@id": ids["en"]}
        assert "workTranslation" not in nodes[lang]


def test_an_item_in_one_language_claims_no_translations(tmp_path):
    site = build_fixture_site(tmp_path / "project")  # 2020-alpha-ranked is in English only
    article = _node(site / "en/news/2020-alpha-ranked/index.html", "NewsArticle")
    assert not {"@id", "workTranslation", "translationOfWork"} & set(article)
    assert _node(site / "en/news/2021-alpha-grows/index.html", "NewsArticle")["workTranslation"]
