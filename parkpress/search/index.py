"""The per-language search index: words reduced to their stems at build time.

Scripts written without spaces between words (Han, Hiragana, Katakana, Hangul, Thai) have no
words to stem: a run of their characters is indexed as its overlapping character bigrams
("医药园区" -> 医药 药园 园区), as Pagefind and Lucene's CJKAnalyzer do, plus its single
characters so that a one-character query finds it; the browser cuts a query the same way.

Stemming uses the Snowball stemmers (the ``snowballstemmer`` package, in C through PyStemmer), so
"Unternehmens" and "Unternehmen" share one stem, and accents are folded after
stemming, so "biomedecine" meets "biomédecine".  The browser never stems: the
index carries a table from every word form of the corpus to its stem, and
static/search.js only folds case and accents, looks the query's words up in
that table and falls back to prefix and (for compounding languages) infix
matches over the stems.  Build and browser therefore cannot disagree.

Building the index has two steps.  Each document is analysed on its own
(``analyse``: its stems with their weights, and its word forms); that is where
the time goes, and it depends only on the document's own text, so ``SearchMemo``
keeps it between builds and an edit analyses only the edited document.  The
analyses are then merged (``merge``): document numbers, postings, the form table.

The index is written as a classic script (``window.parkpressSearch = …``)
because ``file://`` pages may load scripts but not fetch JSON.
"""

from __future__ import annotations

import functools
import hashlib
import json
import marshal
import re
import unicodedata
from array import array
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import unescape
from itertools import chain, compress, repeat
from operator import add, sub

import snowballstemmer
from babel import Locale

from parkpress.content.model import Document
from parkpress.core import gcpause, parallel, sealed

# Languages that write compounds as one word: a query also finds stems that contain it.
COMPOUNDING = {"german", "dutch", "swedish", "danish", "norwegian", "finnish", "icelandic"}
WORD = re.compile(r"\w+", re.UNICODE)
# Han (with its iteration marks and the supplementary planes), kana, Hangul and Thai; the same
# ranges are in static/search.js.  A run of them is one token, marks included (Thai vowel signs
# and the kana voicing marks are not \w), then cut into bigrams and characters (``tokens``).
SPACELESS = (
    "\u0e00-\u0e7f\u1100-\u11ff\u3005-\u3007\u3040-\u30ff\u3130-\u318f\u31f0-\u31ff"
    "\u3400-\u4dbf\u4e00-\u9fff\ua960-\ua97f\uac00-\ud7ff\uf900-\ufaff\uff66-\uff9f\U00020000-\U0003134f"
)
_HAS_SPACELESS = re.compile(f"[{SPACELESS}]")
_TOKEN = re.compile(f"[{SPACELESS}]+|(?:(?![{SPACELESS}])\\w)+")
TITLE, SUMMARY, LABELS, BODY = 10, 4, 3, 1
BODY_CAP = 5  # a word repeated in the body stops adding weight after this many times

# Part of every SearchMemo key: raise it whenever ``analyse`` or the format of its result changes,
# so no build merges an analysis made by other code.  Which stemmers run and Unicode's version
# are in the key too: they decide stems and folding.  snowballstemmer hands over to PyStemmer's C
# stemmers when those are installed (they are a dependency: 25 times faster); both come from the
# same Snowball sources, and tests/test_search_index.py checks that they stem alike.  The
# stemmers' versions need not be: installing or upgrading any package empties the build cache
# (snapshot.environment), and asking importlib.metadata for them cost every command 20 ms.
ANALYSIS_VERSION = 2
_ANALYSIS_INPUTS = f"{ANALYSIS_VERSION}:{snowballstemmer.stemmer.__module__}:{unicodedata.unidata_version}"


@dataclass(frozen=True)
class _Fields:
    url: str  # relative to the search page
    title: str
    kind: str  # "Park" / "Nachricht", as the reader sees it
    date: str  # formatted release date; "" for parks
    summary: str
    labels: str  # industries, places, sources: words worth more than body text


