"""Links in the built sample site work from any folder, any host and straight from disk (file://)."""

from __future__ import annotations

import re
import tomllib
import xml.etree.ElementTree as ET
from collections import deque
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import REPO
from support.pages import elements, follow, html_files, is_page_file, relative_problems, urls

BASE_URL = tomllib.loads((REPO / "parkpress.toml").read_text(encoding="utf-8"))["site"]["base_url"].rstrip("/") + "/"
LANGUAGES = tuple(tomllib.loads((REPO / "parkpress.toml").read_text(encoding="utf-8"))["languages"])
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
# Absolute URLs are allowed only where they must be absolute: the page's public
# address for search engines, and links that leave the site (a news item's source).
ABSOLUTE_OK = {("link", "canonical"), ("link", "alternate"), ("a", None), ("a", "external")}
# Pages that no link leads to: the host shows 404.html for a missing address, the
# service worker shows offline.html for an unread page without a network.
NOT_LINKED = {"404.html", "offline.html"}


def public_file(site: Path, url: str) -> Path:
    """The file a public URL under the configured base URL is served from."""
    assert url.startswith(BASE_URL), f"{url} is not under the base URL {BASE_URL}"
    rest = url.removeprefix(BASE_URL)
    return site / (rest + "index.html" if rest == "" or rest.endswith("/") else rest)


def test_every_relative_url_in_the_sample_leads_to_a_file(sample_site):
    problems = [problem for page in html_files(sample_site) for problem in relative_problems(sample_site, page)]
    assert problems == []


def test_pages_link_only_with_relative_urls_except_the_hosts_404_page(sample_site):
    found = []
    for page in html_files(sample_site):
        if page == sample_site / "404.html":
            continue  # served by the host at any missing URL, where no relative link works
        found += [f"{page.relative_to(sample_site)}:{e.line}: {url}" for e, url in urls(page) if url.startswith("/")]
    assert found == []


def test_the_hosts_404_page_links_from_the_site_root_and_from_the_base_path_on_a_host(sample_site):
    # From disk its links are relative to the site root, where the file lies; a host serves it at
    # any missing URL, where a script makes them start from the base URL's path (a <base>; the
    # browser tests follow them there).
    page = sample_site / "404.html"
    links = [url for _, url in urls(page)]
    assert links
    for url in links:
        assert not urlsplit(url).scheme and not url.startswith("/"), url
        assert (sample_site / url).is_file(), url
    assert f'href: "{urlsplit(BASE_URL).path}"' in page.read_text(encoding="utf-8")


def test_no_page_loads_anything_from_another_host(sample_site):
    found = []
    for page in html_files(sample_site):
        for element, url in urls(page):
            external = urlsplit(url).scheme in ("http", "https") or url.startswith("//")
            if external and (element.tag, element.attrs.get("rel")) not in ABSOLUTE_OK:
                found.append(f"{page.relative_to(sample_site)}:{element.line}: <{element.tag}> {url}")
    assert found == []


def test_navigation_never_depends_on_the_base_url(sample_site):
    found = []
    for page in html_files(sample_site):
        for element, url in urls(page):
            if url.startswith(BASE_URL) and not (element.tag == "link" and element.attrs.get("rel") in ("canonical", "alternate")):
                found.append(f"{page.relative_to(sample_site)}:{element.line}: <{element.tag}> {url}")
    assert found == []


def test_robots_txt_points_to_the_sitemap(sample_site):
    robots = (sample_site / "robots.txt").read_text(encoding="utf-8").splitlines()
    assert f"Sitemap: {BASE_URL}sitemap.xml" in robots


def test_stylesheets_load_nothing_from_another_host(sample_site):
    for css in sorted(sample_site.rglob("*.css")):
        text = css.read_text(encoding="utf-8")
        assert "@import" not in text, css
        for url in re.findall(r"url\(\s*['\"]?([^'\")]+)", text):
            assert urlsplit(url).scheme in ("", "data"), f"{css}: {url}"
            if not url.startswith("data:"):
                assert (css.parent / urlsplit(url).path).is_file(), f"{css}: {url}"


