"""Every built page is valid HTML according to the Nu HTML checker (vnu.jar)."""

from __future__ import annotations

from support.pages import html_files
from support.tools import validate_html


def test_every_page_of_the_sample_site_is_valid_html(sample_site):
    pages = html_files(sample_site)
    assert len(pages) > 100  # the whole site, not an empty folder
    assert validate_html(pages) == []


def test_every_page_of_the_fixture_site_is_valid_html(fixture_site):
    # The fixture covers what the sample lacks: news and a page in English only, so switchers with fallback links.
    pages = html_files(fixture_site)
    assert validate_html(pages) == []
