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
* The application: livereload's accepts a websocket from any page on the web and
  answers any Host, so a page elsewhere could follow the editor's work, and by DNS
  rebinding read the site being written.  :meth:`DevServer.application` serves
  the same handlers behind a :class:`HostGuard`: a request must name this computer
  (unless ``--host`` shares the server), a websocket must come from a page of it.

Builds run one at a time in a thread of their own, through a session (session.py)
that builds an edit of texts from the changed files alone; the browser is told to
reload as soon as the new site is in place, before the build's bookkeeping.  Edits
made while a build runs are built right after it.  A build that fails leaves the
last good site in place; every HTML response then carries an overlay with the
errors until a build succeeds.
"""

from __future__ import annotations

import contextlib
import ipaddress
import logging
import mimetypes
import signal
import threading
import time
import traceback
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import livereload
from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler
from livereload.server import LiveScriptInjector
from tornado import web
from tornado.ioloop import IOLoop

from parkpress.build.builder import BuildReport
from parkpress.core.config import CONFIG_FILE, Config
from parkpress.core.problems import BuildFailed, Problem
from parkpress.serve import translations
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
    try:
        real_root = root.resolve()
        target = real_root.joinpath(*(part for part in parts if part)).resolve()
        return target if target.is_relative_to(real_root) and target.exists() else None
    except (OSError, ValueError):  # a name too long for the file system, a loop of links: no such file
        return None


@dataclass(frozen=True)
class HostGuard:
    """Which requests serve answers: those naming this computer, unless it listens for others."""

    shared: bool  # --host is not a loopback address: the editor chose to serve other computers

    def allows_host(self, host: str) -> bool:
        return self.shared or _is_local(_hostname(host))

    def allows_origin(self, origin: str, host: str) -> bool:
        """A websocket is opened by a page this server served (same host and port), nothing else."""
        try:
            parts = urlsplit(origin)
            return parts.scheme in ("http", "https") and parts.netloc.lower() == host.lower() and self.allows_host(host)
        except ValueError:
            return False


def _hostname(host: str) -> str:
    """'127.0.0.1:8000' -> '127.0.0.1', '[::1]:8000' -> '::1'."""
    if host.startswith("["):
        return host[1:].partition("]")[0]
    return host.rpartition(":")[0] if host.count(":") == 1 else host


def _is_local(name: str) -> bool:
    if name.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


class GuardedHandler(web.RequestHandler):
    """Answers 403 to a request whose Host does not name this computer (DNS rebinding)."""

    def initialize(self, guard: HostGuard) -> None:
        self.guard = guard

    def prepare(self) -> None:
        if not self.guard.allows_host(self.request.host):
            self.set_status(403)
            self.set_header("Content-Type", "text/plain; charset=utf-8")
            self.finish(b"parkpress serve answers requests for this computer only (http://127.0.0.1 or http://localhost)\n")


class GuardedLiveReloadHandler(LiveReloadHandler):
    """livereload's websocket, for pages of this server only."""

    def initialize(self, guard: HostGuard) -> None:
        self.guard = guard

    def check_origin(self, origin: str) -> bool:
        return self.guard.allows_origin(origin, self.request.host)

    def prepare(self):
        if not self.guard.allows_host(self.request.host):
            raise web.HTTPError(403)
        return super().prepare()


class GuardedScriptHandler(GuardedHandler, LiveReloadJSHandler):
    pass


class SiteFileHandler(GuardedHandler):
    def initialize(self, guard: HostGuard, state: BuildState) -> None:
        super().initialize(guard)
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


class TranslationsHandler(GuardedHandler):
    """The translation status page (serve/translations.py), from the session's last good build."""

    def initialize(self, guard: HostGuard, session: Session) -> None:
        super().initialize(guard)
        self.session = session

    def get(self) -> None:
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(translations.page(self.session.plan()))


class SourceFileHandler(GuardedHandler):
    """A content file as text, for the status page's links: the site's Markdown documents only."""

    def initialize(self, guard: HostGuard, session: Session) -> None:
        super().initialize(guard)
        self.session = session

    def get(self, path: str) -> None:
        plan = self.session.plan()
        target = locate(plan.config.root, path) if plan is not None and path in translations.source_files(plan) else None
        if target is None or not target.is_file():
            self.set_status(404)
            self.set_header("Content-Type", "text/plain; charset=utf-8")
            self.finish(b"Not a content file of this site\n")
            return
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.set_header("X-Content-Type-Options", "nosniff")  # text, whatever it holds
        self.set_header("Cache-Control", "no-store")
        self.finish(target.read_bytes())


