"""``check``: list every problem before publishing; site/ is not touched."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from parkpress.commands.build_cmd import add_base_url
from parkpress.core.config import Overrides

if TYPE_CHECKING:
    from parkpress.build.checks import CheckReport


def register(subparsers) -> None:
    command = subparsers.add_parser("check", help="find every problem before publishing, without writing site/")
    command.add_argument("--strict", action="store_true", help="treat warnings as errors")
    command.add_argument("--format", choices=["text", "json"], default="text", help="json: one object for tools")
    add_base_url(command)
    command.set_defaults(run=run)


def run(args) -> int:
    from parkpress.build.checks import check_site  # here, not above: `parkpress build` need not load the whole pipeline

    report = check_site(args.project, strict=args.strict, overrides=Overrides.from_environment(base_url=args.base_url))
    if args.format == "json":
        print(
            json.dumps(
                {
                    "findings": [p.as_dict() for p in report.findings],
                    "errors": report.errors,
                    "warnings": report.warnings,
                    "pages": report.pages,
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        for finding in report.findings:
            print(finding)
        print(summary(report))
    return 1 if report.errors else 0


def summary(report: CheckReport) -> str:
    counts = f"{report.errors} error{'s' if report.errors != 1 else ''}, {report.warnings} warning{'s' if report.warnings != 1 else ''}"
    if report.pages:
        return f"check: {counts}; {report.pages} pages checked"
    return f"check: {counts}; pages not checked until the errors above are fixed"
