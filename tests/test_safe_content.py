"""Content is shown, never run: hostile text stays text in every context it reaches.

Each context has its own escaping rules (HTML text, attributes, JSON-LD inside <script>,
Atom XML, the sitemap), so each is checked separately.  Raw HTML in Markdown is escaped
unless the site allows it; script URLs in links are dropped; translations cannot inject
markup either.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest
from conftest import CONFIG, PARK, news, park_prose, run

from parkpress.content.markup import MarkdownConverter

pytestmark = pytest.mark.floors  # also run on the declared dependency floors (make test-floors)

HOSTILE = """<script>alert("x")</script> 'q' & {{ 7*7 }} {% if 1 %}]]></script><!-- --> """.strip()
NEWS = "content/news/2021-alpha-grows.en.md"
GERMAN_PO = "locales/de/LC_MESSAGES/messages.po"
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def q(text: str) -> str:
    """``text`` as a double-quoted YAML (and TOML) string."""
    return json.dumps(text)


class Page(HTMLParser):
    """What a browser makes of a page: its text, its elements and their attributes, its scripts."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.elements: list[tuple[str, dict]] = []
        self.scripts: list[tuple[dict, str]] = []
        self._in_script: dict | None = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.elements.append((tag, attributes))
        if tag == "script":
            self._in_script = attributes
            self.scripts.append((attributes, ""))

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = None

    def handle_data(self, data):
        if self._in_script is not None:
            attributes, text = self.scripts[-1]
            self.scripts[-1] = (attributes, text + data)
        else:
            self.text.append(data)

    def meta(self, key: str, value: str) -> str:
        return next(a["content"] for tag, a in self.elements if tag == "meta" and a.get(key) == value)

    def jsonld(self) -> dict:
        (raw,) = [text for attributes, text in self.scripts if attributes.get("type") == "application/ld+json"]
        return json.loads(raw)

    def assert_nothing_runs(self) -> None:
        for attributes, text in self.scripts:
            assert attributes.get("type") == "application/ld+json" or (attributes.get("src") and not text.strip()) or "alert" not in text
        for tag, attributes in self.elements:
            assert not any(name.startswith("on") for name in attributes), (tag, attributes)
            for name in ("href", "src"):
                assert browser_scheme(attributes.get(name) or "") in ("", "http", "https", "mailto", "tel"), (tag, attributes)


def browser_scheme(url: str) -> str:
    """The scheme a browser reads from an attribute value (already entity-decoded)."""
    url = re.sub(r"[\t\n\r]", "", url).strip("".join(map(chr, range(33))))
    match = re.match(r"([A-Za-z][A-Za-z0-9+.-]*):", url)
    return match.group(1).lower() if match else ""


def graph(page: Page, kind: str) -> list[dict]:
    return [node for node in page.jsonld()["@graph"] if node["@type"] == kind]


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    """A site whose every editor-written text is HOSTILE; returns its site/ folder."""
    from conftest import copy_catalogs, default_files, write_files

    root = tmp_path_factory.mktemp("hostile") / "project"
    root.mkdir()
    copy_catalogs(root)
    park = (
        PARK.replace("name: Alpha Development Zone", f"name: {q(HOSTILE)}").replace(
            "    year: 2021\n  - kind: output-value", f"    year: 2021\n    source: {q(HOSTILE)}\n  - kind: output-value"
        )
        + f"contact:\n  office: {q(HOSTILE)}\n  address: {q(HOSTILE)}\n  phone: {q(HOSTILE)}\n"
    )
    hostile_news = (
        f"---\ntitle: {q(HOSTILE)}\ndate: 2021-07-15 10:00\nparks: [alpha]\nindustries: [biomedicine]\n"
        f"source:\n  name: {q(HOSTILE)}\nsummary: {q(HOSTILE)}\n---\nBody text.\n"
    )
    config = CONFIG.replace('https://invest.example.org/"', "https://invest.example.org/q&a'/\"")
    write_files(
        root,
        {
            **default_files(),
            "parkpress.toml": config,
            "content/parks/alpha.yaml": park,
            "content/parks/alpha.en.md": park_prose(q(HOSTILE), q(HOSTILE)),
            NEWS: hostile_news,
        },
    )
    result = run(root, "build")
    assert result.code == 0, result.err
    return root / "site"


def read(site, path: str) -> str:
    return (site / path).read_text(encoding="utf-8")


def test_hostile_text_shows_as_text_in_the_page(hostile_site):
    for path in ("en/news/2021-alpha-grows/index.html", "en/parks/alpha/index.html", "en/index.html", "en/news/index.html"):
        page = Page(read(hostile_site, path))
        page.assert_nothing_runs()
        assert HOSTILE in "".join(page.text), path


