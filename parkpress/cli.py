"""Command line: ``python build.py <command>`` or ``parkpress <command>``.

Each command lives in its own module with ``register(subparsers)`` and a
``run(args) -> int``; this module only wires them up and turns input errors
into ``path:line: message`` lines and exit status 1, never a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from parkpress import __version__
from parkpress.commands import build_cmd, check_cmd, i18n_cmd, init_cmd, new_cmd, schemas_cmd, serve_cmd
from parkpress.core.problems import BuildFailed, Problems

COMMANDS = [build_cmd, check_cmd, i18n_cmd, init_cmd, new_cmd, schemas_cmd, serve_cmd]
PROJECT_HELP = "the site folder (default: the current folder)"


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="parkpress", description="Build a multilingual investor-information site from Markdown.")
    top.add_argument("--project", type=Path, default=Path("."), metavar="DIR", help=PROJECT_HELP)
    top.add_argument("--version", action="version", version=f"parkpress {__version__}")
    subparsers = top.add_subparsers(dest="command", metavar="COMMAND", required=True, parser_class=CommandParser)
    for command in COMMANDS:
        command.register(subparsers)
    return top


class CommandParser(argparse.ArgumentParser):
    """A command's parser: it takes ``--project`` too, so ``parkpress build --project DIR``
    works as well as ``parkpress --project DIR build``.

    The default is suppressed so that a ``--project`` given before the command is not
    overwritten by the command's own default; nested commands (``new news``) inherit it
    (``add_subparsers`` makes parsers of the class of the parser it is called on).
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.add_argument("--project", type=Path, default=argparse.SUPPRESS, metavar="DIR", help=PROJECT_HELP)


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except BuildFailed as exc:
        return failed(args, exc)
    except OSError as exc:  # the last resort: a build names its own (builder.py), a command may not
        return failed(args, BuildFailed([Problems(args.project.resolve()).os_error(exc)]))
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def failed(args, exc: BuildFailed) -> int:
    for problem in exc.problems:
        print(problem, file=sys.stderr)
    errors = sum(1 for p in exc.problems if p.level == "error")
    untouched = "nothing was published" if args.command in ("build", "serve") else "nothing was changed"
    print(f"failed: {errors} error{'s' if errors != 1 else ''}; {untouched}", file=sys.stderr)
    return 1


def entry() -> None:
    """The process's entry point (build.py, ``python -m parkpress``, the ``parkpress`` script).

    Exits without Python's teardown: freeing every object of a large site one by one took
    0.3 s after the build was done.  Nothing is left to clean up by then: files and the
    cache database are closed, worker processes joined; only the standard streams are
    flushed here.
    """
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