@dataclass(frozen=True)
class SearchDoc(_Fields):
    body: str  # plain text


@dataclass(frozen=True)
class IndexedDoc:
    """A document as the index takes it: what a result shows, and its analysed words (``analyse``)."""

    url: str
    title: str
    kind: str
    date: str
    summary: str
    terms: str


_ACCENTS = re.compile("[\u0300-\u036f]")


def fold(word: str) -> str:
    """Lowercase without accents: 'Biomédecine' -> 'biomedecine', 'Straße' -> 'strasse'.

    static/search.js does exactly this to the query (ß -> ss, NFD, drop U+0300-U+036F, NFC).
    Only the Latin, Greek and Cyrillic accents go: the kana voicing marks (ガ is カ and U+3099 in
    NFD) and Thai vowel signs tell words apart, and NFC puts Hangul syllables back together.
    """
    decomposed = unicodedata.normalize("NFD", word.lower().replace("ß", "ss"))
    return unicodedata.normalize("NFC", _ACCENTS.sub("", decomposed))


def tokens(text: str) -> list[str]:
    """The tokens of lowercased text: \\w runs, and the bigrams and single characters of the
    runs of spaceless scripts."""
    if not _HAS_SPACELESS.search(text):
        return WORD.findall(text)
    found = []
    for token in _TOKEN.findall(text):
        if len(token) > 1 and _HAS_SPACELESS.match(token):
            found += map(add, token[:-1], token[1:])  # its bigrams
            found += token  # and its characters
        else:
            found.append(token)
    return found


def _too_short(word: str) -> bool:
    """Single letters and small numbers only add noise; a lone Han character is a word."""
    return (len(word) < 2 and not _HAS_SPACELESS.match(word)) or (word.isdigit() and len(word) < 4)


class Analyzer:
    """Turns text into (folded word form, folded stem) pairs for one language."""

    def __init__(self, locale: str):
        name = Locale.parse(locale).get_language_name("en").lower()
        self.algorithm = name if name in snowballstemmer.algorithms() else None
        self._stemmer = snowballstemmer.stemmer(self.algorithm) if self.algorithm else None
        self.compounds = name in COMPOUNDING
        self._cache: dict[str, tuple[str, str]] = {}
        # What analyse() needs of a lowercased word, one table each so that it can look up all
        # the words of a text in one C loop (map): its stem ('' for a word left out), the stem
        # where the word's form is that stem, 'form>stem' where it is not ('' otherwise).
        self.stem_of, self.own_of, self.mapped_of = _Words(self._learn), _Words(self._learn), _Words(self._learn)

    def _pair(self, word: str) -> tuple[str, str]:
        pair = self._cache.get(word)
        if pair is None:
            if _too_short(word):
                pair = ("", "")
            else:
                stem = self._stemmer.stemWord(word) if self._stemmer else word
                pair = (fold(word), fold(stem))
            self._cache[word] = pair
        return pair

    def _learn(self, word: str) -> None:
        form, stem = self._pair(word)
        self.stem_of[word] = stem
        self.own_of[word] = stem if form == stem else ""
        self.mapped_of[word] = "" if form == stem else f"{form}>{stem}"

    def terms(self, text: str) -> list[tuple[str, str]]:
        """The pairs of the text's words, in order."""
        pairs = map(self._pair, tokens(text.lower()))
        return [pair for pair in pairs if pair[1]]


@functools.lru_cache(maxsize=16)
def analyzer_for(locale: str) -> Analyzer:
    """One Analyzer per locale for the life of the process: it learns each word's stem once
    (Snowball stemmers are pure Python), not once per build."""
    return Analyzer(locale)


class _Words(dict):
    """A table filled on first use: ``learn(word)`` enters the word in every table."""

    def __init__(self, learn: Callable[[str], None]):
        super().__init__()
        self.learn = learn

    def __missing__(self, word: str) -> str:
        self.learn(word)
        return self[word]


