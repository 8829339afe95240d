"""Files beside the Markdown are inputs like any other: hostile names, types and links give errors, never script.

A news bundle's files are published under their own names into attributes and URLs, so a
name is checked like a title is; what a file is comes from its bytes, not its name.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from urllib.parse import quote, unquote

import pytest
from conftest import news, run
from PIL import Image
from support.pages import elements
from support.tools import serve_directory

BUNDLE = "content/news/2021-alpha-grows"


def bundle(body: str, files: dict[str, str | bytes]) -> dict[str, str | bytes | None]:
    """The English news item as a bundle with ``body`` and ``files`` beside it."""
    return {
        "content/news/2021-alpha-grows.en.md": None,
        f"{BUNDLE}/index.en.md": news("Alpha grows", body=body),
        **{f"{BUNDLE}/{name}": data for name, data in files.items()},
    }


def jpeg(width: int = 100, height: int = 50) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(out, "JPEG")
    return out.getvalue()


PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom"
VTT = "WEBVTT\n\n00:00.000 --> 00:02.000\nWelcome\n"
PAGE = "site/en/news/2021-alpha-grows/index.html"


def target(page: Path, url: str) -> Path:
    return (page.parent / unquote(url)).resolve()


# -- names ---------------------------------------------------------------------------------


def test_a_caption_file_named_like_markup_is_an_error_and_nothing_is_published(make_site):
    hostile = 'tour."><img src=x onerror=alert(1)>.vtt'
    root = make_site(bundle("![A tour](tour.mp4)", {"tour.mp4": MP4, "tour.en.vtt": VTT, hostile: VTT}))
    result = run(root, "build")
    assert result.code == 1 and "Traceback" not in result.err
    assert f"{BUNDLE}/{hostile}: error: the name '{hostile}' holds characters a web address" in result.err
    assert "('\"' '<' '=' '>'); rename it using letters, digits and" in result.err
    assert not (root / "site").exists()


@pytest.mark.parametrize("name", ["a#b.pdf", "50%.pdf", "what?.pdf", "a+b.pdf", "a:b.pdf", "nul.pdf", " report.pdf", "report.pdf."])
def test_a_name_a_url_or_a_file_system_cannot_carry_is_an_error_naming_it(make_site, name):
    root = make_site(bundle("See [the report](report.pdf).", {"report.pdf": PDF, name: PDF}))
    result = run(root, "build")
    assert result.code == 1
    assert f"{BUNDLE}/{name}: error: the name '{name}'" in result.err
    assert "rename it" in result.err


def test_names_with_ampersands_spaces_and_other_scripts_are_published_and_found(make_site):
    files = {"R&D.pdf": PDF, "Q&A tour.mp4": MP4, "Q&A tour.en.vtt": VTT, "Werk & Halle.jpg": jpeg(), "工厂.pdf": PDF}
    body = "[R&D](R&D.pdf) and [the plant](工厂.pdf).\n\n![Q&A](<Q&A tour.mp4>)\n\n![The hall](<Werk & Halle.jpg>)\n"
    root = make_site(bundle(body, files))
    result = run(root, "build")
    assert result.code == 0, result.err
    page = root / PAGE
    found = elements(page)
    urls = [e.attrs[a] for e in found for a in ("href", "src") if e.tag in ("a", "source", "track", "img") and a in e.attrs]
    media = [url for url in urls if "/media/" in url]
    assert len(media) == 6, media  # two links, the video, its fallback link, its captions, the image
    for url in media:
        assert " " not in url and target(page, url).is_file(), url
    [track] = [e for e in found if e.tag == "track"]
    assert (track.attrs["srclang"], track.attrs["label"]) == ("en", "English")


# -- types ---------------------------------------------------------------------------------

SVG = '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.domain)</script></svg>'
HTML = "<!doctype html><script>alert(document.cookie)</script>"


def xlsx(main_type: str = "spreadsheetml.sheet.main+xml") -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        content_type = f"application/vnd.openxmlformats-officedocument.{main_type}"
        archive.writestr("[Content_Types].xml", f'<Types><Override PartName="/xl/workbook.xml" ContentType="{content_type}"/></Types>')
    return out.getvalue()


def refused(root: Path, line: int, message: str) -> None:
    """The build failed with ``message`` at the bundle's Markdown, and published nothing."""
    result = run(root, "build")
    assert result.code == 1 and "Traceback" not in result.err
    assert f"{BUNDLE}/index.en.md:{line}: error: {message}" in result.err, result.err
    assert not (root / "site").exists()


def test_an_html_file_shown_as_an_image_is_an_error_naming_it(make_site):
    root = make_site(bundle("Before.\n\n![The plan](report.html)\n", {"report.html": HTML}))
    refused(root, 12, "file 'news/2021-alpha-grows/report.html' is a .html file, which a browser would run")


@pytest.mark.parametrize("name", ["app.js", "page.htm", "data.xml", "setup.exe", "notes"])
def test_scripts_pages_and_unknown_types_are_never_published_even_as_links(make_site, name):
    root = make_site(bundle(f"Get [it]({name}).", {name: HTML}))
    run(root, "build")
    assert not list((root / "site").rglob(f"media/**/{name}"))


