"""The search index built per language: word forms reduced to Snowball stems, accents folded, deterministic output.
(The browser side is tested in test_investor_browser.py.)"""

from __future__ import annotations

import importlib
import json
import re
import sys
from pathlib import Path

import pytest

from parkpress.search import index as search_index
from parkpress.search.index import (
    Analyzer,
    SearchDoc,
    SearchMemo,
    Source,
    build_index,
    fold,
    index_script,
    index_script_for,
    plain_text,
)

pytestmark = pytest.mark.floors  # also run on the declared dependency floors (make test-floors)

REPOSITORY = Path(__file__).resolve().parent.parent


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


def test_a_form_that_is_its_own_stem_in_one_document_and_not_in_another_lists_both():
    # English stems 'edition' to 'edit' but leaves 'édition' (folded to 'edition') alone.
    docs = [SearchDoc("a/index.html", "Édition", "Park", "", "", "", ""), SearchDoc("b/index.html", "edition", "Park", "", "", "", "")]
    index = build_index(docs, Analyzer("en"))
    assert index["forms"]["edition"] == sorted([index["stems"].index("edition"), index["stems"].index("edit")])
    assert "edit" not in index["forms"]


# --- analysed once per text: SearchMemo ----------------------------------------------------------------------

HTML = {
    "a/index.html": "<p>Impfstoffhersteller &amp; <b>Impfstoffe</b>.</p>",
    "b/index.html": "<p>Des Unternehmens Ziele.</p>" + "<p>Park</p>" * 20,
    "c/index.html": "<ul><li>Straße</li><li>Café cafe CAFÉ</li></ul><p>x &lt;y&gt; z</p>",
}


def sources(asked: list[str] | None = None, **changes) -> list[Source]:
    """The documents of HTML as the planner hands them over; ``asked`` records whose HTML was needed."""

    def html(url: str):
        def read() -> str:
            if asked is not None:
                asked.append(url)
            return HTML[url]

        return read

    found = []
    for n, url in enumerate(HTML):
        fields = {"title": f"Titel {n} Parks", "summary": "Neue Unternehmen.", "labels": "Tianjin Biomedizin", **changes.get(url, {})}
        date = fields.get("date", "")
        found.append(Source(url, fields["title"], "Park", date, fields["summary"], fields["labels"], f"body-{url}", html(url)))
    return found


def test_the_memo_gives_the_index_that_analysing_the_plain_text_gives():
    docs = SearchMemo().analysed_docs("de_DE", sources())
    plain = [SearchDoc(s.url, s.title, s.kind, s.date, s.summary, s.labels, plain_text(HTML[s.url])) for s in sources()]
    assert index_script_for(docs, "de_DE") == index_script_for(plain, "de_DE")
    assert index_script_for(docs, "de_DE") == index_script(build_index(plain, Analyzer("de_DE")))


def test_a_second_build_analyses_only_the_changed_document():
    first = SearchMemo()
    first.analysed_docs("de_DE", sources())
    asked: list[str] = []
    second = SearchMemo(first.to_store())
    changed = {"b/index.html": {"title": "Wuqing"}, "c/index.html": {"date": "1. Mai 2024"}}
    docs = second.analysed_docs("de_DE", sources(asked, **changed))
    assert (second.analysed, asked) == (1, ["b/index.html"]), "a new date is shown, not analysed"
    fresh = SearchMemo().analysed_docs("de_DE", sources(**changed))
    assert index_script_for(docs, "de_DE") == index_script_for(fresh, "de_DE")
    assert docs[2].date == "1. Mai 2024"


@pytest.mark.parametrize(
    ("locale", "settings", "change"),
    [
        ("fr_FR", "", {}),
        ("de_DE", "raw-html=True", {}),
        ("de_DE", "", {"summary": "Neue Unternehmen!"}),
        ("de_DE", "", {"labels": "Tianjin"}),
        ("de_DE", "", {"title": "Titel 0 Parks "}),
    ],
)
def test_the_key_covers_everything_the_analysis_depends_on(locale, settings, change):
    stored = SearchMemo()
    stored.analysed_docs("de_DE", sources())
    memo = SearchMemo(stored.to_store(), settings=settings)
    memo.analysed_docs(locale, sources(**{"a/index.html": change}))
    assert memo.analysed == (len(HTML) if locale != "de_DE" or settings else 1)