# An analysis is four lines of space-separated words (words are \w runs or bigrams of spaceless
# scripts, folded, so they hold neither spaces, line breaks nor '>'):
#   stems that are also word forms of the document, the document's other stems,
#   each stem's posting suffix in that order ('' for weight 1, else ':' + base 36),
#   'form>stem' for the document's word forms whose stem differs.
# That is what ``merge`` needs with the least work per word: it runs on every rebuild.


def analyse(analyzer: Analyzer, title: str, summary: str, labels: str, body: str) -> str:
    """One document's stems with their weights and its word forms (``body``: plain text).

    The work per word is done in C loops (Counter, map, set): a document has hundreds of words.
    """
    stem_of = analyzer.stem_of.__getitem__
    found = tokens(body.lower())
    words = set(found)
    counts = Counter(map(stem_of, found))  # 'Café' and 'cafe' are one stem
    weights = dict(zip(counts, map(_BODY_WEIGHT.get, counts.values(), repeat(BODY_CAP * BODY)), strict=True))
    for text, weight in ((title, TITLE), (summary, SUMMARY), (labels, LABELS)):
        found = set(tokens(text.lower()))
        words |= found
        for stem in set(map(stem_of, found)):  # a title word counts once, however often it is repeated
            weights[stem] = weights.get(stem, 0) + weight
    weights.pop("", None)
    own = set(map(analyzer.own_of.__getitem__, words))
    own.discard("")
    mapped = set(map(analyzer.mapped_of.__getitem__, words))
    mapped.discard("")
    first = sorted(own)
    stems = first + sorted(weights.keys() - own)
    suffixes = map(_SUFFIXES.__getitem__, map(weights.__getitem__, stems))
    return "\n".join((" ".join(first), " ".join(stems[len(first) :]), " ".join(suffixes), " ".join(sorted(mapped))))


def merge(docs: Sequence[IndexedDoc], compounds: bool) -> dict:
    """The index as plain data from analysed documents; equal input gives byte-equal output."""
    with gcpause.paused():  # tens of thousands of lists, none in a cycle; the collector would walk them again and again
        return _merge(docs, compounds)  # the postings lists are freed before the collector is back


def _merge(docs: Sequence[IndexedDoc], compounds: bool) -> dict:
    numbers, suffixes, own, mapped = _collect(docs)
    stems = sorted(numbers)
    names, common = _names(len(docs)), _common(len(docs))
    encoded = [_encode_one(numbers[stem], suffixes[stem], names, common) for stem in stems]
    position = {stem: i for i, stem in enumerate(stems)}
    targets: dict[str, set[str]] = {}
    for pair in mapped:
        form, _, stem = pair.partition(">")
        targets.setdefault(form, set()).add(stem)
    forms = {}
    # A form that is only ever its own stem needs no entry: the browser tries the stems list too.
    for form in sorted(targets):
        found = targets[form] | {form} if form in own else targets[form]
        forms[form] = sorted(position[stem] for stem in found)
    return {
        "compounds": compounds,
        "docs": [[d.url, d.title, d.kind, d.date, d.summary] for d in docs],
        "stems": stems,
        "postings": encoded,
        "forms": forms,
    }


def _collect(docs: Sequence[IndexedDoc]) -> tuple[dict[str, array], dict[str, list[str]], Counter[str], Counter[str]]:
    """stem -> its documents' numbers in order, stem -> the suffix of its weight in each; how
    many documents have each stem as a word form of their own; how many map each 'form>stem'
    (counted, not just found, for liveindex.LiveIndex, which takes documents out).

    Numbers are kept in arrays and every suffix is one of _SUFFIXES: a large index has half a
    million postings, and as Python objects they took more memory than the rest of it.
    """
    numbers: dict[str, array] = {}
    suffixes: dict[str, list[str]] = {}
    own: Counter[str] = Counter()
    mapped: Counter[str] = Counter()
    get = numbers.get
    for number, doc in enumerate(docs):
        own_line, other_line, suffix_line, mapped_line = doc.terms.split("\n")
        stems = own_line.split(" ") if own_line else []
        own.update(stems)
        if other_line:
            stems += other_line.split(" ")
        if not stems:
            continue  # its suffix line is empty too, which split() would read as one suffix
        if mapped_line:
            mapped.update(mapped_line.split(" "))
        for stem, suffix in zip(stems, map(SUFFIX.__getitem__, suffix_line.split(" ")), strict=True):
            entry = get(stem)
            if entry is None:
                numbers[stem], suffixes[stem] = array("l", (number,)), [suffix]
            else:
                entry.append(number)
                suffixes[stem].append(suffix)
    return numbers, suffixes, own, mapped


