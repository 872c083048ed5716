"""The timings the page and dashboard benches print: a call run n times, and the median, p95
and max of its milliseconds on one line."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any


def timed(runs: int, call: Callable[..., Any]) -> list[float]:
    """Milliseconds of each of `runs` calls."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    return times


def summary(name: str, times: list[float]) -> None:
    ordered = sorted(times)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    print(
        f"{name}: n={len(times)} median={statistics.median(times):.1f} ms "
        f"p95={p95:.1f} ms max={ordered[-1]:.1f} ms"
    )
