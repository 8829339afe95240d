"""Images and videos next to a news item (page bundles): resized copies with srcset, captions, video with caption tracks."""

from __future__ import annotations

import io

import pytest
from conftest import copy_catalogs, default_files, news, run, write_files
from PIL import Image
from support.pages import elements

pytestmark = pytest.mark.floors  # also run on the declared dependency floors (make test-floors)


def jpeg(width: int, height: int, exif_orientation: int | None = None) -> bytes:
    image = Image.new("RGB", (width, height), (200, 30, 30))
    out = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "Camera maker"
    if exif_orientation:
        exif[0x0112] = exif_orientation
    image.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


BODY = """Intro.

![The new lab building in Alpha](lab.jpg "The lab, opened in 2021")

Text with an inline ![logo of Alpha](logo.png) picture.

![A tour through the park](tour.mp4 "Tour of Alpha")
"""


def png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", (width, height), (0, 0, 255, 128)).save(out, "PNG")
    return out.getvalue()


@pytest.fixture(scope="module")
def bundle_site(tmp_path_factory):
    """Built once for the module: a news item in English and German with a photo, a logo and a captioned video."""
    root = tmp_path_factory.mktemp("bundle")
    copy_catalogs(root)
    files = default_files() | {
        "content/news/2021-alpha-grows.en.md": None,
        "content/news/2021-alpha-grows.de.md": None,
        "content/news/2021-alpha-grows/index.en.md": news("Alpha grows", body=BODY),
        "content/news/2021-alpha-grows/index.de.md": news("Alpha wächst", body=BODY.replace("A tour", "Ein Rundgang")),
        "content/news/2021-alpha-grows/lab.jpg": jpeg(2000, 1000),
        "content/news/2021-alpha-grows/logo.png": png(300, 100),
        "content/news/2021-alpha-grows/tour.mp4": b"\x00\x00\x00\x18ftypmp42",
        "content/news/2021-alpha-grows/tour.de.vtt": "WEBVTT\n\n00:00.000 --> 00:02.000\nWillkommen\n",
        "content/news/2021-alpha-grows/tour.en.vtt": "WEBVTT\n\n00:00.000 --> 00:02.000\nWelcome\n",
    }
    write_files(root, files)
    result = run(root, "build")
    assert result.code == 0, result.err
    return root


def element(page, tag, **attrs):
    return next(e for e in elements(page) if e.tag == tag and all(e.attrs.get(k) == v for k, v in attrs.items()))


def test_an_image_gets_resized_copies_srcset_size_and_lazy_loading(bundle_site):
    site = bundle_site / "site"
    page = site / "en/news/2021-alpha-grows/index.html"
    img = element(page, "img", alt="The new lab building in Alpha")
    folder = "../../../media/news/2021-alpha-grows"
    assert img.attrs["src"] == f"{folder}/lab-960w.jpg"
    assert img.attrs["srcset"] == f"{folder}/lab-480w.jpg 480w, {folder}/lab-960w.jpg 960w, {folder}/lab-1600w.jpg 1600w"
    assert img.attrs["sizes"]
    assert (img.attrs["width"], img.attrs["height"]) == ("960", "480")
    assert img.attrs["loading"] == "lazy"
    for width, height in ((480, 240), (960, 480), (1600, 800)):
        with Image.open(site / f"media/news/2021-alpha-grows/lab-{width}w.jpg") as copy:
            assert copy.size == (width, height)
            assert 0x010F not in copy.getexif(), "camera data is not published"
    assert not (site / "media/news/2021-alpha-grows/lab.jpg").exists(), "the original is not published"


def test_a_small_image_is_not_enlarged(bundle_site):
    logo = element(bundle_site / "site/en/news/2021-alpha-grows/index.html", "img", alt="logo of Alpha")
    assert logo.attrs["srcset"] == "../../../media/news/2021-alpha-grows/logo-300w.png 300w"
    assert (logo.attrs["width"], logo.attrs["height"]) == ("300", "100")
    assert not logo.inside("figure"), "an inline image stays in its sentence"


