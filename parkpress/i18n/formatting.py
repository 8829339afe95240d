"""Locale-aware formatting of dates, numbers, amounts, units and lists, all through Babel (CLDR).

One :class:`Formatter` per language; the template environment exposes its
methods as filters so no template formats a number, joins a list or writes a
unit by hand.  The one unit CLDR lacks, the Chinese area unit mu, is a catalog
message, so each language's translator writes it (亩 in Chinese).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import gettext
import re
import unicodedata
from collections.abc import Iterable
from decimal import Decimal
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_time, get_datetime_format, tokenize_pattern
from babel.lists import format_list
from babel.numbers import format_compact_currency, format_currency, format_decimal, format_percent, get_currency_symbol
from babel.units import format_unit
from markupsafe import Markup, escape

from parkpress.content.model import Figure
from parkpress.i18n.messages import MESSAGES

_UNIT_NAMES = {"km2": "area-square-kilometer", "ha": "area-hectare"}
_ITEM = "\ue000{}\ue001"  # a list item's stand-in while Babel joins the list (private use: in no CLDR pattern)
LRM = "\u200e"


def exact(value: float) -> Decimal:
    """The decimal a value was written as: YAML reads 4.1 as the float nearest it, whose shortest
    repr is '4.1' again; arithmetic on the float (4.1 / 100) would publish 0.040999999999999995."""
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


def plural_count(locale: Locale, value: Decimal) -> int:
    """The whole number gettext chooses ``value``'s plural form by: the value itself when it is whole,
    else a number of the same CLDR plural category (French 1.5 is 'one', Arabic 2.5 'other'), above 2
    where there is one, since a form for exactly 0, 1 or 2 may leave the number out."""
    if value == value.to_integral_value():
        return int(value)
    category = locale.plural_form(value)
    return next((n for n in (*range(3, 1000), 0, 1, 2) if locale.plural_form(n) == category), 3)


class Formatter:
    def __init__(self, locale: str, zone: ZoneInfo, translations: gettext.NullTranslations | None = None):
        """``translations``: the language's catalog, for the units CLDR does not name."""
        self.locale = Locale.parse(locale)
        self.zone = zone
        self._translations = translations or gettext.NullTranslations()
        self._zone_first = _zone_before_time(self.locale)
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
        """A release time in the site's zone: the date in ``style``, the time to the minute with its zone.

        CLDR's own date-time styles add seconds and the zone's long name ("China
        Standard Time"); a news page needs the minute and the offset, which says
        the zone in every language ("16. Mai 2023, 09:25 GMT+08:00", "16 mai 2023
        à 09:25 UTC+08:00").  The patterns for joining date and time, and the zone
        and time (Chinese puts the zone first), are still CLDR's.
        """
        local = moment.astimezone(self.zone)
        zone = format_time(local, "ZZZZ", locale=self.locale)
        time = self.time(local, "short")
        pattern = get_datetime_format(style, locale=self.locale)
        return pattern.replace("{1}", self.date(local, style)).replace("{0}", f"{zone} {time}" if self._zone_first else f"{time} {zone}")

    def number(self, value: float | Decimal) -> str:
        return format_decimal(exact(value), locale=self.locale, decimal_quantization=False)

    def percent(self, value: float | Decimal) -> str:
        """``value`` in percent: 27.5 -> '27.5%' / '27,5 %'."""
        return format_percent(exact(value).scaleb(-2), locale=self.locale, decimal_quantization=False)

    def amount(self, amount: float | Decimal, currency: str) -> str:
        """Money, compact for large amounts: 'CN¥120B', '120 Mrd. CN¥', '120 Md CNY'."""
        if abs(amount) >= 1_000_000:
            return self.compact_amount(amount, currency)
        return self._symbol_kept_whole(format_currency(exact(amount), currency, locale=self.locale), currency)

    def compact_amount(self, amount: float | Decimal, currency: str) -> str:
        return self._symbol_kept_whole(format_compact_currency(exact(amount), currency, locale=self.locale, fraction_digits=2), currency)

    def _symbol_kept_whole(self, text: str, currency: str) -> str:
        """In a language written right to left, a symbol of Latin letters ending in a sign ('CN¥', 'US$')
        is followed by a left-to-right mark: the bidi algorithm would otherwise give the sign the
        direction around it, and an Arabic page would show '12.3 مليار ¥CN'."""
        if self.locale.character_order != "right-to-left":
            return text
        symbol = get_currency_symbol(currency, locale=self.locale)
        kinds = [unicodedata.bidirectional(char) for char in symbol]
        if "L" not in kinds or kinds[-1] == "L":
            return text
        return text.replace(symbol, symbol + LRM)

    def figure(self, figure: Figure) -> str:
        """A key figure's value with its unit or currency."""
        if figure.is_money:
            return self.amount(figure.amount, figure.currency)
        if figure.unit == "percent":
            return self.percent(figure.value)
        if figure.unit in _UNIT_NAMES:
            return format_unit(exact(figure.value), _UNIT_NAMES[figure.unit], length="short", locale=self.locale)
        if figure.unit == "mu":
            return self.mu(figure.value)
        return self.number(figure.value)

    def mu(self, value: float | Decimal) -> str:
        """An area in mu (亩, 1/15 ha), which CLDR does not name: the catalog's words, in the language's plural."""
        singular, plural = MESSAGES["mu"]
        count = plural_count(self.locale, exact(value))
        return self._translations.ngettext(singular, plural, count) % {"num": self.number(value)}

    def figure_value(self, figure: Figure, value: Decimal) -> str:
        """Another value in ``figure``'s unit or currency, for a chart's axis: amounts always compact ('0 CN¥', not '0,00 CN¥')."""
        if figure.is_money:
            return self.compact_amount(value, figure.currency)
        return self.figure(dataclasses.replace(figure, value=value))

    def join_list(self, items: Iterable[str]) -> Markup:
        """Names joined as the language joins a list: 'A, B, and C', 'A, B und C', 'A、B和C', 'A وB وC'.

        Markup items (links) stay markup and the rest is escaped: Babel joins
        stand-ins, which are then replaced by the escaped items.  A conjunction written onto an item
        that is an element ('و' before a link) is joined to it in a ``<span class="joined">``: a browser
        may break a line before an inline box, which left 'و' alone at a line's end (the theme's CSS
        keeps the span's line whole).
        """
        items = [escape(item) for item in items]
        joined = escape(format_list([_ITEM.format(i) for i in range(len(items))], locale=self.locale))
        for i, item in enumerate(items):
            stand_in = _ITEM.format(i)
            if item.startswith("<"):
                joined = re.sub(rf"(\w+){stand_in}", rf'<span class="joined">\1{stand_in}</span>', joined)
            joined = joined.replace(stand_in, item)
        return Markup(joined)

    def area(self, km2: float) -> str:
        return format_unit(exact(km2), "area-square-kilometer", length="short", locale=self.locale)

    def iso(self, moment: dt.datetime) -> str:
        """Machine-readable time for <time datetime> and feeds."""
        return moment.isoformat()


def _zone_before_time(locale: Locale) -> bool:
    """Whether the language names the zone before the time, as its full time pattern does (Chinese: 'zzzz HH:mm:ss')."""
    fields = [token[1][0] for token in tokenize_pattern(locale.time_formats["full"].pattern) if token[0] == "field"]
    zone = next((i for i, field in enumerate(fields) if field in "zZOvV"), len(fields))
    hour = next((i for i, field in enumerate(fields) if field in "hHkK"), 0)
    return zone < hour
