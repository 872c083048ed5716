"""The state of a rebuild on disk, so an interrupted one resumes: the core it builds, when it
started, its filters, the id ranges of the batches Solr has committed and the datasets that
failed."""

from __future__ import annotations

import bisect
import dataclasses
import datetime
import json
import os
from pathlib import Path
from typing import Any

import ckan.plugins.toolkit as tk


def default_path() -> Path:
    """ckanext.smartregion.reindex.checkpoint, or one file per site and core in the storage
    folder."""
    configured = tk.config.get("ckanext.smartregion.reindex.checkpoint")
    if configured:
        return Path(configured)
    storage = tk.config.get("ckan.storage_path")
    if not storage:
        message = tk._("Set ckanext.smartregion.reindex.checkpoint or ckan.storage_path")
        raise tk.ValidationError({"checkpoint": [message]})
    core = tk.config["solr_url"].rstrip("/").rpartition("/")[2]
    site = tk.config["ckan.site_id"]
    return Path(storage) / "smartregion" / f"reindex-{site}-{core}.json"


@dataclasses.dataclass
class Checkpoint:
    path: Path
    live: str  # the core CKAN uses
    target: str  # the core being built (the live one for a rebuild in place)
    started: datetime.datetime  # database clock, UTC
    filters: str  # Filters.describe() of the run
    done: list[list[str]] = dataclasses.field(default_factory=list)  # [first id, last id]
    failed: list[str] = dataclasses.field(default_factory=list)

    @classmethod
    def load(cls, path: Path) -> Checkpoint | None:
        if not path.exists():
            return None
        data = json.loads(path.read_text())
        data["started"] = datetime.datetime.fromisoformat(data["started"])
        return cls(path=path, **data)

    def save(self) -> None:
        """Written whole to a temporary file, then renamed over the old one."""
        data: dict[str, Any] = dataclasses.asdict(self)
        del data["path"]
        data["started"] = self.started.isoformat()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(json.dumps(data, indent=1))
        os.replace(temporary, self.path)

    def remove(self) -> None:
        self.path.unlink(missing_ok=True)

    def mark_done(self, ranges: list[tuple[str, str]], failed: list[str]) -> None:
        """Batches (id ranges) committed, with the datasets of them that failed; a dataset
        failed before and inside one of the ranges was done again."""
        still_failed = [
            i for i in self.failed if not any(first <= i <= last for first, last in ranges)
        ]
        self.failed = sorted(set(still_failed) | set(failed))
        merged: list[list[str]] = []
        for first, last in sorted(self.done + [list(r) for r in ranges]):
            if merged and first <= merged[-1][1]:  # a resumed run's batch spans older ones
                merged[-1][1] = max(merged[-1][1], last)
            else:
                merged.append([first, last])
        self.done = merged

    def is_done(self, package_id: str) -> bool:
        """Whether a committed batch covered the id (a failed dataset is done again)."""
        at = bisect.bisect_right(self.done, [package_id, "\uffff"]) - 1
        return at >= 0 and self.done[at][0] <= package_id <= self.done[at][1]

    def pending(self, ids: list[str]) -> list[str]:
        failed = set(self.failed)
        return [i for i in ids if i in failed or not self.is_done(i)]
