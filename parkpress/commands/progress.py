"""A one-line progress bar for long builds, shown on a terminal only.

Logs of CI runs and pipes get no control characters: the bar is only made when
the stream is a TTY and CI is not set.
"""

from __future__ import annotations

import os
import time
from typing import TextIO

WIDTH = 30
DELAY = 0.5  # seconds before the bar appears: a quick build stays one clean line
INTERVAL = 0.1  # seconds between redraws, so drawing never slows the build


class ProgressBar:
    def __init__(self, stream: TextIO, clock=time.monotonic):
        self.stream = stream
        self.clock = clock
        self.started = clock()
        self.drawn_at: float | None = None

    @classmethod
    def for_terminal(cls, stream: TextIO) -> ProgressBar | None:
        ci = os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")
        return cls(stream) if stream.isatty() and not ci else None

    def __call__(self, done: int, total: int) -> None:
        now = self.clock()
        if now - self.started < DELAY or (self.drawn_at is not None and now - self.drawn_at < INTERVAL and done < total):
            return
        filled = WIDTH * done // max(total, 1)
        self.stream.write(f"\rbuilding [{'#' * filled}{'.' * (WIDTH - filled)}] {done}/{total} pages")
        self.stream.flush()
        self.drawn_at = now

    def close(self) -> None:
        """Erase the bar so the summary line starts on a clean line."""
        if self.drawn_at is not None:
            self.stream.write("\r\033[K")
            self.stream.flush()
