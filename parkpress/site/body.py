"""Markdown bodies: rendered once per text, then their links resolved per page."""

from __future__ import annotations

import html as html_text
import posixpath
import re
from pathlib import Path
from urllib.parse import quote

from babel import Locale, UnknownLocaleError
from markupsafe import Markup, escape

from parkpress.content import media
from parkpress.content.markup import (
    ASSET_PREFIX,
    CAPTIONS_MARK,
    LINK_PREFIX,
    NOTE_BACK,
    NOTE_ID,
    VIDEO_TYPES,
    MarkdownConverter,
    Rendered,
)
from parkpress.content.model import Content, Document
from parkpress.core.problems import Problems
from parkpress.site.urls import Urls, relative

_PLACEHOLDER = re.compile(r'(href|src)="(' + re.escape(LINK_PREFIX) + "|" + re.escape(ASSET_PREFIX) + r')([^"#]*)(#[^"]*)?"')
_CAPTIONS = re.compile(r"\s" + CAPTIONS_MARK + r'="([^"]*)"([^>]*)>')
_NOTES = re.compile(r'(id="|href="#)' + re.escape(NOTE_ID) + r'|title="' + re.escape(NOTE_BACK) + r'([0-9.]+)"')


def media_path(asset: str) -> str:
    """Where a content file such as news/x/clip.mp4 is published (images: see media.variant_path)."""
    return f"{media.MEDIA_DIR}/{asset}"


def media_url(page_path: str, path: str) -> str:
    """The relative URL of a published media file: its name may hold spaces, '&' or any script."""
    return quote(relative(page_path, path), safe="/")


def _attribute(name: str, value: str) -> Markup:
    return Markup('{}="{}"').format(Markup(name), value)  # Markup.format escapes the value


def _notes(body: str, doc: Document, back_to_note: str) -> str:
    """Footnote ids of this document's own (``news:2021-forum:fn1``: unique on a page showing several
    bodies; a heading's id has no colon), and back-links titled in the page's language."""
    prefix = f"{doc.section}:{doc.key}:"

    def replace(match: re.Match) -> str:
        if match.group(2) is None:
            return match.group(1) + prefix
        words = back_to_note % {"num": match.group(2)}
        return " ".join(_attribute(name, words) for name in ("title", "aria-label"))

    return _NOTES.sub(replace, body)


