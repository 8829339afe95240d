"""Right to left: the direction of each language comes from CLDR (overridable), and every page says it."""

from __future__ import annotations

import json

from conftest import CONFIG, park_prose, run
from support.pages import elements, find, html_files

ARABIC = '\n[languages.ar]\nname = "العربية"\nlocale = "ar_EG"\ntitle = "مرصد المناطق"\n'


def test_every_page_has_the_direction_of_its_language_and_links_to_others_carry_theirs(make_site):
    root = make_site({"parkpress.toml": CONFIG + ARABIC, "content/parks/alpha.ar.md": park_prose("منطقة ألفا", "منطقة.")})
    result = run(root, "build")
    assert result.code == 0, result.err
    site = root / "site"
    directions = {"en": "ltr", "de-DE": "ltr", "fr-FR": "ltr", "ar-EG": "rtl"}
    for lang in ("en", "ar"):
        for page in html_files(site / lang):
            html = find(page, "html")[0]
            assert directions[html.attrs["lang"]] == html.attrs["dir"], page
            for element in elements(page):
                if "lang" in element.attrs and element.tag != "html":
                    assert element.attrs.get("dir") == directions[element.attrs["lang"]], (page, element)
    chooser = [e for e in find(site / "index.html", "a") if e.attrs.get("hreflang") == "ar-EG"]
    assert chooser[0].attrs["dir"] == "rtl"
    assert json.loads((site / "ar/manifest.webmanifest").read_text(encoding="utf-8"))["dir"] == "rtl"
    assert json.loads((site / "en/manifest.webmanifest").read_text(encoding="utf-8"))["dir"] == "ltr"


def test_a_language_table_may_overrule_the_direction_but_only_with_ltr_or_rtl(make_site):
    root = make_site({"parkpress.toml": CONFIG + ARABIC + 'direction = "sideways"\n'})
    result = run(root, "build")
    assert result.code == 1
    assert "parkpress.toml:" in result.err and "'sideways' is not a direction" in result.err
