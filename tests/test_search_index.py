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


def decode(postings: str) -> dict[int, int]:
    """What static/search.js does: gaps and ':weight' in base 36 -> {document: weight}."""
    found, doc = {}, 0
    for entry in postings.split(","):
        gap, _, weight = entry.partition(":")
        doc += int(gap, 36)
        found[doc] = int(weight, 36) if weight else 1
    return found


def test_the_index_maps_word_forms_to_stems_and_stems_to_weighted_documents():
    index = build_index(DOCS, Analyzer("de_DE"))
    assert index["compounds"] is True
    assert index["docs"][0] == ["a/index.html", "Impfstoffe in Binhai", "Nachrichten", "7. September 2021", "Neue Parks."]
    stem = index["stems"].index("impfstoff")
    assert index["forms"]["impfstoffe"] == [stem]
    assert decode(index["postings"][stem]) == {0: 10}, "a title word weighs 10"
    assert "impfstoffherstell" in index["stems"], "compounds stay whole; the browser finds their parts"
    unternehm = index["stems"].index("unternehm")
    assert decode(index["postings"][unternehm]) == {1: 4 + 1}, "summary (4) and body (1)"
    park = index["stems"].index("park")
    assert decode(index["postings"][park]) == {0: 4, 1: 5}, "the body counts at most five times"
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


def test_postings_are_gaps_and_weights_in_base_36():
    docs = [SearchDoc(f"{n}/index.html", "Park" if n in (0, 40, 1500) else "x", "Park", "", "", "", "") for n in range(1501)]
    postings = build_index(docs, Analyzer("en"))["postings"]
    stems = build_index(docs, Analyzer("en"))["stems"]
    assert postings[stems.index("park")] == "0:a,14:a,14k:a"  # gaps 0, 40 (14), 1460 (14k); weight 10 (a)
    assert decode(postings[stems.index("park")]) == {0: 10, 40: 10, 1500: 10}


def test_in_a_large_site_a_word_most_documents_have_counts_only_where_a_title_or_summary_has_it():
    docs = [SearchDoc(f"{n}/index.html", "Zone" if n == 7 else f"t{n}", "Park", "", "", "", "zone and more") for n in range(60)]
    index = build_index(docs, Analyzer("en"))
    assert decode(index["postings"][index["stems"].index("zone")]) == {7: 11}
