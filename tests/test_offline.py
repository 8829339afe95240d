"""Reading offline: the service worker and its versioned cache, the web app manifests, and the
downloadable archive of the whole site (``build --zip``). The browser side is in
test_browser_offline.py."""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from conftest import run
from support.pages import find, follow, html_files
from support.tools import validate_html

from parkpress.publish.output import MARKER
from parkpress.theme.loader import BUILTIN_FOLDER

ARCHIVE = "invest.example.org-offline.zip"  # named after the host of base_url
LANGS = ("en", "de", "fr")


def build(root: Path, *args: str) -> Path:
    result = run(root, "build", *args)
    assert result.code == 0, result.err
    return root / "site"


def worker_value(site: Path, name: str):
    """A constant the build wrote into sw.js (they are JSON)."""
    match = re.search(rf"^var {name} = (.*);$", (site / "sw.js").read_text(encoding="utf-8"), re.MULTILINE)
    assert match, f"sw.js has no {name}"
    return json.loads(match.group(1))


def tree(site: Path) -> dict[str, bytes]:
    return {path.relative_to(site).as_posix(): path.read_bytes() for path in sorted(site.rglob("*")) if path.is_file()}


def language_pages(site: Path) -> list[Path]:
    return [page for page in html_files(site) if page.relative_to(site).parts[0] in LANGS]


@pytest.fixture(scope="module")
def zipped(tmp_path_factory) -> Path:
    """The fixture site built with --zip; returns the project folder."""
    from conftest import copy_catalogs, default_files, write_files

    root = tmp_path_factory.mktemp("zipped") / "project"
    root.mkdir()
    copy_catalogs(root)
    write_files(root, default_files())
    build(root, "--zip")
    return root


# --- the service worker ---------------------------------------------------------------


def test_every_language_page_registers_the_one_service_worker_at_the_site_root(sample_site):
    # Not the root pages: the chooser sends most visitors on at once (the request would be cut
    # off), and the host's error page is served at any address.
    for page in html_files(sample_site):
        if page.parent == sample_site:
            assert not [s for s in find(page, "script") if "offline.js" in s.attrs.get("src", "")], page
            continue
        registering = [s for s in find(page, "script") if s.attrs.get("src", "").endswith("static/offline.js")]
        assert len(registering) == 1, page
        script = registering[0]
        assert "defer" in script.attrs, f"{page}: the script must never hold up reading"
        assert follow(sample_site, page, script.attrs["src"])[0] == sample_site / "static/offline.js"
        assert follow(sample_site, page, script.attrs["data-sw"])[0] == sample_site / "sw.js", page


def test_the_worker_caches_the_shell_and_one_offline_page_per_language(sample_site):
    shell = worker_value(sample_site, "SHELL")
    offline = worker_value(sample_site, "OFFLINE")
    assert {"static/site.css", "static/offline.js", "static/icon.svg"} <= set(shell)
    assert offline == {lang: f"{lang}/offline.html" for lang in LANGS}
    assert set(offline.values()) <= set(shell)
    assert {f"{lang}/manifest.webmanifest" for lang in LANGS} <= set(shell)
    for path in shell:
        assert (sample_site / path).is_file(), path
    assert worker_value(sample_site, "FALLBACK") == "en/offline.html"  # the default language, for root pages


def test_the_offline_page_speaks_its_language_and_stays_out_of_the_sitemap(sample_site):
    sitemap = (sample_site / "sitemap.xml").read_text(encoding="utf-8")
    for lang, hreflang in (("en", "en"), ("de", "de-DE"), ("fr", "fr-FR")):
        page = sample_site / lang / "offline.html"
        assert find(page, "html")[0].attrs["lang"] == hreflang
        assert find(page, "h1")[0].text.strip()
        assert f"{lang}/offline.html" not in sitemap
    assert find(sample_site / "de/offline.html", "h1")[0].text != find(sample_site / "en/offline.html", "h1")[0].text


def test_the_cache_version_is_a_digest_of_the_output(make_site, tmp_path):
    root = make_site()
    site = build(root)
    first = worker_value(site, "VERSION")
    assert re.fullmatch(r"[0-9a-f]{16}", first)

    build(root)  # nothing changed: the same version, so visitors keep their cache
    assert worker_value(site, "VERSION") == first
    other = tmp_path / "elsewhere" / "project"
    shutil.copytree(root, other)
    shutil.rmtree(other / "site")
    assert worker_value(build(other), "VERSION") == first  # not the folder or the clock

    news = root / "content/news/2021-alpha-grows.de.md"
    news.write_text(news.read_text(encoding="utf-8").replace("Body text.", "Neuer Text."), encoding="utf-8")
    after_page = worker_value(build(root), "VERSION")
    assert after_page != first  # one page changed: a new cache replaces the stale copies

    css = root / "static/site.css"  # the site's own stylesheet, in place of the theme's
    css.parent.mkdir()
    css.write_text((BUILTIN_FOLDER / "static/site.css").read_text(encoding="utf-8") + "\n.x { color: red; }\n", encoding="utf-8")
    assert worker_value(build(root), "VERSION") not in (first, after_page)  # the shell changed


# --- web app manifests ------------------------------------------------------------------


