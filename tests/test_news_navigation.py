"""Around a news item: previous/next in the same language, related news (shared parks first, then industries, newest first),
news per park and per industry."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from conftest import PARK, copy_catalogs, default_files, park_prose, run, write_files
from hypothesis import given, settings
from hypothesis import strategies as st
from support.pages import elements

from parkpress.site.model import _RelatedIndex

ITEMS = {
    # key: (date, parks, industries, languages)
    "a": ("2021-01-01 09:00", "[alpha]", "[biomedicine]", ("en", "de")),
    "b": ("2021-02-01 09:00", "[beta]", "[biomedicine]", ("en", "de")),
    "c": ("2021-03-01 09:00", "[alpha]", "[logistics]", ("en",)),
    "d": ("2021-04-01 09:00", "[beta]", "[logistics]", ("en", "de")),
    "e": ("2021-05-01 09:00", "[alpha]", "[biomedicine]", ("en", "de")),
}


def item(key: str, lang: str) -> str:
    date, parks, industries, _ = ITEMS[key]
    return (
        f"---\ntitle: Item {key} {lang}\ndate: {date}\nparks: {parks}\nindustries: {industries}\n"
        f"source:\n  name: Test source\nsummary: About {key}.\n---\nBody of {key}.\n"
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("navigation")
    copy_catalogs(root)
    files = {path: text for path, text in default_files().items() if not path.startswith("content/news/")}
    files["content/parks/beta.yaml"] = PARK.replace("Alpha Development Zone", "Beta Development Zone")
    files["content/parks/beta.en.md"] = park_prose("Beta Zone")
    files["content/parks/beta.de.md"] = park_prose("Zone Beta")
    for key, (_, _, _, languages) in ITEMS.items():
        for lang in languages:
            files[f"content/news/{key}.{lang}.md"] = item(key, lang)
    write_files(root, files)
    result = run(root, "build")
    assert result.code == 0, result.err
    return root / "site"


def article(site, lang: str, key: str):
    return site / lang / {"en": "news", "de": "nachrichten"}[lang] / key / "index.html"


def linked(page, rel: str) -> str | None:
    found = [e.attrs["href"] for e in elements(page) if e.tag == "a" and e.attrs.get("rel") == rel and e.inside("nav", "neighbours")]
    return found[0] if found else None


def related(page) -> list[str]:
    return [e.attrs["href"] for e in elements(page) if e.tag == "a" and e.inside("section") and e.inside("h3")]


@pytest.mark.parametrize(
    ("lang", "key", "older", "newer"),
    [
        ("en", "c", "b", "d"),
        ("en", "e", "d", None),
        ("en", "a", None, "b"),
        ("de", "d", "b", "e"),  # c has no German version: the German neighbours skip it
        ("de", "b", "a", "d"),
    ],
)
def test_previous_and_next_stay_in_the_language(site, lang, key, older, newer):
    page = article(site, lang, key)
    assert linked(page, "prev") == (f"../{older}/index.html" if older else None)
    assert linked(page, "next") == (f"../{newer}/index.html" if newer else None)


@pytest.mark.parametrize(
    ("lang", "key", "expected"),
    [
        ("en", "e", ["a", "c", "b"]),  # a shares park and industry, c the park (counts double), b the industry; d nothing
        ("en", "a", ["e", "c", "b"]),
        ("en", "b", ["d", "e", "a"]),  # d shares the park; e and a the industry, the newer first
        ("de", "b", ["d", "e", "a"]),
        ("de", "e", ["a", "b"]),  # c is not in German
    ],
)
def test_related_news_share_parks_or_industries_newest_first(site, lang, key, expected):
    assert related(article(site, lang, key)) == [f"../{k}/index.html" for k in expected]


def test_a_park_lists_its_news_newest_first_two_a_page(site):
    def listed(page):
        return [e.attrs["href"] for e in elements(page) if e.tag == "a" and e.inside("section") and e.inside("h3")]

    assert listed(site / "en/parks/alpha/index.html") == ["../../news/e/index.html", "../../news/c/index.html"]
    assert listed(site / "en/parks/alpha/2/index.html") == ["../../../news/a/index.html"]


def test_an_industry_lists_its_parks_and_news(site):
    page = site / "de/branchen/logistics/index.html"
    links = [e.attrs["href"] for e in elements(page) if e.tag == "a" and e.inside("h3")]
    assert links == ["../../nachrichten/d/index.html"], "only d is about logistics in German, and no park lists it"


PARKS, INDUSTRIES = ("p", "q", "r"), ("i1", "i2", "i3", "i4")
ITEM = st.tuples(st.sets(st.sampled_from(PARKS), max_size=2), st.sets(st.sampled_from(INDUSTRIES), max_size=3))  # (parks, industries)


def related_by_definition(entries, item: int, limit: int) -> list[int]:
    """Every other item scored: a shared park counts two, a shared industry one; newest (first) wins ties."""
    parks, industries = set(entries[item].doc.meta["parks"]), set(entries[item].doc.meta["industries"])
    scored = []
    for position, entry in enumerate(entries):
        meta = entry.doc.meta
        score = 2 * len(parks & set(meta["parks"])) + len(industries & set(meta["industries"]))
        if position != item and score:
            scored.append((-score, position))
    return [position for _, position in sorted(scored)[:limit]]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(ITEM, min_size=1, max_size=40),
    st.integers(1, 5),
    st.data(),
)
def test_related_news_are_the_best_scored_whatever_the_mix(items, limit, data):
    entries = [SimpleNamespace(doc=SimpleNamespace(meta={"parks": sorted(p), "industries": sorted(i)})) for p, i in items]
    index = _RelatedIndex(entries)
    item = data.draw(st.integers(0, len(entries) - 1))
    assert index.related(item, limit) == related_by_definition(entries, item, limit)
