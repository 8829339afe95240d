"""``serve``: a real server process that rebuilds on edits, shows build errors in the browser and never leaves site/."""

from __future__ import annotations

import asyncio
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import copy_catalogs, default_files, news, run, write_files
from support.tools import validate_html

import parkpress.serve.server
from parkpress.commands import serve_cmd
from parkpress.theme.loader import BUILTIN_FOLDER

pytestmark = pytest.mark.floors  # also run on the declared dependency floors (make test-floors)

NEWS_EN = "content/news/2021-alpha-grows.en.md"
ARTICLE_EN = "/en/news/2021-alpha-grows/index.html"
BROKEN = news("Alpha grows", parks="alpha: x")  # line 4: "parks: alpha: x" is not valid YAML
TIMEOUT = 30  # seconds; generous so a busy machine never fails a test, polling returns as soon as it can


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", "replace")


def raw_get(port: int, path: str) -> int:
    """The status of a request for ``path`` exactly as written (no client-side normalisation)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.putrequest("GET", path, skip_host=True, skip_accept_encoding=True)
        connection.putheader("Host", f"127.0.0.1:{port}")
        connection.endheaders()
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def wait_for(condition, what: str, timeout: float = TIMEOUT):
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


@dataclass
class Server:
    root: Path
    port: int
    process: subprocess.Popen
    log: Path

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def get(self, path: str) -> tuple[int, str]:
        return fetch(self.base + path)

    def output(self) -> tuple[str, str]:
        return (self.log / "out.txt").read_text(encoding="utf-8"), (self.log / "err.txt").read_text(encoding="utf-8")

    def page_shows(self, path: str, text: str):
        def check():
            _, body = self.get(path)
            return body if text in body else None

        return wait_for(check, f"{text!r} on {path}")


def start_server(root: Path, log: Path, *extra: str) -> Server:
    port = free_port()
    log.mkdir(exist_ok=True)
    process = subprocess.Popen(
        [sys.executable, "-m", "parkpress", "--project", str(root), "serve", "--port", str(port), *extra],
        stdout=(log / "out.txt").open("w"),
        stderr=(log / "err.txt").open("w"),
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        start_new_session=True,  # its own process group, as in a terminal: Ctrl-C reaches every process of it
    )
    server = Server(root, port, process, log)

    def up():
        if process.poll() is not None:
            raise AssertionError(f"serve exited with {process.returncode}: {server.output()}")
        try:
            return server.get("/")[0] in (200, 404)
        except OSError:
            return False

    wait_for(up, "the server to answer")
    return server


def ctrl_c(server: Server) -> None:
    os.killpg(server.process.pid, signal.SIGINT)


def stop(server: Server) -> None:
    if server.process.poll() is None:
        ctrl_c(server)
        try:
            server.process.wait(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            os.killpg(server.process.pid, signal.SIGKILL)
            server.process.wait()


@pytest.fixture(scope="module")
def still_server(tmp_path_factory):
    """One server for the tests that only read, with symbolic links in its site that lead out of it."""
    root = tmp_path_factory.mktemp("still") / "project"
    root.mkdir()
    copy_catalogs(root)
    write_files(root, default_files())
    server = start_server(root, root.parent / "log")
    try:
        site = root / "site"
        (site / "leak").symlink_to(root)
        (site / "leak.toml").symlink_to(root / "parkpress.toml")
        yield server
    finally:
        stop(server)


@pytest.fixture
def serve(make_site, tmp_path):
    started = []

    def factory(overrides=None) -> Server:
        server = start_server(make_site(overrides), tmp_path / f"log{len(started)}")
        started.append(server)
        return server

    try:
        yield factory
    finally:
        for server in started:
            stop(server)


def test_serves_the_built_site_and_follows_an_edit(serve):
    server = serve()
    status, body = server.get(ARTICLE_EN)
    assert status == 200 and "Alpha grows" in body
    (server.root / NEWS_EN).write_text(news("Alpha grows faster than ever"), encoding="utf-8")
    server.page_shows(ARTICLE_EN, "Alpha grows faster than ever")
    assert "Alpha grows faster than ever" in (server.root / "site" / ARTICLE_EN.lstrip("/")).read_text(encoding="utf-8")


def test_a_translator_edit_of_a_catalog_shows_on_the_german_pages(serve):
    server = serve()
    po = server.root / "locales/de/LC_MESSAGES/messages.po"
    text = po.read_text(encoding="utf-8")
    # The site's entry for the section the theme calls "Branchen" in German.
    po.write_text(text + '\nmsgid "Industries"\nmsgstr "Wirtschaftszweige"\n', encoding="utf-8")
    server.page_shows("/de/index.html", "Wirtschaftszweige")


def test_the_livereload_script_is_served_but_never_written_to_site(still_server):
    server = still_server
    status, body = server.get("/en/index.html")
    assert status == 200 and "livereload.js" in body
    status, script = server.get("/livereload.js")
    assert status == 200 and "LiveReload" in script
    written = [p for p in (server.root / "site").rglob("*") if p.is_file() and b"livereload" in p.read_bytes()]
    assert written == []


def test_a_yaml_error_is_shown_in_the_page_and_fixing_it_brings_the_page_back(serve):
    server = serve()
    (server.root / NEWS_EN).write_text(BROKEN, encoding="utf-8")
    body = server.page_shows(ARTICLE_EN, "parkpress-build-errors")
    assert f"{NEWS_EN}:4</code>" in body and "invalid YAML" in body
    assert "Alpha grows" in body, "the last good page stays visible under the errors"
    _, other = server.get("/de/index.html")
    assert "parkpress-build-errors" in other, "every HTML page carries the errors"
    assert "parkpress-build-errors" not in (server.root / "site" / ARTICLE_EN.lstrip("/")).read_text(encoding="utf-8")

    (server.root / NEWS_EN).write_text(news("Alpha grows again"), encoding="utf-8")
    body = server.page_shows(ARTICLE_EN, "Alpha grows again")
    assert "parkpress-build-errors" not in body
    _, err = server.output()
    assert err.count(f"{NEWS_EN}:4: error: invalid YAML") == 1, err
    assert "build failed: 1 error; still serving the last good site" in err
    assert "Traceback" not in err


def test_a_site_that_never_built_shows_its_errors_instead_of_pages(serve):
    server = serve({NEWS_EN: BROKEN})
    status, body = server.get("/en/index.html")
    assert status == 404
    assert f"{NEWS_EN}:4</code>" in body and "livereload.js" in body
    (server.root / NEWS_EN).write_text(news("Alpha grows"), encoding="utf-8")
    server.page_shows("/en/index.html", "Alpha grows")


@pytest.mark.parametrize(
    "path",
    [
        "/../parkpress.toml",
        "/en/../../parkpress.toml",
        "/%2e%2e/parkpress.toml",
        "/%2E%2E%2Fparkpress.toml",
        "/en/%2e%2e/%2e%2e/content/news/2021-alpha-grows.en.md",
        "/..%5cparkpress.toml",
        "//etc/passwd",
        "/%2Fetc%2Fpasswd",
        "/leak/parkpress.toml",
        "/leak.toml",
    ],
)
def test_requests_for_files_outside_the_site_get_404(still_server, path):
    assert (still_server.root / "parkpress.toml").is_file() and (still_server.root / "site/leak.toml").is_symlink()
    assert raw_get(still_server.port, "/en/index.html") == 200
    assert raw_get(still_server.port, path) == 404


def test_a_folder_without_slash_redirects_within_the_site(still_server):
    server = still_server
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    connection.request("GET", "//en")
    response = connection.getresponse()
    assert response.status == 302 and response.getheader("Location") == "/en/"
    connection.close()


def test_ctrl_c_stops_cleanly(serve):
    server = serve()
    ctrl_c(server)
    assert server.process.wait(timeout=TIMEOUT) == 0
    out, err = server.output()
    assert out.rstrip().endswith("stopped")
    assert "Traceback" not in err


def test_a_port_in_use_is_an_error_not_a_traceback(still_server):
    server = still_server
    result = subprocess.run(
        [sys.executable, "-m", "parkpress", "--project", str(server.root), "serve", "--port", str(server.port)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert f"cannot listen on 127.0.0.1:{server.port}" in result.stderr
    assert "Traceback" not in result.stderr


def test_only_loopback_addresses_are_local():
    assert serve_cmd.is_loopback("127.0.0.1") and serve_cmd.is_loopback("::1") and serve_cmd.is_loopback("localhost")
    assert not serve_cmd.is_loopback("0.0.0.0") and not serve_cmd.is_loopback("192.168.1.5")


def test_serving_beyond_this_computer_warns(make_site, monkeypatch, capsys):
    root = make_site()
    calls = []

    def fake(config, host, port, announce, ready):
        calls.append((host, port))

    # Both places: serve_cmd may import serve at the top or only when it runs (to start faster).
    monkeypatch.setattr(parkpress.serve.server, "serve", fake)
    monkeypatch.setattr(serve_cmd, "serve", fake, raising=False)
    args = SimpleNamespace(project=root, host="0.0.0.0", port=8123)
    assert serve_cmd.run(args) == 0
    assert calls == [("0.0.0.0", 8123)]
    assert "warning: serving on 0.0.0.0" in capsys.readouterr().err


def test_an_open_page_follows_edits_by_itself(serve):
    sync_api = pytest.importorskip("playwright.sync_api")
    from support.tools import launch_chromium

    server = serve()
    wait = TIMEOUT * 1000
    with sync_api.sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            page = browser.new_page()
            page.goto(server.base + ARTICLE_EN)
            page.wait_for_function("() => window.LiveReload !== undefined", timeout=wait)
            page.evaluate("() => { window.notReloaded = true; }")

            css = server.root / "static/site.css"  # a new override of the theme's stylesheet, in a new static/
            css.parent.mkdir()
            theirs = (BUILTIN_FOLDER / "static/site.css").read_text(encoding="utf-8")
            css.write_text(theirs + "\nh1 { color: rgb(1, 2, 3); }\n", encoding="utf-8")
            page.wait_for_function("() => getComputedStyle(document.querySelector('h1')).color === 'rgb(1, 2, 3)'", timeout=wait)
            page.evaluate("() => { window.notReloaded = true; }")

            css.write_text(theirs + "\nh1 { color: rgb(4, 5, 6); }\n", encoding="utf-8")
            page.wait_for_function("() => getComputedStyle(document.querySelector('h1')).color === 'rgb(4, 5, 6)'", timeout=wait)
            assert page.evaluate("() => window.notReloaded"), "a stylesheet edit swaps the stylesheet, not the page"

            (server.root / NEWS_EN).write_text(news("Alpha grows in the browser"), encoding="utf-8")
            page.wait_for_function("() => document.querySelector('h1').textContent.includes('Alpha grows in the browser')", timeout=wait)
            assert page.evaluate("() => window.notReloaded") is None, "the browser loaded the page anew"

            (server.root / NEWS_EN).write_text(BROKEN, encoding="utf-8")
            page.wait_for_selector("#parkpress-build-errors", timeout=wait)
            assert f"{NEWS_EN}:4" in page.inner_text("#parkpress-build-errors")
        finally:
            browser.close()


def test_a_service_worker_cannot_hide_rebuilds(still_server):
    connection = http.client.HTTPConnection("127.0.0.1", still_server.port, timeout=10)
    connection.request("GET", "/sw.js", headers={"Service-Worker": "script"})
    response = connection.getresponse()
    script = response.read().decode("utf-8")
    connection.close()
    assert response.status == 200 and response.getheader("Content-Type").startswith("text/javascript")
    assert "self.registration.unregister()" in script and "caches.delete" in script


# --- a server for this computer only ---------------------------------------------------------


def status_for_host(port: int, host: str, path: str = "/en/index.html") -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.putrequest("GET", path, skip_host=True)
        connection.putheader("Host", host)
        connection.endheaders()
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


@pytest.mark.parametrize("host", ["evil.example:{port}", "192.168.1.5:{port}", "127.0.0.1.evil.example"])
def test_a_request_naming_another_host_is_refused(still_server, host):
    # A page on evil.example whose name is made to point at 127.0.0.1 (DNS rebinding) sends its own Host.
    port = still_server.port
    assert status_for_host(port, host.format(port=port)) == 403
    assert status_for_host(port, host.format(port=port), "/livereload.js") == 403
    assert status_for_host(port, host.format(port=port), "/_parkpress/translations") == 403
    assert status_for_host(port, host.format(port=port), "/_parkpress/source/content/news/2021-alpha-grows.en.md") == 403
    for local in (f"127.0.0.1:{port}", f"localhost:{port}", "localhost"):
        assert status_for_host(port, local) == 200


async def _livereload_handshake(port: int, origin: str | None) -> dict:
    from tornado.httpclient import HTTPRequest
    from tornado.websocket import websocket_connect

    headers = {"Origin": origin} if origin else {}
    socket = await websocket_connect(HTTPRequest(f"ws://127.0.0.1:{port}/livereload", headers=headers))
    socket.write_message(json.dumps({"command": "hello", "protocols": ["http://livereload.com/protocols/official-7"]}))
    answer = json.loads(await socket.read_message())
    socket.close()
    return answer


def test_the_livereload_websocket_answers_pages_of_this_server_only(still_server):
    from tornado.httpclient import HTTPClientError

    port = still_server.port
    assert asyncio.run(_livereload_handshake(port, f"http://127.0.0.1:{port}"))["command"] == "hello"
    assert asyncio.run(_livereload_handshake(port, None))["command"] == "hello", "a tool that is not a browser sends no Origin"
    for origin in ("https://evil.example", f"http://localhost:{port + 1}", "null"):
        with pytest.raises(HTTPClientError) as refused:
            asyncio.run(_livereload_handshake(port, origin))
        assert refused.value.code == 403


async def _next_reload(port: int, edit) -> dict:
    from tornado.websocket import websocket_connect

    socket = await websocket_connect(f"ws://127.0.0.1:{port}/livereload")
    socket.write_message(json.dumps({"command": "hello", "protocols": ["http://livereload.com/protocols/official-7"]}))
    await socket.read_message()
    socket.write_message(json.dumps({"command": "info", "url": f"http://127.0.0.1:{port}/"}))
    await asyncio.sleep(0.5)
    edit()
    while (message := json.loads(await asyncio.wait_for(socket.read_message(), TIMEOUT))).get("command") != "reload":
        pass
    socket.close()
    return message


def test_the_browser_is_told_which_stylesheet_changed_not_where_it_lies_on_disk(serve):
    server = serve({"static/site.css": (BUILTIN_FOLDER / "static/site.css").read_text(encoding="utf-8")})
    css = server.root / "static/site.css"
    message = asyncio.run(_next_reload(server.port, lambda: css.write_text(css.read_text(encoding="utf-8") + "\nh1 {}\n")))
    assert message["path"] == "site.css"


def test_a_very_long_path_is_a_not_found_without_a_traceback(still_server):
    assert raw_get(still_server.port, "/" + "a" * 10_000) in (404, 414)
    assert raw_get(still_server.port, "/en/" + "b" * 300 + "/index.html") == 404
    assert "Traceback" not in still_server.output()[1]


# --- a build that never ends ---------------------------------------------------------------

# Python-Markdown needs hours for some texts, which ones depending on its version: the serve
# process gets a stand-in convert() that spins on this text (through sitecustomize), and the
# CPU budget the test asks for.
SPINS = "This text takes Python-Markdown forever."
SITECUSTOMIZE = f"""
import os

