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
from collections import Counter, defaultdict
from dataclasses import dataclass
from html import unescape
from operator import itemgetter

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
        cache = self._cache
        for word in WORD.findall(text.lower()):
            pair = cache.get(word)
            if pair is None:
                if len(word) < 2 or (word.isdigit() and len(word) < 4):
                    pair = cache[word] = ("", "")  # single letters and small numbers only add noise
                else:
                    stem = self._stemmer.stemWord(word) if self._stemmer else word
                    pair = cache[word] = (fold(word), fold(stem))
            if pair[1]:
                found.append(pair)
        return found


def build_index(docs: list[SearchDoc], analyzer: Analyzer) -> dict:
    """The index as plain data; equal input gives byte-equal output."""
    weights: dict[str, dict[int, int]] = defaultdict(dict)
    forms: dict[str, set[str]] = defaultdict(set)
    for number, doc in enumerate(docs):
        found: dict[str, int] = {}
        for text, weight in ((doc.title, TITLE), (doc.summary, SUMMARY), (doc.labels, LABELS)):
            pairs = analyzer.terms(text)
            for form, stem in pairs:
                forms[form].add(stem)
            for stem in {stem for _, stem in pairs}:  # a title word counts once, however often it is repeated
                found[stem] = found.get(stem, 0) + weight
        pairs = analyzer.terms(doc.body)
        for form, stem in set(pairs):
            forms[form].add(stem)
        for stem, count in Counter(map(itemgetter(1), pairs)).items():
            found[stem] = found.get(stem, 0) + min(count, BODY_CAP) * BODY
        for stem, weight in found.items():
            weights[stem][number] = weight
    _drop_common_body_words(weights, len(docs))
    stems = sorted(weights)
    position = {stem: i for i, stem in enumerate(stems)}
    return {
        "compounds": analyzer.compounds,
        "docs": [[d.url, d.title, d.kind, d.date, d.summary] for d in docs],
        "stems": stems,
        "postings": [_encode(weights[stem]) for stem in stems],
        # A form that is its own stem needs no entry: the browser tries the stems list too.
        "forms": {
            form: sorted(position[s] for s in targets)
            for form, targets in sorted(forms.items())
            if targets != {form} or form not in position
        },
    }


COMMON = 0.5  # a word in more than half of the documents ...
COMMON_FROM = 50  # ... of a site this large tells little where it is only in the body


def _drop_common_body_words(weights: dict[str, dict[int, int]], count: int) -> None:
    """Keep such words only where a title, summary or label has them: that halves a large index."""
    if count < COMMON_FROM:
        return
    for stem, postings in weights.items():
        if len(postings) > COMMON * count:
            kept = {doc: weight for doc, weight in postings.items() if weight > BODY_CAP * BODY}
            if kept:
                weights[stem] = kept


def _encode(postings: dict[int, int]) -> str:
    """'3,1:a,2': document numbers as gaps from the previous one, ':weight' where it is not 1, base 36."""
    parts, previous = [], 0
    for doc in sorted(postings):
        gap, weight = _base36(doc - previous), postings[doc]
        parts.append(gap if weight == 1 else f"{gap}:{_base36(weight)}")
        previous = doc
    return ",".join(parts)


_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
_SMALL = [a + b for a in ("", *_DIGITS[1:]) for b in _DIGITS]  # 0 .. 36*36-1, the gaps and weights nearly all are


def _base36(number: int) -> str:
    if number < len(_SMALL):
        return _SMALL[number]
    text = ""
    while number:
        number, digit = divmod(number, 36)
        text = _DIGITS[digit] + text
    return text


def index_script_for(docs: tuple[SearchDoc, ...], locale: str) -> str:
    """The template filter behind search-index.js: computed when the page is rendered, so a build
    that finds the page's context unchanged skips it like any other page."""
    return index_script(build_index(list(docs), Analyzer(locale)))


def index_script(index: dict) -> str:
    """The index as a classic script; '<' is escaped so the text can never close a tag."""
    data = json.dumps(index, ensure_ascii=False, separators=(",", ":"), sort_keys=True).replace("<", "\\u003c")
    return f"window.parkpressSearch = {data};\n"


_TAG = re.compile(r"<[^>]*>")


def plain_text(html: str) -> str:
    """The words of rendered HTML, for indexing (our own renderer's output: no comments or scripts)."""
    return " ".join(unescape(_TAG.sub(" ", html)).split())
