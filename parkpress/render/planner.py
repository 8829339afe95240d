"""Plan every output page: its path, its template and its (plain-data) context.

``plan`` is pure: content in, a list of :class:`Page` out.  Rendering and
writing happen elsewhere, so the plan can be fingerprinted and diffed for
incremental builds, and collisions are found before anything is written.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import NamedTuple

from babel import Locale

from parkpress.content.translation import OUTDATED, source_of, state
from parkpress.core.config import Config, Language
from parkpress.core.problems import Problems
from parkpress.i18n.messages import MESSAGES
from parkpress.search.index import SearchMemo, Source
from parkpress.site import jsonld, opendata
from parkpress.site.body import Bodies
from parkpress.site.model import Site
from parkpress.site.urls import THEME_ICON, Urls, relative
from parkpress.site.views import Link, Named, Views

HOME_NEWS = 5
CHOOSER = "index.html"  # the root page that leads to each language's home
SHARE_FALLBACK = THEME_ICON  # a page's picture for link previews when neither it nor the site has one
PAGER_AROUND = 2  # pages linked either side of the current one


# Slots: a plan holds a page, three alternates and three crumbs for every page of the site
# (70,000 pages at 20,000 items), and objects without a __dict__ are a third of the size.
@dataclass(frozen=True, slots=True)
class Alternate:
    code: str
    hreflang: str
    name: str
    path: str
    exists: bool  # False: the item is not translated; path leads to the nearest parent
    direction: str = "ltr"  # of the language's script, for the switcher's dir
    og_locale: str = ""


@dataclass(frozen=True, slots=True)
class Crumb:
    kind: str  # home | news | parks | industries | rankings | item
    path: str
    label: str | Named = ""  # an industry's or a ranking's: Named


@dataclass(frozen=True, slots=True)
class Page:
    path: str
    template: str
    lang: str | None
    context: dict
    ident: tuple  # what the page shows; shared by its translations
    parent: tuple | None = None  # where the switcher goes when a translation is missing
    source: str = ""  # the file it comes from, for messages
    in_sitemap: bool = True


class Slot(NamedTuple):
    """A page without its context: what the rest of the site (translations' links, the
    sitemap, the service worker) needs to know of it, and what an incremental build
    remembers of every page.  A named tuple, not a dataclass: an edit's build reads ten
    thousand of them from the cache, and tuples unpickle several times faster."""

    path: str
    template: str
    lang: str | None
    ident: tuple
    parent: tuple | None
    source: str
    in_sitemap: bool


class ListPage(NamedTuple):
    """One page of a paged list of news."""

    path: str
    ident: tuple
    parent: tuple
    cards: tuple
    pager: dict


def slot_of(page: Page) -> Slot:
    return Slot(page.path, page.template, page.lang, page.ident, page.parent, page.source, page.in_sitemap)


@dataclass
class LanguagePlanner:
    """Plans the pages of one language."""

    config: Config
    language: Language
    site: Site
    urls: Urls
    views: Views
    bodies: Bodies
    only: frozenset[tuple] | None = None  # plan just these pages (by ident); None: all
    search_memo: SearchMemo = field(default_factory=SearchMemo)  # documents analysed for search before
    pages: list[Page] = field(default_factory=list)
    section_crumbs: dict[str, Crumb] = field(default_factory=dict)

    @property
    def lang(self) -> str:
        return self.language.code

    def wants(self, *idents: tuple) -> bool:
        """Whether any of these pages is to be planned: building a context is the cost avoided."""
        return self.only is None or not self.only.isdisjoint(idents)  # not any(): asked for every page of the site

    def wants_any(self, ident: tuple) -> bool:
        """Whether any page of a paged list is to be planned: ``ident`` is its first page's."""
        return self.only is None or any(wanted[: len(ident)] == ident for wanted in self.only)

    def add(self, path: str, template: str, ident: tuple, parent: tuple | None, crumbs: list[Crumb], source: str = "", **context) -> None:
        if not context.get("description"):  # search engines and link previews show it: never empty
            context["description"] = self.language.summary
        context.setdefault("title", crumbs[-1].label if crumbs else self.language.title)
        context.setdefault("image", None)
        context.setdefault("noindex", False)
        context.setdefault("base_href", None)
        context.update(crumbs=tuple(crumbs), page_path=path)
        self.pages.append(Page(path, template, self.lang, context, ident, parent, source))

    def body(self, doc, path: str) -> str:
        return self.bodies.html(doc, path, self.views.message("back-to-note"))

    def crumbs(self, *extra: Crumb) -> list[Crumb]:
        return [self.section_crumb("home"), *extra]

    def section_crumb(self, section: str) -> Crumb:
        """One crumb a section, shared by every page of the language that shows it."""
        crumb = self.section_crumbs.get(section)
        if crumb is None:
            path = self.urls.home(self.lang) if section == "home" else self.urls.section(self.lang, section)
            crumb = self.section_crumbs[section] = Crumb(section, path, self.views.section_label(section))
        return crumb

    def paged(self, entries: list, first: str, ident: tuple, parent: tuple) -> Iterator[ListPage]:
        """The wanted pages of a list of news, ``news_per_page`` a page; page 1 at ``first``."""
        size = self.config.news_per_page
        paths = [Urls.page(first, n) for n in range(1, max(1, math.ceil(len(entries) / size)) + 1)]
        for number, path in enumerate(paths, 1):
            page_ident, page_parent = (ident, parent) if number == 1 else ((*ident, number), ident)
            if self.wants(page_ident):
                chunk = entries[(number - 1) * size : number * size]
                cards = tuple(self.views.news_card(e) for e in chunk)
                yield ListPage(path, page_ident, page_parent, cards, _pager(number, paths))

    def plan(self) -> list[Page]:
        self.home()
        self.parks()
        self.news()
        self.industries()
        self.rankings()
        self.compare()
        self.search()
        self.open_data()
        self.static_pages()
        if self.wants(("404",)):
            self.add(
                self.urls.not_found(self.lang), "404.html", ("404",), ("home",), self.crumbs(), title="", noindex=True, **self.not_found()
            )
            self.pages[-1] = replace(self.pages[-1], in_sitemap=False)
        self.offline()
        self.feed()
        return self.pages

    def not_found(self) -> dict:
        """A host serves the 404 page at any missing address, so its links start from the base URL:
        the home page and the search page of its language, as output paths."""
        folder = self.urls.not_found(self.lang).rsplit("/", 1)[0]
        return {
            "base_href": f"{self.urls.base_path}{folder}/",
            "home": self.urls.home(self.lang),
            "search": self.urls.section(self.lang, "search"),
        }

    def offline(self) -> None:
        """The page the service worker shows for an unread page without a network, and the web app manifest."""
        if not self.wants(("offline",), ("manifest",)):
            return
        self.add(self.urls.offline(self.lang), "offline.html", ("offline",), ("home",), self.crumbs(), title="", noindex=True)
        self.pages[-1] = replace(self.pages[-1], in_sitemap=False)
        path = self.urls.manifest(self.lang)
        self.pages.append(Page(path, "manifest.webmanifest", self.lang, {"page_path": path, "crumbs": ()}, ("manifest",), in_sitemap=False))

    def home(self) -> None:
        if not self.wants(("home",)):
            return
        news = self.site.news(self.lang)
        parks = [self.views.park_card(p) for p in self.site.parks(self.lang)]
        self.add(
            self.urls.home(self.lang),
            "home.html",
            ("home",),
            None,
            [],
            title=self.language.title,
            latest=tuple(self.views.news_card(e) for e in news[:HOME_NEWS]),
            parks=tuple(parks),
            headline_figures=tuple((card, card.headline) for card in parks if card.headline),
            counts={"parks": len(parks), "news": len(news), "industries": len(self.site.industries_used())},
            search=self.urls.section(self.lang, "search"),
        )

    def parks(self) -> None:
        parks = self.site.parks(self.lang)
        if self.wants(("parks",)):
            self.directory(parks)
        for park in parks:
            if self.wants_any(("park", park.key)):
                self.park(park)

    def directory(self, parks) -> None:
        cards = tuple(self.views.park_card(p) for p in parks)
        self.add(
            self.urls.section(self.lang, "parks"),
            "parks.html",
            ("parks",),
            ("home",),
            self.crumbs(self.section_crumb("parks")),
            parks=cards,
            industries=tuple(self.views.industry(k) for k in self.site.industries_used()),
            levels=tuple(self.views.level(k) for k in self.site.content.taxonomy.levels if any(k in p.facts.levels for p in parks)),
            provinces=tuple(sorted({p.facts.province for p in parks})),
            filter_industries=tuple(
                self.views.industry(k) for k in self.site.content.taxonomy.industries if any(k in p.facts.industries for p in parks)
            ),
            places=_places(parks, self.views),
            data_files=self.data_files(),
            data_description=self.views.message("dataset"),
            compare=self.urls.section(self.lang, "compare"),
        )

    def park(self, park) -> None:
        """A park's profile, with its newest news; its older news on pages of their own."""
        doc = park.prose[self.lang]
        path = self.urls.item(self.lang, "parks", park.key)
        crumbs = self.crumbs(self.section_crumb("parks"), Crumb("item", path, doc.title))
        news = self.site.news_about_park(park.key, self.lang)
        for page in self.paged(news, path, ("park", park.key), ("parks",)):
            if page.pager["number"] == 1:
                self.profile(park, doc, page, crumbs)
            else:
                # The park's card, not just its title: pages showing a card are planned again when it changes.
                card = self.views.park_card(park)
                self.add(page.path, "park_news.html", page.ident, page.parent, crumbs, park=card, news=page.cards, pager=page.pager)

    def profile(self, park, doc, page: ListPage, crumbs: list[Crumb]) -> None:
        self.add(
            page.path,
            "park.html",
            page.ident,
            page.parent,
            crumbs,
            source=doc.rel,
            title=doc.title,
            description=doc.meta["summary"],
            park=self.views.park_card(park),
            facts=park.facts,
            area_text=self.views.fmt.area(park.facts.area_km2) if park.facts.area_km2 else None,
            figures=self.views.figures(park),
            rankings=self.views.rankings(park),
            rank_charts=self.views.ranking_charts(park),
            figure_charts=self.views.figure_charts(park),
            body=self.body(doc, page.path),
            image=self.bodies.first_image(doc),
            news=page.cards,
            pager=page.pager,
            place=self.views.place(park),
            contact=self.views.contact(park),
        )

    def news(self) -> None:
        entries = self.site.news(self.lang)
        years = tuple((y, self.urls.news_year(self.lang, y)) for y in self.site.news_years(self.lang))
        crumbs = self.crumbs(self.section_crumb("news"))
        for page in self.paged(entries, self.urls.section(self.lang, "news"), ("news",), ("home",)):
            self.add(
                page.path, "news_list.html", page.ident, page.parent, crumbs, news=page.cards, pager=page.pager, years=years, year=None
            )
        by_year: dict[int, list] = {}  # once, not a pass over every item for each year
        if any(self.wants_any(("news-year", year)) for year, _ in years):
            for entry in entries:
                by_year.setdefault(entry.doc.meta["date"].year, []).append(entry)
        for year, first in years:
            if not self.wants_any(("news-year", year)):
                continue
            for page in self.paged(by_year[year], first, ("news-year", year), ("news",)):
                self.add(
                    page.path, "news_list.html", page.ident, page.parent, crumbs, news=page.cards, pager=page.pager, years=years, year=year
                )
        for entry in entries:
            if self.wants(("news-item", entry.key)):
                self.article(entry)

    def article(self, entry) -> None:
        path = self.urls.item(self.lang, "news", entry.slug)
        older, newer = self.site.neighbours(entry.key, self.lang)
        card = self.views.news_card(entry)
        source = entry.doc.meta["source"]
        self.add(
            path,
            "news.html",
            ("news-item", entry.key),
            ("news",),
            self.crumbs(self.section_crumb("news"), Crumb("item", path, card.title)),
            source=entry.doc.rel,
            title=card.title,
            description=card.summary,
            item=card,
            body=self.body(entry.doc, path),
            image=self.bodies.first_image(entry.doc),
            news_source=Link(source["url"], source["name"]),
            older=self.views.news_card(older) if older else None,
            newer=self.views.news_card(newer) if newer else None,
            related=tuple(self.views.news_card(e) for e in self.site.related(entry.key, self.lang)),
        )

    def industries(self) -> None:
        rows = []
        for key in self.site.industries_used():
            if not self.wants(("industry", key), ("industries",)):
                continue
            link = self.views.industry(key)
            parks = self.site.parks_in_industry(key, self.lang)
            news = self.site.news_about_industry(key, self.lang)
            rows.append((link, len(parks), len(news)))
            if not self.wants(("industry", key)):
                continue
            self.add(
                link.path,
                "industry.html",
                ("industry", key),
                ("industries",),
                self.crumbs(self.section_crumb("industries"), Crumb("item", link.path, link.label)),
                title=str(link.label),  # <title>, og:title and JSON-LD: text, whose language no markup can give
                industry=link,
                parks=tuple(self.views.park_card(p) for p in parks),
                # The latest only: all of them made a page that grew with the archive (640 KB at
                # 3,000 news), and paging them made as many pages again as the news archive has.
                news=tuple(self.views.news_card(e) for e in news[: self.config.news_per_page]),
            )
        if not self.wants(("industries",)):
            return
        self.add(
            self.urls.section(self.lang, "industries"),
            "industries.html",
            ("industries",),
            ("home",),
            self.crumbs(self.section_crumb("industries")),
            industries=tuple(rows),
        )

    def rankings(self) -> None:
        if not self.wants(*(("ranking", key) for key in self.site.rankings_used()), ("rankings",)):
            return
        taxonomy = self.site.content.taxonomy
        lists = []
        for key in self.site.rankings_used():
            ranking = taxonomy.rankings[key]
            link = self.views.ranking_link(key)
            path, label = link.path, link.label
            lists.append(link)
            rows = []
            for park in self.site.parks(self.lang):
                for view in self.views.rankings(park):
                    if view.list_key == key:
                        rows.append((self.views.park_link(park.key), view))
            rows.sort(key=lambda row: (-row[1].year, row[1].rank))
            self.add(
                path,
                "ranking.html",
                ("ranking", key),
                ("rankings",),
                self.crumbs(self.section_crumb("rankings"), Crumb("item", path, label)),
                title=str(label),
                ranking=ranking,
                publisher=self.views.publisher(ranking),
                label=label,
                rows=tuple(rows),
            )
        self.add(
            self.urls.section(self.lang, "rankings"),
            "rankings.html",
            ("rankings",),
            ("home",),
            self.crumbs(self.section_crumb("rankings")),
            lists=tuple(lists),
            details={link.key: taxonomy.rankings[link.key] for link in lists},
            publishers={link.key: self.views.publisher(taxonomy.rankings[link.key]) for link in lists},
        )

    def compare(self) -> None:
        if not self.wants(("compare",)):
            return
        parks = self.site.parks(self.lang)
        columns = self.views.figure_kinds(parks)
        rows = []
        for park in parks:
            latest = self.views.latest_figures(park)
            rows.append((self.views.park_card(park), tuple(latest.get(column.key) for column in columns)))
        self.add(
            self.urls.section(self.lang, "compare"),
            "compare.html",
            ("compare",),
            ("parks",),
            self.crumbs(self.section_crumb("parks"), self.section_crumb("compare")),
            columns=columns,
            rows=tuple(rows),
            directory=self.urls.section(self.lang, "parks"),
        )

    def search(self) -> None:
        if not self.wants(("search",), ("search-index",)):
            return
        path = self.urls.section(self.lang, "search")
        # (document, a function making its Source): see SearchMemo.indexed
        items = [(park.prose[self.lang], functools.partial(self._park_source, path, park)) for park in self.site.parks(self.lang)]
        items += [(entry.doc, functools.partial(self._news_source, path, entry)) for entry in self.site.news(self.lang)]
        index_path = path.rsplit("/", 1)[0] + "/search-index.js"
        self.add(path, "search.html", ("search",), ("home",), self.crumbs(self.section_crumb("search")), documents=len(items))
        context = {
            "page_path": index_path,
            "docs": self.search_memo.indexed(self.language.locale, items),
            "locale": self.language.locale,
        }
        self.pages.append(Page(index_path, "search-index.js", self.lang, context, ("search-index",), in_sitemap=False))

    def _park_source(self, search_path: str, park) -> Source:
        facts, card = park.facts, self.views.park_card(park)
        names = {facts.name, facts.city, facts.province, facts.district or "", self.views.place_text(card.place)}
        labels = [*sorted(names), *(str(x.label) for x in card.levels + card.industries)]
        return self._search_doc(search_path, card.path, card.title, "park", "", card.summary, labels, park.prose[self.lang])

    def _news_source(self, search_path: str, entry) -> Source:
        card = self.views.news_card(entry)
        labels = [entry.doc.meta["source"]["name"], *(str(x.label) for x in card.parks + card.industries)]
        return self._search_doc(search_path, card.path, card.title, "news-item", card.released_text, card.summary, labels, entry.doc)

    def _search_doc(self, search_path: str, target: str, title: str, kind: str, date: str, summary: str, labels, doc) -> Source:
        return Source(
            url=relative(search_path, target),
            title=title,
            kind=self.views.message(kind),
            date=date,
            summary=summary,
            labels=" ".join(labels),
            body_key=doc.body_key,
            html=lambda: self.bodies.rendered(doc).html,  # only for a document not analysed before
        )

    def data_files(self) -> dict[str, str]:
        parks = self.urls.section(self.lang, "parks").rsplit("/", 1)[0]
        news = self.urls.section(self.lang, "news").rsplit("/", 1)[0]
        return {"parks.json": f"{parks}/parks.json", "parks.csv": f"{parks}/parks.csv", "news.json": f"{news}/news.json"}

    def open_data(self) -> None:
        if not self.wants(*(("data", name) for name in self.data_files())):
            return
        parks = self.site.parks(self.lang)
        records, latest = [], []
        for park in parks:
            card = self.views.park_card(park)
            url = self.urls.absolute(card.path)
            figures, rankings = self.views.figures(park), self.views.rankings(park)
            records.append(opendata.park_record(card, park.facts, figures, rankings, self.views.contact(park), url))
            latest.append(self.views.latest_figures(park))
        news = []
        for entry in self.site.news(self.lang):
            card, source = self.views.news_card(entry), entry.doc.meta["source"]
            news.append(opendata.news_record(card, source["name"], source["url"], self.urls.absolute(card.path)))
        kinds = [link.key for link in self.views.figure_kinds(parks)]
        files = self.data_files()
        for name, text in (
            ("parks.json", opendata.to_json(self.lang, "parks", records)),
            ("parks.csv", opendata.parks_csv(records, latest, kinds)),
            ("news.json", opendata.to_json(self.lang, "news", news)),
        ):
            self.pages.append(Page(files[name], "raw.txt", self.lang, {"body": text}, ("data", name), in_sitemap=False))

    def static_pages(self) -> None:
        for page in self.site.content.pages.values():
            doc = page.translations.get(self.lang)
            if doc is None or not self.wants(("page", page.key)):
                continue
            path = self.urls.static_page(self.lang, doc.meta["slug"] or page.key)
            self.add(
                path,
                "page.html",
                ("page", page.key),
                ("home",),
                self.crumbs(Crumb("item", path, doc.title)),
                source=doc.rel,
                title=doc.title,
                description=doc.meta["summary"] or "",
                body=self.body(doc, path),
            )

    def feed(self) -> None:
        if not self.wants(("feed",)):
            return
        entries = self.site.news(self.lang)[:50]
        self.pages.append(
            Page(
                self.urls.feed(self.lang),
                "feed.xml",
                self.lang,
                {"page_path": self.urls.feed(self.lang), "news": tuple(self.views.news_card(e) for e in entries), "crumbs": ()},
                ("feed",),
                in_sitemap=False,
            )
        )

    def menu(self) -> tuple[Crumb, ...]:
        items = [self.section_crumb(section) for section in ("parks", "news", "industries", "rankings", "compare", "search")]
        statics = []
        for page in self.site.content.pages.values():
            doc = page.translations.get(self.lang)
            if doc is not None and doc.meta["menu"] is not None:
                statics.append(
                    (doc.meta["menu"], page.key, Crumb("page", self.urls.static_page(self.lang, doc.meta["slug"] or page.key), doc.title))
                )
        return tuple(items + [crumb for _, _, crumb in sorted(statics)])


