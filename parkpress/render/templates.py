"""The Jinja2 environment of one language, and rendering a planned page with it."""

from __future__ import annotations

import functools
import gettext
import json
import posixpath
import re
import traceback
from collections.abc import Callable, Iterable
from decimal import Decimal
from pathlib import Path

import jinja2
from jinja2 import pass_context
from markupsafe import Markup

from parkpress.core.problems import Problems
from parkpress.i18n.catalogs import Lookups, escaped_callables
from parkpress.i18n.formatting import Formatter
from parkpress.render.layers import LayeredEnvironment, LayeredLoader, TemplateFolder, block_problems, missing_references
from parkpress.render.qrcode import qr_svg
from parkpress.search.index import index_script_for
from parkpress.site.urls import relative
from parkpress.theme.loader import BUILTIN

# .js and .webmanifest: the service worker and the web app manifests are rendered too.
TEMPLATE_SUFFIXES = (".html", ".xml", ".txt", ".js", ".webmanifest")


class TemplateFailure(Exception):
    """A template could not be loaded or rendered; ``path:line`` names the template."""

    def __init__(self, path: str, line: int, message: str):
        self.path, self.line = path, line
        super().__init__(message)


@pass_context
def _rel(context, path: str | None) -> str:
    """A link from the page being rendered to the output path ``path``."""
    if path is None:
        return ""
    return _links_from(context["page_path"])(path)


@functools.lru_cache(maxsize=64)
def _links_from(page: str) -> Callable[[str], str]:
    """``relative`` from ``page``, with the page's folders worked out once, not for each of
    the ~45 links a page makes (menu, alternates, cards): ``|rel`` is the most used filter."""
    folder = posixpath.dirname(page)
    parts = folder.split("/") if folder else []
    if not _plain(folder):
        return functools.partial(relative, page)
    # From the page's own folder up to the root: the folder's path as a prefix, the way
    # up from the page to it, and the name of the folder below it on the way to the page.
    steps = []
    for depth in range(len(parts), -1, -1):
        steps.append(("/".join(parts[:depth]) + "/" if depth else "", "../" * (len(parts) - depth), parts[depth : depth + 1]))

    def link(path: str) -> str:
        if not ("#" in path or path.startswith((".", "/")) or path.endswith("/") or "/." in path or "//" in path):  # _plain, inlined
            for prefix, up, below in steps:
                if path.startswith(prefix):
                    rest = path[len(prefix) :]
                    if [rest] != below:  # else ``path`` is a folder the page is in: relative() says "." or ".."
                        return up + rest or "."
                    break
        return relative(page, path)

    return link


def _plain(path: str) -> bool:
    """No '.', '..' or empty segments and no leading or trailing '/' (as urls.relative's fast case)."""
    return not (path.startswith((".", "/")) or path.endswith("/") or "/." in path or "//" in path)


def _translator(gettext_: Callable[[str], Markup], isolate: Callable[[dict], dict], lookups: Lookups | None) -> Callable[..., Markup]:
    """``_`` for templates, as Jinja's newstyle gettext does it (the escaped translation used as
    a format string, even without variables), with each message's result kept when there are
    no variables.  A page calls ``_`` ~15 times, Jinja's own took ~12 µs a call, through three
    context calls for what is the same text on every page of the language.  A kept result is
    still noted in ``lookups``: the page that asks for it uses it."""
    done: dict[str, Markup] = {}
    note = lookups.note if lookups is not None else lambda message: None

    def translate(__string: str, **variables) -> Markup:
        if variables:
            return Markup(gettext_(__string)) % isolate(variables)
        try:
            result = done[__string]
            note(__string)
            return result
        except KeyError:
            result = done[__string] = Markup(gettext_(__string)) % {}
            return result

    return translate


def _plural_translator(ngettext_: Callable[[str, str, int], Markup], isolate: Callable[[dict], dict]) -> Callable[..., Markup]:
    """``ngettext`` for templates, as Jinja's newstyle one (``num`` is the count unless given), numbers isolated."""

    def translate(__singular: str, __plural: str, __num: int, **variables) -> Markup:
        variables.setdefault("num", __num)
        return Markup(ngettext_(__singular, __plural, __num)) % isolate(variables)

    return translate


# A number as Babel writes it in any locale: digits of any script, separators, signs, percent, bidi marks.
_NUMBER_PART = r"[\d\s.,'+\-%\u066a-\u066c\u061c\u200e\u200f]"
_NUMERAL = re.compile(f"{_NUMBER_PART}*\\d{_NUMBER_PART}*")


def _isolating(variables: dict) -> dict:
    """The variables of a translated sentence on a right-to-left page, each number in a <bdi>: digits run left
    to right inside the Arabic text, and isolated, the number and the signs beside it (a minus, a percent, the
    punctuation after it) cannot be reordered with the words around it."""
    return {name: _isolated(value) for name, value in variables.items()}


def _isolated(value: object) -> object:
    number = isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)
    if number or (isinstance(value, str) and not isinstance(value, Markup) and _NUMERAL.fullmatch(value)):
        return Markup("<bdi>%s</bdi>") % value
    return value