def test_hostile_news_fields_show_as_text_where_they_are_used(hostile_site):
    page = Page(read(hostile_site, "en/news/2021-alpha-grows/index.html"))
    text = "".join(page.text)
    assert text.count(HOSTILE) >= 4  # <title>, heading, lead, source


def test_hostile_park_fields_show_as_text_where_they_are_used(hostile_site):
    page = Page(read(hostile_site, "en/parks/alpha/index.html"))
    text = "".join(page.text)
    assert text.count(HOSTILE) >= 6  # <title>, heading, lead, figure source, office, address, phone


def test_hostile_text_is_exact_in_attributes(hostile_site):
    page = Page(read(hostile_site, "en/news/2021-alpha-grows/index.html"))
    assert page.meta("name", "description") == HOSTILE
    assert page.meta("property", "og:description") == HOSTILE
    assert page.meta("property", "og:title") == HOSTILE


def test_hostile_text_is_exact_in_json_ld_and_cannot_end_its_script(hostile_site):
    for path in ("en/news/2021-alpha-grows/index.html", "en/parks/alpha/index.html"):
        html = read(hostile_site, path)
        block = html.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
        assert "<" not in block and ">" not in block  # nothing a parser could take for a tag or a comment
        assert json.loads(block) == Page(html).jsonld()  # the script holds the whole block
    article = graph(Page(read(hostile_site, "en/news/2021-alpha-grows/index.html")), "NewsArticle")[0]
    assert (article["headline"], article["description"], article["author"]["name"]) == (HOSTILE, HOSTILE, HOSTILE)
    park = Page(read(hostile_site, "en/parks/alpha/index.html"))
    place = graph(park, "Place")[0]
    assert (place["name"], place["alternateName"], place["description"]) == (HOSTILE, HOSTILE, HOSTILE)
    office = graph(park, "GovernmentOrganization")[0]
    assert (office["name"], office["address"], office["telephone"]) == (HOSTILE, HOSTILE, HOSTILE)


def test_hostile_text_is_exact_in_the_feed(hostile_site):
    feed = ET.fromstring((hostile_site / "en/feed.xml").read_bytes())  # raises if not well-formed
    entry = next(e for e in feed.iter(f"{ATOM}entry") if e.findtext(f"{ATOM}id").endswith("/2021-alpha-grows/"))
    assert entry.findtext(f"{ATOM}title") == HOSTILE
    assert entry.findtext(f"{ATOM}summary") == HOSTILE
    assert feed.findtext(f"{ATOM}id") == "https://invest.example.org/q&a'/en/feed.xml"


def test_the_sitemap_is_well_formed_and_has_the_literal_urls(hostile_site):
    sitemap = ET.fromstring((hostile_site / "sitemap.xml").read_bytes())
    locations = [loc.text for loc in sitemap.iter(f"{SITEMAP}loc")]
    assert "https://invest.example.org/q&a'/en/news/2021-alpha-grows/" in locations
    links = [link.get("href") for link in sitemap.iter("{http://www.w3.org/1999/xhtml}link")]
    assert links and all(link.startswith("https://invest.example.org/q&a'/") for link in links)


def test_robots_txt_has_the_literal_sitemap_url(hostile_site):
    assert "Sitemap: https://invest.example.org/q&a'/sitemap.xml" in read(hostile_site, "robots.txt")


def test_a_url_with_characters_urls_never_contain_is_refused(make_site):
    root = make_site(
        {NEWS: news("Alpha", extra="").replace("  name: Alpha Zone\n", '  name: Alpha Zone\n  url: https://x.org/"><script>\n')}
    )
    result = run(root, "build")
    assert result.code == 1
    assert f"{NEWS}:8: error: 'source.url' 'https://x.org/\"><script>' is not a web address" in result.err


def test_a_control_character_in_a_title_is_an_error_as_it_would_break_the_feed(make_site):
    result = run(make_site({NEWS: news(q("Alpha \x01 grows"))}), "build")
    assert result.code == 1
    assert f"{NEWS}:2: error: 'title' contains the control character U+0001 at position 7; remove it" in result.err


# Raw HTML and URLs in Markdown

RAW = '<b>bold</b> <script>alert(1)</script> <img src=x onerror="alert(1)">\n\n<div onclick="alert(1)">block</div>'


def prose(site, path="en/news/2021-alpha-grows/index.html") -> str:
    return read(site, path).split('<div class="prose">', 1)[1].split("</div>\n</article>", 1)[0]


