"""Markdown to HTML, safe by default and independent of where the page lands.

Links to other content files and to images beside the source are written as
``pp-link:`` / ``pp-asset:`` placeholders; ``links.resolve`` turns them into
relative URLs for each output page.  That keeps the rendered HTML a pure
function of the Markdown text, so it can be cached by content hash.
"""

from __future__ import annotations

import contextlib
import ctypes
import html
import posixpath
import re
import signal
import threading
import time
import xml.etree.ElementTree as etree
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

import markdown
from markdown.extensions.footnotes import FootnoteExtension
from markdown.treeprocessors import Treeprocessor

from parkpress.content import inline, media
from parkpress.content.anchors import heading_ids
from parkpress.content.linebreaks import JoinCjkLines
from parkpress.content.lists import CommonMarkIndent

SAFE_SCHEMES = {"", "http", "https", "mailto", "tel"}
LINK_PREFIX = "pp-link:"
ASSET_PREFIX = "pp-asset:"
# Footnotes: their ids start with NOTE_ID, where body.py puts the document's own prefix (one page may
# show several bodies); a back-link's title is NOTE_BACK and the note's number, which body.py words
# in the page's language.  The HTML stays the same for every page and language that shows it.
NOTE_ID = "pp-note:"
NOTE_BACK = "pp-note-back:"


@dataclass
class Rendered:
    html: str
    links: list[str] = field(default_factory=list)  # content targets, e.g. "parks/wuqing" or "news/x@de"
    assets: list[str] = field(default_factory=list)  # content-relative asset paths
    dropped: list[str] = field(default_factory=list)  # unsafe URLs removed
    images_without_alt: list[str] = field(default_factory=list)
    too_complex: bool = False  # nested too deeply, or over the CPU budget: html is the escaped text
    notes_unused: list[str] = field(default_factory=list)  # labels of footnotes no [^label] refers to
    notes_undefined: list[str] = field(default_factory=list)  # [^label] without a definition: left as text


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
        headings = [el for el in root.iter() if el.tag in ("h2", "h3", "h4", "h5", "h6")]
        for el, ident in zip(headings, heading_ids([_plain_text(el) for el in headings]), strict=True):
            el.set("id", ident)
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
        _scroll_tables(root)
        _number_notes(root, found)

    @staticmethod
    def _safe(url: str, found: Rendered) -> bool:
        seen = _as_browser_sees(url)
        try:
            urlsplit(url)  # _target splits it too
            if urlsplit(seen).scheme.lower() in SAFE_SCHEMES and not seen.replace("\\", "/").startswith("//"):
                return True
        except ValueError:  # not a URL at all, such as "http://[x"
            pass
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


def _scroll_tables(root: etree.Element) -> None:
    """Each table goes into a focusable scroll box (site.css .table-scroll): a wide table scrolls inside it on a
    phone instead of widening the page, and keyboard users can scroll it once it has focus."""
    for parent in list(root.iter()):
        for index, child in enumerate(list(parent)):
            if child.tag == "table":
                box = etree.Element("div", {"class": "table-scroll", "tabindex": "0"})
                box.tail, child.tail = child.tail, None
                parent.remove(child)
                box.append(child)
                parent.insert(index, box)


_NOTE_CALL = re.compile(r"\[\^([^\]]+)\]")  # as the footnotes extension finds a reference