def test_fields_do_not_run_together_in_the_key():
    # The same characters split differently between title and summary weigh differently.
    one = SearchMemo()
    one.analysed_docs("en", sources(**{"a/index.html": {"title": "park", "summary": "zone"}}))
    two = SearchMemo(one.to_store())
    two.analysed_docs("en", sources(**{"a/index.html": {"title": "parkz", "summary": "one"}}))
    assert two.analysed == 1


def test_the_stored_analyses_are_those_this_build_used():
    old = SearchMemo()
    old.analysed_docs("de_DE", sources())
    memo = SearchMemo(old.to_store())
    memo.analysed_docs("de_DE", sources(**{"a/index.html": {"title": "Neu"}}))
    kept = memo.to_store()
    assert len(kept) == len(HTML) and set(kept) != set(old.to_store()), "the old analysis of a/ is dropped"
    assert all(isinstance(k, bytes) and isinstance(v, bytes) for k, v in kept.items())


def test_a_build_that_does_not_plan_a_languages_index_keeps_its_analyses():
    old = SearchMemo()
    old.analysed_docs("de_DE", sources())
    old.analysed_docs("fr_FR", sources())
    memo = SearchMemo(old.to_store())
    memo.analysed_docs("fr_FR", sources(**{"a/index.html": {"title": "Nouveau"}}))
    again = SearchMemo(memo.to_store())
    again.analysed_docs("de_DE", sources())
    again.analysed_docs("fr_FR", sources(**{"a/index.html": {"title": "Nouveau"}}))
    assert again.analysed == 0
    assert len(again.to_store()) == 2 * len(HTML), "the replaced French analysis is gone"


def test_many_documents_are_analysed_on_all_cores_with_the_same_result(monkeypatch):
    def html(n: int):
        return lambda: f"<p>park {n} zones</p>"

    many = [Source(f"{n}/index.html", f"Park {n}", "Park", "", "Zone", "", f"body-{n}", html(n)) for n in range(150)]
    serial = SearchMemo().analysed_docs("en", many)
    monkeypatch.setattr(search_index, "WORTH_FORKING", 1)
    forked = SearchMemo()
    assert forked.analysed_docs("en", many) == serial
    assert forked.analysed == 150


def test_folded_words_never_hold_the_separators_of_an_analysis():
    # An analysis separates words by spaces, lines and '>' (see analyse); a word form
    # is a \w run, lowercased and folded character by character.
    word = re.compile(r"\w")
    for code in range(sys.maxunicode + 1):
        if 0xD800 <= code < 0xE000:
            continue
        for char in chr(code).lower():
            if word.match(char):
                folded = fold(char)
                assert not any(c.isspace() or c == ">" for c in folded), hex(code)


@pytest.mark.parametrize("language", ["english", "german", "french"])
def test_the_c_stemmers_stem_as_the_python_ones(language):
    """Builds stem with PyStemmer's C stemmers where they are installed (a dependency), else with
    snowballstemmer's pure-Python ones: the search index must not depend on which."""
    stemmers = pytest.importorskip("Stemmer")
    python = getattr(importlib.import_module(f"snowballstemmer.{language}_stemmer"), f"{language.capitalize()}Stemmer")()
    texts = [path.read_text(encoding="utf-8") for path in (REPOSITORY / "content").rglob("*.md")]
    words = sorted({word for text in texts for word in re.findall(r"\w+", text.lower())} | TRICKY_WORDS)
    assert stemmers.Stemmer(language).stemWords(words) == [python.stemWord(word) for word in words]


# Inflections, umlauts, elisions and compounds that exercise the stemmers' rules beyond the sample texts.
TRICKY_WORDS = {
    "unternehmens",
    "häuser",
    "größeren",
    "straßen",
    "industrieparks",
    "wirtschaftsentwicklungszonen",
    "l'investissement",
    "biomédecine",
    "développements",
    "créées",
    "économiques",
    "zones",
    "investments",
    "manufacturing",
    "companies",
    "generously",
    "relational",
    "hopefully",
}
