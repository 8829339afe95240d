"""Queries over the content, per language: orderings, neighbours, related items.

Built once per build from :class:`Content`; pure and side-effect free.
"""

from __future__ import annotations

from dataclasses import dataclass

from parkpress.model import Content, Document, NewsItem, Park


@dataclass(frozen=True)
class NewsEntry:
    """One news item in one language, with its URL slug."""

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
        """Items sharing parks or industries, most shared first, then newest first."""
        doc = self.news_entry(key, lang).doc
        parks, industries = set(doc.meta["parks"]), set(doc.meta["industries"])
        scored = []
        for position, entry in enumerate(self._news[lang]):
            if entry.key == key:
                continue
            shared = 2 * len(parks & set(entry.doc.meta["parks"])) + len(industries & set(entry.doc.meta["industries"]))
            if shared:
                scored.append((-shared, position, entry))
        return [entry for _, _, entry in sorted(scored, key=lambda t: t[:2])[:limit]]

    def news_about_park(self, park: str, lang: str) -> list[NewsEntry]:
        return [e for e in self._news[lang] if park in e.doc.meta["parks"]]

    def news_about_industry(self, industry: str, lang: str) -> list[NewsEntry]:
        return [e for e in self._news[lang] if industry in e.doc.meta["industries"]]

    def news_years(self, lang: str) -> list[int]:
        return sorted({e.doc.meta["date"].year for e in self._news[lang]}, reverse=True)

    def parks(self, lang: str) -> list[Park]:
        """Parks with prose in ``lang``, by their title in that language."""
        found = [p for p in self.content.parks.values() if lang in p.prose]
        return sorted(found, key=lambda p: (p.prose[lang].title.casefold(), p.key))

    def parks_in_industry(self, industry: str, lang: str) -> list[Park]:
        return [p for p in self.parks(lang) if industry in p.facts.industries]

    def industries_used(self) -> list[str]:
        """Industry keys that at least one park or news item uses, in taxonomy order."""
        used = {i for p in self.content.parks.values() for i in p.facts.industries}
        used |= {i for n in self.content.news.values() for d in n.translations.values() for i in d.meta["industries"]}
        return [key for key in self.content.taxonomy.industries if key in used]

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