def _number_notes(root: etree.Element, found: Rendered) -> None:
    """Footnote ids by the note's number rather than its label, which may hold spaces (an id may not)
    or repeat a heading's id; a note nothing refers to loses its back-link, which would lead nowhere."""
    notes = next((div.find("ol") for div in root.iter("div") if div.get("class") == "footnote"), None)
    calls = {sup.get("id") for sup in root.iter("sup")}
    renamed: dict[str, str] = {}
    for number, item in enumerate(notes.findall("li") if notes is not None else (), 1):
        renamed[item.get("id", "")] = f"{NOTE_ID}fn{number}"
        last = item[-1] if len(item) else item  # the extension puts the back-links into the note's last paragraph
        backs = [a for a in last if a.tag == "a" and a.get("class") == "footnote-backref"]
        for count, back in enumerate(backs, 1):
            if back.get("href", "")[1:] not in calls:
                found.notes_unused.append(item.get("id", "").split(":", 1)[-1])
                last.remove(back)
                continue
            renamed[back.get("href", "")[1:]] = f"{NOTE_ID}ref{number}" + (f"-{count}" if count > 1 else "")
            back.set("title", f"{NOTE_BACK}{number}" + (f".{count}" if len(backs) > 1 else ""))
    for el in root.iter():
        if el.get("id") in renamed:
            el.set("id", renamed[el.get("id")])
        href = el.get("href", "")
        if href.startswith("#") and href[1:] in renamed:
            el.set("href", "#" + renamed[href[1:]])
        for text in (el.text if el.tag not in ("code", "pre") else None, el.tail):
            found.notes_undefined.extend(_NOTE_CALL.findall(text or ""))


def _plain_text(el: etree.Element) -> str:
    """A heading's text as a reader sees it, without Python-Markdown's placeholders of stashed HTML."""
    return re.sub("\x02[^\x03]*\x03", "", "".join(el.itertext()))


def _as_browser_sees(url: str) -> str:
    """The URL a browser follows: Markdown keeps entities such as ``jav&#x09;ascript:`` as
    written, the browser decodes them, drops tabs and newlines, and trims controls and spaces."""
    return re.sub(r"[\t\n\r]", "", html.unescape(url)).strip("".join(map(chr, range(33))))


_FILE_TYPES = {*media.RASTER, *media.PUBLISHED_AS_IS, ".svg", ".svgz", ".xls", ".doc"}  # the last: errors that say why


def _looks_like_file(path: str) -> bool:
    return media.extension(path) in _FILE_TYPES


class MarkdownConverter:
    """One configured Python-Markdown instance, reused for every document."""

    def __init__(self, allow_raw_html: bool = False):
        notes = FootnoteExtension(BACKLINK_TEXT="&#8617;&#xFE0E;")  # text, not an emoji: it takes the link's colour
        self._md = markdown.Markdown(extensions=["tables", "sane_lists", notes], output_format="html")
        # Looked up for nearly every element, in a list of 50 tags: a twentieth of all conversion time.
        self._md.block_level_elements = frozenset(self._md.block_level_elements)
        if not allow_raw_html:
            self._md.preprocessors.deregister("html_block")
            self._md.inlinePatterns.deregister("html")
        # After Python-Markdown's whitespace preprocessor (30), which expands tabs.
        self._md.preprocessors.register(CommonMarkIndent(self._md), "parkpress-list-indent", 25)
        self._md.treeprocessors.register(_Rewriter(self._md, self), "parkpress-links", 1)
        self._md.treeprocessors.register(JoinCjkLines(self._md), "parkpress-cjk-lines", 5)  # after inline (20)
        inline.install(self._md)  # last: it takes the inline patterns as they are now
        self.found = Rendered("")
        self.base_dir = ""

    def convert(self, text: str, base_dir: str) -> Rendered:
        """Render ``text``; ``base_dir`` is the source's folder relative to content/."""
        self.found = Rendered("")
        self.base_dir = base_dir
        try:
            with _cpu_budget(BUDGET_SECONDS + BUDGET_SECONDS_PER_MB * len(text) / 1e6):
                self.found.html = self._md.reset().convert(text)
        except (RecursionError, _OverBudget):
            self.found = Rendered("<p>" + _escape(text) + "</p>", too_complex=True)
        return self.found

    def inspect(self, reader: Callable[[etree.Element, markdown.Markdown], None]) -> None:
        """Show ``reader`` each document's tree as Python-Markdown parsed it, after the inline patterns and
        before parkpress rewrites it (heading levels, figures, tables): `check` compares that with CommonMark
        (content/commonmark.py).  ``reader`` gets the Markdown instance for its stash of raw HTML."""
        self._md.treeprocessors.register(_Inspect(self._md, reader), "parkpress-inspect", 2)  # just before _Rewriter (1)


