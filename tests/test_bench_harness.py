"""bench/harness/build.py: parkpress run as the shared benchmark harness runs a new generator.

The harness copies the folder, puts a corpus in the neutral layout into content/, and runs
``python build.py build`` for a cold build (after removing site/ and .cache), a no-op build,
and a build after appending a paragraph to one English news item; it reads site/.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "tests" / "support" / "neutral-corpus" / "content"
EDIT = "\n\nUpdate 1: the administrative committee confirmed on the same day that 3 additional projects have entered the approval stage.\n"


def harness_copy(tmp_path: Path) -> Path:
    run = tmp_path / "newgen"
    run.mkdir()
    shutil.copy(REPO / "bench" / "harness" / "build.py", run / "build.py")
    shutil.copytree(CORPUS, run / "content")
    return run


def build(run: Path) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, "build.py", "build"], cwd=run, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return result


def files(site: Path) -> dict[str, tuple[bytes, int]]:
    """Every output file: (bytes, modification time)."""
    found = {}
    for folder, _, names in os.walk(site):
        for name in names:
            path = Path(folder, name)
            found[path.relative_to(site).as_posix()] = (path.read_bytes(), path.stat().st_mtime_ns)
    return found


def clean(run: Path) -> None:
    """What the harness does before a cold build (its default NEWGEN_CLEAN)."""
    (run / "site").unlink()
    shutil.rmtree(run / ".cache")


def test_cold_then_nothing_then_one_edit_as_the_harness_runs_them(tmp_path):
    run = harness_copy(tmp_path)
    build(run)
    cold = files(run / "site")
    pages = [rel for rel in cold if rel.endswith("/index.html")]
    assert {rel.split("/")[0] for rel in pages} >= {"en", "de", "fr"}
    assert "en/news/2024-09-10-kunshan-bz-ranking-00002/index.html" in cold

    build(run)
    assert files(run / "site") == cold, "a no-op build rewrites nothing"

    edited = sorted((run / "content" / "news").glob("*.en.md"))[3]  # the harness's pick: the middle one
    with edited.open("a", encoding="utf-8") as handle:
        handle.write(EDIT)
    build(run)
    after = files(run / "site")
    page = f"en/news/{edited.name.removesuffix('.en.md')}/index.html"
    assert "additional projects have entered the approval stage" in after[page][0].decode()
    rewritten = {rel for rel in after if after[rel][1] != cold.get(rel, (b"", 0))[1]}
    assert page in rewritten
    assert not any(rel.startswith(("de/", "fr/")) for rel in rewritten), "the other languages are untouched"

    clean(run)
    build(run)
    assert {rel: data for rel, (data, _) in files(run / "site").items()} == {rel: data for rel, (data, _) in after.items()}


def test_a_new_news_item_with_an_unknown_industry_is_imported_in_full(tmp_path):
    run = harness_copy(tmp_path)
    build(run)
    source = sorted((run / "content" / "news").glob("*.en.md"))[0]
    text = source.read_text(encoding="utf-8").replace("industries: [", 'industries: ["quantum-sensing", ', 1)
    assert "quantum-sensing" in text
    source.write_text(text, encoding="utf-8")
    build(run)
    taxonomy = (run / ".cache" / "parkpress-site" / "content" / "taxonomy.yaml").read_text(encoding="utf-8")
    assert "quantum-sensing" in taxonomy
