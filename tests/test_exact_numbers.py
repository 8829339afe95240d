"""Figures, amounts and chart ticks are formatted from the decimal they were written as, never from float
arithmetic: 4.1 % is '4.1%', not '4.0999999999999995%', and the axis tick after 0.4 is 0.6, not 0.6000000000000001."""

from __future__ import annotations

import json
import tomllib
from decimal import Decimal
from zoneinfo import ZoneInfo

import yaml
from babel.numbers import format_compact_currency, format_currency, format_decimal, format_percent
from conftest import PARK, build_fixture_site
from support.fixture_site import CONFIG

from parkpress.content.model import Figure
from parkpress.i18n.formatting import Formatter
from parkpress.site.charts import nice_ticks

ONE_DECIMAL = [f"{tenths // 10}.{tenths % 10}" for tenths in range(1001)]  # 0.0 ... 100.0
LOCALES = [language["locale"] for language in tomllib.loads(CONFIG)["languages"].values()]


def test_every_one_decimal_value_is_formatted_as_babel_formats_its_decimal():
    for locale in LOCALES:
        formatter = Formatter(locale, ZoneInfo("UTC"))
        for written in ONE_DECIMAL:
            value = yaml.safe_load(written)  # as a park's facts file reads it: a float
            percent = format_percent(Decimal(written) / 100, locale=locale, decimal_quantization=False)
            assert formatter.percent(value) == percent, (locale, written)
            assert formatter.number(value) == format_decimal(Decimal(written), locale=locale, decimal_quantization=False), (locale, written)


def test_a_percent_figure_is_published_as_written(tmp_path):
    share = "  - kind: enterprises\n    value: 4.1\n    unit: percent\n    year: 2022\n"
    site = build_fixture_site(tmp_path, {"content/parks/alpha.yaml": PARK.replace("figures:\n", "figures:\n" + share)})
    assert "4.1%" in (site / "en/parks/alpha/index.html").read_text(encoding="utf-8")
    assert "4,1\u00a0%" in (site / "de/parks/alpha/index.html").read_text(encoding="utf-8")
    assert "0999" not in (site / "en/parks/alpha/index.html").read_text(encoding="utf-8")
    parks = (site / "en/parks/parks.json").read_text(encoding="utf-8")
    assert '"value": 4.1' in parks or '"value":4.1' in parks
    assert 4.1 in [figure.get("value") for park in json.loads(parks)["parks"] for figure in park["figures"]]


def test_every_axis_tick_and_amount_is_babels_formatting_of_its_decimal():
    share = Figure("share", 2020, value=0.0, unit="percent")
    money = Figure("output-value", 2020, amount=0.0, currency="CNY")
    ranges = [(ONE_DECIMAL[low], ONE_DECIMAL[high]) for low in range(0, 1001, 97) for high in range(low + 1, 1001, 89)]
    for locale in LOCALES:
        formatter = Formatter(locale, ZoneInfo("UTC"))
        for low, high in ranges:
            for tick in nice_ticks(Decimal(low), Decimal(high)):
                assert formatter.figure_value(share, tick) == format_percent(tick.scaleb(-2), locale=locale, decimal_quantization=False)
                amount = tick.scaleb(9)
                assert formatter.figure_value(money, amount) == format_compact_currency(amount, "CNY", locale=locale, fraction_digits=2)
        for written in ONE_DECIMAL[::7]:
            amount = yaml.safe_load(written)  # as a facts file reads an amount: a float
            assert formatter.amount(amount, "USD") == format_currency(Decimal(written), "USD", locale=locale), (locale, written)
