"""Right to left: the direction of each language comes from CLDR (overridable), and every page says it."""

from __future__ import annotations

import json

from babel.numbers import format_compact_currency
from conftest import CONFIG, park_prose, run
from support.pages import elements, find, html_files
from support.tools import validate_html

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


ARABIC_PO = r"""msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\n"
"Plural-Forms: nplurals=6; plural=n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%%100>=3 && n%%100<=10 ? 3 : n%%100>=11 ? 4 : 5;\n"

msgid "up %%(num)s place"
msgid_plural "up %%(num)s places"
msgstr[0] "لم يتقدم"
msgstr[1] "تقدّم مرتبة واحدة"
msgstr[2] "تقدّم مرتبتين"
msgstr[3] "%s"
msgstr[4] "تقدّم %%(num)s مرتبة"
msgstr[5] "تقدّم %%(num)s مرتبة"
"""


def arabic_site(make_site, form3: str):
    config = CONFIG + ARABIC
    return make_site({"parkpress.toml": config, "locales/ar/LC_MESSAGES/messages.po": ARABIC_PO % form3})


def test_natural_arabic_singular_and_dual_without_the_number_are_accepted(make_site):
    result = run(arabic_site(make_site, "تقدّم %(num)s مراتب"), "build")
    assert result.code == 0, result.err


def test_a_form_for_many_numbers_without_the_number_is_reported_on_its_msgstr_line(make_site):
    result = run(arabic_site(make_site, "تقدّم مراتب"), "build")
    assert result.code == 1
    form = "the form for n = 3, 4, 5, … (msgstr[3])"
    assert f"locales/ar/LC_MESSAGES/messages.po:11: error: {form} of 'up %(num)s place' must use the placeholders %(num)s" in result.err


def test_arabic_pages_are_mirrored_and_no_wider_than_a_phone(make_site, browser):
    root = make_site({"parkpress.toml": CONFIG + ARABIC, "content/parks/alpha.ar.md": park_prose("منطقة ألفا", "منطقة.")})
    assert run(root, "build").code == 0
    page = browser.new_page(viewport={"width": 390, "height": 800})
    for rel in ("ar/index.html", "ar/parks/alpha/index.html", "ar/compare/index.html"):
        page.goto((root / "site" / rel).as_uri())
        width = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert width[0] <= width[1], rel
        heading = page.evaluate(
            "() => { const r = document.querySelector('main h1').getBoundingClientRect();"
            " const body = document.body.getBoundingClientRect(); return [r.right, body.right]; }"
        )
        assert abs(heading[0] - heading[1]) < 20, rel  # the heading starts at the right edge, inside the body's padding
        bidi = page.evaluate("() => [...document.querySelectorAll('td.num bdi')].map(e => getComputedStyle(e).unicodeBidi)")
        assert set(bidi) <= {"isolate"}
    page.goto((root / "site" / "ar/parks/alpha/index.html").as_uri())
    amounts = page.evaluate("() => [...document.querySelectorAll('td.num bdi')].map(e => e.textContent)")
    # Babel's text, in logical order, with a left-to-right mark that keeps the symbol CN¥ whole
    assert format_compact_currency(120000000000, "CNY", locale="ar_EG", fraction_digits=2) + "\u200e" in amounts
    letter, sign = page.evaluate(
        """() => { const text = [...document.querySelectorAll('td.num bdi')].find(e => e.textContent.includes('CN¥')).firstChild;
            const box = i => { const r = document.createRange(); r.setStart(text, i); r.setEnd(text, i + 1);
                               return r.getBoundingClientRect().left; };
            return [box(text.data.indexOf('C')), box(text.data.indexOf('¥'))]; }"""
    )
    assert letter < sign, "CN¥ reads CN¥, not ¥CN"
    page.close()


def test_arabic_charts_are_mirrored_and_every_label_stays_inside_its_svg(make_site, browser):
    root = make_site({"parkpress.toml": CONFIG + ARABIC, "content/parks/alpha.ar.md": park_prose("منطقة ألفا", "منطقة.")})
    assert run(root, "build").code == 0
    page = browser.new_page(viewport={"width": 390, "height": 800})
    page.goto((root / "site" / "ar/parks/alpha/index.html").as_uri())
    outside = page.evaluate(
        """() => [...document.querySelectorAll('svg.chart-svg')].flatMap(svg => {
            const box = svg.viewBox.baseVal;
            return [...svg.querySelectorAll('text')].map(t => [t.textContent, t.getBBox()])
              .filter(([, b]) => b.x < box.x - 0.5 || b.x + b.width > box.x + box.width + 0.5).map(([text]) => text);
        })"""
    )
    assert page.locator("svg.chart-svg").count() > 0
    assert outside == []
    first, last = page.evaluate("() => [...document.querySelectorAll('.chart-point')].map(c => c.cx.baseVal.value)")[:2]
    assert first > last  # the earlier year on the right: the line reads from the right
    page.close()


def test_every_page_of_a_site_in_english_and_arabic_is_valid_html(make_site):
    root = make_site({"parkpress.toml": CONFIG + ARABIC, "content/parks/alpha.ar.md": park_prose("منطقة ألفا", "منطقة.")})
    assert run(root, "build").code == 0
    pages = html_files(root / "site")
    assert any("/ar/" in str(page) for page in pages)
    assert validate_html(pages) == []
