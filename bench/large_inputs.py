#!/usr/bin/env python3
"""Very large inputs stay bounded: build generated sites and report wall time and peak memory.

    .venv/bin/python bench/large_inputs.py                       # 5 MB Markdown file, 50,000 news items
    .venv/bin/python bench/large_inputs.py --items 1000 5000     # other news counts
    .venv/bin/python bench/large_inputs.py --markdown-mb 1 --items 0 --timeout 600

Each scenario is a fresh site (this repository's templates, static files and catalogs, the
test fixture's configuration, one park) built by ``python -m parkpress build`` in its own
process; its peak resident memory comes from the kernel (wait4's ru_maxrss), so it is the
build's own, not this script's.  A build that runs past --timeout is stopped and reported
with what it had used until then.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))  # pytest puts tests/ on the path; a script has to
from support import fixture_site  # noqa: E402


def amended(text: str, old: str, new: str) -> str:
    """``text`` with ``old`` replaced; fails loudly once the fixture no longer has ``old``."""
    if old not in text:
        raise SystemExit(f"tests/support/fixture_site.py no longer contains {old!r}: update bench/large_inputs.py")
    return text.replace(old, new, 1)


# Two news to a page, as the tests have them, would make 25,000 list pages of 50,000 items:
# a benchmark wants an ordinary page length.  The generated news use a third industry.
CONFIG = amended(fixture_site.CONFIG, "news_per_page = 2\n", "news_per_page = 20\n")
TAXONOMY = amended(fixture_site.TAXONOMY, "  logistics: Logistics\n", "  logistics: Logistics\n  electronics: Electronics\n")
PARKS = ("alpha", "beta", "gamma", "delta")
WORDS = [
    "park", "zone", "investment", "enterprises", "output", "industrial", "cluster", "biomedicine", "logistics", "port",
    "rail", "highway", "capital", "policy", "incentive", "land", "lease", "tax", "customs", "bonded", "export", "import",
    "supplier", "research", "talent", "university", "laboratory", "incubator", "district", "province", "city", "council",
]  # fmt: skip


def park(key: str) -> str:
    return (
        f"name: {key.title()} Development Zone\nlevels: [state-etdz]\nprovince: Tianjin\ncity: Tianjin\nfounded: 1991\n"
        f"industries: [biomedicine, logistics]\nfigures:\n  - kind: enterprises\n    value: 1500\n    year: 2021\n"
        f"rankings:\n  - list: top100-biomedical\n    year: 2021\n    rank: {PARKS.index(key) + 10}\n"
    )


def sentence(rng: random.Random) -> str:
    words = rng.choices(WORDS, k=rng.randint(8, 20))
    return " ".join(words).capitalize() + "."


def markdown_body(size: int, rng: random.Random) -> str:
    """About ``size`` bytes of ordinary Markdown: headings, paragraphs with links and emphasis, lists, tables."""
    parts: list[str] = []
    total = 0
    section = 0
    while total < size:
        section += 1
        block = [f"## Section {section}\n", " ".join(sentence(rng) for _ in range(5)), ""]
        block.append(
            f"See [the {rng.choice(WORDS)} profile](../parks/{rng.choice(PARKS)}.md) and **{rng.choice(WORDS)}** *{rng.choice(WORDS)}*."
        )
        block.append("")
        block += [f"- {sentence(rng)}" for _ in range(4)] + [""]
        block += ["| Figure | Value |", "| --- | ---: |"] + [f"| {rng.choice(WORDS)} | {rng.randint(1, 10**6)} |" for _ in range(4)] + [""]
        text = "\n".join(block) + "\n"
        parts.append(text)
        total += len(text.encode())
    return "".join(parts)


def news_item(i: int, rng: random.Random, body: str) -> str:
    day = 1 + i % 28
    return (
        f"---\ntitle: {sentence(rng)[:-1]}\ndate: {2000 + i % 25}-{1 + i % 12:02d}-{day:02d} {i % 24:02d}:{i % 60:02d}\n"
        f"parks: [{PARKS[i % len(PARKS)]}]\nindustries: [{rng.choice(['biomedicine', 'logistics', 'electronics'])}]\n"
        f"source:\n  name: {PARKS[i % len(PARKS)].title()} Development Zone\nsummary: {sentence(rng)}\n---\n{body}\n"
    )


def make_site(root: Path, items: int, markdown_bytes: int) -> int:
    """Write a site with ``items`` English news items (plus one of ``markdown_bytes`` if given); return its file count."""
    rng = random.Random(2024)
    fixture_site.copy_catalogs(root)
    (root / "parkpress.toml").write_text(CONFIG, encoding="utf-8")
    content = root / "content"
    (content / "parks").mkdir(parents=True)
    (content / "news").mkdir()
    (content / "taxonomy.yaml").write_text(TAXONOMY, encoding="utf-8")
    for key in PARKS:
        (content / "parks" / f"{key}.yaml").write_text(park(key), encoding="utf-8")
        (content / "parks" / f"{key}.en.md").write_text(
            f"---\ntitle: {key.title()} Zone\nsummary: A park.\n---\nProse.\n", encoding="utf-8"
        )
    files = 3 + 2 * len(PARKS)
    for i in range(items):
        body = " ".join(sentence(rng) for _ in range(6))
        (content / "news" / f"item-{i:05d}.en.md").write_text(news_item(i, rng, body), encoding="utf-8")
        files += 1
    if markdown_bytes:
        text = news_item(0, rng, markdown_body(markdown_bytes, rng))
        (content / "news" / "large.en.md").write_text(text, encoding="utf-8")
        files += 1
    return files


@dataclass
class Measure:
    scenario: str
    files: int
    input_mb: float
    seconds: float
    peak_mb: float
    outcome: str


def build(root: Path, timeout: float) -> tuple[float, float, str]:
    """Build ``root`` in a child process; return (wall seconds, peak RSS in MB, outcome)."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "parkpress", "--project", str(root), "build"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    deadline = started + timeout
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            os.killpg(process.pid, signal.SIGKILL)
            pid, status, usage = os.wait4(process.pid, 0)
            return time.perf_counter() - started, usage.ru_maxrss / 1024, f"stopped after {timeout:.0f} s"
        time.sleep(0.05)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode == 0:
        outcome = "built"
    else:
        last = (process.stderr.read().decode(errors="replace").strip().splitlines() or ["?"])[-1]
        outcome = f"exit {process.returncode}: {last[:60]}"
    return seconds, usage.ru_maxrss / 1024, outcome  # ru_maxrss is in KiB on Linux


