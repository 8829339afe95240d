"""Images and videos next to the Markdown: sizes, resized copies, caption tracks.

A photo referenced from a news item is published as a few widths (Pillow), so
``srcset`` lets a phone load a small file and a wide screen a sharp one; the
original (often a camera file of several MB, with GPS data in its EXIF) is
never published.  Resized files are cached by the source's hash, so a rebuild
does not resize again.
"""

from __future__ import annotations

import hashlib
import io
import posixpath
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

MEDIA_DIR = "media"  # where content files used by pages are published
WIDTHS = (480, 960, 1600)
SRC_WIDTH = 960  # the plain src, for browsers that ignore srcset
SIZES = "(min-width: 46rem) 46rem, 100vw"  # the prose column's width (--measure in site.css)
RASTER = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".webp": "WEBP"}
_SAVE = {"JPEG": {"quality": 82, "optimize": True, "progressive": True}, "PNG": {"optimize": True}, "WEBP": {"quality": 80}}
_CACHE_VERSION = "1"  # change when the encoding settings change
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
        with Image.open(source) as image:
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
    """(output path, bytes) of everything a used asset becomes in the site."""
    if not is_raster(asset):
        yield f"{MEDIA_DIR}/{asset}", source.read_bytes()
        return
    data = source.read_bytes()
    digest = hashlib.sha256(data + _CACHE_VERSION.encode()).hexdigest()[:32]
    info = image_info(asset, source)
    for variant in info.variants:
        cached = cache_dir / f"{digest}-{variant.width}{extension(asset)}"
        if cached.is_file():
            yield variant.path, cached.read_bytes()
            continue
        resized = _resize(data, RASTER[extension(asset)], variant)
        cached.parent.mkdir(parents=True, exist_ok=True)
        temporary = cached.with_name(cached.name + ".tmp")
        temporary.write_bytes(resized)
        temporary.replace(cached)  # a build killed mid-write never leaves half a file in the cache
        yield variant.path, resized


def _resize(data: bytes, fmt: str, variant: Variant) -> bytes:
    from PIL import Image, ImageOps

    with Image.open(io.BytesIO(data)) as original:
        image = ImageOps.exif_transpose(original)  # turn it upright; the EXIF block is not copied
        if fmt == "JPEG" and image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
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
