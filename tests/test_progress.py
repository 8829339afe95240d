"""Build output: one summary line; a progress bar only on a terminal, only for a long build, never in CI."""

from __future__ import annotations

import io
import re
from types import SimpleNamespace

from conftest import run

from parkpress.build import builder
from parkpress.commands.build_cmd import counted
from parkpress.commands.progress import ProgressBar
from parkpress.engine import cache


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_build_prints_one_summary_line_and_no_bar_into_a_pipe(make_site):
    result = run(make_site(), "build")
    assert result.code == 0
    [line] = result.out.splitlines()
    summary = (
        r"built \d+ pages \(en \d+, de \d+, fr \d+, \d+ at the root\) and \d+ other files in \d+\.\d\d s; "
        r"\d+ written, \d+ unchanged; 0 warnings; .*"
    )
    assert re.fullmatch(summary, line), line
    assert "\r" not in result.out + result.err


def test_the_bar_is_for_terminals_outside_ci(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    assert ProgressBar.for_terminal(io.StringIO()) is None
    assert ProgressBar.for_terminal(Terminal()) is not None
    monkeypatch.setenv("CI", "true")
    assert ProgressBar.for_terminal(Terminal()) is None


def test_the_bar_appears_only_when_the_build_takes_a_while_and_is_erased_at_the_end():
    terminal, clock = Terminal(), Clock()
    bar = ProgressBar(terminal, clock)
    bar(1, 10)
    assert terminal.getvalue() == "", "a quick build stays one clean line"
    clock.now += 1
    bar(3, 10)
    assert terminal.getvalue() == "\rbuilding [#########.....................] 3/10 pages"
    bar(4, 10)
    assert terminal.getvalue().count("\r") == 1, "redraws are spaced out"
    bar(10, 10)
    bar.close()
    assert terminal.getvalue().endswith("\rbuilding [##############################] 10/10 pages\r\033[K")


def test_the_time_in_the_summary_includes_saving_the_cache(make_site, monkeypatch):
    # What the editor waits for ends when the site is swapped in, after the cache is saved.
    clock = Clock()
    monkeypatch.setattr(builder, "time", SimpleNamespace(perf_counter=clock))  # the builder's clock only
    save = cache.BuildCache.save

    def slow_save(self, *args, **kwargs):
        clock.now += 60.0
        return save(self, *args, **kwargs)

    monkeypatch.setattr(cache.BuildCache, "save", slow_save)
    assert builder.build(make_site()).seconds >= 60.0


def test_the_summary_counts_one_warning_in_the_singular():
    assert [counted(n, "warning") for n in (0, 1, 2)] == ["0 warnings", "1 warning", "2 warnings"]
