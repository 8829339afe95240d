"""Queries over the content, per language: orderings, neighbours, related items.

Built once per build from :class:`Content`; pure and side-effect free.
"""

from __future__ import annotations

import copy
import heapq
from collections import defaultdict
from typing import NamedTuple

from parkpress.content.model import Content, Document, NewsItem, Park


class NewsEntry(NamedTuple):
    """One news item in one language, with its URL slug (a named tuple: a large site makes
    ten thousand of them every build)."""

    item: NewsItem
    doc: Document
    slug: str

    @property
    def key(self) -> str:
        return self.item.key


class Site:
    def __init__(self, content: Content, languages: tuple[str, ...]):
        self.content = content
        self.languages = languages
        self._news = {lang: self._sorted_news(lang) for lang in languages}
        self._position = {lang: {e.key: i for i, e in enumerate(entries)} for lang, entries in self._news.items()}
        self._related = {lang: _RelatedIndex(entries) for lang, entries in self._news.items()}
        self._about_park: dict[str, dict[str, list[NewsEntry]]] = {}
        self._outline: dict[tuple, list] = {}  # what depends only on the outline, once asked (kept by with_content)

    def with_content(self, content: Content, changed: set[str]) -> Site:
        """This site with ``content``, which differs from its own only in the texts and card fields
        of the news items with keys in ``changed``: the order of the news, neighbours and related
        items depend on none of them, so they are kept."""
        site = copy.copy(self)
        site.content = content
        site._news = {lang: list(entries) for lang, entries in self._news.items()}
        for lang, entries in site._news.items():
            for key in changed:
                position = self._position[lang].get(key)
                if position is not None:
                    entry = entries[position]
                    item = content.news[key]
                    entries[position] = NewsEntry(item, item.translations[lang], entry.slug)
        site._about_park = {}
        return site

    def _sorted_news(self, lang: str) -> list[NewsEntry]:
        entries = [
            NewsEntry(item, item.translations[lang], item.translations[lang].meta["slug"] or item.key)
            for item in self.content.news.values()
            if lang in item.translations
        ]
        # Newest first; the key breaks ties so the order never depends on the file system.
        return sorted(entries, key=lambda e: (-e.doc.meta["date"].timestamp(), e.key))

    def news(self, lang: str) -> list[NewsEntry]:
        return self._news[lang]

    def news_entry(self, key: str, lang: str) -> NewsEntry | None:
        index = self._position[lang].get(key)
        return None if index is None else self._news[lang][index]

    def neighbours(self, key: str, lang: str) -> tuple[NewsEntry | None, NewsEntry | None]:
        """(older, newer) items in the same language."""
        entries, index = self._news[lang], self._position[lang][key]
        older = entries[index + 1] if index + 1 < len(entries) else None
        newer = entries[index - 1] if index > 0 else None
        return older, newer

    def related(self, key: str, lang: str, limit: int = 4) -> list[NewsEntry]:
        """Items sharing parks or industries, most shared first, then newest first.

        A shared park counts twice, a shared industry once.
        """
        entries = self._news[lang]
        return [entries[i] for i in self._related[lang].related(self._position[lang][key], limit)]

    def news_about_park(self, park: str, lang: str) -> list[NewsEntry]:
        by_park = self._about_park.get(lang)
        if by_park is None:  # one pass over the news, not one per park
            by_park = self._about_park[lang] = {}
            for entry in self._news[lang]:
                for key in entry.doc.meta["parks"]:
                    by_park.setdefault(key, []).append(entry)
        return list(by_park.get(park, ()))

    def news_about_industry(self, industry: str, lang: str) -> list[NewsEntry]:
        return [e for e in self._news[lang] if industry in e.doc.meta["industries"]]

    def news_years(self, lang: str) -> list[int]:
        found = self._outline.get(("years", lang))
        if found is None:
            found = self._outline["years", lang] = sorted({e.doc.meta["date"].year for e in self._news[lang]}, reverse=True)
        return found

    def parks(self, lang: str) -> list[Park]:
        """Parks with prose in ``lang``, by their title in that language."""
        found = [p for p in self.content.parks.values() if lang in p.prose]
        return sorted(found, key=lambda p: (p.prose[lang].title.casefold(), p.key))

    def parks_in_industry(self, industry: str, lang: str) -> list[Park]:
        return [p for p in self.parks(lang) if industry in p.facts.industries]

    def industries_used(self) -> list[str]:
        """Industry keys that at least one park or news item uses, in taxonomy order."""
        found = self._outline.get(("industries",))
        if found is None:
            used = {i for p in self.content.parks.values() for i in p.facts.industries}
            used |= {i for n in self.content.news.values() for d in n.translations.values() for i in d.meta["industries"]}
            found = self._outline["industries",] = [key for key in self.content.taxonomy.industries if key in used]
        return found

    def rankings_used(self) -> list[str]:
        used = {r.list for p in self.content.parks.values() for r in p.facts.rankings}
        return [key for key in self.content.taxonomy.rankings if key in used]

    def missing_translations(self) -> dict[str, list[str]]:
        """lang -> content files that exist in another language but not in this one."""
        missing: dict[str, list[str]] = {lang: [] for lang in self.languages}
        groups = [("news", self.content.news.values()), ("pages", self.content.pages.values())]
        for section, items in groups:
            for item in items:
                for lang in self.languages:
                    if lang not in item.translations:
                        missing[lang].append(f"content/{section}/{item.key}.{lang}.md")
        for park in self.content.parks.values():
            for lang in self.languages:
                if lang not in park.prose:
                    missing[lang].append(f"content/parks/{park.key}.{lang}.md")
        return missing


