"""The search index of one language, kept in memory and updated when a few documents change.

Merging the analyses of every document into an index (search.merge) takes a third of a
second a language on a site of 3,000 news items: ``serve`` would pay it after every edit.
:class:`LiveIndex` keeps what the merge computes (each stem's postings, which stems are
word forms too, which forms lead to which stems) and, when documents change, takes out
their old analyses and puts in the new ones; only the stems and forms they touch are
encoded again.  Its result is the merge's, exactly: tests/test_liveindex.py compares them
after random edits.

:class:`LiveIndexes` is the template filter that keeps them: in memory for ``serve``'s next
build, and as bytes in the build cache (:meth:`LiveIndex.export`), so that a build in a new
process updates the index an earlier one left (a twentieth of a second to load and one
hundredth to update) instead of merging every document's analysis again.
"""

from __future__ import annotations

import marshal
from array import array
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from parkpress.core import sealed
from parkpress.search.index import (
    SUFFIX,
    IndexedDoc,
    SearchDoc,
    _collect,
    _common,
    _encode_one,
    _names,
    analyzer_for,
    index_script,
    indexed,
)

INDEX_FILE = "search-{}.index"  # a locale's search index, in the build cache's folder (see read_index)


@dataclass(frozen=True)
class _Terms:
    """One document's analysis (search.analyse), read."""

    weights: dict[str, str]  # stem -> the suffix of its weight, its own stems first
    own: list[str]  # stems that are also word forms of the document
    mapped: list[str]  # 'form>stem' for word forms whose stem differs

    @classmethod
    def read(cls, terms: str) -> _Terms:
        own_line, other_line, suffix_line, mapped_line = terms.split("\n")
        own = own_line.split(" ") if own_line else []
        stems = own + other_line.split(" ") if other_line else own
        if not stems:  # as search._collect: such a document adds nothing, not even its forms
            return cls({}, [], [])
        return cls(dict(zip(stems, suffix_line.split(" "), strict=True)), own, mapped_line.split(" ") if mapped_line else [])


