"""``serve``: build, serve the site on this computer, rebuild and reload the browser on every edit."""

from __future__ import annotations

import ipaddress
import sys
from typing import TYPE_CHECKING

from parkpress.commands.build_cmd import summary
from parkpress.core.config import load_config
from parkpress.core.problems import ERROR

if TYPE_CHECKING:
    from parkpress.serve.server import Outcome

LOCAL_NAMES = ("localhost",)


def register(subparsers) -> None:
    command = subparsers.add_parser("serve", help="serve the site with live reload while you edit")
    command.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this computer only)")
    command.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    command.set_defaults(run=run, usage_error=command.error)


def run(args) -> int:
    if not 1 <= args.port <= 65535:
        args.usage_error("--port must be between 1 and 65535")
    config = load_config(args.project)
    if not is_loopback(args.host):
        print(
            f"warning: serving on {args.host}: other computers can read the site and its build errors; "
            "use the default 127.0.0.1 unless you mean to share it",
            file=sys.stderr,
        )
    url = f"http://{args.host if ':' not in args.host else f'[{args.host}]'}:{args.port}/"

    def ready() -> None:
        print(
            f"serving {url} (Ctrl-C stops); watching content/, templates/, locales/, static/, root/, the theme and parkpress.toml",
            flush=True,
        )

    from parkpress.serve.server import serve  # here, not above: other commands need not load tornado and livereload

    try:
        serve(config, args.host, args.port, announce, ready)
    except OSError as exc:
        print(f"serve: error: cannot listen on {args.host}:{args.port} ({exc.strerror}); pick another port with --port", file=sys.stderr)
        return 1
    print("stopped", flush=True)
    return 0


def announce(outcome: Outcome) -> None:
    """One summary line per good build; each problem once per failed build; never a traceback for the site's errors."""
    if outcome.report is not None:
        if outcome.report.cache_warning is not None:
            print(outcome.report.cache_warning, file=sys.stderr)
        print(summary(outcome.report), flush=True)
        return
    if outcome.crashed:
        print(outcome.crashed, file=sys.stderr)
    for problem in outcome.problems:
        print(problem, file=sys.stderr)
    errors = sum(1 for p in outcome.problems if p.level == ERROR)
    print(f"build failed: {errors} error{'s' if errors != 1 else ''}; still serving the last good site", file=sys.stderr, flush=True)


def is_loopback(host: str) -> bool:
    if host in LOCAL_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
