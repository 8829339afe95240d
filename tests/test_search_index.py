"""The search index built per language: word forms reduced to Snowball stems, accents folded, deterministic output.
(The browser side is tested in test_investor_browser.py.)"""

from __future__ import annotations

import json

import pytest

from parkpress.search import Analyzer, SearchDoc, build_index, fold, index_script, plain_text


def stems(locale: str, text: str) -> list[str]:
    return [stem for _, stem in Analyzer(locale).terms(text)]


def test_german_inflections_share_a_stem():
    assert len(set(stems("de_DE", "Unternehmen Unternehmens"))) == 1
    assert len(set(stems("de_DE", "Impfstoff Impfstoffe Impfstoffen"))) == 1


def test_french_accents_and_plurals_meet():
    assert len(set(stems("fr_FR", "biomédecine biomedecine biomédecines Biomédecine"))) == 1
    assert len(set(stems("fr_FR", "parc parcs"))) == 1


def test_english_plurals_meet():
    assert len(set(stems("en", "company companies"))) == 1


def test_a_language_without_a_stemmer_still_folds():
    assert stems("zh_Hans_CN", "Café CAFE") == ["cafe", "cafe"]


def test_folding_matches_what_the_browser_does():
    # static/search.js: toLowerCase, ß -> ss, NFD, drop U+0300–U+036F
    assert fold("Straße") == "strasse"
    assert fold("Biomédecine") == "biomedecine"
    assert fold("ÉTÉ") == "ete"


def test_single_letters_and_short_numbers_are_left_out():
    assert stems("en", "a 5 25 2025 x-ray") == ["2025", "ray"]


DOCS = [
    SearchDoc("a/index.html", "Impfstoffe in Binhai", "Nachrichten", "7. September 2021", "Neue Parks.", "Binhai", "Impfstoffhersteller."),
    SearchDoc("b/index.html", "Wuqing", "Park", "", "Unternehmen.", "Tianjin", "Des Unternehmens Ziele. " + "Park " * 20),
]


def test_the_index_maps_word_forms_to_stems_and_stems_to_weighted_documents():
    index = build_index(DOCS, Analyzer("de_DE"))
    assert index["compounds"] is True
    assert index["docs"][0] == ["a/index.html", "Impfstoffe in Binhai", "Nachrichten", "7. September 2021", "Neue Parks."]
    stem = index["stems"].index("impfstoff")
    assert index["forms"]["impfstoffe"] == [stem]
    assert index["postings"][stem] == [0, 10], "a title word weighs 10"
    assert "impfstoffherstell" in index["stems"], "compounds stay whole; the browser finds their parts"
    unternehm = index["stems"].index("unternehm")
    assert index["postings"][unternehm] == [1, 4 + 1], "summary (4) and body (1)"
    park = index["stems"].index("park")
    assert dict(zip(index["postings"][park][::2], index["postings"][park][1::2], strict=True)) == {0: 4, 1: 5}, (
        "the body counts at most five times"
    )
    assert "park" not in index["forms"], "a form that is its own stem needs no entry"


def test_the_index_script_is_deterministic_and_cannot_close_a_tag():
    docs = [*DOCS, SearchDoc("c/index.html", "</script><b>", "Park", "", "", "", "")]
    first = index_script(build_index(docs, Analyzer("de_DE")))
    assert first == index_script(build_index(docs, Analyzer("de_DE")))
    assert "</script>" not in first
    assert first.startswith("window.parkpressSearch = ") and first.endswith(";\n")
    json.loads(first.removeprefix("window.parkpressSearch = ").removesuffix(";\n"))


@pytest.mark.parametrize(
    ("html", "text"), [("<p>Ein <b>Park</b> &amp; mehr</p>", "Ein Park & mehr"), ("<ul><li>a</li><li>b</li></ul>", "a b")]
)
def test_plain_text_of_rendered_markdown(html, text):
    assert plain_text(html) == text
