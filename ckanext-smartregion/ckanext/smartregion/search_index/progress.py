"""Progress of a rebuild: a line every few seconds (done, datasets/s, ETA) and the counts of
its summary."""

from __future__ import annotations

import time
from collections.abc import Callable


def duration(seconds: float) -> str:
    """ "42 s", "3 min 05 s", "1 h 02 min"."""
    seconds = round(seconds)
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min {seconds % 60:02d} s"
    return f"{seconds // 3600} h {seconds % 3600 // 60:02d} min"


class Progress:
    def __init__(
        self,
        total: int,
        echo: Callable[[str], None],
        interval: float = 5.0,
        already_done: int = 0,
    ) -> None:
        self.total, self.echo, self.interval = total, echo, interval
        self.already_done = already_done  # by the interrupted run this one resumes
        self.indexed = self.deleted = self.failed = 0
        self.started = self.last_shown = time.monotonic()

    @property
    def done(self) -> int:
        return self.indexed + self.failed

    def rate(self) -> float:
        elapsed = time.monotonic() - self.started
        return self.done / elapsed if elapsed > 0 else 0.0

    def advance(self, indexed: int, deleted: int = 0, failed: int = 0) -> None:
        self.indexed += indexed
        self.deleted += deleted
        self.failed += failed
        now = time.monotonic()
        if now - self.last_shown >= self.interval:
            self.last_shown = now
            self.echo(self.line())

    def line(self) -> str:
        todo = self.total - self.already_done
        share = 100 * (self.already_done + self.done) / self.total if self.total else 100
        rate = self.rate()
        eta = duration((todo - self.done) / rate) if rate else "unknown"
        return (
            f"  {self.already_done + self.done:,} / {self.total:,} datasets ({share:.0f} %), "
            f"{rate:,.0f} datasets/s, ETA {eta}"
        )

    def summary(self) -> str:
        elapsed = time.monotonic() - self.started
        return (
            f"{self.indexed:,} datasets indexed, {self.deleted:,} removed, "
            f"{self.failed:,} failed in {duration(elapsed)} ({self.rate():,.0f} datasets/s)"
        )
