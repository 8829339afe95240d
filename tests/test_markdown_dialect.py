"""The Markdown dialect: what an editor sees in a CommonMark preview (GitHub, VS Code) is what
the site shows, for list nesting and heading anchors."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import news, run

from parkpress.content.anchors import THEME_ID_PREFIXES, THEME_IDS
from parkpress.content.markup import MarkdownConverter

THEME_TEMPLATES = Path(__file__).resolve().parent.parent / "parkpress" / "theme" / "default" / "templates"


def html(text: str) -> str:
    return MarkdownConverter().convert(text, "").html.replace("\n", "")


@pytest.mark.parametrize(
    ("text", "nested"),
    [
        ("- a\n  - b\n    - c\n- d\n", "<ul><li>a<ul><li>b<ul><li>c</li></ul></li></ul></li><li>d</li></ul>"),
        ("- a\n   - b\n- d\n", "<ul><li>a<ul><li>b</li></ul></li><li>d</li></ul>"),
        ("1. a\n   1. b\n2. c\n", "<ol><li>a<ol><li>b</li></ol></li><li>c</li></ol>"),
        ("1. a\n   - b\n2. c\n", "<ol><li>a<ul><li>b</li></ul></li><li>c</li></ol>"),
        ("* a\n  * b\n* c\n", "<ul><li>a<ul><li>b</li></ul></li><li>c</li></ul>"),
        ("- a\n\n  more text\n\n- b\n", "<ul><li><p>a</p><p>more text</p></li><li><p>b</p></li></ul>"),
    ],
    ids=["two-spaces", "three-spaces", "ordered-under-ordered", "bullets-under-ordered", "stars", "paragraph"],
)
def test_a_list_indented_to_its_parents_text_nests(text, nested):
    assert html(text) == nested


@pytest.mark.parametrize(
    "text",
    [
        "- a\n    - b\n        - c\n- d\n",  # Python-Markdown's own four spaces
        "10. a\n    - b\n",
        "text\n\n    code\n",
    ],
)
def test_text_indented_as_python_markdown_wants_renders_as_before(text):
    import markdown

    before = markdown.Markdown(extensions=["tables", "sane_lists"]).convert(text).replace("\n", "")
    assert html(text) == before


def test_headings_get_github_style_ids_in_every_script():
    page = html("## 投资环境\n\n## Förderung & Steuern\n\n## الاستثمار في المنطقة\n\n## `Code` and *emphasis*\n")
    assert re.findall(r'id="([^"]*)"', page) == ["投资环境", "förderung--steuern", "الاستثمار-في-المنطقة", "code-and-emphasis"]


def test_heading_ids_are_unique_on_a_page_and_never_the_themes():
    page = html("## Overview\n\n## Overview\n\n### Overview\n\n## Main\n\n## Chart: rank\n\n## !!!\n")
    assert re.findall(r'id="([^"]*)"', page) == ["overview", "overview-1", "overview-2", "section-main", "section-chart-rank", "section"]


def test_the_theme_ids_a_heading_must_avoid_are_all_known():
    written = set()
    for template in THEME_TEMPLATES.rglob("*.html"):
        written |= set(re.findall(r'\bid="([^"{]+)"', template.read_text(encoding="utf-8")))
    assert written <= THEME_IDS, f"add {sorted(written - THEME_IDS)} to parkpress/content/anchors.py THEME_IDS"
    assert THEME_ID_PREFIXES == ("chart-",)  # site/views.py names every chart "chart-…"


def test_a_built_page_nests_the_list_and_links_to_its_section(make_site):
    body = "## Funding\n\nSee [the funding](#funding).\n\n- Grants\n  - for research\n  - for plants\n- Loans\n"
    root = make_site({"content/news/2021-alpha-grows.en.md": news("Alpha grows", body=body)})
    assert run(root, "build").code == 0
    page = (root / "site/en/news/2021-alpha-grows/index.html").read_text(encoding="utf-8")
    assert '<h2 id="funding">Funding</h2>' in page
    assert re.search(r"<li>Grants\s*<ul>\s*<li>for research</li>\s*<li>for plants</li>\s*</ul>\s*</li>\s*<li>Loans</li>", page)
