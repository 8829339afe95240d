"""The investor tools in a real browser (headless Chromium), in every language, from disk and over HTTP:
directory filters, compare sorting and selection, search. One browser for the whole module."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from support.tools import run_axe, serve_directory

pytest.importorskip("playwright.sync_api")

PATHS = {
    "en": {"parks": "en/parks", "compare": "en/compare", "search": "en/search"},
    "de": {"parks": "de/parks", "compare": "de/vergleich", "search": "de/suche"},
    "fr": {"parks": "fr/parcs", "compare": "fr/comparer", "search": "fr/recherche"},
}
LANGS = list(PATHS)
TRANSPORTS = ["file", "http"]


@pytest.fixture(scope="module")
def base_urls(sample_site):
    with serve_directory(sample_site) as http:
        yield {"file": sample_site.resolve().as_uri(), "http": http}


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert errors == [], "the page's scripts raised errors"


def open_page(page, base_urls, transport, lang, which, suffix=""):
    page.goto(f"{base_urls[transport]}/{PATHS[lang][which]}/index.html{suffix}")


def visible_parks(page) -> list[str]:
    return page.eval_on_selector_all(".park-cards > .card:not([hidden]) .card-title a", "links => links.map(a => a.getAttribute('href'))")


# --- directory -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("transport", TRANSPORTS)
@pytest.mark.parametrize("lang", LANGS)
def test_filters_narrow_the_directory_and_say_how_many_remain(page, base_urls, transport, lang):
    open_page(page, base_urls, transport, lang, "parks")
    assert page.is_visible("#park-filters"), "the script shows the filters"
    assert len(visible_parks(page)) == 4
    page.select_option("#filter-level", "national-hitech")
    assert sorted(visible_parks(page)) == ["wuqing/index.html", "zhangjiang/index.html"]
    status = {"en": "2 of 4 parks shown", "de": "2 von 4 Parks angezeigt", "fr": "2 parcs sur 4 affichés"}[lang]
    assert page.text_content("#filter-status") == status
    assert page.get_attribute("#filter-status", "role") == "status"
    assert page.url.endswith("#level=national-hitech")
    page.select_option("#filter-place", "Shandong/Heze")
    assert visible_parks(page) == []
    page.select_option("#filter-level", "")
    assert visible_parks(page) == ["heze/index.html"]
    page.click("#park-filters button[type=reset]")
    page.wait_for_function("document.querySelectorAll('.park-cards > .card:not([hidden])').length === 4")
    assert "#" not in page.url


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_a_shared_filter_link_opens_the_filtered_list(page, base_urls, transport):
    open_page(page, base_urls, transport, "de", "parks", "#industry=vaccines&place=Tianjin")
    assert visible_parks(page) == ["binhai/index.html"]
    assert page.input_value("#filter-industry") == "vaccines"
    assert page.input_value("#filter-place") == "Tianjin"
    assert page.text_content("#filter-status") == "1 von 4 Parks angezeigt"


def test_every_biomedical_park_is_found_in_german(page, base_urls):
    open_page(page, base_urls, "file", "de", "parks")
    page.select_option("#filter-industry", "biomedicine")
    assert sorted(visible_parks(page)) == ["binhai/index.html", "heze/index.html", "wuqing/index.html", "zhangjiang/index.html"]
    assert page.inner_text("#filter-industry option:checked") == "Biomedizin"


def test_without_javascript_the_directory_lists_every_park_and_links_the_industries(browser, base_urls):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{base_urls['http']}/de/parks/index.html")
    assert not page.is_visible("#park-filters")
    assert page.locator(".park-cards > .card").count() == 4
    assert page.locator(".facets a").count() > 5
    context.close()


# --- compare ---------------------------------------------------------------------------------------------


def row_keys(page) -> list[str]:
    return page.eval_on_selector_all("#compare-table tbody tr:not([hidden])", "rows => rows.map(r => r.dataset.park)")


@pytest.mark.parametrize("transport", TRANSPORTS)
@pytest.mark.parametrize("lang", LANGS)
def test_columns_sort_by_their_raw_numbers(page, base_urls, transport, lang):
    open_page(page, base_urls, transport, lang, "compare")
    header = "#compare-table th[data-key=biomedical-enterprises]"
    page.click(f"{header} button")
    assert page.get_attribute(header, "aria-sort") == "descending"
    # 1,500 (Binhai) before 190 (Wuqing), although "1.500" < "190" as text; parks without a value last
    assert row_keys(page)[:2] == ["binhai", "wuqing"]
    assert page.url.endswith("#sort=biomedical-enterprises&order=descending")
    page.click(f"{header} button")
    assert page.get_attribute(header, "aria-sort") == "ascending"
    assert row_keys(page)[:2] == ["wuqing", "binhai"]
    assert set(row_keys(page)[2:]) == {"heze", "zhangjiang"}, "rows without a value stay last"
    assert page.locator("#compare-table th[aria-sort]").count() == 1
    cell = page.evaluate(
        """() => {
            const keys = [...document.querySelectorAll('#compare-table thead th')].map(th => th.dataset.key);
            return document.querySelector('#compare-table tr[data-park=binhai]').cells[keys.indexOf('biomedical-enterprises')].textContent;
        }"""
    )
    assert {"en": "1,500", "de": "1.500", "fr": "1\u202f500"}[lang] in cell and "2021" in cell


@pytest.mark.parametrize("transport", TRANSPORTS)
@pytest.mark.parametrize("lang", LANGS)
def test_picking_two_parks_compares_them_side_by_side(page, base_urls, transport, lang):
    open_page(page, base_urls, transport, lang, "compare")
    page.check("#compare-pick input[value=wuqing]")
    assert len(row_keys(page)) == 4, "one park is not a comparison"
    assert (
        page.text_content("#compare-status")
        == {
            "en": "Choose at least one more park to compare.",
            "de": "Wählen Sie mindestens einen weiteren Park zum Vergleich.",
            "fr": "Choisissez au moins un autre parc à comparer.",
        }[lang]
    )
    page.check("#compare-pick input[value=binhai]")
    assert sorted(row_keys(page)) == ["binhai", "wuqing"]
    status = {"en": "Comparing 2 parks.", "de": "Vergleich von 2 Parks.", "fr": "Comparaison de 2 parcs."}[lang]
    assert page.text_content("#compare-status") == status
    hidden = page.eval_on_selector_all("#compare-table thead th[hidden]", "ths => ths.map(t => t.dataset.key)")
    assert set(hidden) == {"specialised-parks", "product-registrations"}, "columns neither park states are left out"
    # Side by side: one column per chosen park, one row per figure either of them states (and the founding year).
    assert not page.is_visible("#compare-table")
    side = page.locator("table.compare-side")
    assert side.locator("thead th").count() == 3
    assert sorted(side.locator("thead th a").evaluate_all("links => links.map(a => a.getAttribute('href'))")) == [
        "../" + PATHS[lang]["parks"].split("/")[1] + "/binhai/index.html",
        "../" + PATHS[lang]["parks"].split("/")[1] + "/wuqing/index.html",
    ]
    assert side.locator("tbody tr").count() == page.locator("#compare-table thead th:not([hidden])").count() - 1
    assert sorted(parse_qs(urlsplit(page.url).fragment)["parks"][0].split(",")) == ["binhai", "wuqing"]
    page.check("#compare-pick input[value=heze]")
    page.check("#compare-pick input[value=zhangjiang]")
    assert page.is_enabled("#compare-pick input[value=zhangjiang]")
    page.uncheck("#compare-pick input[value=zhangjiang]")
    page.click("#compare-pick button[type=reset]")
    assert len(row_keys(page)) == 4
    assert page.is_visible("#compare-table") and page.locator("table.compare-side").count() == 0
    assert page.locator("#compare-table thead th[hidden]").count() == 0


def test_a_shared_comparison_link_restores_choice_and_order(page, base_urls):
    open_page(page, base_urls, "http", "de", "compare", "#sort=investment-attracted&order=descending&parks=wuqing,binhai")
    assert row_keys(page) == ["wuqing", "binhai"]
    assert page.is_checked("#compare-pick input[value=wuqing]") and page.is_checked("#compare-pick input[value=binhai]")
    assert page.get_attribute("#compare-table th[data-key=investment-attracted]", "aria-sort") == "descending"
    assert "120\xa0Mrd.\xa0CN¥" in page.text_content("#compare-table tr[data-park=wuqing]")


# --- search ----------------------------------------------------------------------------------------------


def results(page) -> list[str]:
    return page.eval_on_selector_all("#search-results a", "links => links.map(a => a.getAttribute('href'))")


def settled(page) -> None:
    """Wait for the search opened with ?q= to show its outcome (the index loads first)."""
    page.wait_for_function("() => document.getElementById('search-status').textContent !== ''")


def search(page, words: str) -> list[str]:
    page.fill("#search-q", words)
    # The first search loads the index: wait for it, then search again (now at once) to read the results.
    page.wait_for_function("() => window.parkpressSearch !== undefined")
    page.dispatch_event("#search-q", "input")
    return results(page)


SEARCHES = {
    # (query, a differently inflected or accented form that must find the same, a result that must be among them)
    "de": [
        ("Unternehmen", "Unternehmens", "../parks/wuqing/index.html"),
        ("Impfstoff", "Impfstoffe", "../nachrichten/2021-09-binhai-biomedical-clusters/index.html"),
    ],
    "fr": [
        ("biomedecine", "biomédecine", "../parcs/binhai/index.html"),
        ("entreprise", "entreprises", "../parcs/wuqing/index.html"),
    ],
    "en": [
        ("vaccine", "vaccines", "../news/2021-09-binhai-biomedical-clusters/index.html"),
        ("company", "companies", "../parks/wuqing/index.html"),
    ],
}


@pytest.mark.parametrize("transport", TRANSPORTS)
@pytest.mark.parametrize("lang", LANGS)
def test_search_understands_word_forms(page, base_urls, transport, lang):
    open_page(page, base_urls, transport, lang, "search")
    for query, other_form, expected in SEARCHES[lang]:
        found = search(page, query)
        assert expected in found, f"{query!r} should find {expected}"
        assert search(page, other_form) == found, f"{other_form!r} finds what {query!r} finds"
    assert search(page, "xyzzyq") == []
    assert (
        page.text_content("#search-status")
        == {
            "en": "Nothing found. Try another word or a shorter one.",
            "de": "Nichts gefunden. Versuchen Sie ein anderes oder ein kürzeres Wort.",
            "fr": "Aucun résultat. Essayez un autre mot ou un mot plus court.",
        }[lang]
    )


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_impfstoff_finds_the_german_vaccine_news(page, base_urls, transport):
    open_page(page, base_urls, transport, "de", "search", "?q=Impfstoff")
    settled(page)
    found = results(page)
    assert found[0] == "../nachrichten/2021-09-binhai-biomedical-clusters/index.html", "the item with vaccines in its title comes first"
    assert page.text_content("#search-status") == f"{len(found)} Treffer"
    assert page.input_value("#search-q") == "Impfstoff"
    page.click("#search-results a >> nth=0")
    assert page.url.endswith("/de/nachrichten/2021-09-binhai-biomedical-clusters/index.html")


def test_a_compound_finds_its_parts_and_the_words_of_a_query_must_all_match(page, base_urls):
    open_page(page, base_urls, "file", "de", "search")
    # "Impfstoffhersteller" appears only inside the clusters item; "Hersteller" finds it as the end of the compound.
    assert "../nachrichten/2021-09-binhai-biomedical-clusters/index.html" in search(page, "Hersteller")
    both = search(page, "Impfstoff Wuqing")
    assert both == [], "no item mentions both"
    assert page.url.endswith("?q=Impfstoff%20Wuqing")


def test_search_says_so_when_its_index_is_missing(browser, sample_site, tmp_path):
    import shutil

    copy = tmp_path / "site"
    shutil.copytree(sample_site, copy)
    (copy / "en/search/search-index.js").unlink()
    context = browser.new_context()
    page = context.new_page()
    page.goto((copy / "en/search/index.html").as_uri() + "?q=park")
    settled(page)
    assert page.text_content("#search-status") == "Search is not available: its index did not load. Browse the menu instead."
    context.close()


def test_only_the_search_page_loads_the_index(sample_site):
    pages = [p for p in sample_site.rglob("*.html") if "search-index.js" in p.read_text(encoding="utf-8")]
    assert sorted(p.relative_to(sample_site).as_posix() for p in pages) == [
        "de/suche/index.html",
        "en/search/index.html",
        "fr/recherche/index.html",
    ]


# --- accessibility of the added pages ------------------------------------------------------------------------

AXE_PAGES = [
    "de/parks/index.html",
    "de/vergleich/index.html",
    "de/suche/index.html?q=Impfstoff",
    "de/parks/binhai/index.html",
    "de/parks/wuqing/index.html",
    "de/nachrichten/2021-08-wuqing-top100-biomedical/index.html",
    "fr/comparer/index.html#parks=wuqing,binhai",
    "en/rankings/top100-biomedical/index.html",
]


@pytest.mark.parametrize("path", AXE_PAGES)
def test_added_pages_have_no_axe_violations(page, base_urls, path):
    page.goto(f"{base_urls['http']}/{path}")
    for summary in page.locator("details.chart-data > summary").all():
        summary.click()  # the data tables are checked too
    violations = run_axe(page)
    assert [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations] == []