def _pager(number: int, paths: list[str]) -> dict:
    """What a list's page ``number`` links to: the pages before and after it, and a window of page numbers."""
    count = len(paths)
    return {
        "number": number,
        "count": count,
        "previous": paths[number - 2] if number > 1 else None,
        "next": paths[number] if number < count else None,
        "pages": tuple((n, paths[n - 1] if n else None) for n in page_window(number, count)),
    }


def page_window(number: int, count: int, around: int = PAGER_AROUND) -> list[int]:
    """The page numbers a pager on page ``number`` of ``count`` links to, 0 for a gap.

    The first and last pages and ``around`` pages either side of this one; a gap of a
    single page shows that page.  Linking every page made a list's pages grow with the
    news (2,000 links on each of 2,000 pages at 20,000 items).
    """
    shown = sorted({1, count, *range(max(1, number - around), min(count, number + around) + 1)})
    window: list[int] = []
    for n in shown:
        if window and n - window[-1] == 2:
            window.append(n - 1)
        elif window and n - window[-1] > 2:
            window.append(0)
        window.append(n)
    return window


def _places(parks, views) -> tuple[tuple[str, Named, bool], ...]:
    """Filter choices (value, label, is_city): each province, then its cities, named in the page's language
    (as the first park there names them); a park's value is 'province/city' in the neutral facts' names."""
    places = {}
    for park in sorted(parks, key=lambda p: p.key):
        places.setdefault((park.facts.province, park.facts.city), views.place(park))
    choices = []
    for province in sorted({province for province, _ in places}):
        first = next(place for (of, _), place in places.items() if of == province)
        choices.append((province, first.province, False))
        for city in sorted(city for of, city in places if of == province and city != province):
            choices.append((f"{province}/{city}", views.place_name(places[province, city], district=False), True))
    return tuple(choices)


