#!/usr/bin/env python3
"""parkpress as the shared harness's "newgen" peer (../shared/bench/README.md).

    NEWGEN_DIR=bench/harness NEWGEN_PYTHON=$PWD/.venv/bin/python \\
        bash ../shared/bench/run_peers.sh large --peers newgen

The harness copies this folder, generates the neutral corpus into its content/, and runs
``build.py build`` there for the cold, no-op and edit builds, reading the output from site/.
parkpress has its own content format, so this script first imports the corpus into a
parkpress site folder with bench/import_corpus.py (as bench/run.py does), then builds that
site with parkpress, in this one process:

* the site folder is .cache/parkpress-site/, so the harness's default clean-up before a cold
  build (NEWGEN_CLEAN=.cache) removes it with parkpress's cache: a cold build includes a full
  import (about 1.3 s on the large corpus), which no parkpress user pays;
* later builds import only the corpus files that changed since the last import, by size
  and modification time (recorded in .cache/import-state.json), and write only converted
  files whose bytes change, so parkpress sees exactly the edit;
* site/ is a link to the parkpress site's output folder (parkpress keeps its output inside
  its project); when the harness has removed it, the output is removed too, so the build
  is a clean one.

The repository's parkpress, templates and catalogs are found through the ``parkpress`` that
NEWGEN_PYTHON imports: give it the checkout's venv, where parkpress is installed editable.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import sys
from pathlib import Path

HERE = Path.cwd()  # the harness runs this script in its copy of this folder
PROJECT = HERE / ".cache" / "parkpress-site"
STATE = HERE / ".cache" / "import-state.json"
OUTPUT = HERE / "site"


def checkout() -> Path:
    try:
        import parkpress
    except ImportError:
        raise SystemExit("parkpress is not installed for this Python: set NEWGEN_PYTHON to the checkout's .venv/bin/python") from None
    root = Path(parkpress.__file__).resolve().parents[1]
    if not (root / "bench" / "import_corpus.py").is_file():
        raise SystemExit(f"{root}: not a parkpress checkout; install parkpress from one with `pip install -e .`")
    return root


def load_importer(root: Path):
    spec = importlib.util.spec_from_file_location("import_corpus", root / "bench" / "import_corpus.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def corpus_state() -> dict[str, list[int]]:
    state = {}
    for folder in ("parks", "news"):
        for entry in os.scandir(HERE / "content" / folder):
            info = entry.stat()
            state[f"{folder}/{entry.name}"] = [info.st_size, info.st_mtime_ns]
    return state


def import_corpus(importer) -> None:
    """Bring the parkpress site up to date with content/, converting as little as possible."""
    now = corpus_state()
    try:
        last = json.loads(STATE.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        last = None
    if last is not None and last["files"].keys() == now.keys() and PROJECT.is_dir():
        changed = [rel for rel, record in now.items() if last["files"][rel] != record]
        if not changed:
            return
        if all(rel.startswith("news/") for rel in changed) and _import_news(importer, changed, last):
            _save_state(now, last["parks"], last["industries"])
            return
    imported = importer.convert(HERE, PROJECT)
    _save_state(now, imported["parks"], imported["industries"])


def _import_news(importer, changed: list[str], last: dict) -> bool:
    """Convert the changed news items alone; False when one needs a full import (a new park or industry)."""
    converted = {}
    for rel in changed:
        path = HERE / "content" / rel
        meta, body = importer.front_matter(path.read_text(encoding="utf-8"), path)
        if meta["park"] not in last["parks"] or not set(meta["industries"]) <= set(last["industries"]):
            return False
        converted[rel] = importer.news_file(meta, body, last["parks"])
    for rel, text in converted.items():
        importer.put(PROJECT / "content" / rel, text.encode("utf-8"))
    return True


def _save_state(files: dict, parks: dict, industries: list) -> None:
    STATE.write_text(json.dumps({"files": files, "parks": parks, "industries": industries}), encoding="utf-8")


def link_output() -> None:
    """site/ -> the parkpress site's output; a missing link means the harness cleaned up."""
    target = os.path.relpath(PROJECT / "site", HERE)
    if os.path.islink(OUTPUT) and os.readlink(OUTPUT) == target:
        return
    shutil.rmtree(PROJECT / "site", ignore_errors=True)
    if os.path.lexists(OUTPUT):
        raise SystemExit(f"{OUTPUT}: expected nothing or a link to {target}; remove it")
    os.symlink(target, OUTPUT)


def main(argv: list[str]) -> int:
    if argv != ["build"]:
        print("usage: build.py build", file=sys.stderr)
        return 2
    importer = load_importer(checkout())
    import_corpus(importer)
    link_output()
    from parkpress.cli import main as parkpress_main

    return parkpress_main(["--project", str(PROJECT), "build"])


if __name__ == "__main__":
    code = main(sys.argv[1:])
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)  # as parkpress's own entry point: no teardown of a large site's objects
