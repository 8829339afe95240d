"""Lists, units, numbers and release times as each language writes them: CLDR through Babel, and the catalogs
for what CLDR does not have (the area unit mu, a share chart's legend).

The fixture site speaks English, German, French, Simplified Chinese and Arabic; every expected text is
Babel's own output for the Decimal the facts were written as, so the tests hold whatever CLDR release
Babel brings, except where a catalog decides (亩, '：').
"""

from __future__ import annotations

import tomllib
from decimal import Decimal

import pytest
from babel.lists import format_list
from babel.numbers import format_compact_currency, format_decimal, format_percent
from conftest import CONFIG, PARK, news, park_prose, run
from support.pages import elements, find
from support.tools import validate_html
from test_charts import SVG, charts_of, table_rows
from test_theme_catalogs import CHINESE_AND_ARABIC

SITE_CONFIG = CONFIG + CHINESE_AND_ARABIC
LOCALES = {code: language["locale"] for code, language in tomllib.loads(SITE_CONFIG)["languages"].items()}
PARKS_FOLDER = {"en": "parks", "de": "parks", "fr": "parcs", "zh": "parks", "ar": "parks"}
NEWS_FOLDER = {"en": "news", "de": "nachrichten", "fr": "actualites", "zh": "news", "ar": "news"}

FIGURES = """\
  - kind: land
    value: 2000
    unit: mu
    year: 2021
  - kind: output-value
    amount: 40250000000
    currency: CNY
    year: 2020
  - kind: foreign-share
    value: 0.1
    unit: percent
    year: 2020
  - kind: foreign-share
    value: 0.7
    unit: percent
    year: 2021
    share: true
"""
TAXONOMY_FIGURES = "  land: Land area\n  foreign-share: Share of foreign-invested enterprises\n"
TITLES = {"en": "Alpha Zone", "de": "Zone Alpha", "fr": "Zone Alpha FR", "zh": "阿尔法园区", "ar": "منطقة ألفا"}
NEWS_TITLES = {"en": "Alpha grows", "de": "Alpha wächst", "fr": "Alpha grandit", "zh": "阿尔法园区扩建", "ar": "منطقة ألفا تتوسع"}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from conftest import copy_catalogs, default_files, write_files

    root = tmp_path_factory.mktemp("cldr")
    copy_catalogs(root)
    files = default_files()
    files["parkpress.toml"] = SITE_CONFIG
    files["content/taxonomy.yaml"] = files["content/taxonomy.yaml"].replace("figures:\n", "figures:\n" + TAXONOMY_FIGURES)
    files["content/parks/alpha.yaml"] = PARK.replace("industries: [biomedicine]", "industries: [biomedicine, logistics]").replace(
        "figures:\n", "figures:\n" + FIGURES
    )
    for lang, title in TITLES.items():
        files[f"content/parks/alpha.{lang}.md"] = park_prose(title)
    for lang, title in NEWS_TITLES.items():
        files[f"content/news/2021-alpha-grows.{lang}.md"] = news(title, parks="[alpha]").replace(
            "industries: [biomedicine]", "industries: [biomedicine, logistics]"
        )
    write_files(root, files)
    result = run(root, "build")
    assert result.code == 0, result.err
    return root / "site"


def profile(site, lang: str):
    return site / lang / PARKS_FOLDER[lang] / "alpha/index.html"


def article(site, lang: str):
    return site / lang / NEWS_FOLDER[lang] / "2021-alpha-grows/index.html"


def links_in(page, element) -> list[str]:
    """The texts of the links inside ``element`` of ``page``."""
    return [e.text for e in elements(page) if e.tag == "a" and any(a is element for a in e.ancestors)]


# Lists


@pytest.mark.parametrize("lang", list(LOCALES))
def test_a_parks_industries_are_joined_as_the_language_joins_a_list(site, lang):
    page = profile(site, lang)
    cell = next(e for e in find(page, "td") if len(links_in(page, e)) == 2)
    assert cell.text == format_list(links_in(page, cell), locale=LOCALES[lang])


def test_chinese_and_arabic_lists_use_their_own_conjunctions(site):
    zh = article(site, "zh").read_text(encoding="utf-8")
    ar = article(site, "ar").read_text(encoding="utf-8")
    assert '</a><span class="joined">和<a' in zh and "</a>, <a" not in zh
    assert '</a> <span class="joined">و<a' in ar and "</a>, <a" not in ar


@pytest.mark.parametrize("lang", list(LOCALES))
def test_a_news_items_industries_are_a_list_of_links_in_the_languages_form(site, lang):
    page = article(site, lang)
    line = next(e for e in find(page, "p", class_="meta") if len(links_in(page, e)) == 2)
    assert format_list(links_in(page, line), locale=LOCALES[lang]) in line.text


# Units


@pytest.mark.parametrize(
    ("lang", "text"), [("en", "2,000 mu"), ("de", "2.000 Mu"), ("fr", "2\u202f000 mu"), ("zh", "2,000亩"), ("ar", "2,000 مو")]
)
def test_the_area_unit_mu_is_written_by_the_catalog(site, lang, text):
    cells = [e.text for e in find(profile(site, lang), "td", class_="num")]
    assert text in cells


# Exact numbers


def unmarked(text: str) -> str:
    """The text without the left-to-right mark an Arabic page puts after CN¥ (test_formatting checks it)."""
    return text.replace("\u200e", "")