class Bodies:
    """Renders Markdown (cached by text) and resolves placeholders for one page."""

    def __init__(self, content: Content, urls: Urls, converter: MarkdownConverter, problems: Problems, cache: dict | None = None):
        self.content, self.urls, self.converter, self.problems = content, urls, converter, problems
        self.cache: dict[str, Rendered] = {} if cache is None else cache
        self.used_assets: set[str] = set()
        self._images: dict[str, media.ImageInfo | None] = {}
        self._refusals: dict[tuple[str, str], str | None] = {}

    def rendered(self, doc: Document) -> Rendered:
        key = doc.body_key
        found = self.cache.get(key)
        if found is None:
            found = self.cache[key] = self.converter.convert(doc.body, doc.base_dir)
        return found

    def html(self, doc: Document, page_path: str, back_to_note: str) -> str:
        """The body's HTML on ``page_path``; ``back_to_note``: a footnote's back-link's title in the
        page's language, with the note's number in ``%(num)s``."""
        rendered = self.rendered(doc)
        if rendered.too_complex:
            message = "the Markdown is too complex to render (lists, quotes or brackets nested hundreds deep?); simplify it"
            self.problems.error(doc.rel, doc.body_line, message)
        for url in rendered.dropped:
            self.problems.warning(
                doc.rel, self._line(doc, url), f"unsafe link '{url[:60]}' removed; only http(s), mailto and tel links are kept"
            )
        for src in rendered.images_without_alt:
            self.problems.warning(
                doc.rel, self._line(doc, src), f"image '{src}' has no alt text; describe what it shows: ![a short description]({src})"
            )
        for label in rendered.notes_undefined:
            self.problems.warning(
                doc.rel, self._line(doc, f"[^{label}]"), f"footnote [^{label}] has no note; write it on a line of its own: '[^{label}]: the note'"
            )
        for label in rendered.notes_unused:
            self.problems.warning(
                doc.rel, self._line(doc, f"[^{label}]:"), f"footnote [^{label}] is never referred to; write [^{label}] where it belongs"
            )
        body = rendered.html
        if NOTE_ID in body:
            body = _notes(body, doc, back_to_note)
        if LINK_PREFIX not in body and ASSET_PREFIX not in body:
            return body

        # The placeholders are attribute values as Python-Markdown wrote them, HTML-escaped ('R&amp;D.pdf').
        def resolve(match: re.Match) -> str:
            attr, prefix, fragment = match.group(1), match.group(2), html_text.unescape(match.group(4) or "")
            target = html_text.unescape(match.group(3))
            if prefix == LINK_PREFIX:
                path = self._content(doc, target)
                return _attribute(attr, relative(page_path, path) + fragment if path else "#")
            path = self._asset(doc, target, attr)
            if path and media.is_raster(target):
                return self._image_attributes(doc, target, attr, page_path)
            return _attribute(attr, media_url(page_path, path) + fragment if path else "#")

        def tracks(match: re.Match) -> str:
            return match.group(2) + ">" + self._tracks(doc, html_text.unescape(match.group(1)), page_path)

        return _CAPTIONS.sub(tracks, _PLACEHOLDER.sub(resolve, body))

    def first_image(self, doc: Document) -> str | None:
        """The largest copy of the body's first image, for link previews (og:image) and JSON-LD."""
        for asset in self.rendered(doc).assets:
            if media.is_raster(asset) and asset in self.content.assets:
                info = self._image_info(doc, asset)
                return info.largest.path if info else None
        return None

    def _image_info(self, doc: Document, target: str) -> media.ImageInfo | None:
        if target not in self._images:
            try:
                self._images[target] = media.image_info(target, self.content.assets[target])
            except media.MediaError as exc:
                self._images[target] = None
                self.problems.error(doc.rel, self._line(doc, posixpath.basename(target)), f"image '{target}': {exc}")
        return self._images[target]

    def _image_attributes(self, doc: Document, target: str, attr: str, page_path: str) -> str:
        """An <img> gets the resized copies as srcset, with width and height; a link leads to the largest copy."""
        info = self._image_info(doc, target)
        if info is None:
            return _attribute(attr, "#")
        if attr == "href":
            return _attribute("href", media_url(page_path, info.largest.path))
        srcset = ", ".join(f"{media_url(page_path, v.path)} {v.width}w" for v in info.variants)
        src = info.src
        values = {"src": media_url(page_path, src.path), "srcset": srcset, "sizes": media.SIZES, "width": src.width, "height": src.height}
        return " ".join(_attribute(name, str(value)) for name, value in values.items())

    def _tracks(self, doc: Document, video: str, page_path: str) -> str:
        """<track> elements for the WebVTT files beside a video; the page's own language is the default."""
        found, has_default = [], False
        for lang, asset in media.caption_tracks(video, self.content.assets):
            lang = lang or doc.lang
            if self._asset(doc, asset) is None:
                continue
            try:
                label = Locale.parse(lang.replace("-", "_")).get_display_name(lang.replace("-", "_")) or lang
            except (ValueError, UnknownLocaleError):
                label = lang
            default = lang == doc.lang and not has_default
            has_default = has_default or default
            track = Markup('<track kind="captions" src="{}" srclang="{}" label="{}"{}>')
            found.append(track.format(media_url(page_path, media_path(asset)), lang, label, Markup(" default") if default else ""))
        return "".join(found)

    def _asset(self, doc: Document, target: str, attr: str = "href") -> str | None:
        """Where a file beside the Markdown is published, or None (with an error) if it is missing or may not be."""
        if target not in self.content.assets:
            problem = "not found in content/; put it next to the Markdown file"
        else:
            problem = self._refusal(target, attr)
        if problem:
            self.problems.error(doc.rel, self._line(doc, posixpath.basename(target)), f"file '{target}' {problem}")
            return None
        self.used_assets.add(target)
        return media_path(target)

    def _refusal(self, target: str, attr: str) -> str | None:
        """Why a file may not be published where the page uses it: ``src`` shows it (an image or a video)."""
        key = (target, attr)
        if key not in self._refusals:
            refusal = media.unpublishable(target, Path(self.content.assets[target]))
            if refusal is None and attr == "src" and not (media.is_raster(target) or media.extension(target)[1:] in VIDEO_TYPES):
                refusal = "is shown as an image, but only JPEG, PNG, WebP and GIF images and MP4 and WebM videos can be; link to it instead"
            self._refusals[key] = refusal
        return self._refusals[key]

    def _content(self, doc: Document, ref: str) -> str | None:
        key, _, lang = ref.partition("@")
        section, _, name = key.partition("/")
        lang = lang or doc.lang
        path = self.target_path(section, name, lang)
        if path is None:
            self.problems.error(doc.rel, self._line(doc, name), f"link to '{key}.md' but no such content in '{lang}'; check the file name")
        return path

    def target_path(self, section: str, key: str, lang: str) -> str | None:
        """The page of a content item in ``lang``, else in any language that has it."""
        items = {"news": self.content.news, "pages": self.content.pages}.get(section)
        if section == "parks":
            park = self.content.parks.get(key)
            langs = park.prose if park else {}
        elif items is not None and key in items:
            langs = items[key].translations
        else:
            return None
        chosen = lang if lang in langs else next(iter(sorted(langs)), None)
        if chosen is None:
            return None
        if section == "parks":
            return self.urls.item(chosen, "parks", key)
        doc = langs[chosen]
        slug = doc.meta.get("slug") or key
        return self.urls.item(chosen, "news", slug) if section == "news" else self.urls.static_page(chosen, slug)

    @staticmethod
    def _line(doc: Document, needle: str) -> int:
        for offset, line in enumerate(doc.body.split("\n")):
            if needle and needle in line:
                return doc.body_line + offset
        return doc.body_line
