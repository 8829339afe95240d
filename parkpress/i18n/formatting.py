"""Locale-aware formatting of dates, numbers and amounts, all through Babel (CLDR).

One :class:`Formatter` per language; the template environment exposes its
methods as filters so no template formats a number or date by hand.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_time, get_datetime_format
from babel.numbers import format_compact_currency, format_currency, format_decimal, format_percent
from babel.units import format_unit

from parkpress.content.model import Figure

_UNIT_NAMES = {"km2": "area-square-kilometer"}


def exact(value: float) -> Decimal:
    """The decimal a value was written as: YAML reads 4.1 as the float nearest it, whose shortest
    repr is '4.1' again; arithmetic on the float (4.1 / 100) would publish 0.040999999999999995."""
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


class Formatter:
    def __init__(self, locale: str, zone: ZoneInfo):
        self.locale = Locale.parse(locale)
        self.zone = zone
        self._dates: dict[tuple, str] = {}  # every news card formats its date: thousands of calls, far fewer dates

    def date(self, moment: dt.date | dt.datetime, style: str = "long") -> str:
        day = moment.astimezone(self.zone).date() if isinstance(moment, dt.datetime) else moment
        text = self._dates.get((day, style))
        if text is None:
            text = self._dates[day, style] = format_date(day, style, locale=self.locale)
        return text

    def time(self, moment: dt.datetime, style: str = "short") -> str:
        return format_time(moment, style, tzinfo=self.zone, locale=self.locale)

    def datetime(self, moment: dt.datetime, style: str = "long") -> str:
        """A release time in the site's zone: the date in ``style``, the time to the minute.

        CLDR's own date-time styles add seconds and a zone offset, which a news
        page does not need; the locale's pattern for joining date and time is
        still CLDR's ("16. Mai 2023, 09:25", "16 mai 2023 à 09:25").
        """
        local = moment.astimezone(self.zone)
        pattern = get_datetime_format(style, locale=self.locale)
        return pattern.replace("{1}", self.date(local, style)).replace("{0}", self.time(local, "short"))

    def number(self, value: float) -> str:
        return format_decimal(exact(value), locale=self.locale, decimal_quantization=False)

    def percent(self, value: float) -> str:
        """``value`` in percent: 27.5 -> '27.5%' / '27,5 %'."""
        return format_percent(exact(value).scaleb(-2), locale=self.locale, decimal_quantization=False)

    def amount(self, amount: float, currency: str) -> str:
        """Money, compact for large amounts: 'CN¥120B', '120 Mrd. CN¥', '120 Md CNY'."""
        if abs(amount) >= 1_000_000:
            return format_compact_currency(amount, currency, locale=self.locale, fraction_digits=2)
        return format_currency(amount, currency, locale=self.locale)

    def figure(self, figure: Figure) -> str:
        """A key figure's value with its unit or currency."""
        if figure.is_money:
            return self.amount(figure.amount, figure.currency)
        if figure.unit == "percent":
            return self.percent(figure.value)
        if figure.unit in _UNIT_NAMES:
            return format_unit(exact(figure.value), _UNIT_NAMES[figure.unit], length="short", locale=self.locale)
        if figure.unit == "mu":  # the Chinese area unit has no CLDR name; it is written "mu" everywhere
            return f"{self.number(figure.value)} mu"
        return self.number(figure.value)

    def figure_value(self, figure: Figure, value: float) -> str:
        """Another value in ``figure``'s unit or currency, for a chart's axis: amounts always compact ('0 CN¥', not '0,00 CN¥')."""
        if figure.is_money:
            return format_compact_currency(value, figure.currency, locale=self.locale, fraction_digits=2)
        return self.figure(dataclasses.replace(figure, value=value))

    def area(self, km2: float) -> str:
        return format_unit(exact(km2), "area-square-kilometer", length="short", locale=self.locale)

    def iso(self, moment: dt.datetime) -> str:
        """Machine-readable time for <time datetime> and feeds."""
        return moment.isoformat()
