"""Search in scripts written without spaces: a Chinese query of one or two characters finds the
documents that hold it, in headless Chromium, from disk and over HTTP."""

from __future__ import annotations

import pytest
from conftest import build_fixture_site, news, park_prose
from support.fixture_site import CONFIG
from support.tools import serve_directory

from parkpress.search.index import tokens

pytest.importorskip("playwright.sync_api")

ZH = '\n[languages.zh]\nname = "中文"\nlocale = "zh_Hans_CN"\ntitle = "园区观察"\n'
PARK = "../parks/alpha/index.html"
NEWS = "../news/2021-alpha-grows/index.html"


@pytest.fixture(scope="module")
def zh_site(tmp_path_factory):
    return build_fixture_site(
        tmp_path_factory.mktemp("zh"),
        {
            "parkpress.toml": CONFIG + ZH,
            "content/parks/alpha.zh.md": park_prose("阿尔法开发区", "天津的一个开发区。"),
            "content/news/2021-alpha-grows.zh.md": news("阿尔法园区扩大", body="园区新引进三家医药企业，生物医药产业继续增长。"),
        },
    )


@pytest.fixture(scope="module")
def base_urls(zh_site):
    with serve_directory(zh_site) as http:
        yield {"file": zh_site.resolve().as_uri(), "http": http}


def test_a_run_of_han_is_indexed_as_its_bigrams_and_characters():
    assert tokens("生物医药 park") == ["生物", "物医", "医药", "生", "物", "医", "药", "park"]
    assert tokens("医") == ["医"]


def search(page, query: str) -> list[str]:
    page.fill("#search-q", query)
    page.wait_for_function("() => window.parkpressSearch !== undefined")  # the first search loads the index
    page.dispatch_event("#search-q", "input")
    return page.eval_on_selector_all("#search-results a", "links => links.map(a => a.getAttribute('href'))")


@pytest.mark.parametrize("transport", ["file", "http"])
def test_chinese_search_finds_a_two_character_word(browser, base_urls, transport):
    page = browser.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{base_urls[transport]}/zh/search/index.html")
    assert search(page, "医药") == [NEWS], "医药 is a word of the news item's body only"
    assert search(page, "医") == [NEWS], "a single character is found too"
    assert search(page, "生物医药") == [NEWS], "a longer query needs every one of its bigrams"
    assert search(page, "医药增加") == [], "增加 is in neither document"
    assert sorted(search(page, "开发区")) == [NEWS, PARK], "the park's name, also a label of the news item"
    page.close()
    assert errors == []
