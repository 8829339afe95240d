"""The quick inline processor (parkpress/content/inline.py) renders exactly what Python-Markdown's own does.

It only skips inline patterns that cannot match; these tests compare its output with the
stock processor's on the sample site's texts and on random Markdown made of the
characters the patterns look for.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown import treeprocessors

from parkpress.content import inline
from parkpress.content.frontmatter import split
from parkpress.content.markup import MarkdownConverter

pytestmark = pytest.mark.floors  # also run on the declared dependency floors (make test-floors)

REPOSITORY = Path(__file__).resolve().parent.parent


def converters(allow_raw_html: bool) -> tuple[MarkdownConverter, MarkdownConverter]:
    """(quick, stock) converters with the same settings."""
    quick = MarkdownConverter(allow_raw_html)
    stock = MarkdownConverter(allow_raw_html)
    md = stock._md
    priority = next(item.priority for item in md.treeprocessors._priority if item.name == "inline")
    md.treeprocessors.register(treeprocessors.InlineProcessor(md), "inline", priority)
    return quick, stock


QUICK, STOCK = converters(allow_raw_html=False)
QUICK_RAW, STOCK_RAW = converters(allow_raw_html=True)


def test_python_markdown_is_a_version_the_quick_processor_was_compared_with():
    """inline.py replaces a private method: a release it does not know gets the stock processor.
    Run this module against the new release, then add it to inline.CHECKED (and widen pyproject.toml)."""
    import markdown

    assert markdown.__version__ in inline.CHECKED, (
        f"Python-Markdown {markdown.__version__} is not one inline.py was compared with ({', '.join(inline.CHECKED)})"
    )


def test_an_unknown_python_markdown_keeps_the_stock_processor(monkeypatch):
    import markdown

    monkeypatch.setattr(markdown, "__version__", "3.99.0")
    assert type(MarkdownConverter()._md.treeprocessors["inline"]) is treeprocessors.InlineProcessor


def test_the_build_uses_the_quick_processor():
    assert type(QUICK._md.treeprocessors["inline"]) is inline.QuickInlineProcessor
    assert type(STOCK._md.treeprocessors["inline"]) is treeprocessors.InlineProcessor
    order = [item.name for item in sorted(QUICK._md.treeprocessors._priority, key=lambda item: -item.priority)]
    assert order == [item.name for item in sorted(STOCK._md.treeprocessors._priority, key=lambda item: -item.priority)]


def test_every_pattern_of_python_markdown_is_known():
    """If Python-Markdown changes a pattern, it is tried on every text again (correct, but slow): this says so."""
    processor = QUICK_RAW._md.treeprocessors["inline"]
    assert [pattern for pattern, needs in zip(processor.patterns, processor.needs, strict=True) if not needs] == []


@pytest.mark.parametrize("path", sorted((REPOSITORY / "content").rglob("*.md")), ids=lambda p: p.name)
def test_sample_texts_render_as_with_python_markdown(path):
    body = split(path.read_text(encoding="utf-8")).body
    assert QUICK.convert(body, "news").html == STOCK.convert(body, "news").html


# Texts dense in what the patterns look for: brackets, emphasis, code, escapes, entities,
# angle brackets, line breaks, and the block syntax around them.
PIECES = st.sampled_from(
    [
        *"*_`[]()!<>&\\#|-:.@ \n",
        "  \n",
        "\n\n",
        "**",
        "__",
        "``",
        "![",
        "](",
        "&amp;",
        "&#42;",
        "<http://x.org>",
        "<a@b.c>",
        "<b>",
        "[a]: http://y.org\n",
        "[^",
        "[^n]",
        "[^n]: a note\n",
        "| a | b |\n|---|---|\n",
        "* ",
        "1. ",
        "> ",
        "    ",
        "word",
        "Straße",
    ]
)
TEXTS = st.lists(PIECES, max_size=40).map("".join)


@settings(max_examples=400, deadline=None)
@given(TEXTS)
def test_random_markdown_renders_as_with_python_markdown(text):
    assert QUICK.convert(text, "news").html == STOCK.convert(text, "news").html
    assert QUICK_RAW.convert(text, "news").html == STOCK_RAW.convert(text, "news").html