import markdown
from parkpress.content import markup

markup.BUDGET_SECONDS = float(os.environ["PARKPRESS_TEST_BUDGET"])
_real = markdown.Markdown.convert

def _convert(self, text):
    while {SPINS!r} in text:
        pass
    return _real(self, text)

markdown.Markdown.convert = _convert
"""


@pytest.fixture
def spinning_serve(make_site, tmp_path, monkeypatch):
    """spinning_serve(budget) -> a server whose Markdown spins on SPINS, with that CPU budget in seconds."""
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    (hooks / "sitecustomize.py").write_text(SITECUSTOMIZE, encoding="utf-8")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(hooks), os.environ.get("PYTHONPATH")])))
    started = []

    def factory(budget: float) -> Server:
        monkeypatch.setenv("PARKPRESS_TEST_BUDGET", str(budget))
        started.append(start_server(make_site(), tmp_path / "log"))
        return started[-1]

    yield factory
    for server in started:
        stop(server)


def test_markdown_over_the_budget_is_an_error_in_serve_too_and_its_fix_is_built(spinning_serve):
    server = spinning_serve(0.5)
    (server.root / NEWS_EN).write_text(news("Alpha grows", body=SPINS), encoding="utf-8")
    body = server.page_shows(ARTICLE_EN, "parkpress-build-errors")
    assert "too complex to render" in body
    (server.root / NEWS_EN).write_text(news("Alpha grows again"), encoding="utf-8")
    server.page_shows(ARTICLE_EN, "Alpha grows again")


def test_ctrl_c_stops_serve_at_once_even_while_a_build_is_stuck(spinning_serve):
    server = spinning_serve(600)  # the build below spins for ten minutes
    (server.root / NEWS_EN).write_text(news("Alpha grows", body=SPINS), encoding="utf-8")
    wait_for(lambda: _busy(server.process.pid), "the build to spin")
    ctrl_c(server)
    started = time.monotonic()
    assert server.process.wait(timeout=TIMEOUT) == 0
    stopped = time.monotonic() - started
    assert stopped < 5, f"serve took {stopped:.1f} s to stop"
    assert "Traceback" not in server.output()[1]


def _busy(pid: int) -> bool:
    """Whether the process used most of a CPU over the last half second (Linux's /proc)."""

    def cpu_seconds() -> float:
        fields = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8").rpartition(")")[2].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime

    before = cpu_seconds()
    time.sleep(0.5)
    return cpu_seconds() - before > 0.3


