"""Plain helper functions for the tests (no pytest fixtures here).

The external tools are installed by ``scripts/setup-test-tools.sh``:
Debian's Chromium at /usr/bin/chromium, a Java runtime, and the npm packages
vnu-jar and axe-core under ``.tools/node``.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import os
import shutil
import subprocess
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parents[2]
NODE_MODULES = ROOT / ".tools" / "node" / "node_modules"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
SETUP_HINT = "run scripts/setup-test-tools.sh"

CHROMIUM = "/usr/bin/chromium"
# Without the networking flags Chromium keeps trying to reach Google's hosts,
# which this machine's closed network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Keep the total command line well below the kernel's ARG_MAX (usually 2 MiB).
_MAX_ARGV_BYTES = 1_000_000


def launch_chromium(playwright, **kwargs):
    """Launch Debian's Chromium through Playwright (never a downloaded browser)."""
    if not os.access(CHROMIUM, os.X_OK):
        raise RuntimeError(f"{CHROMIUM} not found: {SETUP_HINT}")
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, **kwargs)


def vnu_jar() -> Path:
    """Path of the Nu Html Checker jar installed from npm."""
    if not VNU_JAR.is_file():
        raise RuntimeError(f"{VNU_JAR} is missing: {SETUP_HINT}")
    return VNU_JAR


def _java() -> str:
    java = shutil.which("java")
    if java is None:
        raise RuntimeError(f"java not found: {SETUP_HINT}")
    return java


def _chunks(files: list[str]) -> Iterator[list[str]]:
    """Split only when one command line would get too long for the kernel."""
    chunk: list[str] = []
    size = 0
    for f in files:
        n = len(os.fsencode(f)) + 1
        if chunk and size + n > _MAX_ARGV_BYTES:
            yield chunk
            chunk, size = [], 0
        chunk.append(f)
        size += n
    if chunk:
        yield chunk


def _url_to_path(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme == "file":
        return unquote(parts.path)
    return url


def validate_html(paths: Iterable[str | os.PathLike[str]]) -> list[str]:
    """Validate explicit HTML files with vnu.jar; return "path:line:col: message".

    All files go to one java process (vnu takes many file arguments); only a
    list too long for one command line is split. An empty result means valid.
    Paths in the messages are spelled as they were passed in.
    """
    given = [os.fspath(p) for p in paths]
    if not given:
        return []
    for p in given:
        if not os.path.isfile(p):
            raise ValueError(f"not a file (pass .html files, not directories): {p}")
    by_abs = {os.path.realpath(p): p for p in given}
    cmd = [_java(), "-jar", str(vnu_jar()), "--format", "json", "--errors-only"]
    cmd.append("--stdout")
    messages: list[str] = []
    for chunk in _chunks([os.path.realpath(p) for p in given]):
        proc = subprocess.run(
            [*cmd, *chunk],
            check=False,
            capture_output=True,
            text=True,
            encoding="utf-8",
        )
        # vnu exits 1 when it found errors; anything else is a failure to run.
        try:
            report = json.loads(proc.stdout)
        except json.JSONDecodeError:
            raise RuntimeError(f"vnu.jar failed (exit {proc.returncode}): {proc.stderr.strip()} {proc.stdout[:500].strip()}") from None
        for m in report.get("messages", []):
            if m.get("type") not in ("error", "non-document-error"):
                continue
            path = _url_to_path(m.get("url", "?"))
            path = by_abs.get(os.path.realpath(path), path) if path != "?" else path
            line = m.get("firstLine", m.get("lastLine", 0))
            col = m.get("firstColumn", m.get("lastColumn", 0))
            messages.append(f"{path}:{line}:{col}: {m.get('message', '').strip()}")
    return messages


@functools.cache
def axe_source() -> str:
    """The text of axe-core's axe.min.js."""
    if not AXE_JS.is_file():
        raise RuntimeError(f"{AXE_JS} is missing: {SETUP_HINT}")
    return AXE_JS.read_text(encoding="utf-8")


def run_axe(page) -> list[dict]:
    """Inject axe-core into a Playwright page and return axe.run's violations."""
    page.add_script_tag(content=axe_source())
    return page.evaluate("async () => (await axe.run(document)).violations")


NotFoundPage = Callable[[Path, str], Path]  # (served folder, request path) -> the page a host answers with


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def __init__(self, *args, not_found: NotFoundPage | None = None, **kwargs):
        self.not_found = not_found  # set before the base class handles the request in __init__
        super().__init__(*args, **kwargs)

    def send_error(self, code, message=None, explain=None):
        if code != 404 or self.not_found is None:
            return super().send_error(code, message, explain)
        body = self.not_found(Path(self.directory), self.path).read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        pass


@contextlib.contextmanager
def serve_directory(path: str | os.PathLike[str], not_found: NotFoundPage | None = None) -> Iterator[str]:
    """Serve a directory on 127.0.0.1 and a free port; yield the base URL.

    The URL has no trailing slash: ``f"{base}/en/"``. ``not_found`` picks the page a missing
    address is answered with (status 404), as a static host's error page does.
    """
    directory = os.fspath(path)
    if not os.path.isdir(directory):
        raise ValueError(f"not a directory: {directory}")
    handler = functools.partial(_QuietHandler, directory=directory, not_found=not_found)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        host, port = server.server_address[:2]
        yield f"http://{host}:{port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
