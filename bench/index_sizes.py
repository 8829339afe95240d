#!/usr/bin/env python3
"""The size of each language's search index: on the sample site and on the 1,000-news corpus.

    python bench/index_sizes.py                      # both sites, into a temporary folder
    python bench/index_sizes.py --work /tmp/pp-index # keep the sites (a second run rebuilds them)

The sample site is this repository's own (content, parkpress.toml, locales: what ``make site``
builds), copied and built in the work folder; the corpus is bench/run.py's ``scale1k`` (50 parks,
1,000 news items in English, German and French, from ../shared/bench/gen_corpus.py), imported
with bench/import_corpus.py.  The generator writes no Chinese or Arabic, so the corpus has no
zh or ar index to measure.  PYTHON (default: this interpreter) runs parkpress.

Per language: the documents indexed, the stems and word forms, the script's size in bytes, and
what gzip (level 6, a web server's usual) makes of it.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SAMPLE = ("content", "parkpress.toml", "templates", "static", "locales", "root")  # as tests/support/fixture_site.py copies it
PREFIX = "window.parkpressSearch = "

sys.path.insert(0, str(HERE))
from run import generate  # noqa: E402  (bench/run.py: the corpus, generated and imported)


def sample_site(work: Path) -> Path:
    site = work / "sample"
    shutil.rmtree(site, ignore_errors=True)
    site.mkdir(parents=True)
    for name in SAMPLE:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, site / name)
        elif source.is_file():
            shutil.copy2(source, site / name)
    return site


def build(python: str, site: Path) -> None:
    shutil.rmtree(site / "site", ignore_errors=True)
    shutil.rmtree(site / ".parkpress-cache", ignore_errors=True)
    command = [python, "-m", "parkpress", "--project", str(site), "build"]
    done = subprocess.run(command, capture_output=True, text=True, cwd=site)  # cwd: not the checkout, see bench/run.py
    if done.returncode != 0:
        raise SystemExit(f"build failed in {site}:\n{done.stderr}")


def indexes(site: Path) -> list[tuple[str, dict, int, int]]:
    """(language, the index, its bytes, gzipped bytes) of every search-index.js the build wrote."""
    found = []
    for path in sorted((site / "site").glob("*/*/search-index.js")):
        data = path.read_bytes()
        text = data.decode("utf-8")
        index = json.loads(text.removeprefix(PREFIX).rstrip().removesuffix(";"))
        found.append((path.relative_to(site / "site").parts[0], index, len(data), len(gzip.compress(data, 6, mtime=0))))
    return found


def table(name: str, site: Path) -> list[str]:
    rows = [f"{name}:", "| language | documents | stems | word forms | bytes | gzip | bytes/document |", "|---|--:|--:|--:|--:|--:|--:|"]
    for lang, index, size, packed in indexes(site):
        docs = len(index["docs"])
        per_doc = f"{size / docs:,.0f}" if docs else "-"
        rows.append(f"| {lang} | {docs:,} | {len(index['stems']):,} | {len(index['forms']):,} | {size:,} | {packed:,} | {per_doc} |")
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--work", type=Path, help="where the sites are built (default: a temporary folder, removed)")
    args = parser.parse_args()
    python = os.environ.get("PYTHON", sys.executable)
    work = args.work or Path(tempfile.mkdtemp(prefix="pp-index-"))
    try:
        sites = [("sample site", sample_site(work)), ("corpus scale1k (50 parks, 1,000 news)", generate("scale1k", work))]
        for name, site in sites:
            build(python, site)
            print("\n".join(table(name, site)) + "\n")
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