class _RelatedIndex:
    """Finds related items without comparing every item with every other one.

    Comparing all pairs made large sites quadratic (3,000 items: 27 million
    comparisons), and so did scoring every item of a shared park (20,000 items
    over 50 parks: 400 an item).  Items are grouped by their parks and their set
    of industries (a bit mask): every item of a group scores the same against a
    given item, and items are newest first, so a group's first ``limit`` items are
    its only chances.  Groups that share a park are few per park; groups that share
    only industries are looked at only while their overlap can reach the current top.
    """

    def __init__(self, entries: list[NewsEntry]):
        bits: dict[str, int] = {}
        self.masks: list[int] = []
        self.parks: list[frozenset[str]] = []
        groups: dict[tuple[frozenset[str], int], list[int]] = defaultdict(list)
        self.by_mask: dict[int, list[int]] = defaultdict(list)
        for position, entry in enumerate(entries):
            mask = 0
            for industry in entry.doc.meta["industries"]:
                mask |= 1 << bits.setdefault(industry, len(bits))
            parks = frozenset(entry.doc.meta["parks"])
            self.masks.append(mask)
            self.parks.append(parks)
            self.by_mask[mask].append(position)
            groups[parks, mask].append(position)
        self.by_park: dict[str, list[tuple[frozenset[str], int, list[int]]]] = defaultdict(list)
        for (parks, mask), positions in groups.items():
            for park in parks:
                self.by_park[park].append((parks, mask, positions))
        self._levels: dict[int, list[tuple[int, list[list[int]]]]] = {}

    def levels(self, query: int) -> list[tuple[int, list[list[int]]]]:
        """(shared industries, groups of positions) for every group that shares any, most shared first."""
        found = self._levels.get(query)
        if found is None:
            by_overlap: dict[int, list[list[int]]] = defaultdict(list)
            for mask, positions in self.by_mask.items():
                overlap = (mask & query).bit_count()
                if overlap:
                    by_overlap[overlap].append(positions)
            found = self._levels[query] = sorted(by_overlap.items(), reverse=True)
        return found

    def related(self, item: int, limit: int) -> list[int]:
        query, parks = self.masks[item], self.parks[item]
        best: list[tuple[int, int]] = []
        seen: set[tuple[frozenset[str], int]] = set()
        for park in parks:
            for group_parks, mask, positions in self.by_park[park]:
                if (group_parks, mask) in seen:  # a group of several parks is listed under each
                    continue
                seen.add((group_parks, mask))
                score = 2 * len(parks & group_parks) + (mask & query).bit_count()
                best.extend((-score, position) for position in _firsts(positions, item, limit))
        best = heapq.nsmallest(limit, best)
        # Items sharing no park score their shared industries only; a group whose
        # overlap is below the current limit-th score cannot place.
        floor = -best[-1][0] if len(best) == limit else 1
        for overlap, groups in self.levels(query):
            if overlap < floor:
                break
            for positions in groups:
                taken = 0
                for position in positions:
                    if position == item or not parks.isdisjoint(self.parks[position]):
                        continue  # scored above, with its parks
                    best.append((-overlap, position))
                    taken += 1
                    if taken == limit:
                        break
        return [position for _, position in sorted(best)[:limit]]


def _firsts(positions: list[int], item: int, limit: int) -> list[int]:
    """The first ``limit`` of ``positions`` other than ``item``."""
    firsts = positions[: limit + 1]
    if item in firsts:
        firsts.remove(item)
    return firsts[:limit]
