"""The editors' development server: build, serve with livereload, rebuild on every edit.

livereload provides the websocket endpoint, livereload.js and the script it
injects into every HTML response, so nothing of it reaches site/.  Two of its
parts are replaced, for these reasons:

* Files: livereload serves with tornado's StaticFileHandler, which checks that
  a path stays in the folder with ``os.path.abspath``: a symbolic link inside
  the folder leads anywhere on disk, and ``..`` is answered with 403.
  :class:`SiteFileHandler` resolves real paths, answers everything outside the
  output folder with 404, and looks the folder up by name for every request,
  because each build swaps in a new one (publish/publisher.py).
* Watching: see parkpress.watch.

Builds run one at a time in a thread of their own, through a session (session.py)
that builds an edit of texts from the changed files alone; the browser is told to
reload as soon as the new site is in place, before the build's bookkeeping.  Edits
made while a build runs are built right after it.  A build that fails leaves the
last good site in place; every HTML response then carries an overlay with the
errors until a build succeeds.
"""

from __future__ import annotations

import contextlib
import logging
import mimetypes
import signal
import traceback
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import livereload
from livereload.handlers import LiveReloadHandler
from tornado import web
from tornado.ioloop import IOLoop

from parkpress.build.builder import BuildReport
from parkpress.core.config import CONFIG_FILE, Config
from parkpress.core.problems import BuildFailed, Problem
from parkpress.serve.errorpage import error_page, inject
from parkpress.serve.session import Session
from parkpress.serve.watch import ChangeWatcher
from parkpress.theme.loader import Themes, load_themes

# A service worker answers from its cache and would hide every rebuild (and keep the error
# overlay): under serve, whatever worker a page registers gets this one, which removes itself.
SELF_REMOVING_WORKER = b"""self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys()
    .then(function (names) { return Promise.all(names.map(function (name) { return caches.delete(name); })); })
    .then(function () { return self.registration.unregister(); }));
});
"""


def _identity(folder: Path) -> tuple[int, int] | None:
    try:
        stat = folder.stat()
    except OSError:
        return None
    return stat.st_dev, stat.st_ino


@dataclass
class BuildState:
    """The outcome of the last build; written by the build thread, read by request handlers."""

    output: Path
    problems: tuple[Problem, ...] = ()
    failed_over: tuple[int, int] | None = None  # the identity of the site that was live when the build failed

    def fail(self, problems: tuple[Problem, ...]) -> None:
        self.failed_over = _identity(self.output)
        self.problems = problems

    def current_problems(self) -> tuple[Problem, ...]:
        """The errors to show over the site being served: none once a good build has swapped in a new folder,
        even before the build thread has recorded its success."""
        return self.problems if self.problems and _identity(self.output) == self.failed_over else ()


@dataclass
class Outcome:
    report: BuildReport | None
    problems: tuple[Problem, ...]
    crashed: str = ""  # a traceback: a bug in parkpress, not in the site


class Rebuilder:
    """Runs one build and records its outcome; ``announce`` tells the editor, ``reload(changed, outcome)`` the browser."""

    def __init__(
        self, session: Session, state: BuildState, announce: Callable[[Outcome], None], reload: Callable[[set[str], Outcome], None]
    ):
        self.session, self.state, self.announce, self.reload = session, state, announce, reload

    def run(self, changed: set[str]) -> Outcome:
        """Build after edits of ``changed`` (absolute paths)."""

        def published(report: BuildReport) -> None:  # the new site is in place: tell the browser now
            self._done(changed, Outcome(report, ()))

        try:
            report = self.session.build(changed, published)
        except BuildFailed as exc:
            outcome = Outcome(None, tuple(exc.problems))
        except Exception as exc:  # a bug must not stop the server the editor is looking at
            problem = Problem("parkpress", 0, f"crashed while building ({type(exc).__name__}: {exc}); the terminal shows where")
            outcome = Outcome(None, (problem,), traceback.format_exc())
        else:
            return Outcome(report, ())
        self._done(changed, outcome)
        return outcome

    def _done(self, changed: set[str], outcome: Outcome) -> None:
        if outcome.report is not None:
            self.state.output = outcome.report.output or self.state.output
        self.state.fail(outcome.problems)
        self.announce(outcome)
        self.reload(changed, outcome)


def locate(root: Path, url_path: str) -> Path | None:
    """The file or folder inside ``root`` that a (decoded) URL path names, else None.

    Symbolic links are resolved before the check, so none leads out of ``root``.
    """
    parts = url_path.split("/")
    if "\0" in url_path or "\\" in url_path or any(part in (".", "..") for part in parts):
        return None
    real_root = root.resolve()
    target = real_root.joinpath(*(part for part in parts if part)).resolve()
    return target if target.is_relative_to(real_root) and target.exists() else None


