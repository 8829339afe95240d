"""``i18n extract | update | compile | stats``: the site's catalogs, over its theme's
(what each does: commands/i18n_actions.py)."""

from __future__ import annotations

ACTIONS = ("extract", "update", "compile", "stats", "done")


def register(subparsers) -> None:
    command = subparsers.add_parser("i18n", help="extract, update, compile and count interface translations")
    command.add_argument("action", choices=ACTIONS)
    command.add_argument("paths", nargs="*", metavar="PATH", help="done: the translations brought up to date")
    command.set_defaults(run=run)


def run(args) -> int:
    # Imported here, not above: every command line loads this module, and Babel's catalog
    # tools and the template extractor would weigh on each `parkpress build` that has nothing to do.
    from parkpress.commands.i18n_actions import run_action
    from parkpress.core.config import load_config
    from parkpress.theme.loader import load_themes

    config = load_config(args.project)
    if args.action == "done":
        from parkpress.commands.i18n_done import mark_done

        return mark_done(config, args.paths)
    return run_action(args.action, config, load_themes(config))