COMMON = 0.5  # a word in more than half of the documents ...
COMMON_FROM = 50  # ... of a site this large tells little where it is only in the body


def _common(count: int) -> float:
    return COMMON * count if count >= COMMON_FROM else count


def _encode_one(numbers: list[int], suffixes: list[str], names: list[str], common: float) -> str:
    """One stem's postings as '3,1:a,2': document numbers as gaps from the previous one,
    ':weight' where it is not 1, base 36.  The work per posting is done in C loops (map,
    compress, join): a large index has half a million postings."""
    if len(numbers) > common:
        # Keep such a word only where a title, summary or label has it: that halves a large index.
        heavy = list(map(_LIGHT.get, suffixes, repeat(True)))
        if any(heavy):
            numbers, suffixes = list(compress(numbers, heavy)), list(compress(suffixes, heavy))
    gaps = map(names.__getitem__, map(sub, numbers, chain((0,), numbers)))
    return ",".join(map(add, gaps, suffixes))


def build_index(docs: list[SearchDoc], analyzer: Analyzer) -> dict:
    """The index as plain data; equal input gives byte-equal output."""
    return merge([indexed(doc, analyzer) for doc in docs], analyzer.compounds)


def indexed(doc: SearchDoc, analyzer: Analyzer) -> IndexedDoc:
    terms = analyse(analyzer, doc.title, doc.summary, doc.labels, doc.body)
    return IndexedDoc(doc.url, doc.title, doc.kind, doc.date, doc.summary, terms)


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


_SUFFIXES = ["", "", *(":" + _base36(weight) for weight in range(2, TITLE + SUMMARY + LABELS + BODY_CAP * BODY + 1))]
_BODY_WEIGHT = {count: count * BODY for count in range(BODY_CAP + 1)}  # and BODY_CAP * BODY for more
_LIGHT = dict.fromkeys(_SUFFIXES[: BODY_CAP * BODY + 1], False)  # the suffixes of weights a body alone can give
SUFFIX = {suffix: suffix for suffix in _SUFFIXES}  # each suffix as one object


def _names(count: int) -> list[str]:
    """0 .. count-1 in base 36: every gap an index of ``count`` documents can have."""
    return _SMALL[:count] if count <= len(_SMALL) else _SMALL + [_base36(n) for n in range(len(_SMALL), count)]


@dataclass(frozen=True)
class Source(_Fields):
    """A document to index as the planner has it, before analysis (see SearchMemo.analysed_docs)."""

    body_key: str  # what the body's HTML is made from, given SearchMemo's settings (Document.body_key)
    html: Callable[[], str]  # the body's rendered HTML; called only when the document is analysed