def plan_site(
    config: Config,
    site: Site,
    urls: Urls,
    views: dict[str, Views],
    bodies: Bodies,
    problems: Problems,
    archive: bool = False,
    only: dict[str, frozenset[tuple]] | None = None,
    outline: list[Slot] | None = None,
    search_memo: SearchMemo | None = None,
) -> list[Page]:
    """All pages of all languages plus the root files, with translations linked up.

    ``archive``: the build also writes the offline archive, so every page links to it.
    ``search_memo``: documents analysed for the search index by earlier builds.
    ``only`` and ``outline``: plan just the pages of these idents per language, given
    every page of the site as it was (which pages exist is unchanged, so the root files
    and the links between translations are too).
    """
    by_lang: dict[str, list[Page]] = {}
    menus = {}
    search_memo = search_memo or SearchMemo()
    for language in config.languages:
        wanted = None if only is None else only.get(language.code, frozenset())
        planner = LanguagePlanner(config, language, site, urls, views[language.code], bodies, wanted, search_memo)
        by_lang[language.code] = planner.plan() if wanted is None or wanted else []  # an edit in one language leaves the others be
        menus[language.code] = planner.menu()
    where: dict[tuple, dict[str, str]] = {}
    parent_of: dict[tuple, tuple | None] = {}
    for slot in outline if outline is not None else (page for pages in by_lang.values() for page in pages):
        if slot.lang is not None:
            where.setdefault(slot.ident, {})[slot.lang] = slot.path
            parent_of.setdefault(slot.ident, slot.parent)
    pages = []
    for language in config.languages:
        for page in by_lang[language.code]:
            context = dict(page.context)
            context.update(
                language=language,
                menu=menus[language.code],
                alternates=_alternates(page, config, where, parent_of),
                canonical=urls.absolute(page.path),
                default_language=config.default_language,
                x_default=x_default(page.ident, where[page.ident], config),
                share_image=page.context.get("image") or config.image or SHARE_FALLBACK,
            )
            context["outdated_notice"] = _outdated_notice(config, site, page, where) if config.outdated_notice else None
            context["original"] = _original(config, site, page, where)
            if page.template.endswith(".html"):
                context["jsonld"] = jsonld.for_page(page.template, context, urls)
                context["offline_archive"] = urls.archive() if archive else None
            pages.append(replace(page, context=context))
    if outline is None:
        pages += _root_pages(config, urls, pages, where, views)
        _check_collisions(pages, problems)
    return pages


