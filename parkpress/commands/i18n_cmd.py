"""``i18n extract | update | compile | stats``: the site's catalogs, over its theme's
(what each does: commands/i18n_actions.py); ``i18n status | done | diff``: content translations
(build/translation_status.py, commands/i18n_done.py, commands/i18n_diff.py);
``i18n export | import``: content to and from translation tools (commands/i18n_exchange.py)."""

from __future__ import annotations

ACTIONS = ("extract", "update", "compile", "stats", "done", "status", "diff", "export", "import")
OUTPUTS = {"status": ("text", "json"), "export": ("xliff", "po")}


def register(subparsers) -> None:
    command = subparsers.add_parser("i18n", help="interface catalogs, the state of content translations, exchange with translation tools")
    command.add_argument("action", choices=ACTIONS)
    command.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="done: the translations brought up to date; diff: those to compare with their source; import: the translated file",
    )
    command.add_argument("--format", choices=("text", "json", "xliff", "po"), help="status: text or json; export: xliff (default) or po")
    command.add_argument("--strict", action="store_true", help="status: exit 1 unless every translation is current")
    command.add_argument("--lang", metavar="CODE", help="export: the language to translate into")
    chosen = command.add_mutually_exclusive_group()
    for selection, what in (("outdated", "outdated translations"), ("missing", "missing translations"), ("all", "every item")):
        chosen.add_argument(f"--{selection}", dest="selection", action="store_const", const=selection, help=f"export: {what}")
    command.add_argument(
        "--changed-only",
        action="store_true",
        help="export: of an outdated translation only the segments that changed (import keeps the rest as it is)",
    )
    command.add_argument("-o", "--output", metavar="FILE", help="export: where to write (default: LANG.xlf or LANG.po in the project)")
    command.set_defaults(run=run, usage_error=command.error)


def run(args) -> int:
    # Imported here, not above: every command line loads this module, and Babel's catalog
    # tools and the template extractor would weigh on each `parkpress build` that has nothing to do.
    from parkpress.commands.i18n_actions import run_action
    from parkpress.core.config import load_config
    from parkpress.theme.loader import load_themes

    if args.format and args.format not in OUTPUTS.get(args.action, ()):
        args.usage_error(f"--format {args.format} is not for '{args.action}'")
    config = load_config(args.project)
    if args.action in ("export", "import"):
        return _exchange(config, args)
    if args.action == "done":
        from parkpress.commands.i18n_done import mark_done

        return mark_done(config, args.paths)
    if args.action == "diff":
        from parkpress.commands.i18n_diff import show_diff

        return show_diff(config, args.paths)
    if args.action == "status":
        return _status(config, args.format or "text", args.strict)
    return run_action(args.action, config, load_themes(config))


def _exchange(config, args) -> int:
    from parkpress.commands.i18n_exchange import export, import_

    if args.action == "export":
        if not args.lang:
            args.usage_error("export needs --lang CODE: the language to translate into")
        return export(config, args.lang, args.selection, args.format, args.output, args.changed_only)
    if len(args.paths) != 1:
        args.usage_error("import needs one file: parkpress i18n import de.xlf")
    return import_(config, args.paths[0])


def _status(config, output: str, strict: bool) -> int:
    import json

    from parkpress.build.pipeline import make_plan
    from parkpress.build.translation_status import CHANGED, STATUSES, not_current, translation_status
    from parkpress.theme.loader import load_themes

    report = translation_status(make_plan(config, load_themes(config)))
    if output == "json":
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        for lang, statuses in report.items():
            print(f"{lang}: " + ", ".join(f"{len(statuses[status])} {status}" for status in STATUSES))
            for status in STATUSES[1:]:
                for path in statuses[status]:
                    changes = statuses[CHANGED].get(path)
                    print(f"  {status}: {path}" + (f" ({', '.join(changes)})" if changes else ""))
    return 1 if strict and not_current(report) else 0
