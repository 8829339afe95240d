"""``build``: read, check, render and publish the site."""

from __future__ import annotations

import sys

from parkpress.build.builder import BuildReport, build
from parkpress.commands.progress import ProgressBar
from parkpress.core.config import BASE_URL_VARIABLE, Overrides


def register(subparsers) -> None:
    command = subparsers.add_parser("build", help="build the site into site/")
    command.add_argument("-v", "--verbose", action="store_true", help="list warnings and missing translations")
    command.add_argument(
        "--zip",
        action="store_true",
        help="also write site/<host>-offline.zip, a copy of the whole site to read offline, linked from every page",
    )
    command.add_argument(
        "--output", metavar="DIR", help="write the site here instead of output_dir (a preview deploy), relative to the project"
    )
    add_base_url(command)
    command.set_defaults(run=run)


def add_base_url(command) -> None:
    command.add_argument(
        "--base-url",
        metavar="URL",
        help=f"the address the site is published at, instead of base_url (default: ${BASE_URL_VARIABLE} if set)",
    )


def run(args) -> int:
    bar = ProgressBar.for_terminal(sys.stderr)
    try:
        overrides = Overrides.from_environment(output_dir=args.output, base_url=args.base_url)
        report = build(args.project, progress=bar, archive=args.zip, overrides=overrides)
    finally:
        if bar is not None:
            bar.close()
    if report.cache_warning is not None:  # not the site's to fix, so not behind -v: said once, as it happened
        print(report.cache_warning, file=sys.stderr)
    print(summary(report))
    if args.verbose:
        for warning in report.warnings:
            print(warning)
        for lang, files in report.missing.items():
            for path in files:
                print(f"{path}: missing translation ({lang})")
    elif report.warnings:
        print(f"{counted(len(report.warnings), 'warning')}; run with -v to list them", file=sys.stderr)
    return 0


def counted(number: int, noun: str) -> str:
    """'1 warning', '2 warnings': the summary is read by people first."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def summary(report: BuildReport) -> str:
    pages = sum(report.pages.values())
    per_lang = [f"{lang} {count}" for lang, count in report.pages.items() if lang]
    if report.pages.get(""):
        per_lang.append(f"{report.pages['']} at the root")
    missing = ", ".join(f"{lang} {len(files)}" for lang, files in report.missing.items() if files)
    others = report.files - pages  # static files, media, the service worker
    parts = [
        f"built {pages} pages ({', '.join(per_lang)}) and {others} other files in {report.seconds:.2f} s",
        f"{report.written} written, {report.unchanged} unchanged",
        counted(len(report.warnings), "warning"),
    ]
    if missing:
        parts.append(f"missing translations: {missing}")
    if report.archive and report.output:
        size = (report.output / report.archive).stat().st_size
        parts.append(
            f"archive: {report.output.name}/{report.archive} ({f'{size / 1e6:.1f} MB' if size >= 1e6 else f'{round(size / 1e3)} kB'})"
        )
    return "; ".join(parts)