# --- the translation status page ---------------------------------------------------------------


def test_the_translation_status_page_lists_each_language_and_follows_edits(make_site, tmp_path):
    root = make_site()
    german = root / "content/news/2021-alpha-grows.de.md"
    german.unlink()
    assert run(root, "new", "news", "--translations", "2021-alpha-grows", "--lang", "de").code == 0
    (root / NEWS_EN).write_text(news("Alpha grows", body="A corrected paragraph."), encoding="utf-8")
    server = start_server(root, tmp_path / "log")
    try:
        status, html = server.get("/_parkpress/translations")
        assert status == 200
        assert "<p>0 current, 1 outdated, 1 unknown, 2 missing</p>" in html  # German
        [row] = re.findall(r'<tr class="outdated">.*?</tr>', html, re.S)
        assert "<code>changed: paragraph 1; python -m parkpress i18n diff content/news/2021-alpha-grows.de.md</code>" in row
        links = re.findall(r'href="([^"]+)"', row)
        assert links == [
            "/_parkpress/source/content/news/2021-alpha-grows.de.md",
            "/de/nachrichten/2021-alpha-grows/",
            "/_parkpress/source/content/news/2021-alpha-grows.en.md",
            "/en/news/2021-alpha-grows/",
        ]
        assert [server.get(link)[0] for link in links] == [200] * 4
        assert "A corrected paragraph." in server.get(links[2])[1]
        assert '<tr class="missing">' in html and "content/pages/about.de.md" in html
        page = tmp_path / "translations.html"
        page.write_text(html, encoding="utf-8")
        assert validate_html([page]) == []
        assert not [p for p in (root / "site").rglob("*") if "_parkpress" in p.name]

        assert run(root, "i18n", "done", str(german)).code == 0
        server.page_shows("/_parkpress/translations", "<p>1 current, 0 outdated, 1 unknown, 2 missing</p>")
    finally:
        stop(server)


@pytest.mark.parametrize(
    "path",
    [
        "parkpress.toml",
        "content/taxonomy.yaml",
        "content/../parkpress.toml",
        "content/news/nothing.en.md",
        "%2Fetc%2Fpasswd",
        "content/news/%2e%2e/%2e%2e/parkpress.toml",
        "content%5C..%5Cparkpress.toml",
        "content/news/2021-alpha-grows.en.md%00",
        "content/./news/2021-alpha-grows.en.md",
        "a/" * 3000,
    ],
)
def test_the_source_view_serves_the_sites_markdown_files_only(still_server, path):
    assert raw_get(still_server.port, "/_parkpress/source/" + path) == 404
