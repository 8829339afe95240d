"""Paged lists of news (all news, a year's, a park's): every item on one page, and a pager
with newer and older pages, the first and the last, and the pages around the current one; a long
archive does not put a link to every page on every page, nor every item on one page.  An
industry shows its latest news only."""

from __future__ import annotations

import pytest
from conftest import copy_catalogs, default_files, news, run, write_files
from support.pages import elements

from parkpress.render.planner import page_window

pytestmark = pytest.mark.floors  # also run on the declared dependency floors (make test-floors)

ITEMS = 21  # two a page (the fixture's news_per_page): pages 1-11, the oldest alone on the last


@pytest.mark.parametrize(
    ("number", "count", "window"),
    [
        (1, 1, [1]),
        (1, 3, [1, 2, 3]),
        (1, 10, [1, 2, 3, 0, 10]),
        (5, 10, [1, 2, 3, 4, 5, 6, 7, 0, 10]),  # 2 next to 1 is shown, not a gap
        (6, 10, [1, 0, 4, 5, 6, 7, 8, 9, 10]),
        (10, 10, [1, 0, 8, 9, 10]),
        (500, 2000, [1, 0, 498, 499, 500, 501, 502, 0, 2000]),
    ],
)
def test_the_window_shows_the_ends_and_two_pages_either_side(number, count, window):
    assert page_window(number, count) == window


def test_no_gap_hides_a_single_page():
    for count in range(1, 30):
        for number in range(1, count + 1):
            shown = page_window(number, count)
            for before, gap, after in zip(shown, shown[1:], shown[2:], strict=False):
                if gap == 0:
                    assert after - before > 2, (number, count, shown)


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    root = tmp_path_factory.mktemp("pager")
    copy_catalogs(root)
    files = {path: text for path, text in default_files().items() if not path.startswith("content/news/")}
    for n in range(ITEMS):
        files[f"content/news/item-{n:02}.en.md"] = news(f"Item {n}", date=f"2021-01-{n + 1:02} 09:00")
    write_files(root, files)
    result = run(root, "build")
    assert result.code == 0, result.err
    return root / "site"


def pager(page) -> list[tuple[str, str | None]]:
    """(text, href or None) of the pager's entries, in order."""
    return [(e.text.strip(), e.attrs.get("href")) for e in elements(page) if e.tag in ("a", "span") and e.inside("nav", "pager")]


def test_a_middle_page_links_its_neighbours_the_ends_and_marks_the_gaps(archive):
    assert pager(archive / "en/news/6/index.html") == [
        ("Newer news", "../5/index.html"),
        ("1", "../index.html"),
        ("…", None),
        ("4", "../4/index.html"),
        ("5", "../5/index.html"),
        ("6", None),
        ("7", "../7/index.html"),
        ("8", "../8/index.html"),
        ("…", None),
        ("11", "../11/index.html"),
        ("Older news", "../7/index.html"),
    ]


def test_the_first_page_links_forward_only(archive):
    assert pager(archive / "en/news/index.html") == [
        ("1", None),
        ("2", "2/index.html"),
        ("3", "3/index.html"),
        ("…", None),
        ("11", "11/index.html"),
        ("Older news", "2/index.html"),
    ]


def walk(site, first: str) -> list[str]:
    """The news a paged list shows, following its "older" links from page ``first``, as paths from the site root."""
    shown, page = [], site / first
    while page is not None:
        cards = [
            e.attrs["href"]
            for e in elements(page)
            if e.tag == "a" and e.inside("ul", "news-cards") and "card-title" in e.ancestors[-1].classes
        ]
        shown += [(page.parent / href).resolve().relative_to(site.resolve()).as_posix() for href in cards]
        older = [e.attrs["href"] for e in elements(page) if e.tag == "a" and e.attrs.get("rel") == "next" and e.inside("nav", "pager")]
        page = (page.parent / older[0]).resolve() if older else None
    return shown


@pytest.mark.parametrize("first", ["en/news/index.html", "en/news/archive/2021/index.html", "en/parks/alpha/index.html"])
def test_every_item_is_on_exactly_one_page_of_a_list_newest_first(archive, first):
    assert walk(archive, first) == [f"en/news/item-{n:02}/index.html" for n in reversed(range(ITEMS))]


def test_an_industry_shows_its_latest_news_only(archive):
    page = archive / "en/industries/biomedicine/index.html"
    cards = [e.attrs["href"] for e in elements(page) if e.tag == "a" and e.inside("ul", "news-cards") and e.inside("h3", "card-title")]
    assert cards == ["../../news/item-20/index.html", "../../news/item-19/index.html"]
    assert not (page.parent / "2").exists()


def test_a_park_profile_shows_its_newest_news_and_pages_on_to_the_older(archive):
    profile, older = (archive / "en/parks/alpha" / p / "index.html" for p in ("", "2"))
    assert any(e.attrs.get("id") == "facts-heading" for e in elements(profile)), "the profile"
    assert ("Older news", "2/index.html") in pager(profile)
    assert not any(e.attrs.get("id") == "facts-heading" for e in elements(older)), "only news"
    assert next(e.text for e in elements(older) if e.tag == "title").startswith("Alpha Zone · page 2 of 11")
    assert [e.attrs["href"] for e in elements(older) if e.tag == "a" and e.inside("h1")] == ["../index.html"], "back to the profile"
