"""Files beside the Markdown are inputs like any other: hostile names, types and links give errors, never script.

A news bundle's files are published under their own names into attributes and URLs, so a
name is checked like a title is; what a file is comes from its bytes, not its name.
"""

from __future__ import annotations

import io
from pathlib import Path
from urllib.parse import unquote

import pytest
from conftest import news, run
from PIL import Image
from support.pages import elements

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
