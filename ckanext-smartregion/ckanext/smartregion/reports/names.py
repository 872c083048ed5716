"""The names of the published reports' datasets, kept for the coordinator's organisation so
that no editor can squat next year's report and break its publishing."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator

FALLBACKS = 20  # vyrocni-zprava-2025-2 … -20 when a name is held outside the coordinator's
_REPORT_NAME = re.compile(
    r"^(?:vyrocni-zprava-\d{4}|monitorovaci-zprava-\d{4}-\d{2})(?:-\d{1,2})?$"
)  # a harvested name ends in an eight-character hash, never in -NN


def dataset_name(kind: str, year: int, as_of: datetime.date) -> str:
    return (
        f"vyrocni-zprava-{year}" if kind == "annual" else f"monitorovaci-zprava-{year}-{as_of:%m}"
    )


def candidates(name: str) -> Iterator[str]:
    """The report's name, then the fallbacks publishing tries in turn."""
    yield name
    for number in range(2, FALLBACKS + 1):
        yield f"{name}-{number}"


def is_report_name(name: object) -> bool:
    """True for a name only the coordinator's organisation may give a dataset."""
    return isinstance(name, str) and _REPORT_NAME.match(name) is not None