class SearchMemo:
    """Analysed documents by what they are analysed from, kept between builds (like memo.Renders).

    ``stored``: what ``to_store`` returned last time (keys and values are bytes; a key
    starts with the locale and a NUL byte; a value is sealed, and one whose seal fails is
    analysed again).
    ``settings``: what a body's HTML depends on besides its ``body_key``, such as
    whether raw HTML is allowed.  A key covers the analysis code, the stemmer and
    Unicode versions, the locale, the settings, the title, summary, labels and body key;
    a document's URL, kind and date are shown, not analysed, so a moved or re-dated
    document keeps its analysis.  Beside the analyses it keeps each document's entry (what
    a result shows, and the key of its analysis), see :meth:`indexed`.
    """

    def __init__(self, stored: dict[bytes, bytes] | None = None, settings: str = "", recent: dict | None = None, outline: bytes = b""):
        """``recent``: :meth:`indexed`'s memory of an earlier memo of this process (session.py).
        ``outline``: the digest of the site's outline (replan.py) the documents are indexed in;
        b"" when it is not known, and then every entry is made anew."""
        self.stored = stored if stored is not None else {}
        self.used: dict[bytes, bytes] = {}
        self.settings = settings
        self.outline = outline
        self.recent: dict[int, tuple] = recent if recent is not None else {}  # id(document) -> (document, outline, IndexedDoc, keys)
        self._inputs = hashlib.blake2b(_ANALYSIS_INPUTS.encode(), digest_size=16)
        self.analysed = 0  # documents this memo had to analyse
        self._locales: set[bytes] = set()  # the locales whose documents this build asked for

    def indexed(self, locale: str, items: Sequence[tuple[Document, Callable[[], Source]]]) -> tuple[IndexedDoc, ...]:
        """As :meth:`analysed_docs`, from (document, a function making its Source) for each item.

        What a document's entry shows and is analysed from comes from its own front matter and
        body and from the site's outline (park titles, labels, the URL layout, the catalog).
        With those unchanged, the entry is the one kept under a key of them, and its Source is
        never made: making the cards, Sources and keys of a large site's documents took a tenth
        of the build after an edit of one text (0.10-0.16 s, now 0.03-0.05).  A long-lived
        process also remembers entries by document object (session.py keeps the documents of
        unchanged files), which spares it the keys too.
        """
        found: list[IndexedDoc | None] = [self._entry(locale, doc) for doc, _ in items]
        self._locales.add(locale.encode())
        todo = [i for i, entry in enumerate(found) if entry is None]
        if todo:
            sources = [items[i][1]() for i in todo]
            for i, key, entry in zip(todo, *self._analysed(locale, sources), strict=True):
                found[i] = entry
                self._keep_entry(locale, items[i][0], entry, key)
        return tuple(found)

    def _entry(self, locale: str, doc: Document) -> IndexedDoc | None:
        """The entry kept for ``doc`` in this outline, or None."""
        if not self.outline:
            return None
        known = self.recent.get(id(doc))
        if known is not None and known[0] is doc and known[1] == self.outline:  # the memo keeps the document alive: ids are not reused
            values = [self.used.get(key) or self.stored.get(key) for key in known[3]]  # the entry is known: kept, not read
            if None not in values:  # else the file was gone for a while: its entry was let go
                self.used.update(zip(known[3], values, strict=True))
                return known[2]
        entry_key = self._entry_key(locale, doc)
        value = self._kept(entry_key)
        if value is None:
            return None
        *shown, terms_key = marshal.loads(sealed.payload(value))
        terms = self._kept(terms_key)
        if terms is None:
            return None
        self.used[entry_key], self.used[terms_key] = value, terms
        entry = IndexedDoc(*shown, str(sealed.payload(terms), "utf-8"))
        self._remember(doc, entry, entry_key, terms_key)
        return entry

    def _keep_entry(self, locale: str, doc: Document, entry: IndexedDoc, terms_key: bytes) -> None:
        if self.outline:
            entry_key = self._entry_key(locale, doc)
            self.used[entry_key] = sealed.seal(marshal.dumps((entry.url, entry.title, entry.kind, entry.date, entry.summary, terms_key)))
            self._remember(doc, entry, entry_key, terms_key)

    def _remember(self, doc: Document, entry: IndexedDoc, entry_key: bytes, terms_key: bytes) -> None:
        self.recent[id(doc)] = (doc, self.outline, entry, (entry_key, terms_key))

    def _kept(self, key: bytes) -> bytes | None:
        """What this build or the last one kept under ``key``, sealed; None if its seal fails."""
        return self.used.get(key) or sealed.verified(self.stored.get(key), ("search", key))

    def _entry_key(self, locale: str, doc: Document) -> bytes:
        return self._key(locale, "entry", doc.rel, doc.meta_digest, doc.body_key, self.outline)

    def analysed_docs(self, locale: str, sources: Sequence[Source]) -> tuple[IndexedDoc, ...]:
        """The documents for ``index_script_for``, analysing only those not analysed before;
        many of those (a first build) are analysed on all cores."""
        self._locales.add(locale.encode())
        return self._analysed(locale, sources)[1]

    def _analysed(self, locale: str, sources: Sequence[Source]) -> tuple[list[bytes], tuple[IndexedDoc, ...]]:
        """(the memo keys, the documents) of ``sources``."""
        keys = [self._key(locale, s.title, s.summary, s.labels, s.body_key) for s in sources]
        found: dict[bytes, bytes] = {}
        todo: dict[bytes, Source] = {}
        for key, source in zip(keys, sources, strict=True):
            value = self._kept(key)
            if value is None:
                todo.setdefault(key, source)
            else:
                found[key] = value
        if todo:
            found.update(_analyse_all(locale, todo))
            self.analysed += len(todo)
        self.used.update(found)
        docs = zip(keys, sources, strict=True)
        terms = {key: str(sealed.payload(value), "utf-8") for key, value in found.items()}
        return keys, tuple(IndexedDoc(s.url, s.title, s.kind, s.date, s.summary, terms[key]) for key, s in docs)

    def _key(self, locale: str, *parts: str) -> bytes:
        digest = self._inputs.copy()
        digest.update(repr((self.settings, locale, *parts)).encode())  # a tuple's repr: no two sequences of parts run together
        return locale.encode() + b"\0" + digest.digest()  # the locale in the clear: see to_store

    def to_store(self) -> dict[bytes, bytes]:
        """What to keep: the analyses this build used (found or made), and those of the locales
        whose index it did not plan (a build that plans only the pages an edit reaches)."""
        kept = {key: value for key, value in self.stored.items() if key.partition(b"\0")[0] not in self._locales}
        kept.update(self.used)
        return kept