class LiveIndex:
    """search.merge(docs, compounds), kept up to date by :meth:`update`."""

    def __init__(self, docs: Sequence[IndexedDoc], compounds: bool):
        self.compounds = compounds
        self.docs = list(docs)
        self._count()
        self.rows = [_row(doc) for doc in docs]
        self.numbers: dict[str, array]  # stem -> its documents, in order
        self.suffixes: dict[str, list[str]]  # stem -> its weight in each of them
        self.numbers, self.suffixes, own, mapped = _collect(docs)
        self.own: dict[str, int] = dict(own)  # stem -> documents where it is a word form too
        self.targets: dict[str, dict[str, int]] = {}  # form -> stem -> documents mapping the form to the stem
        for pair, count in mapped.items():
            form, _, stem = pair.partition(">")
            self.targets.setdefault(form, {})[stem] = count
        self.encoded: dict[str, str] = {}
        self._encode(self.numbers)
        self._order()
        self.changed = True  # since it was last exported

    def _count(self) -> None:
        self.count = len(self.docs)
        self.names, self.common = _names(self.count), _common(self.count)

    def export(self) -> bytes:
        """Everything this index knows, for :meth:`restore` in another process."""
        docs = [(d.url, d.title, d.kind, d.date, d.summary, d.terms) for d in self.docs]
        numbers = {stem: entry.tobytes() for stem, entry in self.numbers.items()}  # marshal knows no arrays
        state = (self.own, self.targets, self.encoded, self.stems, self.forms)
        return marshal.dumps((_FORMAT, self.compounds, docs, numbers, self.suffixes, *state))

    @classmethod
    def restore(cls, data: bytes | memoryview) -> LiveIndex | None:
        """The index :meth:`export` gave; None for bytes of another format."""
        try:
            fmt, compounds, docs, numbers, suffixes, own, targets, encoded, stems, forms = marshal.loads(data)
        except (EOFError, ValueError, TypeError):
            return None
        if fmt != _FORMAT:
            return None
        index = cls.__new__(cls)
        index.compounds, index.docs = compounds, [IndexedDoc(*doc) for doc in docs]
        index._count()
        index.rows = [list(doc[:5]) for doc in docs]
        index.numbers = {stem: _numbers(entry) for stem, entry in numbers.items()}
        index.suffixes = {stem: list(map(SUFFIX.__getitem__, entry)) for stem, entry in suffixes.items()}
        index.own, index.targets, index.encoded = own, targets, encoded
        index.stems, index.forms = stems, forms
        index.position = {stem: i for i, stem in enumerate(stems)}
        index.changed = False
        return index

    def update(self, docs: Sequence[IndexedDoc]) -> bool:
        """Take in the changed documents; False when there are more or fewer (build a new index then)."""
        if len(docs) != self.count:
            return False
        stems: set[str] = set()
        forms: set[str] = set()
        for number, (old, new) in enumerate(zip(self.docs, docs, strict=True)):
            if old is new or old == new:
                continue
            self.changed = True
            self.rows[number] = _row(new)
            if old.terms != new.terms:  # only what differs is taken out and put in: an edit changes a few words
                before, after = _Terms.read(old.terms), _Terms.read(new.terms)
                old_weights, new_weights = before.weights, after.weights
                changed = {stem for stem in old_weights.keys() | new_weights.keys() if old_weights.get(stem) != new_weights.get(stem)}
                self._remove(number, [stem for stem in changed if stem in old_weights])
                self._add(number, {stem: new_weights[stem] for stem in changed if stem in new_weights})
                stems |= changed
                forms |= self._count_forms(before, -1) | self._count_forms(after, +1)
        self.docs = list(docs)
        moved = any((stem in self.numbers) != (stem in self.encoded) for stem in stems)
        for stem in stems:
            self.encoded.pop(stem, None)
        self._encode(stem for stem in stems if stem in self.numbers)
        if moved:
            self._order()  # stems came or went: the positions after them moved
        else:
            for form in forms:
                self._form(form)
        return True

    def as_dict(self) -> dict:
        return {
            "compounds": self.compounds,
            "docs": self.rows,
            "stems": self.stems,
            "postings": [self.encoded[stem] for stem in self.stems],
            "forms": self.forms,
        }

    # -- the postings ----------------------------------------------------------------------

    def _add(self, number: int, weights: dict[str, str]) -> None:
        for stem, suffix in weights.items():
            numbers = self.numbers.get(stem)
            if numbers is None:
                self.numbers[stem], self.suffixes[stem] = array("l", (number,)), [SUFFIX[suffix]]
            else:
                at = bisect_left(numbers, number)
                numbers.insert(at, number)
                self.suffixes[stem].insert(at, SUFFIX[suffix])

    def _remove(self, number: int, stems: list[str]) -> None:
        for stem in stems:
            numbers = self.numbers[stem]
            at = bisect_left(numbers, number)
            del numbers[at], self.suffixes[stem][at]
            if not numbers:
                del self.numbers[stem], self.suffixes[stem]

    def _count_forms(self, terms: _Terms, step: int) -> set[str]:
        """Count a document's forms in (``step`` 1) or out (-1); returns the forms, whose entries may change."""
        for stem in terms.own:
            _step(self.own, stem, step)
        for form, stem in _pairs(terms.mapped):
            targets = self.targets.setdefault(form, {})
            _step(targets, stem, step)
            if not targets:
                del self.targets[form]
        return {*terms.own, *_forms(terms.mapped)}

    # -- what the browser reads ------------------------------------------------------------

    def _order(self) -> None:
        """Number the stems in order, and point every form at its stems' numbers."""
        self.stems = sorted(self.numbers)
        self.position = {stem: i for i, stem in enumerate(self.stems)}
        self.forms: dict[str, list[int]] = {}
        for form in self.targets:
            self._form(form)

    def _encode(self, stems: Iterable[str]) -> None:
        for stem in stems:
            self.encoded[stem] = _encode_one(self.numbers[stem], self.suffixes[stem], self.names, self.common)

    def _form(self, form: str) -> None:
        """As search._merge: a form leads to the stems it maps to, and to itself where it is a stem of its own."""
        targets = self.targets.get(form)
        if not targets:
            self.forms.pop(form, None)
            return
        found = set(targets) | {form} if form in self.own else set(targets)
        self.forms[form] = sorted(self.position[stem] for stem in found)