def _as_is(variables: dict) -> dict:
    return variables


def _jsonld(data: object) -> Markup:
    """JSON for a <script type="application/ld+json"> block; '<' and '&' are escaped so no '</script>' can end it."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, default=str)
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def environment(
    folders: Iterable[TemplateFolder],
    translations,
    formatter: Formatter,
    absolute,
    bytecode_cache=None,
    qr=qr_svg,
    search_index=index_script_for,
    direction: str = "ltr",
    lookups: Lookups | None = None,
) -> LayeredEnvironment:
    """The environment of one language, over the site's templates and its theme's (see layers.py);
    ``direction``: the language's, which decides whether numbers in its sentences are isolated;
    every msgid its templates look up is noted in ``lookups``."""
    env = LayeredEnvironment(
        loader=LayeredLoader(folders),
        autoescape=True,
        extensions=["jinja2.ext.i18n"],
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=bytecode_cache,
        auto_reload=False,
    )
    gettext_, ngettext_ = escaped_callables(translations, lookups)
    env.install_gettext_callables(gettext_, ngettext_, newstyle=True)
    isolate = _isolating if direction == "rtl" else _as_is
    env.globals["_"] = env.globals["gettext"] = _translator(gettext_, isolate, lookups)  # {% trans %} calls gettext
    env.globals["ngettext"] = _plural_translator(ngettext_, isolate)
    env.filters.update(
        rel=_rel,
        absolute=absolute,
        jsonld=_jsonld,
        date=formatter.date,
        datetime=formatter.datetime,
        time=formatter.time,
        number=formatter.number,
        percent=formatter.percent,
        amount=formatter.amount,
        figure=formatter.figure,
        format_list=formatter.join_list,
        iso=formatter.iso,
        qr=qr,
        search_index=search_index,
    )
    return env


def check_templates(
    folders: Iterable[TemplateFolder], formatter: Formatter, needed: set[str], problems: Problems, bytecode_cache=None
) -> None:
    """Compile every template once before rendering, so a syntax error or a missing
    template is one error naming its file, not one per page that uses it; and report blocks
    that an override would drop (layers.block_problems)."""
    env = environment(folders, gettext.NullTranslations(), formatter, str, bytecode_cache=bytecode_cache)
    available = set(env.list_templates(filter_func=is_template))
    site_folder = env.loader.folders[0].folder
    for name in sorted(needed - available):
        problems.error(
            site_folder / name, 0, f"template '{name}' not found in {env.loader.describe()}; add it to templates/{_or_parent(env)}"
        )
    broken = set()
    for name in sorted(available):
        try:
            env.get_template(name)
        except jinja2.TemplateSyntaxError as exc:
            broken.add(name)
            problems.error(_file(env, exc.filename, exc.name or name), exc.lineno or 0, f"template syntax error: {exc.message}")
        except jinja2.TemplateNotFound as exc:
            broken.add(name)
            problems.error(_file(env, None, name), 0, f"template '{exc.name}' not found in {env.loader.describe()}: fix the name")
        except UnicodeDecodeError:
            broken.add(name)
            problems.error(_file(env, None, name), 0, "not valid UTF-8 text; save the template with UTF-8 encoding")
    for found in block_problems(env, available - broken) + missing_references(env, available - broken):
        problems.error(found.path, found.line, found.message)


def _or_parent(env: LayeredEnvironment) -> str:
    """The other fix when a theme without a parent lacks a page's template."""
    return "" if env.loader.names[-1] == BUILTIN else f', or give the theme a parent = "{BUILTIN}" in its theme.toml'


def _file(env: LayeredEnvironment, filename: str | None, name: str) -> Path:
    """The file a template comes from, for messages."""
    return Path(filename) if filename else env.loader.file_of(name) or env.loader.folders[0].folder / name


def is_template(name: str) -> bool:
    return name.endswith(TEMPLATE_SUFFIXES) and not any(part.startswith(".") for part in name.split("/"))  # editors' lock files


def render(env: LayeredEnvironment, template: str, context: dict) -> str:
    """Render, turning Jinja errors into a TemplateFailure that names template and line."""
    try:
        return env.get_template(template).render(context)
    except jinja2.TemplateSyntaxError as exc:
        path = _file(env, exc.filename, exc.name or template)
        raise TemplateFailure(str(path), exc.lineno or 0, f"template syntax error: {exc.message}") from None
    except jinja2.TemplateNotFound as exc:
        where = env.loader.describe()
        raise TemplateFailure(
            str(_file(env, None, template)), 0, f"template '{exc.name}' not found in {where}; add it to templates/"
        ) from None
    except Exception as exc:  # an error inside a template: point at the template line, not Python
        path, line = _template_frame(exc, _file(env, None, template))
        raise TemplateFailure(str(path), line, f"{type(exc).__name__}: {exc}") from None


def _template_frame(exc: Exception, fallback: Path) -> tuple[Path, int]:
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename.endswith(TEMPLATE_SUFFIXES):
            return Path(frame.filename), frame.lineno or 0
    return fallback, 0