def x_default(ident: tuple, translations: dict[str, str], config: Config) -> str | None:
    """Where a visitor whose language the site lacks is sent, for the HTML and the sitemap alike:
    from a home page, the root page that picks a language; else the default language's version."""
    return CHOOSER if ident == ("home",) else translations.get(config.default_language)


ITEM_SECTIONS = {"news-item": "news", "park": "parks", "page": "pages"}  # the ident of an item's page -> its section


def _item_docs(site, page: Page) -> dict | None:
    """The translations of the item a page shows (news item, park, page), by language; None for other pages."""
    section = ITEM_SECTIONS.get(page.ident[0])
    if section is None or page.lang is None:
        return None
    item = getattr(site.content, section).get(page.ident[1])
    return item.prose if section == "parks" else item.translations


def _outdated_notice(config: Config, site, page: Page, where: dict) -> dict | None:
    """What an outdated translation's page says: the source's language, page and date of change."""
    docs = _item_docs(site, page)
    if docs is None:
        return None
    source = source_of(docs, config.default_language)
    doc = docs.get(page.lang)
    if doc is None or doc is source or state(doc, source).status != OUTDATED or source.lang not in where[page.ident]:
        return None
    language = Locale.parse(config.language(page.lang).locale.replace("-", "_")).languages.get(source.lang, source.lang)
    return {"language": language, "path": where[page.ident][source.lang], "updated": source.meta.get("updated")}


