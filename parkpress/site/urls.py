"""Where every page lands: the only module that knows the URL scheme.

Pages are addressed by their output path relative to the site root
(``de/nachrichten/x/index.html``).  Links between pages are always relative
and name ``index.html`` explicitly, so the site works from any sub-path and
straight from disk (``file://`` shows a folder listing for a bare folder).
"""

from __future__ import annotations

import posixpath
from urllib.parse import quote

from parkpress.core.config import Config

INDEX = "index.html"
THEME_ICON = "static/icon-512.png"  # the theme's app icon: the publisher's logo, and the picture of last resort for link previews


class Urls:
    def __init__(self, config: Config):
        self._config = config
        self._languages = {lang.code: lang for lang in config.languages}

    def _slug(self, lang: str, section: str) -> str:
        return self._languages[lang].slugs[section]

    def direction(self, lang: str) -> str:
        """"rtl" or "ltr": how the language is written, for what is drawn rather than laid out by CSS (charts)."""
        return self._languages[lang].direction

    def home(self, lang: str) -> str:
        return f"{lang}/{INDEX}"

    def section(self, lang: str, section: str, page: int = 1) -> str:
        return self.page(f"{lang}/{self._slug(lang, section)}/{INDEX}", page)

    @staticmethod
    def page(first: str, number: int) -> str:
        """Page ``number`` of a list whose first page is ``first`` (a folder's index.html)."""
        return first if number == 1 else f"{first.removesuffix(INDEX)}{number}/{INDEX}"

    def news_year(self, lang: str, year: int) -> str:
        return f"{lang}/{self._slug(lang, 'news')}/archive/{year}/{INDEX}"

    def item(self, lang: str, section: str, slug: str) -> str:
        """A park, news item, industry or ranking list."""
        return f"{lang}/{self._slug(lang, section)}/{slug}/{INDEX}"

    def static_page(self, lang: str, slug: str) -> str:
        return f"{lang}/{slug}/{INDEX}"

    def not_found(self, lang: str) -> str:
        return f"{lang}/404.html"

    def feed(self, lang: str) -> str:
        return f"{lang}/feed.xml"

    def offline(self, lang: str) -> str:
        """What the service worker shows for a page the visitor has not read yet."""
        return f"{lang}/offline.html"

    def manifest(self, lang: str) -> str:
        return f"{lang}/manifest.webmanifest"

    def archive(self) -> str:
        """The downloadable copy of the site (``build --zip``), named after the host so a download folder tells it apart."""
        host = self._config.base_url.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]
        return f"{host}-offline.zip"

    def absolute(self, path: str) -> str:
        """The public URL of an output path, for canonical links, sitemaps and feeds."""
        if path == INDEX or path.endswith("/" + INDEX):
            path = path[: -len(INDEX)]
        return self._config.base_url + quote(path, safe="/")  # a media file's name may hold spaces or any script

    @property
    def base_path(self) -> str:
        """The path part of the base URL ("/" or "/invest/"), for the host's 404 page."""
        rest = self._config.base_url.split("://", 1)[-1]
        return "/" + rest.split("/", 1)[1] if "/" in rest else "/"


def relative(from_page: str, to_path: str) -> str:
    """A relative URL from the output file ``from_page`` to the output path ``to_path``."""
    fragment = ""
    if "#" in to_path:
        to_path, fragment = to_path.split("#", 1)
        fragment = "#" + fragment
    start = posixpath.dirname(from_page)
    if _plain(start) and _plain(to_path):
        # Output paths are plain ('de/news/x/index.html'), so the common prefix is all
        # there is to it; posixpath.relpath makes both absolute first and was a fifth of
        # the render time.
        here, there = start.split("/") if start else [], to_path.split("/")
        common = 0
        while common < len(here) and common < len(there) and here[common] == there[common]:
            common += 1
        return ("/".join([".."] * (len(here) - common) + there[common:]) or ".") + fragment
    return posixpath.relpath(to_path, start or ".") + fragment


def _plain(path: str) -> bool:
    """No '.', '..' or empty segments and no leading or trailing '/'."""
    return not path.startswith((".", "/")) and not path.endswith("/") and "/." not in path and "//" not in path