def grid_labels(figure) -> list[str]:
    grid = next(g for g in figure.iter(f"{SVG}g") if g.get("class") == "chart-grid")
    return [unmarked(t.text) for t in grid.iter(f"{SVG}text")]


@pytest.mark.parametrize("lang", list(LOCALES))
def test_every_tick_label_is_babels_formatting_of_the_exact_decimal(site, lang):
    locale = LOCALES[lang]
    charts = charts_of(profile(site, lang))
    share_ticks = ["0", "0.2", "0.4", "0.6", "0.8"]  # in floats the fourth is 0.6000000000000001
    assert grid_labels(charts["chart-figure-foreign-share"]) == [
        format_percent(Decimal(t).scaleb(-2), locale=locale, decimal_quantization=False) for t in share_ticks
    ]
    amount_ticks = ["0", "50000000000", "100000000000", "150000000000"]
    assert grid_labels(charts["chart-figure-output-value"]) == [
        format_compact_currency(Decimal(t), "CNY", locale=locale, fraction_digits=2) for t in amount_ticks
    ]
    assert grid_labels(charts["chart-rank-top100-biomedical"]) == [format_decimal(Decimal(t), locale=locale) for t in (40, 41, 42, 43)]


@pytest.mark.parametrize("lang", list(LOCALES))
def test_every_amount_is_babels_formatting_of_the_exact_decimal(site, lang):
    locale = LOCALES[lang]
    values = [unmarked(row[1]) for row in table_rows(charts_of(profile(site, lang))["chart-figure-output-value"])]
    assert values == [format_compact_currency(Decimal(a), "CNY", locale=locale, fraction_digits=2) for a in ("40250000000", "120000000000")]
    shares = [row[1] for row in table_rows(charts_of(profile(site, lang))["chart-figure-foreign-share"])]
    assert shares == [format_percent(Decimal(v).scaleb(-2), locale=locale, decimal_quantization=False) for v in ("0.1", "0.7")]


# The share chart's legend


@pytest.mark.parametrize(("lang", "pattern"), [("en", "{}: {}"), ("fr", "{} : {}"), ("zh", "{}：{}")])
def test_a_share_legend_is_written_in_the_catalogs_pattern(site, lang, pattern):
    share = format_percent(Decimal("0.007"), locale=LOCALES[lang], decimal_quantization=False)
    texts = [t.text for t in charts_of(profile(site, lang))["chart-share-foreign-share-2021"].iter(f"{SVG}text")]
    assert pattern.format(TITLES[lang], share) in texts


# Numbers inside sentences


def test_numbers_in_arabic_sentences_are_isolated_and_english_ones_are_not(site):
    ar = (site / "ar/parks/index.html").read_text(encoding="utf-8")
    en = (site / "en/parks/index.html").read_text(encoding="utf-8")
    assert "<bdi>1991</bdi>" in ar  # 'founded %(year)s'
    assert "<bdi>1991</bdi>" not in en
    page = profile(site, "ar")
    evaluated = format_decimal(386, locale="ar")
    assert [e.text for e in find(page, "bdi") if e.inside("span", "of")] == [evaluated] * len(
        find(page, "span", class_="of")
    )  # 'of %(count)s'


def test_a_title_holds_the_sentence_as_text_without_the_isolating_markup(site):
    page = site / "ar/news/archive/2021/index.html"
    assert "<bdi>2021</bdi>" in page.read_text(encoding="utf-8")  # the heading: 'News from %(year)s'
    assert find(page, "title")[0].text == "أخبار عام 2021 · مرصد المجمعات"


def test_a_title_stays_escaped_text(make_site):
    root = make_site({"content/news/2021-alpha-grows.en.md": news("R&D </title><b>zone</b>")})
    assert run(root, "build").code == 0
    html = (root / "site/en/news/2021-alpha-grows/index.html").read_text(encoding="utf-8")
    assert "<title>R&amp;D &lt;/title&gt;&lt;b&gt;zone&lt;/b&gt; · Park Monitor</title>" in html


# Release times


@pytest.mark.parametrize(
    ("lang", "moment"),
    [
        ("en", "July 15, 2021, 10:00\u202fAM GMT+08:00"),
        ("de", "15. Juli 2021, 10:00 GMT+08:00"),
        ("fr", "15 juillet 2021, 10:00 UTC+08:00"),
        ("zh", "2021年7月15日 GMT+08:00 10:00"),  # Chinese names the zone first, as CLDR's full time pattern does
        ("ar", "15 يوليو 2021، 10:00 ص غرينتش+08:00"),
    ],
)
def test_a_release_time_names_its_zone(site, lang, moment):
    assert find(article(site, lang), "time")[0].text == moment


def test_an_item_released_on_a_day_shows_the_day_alone(make_site):
    root = make_site({"content/news/2021-alpha-grows.en.md": news("Alpha grows", date="2021-07-15")})
    assert run(root, "build").code == 0
    time = find(root / "site/en/news/2021-alpha-grows/index.html", "time")[0]
    assert time.text == "July 15, 2021"
    assert time.attrs["datetime"] == "2021-07-15T00:00:00+08:00"


def test_the_pages_of_the_five_languages_are_valid_html(site):
    pages = [page(site, lang) for lang in LOCALES for page in (profile, article)] + [site / "ar/parks/index.html"]
    assert validate_html(pages) == []