class SiteFileHandler(web.RequestHandler):
    def initialize(self, state: BuildState) -> None:
        self.state = state

    def get(self, path: str) -> None:
        if self.request.headers.get("Service-Worker") == "script":  # sent by browsers when they fetch a worker
            self.send(SELF_REMOVING_WORKER, "worker.js")
            return
        root = self.state.output
        target = locate(root, path)
        if target is not None and target.is_dir():
            if path and not path.endswith("/"):
                # Built from the parts, not the raw path: "//host" must not become an off-site redirect.
                self.redirect("/" + "/".join(part for part in path.split("/") if part) + "/", permanent=False)
                return
            target = locate(root, path + "/index.html")
        if target is None or not target.is_file():
            self.not_found(root)
            return
        self.send(target.read_bytes(), target.name)

    head = get

    def not_found(self, root: Path) -> None:
        self.set_status(404)
        page = locate(root, "404.html")
        problems = self.state.current_problems()
        if page is not None and page.is_file():
            self.send(page.read_bytes(), page.name)
        elif problems:
            self.send(error_page(problems), "error.html", overlay=False)
        else:
            self.send(b"Not found\n", "404.txt")

    def send(self, data: bytes, name: str, overlay: bool = True) -> None:
        kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
        if kind.startswith("text/") or kind in ("application/xml", "application/atom+xml", "application/javascript"):
            kind += "; charset=utf-8"
        problems = self.state.current_problems() if overlay and kind.startswith("text/html") else ()
        if problems:
            data = inject(data, problems)
        self.set_header("Content-Type", kind)
        self.set_header("Cache-Control", "no-store")  # after a rebuild the browser must ask again
        self.finish(data)


class DevServer(livereload.Server):
    """livereload's server with parkpress's file handler."""

    def __init__(self, state: BuildState):
        super().__init__()
        self.state = state

    def get_web_handlers(self, script):
        return [(r"/(.*)", SiteFileHandler, {"state": self.state})]


def watched(config: Config, themes: Themes) -> tuple[list[Path], list[Path]]:
    """(folders, files) whose edits are built: the site's sources and its theme's."""
    site = themes.site
    folders = [config.content_dir, site.templates, site.locales, site.static, config.root_files_dir, *themes.folders]
    return folders, [config.root / CONFIG_FILE]


def reload_path(changed: set[str], outcome: Outcome) -> str:
    """What livereload.js should reload: only the stylesheet after a CSS edit, else the page."""
    if outcome.report is not None and len(changed) == 1 and next(iter(changed)).endswith(".css"):
        return next(iter(changed))
    return "*"


def serve(config: Config, host: str, port: int, announce: Callable[[Outcome], None], ready: Callable[[], None]) -> None:
    """Build, then serve and rebuild until Ctrl-C; raises OSError when the port is taken."""
    state = BuildState(config.output_dir)
    logging.getLogger("tornado.access").setLevel(logging.ERROR)  # a 404 is an answer, not news for the terminal
    DevServer(state).application(port, host, live_css=True)  # first, so a taken port fails before a build
    loop = IOLoop.current()
    builds = ThreadPoolExecutor(max_workers=1, thread_name_prefix="parkpress-build")

    def reload(changed: set[str], outcome: Outcome) -> None:  # from the build thread
        loop.add_callback(LiveReloadHandler.reload_waiters, reload_path(changed, outcome))

    rebuilder = Rebuilder(Session(config.root), state, announce, reload)
    pending: set[str] = set()
    running = False

    def edited(paths: set[str]) -> None:  # on the loop
        pending.update(paths)
        if not running:
            start()

    def start() -> None:
        nonlocal running
        changed = set(pending)
        pending.clear()
        running = True
        loop.add_future(loop.run_in_executor(builds, rebuilder.run, changed), finished)

    def finished(future) -> None:
        nonlocal running
        running = False
        future.result()  # Rebuilder.run reports every failure itself; anything else is a bug to show
        if pending:  # edited while that build ran
            start()

    folders, files = watched(config, load_themes(config))
    watcher = ChangeWatcher(folders, files, lambda paths: loop.add_callback(edited, paths))
    watcher.start()  # before the first build: edits made during it are not lost
    try:
        rebuilder.run(set())
        _stop_on_ctrl_c(loop)
        ready()
        loop.start()
    except KeyboardInterrupt:  # during the first build
        pass
    finally:
        watcher.stop()
        builds.shutdown(wait=True, cancel_futures=True)  # a build under way finishes: its swap is atomic either way
        loop.close(all_fds=True)


def _stop_on_ctrl_c(loop: IOLoop) -> None:
    """Ctrl-C stops the loop between two of its callbacks.  Raised as KeyboardInterrupt inside one,
    it could be swallowed: livereload's code that sends the reload catches every exception."""
    with contextlib.suppress(NotImplementedError):  # no signal handlers in this loop (Windows): KeyboardInterrupt it is
        loop.asyncio_loop.add_signal_handler(signal.SIGINT, loop.stop)