WORTH_FORKING = 500  # documents; fewer are analysed in this process (about 0.3 ms each)


def _analyse_all(locale: str, todo: dict[bytes, Source]) -> list[tuple[bytes, bytes]]:
    analyzer = analyzer_for(locale)
    keys = list(todo)

    def job(chunk: list[bytes]) -> list[tuple[bytes, bytes]]:
        return [(key, _analysis(analyzer, todo[key])) for key in chunk]

    if len(keys) < WORTH_FORKING:
        return job(keys)
    return list(parallel.fork_map(job, keys, chunk=64))


def _analysis(analyzer: Analyzer, source: Source) -> bytes:
    return sealed.seal(analyse(analyzer, source.title, source.summary, source.labels, _words_of(source.html())).encode())


def index_script_for(docs: Sequence[IndexedDoc | SearchDoc], locale: str) -> str:
    """The template filter behind search-index.js: computed when the page is rendered, so a build
    that finds the page's context unchanged skips it like any other page.  The planner passes
    IndexedDocs (analysed through a SearchMemo), so this only merges; SearchDocs are analysed here."""
    analyzer = analyzer_for(locale)
    docs = [indexed(doc, analyzer) if isinstance(doc, SearchDoc) else doc for doc in docs]
    return index_script(merge(docs, analyzer.compounds))


def index_script(index: dict) -> str:
    """The index as a classic script; '<' is escaped so the text can never close a tag."""
    data = json.dumps(index, ensure_ascii=False, separators=(",", ":"), sort_keys=True).replace("<", "\\u003c")
    return f"window.parkpressSearch = {data};\n"


_TAG = re.compile(r"<[^>]*>")


def _words_of(html: str) -> str:
    """plain_text without joining the words with single spaces: the analysis finds the same words."""
    return unescape(_TAG.sub(" ", html))


def plain_text(html: str) -> str:
    """The words of rendered HTML, for indexing (our own renderer's output: no comments or scripts)."""
    return " ".join(_words_of(html).split())
