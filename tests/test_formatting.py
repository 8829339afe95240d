"""Dates, numbers and amounts follow CLDR for each page's locale (through Babel, never by hand).

German groups thousands with '.', French with a narrow no-break space
(U+202F); both put a no-break space (U+00A0) before a currency or unit.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from support.pages import find

from parkpress.content.model import Figure
from parkpress.i18n.formatting import Formatter

pytestmark = pytest.mark.floors  # also run on the declared dependency floors (make test-floors)

NNBSP, NBSP = "\u202f", "\u00a0"
SHANGHAI = ZoneInfo("Asia/Shanghai")
RELEASED = dt.datetime(2021, 7, 15, 10, 0, tzinfo=SHANGHAI)
PARK_PAGES = {"en": "en/parks/alpha/index.html", "de": "de/parks/alpha/index.html", "fr": "fr/parcs/alpha/index.html"}


def figure_cells(page) -> list[str]:
    return [e.text for e in find(page, "td", class_="num")]


@pytest.mark.parametrize(
    ("lang", "enterprises", "output_value"),
    [
        ("en", "1,500", "CN¥120B"),
        ("de", "1.500", f"120{NBSP}Mrd.{NBSP}CN¥"),
        ("fr", f"1{NNBSP}500", f"120{NBSP}Md{NBSP}CNY"),
    ],
)
def test_park_profiles_show_key_figures_in_the_pages_locale(fixture_site, lang, enterprises, output_value):
    assert figure_cells(fixture_site / PARK_PAGES[lang])[:2] == [enterprises, output_value]


@pytest.mark.parametrize(("lang", "area"), [("en", "120.5 km²"), ("de", "120,5 km²"), ("fr", f"120,5{NNBSP}km²")])
def test_park_profiles_show_the_area_in_the_pages_locale(fixture_site, lang, area):
    cells = [e.text for e in find(fixture_site / PARK_PAGES[lang], "td")]
    assert area in cells


@pytest.mark.parametrize(
    ("home", "date"), [("en/index.html", "July 15, 2021"), ("de/index.html", "15. Juli 2021"), ("fr/index.html", "15 juillet 2021")]
)
def test_news_dates_are_written_the_way_the_language_writes_them(fixture_site, home, date):
    times = find(fixture_site / home, "time")
    assert times[0].text == date
    assert times[0].attrs["datetime"] == "2021-07-15T10:00:00+08:00"


@pytest.mark.parametrize(
    ("article", "moment"),
    [
        ("en/news/2021-alpha-grows/index.html", f"July 15, 2021, 10:00{NNBSP}AM GMT+08:00"),
        ("de/nachrichten/2021-alpha-grows/index.html", "15. Juli 2021, 10:00 GMT+08:00"),
        ("fr/actualites/2021-alpha-grows/index.html", "15 juillet 2021, 10:00 UTC+08:00"),
    ],
)
def test_a_news_article_shows_its_release_time_with_its_zone_in_the_pages_locale(fixture_site, article, moment):
    assert find(fixture_site / article, "time")[0].text == moment


@pytest.mark.parametrize(
    ("locale", "text"),
    [("en", "July 15, 2021"), ("de_DE", "15. Juli 2021"), ("fr_FR", "15 juillet 2021"), ("es_ES", "15 de julio de 2021")],
)
def test_formatter_writes_long_dates_per_locale(locale, text):
    assert Formatter(locale, SHANGHAI).date(RELEASED) == text


def test_formatter_shows_times_in_the_sites_zone_whatever_offset_the_source_gave():
    new_york = dt.datetime(2021, 7, 14, 22, 0, tzinfo=dt.timezone(dt.timedelta(hours=-4)))
    formatter = Formatter("de_DE", SHANGHAI)
    assert formatter.date(new_york) == "15. Juli 2021"
    assert formatter.time(new_york) == "10:00"


@pytest.mark.parametrize(("locale", "text"), [("en", "1,234,567.5"), ("de_DE", "1.234.567,5"), ("fr_FR", f"1{NNBSP}234{NNBSP}567,5")])
def test_formatter_groups_digits_per_locale(locale, text):
    assert Formatter(locale, SHANGHAI).number(1234567.5) == text


@pytest.mark.parametrize(
    ("locale", "cny", "usd"),
    [
        ("en", "CN¥120B", "$6.07B"),
        ("de_DE", f"120{NBSP}Mrd.{NBSP}CN¥", f"6,07{NBSP}Mrd.{NBSP}$"),
        ("fr_FR", f"120{NBSP}Md{NBSP}CNY", f"6,07{NBSP}Md{NBSP}$US"),
    ],
)
def test_formatter_writes_large_amounts_compactly(locale, cny, usd):
    formatter = Formatter(locale, SHANGHAI)
    assert formatter.amount(120_000_000_000, "CNY") == cny
    assert formatter.amount(6_070_000_000, "USD") == usd


def test_an_arabic_amount_keeps_a_symbol_of_latin_letters_whole_with_a_left_to_right_mark():
    """Without the mark the bidi algorithm gives the sign the direction around it: '12.3 مليار ¥CN'."""
    formatter = Formatter("ar_EG", SHANGHAI)

    def amount(value, currency):  # newer CLDR data (Babel 2.15+) opens the pattern with a right-to-left mark, older not
        return formatter.amount(value, currency).removeprefix("\u200f")

    assert amount(12_300_000_000, "CNY") == f"12.3{NBSP}مليار{NBSP}CN¥\u200e"
    assert amount(5000, "USD") == f"5,000.00{NBSP}US$\u200e"
    assert amount(5_000_000_000, "EUR") == f"5{NBSP}مليار{NBSP}€", "a sign alone needs no mark"
    assert Formatter("zh_Hans_CN", SHANGHAI).amount(5000, "USD") == "US$5,000.00", "nor does a language written left to right"


@pytest.mark.parametrize(("locale", "text"), [("en", "$5,000.00"), ("de_DE", f"5.000,00{NBSP}$"), ("fr_FR", f"5{NNBSP}000,00{NBSP}$US")])
def test_formatter_writes_small_amounts_in_full(locale, text):
    assert Formatter(locale, SHANGHAI).amount(5000, "USD") == text


@pytest.mark.parametrize(
    ("figure", "de", "fr"),
    [
        (Figure("share", 2020, value=27.5, unit="percent"), f"27,5{NBSP}%", f"27,5{NBSP}%"),
        (Figure("area", 2020, value=167.5, unit="km2"), "167,5 km²", f"167,5{NNBSP}km²"),
        (Figure("land", 2020, value=1500, unit="mu"), "1.500 mu", f"1{NNBSP}500 mu"),
        (Figure("enterprises", 2020, value=147), "147", "147"),
    ],
)
def test_formatter_writes_figures_with_their_unit(figure, de, fr):
    assert Formatter("de_DE", SHANGHAI).figure(figure) == de
    assert Formatter("fr_FR", SHANGHAI).figure(figure) == fr
