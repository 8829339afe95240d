"""The content model: plain, frozen objects that the readers produce.

Nothing here reads files or knows about URLs or templates.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import posixpath
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property

# Front matter that only the item's own page and its card (views.NewsCard, ParkCard) show;
# the rest decides which pages exist and what they list: the site's outline (replan.py).
CARD_FIELDS = {"news": frozenset({"title", "summary", "source"}), "parks": frozenset({"summary"}), "pages": frozenset()}


def _digest(value: object) -> bytes:
    # repr rather than pickle: cheaper, and as exact for front matter (strings, numbers, dates, lists, dicts);
    # a value without a stable repr would only make a document look changed, never unchanged
    return hashlib.blake2b(repr(value).encode(), digest_size=16).digest()


@dataclass(frozen=True)
class Document:
    """One Markdown file in one language: typed front matter plus the Markdown body."""

    section: str  # news | parks | pages
    key: str  # shared by the translations of one item
    lang: str
    meta: dict
    body: str
    rel: str  # path relative to the project, for messages
    lines: dict = field(default_factory=dict, compare=False)  # meta field -> line
    body_line: int = 1

    def line(self, name: str) -> int:
        return self.lines.get(name, 1)

    # Pickled, the body is UTF-8 bytes, decoded only when first asked for: a large site's build
    # unpickles every document from the cache, and an edit's build needs almost none of the
    # bodies (their HTML and search terms are cached too); decoding them was a fifth of that.
    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        if "body" in state:
            state["_body"] = state.pop("body").encode()
        return state

    def __getattr__(self, name: str):  # called only for what the instance's __dict__ lacks
        if name == "body" and "_body" in self.__dict__:
            body = self.__dict__["body"] = self.__dict__.pop("_body").decode()
            return body
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    @property
    def title(self) -> str:
        return self.meta["title"]

    @property
    def base_dir(self) -> str:
        """The source's folder relative to content/: relative links in its body start there."""
        return posixpath.dirname(self.rel.removeprefix("content/"))

    @cached_property  # a build asks for it several times per document; hashing a body is not free
    def body_key(self) -> str:
        """What the rendered body depends on: its text and the folder its links start from."""
        return hashlib.blake2b(f"{self.base_dir}\0{self.body}".encode(), digest_size=16).hexdigest()

    # The two digests below are kept with the parsed document in the build cache (cached
    # properties are pickled with it), so a build does not hash every file's front matter again.

    @cached_property
    def meta_digest(self) -> bytes:
        """The front matter and where the body starts."""
        return _digest((self.meta, self.body_line))

    @cached_property
    def outline_digest(self) -> bytes:
        """What the file gives the site's outline: its place and all its front matter but the card fields."""
        card = CARD_FIELDS[self.section]
        return _digest((self.section, self.key, self.lang, {name: value for name, value in self.meta.items() if name not in card}))


@dataclass(frozen=True)
class Figure:
    kind: str
    year: int
    value: float | None = None
    unit: str = "count"
    amount: float | None = None
    currency: str | None = None
    source: str | None = None
    target: bool = False
    share: bool = False  # a percentage that is a part of a whole (0-100), drawn as a share chart

    @property
    def is_money(self) -> bool:
        return self.amount is not None

    @property
    def number(self) -> float:
        return self.amount if self.is_money else self.value


@dataclass(frozen=True)
class RankingEntry:
    list: str
    year: int
    rank: int


@dataclass(frozen=True)
class Contact:
    office: str | None = None
    address: str | None = None
    phone: str | None = None
    email: str | None = None


@dataclass(frozen=True)
class ParkFacts:
    """A park's language-neutral facts, written once in parks/<key>.yaml."""

    key: str
    name: str
    levels: tuple[str, ...]
    province: str
    city: str
    founded: int | None
    industries: tuple[str, ...]
    figures: tuple[Figure, ...] = ()
    rankings: tuple[RankingEntry, ...] = ()
    district: str | None = None
    area_km2: float | None = None
    contact: Contact | None = None
    rel: str = ""
    lines: dict = field(default_factory=dict, compare=False)

    def latest(self, kind: str) -> Figure | None:
        """The figure of ``kind`` that stands for the park today: the latest result, else the latest target."""
        found = [f for f in self.figures if f.kind == kind]
        return max(found, key=lambda f: (not f.target, f.year)) if found else None


@dataclass(frozen=True)
class Edition:
    year: int
    evaluated: int | None = None
    indicators: int | None = None
    dimensions: int | None = None


@dataclass(frozen=True)
class RankingList:
    key: str
    label: str
    publisher: str
    editions: tuple[Edition, ...] = ()

    def edition(self, year: int) -> Edition | None:
        return next((e for e in self.editions if e.year == year), None)


@dataclass(frozen=True)
class Taxonomy:
    """Industries, park levels, figure kinds and ranking lists, with English labels (msgids)."""

    industries: dict[str, str]
    levels: dict[str, str]
    figures: dict[str, str]
    rankings: dict[str, RankingList]
    rel: str = ""

    def labels(self) -> list[str]:
        """Every translatable label, for the message catalog."""
        found = [*self.industries.values(), *self.levels.values(), *self.figures.values()]
        found += [ranking.label for ranking in self.rankings.values()]
        return found


@dataclass(frozen=True)
class Park:
    facts: ParkFacts
    prose: dict[str, Document]  # lang -> Document

    @property
    def key(self) -> str:
        return self.facts.key


@dataclass(frozen=True)
class NewsItem:
    key: str
    translations: dict[str, Document]  # lang -> Document


@dataclass(frozen=True)
class StaticPage:
    key: str
    translations: dict[str, Document]


@dataclass(frozen=True)
class Content:
    """Everything read from content/, before any page is planned."""

    taxonomy: Taxonomy
    parks: dict[str, Park]
    news: dict[str, NewsItem]
    pages: dict[str, StaticPage]
    assets: dict[str, str] = field(default_factory=dict)  # content-relative path -> absolute path

    def documents(self) -> Iterator[Document]:
        """Every Markdown file's document: park prose, news items, static pages."""
        for park in self.parks.values():
            yield from park.prose.values()
        for items in (self.news, self.pages):
            for item in items.values():
                yield from item.translations.values()

    def with_documents(self, docs: list[Document]) -> Content:
        """This content with ``docs`` in place of the documents of the same section, key and language."""
        news, parks, pages = dict(self.news), dict(self.parks), dict(self.pages)
        for doc in docs:
            if doc.section == "news":
                news[doc.key] = NewsItem(doc.key, {**news[doc.key].translations, doc.lang: doc})
            elif doc.section == "parks":
                parks[doc.key] = Park(parks[doc.key].facts, {**parks[doc.key].prose, doc.lang: doc})
            else:
                pages[doc.key] = StaticPage(doc.key, {**pages[doc.key].translations, doc.lang: doc})
        return dataclasses.replace(self, news=news, parks=parks, pages=pages)

    def release_time(self, item: NewsItem, lang: str) -> dt.datetime:
        return item.translations[lang].meta["date"]
