"""View objects: what templates see of the content, in one language.

Views are frozen, plain data (no methods that reach back into the site), so a
page's context fully determines its bytes and can be fingerprinted.  Paths are
output paths from the site root; templates turn them into relative URLs with
the ``rel`` filter.
"""

from __future__ import annotations

import datetime as dt
import gettext
from dataclasses import dataclass

from parkpress.formatting import Formatter
from parkpress.model import Figure, Park
from parkpress.site import NewsEntry, Site
from parkpress.urls import Urls


@dataclass(frozen=True)
class Link:
    path: str | None  # None: nothing to link to in this language
    label: str
    key: str = ""


@dataclass(frozen=True)
class NewsCard:
    key: str
    path: str
    title: str
    summary: str
    released: dt.datetime
    released_text: str
    parks: tuple[Link, ...]
    industries: tuple[Link, ...]


@dataclass(frozen=True)
class FigureView:
    kind: str
    label: str
    text: str  # formatted for the locale
    number: float  # raw, for sorting and open data
    year: int
    source: str | None
    target: bool
    currency: str | None
    unit: str


@dataclass(frozen=True)
class RankingView:
    list_key: str
    path: str
    label: str
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
    province: str
    city: str
    founded: int | None
    headline: FigureView | None


def N_(message: str) -> str:
    """Marks a message for extraction; it is translated where it is used."""
    return message


SECTION_LABELS = {
    "home": N_("Home"),
    "parks": N_("Parks"),
    "news": N_("News"),
    "industries": N_("Industries"),
    "rankings": N_("Rankings"),
}


class Views:
    """Builds views for one language."""

    def __init__(self, site: Site, urls: Urls, lang: str, translations: gettext.NullTranslations, formatter: Formatter):
        self.site, self.urls, self.lang = site, urls, lang
        self._ = translations.gettext
        self.fmt = formatter
        self.taxonomy = site.content.taxonomy

    def section_label(self, kind: str) -> str:
        return self._(SECTION_LABELS[kind])

    def industry(self, key: str) -> Link:
        return Link(self.urls.item(self.lang, "industries", key), self._(self.taxonomy.industries[key]), key)

    def level(self, key: str) -> Link:
        return Link(None, self._(self.taxonomy.levels[key]), key)

    def park_link(self, key: str) -> Link:
        park = self.site.content.parks.get(key)
        if park is None:
            return Link(None, key, key)
        if self.lang in park.prose:
            return Link(self.urls.item(self.lang, "parks", key), park.prose[self.lang].title, key)
        return Link(None, park.facts.name, key)

    def news_card(self, entry: NewsEntry) -> NewsCard:
        meta = entry.doc.meta
        return NewsCard(
            key=entry.key,
            path=self.urls.item(self.lang, "news", entry.slug),
            title=meta["title"],
            summary=meta["summary"],
            released=meta["date"],
            released_text=self.fmt.date(meta["date"]),
            parks=tuple(self.park_link(k) for k in meta["parks"]),
            industries=tuple(self.industry(k) for k in meta["industries"]),
        )

    def figure(self, figure: Figure) -> FigureView:
        return FigureView(
            kind=figure.kind,
            label=self._(self.taxonomy.figures[figure.kind]),
            text=self.fmt.figure(figure),
            number=figure.number,
            year=figure.year,
            source=figure.source,
            target=figure.target,
            currency=figure.currency,
            unit=figure.unit,
        )

    def figures(self, park: Park) -> tuple[FigureView, ...]:
        return tuple(self.figure(f) for f in park.facts.figures)

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
                    label=self._(ranking.label),
                    publisher=ranking.publisher,
                    year=entry.year,
                    rank=entry.rank,
                    change=(previous[0].rank - entry.rank) if previous else None,
                    evaluated=edition.evaluated if edition else None,
                )
            )
        return tuple(views)

    def park_card(self, park: Park) -> ParkCard:
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
            founded=park.facts.founded,
            headline=self.figure(figures[0]) if figures else None,
        )
