"""View objects: what templates see of the content, in one language.

Views are frozen, plain data (no methods that reach back into the site), so a
page's context fully determines its bytes and can be fingerprinted.  Paths are
output paths from the site root; templates turn them into relative URLs with
the ``rel`` filter.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import gettext
from dataclasses import dataclass

from parkpress.site import charts
from parkpress.core.config import FactsVoice
from parkpress.i18n.catalogs import SOURCE_LANGUAGE
from parkpress.i18n.formatting import Formatter, exact
from parkpress.i18n.messages import MESSAGES, SECTION_LABELS
from parkpress.content.model import Figure, Park, RankingList
from parkpress.site.model import NewsEntry, Site
from parkpress.site.urls import Urls

MSGIDS_VOICE = FactsVoice(SOURCE_LANGUAGE, SOURCE_LANGUAGE)  # the language of the taxonomy's labels, which are msgids


@dataclass(frozen=True)
class Named:
    """A name as a page of one language shows it: its own translation, or the neutral fact with
    that fact's language in ``lang`` (for the element's ``lang`` attribute)."""

    text: str
    lang: str | None = None  # None: written in the page's language
    direction: str = "ltr"  # the direction of ``lang``'s script

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Link:
    path: str | None  # None: nothing to link to in this language
    label: str | Named  # a taxonomy label is Named: the page may show it in the msgids' language
    key: str = ""


@dataclass(frozen=True)
class NewsCard:
    key: str
    path: str
    title: str
    summary: str
    released: dt.datetime
    released_text: str
    timed: bool  # the item gives its release time, not only the day
    updated: dt.datetime  # the last revision: the release unless front matter says ``updated``
    parks: tuple[Link, ...]
    industries: tuple[Link, ...]


@dataclass(frozen=True)
class PlaceView:
    province: Named
    city: Named
    district: Named | None
    municipality: bool  # the city is a province of its own (Tianjin, Shanghai): named once
    # A language that names none of the parts its own way shows the place as the facts' language
    # writes it, in one element marked with that language: with and without the district.  Composed
    # by the page's pattern, the neutral names would run together ("ShandongHeze" in Chinese).
    neutral: Named | None = None
    neutral_city: Named | None = None


@dataclass(frozen=True)
class ContactView:
    office: Named | None
    address: Named | None
    phone: str | None
    email: str | None


@dataclass(frozen=True)
class FigureView:
    kind: str
    label: Named
    text: str  # formatted for the locale
    number: float  # raw, for sorting and open data
    year: int
    source: Named | None
    target: bool
    currency: str | None
    unit: str


@dataclass(frozen=True)
class RankingView:
    list_key: str
    path: str
    label: Named
    publisher: str
    year: int
    rank: int
    change: int | None  # places gained since the previous edition (negative: lost)
    evaluated: int | None


@dataclass(frozen=True)
class ParkCard:
    key: str
    path: str
    title: str
    name: str
    summary: str
    levels: tuple[Link, ...]
    industries: tuple[Link, ...]
    province: str  # the neutral facts' names: the directory filters by them
    city: str
    place: PlaceView
    founded: int | None
    headline: FigureView | None


class Views:
    """Builds views for one language."""

    def __init__(
        self,
        site: Site,
        urls: Urls,
        lang: str,
        translations: gettext.NullTranslations,
        formatter: Formatter,
        facts_voice: FactsVoice = FactsVoice(),
        facts_translations: gettext.NullTranslations | None = None,
        translated: frozenset[str] | None = None,
    ):
        """``facts_voice``: the language the neutral facts are written in; ``facts_translations``:
        that language's catalogs (none: the msgids' English patterns); ``translated``: the msgids
        the language's catalogs translate (None: the language is the msgids' own, see Lookups)."""
        self.site, self.urls, self.lang = site, urls, lang
        self._translated = translated
        self.facts_voice = facts_voice
        self._facts_translations = facts_translations or gettext.NullTranslations()
        self._fallback = None if lang == facts_voice.code else facts_voice
        self._translations = translations
        self._ = translations.gettext
        self.fmt = formatter
        self.taxonomy = site.content.taxonomy
        # A card appears on many pages (lists, neighbours, related, feeds); built once,
        # the same frozen object is shared, which also lets a page's fingerprint reuse
        # the card's digest.
        self._news_cards: dict[str, NewsCard] = {}
        self._park_cards: dict[str, ParkCard] = {}

    def with_site(self, site: Site, news: set[str], parks: set[str]) -> Views:
        """Views of ``site``, which differs from this one's only in the texts and card fields of the
        news items and parks named: the other cards are taken over."""
        views = Views(site, self.urls, self.lang, self._translations, self.fmt, self.facts_voice, self._facts_translations, self._translated)
        views._news_cards = {key: card for key, card in self._news_cards.items() if key not in news}
        views._park_cards = {key: card for key, card in self._park_cards.items() if key not in parks}
        return views

    def message(self, key: str) -> str:
        return self._(MESSAGES[key])

    def section_label(self, kind: str) -> str:
        return self._(SECTION_LABELS[kind])

    def label(self, message_id: str) -> Named:
        """A taxonomy label as the page shows it: translated, or the msgid, marked with the msgids' language."""
        text = self._(message_id)
        if self._translated is None or message_id in self._translated:
            return Named(text)
        return Named(text, MSGIDS_VOICE.tag, MSGIDS_VOICE.direction)

    def industry(self, key: str) -> Link:
        return Link(self.urls.item(self.lang, "industries", key), self.label(self.taxonomy.industries[key]), key)

    def level(self, key: str) -> Link:
        return Link(None, self.label(self.taxonomy.levels[key]), key)

    def ranking_link(self, key: str) -> Link:
        return Link(self.urls.item(self.lang, "rankings", key), self.label(self.taxonomy.rankings[key].label), key)

    def park_link(self, key: str) -> Link:
        park = self.site.content.parks.get(key)
        if park is None:
            return Link(None, key, key)
        if self.lang in park.prose:
            return Link(self.urls.item(self.lang, "parks", key), park.prose[self.lang].title, key)
        return Link(None, park.facts.name, key)

    def news_card(self, entry: NewsEntry) -> NewsCard:
        card = self._news_cards.get(entry.key)
        if card is None:
            card = self._news_cards[entry.key] = self._news_card(entry)
        return card

    def _news_card(self, entry: NewsEntry) -> NewsCard:
        meta = entry.doc.meta
        return NewsCard(
            key=entry.key,
            path=self.urls.item(self.lang, "news", entry.slug),
            title=meta["title"],
            summary=meta["summary"],
            released=meta["date"],
            released_text=self.fmt.date(meta["date"]),
            timed=meta["timed"],
            updated=meta["updated"] or meta["date"],
            parks=tuple(self.park_link(k) for k in meta["parks"]),
            industries=tuple(self.industry(k) for k in meta["industries"]),
        )

    def _prose(self, park: Park) -> dict:
        doc = park.prose.get(self.lang)
        return doc.meta if doc is not None else {}

    def named(self, own: str | None, neutral: str | None) -> Named | None:
        """The language's own name if it gives one, else the neutral fact, marked with its language."""
        if own is not None:
            return Named(own)
        if neutral is None:
            return None
        if self._fallback is None:
            return Named(neutral)
        return Named(neutral, self._fallback.tag, self._fallback.direction)

    def place(self, park: Park) -> PlaceView:
        meta, facts = self._prose(park), park.facts
        place = PlaceView(
            province=self.named(meta.get("province"), facts.province),
            city=self.named(meta.get("city"), facts.city),
            district=self.named(meta.get("district"), facts.district),
            municipality=facts.city == facts.province,
        )
        if self._fallback is None or any(part.lang is None for part in (place.province, place.city, place.district) if part is not None):
            return place
        neutral = {district: _composed(self._facts_translations.gettext, place, district) for district in (True, False)}
        voice = self._fallback
        return dataclasses.replace(
            place, neutral=Named(neutral[True], voice.tag, voice.direction), neutral_city=Named(neutral[False], voice.tag, voice.direction)
        )

    def place_name(self, place: PlaceView, district: bool = True) -> Named:
        """The place as one name (filter choices, search), composed as the catalog's pattern says."""
        whole = place.neutral if district else place.neutral_city
        return whole or Named(_composed(self._, place, district))

    def place_text(self, place: PlaceView, district: bool = True) -> str:
        return str(self.place_name(place, district))

    def contact(self, park: Park) -> ContactView | None:
        neutral = park.facts.contact
        if neutral is None:
            return None
        own = self._prose(park).get("contact") or {}
        return ContactView(
            office=self.named(own.get("office"), neutral.office),
            address=self.named(own.get("address"), neutral.address),
            phone=neutral.phone,
            email=neutral.email,
        )

    def publisher(self, ranking: RankingList) -> Named:
        """A ranking's publisher: a name, which no catalog translates, in the language of the facts."""
        return self.named(None, ranking.publisher)

    def source(self, figure: Figure, park: Park) -> Named | None:
        return self.named(self._prose(park).get("sources", {}).get(figure.source), figure.source)

    def figure(self, figure: Figure, park: Park) -> FigureView:
        return FigureView(
            kind=figure.kind,
            label=self.label(self.taxonomy.figures[figure.kind]),
            text=self.fmt.figure(figure),
            number=figure.number,
            year=figure.year,
            source=self.source(figure, park),
            target=figure.target,
            currency=figure.currency,
            unit=figure.unit,
        )

    def figures(self, park: Park) -> tuple[FigureView, ...]:
        return tuple(self.figure(f, park) for f in park.facts.figures)

    def rankings(self, park: Park) -> tuple[RankingView, ...]:
        views = []
        entries = sorted(park.facts.rankings, key=lambda r: (r.list, -r.year))
        for entry in entries:
            ranking = self.taxonomy.rankings[entry.list]
            previous = [r for r in entries if r.list == entry.list and r.year == entry.year - 1]
            edition = ranking.edition(entry.year)
            views.append(
                RankingView(
                    list_key=entry.list,
                    path=self.urls.item(self.lang, "rankings", entry.list),
                    label=self.label(ranking.label),
                    publisher=ranking.publisher,
                    year=entry.year,
                    rank=entry.rank,
                    change=(previous[0].rank - entry.rank) if previous else None,
                    evaluated=edition.evaluated if edition else None,
                )
            )
        return tuple(views)

    def park_card(self, park: Park) -> ParkCard:
        card = self._park_cards.get(park.key)
        if card is None:
            card = self._park_cards[park.key] = self._park_card(park)
        return card

    def _park_card(self, park: Park) -> ParkCard:
        doc = park.prose[self.lang]
        figures = park.facts.figures
        return ParkCard(
            key=park.key,
            path=self.urls.item(self.lang, "parks", park.key),
            title=doc.title,
            name=park.facts.name,
            summary=doc.meta["summary"],
            levels=tuple(self.level(k) for k in park.facts.levels),
            industries=tuple(self.industry(k) for k in park.facts.industries),
            province=park.facts.province,
            city=park.facts.city,
            place=self.place(park),
            founded=park.facts.founded,
            headline=self.figure(figures[0], park) if figures else None,
        )

    def figure_year(self, figure: Figure) -> str:
        return self._(MESSAGES["target"]) % {"year": figure.year} if figure.target else str(figure.year)

    def _directed(self, found: list[charts.Chart]) -> tuple[charts.Chart, ...]:
        """The charts as this language reads: mirrored where it is written right to left."""
        if self.urls.direction(self.lang) != "rtl":
            return tuple(found)
        return tuple(dataclasses.replace(chart, svg=charts.mirrored(chart.svg)) for chart in found)

    def ranking_charts(self, park: Park) -> tuple[charts.Chart, ...]:
        """One line chart per ranking list the park appears in at least twice."""
        found = []
        for list_key in sorted({r.list for r in park.facts.rankings}):
            entries = sorted((r for r in park.facts.rankings if r.list == list_key), key=lambda r: r.year)
            if len(entries) < 2:
                continue
            ranking = self.taxonomy.rankings[list_key]
            points, rows = [], []
            for entry in entries:
                edition = ranking.edition(entry.year)
                rank = self.fmt.number(entry.rank)
                points.append(charts.Point(str(entry.year), exact(entry.rank), rank, x=entry.year))
                of = self._(MESSAGES["of"]) % {"count": self.fmt.number(edition.evaluated)} if edition and edition.evaluated else ""
                rows.append((str(entry.year), f"{rank} {of}".strip()))
            first, last = entries[0], entries[-1]
            found.append(
                charts.rank_chart(
                    f"chart-rank-{list_key}",
                    self._(MESSAGES["rank-title"]) % {"ranking": self._(ranking.label)},
                    self._(MESSAGES["rank-desc"])
                    % {"first": first.rank, "first_year": first.year, "last": last.rank, "last_year": last.year},
                    points,
                    self.fmt.number,
                    (self._(MESSAGES["year"]), self._(MESSAGES["rank"])),
                    rows,
                )
            )
        return self._directed(found)

    def figure_charts(self, park: Park) -> tuple[charts.Chart, ...]:
        """Bars for each figure kind stated for two years or more; a share bar for each share."""
        found = []
        kinds = list(dict.fromkeys(f.kind for f in park.facts.figures))
        for kind in kinds:
            series = sorted((f for f in park.facts.figures if f.kind == kind), key=lambda f: (f.year, f.target))
            label = self.label(self.taxonomy.figures[kind])
            same_unit = len({(f.currency, f.unit) for f in series}) == 1
            if len(series) >= 2 and len({f.year for f in series}) == len(series) and same_unit:
                points = [
                    charts.Point(self.figure_year(f), exact(f.number), self.fmt.figure(f), x=f.year, emphasis=not f.target) for f in series
                ]
                rows = [(self.figure_year(f), self.fmt.figure(f), self.source(f, park) or "") for f in series]
                first, last = series[0], series[-1]
                found.append(
                    charts.bar_chart(
                        f"chart-figure-{kind}",
                        label,
                        self._(MESSAGES["series-desc"])
                        % {"first": self._described(first), "first_year": first.year, "last": self._described(last), "last_year": last.year},
                        points,
                        lambda value, sample=last: self.fmt.figure_value(sample, value),
                        (self._(MESSAGES["year"]), self._(MESSAGES["value"]), self._(MESSAGES["source"])),
                        rows,
                    )
                )
            for figure in series:
                if figure.share:
                    found.append(self._share_chart(park, figure, label))
        return self._directed(found)

    def _described(self, figure: Figure) -> str:
        """A figure's value as a chart's description names it beside its year: a target says so."""
        text = self.fmt.figure(figure)
        return self._(MESSAGES["target-value"]) % {"value": text} if figure.target else text

    def _share_chart(self, park: Park, figure: Figure, label: Named) -> charts.Chart:
        value = exact(figure.value)
        share, rest = self.fmt.percent(value), self.fmt.percent(100 - value)
        part = park.prose[self.lang].title if self.lang in park.prose else park.facts.name
        rest_label = self._(MESSAGES["rest"])
        legend = self._(MESSAGES["legend"])  # 'part: share', as the language writes it (Chinese: 'part：share')
        return charts.share_chart(
            f"chart-share-{figure.kind}-{figure.year}",
            self._(MESSAGES["share-title"]) % {"figure": label, "year": self.figure_year(figure)},
            self._(MESSAGES["share-desc"]) % {"part": part, "share": share, "rest": rest},
            value,
            legend % {"part": part, "share": share},
            legend % {"part": rest_label, "share": rest},
            (self._(MESSAGES["part"]), self._(MESSAGES["share"])),
            ((part, share), (rest_label, rest)),
        )

    def latest_figures(self, park: Park) -> dict[str, FigureView]:
        """kind -> the figure that stands for the park in comparisons and the CSV (see ParkFacts.latest)."""
        kinds = dict.fromkeys(f.kind for f in park.facts.figures)
        return {kind: self.figure(park.facts.latest(kind), park) for kind in kinds}

    def figure_kinds(self, parks: list[Park]) -> tuple[Link, ...]:
        """Figure kinds that at least one of ``parks`` states, in taxonomy order."""
        used = {f.kind for p in parks for f in p.facts.figures}
        return tuple(Link(None, self.label(label), key) for key, label in self.taxonomy.figures.items() if key in used)


def _composed(gettext_, place: PlaceView, district: bool) -> str:
    """The place's parts in the order and with the separators of ``gettext_``'s patterns."""
    parts = {"district": str(place.district), "city": str(place.city), "province": str(place.province)}
    if district and place.district is not None:
        return gettext_(MESSAGES["place-in-city" if place.municipality else "place"]) % parts
    return str(place.city) if place.municipality else gettext_(MESSAGES["place-city"]) % parts
