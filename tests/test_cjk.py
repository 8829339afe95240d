"""Chinese beside English: search that finds words in a script without spaces, hard-wrapped Han
text, footnotes, the theme in Simplified Chinese, locales written as BCP 47 tags.

The fixture site has English and Chinese (``zh``, locale ``zh-Hans-CN`` as BCP 47 writes it).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import PARK, news, run, write_files
from support.fixture_site import TAXONOMY

from parkpress.content.markup import MarkdownConverter
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


# --- hard-wrapped text -----------------------------------------------------------------------------------


def html(text: str) -> str:
    return MarkdownConverter().convert(text, "").html


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("阿尔法开发区位于天津，以生物医药\n和物流为主导产业。", "<p>阿尔法开发区位于天津，以生物医药和物流为主导产业。</p>"),
        ("日本語の文章を\n  折り返して書く。", "<p>日本語の文章を折り返して書く。</p>"),  # the indent of the next line too
        ("カタカナ\nと「括弧」\n。", "<p>カタカナと「括弧」。</p>"),
        (
            "以**生物医药**\n和[物流](https://example.org/)\n为主",
            '<p>以<strong>生物医药</strong>和<a href="https://example.org/">物流</a>为主</p>',
        ),
        ("中文\n中文[^n]\n\n[^n]: 注释的\n    第二行", "注释的第二行"),
    ],
    ids=["chinese", "japanese", "kana-and-punctuation", "beside-emphasis-and-links", "in-a-footnote"],
)
def test_a_line_break_between_chinese_or_japanese_characters_is_no_space(text, shown):
    assert shown in html(text)


@pytest.mark.parametrize(
    "text",
    [
        "Latin text\nkeeps its space",
        "中文\nEnglish",  # one side Latin: the space separates the words
        "English\n中文",
        "한국어는\n띄어 씁니다",  # Korean writes spaces between words
        "中文  \n硬换行",  # two spaces: a hard break
    ],
)
def test_a_line_break_beside_latin_or_hangul_stays_and_a_hard_break_too(text):
    assert "\n" in html(text)


def test_code_keeps_its_line_breaks():
    assert html("    代码\n    代码\n") == "<pre><code>代码\n代码\n</code></pre>"


def test_the_built_chinese_page_shows_the_wrapped_sentence_whole(site):
    page = (site / "zh/parks/alpha/index.html").read_text(encoding="utf-8")
    assert "以生物医药和物流为主导产业。" in page


# --- the stylesheet ---------------------------------------------------------------------------------------

STYLESHEET = Path(__file__).resolve().parent.parent / "parkpress/theme/default/static/site.css"
FONTS = {
    "zh-Hans-CN": "PingFang SC",
    "zh-CN": "PingFang SC",
    "zh": "PingFang SC",
    "zh-Hant-TW": "PingFang TC",
    "zh-TW": "PingFang TC",
    "zh-HK": "PingFang TC",
    "ja": "Hiragino Sans",
    "ko": "Apple SD Gothic Neo",
    "ar-EG": "Noto Sans Arabic",
}


def styled(browser, lang: str):
    """A page in ``lang`` with the theme's stylesheet: a paragraph with emphasis, a heading, code."""
    page = browser.new_page()
    css = STYLESHEET.read_text(encoding="utf-8")
    page.set_content(f'<html lang="{lang}"><style>{css}</style><h2>标题</h2><p>文字<em>强调</em></p><code>x</code></html>')
    return page


def style(page, selector: str, prop: str) -> str:
    return page.eval_on_selector(selector, f"e => getComputedStyle(e).getPropertyValue('{prop}')")


@pytest.mark.parametrize(("lang", "font"), FONTS.items())
def test_each_script_gets_system_fonts_of_its_own_and_code_stays_monospace(browser, lang, font):
    page = styled(browser, lang)
    families = style(page, "p", "font-family")
    assert f'"{font}"' in families
    others = {f for f in FONTS.values() if f != font}
    assert not [f for f in others if f in families], families  # not the forms of another region
    assert "monospace" in style(page, "code", "font-family")
    page.close()


@pytest.mark.parametrize("lang", ["zh-Hans-CN", "zh-TW", "ja", "ko"])
def test_east_asian_text_gets_taller_lines_and_emphasis_marks_instead_of_italics(browser, lang):
    page = styled(browser, lang)
    assert float(style(page, "p", "line-height")[:-2]) == pytest.approx(16 * 1.75)
    assert float(style(page, "h2", "line-height")[:-2]) < float(style(page, "h2", "font-size")[:-2]) * 1.5  # headings stay tight
    assert style(page, "em", "font-style") == "normal"
    assert style(page, "em", "text-emphasis-style") in ("filled dot", "dot", "filled sesame", "sesame")
    page.close()


def test_latin_text_keeps_its_italics_and_line_height(browser):
    page = styled(browser, "en")
    assert style(page, "em", "font-style") == "italic"
    assert float(style(page, "p", "line-height")[:-2]) == pytest.approx(16 * 1.55)
    page.close()


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