class DevServer(livereload.Server):
    """livereload's server with parkpress's file handler and its own pages, behind a HostGuard."""

    def __init__(self, state: BuildState, session: Session):
        super().__init__()
        self.state, self.session = state, session

    def application(self, port: int, host: str, liveport=None, debug=None, live_css: bool = True) -> web.Application:
        """livereload's application (its websocket, its script and the script's injection into every
        HTML response), without /forcereload (any page could make the browser reload)."""
        LiveReloadHandler.watcher = self.watcher
        LiveReloadHandler.live_css = live_css
        guard = HostGuard(shared=not _is_local(host))

        class Injector(LiveScriptInjector):
            script = LIVE_SCRIPT

        handlers = [
            (r"/livereload", GuardedLiveReloadHandler, {"guard": guard}),
            (r"/livereload.js", GuardedScriptHandler, {"guard": guard}),
            (translations.STATUS_PATH, TranslationsHandler, {"guard": guard, "session": self.session}),
            (translations.SOURCE_PATH + "(.*)", SourceFileHandler, {"guard": guard, "session": self.session}),
            (r"/(.*)", SiteFileHandler, {"guard": guard, "state": self.state}),
        ]
        app = web.Application(handlers=handlers, transforms=[Injector])
        app.listen(port, address=host)
        return app


# livereload's snippet: the page loads livereload.js from the server that served it.
LIVE_SCRIPT = (
    b'<script>(function(){var s=document.createElement("script");'
    b'var port=window.location.port||(window.location.protocol=="https:"?443:80);'
    b's.src="//"+window.location.hostname+":"+port+"/livereload.js?port="+port;'
    b"document.head.appendChild(s);})();</script>"
)


def watched(config: Config, themes: Themes) -> tuple[list[Path], list[Path]]:
    """(folders, files) whose edits are built: the site's sources and its theme's."""
    site = themes.site
    folders = [config.content_dir, site.templates, site.locales, site.static, config.root_files_dir, *themes.folders]
    return folders, [config.root / CONFIG_FILE]


def reload_path(changed: set[str], outcome: Outcome) -> str:
    """What livereload.js should reload: only the stylesheet after a CSS edit, else the page.

    The stylesheet by its name alone (livereload.js matches it against the links' ends): the
    websocket has no business learning where the project lies on disk."""
    if outcome.report is not None and len(changed) == 1 and next(iter(changed)).endswith(".css"):
        return Path(next(iter(changed))).name
    return "*"


BUILD_THREAD = "parkpress-build"


def serve(config: Config, host: str, port: int, announce: Callable[[Outcome], None], ready: Callable[[], None]) -> None:
    """Build, then serve and rebuild until Ctrl-C; raises OSError when the port is taken."""
    state, session = BuildState(config.output_dir), Session(config.root)
    logging.getLogger("tornado.access").setLevel(logging.ERROR)  # a 404 is an answer, not news for the terminal
    DevServer(state, session).application(port, host, live_css=True)  # first, so a taken port fails before a build
    loop = IOLoop.current()
    builds = ThreadPoolExecutor(max_workers=1, thread_name_prefix=BUILD_THREAD)

    def reload(changed: set[str], outcome: Outcome) -> None:  # from the build thread
        loop.add_callback(LiveReloadHandler.reload_waiters, reload_path(changed, outcome))

    rebuilder = Rebuilder(session, state, announce, reload)
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
        _let_the_build_finish(builds)
        loop.close(all_fds=True)


STOP_SECONDS = 0.8  # how long Ctrl-C waits for a build under way


def _let_the_build_finish(builds: ThreadPoolExecutor) -> None:
    """Give a build under way a moment to finish, and no more: Ctrl-C must stop serve at once.

    A build stopped halfway leaves nothing broken: the site is swapped in atomically and the
    cache is written in one transaction, so the next build starts from the last whole one
    (the process then exits without waiting for the thread: cli.entry).
    """
    builds.shutdown(wait=False, cancel_futures=True)
    running = [thread for thread in threading.enumerate() if thread.name.startswith(BUILD_THREAD)]
    deadline = time.monotonic() + STOP_SECONDS
    for thread in running:
        thread.join(timeout=max(0.0, deadline - time.monotonic()))


def _stop_on_ctrl_c(loop: IOLoop) -> None:
    """Ctrl-C stops the loop between two of its callbacks.  Raised as KeyboardInterrupt inside one,
    it could be swallowed: livereload's code that sends the reload catches every exception."""
    with contextlib.suppress(NotImplementedError):  # no signal handlers in this loop (Windows): KeyboardInterrupt it is
        loop.asyncio_loop.add_signal_handler(signal.SIGINT, loop.stop)
