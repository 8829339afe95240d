"""Every built page is valid HTML according to the Nu HTML checker (vnu.jar)."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.pages import html_files
from support.tools import validate_html


@pytest.fixture(scope="module")
def vnu_errors(sample_site, fixture_site) -> dict[Path, list[str]]:
    """Both sites in one vnu run (starting Java costs more than checking a page); site -> its errors."""
    messages = validate_html([*html_files(sample_site), *html_files(fixture_site)])
    # A message that names neither site (vnu could not read a file) counts against both.
    return {
        site: [m for m in messages if not m.startswith(f"{other}/")]
        for site, other in ((sample_site, fixture_site), (fixture_site, sample_site))
    }


def test_every_page_of_the_sample_site_is_valid_html(sample_site, vnu_errors):
    assert len(html_files(sample_site)) > 100  # the whole site, not an empty folder
    assert vnu_errors[sample_site] == []


def test_every_page_of_the_fixture_site_is_valid_html(fixture_site, vnu_errors):
    # The fixture covers what the sample lacks: news and a page in English only, so switchers with fallback links.
    assert vnu_errors[fixture_site] == []
