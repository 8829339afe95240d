"""``new news | page | park``: start a content file with valid front matter.

new news "Title" --park wuqing --lang en     content/news/<yyyy-mm>-<slug>.en.md
new page "Title" --menu 3                    content/pages/<slug>.<default language>.md
new park KEY --name N --province P --city C  content/parks/KEY.yaml and KEY.<lang>.md
... --translations KEY [--lang de]           the missing languages of an existing item
"""

from __future__ import annotations

import argparse

from parkpress.core import schema
from parkpress.core.config import load_config

SECTIONS = {"news": "news", "page": "pages", "park": "parks"}


def register(subparsers) -> None:
    command = subparsers.add_parser("new", help="create a news item, page or park with valid front matter")
    kinds = command.add_subparsers(dest="kind", metavar="KIND", required=True)
    news = kinds.add_parser("news", help="a news item")
    news.add_argument("--park", action="append", default=[], metavar="KEY", help="a park the item is about (repeatable)")
    news.add_argument("--source", metavar="NAME", help="who published it (default: the first park's name)")
    page = kinds.add_parser("page", help="a static page such as 'How to invest'")
    page.add_argument("--menu", type=_menu_position, metavar="N", help="position in the main menu (0 to 1000)")
    park = kinds.add_parser("park", help="a park: its facts file and its prose")
    park.add_argument("--name", help="the park's own (English) name")
    park.add_argument("--province")
    park.add_argument("--city")
    park.add_argument("--level", action="append", default=[], metavar="KEY", help="a level key of taxonomy.yaml (repeatable)")
    for kind, parser in (("news", news), ("page", page), ("park", park)):
        if kind == "park":
            parser.add_argument("name_or_key", metavar="KEY", help="the park's key, used in file names and URLs")
        else:
            parser.add_argument("name_or_key", metavar="TITLE", help="the title (with --translations: the KEY of an existing item)")
        if kind != "page":
            parser.add_argument("--industry", action="append", default=[], metavar="KEY", help="an industry key of taxonomy.yaml")
        parser.add_argument("--lang", action="append", default=[], metavar="CODE", help="the language (default: the default language)")
        parser.add_argument("--summary", help="one or two sentences (default: the title)")
        parser.add_argument(
            "--translations", action="store_true", help="create the missing languages (or those given with --lang) of an existing item"
        )
        parser.set_defaults(run=run, usage_error=parser.error)


def _menu_position(text: str) -> int:
    """--menu as the build will read it, so ``new`` never writes a page the build rejects."""
    try:
        return schema.menu_position(int(text))
    except ValueError:
        low, high = schema.MENU_POSITIONS
        raise argparse.ArgumentTypeError(f"'{text}' is not a menu position; give a whole number from {low} to {high}") from None


def run(args) -> int:
    from parkpress.commands import scaffold  # here, not above: other commands need not load it (and python-slugify)

    config = load_config(args.project)
    ws = scaffold.Workspace(config)
    ws.check_languages(args.lang)
    if args.translations:
        files = scaffold.translations(ws, SECTIONS[args.kind], args.name_or_key, args.lang)
    else:
        if len(args.lang) > 1:
            args.usage_error("give one --lang for a new item; add the others afterwards with --translations")
        lang = args.lang[0] if args.lang else config.default_language
        if args.kind == "news":
            files = [scaffold.news_item(ws, args.name_or_key, lang, args.park, args.industry, args.source, args.summary)]
        elif args.kind == "page":
            files = [scaffold.static_page(ws, args.name_or_key, lang, args.menu, args.summary)]
        else:
            missing = [f"--{name}" for name in ("name", "province", "city") if not getattr(args, name)]
            if missing:
                args.usage_error(f"a new park needs {', '.join(missing)}")
            files = scaffold.park(ws, args.name_or_key, lang, args.name, args.province, args.city, args.level, args.industry, args.summary)
    for path in scaffold.write_all(args.project, files):
        print(path)
    return 0
