"""Reading built pages in tests: the elements, URLs and ids of an HTML file.

The standard library's HTMLParser is enough for the generator's own output and
keeps the tests free of another dependency.
"""

from __future__ import annotations

import functools
import posixpath
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

# Attributes whose value is one URL, and those holding a srcset list.
URL_ATTRIBUTES = ("href", "src", "poster", "action", "data", "cite", "formaction")
SRCSET_ATTRIBUTES = ("srcset", "imagesrcset")
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    line: int
    text: str = ""  # the text inside it, for elements that can hold text
    classes: tuple[str, ...] = ()
    ancestors: tuple[Element, ...] = field(default=(), repr=False)

    def inside(self, tag: str, class_: str | None = None) -> bool:
        return any(a.tag == tag and (class_ is None or class_ in a.classes) for a in self.ancestors)


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self.open: list[Element] = []

    def handle_starttag(self, tag, attrs):
        values = {name: value or "" for name, value in attrs}
        element = Element(tag, values, self.getpos()[0], classes=tuple(values.get("class", "").split()), ancestors=tuple(self.open))
        self.elements.append(element)
        if tag not in _VOID:
            self.open.append(element)

    def handle_endtag(self, tag):
        for index in range(len(self.open) - 1, -1, -1):
            if self.open[index].tag == tag:
                del self.open[index:]
                return

    def handle_data(self, data):
        for element in self.open:
            element.text += data


@functools.cache
def elements(path: Path) -> tuple[Element, ...]:
    """Every element of an HTML file, in document order (cached: built sites do not change)."""
    collector = _Collector()
    collector.feed(path.read_text(encoding="utf-8"))
    collector.close()
    return tuple(collector.elements)


def find(path: Path, tag: str, **attrs: str) -> list[Element]:
    """Elements with ``tag`` whose attributes have the given values (class_ matches one class)."""
    wanted_class = attrs.pop("class_", None)
    return [
        e
        for e in elements(path)
        if e.tag == tag
        and all(e.attrs.get(name.replace("_", "-")) == value for name, value in attrs.items())
        and (wanted_class is None or wanted_class in e.classes)
    ]


@functools.cache
def ids(path: Path) -> frozenset[str]:
    """The fragment targets of an HTML file."""
    found = {e.attrs["id"] for e in elements(path) if "id" in e.attrs}
    found |= {e.attrs["name"] for e in elements(path) if e.tag == "a" and "name" in e.attrs}
    return frozenset(found)


def urls(path: Path) -> list[tuple[Element, str]]:
    """(element, url) for every URL-valued attribute of the page."""
    found = []
    for element in elements(path):
        for name in URL_ATTRIBUTES:
            if name in element.attrs:
                found.append((element, element.attrs[name]))
        for name in SRCSET_ATTRIBUTES:
            for candidate in element.attrs.get(name, "").split(","):
                if candidate.strip():
                    found.append((element, candidate.split()[0]))
    return found


def follow(site: Path, page: Path, url: str) -> tuple[Path, str]:
    """The file a relative ``url`` on ``page`` leads to (as a browser on file:// resolves it), and its fragment."""
    parts = urlsplit(url)
    base = page.parent.relative_to(site).as_posix()
    target = posixpath.normpath(posixpath.join(base, unquote(parts.path))) if parts.path else page.relative_to(site).as_posix()
    return site / target, parts.fragment


def html_files(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def is_page_file(site: Path, path: Path) -> bool:
    return path.is_file() and path.resolve().is_relative_to(site.resolve())


def relative_problems(site: Path, page: Path) -> list[str]:
    """Every relative URL on ``page`` that does not lead to a file (or to an id on it)."""
    problems = []
    for element, url in urls(page):
        scheme = urlsplit(url).scheme
        if scheme in ("http", "https", "mailto", "tel") or url.startswith("/"):
            continue  # checked by the tests for absolute and root-relative URLs
        where = f"{page.relative_to(site)}:{element.line}: <{element.tag}> {url!r}"
        if scheme:
            problems.append(f"{where}: unexpected scheme {scheme}:")
            continue
        target, fragment = follow(site, page, url)
        if not is_page_file(site, target):
            problems.append(f"{where}: not a file of the site (a bare folder shows a listing on file://)")
        elif fragment and fragment not in ids(target):
            problems.append(f"{where}: no id '{fragment}' on the target page")
    return problems
