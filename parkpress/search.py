"""The per-language search index: words reduced to their stems at build time.

Stemming uses the Snowball stemmers (the ``snowballstemmer`` package), so
"Unternehmens" and "Unternehmen" share one stem, and accents are folded after
stemming, so "biomedecine" meets "biomédecine".  The browser never stems: the
index carries a table from every word form of the corpus to its stem, and
static/search.js only folds case and accents, looks the query's words up in
that table and falls back to prefix and (for compounding languages) infix
matches over the stems.  Build and browser therefore cannot disagree.

The index is written as a classic script (``window.parkpressSearch = …``)
because ``file://`` pages may load scripts but not fetch JSON.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from html.parser import HTMLParser

import snowballstemmer
from babel import Locale

# Languages that write compounds as one word: a query also finds stems that contain it.
COMPOUNDING = {"german", "dutch", "swedish", "danish", "norwegian", "finnish", "icelandic"}
WORD = re.compile(r"\w+", re.UNICODE)
TITLE, SUMMARY, LABELS, BODY = 10, 4, 3, 1
BODY_CAP = 5  # a word repeated in the body stops adding weight after this many times


@dataclass(frozen=True)
class SearchDoc:
    url: str  # relative to the search page
    title: str
    kind: str  # "Park" / "Nachricht", as the reader sees it
    date: str  # formatted release date; "" for parks
    summary: str
    labels: str  # industries, places, sources: words worth more than body text
    body: str  # plain text


def fold(word: str) -> str:
    """Lowercase without accents: 'Biomédecine' -> 'biomedecine', 'Straße' -> 'strasse'.

    static/search.js does exactly this to the query (NFD, drop combining marks, ß -> ss).
    """
    decomposed = unicodedata.normalize("NFD", word.lower().replace("ß", "ss"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


class Analyzer:
    """Turns text into (folded word form, folded stem) pairs for one language."""

    def __init__(self, locale: str):
        name = Locale.parse(locale).get_language_name("en").lower()
        self.algorithm = name if name in snowballstemmer.algorithms() else None
        self._stemmer = snowballstemmer.stemmer(self.algorithm) if self.algorithm else None
        self.compounds = name in COMPOUNDING
        self._cache: dict[str, tuple[str, str]] = {}

    def terms(self, text: str) -> list[tuple[str, str]]:
        found = []
        for match in WORD.finditer(text):
            word = match.group().lower()
            if len(word) < 2 or (word.isdigit() and len(word) < 4):
                continue  # single letters and small numbers only add noise
            pair = self._cache.get(word)
            if pair is None:
                stem = self._stemmer.stemWord(word) if self._stemmer else word
                pair = self._cache[word] = (fold(word), fold(stem))
            found.append(pair)
        return found


def build_index(docs: list[SearchDoc], analyzer: Analyzer) -> dict:
    """The index as plain data; equal input gives byte-equal output."""
    weights: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    forms: dict[str, set[str]] = defaultdict(set)
    for number, doc in enumerate(docs):
        body_counts: dict[str, int] = defaultdict(int)
        fields = ((doc.title, TITLE), (doc.summary, SUMMARY), (doc.labels, LABELS), (doc.body, BODY))
        for text, weight in fields:
            seen = set()
            for form, stem in analyzer.terms(text):
                forms[form].add(stem)
                if weight == BODY:
                    body_counts[stem] += 1
                    if body_counts[stem] <= BODY_CAP:
                        weights[stem][number] += BODY
                elif stem not in seen:  # a title word counts once, however often it is repeated
                    seen.add(stem)
                    weights[stem][number] += weight
    stems = sorted(weights)
    position = {stem: i for i, stem in enumerate(stems)}
    return {
        "compounds": analyzer.compounds,
        "docs": [[d.url, d.title, d.kind, d.date, d.summary] for d in docs],
        "stems": stems,
        "postings": [[n for doc, w in sorted(weights[stem].items()) for n in (doc, w)] for stem in stems],
        # A form that is its own stem needs no entry: the browser tries the stems list too.
        "forms": {
            form: sorted(position[s] for s in targets)
            for form, targets in sorted(forms.items())
            if targets != {form} or form not in position
        },
    }


def index_script(index: dict) -> str:
    """The index as a classic script; '<' is escaped so the text can never close a tag."""
    data = json.dumps(index, ensure_ascii=False, separators=(",", ":"), sort_keys=True).replace("<", "\\u003c")
    return f"window.parkpressSearch = {data};\n"


class _TextOnly(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def plain_text(html: str) -> str:
    """The words of rendered HTML, for indexing."""
    parser = _TextOnly()
    parser.feed(html)
    parser.close()
    return " ".join(" ".join(parser.parts).split())