def test_canonical_and_hreflang_addresses_are_absolute_and_map_to_files(sample_site):
    for page in html_files(sample_site):
        if page == sample_site / "404.html":
            continue
        for element in elements(page):
            if element.tag == "link" and (element.attrs.get("rel") == "canonical" or "hreflang" in element.attrs):
                url = element.attrs["href"]
                assert url.startswith(BASE_URL), f"{page.relative_to(sample_site)}:{element.line}: {url}"
                assert public_file(sample_site, url).is_file(), f"{page.relative_to(sample_site)}:{element.line}: {url}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_page_of_a_language_is_reachable_from_its_home(sample_site, lang):
    home = sample_site / lang / "index.html"
    seen, queue = {home}, deque([home])
    while queue:
        page = queue.popleft()
        for element, url in urls(page):
            if element.tag != "a" or urlsplit(url).scheme or url.startswith("/"):
                continue
            target, _ = follow(sample_site, page, url)
            if target.suffix == ".html" and target not in seen and is_page_file(sample_site, target):
                seen.add(target)
                queue.append(target)
    expected = {p for p in html_files(sample_site / lang) if p.name not in NOT_LINKED}
    assert sorted(p.relative_to(sample_site).as_posix() for p in expected - seen) == []


def sitemap(site: Path) -> ET.Element:
    return ET.parse(site / "sitemap.xml").getroot()


def test_every_sitemap_location_is_a_built_page(sample_site):
    locations = [url.findtext(f"{SITEMAP}loc") for url in sitemap(sample_site).iter(f"{SITEMAP}url")]
    assert locations
    assert len(locations) == len(set(locations))
    assert [loc for loc in locations if not public_file(sample_site, loc).is_file()] == []


def test_the_sitemap_lists_every_page_that_links_lead_to(sample_site):
    listed = {public_file(sample_site, url.findtext(f"{SITEMAP}loc")) for url in sitemap(sample_site).iter(f"{SITEMAP}url")}
    pages = {p for lang in LANGUAGES for p in html_files(sample_site / lang) if p.name not in NOT_LINKED}
    assert sorted(p.relative_to(sample_site).as_posix() for p in pages - listed) == []


def test_sitemap_entries_name_their_translations_and_an_x_default(sample_site):
    for url in sitemap(sample_site).iter(f"{SITEMAP}url"):
        loc = url.findtext(f"{SITEMAP}loc")
        alternates = {link.get("hreflang"): link.get("href") for link in url.iter(f"{XHTML}link")}
        assert loc in alternates.values(), loc
        # English is the default language; a home page's x-default is the root page that picks one.
        is_home = loc == BASE_URL or loc in {f"{BASE_URL}{lang}/" for lang in LANGUAGES}
        assert alternates.get("x-default") == (BASE_URL if is_home else alternates.get("en")), loc
        assert all(public_file(sample_site, href).is_file() for href in alternates.values()), loc
    home = next(u for u in sitemap(sample_site).iter(f"{SITEMAP}url") if u.findtext(f"{SITEMAP}loc") == BASE_URL + "de/")
    assert len(list(home.iter(f"{XHTML}link"))) == len(LANGUAGES) + 1


@pytest.mark.parametrize("lang", LANGUAGES)
def test_each_language_has_a_well_formed_atom_feed(sample_site, lang):
    feed = ET.parse(sample_site / lang / "feed.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated", "author"):
        assert feed.find(f"{ATOM}{required}") is not None, required
    entries = feed.findall(f"{ATOM}entry")
    assert entries
    for entry in entries:
        for required in ("id", "title", "updated", "published", "summary"):
            assert (entry.findtext(f"{ATOM}{required}") or "").strip(), required
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d([+-]\d\d:\d\d|Z)", entry.findtext(f"{ATOM}updated"))
        link = entry.find(f"{ATOM}link[@rel='alternate']")
        assert public_file(sample_site, link.get("href")).is_file()
