"""Footnotes (``[^label]``) in every script: a numbered reference, the note at the end of the body
with a back-link titled in the page's language, ids that no other body on the page repeats.

The fixture site has English, Chinese and Arabic; the same park's prose has a note in each.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import PARK, news, run, write_files
from support.fixture_site import TAXONOMY
from support.pages import find, ids
from support.tools import run_axe, validate_html
from test_cjk import CONFIG as CJK_CONFIG
from test_direction import ARABIC

from parkpress.content.markup import MarkdownConverter
from parkpress.content.model import Document
from parkpress.core.problems import Problems
from parkpress.site.body import Bodies

CONFIG = CJK_CONFIG + ARABIC  # English, Chinese and Arabic

PROSE = {
    "en": ("Alpha Zone", "Alpha hosts biomedicine.[^report] It grew.[^growth]", "[^report]: The annual report.\n[^growth]: Ten percent."),
    "zh": ("阿尔法开发区", "阿尔法以生物医药为主导产业。[^年报]增长很快。[^增长]", "[^年报]: 管委会的年报。\n[^增长]: 百分之十。"),
    "ar": ("منطقة ألفا", "تستضيف ألفا صناعة الأدوية.[^تقرير] ونمت بسرعة.[^نمو]", "[^تقرير]: التقرير السنوي.\n[^نمو]: عشرة في المئة."),
}
BACK_TITLES = {"en": "Back to note 1 in the text", "zh": "返回正文中注释 1 的位置", "ar": "العودة إلى موضع الحاشية 1 في النص"}


def site_files() -> dict[str, str]:
    files = {"parkpress.toml": CONFIG, "content/taxonomy.yaml": TAXONOMY, "content/parks/alpha.yaml": PARK}
    for lang, (title, text, notes) in PROSE.items():
        files[f"content/parks/alpha.{lang}.md"] = f"---\ntitle: {title}\nsummary: {title}.\n---\n{text}\n\n{notes}\n"
    files["content/news/2021-alpha-grows.en.md"] = news("Alpha grows", body="Alpha grows.[^a] Again.[^a]\n\n[^a]: A note cited twice.")
    return files


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("notes") / "project"
    write_files(root, site_files())
    result = run(root, "build")
    assert result.code == 0, result.err
    assert "footnote" not in result.err, result.err
    return root / "site"


def convert(text: str):
    return MarkdownConverter().convert(text, "news")


# --- the Markdown ---------------------------------------------------------------------------------------


def test_a_reference_becomes_a_numbered_link_to_its_note_and_the_note_links_back():
    body = convert("Text.[^first] More.[^second]\n\n[^first]: One.\n[^second]: Two.\n").html
    assert re.findall(r'<sup id="([^"]+)"><a class="footnote-ref" href="#([^"]+)">(\d)</a>', body) == [
        ("pp-note:ref1", "pp-note:fn1", "1"),
        ("pp-note:ref2", "pp-note:fn2", "2"),
    ]
    assert re.findall(r'<li id="([^"]+)">', body) == ["pp-note:fn1", "pp-note:fn2"]
    assert re.findall(r'class="footnote-backref" href="#([^"]+)"', body) == ["pp-note:ref1", "pp-note:ref2"]


@pytest.mark.parametrize("label", ["年报", "تقرير", "a note", 'say "hi" & <go>', "x:y"])
def test_any_label_gives_a_valid_id_made_of_the_notes_number(label):
    body = convert(f"Text.[^{label}]\n\n[^{label}]: The note.\n").html
    assert re.findall(r'\bid="([^"]+)"', body) == ["pp-note:ref1", "pp-note:fn1"]


def test_a_note_cited_twice_links_back_to_each_citation_with_its_own_title():
    body = convert("A.[^n] B.[^n]\n\n[^n]: Twice.\n").html
    assert re.findall(r'<sup id="([^"]+)">', body) == ["pp-note:ref1", "pp-note:ref1-2"]
    assert re.findall(r'href="#(pp-note:ref[^"]+)" title="pp-note-back:([^"]+)"', body) == [
        ("pp-note:ref1", "1.1"),
        ("pp-note:ref1-2", "1.2"),
    ]


def test_a_note_without_reference_and_a_reference_without_note_are_found():
    rendered = convert("Cites [^missing] and [^used].\n\n[^used]: Used.\n[^spare]: Never cited.\n\n`[^code]` is code.\n")
    assert rendered.notes_undefined == ["missing"]
    assert rendered.notes_unused == ["spare"]
    assert rendered.html.count("footnote-backref") == 1  # the spare note's would lead nowhere


def doc(section: str, key: str, body: str) -> Document:
    return Document(section, key, "en", {}, body, f"content/{section}/{key}.en.md")


def test_two_bodies_on_one_page_share_no_id_even_with_the_same_text():
    text = "Text.[^n]\n\n[^n]: Note.\n"
    bodies = Bodies(None, None, MarkdownConverter(), Problems(Path()))
    shown = doc("news", "alpha", text), doc("news", "beta", text), doc("parks", "alpha", text)
    pages = [bodies.html(d, "en/index.html", "Back to %(num)s") for d in shown]
    assert bodies.rendered(shown[0]) is bodies.rendered(shown[1])  # rendered once, made unique per document
    found = [re.findall(r'\bid="([^"]+)"', html) for html in pages]
    assert found == [[f"{prefix}:ref1", f"{prefix}:fn1"] for prefix in ("news:alpha", "news:beta", "parks:alpha")]
    assert 'href="#news:beta:fn1"' in pages[1] and 'href="#news:beta:ref1"' in pages[1]
    assert 'title="Back to 1" aria-label="Back to 1"' in pages[1]


# --- the built pages ------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "zh", "ar"])
def test_every_script_links_reference_and_note_both_ways_with_a_title_in_its_language(site, lang):
    page = site / lang / "parks/alpha/index.html"
    refs = find(page, "a", **{"class": "footnote-ref"})
    backs = find(page, "a", **{"class": "footnote-backref"})
    assert [a.attrs["href"] for a in refs] == ["#parks:alpha:fn1", "#parks:alpha:fn2"]
    assert [a.attrs["href"] for a in backs] == ["#parks:alpha:ref1", "#parks:alpha:ref2"]
    assert {"parks:alpha:fn1", "parks:alpha:fn2", "parks:alpha:ref1", "parks:alpha:ref2"} <= ids(page)
    assert backs[0].attrs["title"] == backs[0].attrs["aria-label"] == BACK_TITLES[lang]


def test_the_problems_are_reported_with_their_lines(tmp_path):
    root = tmp_path / "project"
    body = "Cites [^missing].\n\n[^spare]: Never cited."
    write_files(root, {**site_files(), "content/news/2021-alpha-grows.en.md": news("Alpha grows", body=body)})
    result = run(root, "build", "-v")
    assert result.code == 0
    item = "content/news/2021-alpha-grows.en.md"
    assert f"{item}:10: warning: footnote [^missing] has no note; write it on a line of its own: '[^missing]: the note'" in result.out
    assert f"{item}:12: warning: footnote [^spare] is never referred to; write [^spare] where it belongs" in result.out


def test_pages_with_notes_are_valid_html(site):
    pages = [site / lang / "parks/alpha/index.html" for lang in PROSE] + [site / "en/news/2021-alpha-grows/index.html"]
    assert validate_html(pages) == []


def test_pages_with_notes_pass_axe(site, browser):
    page = browser.new_page()
    try:
        for lang in PROSE:
            page.goto((site / lang / "parks/alpha/index.html").resolve().as_uri())
            assert [violation["id"] for violation in run_axe(page)] == [], lang
    finally:
        page.close()


# Whether the element the address's fragment names is on screen, all of it.
TARGET_IN_VIEW = (
    "(() => { const box = document.querySelector(':target').getBoundingClientRect(); return box.top >= 0 && box.bottom <= innerHeight })()"
)


def test_in_the_browser_the_reference_leads_to_the_note_and_the_back_link_back(site, browser):
    page = browser.new_page(viewport={"width": 800, "height": 400})  # shorter than the page: the links must scroll
    try:
        for lang in ("zh", "ar"):
            page.goto((site / lang / "parks/alpha/index.html").resolve().as_uri())
            page.click("a.footnote-ref >> nth=1")
            assert page.evaluate("decodeURIComponent(location.hash)") == "#parks:alpha:fn2"
            assert page.evaluate("document.querySelector(':target').id") == "parks:alpha:fn2"
            assert PROSE[lang][2].rsplit(": ", 1)[1] in page.locator("li:target").text_content()
            assert page.evaluate(TARGET_IN_VIEW)
            page.click("li:target a.footnote-backref")
            assert page.evaluate("document.querySelector(':target').id") == "parks:alpha:ref2"
            assert page.evaluate(TARGET_IN_VIEW)
    finally:
        page.close()
