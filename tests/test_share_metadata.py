"""What search engines and link previews read: every page says what it is about (a description),
shows a picture when shared (og:image), names its locale and its translations' (og:locale in the
language_TERRITORY form Open Graph wants), and points visitors of other languages to one x-default
that the sitemap names too; news say when they were revised; pages that are no content stay out
of the index."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import build_fixture_site, news, run
from support.fixture_site import CONFIG
from support.pages import find, html_files

from parkpress.core.config import open_graph_locale

BASE = "https://invest.example.org/"
OG_LOCALES = {"en": "en_US", "de-DE": "de_DE", "fr-FR": "fr_FR"}
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
ATOM = "{http://www.w3.org/2005/Atom}"
NOT_CONTENT = ("404.html", "offline.html")


def meta(page: Path, attribute: str, name: str) -> list[str]:
    return [e.attrs["content"] for e in find(page, "meta", **{attribute: name})]


def public_file(site: Path, url: str) -> Path:
    assert url.startswith(BASE), url
    rel = url.removeprefix(BASE)
    return site / (rel + "index.html" if rel.endswith("/") or not rel else rel)


def hreflangs(page: Path) -> dict[str, str]:
    return {e.attrs["hreflang"]: e.attrs["href"] for e in find(page, "link", rel="alternate") if "hreflang" in e.attrs}


def article(page: Path) -> dict:
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', page.read_text(encoding="utf-8"), re.S)
    return next(node for node in json.loads(block.group(1))["@graph"] if node["@type"] == "NewsArticle")


def test_every_page_has_a_description_and_a_picture_to_share(sample_site):
    pages = [p for p in html_files(sample_site) if p.name != "404.html" or p.parent != sample_site]  # the host's: no share
    assert len(pages) > 150
    failures = []
    for page in pages:
        where = page.relative_to(sample_site)
        descriptions = meta(page, "name", "description")
        if len(descriptions) != 1 or not descriptions[0].strip():
            failures.append(f"{where}: meta description {descriptions}")
        if meta(page, "property", "og:description") != descriptions:
            failures.append(f"{where}: og:description differs from the description")
        images = meta(page, "property", "og:image")
        if len(images) != 1 or not public_file(sample_site, images[0]).is_file():
            failures.append(f"{where}: og:image {images}")
    assert failures == []


def test_the_home_pages_describe_the_site_in_their_language(sample_site):
    assert meta(sample_site / "de/index.html", "name", "description")[0].startswith("Profile, Kennzahlen")
    assert meta(sample_site / "fr/index.html", "name", "description")[0].startswith("Fiches, chiffres clés")


def test_a_page_with_a_summary_is_described_by_it(sample_site):
    page = sample_site / "de/nachrichten/2021-08-wuqing-top100-biomedical/index.html"
    summary = article(page)["description"]
    assert meta(page, "name", "description") == [summary]


def test_a_news_item_with_a_picture_shares_it_and_others_share_the_theme_icon(sample_site):
    item = sample_site / "de/nachrichten/2021-08-wuqing-top100-biomedical/index.html"
    assert meta(item, "property", "og:image") == [BASE + "media/news/2021-08-wuqing-top100-biomedical/rank-2020-2021-1200w.jpg"]
    assert meta(item, "name", "twitter:card") == ["summary_large_image"]
    directory = sample_site / "fr/parcs/index.html"
    assert meta(directory, "property", "og:image") == [BASE + "static/icon-512.png"]
    assert meta(directory, "name", "twitter:card") == ["summary"]


def test_every_page_names_its_locale_and_those_of_its_translations(sample_site):
    failures = []
    for page in html_files(sample_site):
        if page.parent == sample_site and page.name == "404.html":
            continue
        where = page.relative_to(sample_site)
        own = meta(page, "property", "og:locale")
        lang = page.read_text(encoding="utf-8").split('<html lang="', 1)[1].split('"', 1)[0]
        if own != [OG_LOCALES[lang]]:
            failures.append(f"{where}: og:locale {own}")
        translations = {OG_LOCALES[h] for h in hreflangs(page) if h not in ("x-default", lang)}
        if page.parent == sample_site:  # the chooser: all languages are its own
            translations = set(OG_LOCALES.values()) - set(own)
        alternates = meta(page, "property", "og:locale:alternate")
        if not alternates or set(alternates) != translations:
            failures.append(f"{where}: og:locale:alternate {alternates}, translations {sorted(translations)}")
    assert failures == []


@pytest.mark.parametrize(("locale", "expected"), [("en", "en_US"), ("de_DE", "de_DE"), ("zh", "zh_CN"), ("ar", "ar_EG")])
def test_open_graph_locales_have_a_territory(locale, expected):
    assert open_graph_locale(locale) == expected


def test_every_news_article_says_when_it_was_revised_with_a_picture_and_its_publisher(sample_site):
    items = sorted((sample_site / "en/news").glob("*/index.html"))
    items = [p for p in items if not p.parent.name.isdigit()]
    assert len(items) >= 9
    for page in items:
        node = article(page)
        assert node["dateModified"] == node["datePublished"], page  # no item of the sample is revised
        assert public_file(sample_site, node["image"]).is_file(), page
        assert node["publisher"]["url"] == BASE + "en/"
        assert public_file(sample_site, node["publisher"]["logo"]["url"]).is_file()


def test_pages_that_are_no_content_are_kept_out_of_the_index(sample_site):
    for page in html_files(sample_site):
        robots = meta(page, "name", "robots")
        assert robots == (["noindex"] if page.name in NOT_CONTENT else []), page.relative_to(sample_site)


def test_html_and_sitemap_name_the_same_x_default(sample_site):
    entries = ET.parse(sample_site / "sitemap.xml").getroot().iter(f"{SITEMAP}url")
    listed = {url.findtext(f"{SITEMAP}loc"): url for url in entries}
    assert BASE in listed, "the root page is the home pages' x-default, so it is listed"
    for loc, url in listed.items():
        in_sitemap = {link.get("hreflang"): link.get("href") for link in url.iter(f"{XHTML}link")}
        assert in_sitemap["x-default"] == hreflangs(public_file(sample_site, loc))["x-default"], loc
    assert hreflangs(sample_site / "de/index.html")["x-default"] == BASE
    assert hreflangs(sample_site / "de/parks/index.html")["x-default"] == BASE + "en/parks/"


def revised(updated: str) -> dict[str, str]:
    return {"content/news/2021-alpha-grows.en.md": news("Alpha grows", extra=f"updated: {updated}\n")}


def test_a_revised_item_says_so_in_json_ld_and_in_the_feed(tmp_path):
    site = build_fixture_site(tmp_path / "project", revised("2022-03-01 08:30"))
    node = article(site / "en/news/2021-alpha-grows/index.html")
    assert (node["datePublished"], node["dateModified"]) == ("2021-07-15T10:00:00+08:00", "2022-03-01T08:30:00+08:00")
    feed = ET.parse(site / "en/feed.xml").getroot()
    entry = next(e for e in feed.iter(f"{ATOM}entry") if e.findtext(f"{ATOM}title") == "Alpha grows")
    assert entry.findtext(f"{ATOM}published") == "2021-07-15T10:00:00+08:00"
    assert entry.findtext(f"{ATOM}updated") == "2022-03-01T08:30:00+08:00"
    assert feed.findtext(f"{ATOM}updated") == "2022-03-01T08:30:00+08:00"  # the latest change of any item


def test_a_revision_before_the_release_is_an_error_naming_the_line(make_site):
    result = run(make_site(revised("2020-01-01")), "build")
    assert result.code == 1
    assert "content/news/2021-alpha-grows.en.md:9: error: updated is before date" in result.err, result.err


def test_a_site_picture_is_shared_where_a_page_has_none(tmp_path):
    from PIL import Image

    picture = tmp_path / "share.png"
    Image.new("RGB", (1200, 630), "#0b5394").save(picture)
    config = CONFIG.replace("news_per_page = 2\n", 'news_per_page = 2\nimage = "static/share.png"\n')
    config = config.replace('title = "Parkmonitor"\n', 'title = "Parkmonitor"\ndescription = "Chinas Industrieparks im Blick."\n')
    site = build_fixture_site(tmp_path / "project", {"parkpress.toml": config, "static/share.png": picture.read_bytes()})
    home = site / "de/index.html"
    assert meta(home, "property", "og:image") == [BASE + "static/share.png"]
    assert meta(home, "name", "description") == ["Chinas Industrieparks im Blick."]
    assert meta(site / "en/index.html", "name", "description") == ["Park Monitor"]  # no description: the title
    assert article(site / "de/nachrichten/2021-alpha-grows/index.html")["image"] == BASE + "static/share.png"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('image = "static/missing.png"', "image 'static/missing.png' is not a static file; put it in static/missing.png of the site"),
        ('image = "static/logo.svg"', "is not a picture link previews show; use a PNG, JPEG, WebP or GIF file (not SVG)"),
        ('image = "../secret.png"', "must be a file of the site's static/ folder as it is published, e.g. static/share.png"),
    ],
)
def test_a_wrong_site_picture_is_an_error_naming_the_line(make_site, line, message):
    root = make_site({"parkpress.toml": CONFIG.replace("news_per_page = 2\n", f"news_per_page = 2\n{line}\n")})
    result = run(root, "build")
    assert result.code == 1
    assert "parkpress.toml:6: error: " in result.err and message in result.err, result.err


def test_a_description_longer_than_search_engines_show_is_an_error(make_site):
    config = CONFIG.replace('title = "Park Monitor"\n', f'title = "Park Monitor"\ndescription = "{"x" * 301}"\n')
    result = run(make_site({"parkpress.toml": config}), "build")
    assert result.code == 1
    assert "parkpress.toml:11: error:" in result.err and "is 301 characters long" in result.err, result.err
