"""Images and videos next to the Markdown: sizes, resized copies, caption tracks.

A photo referenced from a news item is published as a few widths (Pillow), so
``srcset`` lets a phone load a small file and a wide screen a sharp one; the
original (often a camera file of several MB, with GPS data in its EXIF) is
never published.  Resized files are cached by the source's hash, so a rebuild
does not resize again; each is sealed (core/sealed.py), and one found damaged is
resized again.
"""

from __future__ import annotations

import codecs
import hashlib
import io
import posixpath
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from parkpress.core import sealed

MEDIA_DIR = "media"  # where content files used by pages are published
WIDTHS = (480, 960, 1600)
SRC_WIDTH = 960  # the plain src, for browsers that ignore srcset
SIZES = "(min-width: 46rem) 46rem, 100vw"  # the prose column's width (--measure in site.css)
RASTER = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".webp": "WEBP", ".gif": "GIF"}
_SAVE = {
    "JPEG": {"quality": 82, "optimize": True, "progressive": True},
    "PNG": {"optimize": True},
    "WEBP": {"quality": 80},
    "GIF": {"optimize": True},
}
_DECODERS = sorted(set(RASTER.values()))  # never Pillow's others: EPS runs Ghostscript, and none is a web image
_CACHE_VERSION = "2"  # change when the encoding settings (or the cache's files, now sealed) change
_TURNED = (5, 6, 7, 8)  # EXIF orientations that swap width and height


_LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*")  # BCP 47's shape: clip.de.vtt, clip.zh-Hans.vtt


class MediaError(ValueError):
    """A media file that cannot be used; the message says why."""


@dataclass(frozen=True)
class Variant:
    width: int
    height: int
    path: str  # output path from the site root


@dataclass(frozen=True)
class ImageInfo:
    width: int
    height: int
    variants: tuple[Variant, ...]  # narrowest first

    @property
    def src(self) -> Variant:
        fitting = [v for v in self.variants if v.width <= SRC_WIDTH]
        return fitting[-1] if fitting else self.variants[0]

    @property
    def largest(self) -> Variant:
        return self.variants[-1]


# The files published as they are, each with how its real type is told from its bytes: a file
# named .pdf that is an HTML page would run script on the site's origin when opened.
_OOXML_MAIN = "application/vnd.openxmlformats-officedocument.{}.main+xml"
_ODF = "application/vnd.oasis.opendocument.{}"
_TEXT_SAMPLE = 1 << 16  # how much of a text file is checked to be text
_ZIP_MEMBER_LIMIT = 1 << 20  # the largest [Content_Types].xml or mimetype read: a zip bomb stays unread


@dataclass(frozen=True)
class Kind:
    name: str  # what the editor knows it as: "a PDF"
    looks_right: Callable[[Path], bool]


def _starts_with(*magics: bytes, at: int = 0) -> Callable[[Path], bool]:
    def check(source: Path) -> bool:
        with source.open("rb") as handle:
            head = handle.read(at + max(map(len, magics)))
        return any(head[at : at + len(magic)] == magic for magic in magics)

    return check


def _webvtt(source: Path) -> bool:
    with source.open("rb") as handle:
        head = handle.read(10).removeprefix(codecs.BOM_UTF8)
    return head.startswith(b"WEBVTT") and head[6:7] in (b"", b" ", b"\t", b"\n", b"\r")


def _text(source: Path) -> bool:
    with source.open("rb") as handle:
        sample = handle.read(_TEXT_SAMPLE)
    try:
        text = codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)  # a sample may end mid-character
    except UnicodeDecodeError:
        return False
    return not any(ord(char) < 32 and char not in "\t\r\n" for char in text)


def _zip_member_holds(member: str, wanted: str) -> Callable[[Path], bool]:
    def check(source: Path) -> bool:
        try:
            with zipfile.ZipFile(source) as archive:
                info = archive.getinfo(member)
                if info.file_size > _ZIP_MEMBER_LIMIT:
                    return False
                return wanted in archive.read(info).decode("utf-8", "replace")
        except (zipfile.BadZipFile, KeyError, NotImplementedError, RuntimeError, ValueError, EOFError):
            return False

    return check


def _office(part: str) -> Callable[[Path], bool]:
    """An Office Open XML file of one kind: a macro-enabled one (.xlsm renamed) names another main part."""
    return _zip_member_holds("[Content_Types].xml", f'ContentType="{_OOXML_MAIN.format(part)}"')


PUBLISHED_AS_IS = {
    ".mp4": Kind("an MP4 video", _starts_with(b"ftyp", at=4)),
    ".webm": Kind("a WebM video", _starts_with(b"\x1a\x45\xdf\xa3")),
    ".vtt": Kind("a WebVTT caption file", _webvtt),
    ".pdf": Kind("a PDF", _starts_with(b"%PDF-")),
    ".csv": Kind("a CSV file in UTF-8", _text),
    ".txt": Kind("a text file in UTF-8", _text),
    ".xlsx": Kind("an Excel workbook", _office("spreadsheetml.sheet")),
    ".docx": Kind("a Word document", _office("wordprocessingml.document")),
    ".pptx": Kind("a PowerPoint presentation", _office("presentationml.presentation")),
    ".ods": Kind("an OpenDocument spreadsheet", _zip_member_holds("mimetype", _ODF.format("spreadsheet"))),
    ".odt": Kind("an OpenDocument text", _zip_member_holds("mimetype", _ODF.format("text"))),
    ".zip": Kind("a ZIP archive", _starts_with(b"PK\x03\x04", b"PK\x05\x06")),  # the second: an empty archive
}
_ACTIVE = (".html", ".htm", ".xhtml", ".xht", ".shtml", ".js", ".mjs", ".xml", ".xsl", ".xslt", ".swf")