def test_a_turned_camera_photo_is_published_upright(make_site):
    root = make_site(
        {
            "content/news/2021-alpha-grows.en.md": None,
            "content/news/2021-alpha-grows/index.en.md": news("Alpha grows", body="![A portrait photo](p.jpg)"),
            "content/news/2021-alpha-grows/p.jpg": jpeg(600, 400, exif_orientation=6),
        }
    )
    assert run(root, "build").code == 0
    img = element(root / "site/en/news/2021-alpha-grows/index.html", "img", alt="A portrait photo")
    assert (img.attrs["width"], img.attrs["height"]) == ("400", "600")
    with Image.open(root / "site/media/news/2021-alpha-grows/p-400w.jpg") as copy:
        assert copy.size == (400, 600)


def test_the_image_title_becomes_the_caption(bundle_site):
    page = bundle_site / "site/en/news/2021-alpha-grows/index.html"
    caption = next(e for e in elements(page) if e.tag == "figcaption" and e.inside("div", "prose"))
    assert caption.text == "The lab, opened in 2021"
    assert element(page, "img", alt="The new lab building in Alpha").inside("figure")


def test_a_video_plays_with_the_captions_beside_it(bundle_site):
    site = bundle_site / "site"
    page = site / "de/nachrichten/2021-alpha-grows/index.html"
    video = element(page, "video")
    assert "controls" in video.attrs and video.inside("figure")
    source = element(page, "source")
    assert (source.attrs["src"], source.attrs["type"]) == ("../../../media/news/2021-alpha-grows/tour.mp4", "video/mp4")
    tracks = [e.attrs for e in elements(page) if e.tag == "track"]
    assert [(t["srclang"], t["label"], "default" in t) for t in tracks] == [("de", "Deutsch", True), ("en", "English", False)]
    assert all(t["kind"] == "captions" for t in tracks)
    for track in tracks:
        assert (page.parent / track["src"]).resolve().is_file()
    assert (site / "media/news/2021-alpha-grows/tour.mp4").is_file()


def test_the_first_image_is_the_link_preview(bundle_site):
    page = bundle_site / "site/en/news/2021-alpha-grows/index.html"
    assert element(page, "meta", property="og:image").attrs["content"] == (
        "https://invest.example.org/media/news/2021-alpha-grows/lab-1600w.jpg"
    )
    assert element(page, "meta", name="twitter:card").attrs["content"] == "summary_large_image"


def test_an_image_without_alt_text_is_a_warning_with_its_line(make_site):
    root = make_site(
        {
            "content/news/2021-alpha-grows.en.md": None,
            "content/news/2021-alpha-grows/index.en.md": news("Alpha grows", body="Intro.\n\n![](lab.jpg)\n"),
            "content/news/2021-alpha-grows/lab.jpg": jpeg(100, 50),
        }
    )
    result = run(root, "build", "-v")
    assert result.code == 0
    assert "content/news/2021-alpha-grows/index.en.md:12: warning: image 'lab.jpg' has no alt text" in result.out


def test_a_broken_image_is_an_error_naming_the_article(make_site):
    root = make_site(
        {
            "content/news/2021-alpha-grows.en.md": None,
            "content/news/2021-alpha-grows/index.en.md": news("Alpha grows", body="![A photo](lab.jpg)\n"),
            "content/news/2021-alpha-grows/lab.jpg": b"not a jpeg",
        }
    )
    result = run(root, "build")
    assert result.code == 1
    assert "content/news/2021-alpha-grows/index.en.md:10: error: image 'news/2021-alpha-grows/lab.jpg': not an image" in result.err
    assert "Traceback" not in result.err


def test_the_sample_bundle_shows_its_infographic_in_every_language(sample_site):
    paths = {
        "en": "en/news/2021-08-wuqing-top100-biomedical/index.html",
        "de": "de/nachrichten/2021-08-wuqing-top100-biomedical/index.html",
        "fr": "fr/actualites/2021-08-wuqing-top100-biomedical/index.html",
    }
    for lang, path in paths.items():
        img = next(e for e in elements(sample_site / path) if e.tag == "img" and e.inside("figure"))
        assert img.attrs["alt"] and img.attrs["srcset"].count("w,") == 2, lang
        assert (sample_site / path).parent.joinpath(img.attrs["src"]).resolve().is_file()
