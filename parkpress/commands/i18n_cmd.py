"""``i18n extract | update | compile | stats``: the site's catalogs, over its theme's
(what each does: commands/i18n_actions.py)."""

from __future__ import annotations

ACTIONS = ("extract", "update", "compile", "stats", "done", "status")


def register(subparsers) -> None:
    command = subparsers.add_parser("i18n", help="extract, update, compile and count interface translations")
    command.add_argument("action", choices=ACTIONS)
    command.add_argument("paths", nargs="*", metavar="PATH", help="done: the translations brought up to date")
    command.add_argument("--format", choices=("text", "json"), default="text", help="status: as text or JSON")
    command.add_argument("--strict", action="store_true", help="status: exit 1 unless every translation is current")
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
    if args.action == "status":
        return _status(config, args.format, args.strict)
    return run_action(args.action, config, load_themes(config))


def _status(config, output: str, strict: bool) -> int:
    import json

    from parkpress.build.pipeline import make_plan
    from parkpress.build.translation_status import not_current, translation_status
    from parkpress.theme.loader import load_themes

    report = translation_status(make_plan(config, load_themes(config)))
    if output == "json":
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        for lang, statuses in report.items():
            print(f"{lang}: " + ", ".join(f"{len(paths)} {status}" for status, paths in statuses.items()))
            for status, paths in statuses.items():
                if status != "current":
                    print("".join(f"  {status}: {path}\n" for path in paths), end="")
    return 1 if strict and not_current(report) else 0
