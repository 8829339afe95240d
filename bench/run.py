#!/usr/bin/env python3
"""Time parkpress on the shared benchmark corpus and print one table.

    python bench/run.py                         # small and large, 5 repetitions
    python bench/run.py --sizes scale1k,scale20k --reps 1
    python bench/run.py --sizes small --reps 3 --work /tmp/pp-bench

For each size the corpus is generated with ../shared/bench/gen_corpus.py (--layout
neutral, its default seed) and turned into a parkpress site with bench/import_corpus.py.
Every repetition then runs, each in a fresh process (``python -m parkpress --project
SITE build``):

  cold    site/ and .parkpress-cache/ deleted first
  no-op   nothing changed
  edit    one English news item (the middle one by name, as the shared harness picks
          it) gets a paragraph appended

and records wall time, peak RSS of the process tree (the sum over the build and its
worker processes, sampled every 20 ms; it counts memory that forked workers share
with the parent once per process, so it overstates), the number of files in site/
and how many of them the step wrote (modification time after the step began), and
user+system CPU time of the build and the workers it waited for.

"serve" is measured as an editor meets it: ``parkpress serve`` runs in its own process,
a websocket client speaks livereload's protocol to it as a browser does, and each of
five edits of the same news item is timed from writing the file to the "reload"
message arriving (the file watcher, the build and the publishing included).  An edit
is made once the previous build is wholly done (one second after its reload).

Medians over repetitions, min-max in brackets.  PYTHON (default: this interpreter)
runs parkpress; PYTHONPATH is passed on, so a frozen copy of the package can be timed
while the working tree changes.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SHARED = HERE.parent.parent / "shared" / "bench"
SIZES = {"small": (20, 200), "large": (50, 3000), "scale1k": (50, 1000), "scale20k": (50, 20000)}


def generate(size: str, work: Path) -> Path:
    parks, news = SIZES[size]
    corpus, site = work / f"corpus-{size}", work / f"site-{size}"
    if not (corpus / "content").is_dir():
        gen = SHARED / "gen_corpus.py"
        command = [sys.executable, str(gen), "--out", str(corpus), "--layout", "neutral", "--parks", str(parks), "--news", str(news)]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    subprocess.run([sys.executable, str(HERE / "import_corpus.py"), str(corpus), str(site)], check=True, stdout=subprocess.DEVNULL)
    return site


def tree_rss(pid: int) -> int:
    """Resident memory of ``pid`` and all its descendants, in bytes."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as handle:
                    fields = handle.read().rsplit(b")", 1)[1].split()
                children.setdefault(int(fields[1]), []).append(int(entry))
            except (OSError, IndexError):
                continue
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            with open(f"/proc/{current}/statm", "rb") as handle:
                total += int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except OSError:
            pass
        todo += children.get(current, [])
    return total


def compile_package(python: str) -> None:
    """Byte-compile the parkpress that ``python`` imports, as pip does when it installs a package.

    An editable install or a plain copy leaves that to the first import, which writes nothing
    where PYTHONDONTWRITEBYTECODE is set: every build would then compile parkpress's source
    again (0.08 s here), which no installed parkpress does.
    """
    find = "import os, parkpress; print(os.path.dirname(parkpress.__file__))"
    package = subprocess.run([python, "-c", find], check=True, capture_output=True, text=True, cwd="/").stdout.strip()
    subprocess.run([python, "-m", "compileall", "-q", package], check=True)


def run_build(python: str, site: Path) -> dict:
    marker = time.time()
    time.sleep(0.01)  # modification times after this are the step's own
    started = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    # cwd: python puts it first on sys.path, so started from the repository it would import the
    # working tree's parkpress instead of the one PYTHONPATH names.
    command = [python, "-m", "parkpress", "--project", str(site), "build"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=site)
    peak = [0]

    def sample() -> None:
        while process.poll() is None:
            peak[0] = max(peak[0], tree_rss(process.pid))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = process.communicate()
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)  # the build and the workers it waited for
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    sampler.join()
    if process.returncode != 0:
        raise SystemExit(f"build failed in {site}:\n{err.decode()}")
    files = written = html = html_written = 0
    for folder, _, names in os.walk(site / "site"):
        for name in names:
            changed = os.stat(os.path.join(folder, name)).st_mtime > marker
            files, written = files + 1, written + changed
            if name.endswith(".html"):
                html, html_written = html + 1, html_written + changed
    return {
        "wall": wall,
        "cpu": cpu,
        "rss_mb": peak[0] / 1e6,
        "files": files,
        "written": written,
        "html": html,
        "html_written": html_written,
        "summary": out.decode().strip(),
    }


