"""The root page that picks a language: it names itself in every configured language, and sends a
visitor on to the language their browser asks for, in its script (zh-TW is Traditional Chinese).

Two fixture sites: English, Simplified Chinese and Arabic, and the same with Traditional Chinese.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run, write_files
from support.pages import find
from support.tools import run_axe, validate_html
from test_footnotes import site_files

TRADITIONAL = '\n[languages.zh-hant]\nname = "繁體中文"\nlocale = "zh_Hant_TW"\ntitle = "園區觀察"\n'
GERMAN = '\n[languages.de]\nname = "Deutsch"\nlocale = "de_DE"\ntitle = "Parkmonitor"\n'


def build(root: Path, extra_languages: str = "") -> Path:
    files = site_files()
    files["parkpress.toml"] += extra_languages
    write_files(root, files)
    result = run(root, "build")
    assert result.code == 0, result.err
    return root / "site"


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> dict[str, Path]:
    top = tmp_path_factory.mktemp("chooser")
    return {"simplified": build(top / "simplified"), "both": build(top / "both", TRADITIONAL + GERMAN)}


def words(site: Path) -> list[tuple[str, str, str]]:
    spans = [span for span in find(site / "index.html", "span") if any(a.attrs.get("id") == "language-words" for a in span.ancestors)]
    return [(span.attrs["lang"], span.attrs["dir"], span.text) for span in spans]


def test_the_chooser_is_named_by_the_word_language_in_each_configured_language(sites):
    assert find(sites["simplified"] / "index.html", "nav")[0].attrs["aria-labelledby"] == "language-words"
    assert words(sites["simplified"]) == [("en", "ltr", "Language"), ("zh-Hans-CN", "ltr", "语言"), ("ar-EG", "rtl", "اللغة")]
    assert "Sprache" not in (sites["simplified"] / "index.html").read_text(encoding="utf-8")  # German is not configured


def test_a_language_without_a_translation_of_the_word_adds_no_english_word_under_its_own_lang(sites):
    # The theme has no Traditional Chinese catalog: its "Language" is the English word, already there.
    assert [lang for lang, _, _ in words(sites["both"])] == ["en", "zh-Hans-CN", "ar-EG", "de-DE"]


def test_the_chooser_is_valid_html(sites):
    assert validate_html([site / "index.html" for site in sites.values()]) == []


def test_the_chooser_passes_axe(browser, sites):
    context = browser.new_context(locale="sw")  # a language the site lacks: the chooser stays
    page = context.new_page()
    page.goto((sites["both"] / "index.html").resolve().as_uri())
    assert [violation["id"] for violation in run_axe(page)] == []
    context.close()


def arrive(browser, site: Path, locale: str) -> str:
    """Where a visitor whose browser asks for ``locale`` ends up, arriving at the chooser from outside."""
    context = browser.new_context(locale=locale)
    page = context.new_page()
    try:
        page.goto((site / "index.html").resolve().as_uri())
        page.wait_for_load_state("load")
        return Path(page.evaluate("decodeURI(location.pathname)")).relative_to(site.resolve()).as_posix()
    finally:
        context.close()


@pytest.mark.parametrize(
    ("locale", "home"),
    [
        ("zh-TW", "zh-hant/index.html"),
        ("zh-HK", "zh-hant/index.html"),
        ("zh-Hant", "zh-hant/index.html"),
        ("zh-CN", "zh/index.html"),
        ("zh-SG", "zh/index.html"),
        ("zh-Hans", "zh/index.html"),
        ("zh", "zh/index.html"),
        ("de-AT", "de/index.html"),  # another region, the same language and script
        ("en-GB", "en/index.html"),
        ("ar-SA", "ar/index.html"),
    ],
)
def test_a_visitor_is_sent_to_the_language_and_script_the_browser_asks_for(browser, sites, locale, home):
    assert arrive(browser, sites["both"], locale) == home


@pytest.mark.parametrize("locale", ["zh-TW", "zh-HK", "zh-Hant", "ja", "ko-KR"])
def test_without_that_script_the_visitor_stays_on_the_chooser(browser, sites, locale):
    assert arrive(browser, sites["simplified"], locale) == "index.html"


def test_simplified_chinese_is_still_found_without_traditional(browser, sites):
    assert arrive(browser, sites["simplified"], "zh-CN") == "zh/index.html"