def unpublishable(asset: str, source: Path) -> str | None:
    """Why a file beside the Markdown may not be published, or None.

    Images are re-encoded, so whatever they held besides pixels is gone (``image_info`` says
    whether Pillow can read them); other files are published only from an allow-list, when
    their bytes are what their name says.
    """
    ext = extension(asset)
    if ext in RASTER:
        return None
    if ext in (".svg", ".svgz"):
        return "is an SVG, which can hold script that runs on the site when the file is opened; convert it to PNG or WebP"
    if ext in _ACTIVE:
        return f"is a {ext} file, which a browser would run as part of the site; make it a page (.md) or link to it elsewhere"
    kind = PUBLISHED_AS_IS.get(ext)
    if kind is None:
        allowed = ", ".join(sorted(RASTER.keys() | PUBLISHED_AS_IS.keys()))
        return f"has a type that is not published ({ext or 'no extension'}); publish {allowed} files, or link to it elsewhere"
    try:
        right = kind.looks_right(source)
    except OSError as exc:
        return f"cannot be read: {exc.strerror}"
    return None if right else f"is named {ext} but is not {kind.name}; save it again in that format, or rename it"


def extension(asset: str) -> str:
    return posixpath.splitext(asset)[1].lower()


def is_raster(asset: str) -> bool:
    return extension(asset) in RASTER


def variant_path(asset: str, width: int) -> str:
    stem, ext = posixpath.splitext(asset)
    return f"{MEDIA_DIR}/{stem}-{width}w{ext.lower()}"


def image_info(asset: str, source: Path) -> ImageInfo:
    """Width, height and the published widths of an image; reads only the file's header."""
    from PIL import Image, UnidentifiedImageError  # here: most builds have no image to look at, and loading Pillow is not free

    try:
        with Image.open(source, formats=_DECODERS) as image:
            width, height = image.size
            if image.getexif().get(0x0112) in _TURNED:
                width, height = height, width
    except (UnidentifiedImageError, Image.DecompressionBombError):
        raise MediaError("not an image that can be read, or far too large; save it again as JPEG, PNG or WebP") from None
    except OSError as exc:
        raise MediaError(f"cannot read the image: {exc}") from None
    widths = sorted({w for w in WIDTHS if w < width} | {min(width, WIDTHS[-1])})
    variants = tuple(Variant(w, max(1, round(height * w / width)), variant_path(asset, w)) for w in widths)
    return ImageInfo(width, height, variants)


def published(asset: str, source: Path, cache_dir: Path) -> Iterator[tuple[str, bytes]]:
    """(output path, bytes) of everything a used asset becomes in the site; MediaError if it may not be published."""
    if not is_raster(asset):
        if problem := unpublishable(asset, source):  # checked again: an incremental build may not render the page using it
            raise MediaError(problem)
        yield f"{MEDIA_DIR}/{asset}", source.read_bytes()
        return
    data = source.read_bytes()
    digest = hashlib.sha256(data + _CACHE_VERSION.encode()).hexdigest()[:32]
    info = image_info(asset, source)
    for variant in info.variants:
        cached = cache_dir / f"{digest}-{variant.width}{extension(asset)}"
        kept = sealed.read_file(cached)  # None when damaged, and then resized again
        if kept is not None:
            yield variant.path, bytes(kept)
            continue
        resized = _resize(data, RASTER[extension(asset)], variant)
        sealed.write_file(cached, resized)
        yield variant.path, resized


def _resize(data: bytes, fmt: str, variant: Variant) -> bytes:
    from PIL import Image, ImageOps

    with Image.open(io.BytesIO(data), formats=_DECODERS) as original:
        image = ImageOps.exif_transpose(original)  # turn it upright; the EXIF block is not copied
        if fmt == "JPEG" and image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        elif fmt == "GIF" and image.mode == "P":  # an animated GIF keeps its first frame: motion is for videos
            image = image.convert("RGBA")  # resized smoothly, then given a palette again
        if image.size != (variant.width, variant.height):
            image = image.resize((variant.width, variant.height), Image.Resampling.LANCZOS)
        out = io.BytesIO()
        image.save(out, fmt, **_SAVE[fmt])
        return out.getvalue()


def caption_tracks(video: str, assets: Iterable[str]) -> list[tuple[str | None, str]]:
    """WebVTT files beside ``video``: clip.vtt (the page's language) and clip.<lang>.vtt, as (lang, asset)."""
    stem = posixpath.splitext(video)[0]
    tracks = []
    for asset in sorted(assets):
        if not asset.startswith(stem + ".") or extension(asset) != ".vtt":
            continue
        middle = asset[len(stem) + 1 : -len(".vtt")]
        if middle == "":
            tracks.append((None, asset))
        elif _LANGUAGE_TAG.fullmatch(middle):
            tracks.append((middle, asset))
    return tracks