def edit_target(site: Path) -> Path:
    files = sorted((site / "content" / "news").glob("*.en.md"))
    return files[len(files) // 2]


SERVE_EDITS = 5
# The paragraph the shared harness appends (../shared/bench/run_peers.py), so that edits compare.
EDIT_TEXT = (
    "\n\nUpdate {n}: the administrative committee confirmed on the same day that {k} additional projects have entered the approval stage.\n"
)


async def _reload_times(port: int, target: Path, edits: int) -> list[float]:
    from tornado.websocket import websocket_connect  # tornado comes with livereload

    socket = await websocket_connect(f"ws://127.0.0.1:{port}/livereload")
    socket.write_message(json.dumps({"command": "hello", "protocols": ["http://livereload.com/protocols/official-7"]}))
    await socket.read_message()
    socket.write_message(json.dumps({"command": "info", "url": f"http://127.0.0.1:{port}/"}))
    times = []
    for n in range(edits):
        await asyncio.sleep(1.0)
        started = time.perf_counter()
        with open(target, "a", encoding="utf-8") as handle:
            handle.write(EDIT_TEXT.format(n=100 + n, k=n + 7))
        while json.loads(await socket.read_message()).get("command") != "reload":
            pass
        times.append(time.perf_counter() - started)
    socket.close()
    return times


def serve_times(python: str, site: Path) -> list[float]:
    """Seconds from saving an edit to livereload's reload message, for SERVE_EDITS edits."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [python, "-m", "parkpress", "--project", str(site), "serve", "--port", str(port)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, cwd=site)  # cwd: see run_build
    try:
        for line in process.stdout:  # the first build is done once it says it serves
            if line.startswith("serving "):
                break
        return asyncio.run(_reload_times(port, edit_target(site), SERVE_EDITS))
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=60)


def measure(size: str, reps: int, python: str, work: Path) -> dict:
    site = generate(size, work)
    samples: dict[str, list[dict]] = {"cold": [], "noop": [], "edit": []}
    for _ in range(reps):
        for name in ("site", ".parkpress-cache"):
            shutil.rmtree(site / name, ignore_errors=True)
        samples["cold"].append(run_build(python, site))
        samples["noop"].append(run_build(python, site))
        with open(edit_target(site), "a", encoding="utf-8") as handle:
            handle.write(EDIT_TEXT.format(n=len(samples["edit"]) + 1, k=len(samples["edit"]) + 3))
        samples["edit"].append(run_build(python, site))
    return {"size": size, "reps": reps, "samples": samples, "serve": serve_times(python, site)}


def median(values: list[float]) -> str:
    return f"{statistics.median(values):.2f} ({min(values):.2f}-{max(values):.2f})"


def table(results: list[dict]) -> str:
    head = (
        "| size | parks/news | reps | files (html) | cold s | cold CPU s | cold peak RSS MB | cold ms/page | no-op s | no-op written "
        "| edit s | edit written (html) | serve: save to reload s |"
    )
    rows = [head, "|" + "---|" * 13]
    for result in results:
        s = result["samples"]
        cold, noop, edit = s["cold"], s["noop"], s["edit"]
        html = cold[0]["html"]
        per_page = [1000 * c["wall"] / c["files"] for c in cold]
        parks, news = SIZES[result["size"]]
        rows.append(
            f"| {result['size']} | {parks}/{news} | {result['reps']} | {cold[0]['files']} ({html}) | {median([c['wall'] for c in cold])} "
            f"| {statistics.median(c.get('cpu', 0) for c in cold):.1f} | {statistics.median(c['rss_mb'] for c in cold):.0f} "
            f"| {statistics.median(per_page):.2f} "
            f"| {median([n['wall'] for n in noop])} | {max(n['written'] for n in noop)} "
            f"| {median([e['wall'] for e in edit])} | {statistics.median(e['written'] for e in edit):.0f} "
            f"({statistics.median(e['html_written'] for e in edit):.0f}) | {', '.join(f'{t:.3f}' for t in result['serve'])} |"
        )
    return "\n".join(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="small,large", help=f"comma-separated, of {', '.join(SIZES)}")
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--work", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "parkpress-bench")
    parser.add_argument("--json", type=Path, help="also write every sample here")
    args = parser.parse_args()
    python = os.environ.get("PYTHON", sys.executable)
    args.work.mkdir(parents=True, exist_ok=True)
    compile_package(python)
    results = []
    for size in args.sizes.split(","):
        results.append(measure(size, args.reps, python, args.work))
        print(f"{size}: done", file=sys.stderr, flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    print(table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
