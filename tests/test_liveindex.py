"""A search index kept in memory (serve) and updated after edits is the index a full merge makes."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parkpress.engine.cache import BuildCache
from parkpress.search.index import Analyzer, IndexedDoc, SearchDoc, index_script, index_script_for, indexed, merge
from parkpress.search.live import LiveIndex, LiveIndexes, read_index

# Few words, with inflections and accents, so that documents share stems and forms.
VOCABULARY = [
    "Park",
    "Parks",
    "Parkes",
    "Unternehmen",
    "Unternehmens",
    "Zone",
    "Zonen",
    "Biomédecine",
    "biomedecine",
    "Straße",
    "investment",
    "investments",
    "a",
    "7",
    "2021",
]
TEXT = st.lists(st.sampled_from(VOCABULARY), max_size=12).map(" ".join)
ANALYZER = Analyzer("de_DE")


@st.composite
def documents(draw, url: str) -> IndexedDoc:
    kind, date = draw(st.sampled_from(["Park", "Nachricht"])), draw(st.sampled_from(["", "1. Mai 2021"]))
    return indexed(SearchDoc(url, draw(TEXT), kind, date, draw(TEXT), draw(TEXT), draw(TEXT)), ANALYZER)


@st.composite
def edit_sequences(draw):
    # From 50 documents up, words in most documents are dropped from the body's postings: both sizes.
    count = draw(st.sampled_from([1, 3, 8, 55]))
    docs = [draw(documents(f"{n}/index.html")) for n in range(count)]
    steps = []
    for _ in range(draw(st.integers(1, 4))):
        changed = list(docs)
        for number in draw(st.lists(st.integers(0, count - 1), min_size=1, max_size=3)):
            changed[number] = draw(documents(f"{number}/index.html"))
        steps.append(changed)
        docs = changed
    return steps


@settings(max_examples=150, deadline=None)
@given(edit_sequences(), st.lists(st.booleans(), min_size=4, max_size=4))
def test_an_updated_index_is_the_merge_of_its_documents(steps, moves):
    index = LiveIndex(steps[0], ANALYZER.compounds)
    assert index_script(index.as_dict()) == index_script(merge(steps[0], ANALYZER.compounds))
    for docs, moved in zip(steps[1:], moves, strict=False):
        if moved:  # to another process, through the build cache
            index = LiveIndex.restore(index.export())
        assert index.update(docs)
        assert index_script(index.as_dict()) == index_script(merge(docs, ANALYZER.compounds))


def test_another_number_of_documents_makes_a_new_index():
    docs = [indexed(SearchDoc(f"{n}/index.html", "Park", "Park", "", "", "", "Zone"), ANALYZER) for n in range(3)]
    index = LiveIndex(docs, ANALYZER.compounds)
    assert not index.update(docs[:2])


def test_the_filter_gives_what_the_build_filter_gives():
    indexes = LiveIndexes()
    docs = [SearchDoc(f"{n}/index.html", f"Park {n}", "Park", "", "Unternehmen", "Zone", "Biomédecine " * n) for n in range(4)]
    assert indexes.script_for(docs, "de_DE") == index_script_for(docs, "de_DE")
    docs[2] = SearchDoc("2/index.html", "Straße", "Park", "", "", "", "Investment")
    assert indexes.script_for(docs, "de_DE") == index_script_for(docs, "de_DE")


def test_a_form_that_changes_from_its_own_stem_to_another_stem():
    # 'Café' is its own stem, 'cafe' stems to 'caf': both are the form 'cafe'.
    docs = [indexed(SearchDoc(f"{n}/index.html", "Park", "Park", "", "", "", text), ANALYZER) for n, text in enumerate(["Café", "Zone"])]
    index = LiveIndex(docs, ANALYZER.compounds)
    docs[0] = indexed(SearchDoc("0/index.html", "Park", "Park", "", "", "", "cafe Zone"), ANALYZER)
    assert index.update(docs)
    assert index_script(index.as_dict()) == index_script(merge(docs, ANALYZER.compounds))


def test_a_new_process_updates_the_index_an_earlier_one_kept_in_the_cache(tmp_path):
    store = BuildCache(tmp_path)
    store.open()  # a cache file with its tables
    store.close()
    docs = [SearchDoc(f"{n}/index.html", f"Park {n}", "Park", "", "Unternehmen", "Zone", "Biomédecine " * n) for n in range(4)]
    earlier = LiveIndexes(tmp_path)
    earlier.script_for(docs, "de_DE")
    earlier.keep_all()
    later = LiveIndexes(tmp_path)
    restored = []
    later_restore = LiveIndex.restore

    def spy(data):
        restored.append(data)
        return later_restore(data)

    docs[1] = SearchDoc("1/index.html", "Straße", "Park", "", "", "", "Investment")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(LiveIndex, "restore", spy)
        assert later.script_for(docs, "de_DE") == index_script_for(docs, "de_DE")
    assert restored == [read_index(tmp_path, "de_DE")]


def test_bytes_of_another_format_are_not_taken():
    assert LiveIndex.restore(b"not an index") is None