def test_each_language_has_a_manifest_linked_from_each_of_its_pages(sample_site):
    for lang, hreflang in (("en", "en"), ("de", "de-DE"), ("fr", "fr-FR")):
        manifest_path = sample_site / lang / "manifest.webmanifest"
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        assert manifest["lang"] == hreflang
        assert manifest["name"] == find(sample_site / lang / "index.html", "title")[0].text
        assert (manifest_path.parent / manifest["start_url"]).resolve() == (sample_site / lang / "index.html").resolve()
        assert manifest["scope"] == "./"
        sizes = {icon["sizes"] for icon in manifest["icons"]}
        assert {"192x192", "512x512"} <= sizes
        for icon in manifest["icons"]:
            assert (manifest_path.parent / icon["src"]).resolve().is_file(), icon
    for page in language_pages(sample_site):
        lang = page.relative_to(sample_site).parts[0]
        links = find(page, "link", rel="manifest")
        assert len(links) == 1, page
        assert follow(sample_site, page, links[0].attrs["href"])[0] == sample_site / lang / "manifest.webmanifest"


def test_icons_are_the_declared_sizes(sample_site):
    from PIL import Image

    for size in (192, 512):
        with Image.open(sample_site / f"static/icon-{size}.png") as image:
            assert image.size == (size, size)


# --- the archive ---------------------------------------------------------------------------


def test_without_zip_there_is_no_archive_and_no_link_to_one(sample_site):
    assert not list(sample_site.glob("*.zip"))
    for page in html_files(sample_site):
        assert not find(page, "p", class_="offline-download"), page


def test_with_zip_every_language_page_links_to_the_archive(zipped):
    site = zipped / "site"
    assert (site / ARCHIVE).is_file()
    pages = language_pages(site)
    assert pages
    for page in pages:
        links = [a for a in find(page, "a") if a.inside("p", "offline-download")]
        assert len(links) == 1, page
        assert follow(site, page, links[0].attrs["href"])[0] == site / ARCHIVE
        assert "download" in links[0].attrs


def test_the_archive_holds_the_whole_site_in_one_folder_as_a_plain_build_makes_it(zipped, tmp_path):
    site = zipped / "site"
    with zipfile.ZipFile(site / ARCHIVE) as archive:
        names = archive.namelist()
        folder = ARCHIVE.removesuffix(".zip") + "/"
        assert all(name.startswith(folder) for name in names)
        unpacked = {name.removeprefix(folder): archive.read(name) for name in names}
    assert set(unpacked) == set(tree(site)) - {ARCHIVE, MARKER}  # everything but the archive itself and the folder's marker

    plain = tmp_path / "plain"
    shutil.copytree(zipped, plain, ignore=shutil.ignore_patterns("site"))
    # Unpacked, it is exactly the site a build without --zip makes: no link to an archive it cannot hold.
    assert unpacked == {rel: data for rel, data in tree(build(plain)).items() if rel != MARKER}


def test_the_archive_is_reproducible(zipped, tmp_path):
    with zipfile.ZipFile(zipped / "site" / ARCHIVE) as archive:
        infos = archive.infolist()
    assert [info.filename for info in infos] == sorted(info.filename for info in infos)
    assert {info.date_time for info in infos} == {(1980, 1, 1, 0, 0, 0)}  # never the build machine's clock
    assert {info.external_attr >> 16 for info in infos} == {0o100644}

    again = tmp_path / "again"
    shutil.copytree(zipped, again, ignore=shutil.ignore_patterns("site"))
    assert (build(again, "--zip") / ARCHIVE).read_bytes() == (zipped / "site" / ARCHIVE).read_bytes()


def test_a_build_without_zip_drops_the_archive_and_its_links(zipped, tmp_path):
    root = tmp_path / "copy"
    shutil.copytree(zipped, root)
    site = build(root)
    assert not (site / ARCHIVE).exists()
    assert not any(find(page, "p", class_="offline-download") for page in html_files(site))


def test_the_unpacked_archive_is_valid_and_self_contained(zipped, tmp_path):
    with zipfile.ZipFile(zipped / "site" / ARCHIVE) as archive:
        archive.extractall(tmp_path)
    copy = tmp_path / ARCHIVE.removesuffix(".zip")
    for page in html_files(copy):
        for element in find(page, "a") + find(page, "link") + find(page, "script"):
            url = element.attrs.get("href") or element.attrs.get("src") or ""
            if not url or re.match(r"[a-z]+:", url) or url.startswith("#"):
                continue
            assert follow(copy, page, url)[0].is_file(), f"{page}: {url}"


def test_pages_with_the_archive_link_and_the_offline_pages_are_valid_html(zipped):
    site = zipped / "site"
    pages = [
        site / "index.html",
        site / "en/index.html",
        site / "de/parks/alpha/index.html",
        *(site / f"{lang}/offline.html" for lang in LANGS),
    ]
    assert validate_html(pages) == []


def test_the_build_command_names_the_archive_and_its_size(make_site):
    root = make_site()
    result = run(root, "build", "--zip")
    assert result.code == 0, result.err
    assert re.search(rf"archive: site/{re.escape(ARCHIVE)} \(\d+(\.\d)? [kM]B\)", result.out), result.out
    assert "archive" not in run(root, "build").out
