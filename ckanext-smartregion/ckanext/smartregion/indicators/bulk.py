"""Bulk downloads of all public indicators: one CSV, one JSON and a ZIP of per-indicator
CSVs, rebuilt by a background job whenever an indicator or its values change, and served as
files. Only what an anonymous visitor may see goes in; files are replaced atomically, so a
download never sees a half-written file."""

from __future__ import annotations

import csv
import io
import json
import logging
import os
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.smartregion import file_storage
from ckanext.smartregion.indicators import page, summary, values

log = logging.getLogger(__name__)

FILES = {"csv": "ukazatele.csv", "json": "ukazatele.json", "zip": "ukazatele-csv.zip"}
METADATA_COLUMNS = [
    "indicator_code",
    "name",
    "title",
    "unit",
    "direction",
    "specific_objectives",
    "activity_area",
    "baseline_value",
    "baseline_year",
    "target_value",
    "target_year",
    "progress_status",
    "is_sample_data",
]
VALUE_COLUMNS = ["period", "value", "dimension", "category", "note", "source", "sample"]
JOB_TITLE = "smartregion: rebuild the indicator bulk downloads"


def directory() -> Path:
    return file_storage.directory("ckanext.smartregion.bulk.directory", "smartregion", "bulk")


def _public_indicators() -> list[dict[str, Any]]:
    found, start, batch = [], 0, 1000
    while True:
        page_ = tk.get_action("package_search")(
            {"user": None, "ignore_auth": False},
            {
                "fq": "dataset_type:indicator",
                "rows": batch,
                "start": start,
                "sort": "indicator_code asc",
            },
        )
        found += page_["results"]
        start += batch
        if start >= page_["count"]:
            return found


def _write_atomically(path: Path, data: bytes) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(handle, "wb") as stream:
        stream.write(data)
    os.replace(temporary, path)


def build(progress=log.info) -> dict[str, Any]:
    """Rebuilds the three files; returns what it wrote."""
    started = time.perf_counter()
    indicators = _public_indicators()
    all_rows = values.read_many(indicators)
    combined, documents = [], []
    archive_buffer = io.BytesIO()
    with zipfile.ZipFile(archive_buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for number, indicator in enumerate(indicators, 1):
            rows = all_rows[indicator["id"]]
            state = summary.summarize(indicator, rows)
            metadata = {c: indicator.get(c) for c in METADATA_COLUMNS} | {
                "progress_status": state.status
            }
            metadata["specific_objectives"] = ",".join(indicator.get("specific_objectives") or [])
            combined += [metadata | {c: row.get(c) for c in VALUE_COLUMNS} for row in rows]
            documents.append(metadata | {"progress": state.as_dict(), "values": rows})
            archive.writestr(
                f"ukazatel-{indicator['indicator_code']}.csv",
                page.as_csv(page.download_rows(indicator, rows)),
            )
            if number % 100 == 0:
                progress(f"bulk downloads: {number}/{len(indicators)} indicators")
    buffer = io.StringIO()
    writer = csv.DictWriter(
        buffer, fieldnames=METADATA_COLUMNS + VALUE_COLUMNS, extrasaction="ignore"
    )
    writer.writeheader()
    writer.writerows(combined)
    target = directory()
    _write_atomically(target / FILES["csv"], ("\ufeff" + buffer.getvalue()).encode("utf-8"))
    _write_atomically(
        target / FILES["json"],
        json.dumps(
            {
                "generated": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                "indicators": documents,
            },
            ensure_ascii=False,
            default=str,
        ).encode("utf-8"),
    )
    _write_atomically(target / FILES["zip"], archive_buffer.getvalue())
    summary_ = {
        "indicators": len(indicators),
        "rows": len(combined),
        "seconds": round(time.perf_counter() - started, 2),
    }
    progress(f"bulk downloads rebuilt: {summary_}")
    return summary_


def request_rebuild() -> None:
    """Queues a rebuild; called after any change of an indicator or its values."""
    tk.enqueue_job(build, title=JOB_TITLE)