def test_raw_html_in_markdown_is_escaped_by_default(make_site):
    root = make_site({NEWS: news("Alpha", body=RAW)})
    assert run(root, "build").code == 0
    page = Page(read(root / "site", "en/news/2021-alpha-grows/index.html"))
    page.assert_nothing_runs()
    assert not any(tag in ("b", "img", "div") and ("onclick" in a or "onerror" in a or tag == "b") for tag, a in page.elements)
    assert "<b>bold</b>" in "".join(page.text)


def test_raw_html_in_markdown_is_kept_when_the_site_allows_it(make_site):
    config = CONFIG.replace("news_per_page = 2\n", "news_per_page = 2\nallow_raw_html = true\n")
    root = make_site({"parkpress.toml": config, NEWS: news("Alpha", body="Some <b>bold</b> words.\n\n<aside>A note.</aside>")})
    assert run(root, "build").code == 0
    body = prose(root / "site")
    assert "<b>bold</b>" in body and "<aside>A note.</aside>" in body


UNSAFE_URLS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "<javascript:alert(1)>",
    "jav&#x09;ascript:alert(1)",
    "jav&#9;ascript:alert(1)",
    "&#106;avascript:alert(1)",
    "&#x6A;avascript:alert(1)",
    "javascript&#58;alert(1)",
    "javascript&colon;alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "DATA:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "VBScript:msgbox(1)",
    "//evil.example/x",
    "http://[broken",
]


@pytest.mark.parametrize("url", UNSAFE_URLS)
@pytest.mark.parametrize("form", ["[link]({})", "![image]({})", "[link][ref]\n\n[ref]: {}"])
def test_script_and_data_urls_in_markdown_are_dropped(url, form):
    rendered = MarkdownConverter().convert(form.format(url), "news")
    page = Page(rendered.html)
    page.assert_nothing_runs()
    assert not any(a.get("href") or a.get("src") for tag, a in page.elements if tag in ("a", "img")), rendered.html
    assert rendered.dropped


@pytest.mark.parametrize(
    "url", ["https://example.org/a?b=1&c=2", "mailto:invest@example.org", "tel:+862200000000", "../parks/x.pdf", "#facts"]
)
def test_ordinary_urls_in_markdown_are_kept(url):
    rendered = MarkdownConverter().convert(f"[link]({url})", "news")
    assert rendered.dropped == []
    assert 'href="' in rendered.html


def test_a_dropped_url_is_reported_as_a_warning_naming_the_line(make_site):
    root = make_site({NEWS: news("Alpha", body="Fine.\n\n[click](jav&#x09;ascript:alert(1))")})
    result = run(root, "build", "-v")
    assert result.code == 0
    assert f"{NEWS}:12: warning: unsafe link 'jav&#x09;ascript:alert(1)' removed" in result.out
    Page(read(root / "site", "en/news/2021-alpha-grows/index.html")).assert_nothing_runs()


# Translations


def test_markup_in_a_translation_is_shown_escaped(make_site):
    root = make_site()
    po = root / GERMAN_PO
    with po.open("a", encoding="utf-8") as catalog:  # the site's entry overrides the theme's "Nachrichten"
        catalog.write('\nmsgid "News"\nmsgstr "<b>Nach</b><script>alert(1)</script>"\n')
    assert run(root, "build").code == 0
    html = read(root / "site", "de/index.html")
    page = Page(html)
    page.assert_nothing_runs()
    assert "<b>Nach</b><script>alert(1)</script>" in "".join(page.text)
    assert not any(tag == "b" for tag, _ in page.elements)
    feed = ET.fromstring((root / "site/de/feed.xml").read_bytes())
    assert feed.findtext(f"{ATOM}title").endswith("<b>Nach</b><script>alert(1)</script>")


@pytest.mark.parametrize(
    ("msgstr", "message"),
    [
        ('"gegründet %(jahr)s"', "must use the placeholders %(year)s, exactly as the source does"),
        ('"gegründet"', "must use the placeholders %(year)s, exactly as the source does"),
        ('"gegründet %(year)s, 100% sicher"', "has a lone '%'; write '%%' for a percent sign"),
    ],
)
def test_a_translation_with_broken_placeholders_is_an_error_naming_its_line(make_site, msgstr, message):
    root = make_site()
    po = root / GERMAN_PO
    catalog = po.read_text(encoding="utf-8")
    line = catalog.count("\n") + 2  # the site's entry, which overrides the theme's
    po.write_text(f'{catalog}\nmsgid "founded %(year)s"\nmsgstr {msgstr}\n', encoding="utf-8")
    result = run(root, "build")
    assert result.code == 1
    assert f"{GERMAN_PO}:{line}: error: translation of 'founded %(year)s' {message}" in result.err.splitlines()