def input_size(root: Path) -> float:
    return sum(p.stat().st_size for p in (root / "content").rglob("*") if p.is_file()) / 1e6


def run(scenarios: list[tuple[str, int, int]], timeout: float, keep: bool) -> list[Measure]:
    results = []
    for name, items, markdown_bytes in scenarios:
        folder = Path(tempfile.mkdtemp(prefix="parkpress-large-"))
        root = folder / "project"
        root.mkdir()
        try:
            files = make_site(root, items, markdown_bytes)
            seconds, peak, outcome = build(root, timeout)
            results.append(Measure(name, files, input_size(root), seconds, peak, outcome))
            print(f"  {name}: {outcome} in {seconds:.1f} s, peak {peak:.0f} MB", file=sys.stderr)
        finally:
            if keep:
                print(f"  kept {root}", file=sys.stderr)
            else:
                shutil.rmtree(folder, ignore_errors=True)
    return results


def table(results: list[Measure]) -> str:
    header = ("scenario", "content files", "content MB", "wall s", "peak RSS MB", "outcome")
    rows = [header] + [
        (m.scenario, f"{m.files:,}", f"{m.input_mb:.1f}", f"{m.seconds:.1f}", f"{m.peak_mb:.0f}", m.outcome) for m in results
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = [" | ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)) for row in rows]
    lines.insert(1, "-+-".join("-" * width for width in widths))
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, nargs="*", default=[50_000], help="news item counts to build (default: 50000)")
    parser.add_argument("--markdown-mb", type=float, default=5.0, help="size of the one large Markdown file (0: skip)")
    parser.add_argument("--timeout", type=float, default=3600, help="stop a build after this many seconds (default: 3600)")
    parser.add_argument("--keep", action="store_true", help="keep the generated sites")
    args = parser.parse_args()
    scenarios = [("small site (baseline)", 10, 0)]
    if args.markdown_mb:
        scenarios.append((f"one {args.markdown_mb:g} MB Markdown file", 0, int(args.markdown_mb * 1_000_000)))
    scenarios += [(f"{n:,} news items", n, 0) for n in args.items if n]
    print(table(run(scenarios, args.timeout, args.keep)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