@pytest.mark.parametrize("name", ["slides.odt", "old.xls", "logo.svgz"])
def test_a_linked_file_of_a_type_not_published_is_an_error_naming_it(make_site, name):
    root = make_site(bundle(f"Get [it]({name}).", {name: HTML}))
    result = run(root, "build")
    assert result.code == 1 and "Traceback" not in result.err
    assert f"{BUNDLE}/index.en.md:10: error: file 'news/2021-alpha-grows/{name}' " in result.err


def test_an_svg_is_refused_with_the_way_out(make_site):
    root = make_site(bundle("![The logo](logo.svg)", {"logo.svg": SVG}))
    refused(root, 10, "file 'news/2021-alpha-grows/logo.svg' is an SVG, which can hold script")
    assert "convert it to PNG or WebP" in run(root, "build").err


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [("plan.jpg", HTML.encode(), None), ("report.pdf", HTML.encode(), "a PDF"), ("data.zip", HTML.encode(), "a ZIP archive"),
     ("sheet.xlsx", xlsx("spreadsheetml.sheetMacroEnabled.main+xml"), "an Excel workbook"),
     ("data.csv", b"a,b\x00\x01", "a CSV file in UTF-8")],
)  # fmt: skip
def test_a_file_whose_bytes_are_not_what_its_name_says_is_an_error(make_site, name, data, kind):
    shown = f"![The plan]({name})" if name.endswith(".jpg") else f"Get [it]({name})."
    root = make_site(bundle(shown, {name: data}))
    result = run(root, "build")
    assert result.code == 1 and "Traceback" not in result.err
    expected = "not an image that can be read" if kind is None else f"is named .{name.rsplit('.', 1)[1]} but is not {kind}"
    assert f"{BUNDLE}/index.en.md:10: error: " in result.err and expected in result.err, result.err


def test_a_document_linked_from_a_page_must_not_be_shown_as_an_image(make_site):
    root = make_site(bundle("![The report](report.pdf)", {"report.pdf": PDF}))
    refused(root, 10, "file 'news/2021-alpha-grows/report.pdf' is shown as an image, but only JPEG, PNG, WebP and GIF")


def test_documents_of_the_allow_list_are_published_as_they_are(make_site):
    files = {"report.pdf": PDF, "sheet.xlsx": xlsx(), "data.csv": "park,ha\nAlpha,12\n", "all.zip": xlsx()}
    root = make_site(bundle(" ".join(f"[{name}]({name})" for name in files), files))
    result = run(root, "build")
    assert result.code == 0, result.err
    for name, data in files.items():
        published = (root / "site/media" / BUNDLE.removeprefix("content/") / name).read_bytes()
        assert published == (data.encode() if isinstance(data, str) else data)


def test_images_are_published_only_as_pillow_wrote_them(make_site):
    """A picture with a page appended (a polyglot) or a GIF loses everything but its pixels."""
    gif = io.BytesIO()
    Image.new("P", (64, 32), 3).save(gif, "GIF")
    polyglot = jpeg() + HTML.encode()
    root = make_site(bundle("![A](plan.jpg)\n\n![B](moving.gif)\n", {"plan.jpg": polyglot, "moving.gif": gif.getvalue() + HTML.encode()}))
    result = run(root, "build")
    assert result.code == 0, result.err
    published = sorted((root / "site/media").rglob("*.*"))
    assert [p.name for p in published] == ["moving-64w.gif", "plan-100w.jpg"]
    for path in published:
        assert b"<script" not in path.read_bytes()
        with Image.open(path) as image:
            assert image.format == {".gif": "GIF", ".jpg": "JPEG"}[path.suffix]


# -- in a browser --------------------------------------------------------------------------


def hostile_bundle() -> dict[str, str | bytes | None]:
    """A news bundle whose names, texts and files try every way to run script that the build lets through."""
    sneaky = '"><img src=x onerror=alert(1)>'
    body = (
        f"[R&D's report](<R&D's report.pdf>) and [the data](<figures (2021).csv>).\n\n"
        f'![{sneaky}](<Werk & Halle.jpg>)\n\n![{sneaky}](plan.jpg "{sneaky}")\n\n'
        f"![Tour](<Q&A tour.mp4>)\n\n<script>alert(2)</script>\n\n[{sneaky}](javascript:alert(3))\n"
    )
    files = {
        "R&D's report.pdf": PDF + HTML.encode(),
        "figures (2021).csv": "<script>alert(4)</script>,1\n",
        "Werk & Halle.jpg": jpeg(1200, 600) + HTML.encode(),
        "plan.jpg": jpeg() + HTML.encode(),
        "Q&A tour.mp4": MP4,
        "Q&A tour.en.vtt": VTT + "\n00:02.000 --> 00:03.000\n<script>alert(5)</script>\n",
    }
    return bundle(body, files)


def test_no_page_of_a_site_with_hostile_bundle_files_opens_a_dialog(make_site, browser):
    root = make_site(hostile_bundle())
    result = run(root, "build")
    assert result.code == 0, result.err
    site = root / "site"
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    images = sorted(p.relative_to(site).as_posix() for p in (site / "media").rglob("*.jpg"))
    assert len(pages) > 10 and len(images) == 4
    dialogs: list[str] = []
    with serve_directory(site) as base:
        context = browser.new_context(service_workers="block")
        tab = context.new_page()
        tab.on("dialog", lambda dialog: (dialogs.append(f"{tab.url}: {dialog.message}"), dialog.dismiss()))
        for path in pages + images:
            tab.goto(f"{base}/{quote(path)}", wait_until="load")
        context.close()
    assert dialogs == []
