"""QR codes of page addresses, as inline SVG for printed pages."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import segno
from markupsafe import Markup

QUIET_ZONE = 4  # modules of white around the code, as the QR standard asks, so scanners find its edges
CACHE_FORMAT = 2  # raise it whenever qr_svg's output changes, so cached codes are made anew
# Every code uses one mask pattern: trying all eight and scoring each (segno's default)
# was two thirds of a code's cost, and the cold build of a large site spent more time on
# QR codes than on everything else.  Any of the eight gives a valid code; scanners read
# a short URL's code with any of them.
MASK = 0


def qr_svg(url: str) -> Markup:
    """The QR code of ``url`` as an <svg> that scales to its box and that screen readers skip."""
    code = segno.make(url, error="m", micro=False, mask=MASK)
    svg = code.svg_inline(border=QUIET_ZONE, omitsize=True, svgclass="qr", lineclass=None, dark="#000", light="#fff")
    return Markup(svg.replace("<svg ", '<svg aria-hidden="true" ', 1))


class QrCodes:
    """``qr_svg`` kept on disk between builds: choosing the best mask costs ~25 ms a code,
    which a site with thousands of pages would pay on every build."""

    def __init__(self, cache_dir: Path):
        self.cache_dir = cache_dir

    def __call__(self, url: str) -> Markup:
        key = hashlib.sha256(f"{CACHE_FORMAT}\0{segno.__version__}\0{url}".encode()).hexdigest()
        path = self.cache_dir / f"{key}.svg"
        try:
            return Markup(path.read_text(encoding="utf-8"))
        except OSError:
            pass
        svg = qr_svg(url)
        try:
            self.cache_dir.mkdir(parents=True, exist_ok=True)
            temporary = path.with_suffix(f".{os.getpid()}.tmp")
            temporary.write_text(svg, encoding="utf-8")
            temporary.replace(path)  # whole or not at all, even with two builds at once
        except OSError:
            pass  # a read-only project still builds, only slower
        return svg
