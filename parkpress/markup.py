"""Markdown to HTML, safe by default and independent of where the page lands.

Links to other content files and to images beside the source are written as
``pp-link:`` / ``pp-asset:`` placeholders; ``links.resolve`` turns them into
relative URLs for each output page.  That keeps the rendered HTML a pure
function of the Markdown text, so it can be cached by content hash.
"""

from __future__ import annotations

import posixpath
import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

import markdown
from markdown.treeprocessors import Treeprocessor

SAFE_SCHEMES = {"", "http", "https", "mailto", "tel"}
LINK_PREFIX = "pp-link:"
ASSET_PREFIX = "pp-asset:"


@dataclass
class Rendered:
    html: str
    links: list[str] = field(default_factory=list)  # content targets, e.g. "parks/wuqing" or "news/x@de"
    assets: list[str] = field(default_factory=list)  # content-relative asset paths
    dropped: list[str] = field(default_factory=list)  # unsafe URLs removed
    images_without_alt: list[str] = field(default_factory=list)


class _Rewriter(Treeprocessor):
    """Rewrites link targets and images; collects what it found into ``self.found``."""

    def __init__(self, md, converter: MarkdownConverter):
        super().__init__(md)
        self.converter = converter

    def run(self, root: etree.Element) -> None:
        found = self.converter.found
        base = self.converter.base_dir
        headings = [el for el in root.iter() if el.tag in ("h1", "h2", "h3", "h4", "h5")]
        if any(el.tag == "h1" for el in headings):  # the page title is the only h1
            for el in headings:
                el.tag = f"h{int(el.tag[1]) + 1}"
        for el in root.iter("a"):
            href = el.get("href", "")
            if self._safe(href, found):
                el.set("href", self._target(href, base, found, is_image=False))
            else:
                el.attrib.pop("href", None)
        for el in root.iter("img"):
            src = el.get("src", "")
            if not self._safe(src, found):
                el.attrib.pop("src", None)
                continue
            el.set("src", self._target(src, base, found, is_image=True))
            if not el.get("alt", "").strip():
                found.images_without_alt.append(src)
            el.set("loading", "lazy")
            el.set("decoding", "async")
        _embed_media(root)

    @staticmethod
    def _safe(url: str, found: Rendered) -> bool:
        scheme = urlsplit(url.strip()).scheme.lower() if url else ""
        if scheme in SAFE_SCHEMES and not url.strip().lower().startswith("//"):
            return True
        found.dropped.append(url)
        return False

    @staticmethod
    def _target(url: str, base: str, found: Rendered, is_image: bool) -> str:
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or not parts.path:
            return url
        target = posixpath.normpath(posixpath.join(base, unquote(parts.path)))
        if is_image or not target.endswith(".md"):
            if not is_image and not _looks_like_file(target):
                return url
            found.assets.append(target)
            return ASSET_PREFIX + target
        stem = target[:-3]
        match = re.fullmatch(r"(.*)\.([a-z]{2,3}(?:-[a-z0-9]+)?)", stem)
        key, lang = (match.group(1), match.group(2)) if match else (stem, "")
        if key.endswith("/index"):  # a bundle: news/<key>/index.<lang>.md
            key = key[: -len("/index")]
        ref = key + (f"@{lang}" if lang else "")
        found.links.append(ref)
        return LINK_PREFIX + ref + (f"#{parts.fragment}" if parts.fragment else "")


VIDEO_TYPES = {"mp4": "video/mp4", "webm": "video/webm"}
CAPTIONS_MARK = "data-pp-captions"  # body.py puts the video's <track> elements here


def _embed_media(root: etree.Element) -> None:
    """Local videos become <video>; an image or video alone in its paragraph becomes a <figure>, its title the caption."""
    for parent in list(root.iter()):
        for child in list(parent):
            if child.tag != "img":
                continue
            src = child.get("src", "")
            kind = src.rsplit(".", 1)[-1].lower()
            video = src.startswith(ASSET_PREFIX) and kind in VIDEO_TYPES
            if video:
                alt = child.get("alt", "")
                title = child.get("title")
                child.clear()
                child.tag = "video"
                child.attrib.update({"controls": "controls", "preload": "metadata"})
                if title:
                    child.set("title", title)
                child.set(CAPTIONS_MARK, src[len(ASSET_PREFIX) :])
                etree.SubElement(child, "source", {"src": src, "type": VIDEO_TYPES[kind]})
                fallback = etree.SubElement(child, "a", {"href": src})
                fallback.text = alt or src.rsplit("/", 1)[-1]
            alone = parent.tag == "p" and len(parent) == 1 and not (parent.text or "").strip() and not (child.tail or "").strip()
            title = child.get("title")
            if alone and (title or video):
                parent.tag = "figure"
                parent.attrib.clear()
                if title:
                    del child.attrib["title"]
                    caption = etree.SubElement(parent, "figcaption")
                    caption.text = title


def _looks_like_file(path: str) -> bool:
    return bool(re.search(r"\.(pdf|png|jpe?g|gif|webp|svg|mp4|webm|vtt|csv|xlsx?|docx?|zip)$", path, re.IGNORECASE))


class MarkdownConverter:
    """One configured Python-Markdown instance, reused for every document."""

    def __init__(self, allow_raw_html: bool = False):
        self._md = markdown.Markdown(extensions=["tables", "sane_lists"], output_format="html")
        if not allow_raw_html:
            self._md.preprocessors.deregister("html_block")
            self._md.inlinePatterns.deregister("html")
        self._md.treeprocessors.register(_Rewriter(self._md, self), "parkpress-links", 1)
        self.found = Rendered("")
        self.base_dir = ""

    def convert(self, text: str, base_dir: str) -> Rendered:
        """Render ``text``; ``base_dir`` is the source's folder relative to content/."""
        self.found = Rendered("")
        self.base_dir = base_dir
        try:
            self.found.html = self._md.reset().convert(text)
        except RecursionError:
            self.found.html = "<p>" + _escape(text) + "</p>"
        return self.found


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