class _Inspect(Treeprocessor):
    def __init__(self, md, reader: Callable[[etree.Element, markdown.Markdown], None]):
        super().__init__(md)
        self.reader = reader

    def run(self, root: etree.Element) -> None:
        self.reader(root, self.md)


# Python-Markdown takes quadratic time or worse on some texts (thousands of nested lists
# or brackets): hours for a few kilobytes.  Ordinary text converts at about 1 MB per CPU
# second; the budget allows five times that, so only such texts reach it.
BUDGET_SECONDS = 10.0
BUDGET_SECONDS_PER_MB = 5.0


class _OverBudget(BaseException):  # not an Exception: no handler inside Python-Markdown may swallow it
    """The CPU-time alarm went off during a conversion."""


@contextlib.contextmanager
def _cpu_budget(seconds: float) -> Iterator[None]:
    """Raise _OverBudget inside the block after ``seconds`` of CPU time.

    CPU time, not wall time, so a busy machine does not fail a build.  On the main thread a
    CPU-time alarm signal raises it; signals reach no other thread, so there (serve builds in
    a thread of its own) a watchdog raises it (_Watchdog).
    """
    if threading.current_thread() is threading.main_thread():
        with _alarm(seconds):
            yield
    else:
        with _WATCHDOG.limit(seconds):
            yield


@contextlib.contextmanager
def _alarm(seconds: float) -> Iterator[None]:
    def expire(signum, frame):
        raise _OverBudget

    previous = signal.signal(signal.SIGVTALRM, expire)
    signal.setitimer(signal.ITIMER_VIRTUAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_VIRTUAL, 0)
        signal.signal(signal.SIGVTALRM, previous)


class _Watchdog:
    """Raises _OverBudget in a thread that has used up its CPU time, from a thread of its own.

    It reads each watched thread's CPU clock (``pthread_getcpuclockid``) every POLL seconds
    and raises the exception in it with ``PyThreadState_SetAsyncExc``, which Python delivers
    at the thread's next bytecode, as it delivers a signal handler's exception.  Where
    threads have no CPU clock of their own (not POSIX), a conversion off the main thread runs
    unbounded, as it did before.
    """

    POLL = 0.05

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._deadlines: dict[int, tuple[int, float]] = {}  # thread id -> (its CPU clock, CPU time to stop at)
        self._thread: threading.Thread | None = None

    @contextlib.contextmanager
    def limit(self, seconds: float) -> Iterator[None]:
        ident = threading.get_ident()
        clock = _cpu_clock(ident)
        if clock is None:
            yield
            return
        with self._changed:
            self._deadlines[ident] = (clock, time.clock_gettime(clock) + seconds)
            self._start()
            self._changed.notify()
        try:
            yield
        finally:
            with self._changed:
                if self._deadlines.pop(ident, None) is None:
                    _raise_in(ident, None)  # the alarm went off as the block ended: it must not reach later code

    def _start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._watch, name="parkpress-markdown-budget", daemon=True)
            self._thread.start()

    def _watch(self) -> None:
        with self._changed:
            while True:
                if not self._deadlines:
                    self._changed.wait()
                    continue
                for ident, (clock, deadline) in list(self._deadlines.items()):
                    if time.clock_gettime(clock) >= deadline:
                        del self._deadlines[ident]
                        _raise_in(ident, _OverBudget)
                self._changed.wait(self.POLL)


def _cpu_clock(ident: int) -> int | None:
    try:
        return time.pthread_getcpuclockid(ident)
    except (AttributeError, OSError):
        return None


def _raise_in(ident: int, exception: type[BaseException] | None) -> None:
    """Raise ``exception`` in the thread ``ident`` at its next bytecode (None: take back one not yet raised)."""
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(ident), ctypes.py_object(exception) if exception else None)


_WATCHDOG = _Watchdog()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