def _original(config: Config, site, page: Page, where: dict) -> dict | None:
    """Which of an item's pages is the original and which are translations (JSON-LD says so):
    {"source": the original's path, or None on the original's own page; "translations": the others' paths}."""
    docs = _item_docs(site, page)
    if docs is None:
        return None
    source = source_of(docs, config.default_language)
    pages = where[page.ident]
    translations = [pages[lang] for lang in pages if lang != source.lang and lang in docs]
    if source.lang not in pages or not translations:
        return None
    return {"source": None if page.lang == source.lang else pages[source.lang], "translations": translations}


def _alternates(page: Page, config: Config, where: dict, parent_of: dict) -> tuple[Alternate, ...]:
    result = []
    for language in config.languages:
        ident, exists = page.ident, True
        while ident is not None and language.code not in where.get(ident, {}):
            ident, exists = parent_of.get(ident), False
        path = where[ident][language.code] if ident is not None else f"{language.code}/index.html"
        result.append(Alternate(language.code, language.hreflang, language.name, path, exists, language.direction, language.og_locale))
    return tuple(result)


def _root_pages(config: Config, urls: Urls, pages: list[Page], where: dict, views: dict[str, Views]) -> list[Page]:
    languages = config.languages
    home = {lang.code: urls.home(lang.code) for lang in languages}
    chooser = {
        "page_path": CHOOSER,
        "languages": languages,
        "homes": home,
        "language_words": _language_words(languages, views),
        "redirects": [(language.hreflang, home[language.code]) for language in languages],
        "default_language": config.default_language,
        "canonical": urls.absolute(CHOOSER),
        "jsonld": jsonld.for_chooser(config, urls),
        "description": config.language(config.default_language).summary,
        "share_image": config.image or SHARE_FALLBACK,
    }
    entries = []
    for page in pages:
        if not page.in_sitemap or page.lang is None:
            continue
        translations = where.get(page.ident, {})
        alternates = tuple((config.language(code).hreflang, urls.absolute(path)) for code, path in translations.items())
        default = x_default(page.ident, translations, config)
        entries.append((urls.absolute(page.path), alternates, urls.absolute(default) if default else None))
    # The chooser is the homes' x-default, so it is listed too, with them as its alternates.
    homes = tuple((language.hreflang, urls.absolute(path)) for language, path in zip(languages, home.values(), strict=True))
    entries.insert(0, (urls.absolute(CHOOSER), homes, urls.absolute(CHOOSER)))
    not_found = {
        "page_path": "404.html",
        "languages": languages,
        "homes": home,
        "searches": {lang.code: urls.section(lang.code, "search") for lang in languages},
        # The same words as each language's own 404 page: a host shows this one where it has no other.
        "not_found": {lang.code: views[lang.code].message("not-found") for lang in languages},
        "search": {lang.code: views[lang.code].section_label("search") for lang in languages},
        "base_path": urls.base_path,
        "default_language": config.default_language,
    }
    return [
        Page(CHOOSER, "chooser.html", None, chooser, ("chooser",)),
        Page("404.html", "root_404.html", None, not_found, ("root-404",), in_sitemap=False),
        Page("sitemap.xml", "sitemap.xml", None, {"page_path": "sitemap.xml", "entries": tuple(entries)}, ("sitemap",), in_sitemap=False),
        Page(
            "robots.txt",
            "robots.txt",
            None,
            {"page_path": "robots.txt", "sitemap": urls.absolute("sitemap.xml")},
            ("robots",),
            in_sitemap=False,
        ),
    ]


class Word(NamedTuple):
    text: str
    lang: str  # BCP 47, for the element's lang
    direction: str


def _language_words(languages: tuple[Language, ...], views: dict[str, Views]) -> tuple[Word, ...]:
    """The word "Language" in each configured language, once each: the chooser's name for itself.
    A language without a translation of it would repeat the English word under its own lang."""
    words: dict[str, Word] = {}
    for language in languages:
        text = views[language.code].message("language")
        if text == MESSAGES["language"] and language.hreflang.split("-")[0].lower() != "en":
            words.setdefault(text, Word(text, "en", "ltr"))
        else:
            words.setdefault(text, Word(text, language.hreflang, language.direction))
    return tuple(words.values())


def _check_collisions(pages: list[Page], problems: Problems) -> None:
    """Two pages on one path would silently overwrite each other: name both sources."""
    seen: dict[str, Page] = {}
    for page in pages:
        other = seen.get(page.path)
        if other is None:
            seen[page.path] = page
            continue
        first = other.source or f"the generated {other.template.removesuffix('.html')} page"
        second = page.source or f"the generated {page.template.removesuffix('.html')} page"
        problems.error(
            page.source or first,
            1,
            f"output {page.path} is also produced by {first if page.source else second}; give one of them another slug",
        )
