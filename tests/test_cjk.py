"""Chinese beside English: search that finds words in a script without spaces, hard-wrapped Han
text, footnotes, the theme in Simplified Chinese, locales written as BCP 47 tags.

The fixture site has English and Chinese (``zh``, locale ``zh-Hans-CN`` as BCP 47 writes it).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import PARK, news, run, write_files
from support.fixture_site import TAXONOMY

from parkpress.search.index import Analyzer, SearchDoc, build_index, tokens

CONFIG = """\
[site]
base_url = "https://invest.example.org/"
default_language = "en"
timezone = "Asia/Shanghai"
news_per_page = 5

[languages.en]
name = "English"
locale = "en"
title = "Park Monitor"

[languages.zh]
name = "中文"
locale = "zh-Hans-CN"
title = "园区观察"
"""

ZH_PARK = """\
---
title: 阿尔法开发区
summary: 天津的国家级经济技术开发区。
---
阿尔法开发区位于天津，以生物医药
和物流为主导产业。[^zone]

[^zone]: 数据来自开发区管委会二〇二一年的年报。
"""

EN_PARK = """\
---
title: Alpha Zone
summary: A state-level zone in Tianjin.
---
Alpha hosts biomedicine and logistics.[^report]

[^report]: Figures from the zone's annual report for 2021.
"""

ZH_NEWS = {
    "2021-alpha-forum": ("阿尔法举办医药投资论坛", "来自欧洲的投资者参加了论坛，讨论医药合作。"),
    "2021-alpha-port": ("阿尔法新建物流中心", "新的物流中心靠近港口，服务区内企业。"),
}


def site_files() -> dict[str, str]:
    files = {
        "parkpress.toml": CONFIG,
        "content/taxonomy.yaml": TAXONOMY,
        "content/parks/alpha.yaml": PARK,
        "content/parks/alpha.en.md": EN_PARK,
        "content/parks/alpha.zh.md": ZH_PARK,
        "content/news/2021-alpha-forum.en.md": news("Alpha hosts a biomedicine investment forum"),
    }
    for slug, (title, body) in ZH_NEWS.items():
        files[f"content/news/{slug}.zh.md"] = news(title, body=body)
    return files


def build(root: Path, overrides: dict[str, str | None] | None = None) -> Path:
    write_files(root, {**site_files(), **(overrides or {})})
    result = run(root, "build")
    assert result.code == 0, result.err
    return root / "site"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return build(tmp_path_factory.mktemp("cjk") / "project")


# --- the search index -----------------------------------------------------------------------------------


def test_han_text_is_cut_into_overlapping_bigrams_and_a_lone_character_is_kept():
    assert tokens("医药园区") == ["医药", "药园", "园区", "医", "药", "园", "区"]
    assert tokens("园 区") == ["园", "区"]


def test_kana_hangul_and_thai_are_cut_the_same_way_with_their_marks():
    assert tokens("ガイド")[:2] == ["ガイ", "イド"]
    assert tokens("투자를")[:2] == ["투자", "자를"]
    assert tokens("ไทย")[:2] == ["ไท", "ทย"]  # ไ is a vowel sign written before the consonant


def test_a_voiced_kana_keeps_its_mark_in_the_index():
    # NFD writes ガ as カ + U+3099; folding drops only Latin accents, so ガ is not カ.
    assert "ガス" in [stem for _, stem in Analyzer("ja").terms("ガス カス")]


def index_of(texts: dict[str, str]) -> dict:
    docs = [SearchDoc(url, "", "", "", "", "", body) for url, body in texts.items()]
    return build_index(docs, Analyzer("zh_Hans_CN"))


def test_a_two_character_word_is_a_stem_of_the_documents_that_contain_it():
    index = index_of({"a": "举办医药投资论坛", "b": "新建物流中心"})
    assert "医药" in index["stems"] and "论坛" in index["stems"]
    assert "医药投资论坛" not in index["stems"]  # the clause is not a word


# --- search in the browser ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def base_urls(site):
    from support.tools import serve_directory

    with serve_directory(site) as http:
        yield {"file": site.resolve().as_uri(), "http": http}


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert errors == [], "the page's scripts raised errors"


def search(page, query: str) -> list[str]:
    page.fill("#search-q", query)
    page.wait_for_function("() => window.parkpressSearch !== undefined")
    page.dispatch_event("#search-q", "input")
    return page.eval_on_selector_all("#search-results a", "links => links.map(a => a.getAttribute('href'))")


FORUM, PORT = "../news/2021-alpha-forum/index.html", "../news/2021-alpha-port/index.html"


@pytest.mark.parametrize("transport", ["file", "http"])
def test_chinese_search_finds_two_character_words(page, base_urls, transport):
    page.goto(f"{base_urls[transport]}/zh/search/index.html")
    assert FORUM in search(page, "医药")
    assert search(page, "论坛") == [FORUM]
    assert sorted(search(page, "物流")) == [PORT, "../parks/alpha/index.html"]
    assert search(page, "投资论坛") == [FORUM]  # its bigrams must all match
    assert search(page, "港") == [PORT]  # one character: the bigrams that hold it
    assert search(page, "飞机") == []


def test_a_word_in_a_title_ranks_above_the_same_word_in_a_body(page, base_urls):
    page.goto(f"{base_urls['http']}/zh/search/index.html")
    assert search(page, "医药") == [FORUM, "../parks/alpha/index.html"]  # the forum's title; the park's text
