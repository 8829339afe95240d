"""The ``|rel`` filter's shortcut gives exactly the links ``urls.relative`` gives."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from parkpress.render.templates import _links_from
from parkpress.site.urls import relative

# Real page paths, and the segments that make relative() take its slow path or say "." or "..".
SEGMENTS = st.sampled_from(["en", "de", "news", "nachrichten", "x", "index.html", "static", "site.css", "a.b", "", ".", ".."])
PATHS = st.lists(SEGMENTS, min_size=1, max_size=5).map("/".join)


@settings(max_examples=1000)
@given(page=PATHS, target=PATHS, fragment=st.sampled_from(["", "#top"]))
def test_links_from_a_page_are_relatives(page, target, fragment):
    assert _outcome(_links_from(page), target + fragment) == _outcome(lambda path: relative(page, path), target + fragment)


def _outcome(link, path):
    try:
        return link(path)
    except ValueError as exc:  # relative() refuses some paths no page has ("/en" to "")
        return type(exc)


def test_links_to_the_folders_a_page_is_in():
    link = _links_from("de/nachrichten/x/index.html")
    paths = ("de/nachrichten/x", "de/nachrichten", "de", "de/nachrichten/x/index.html")
    assert [link(path) for path in paths] == [".", "..", "../..", "index.html"]
    assert link("static/site.css") == "../../../static/site.css"
    assert link("de/nachrichten/y/index.html#top") == "../y/index.html#top"