def _numbers(data: bytes) -> array:
    numbers = array("l")
    numbers.frombytes(data)
    return numbers


def _step(counts: dict[str, int], key: str, step: int) -> None:
    count = counts.get(key, 0) + step
    if count > 0:
        counts[key] = count
    else:
        counts.pop(key, None)


_FORMAT = 2  # of LiveIndex.export's bytes: raise it whenever what they hold changes


def _row(doc: IndexedDoc) -> list[str]:
    return [doc.url, doc.title, doc.kind, doc.date, doc.summary]


def _pairs(mapped: list[str]) -> Iterable[tuple[str, str]]:
    for pair in mapped:
        form, _, stem = pair.partition(">")
        yield form, stem


def _forms(mapped: list[str]) -> list[str]:
    return [form for form, _ in _pairs(mapped)]


class LiveIndexes:
    """The ``search_index`` template filter that keeps one LiveIndex per language.

    ``cache_dir``: the build cache, where each language's index is kept between processes
    (read_index); without one, indexes live only as long as this object.
    """

    def __init__(self, cache_dir: Path | None = None):
        self.cache_dir = cache_dir
        self._indexes: dict[str, LiveIndex] = {}

    def script_for(self, docs: Sequence[IndexedDoc | SearchDoc], locale: str) -> str:
        """As search.index_script_for, from the index kept for ``locale``."""
        analyzer = analyzer_for(locale)
        docs = [indexed(doc, analyzer) if isinstance(doc, SearchDoc) else doc for doc in docs]
        index = self._indexes.get(locale)
        if index is None and self.cache_dir is not None:
            data = read_index(self.cache_dir, locale)
            index = LiveIndex.restore(data) if data is not None else None
        if index is None or index.compounds != analyzer.compounds or not index.update(docs):
            index = LiveIndex(docs, analyzer.compounds)
        self._indexes[locale] = index
        return index_script(index.as_dict())

    def keep(self, locale: str, forget: bool = False) -> None:
        """Write ``locale``'s index to the cache if it changed since it was last written;
        ``forget``: and drop it from memory (a worker process, which has no use for it)."""
        index = self._indexes.pop(locale, None) if forget else self._indexes.get(locale)
        if index is not None and index.changed and self.cache_dir is not None:
            index.changed = False
            write_index(self.cache_dir, locale, index.export())

    def keep_all(self) -> None:
        for locale in list(self._indexes):
            self.keep(locale)


def read_index(folder: Path, locale: str) -> memoryview | None:
    """The search index of ``locale`` that a build left in the cache in ``folder``, as bytes.

    Indexes are files of their own, beside the database, read and written outside a build's
    transaction by whichever process renders them (a worker's would otherwise travel through
    the parent's memory): an index is whole in itself, and the next build only updates it
    from the documents it was made from, so one that a failed build left is as good as any.
    A file, not a row: SQLite wrote a large site's 16 MB twice (the log, then the database),
    a tenth of a second of an edit's build.  Sealed as the rows are: a damaged index is None,
    and the index is merged anew.
    """
    return sealed.read_file(folder / INDEX_FILE.format(locale))


def write_index(folder: Path, locale: str, data: bytes) -> None:
    """Keep ``data`` as the search index of ``locale`` (see read_index); a cache it cannot write to is left alone."""
    sealed.write_file(folder / INDEX_FILE.format(locale), data)
