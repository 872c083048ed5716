"""Publishing a report: a dataset of the coordinator holding the report as HTML, PDF and JSON,
so that every published report stays downloadable; the monitoring report's snapshot is kept
to list the changes in the next one."""

from __future__ import annotations

import datetime
import io
import json
from pathlib import Path
from typing import Any

import ckan.plugins.toolkit as tk
from werkzeug.datastructures import FileStorage

from ckanext.smartregion.organizations import coordinator_organization
from ckanext.smartregion.reports import data, names, render
from ckanext.smartregion.reports.names import dataset_name
from ckanext.smartregion.terms_of_use import OPEN_TERMS

FORMATS = (
    ("html", "HTML", "text/html"),
    ("pdf", "PDF", "application/pdf"),
    ("json", "JSON", "application/json"),
)


def _snapshot_path(kind: str) -> Path:
    base = Path(tk.config["ckan.storage_path"]) / "smartregion" / "reports"
    base.mkdir(parents=True, exist_ok=True)
    return base / f"{kind}-latest.json"


def previous(kind: str) -> dict[str, Any] | None:
    path = _snapshot_path(kind)
    return json.loads(path.read_text("utf-8")) if path.exists() else None


def report_with_changes(
    kind: str, year: int, as_of: datetime.date | None = None
) -> tuple[dict, list]:
    """The report and, for the monitoring report, its changes since the previous one."""
    report = data.build(kind, year, as_of)
    changes = data.changes_since(report, previous(kind)) if kind == "monitoring" else []
    return report, changes


def produce(
    kind: str, year: int, as_of: datetime.date | None = None
) -> tuple[dict, list, dict[str, bytes]]:
    """The report, its changes since the previous published one, and its three renderings."""
    report, changes = report_with_changes(kind, year, as_of)
    files = {
        "html": render.html(report, changes, standalone=True).encode("utf-8"),
        "pdf": render.pdf(report, changes),
        "json": render.as_json(report, changes),
    }
    return report, changes, files


def _report_dataset(name: str) -> tuple[str, dict[str, Any] | None]:
    """The name to publish under and the coordinator's dataset holding it (None: a new one).
    A dataset is the report's only if it is stored in the coordinator's organisation; a name
    held elsewhere (squatted before names.is_report_name was enforced, or deleted there) is
    left alone and the next fallback name tried, so the button always works."""
    lookup = {"ignore_auth": True}
    coordinator = tk.get_action("organization_show")(lookup, {"id": coordinator_organization()})
    for candidate in names.candidates(name):
        try:
            stored = tk.get_action("package_show")(dict(lookup), {"id": candidate})
        except tk.ObjectNotFound:
            return candidate, None
        if stored.get("owner_org") == coordinator["id"] and stored.get("type") == "dataset":
            return candidate, stored
    raise tk.ValidationError(
        {
            "name": [
                tk._(
                    "{0} and its {1} fallback names are all held by other organisations; "
                    "rename or delete those datasets, then publish again"
                ).format(name, names.FALLBACKS - 1)
            ]
        }
    )


def publish(
    context: dict[str, Any], kind: str, year: int, as_of: datetime.date | None = None
) -> dict[str, Any]:
    """Creates or replaces the report's dataset in the coordinator's organisation (never
    a dataset stored elsewhere under the report's name); returns it."""

    def fresh() -> dict[str, Any]:  # CKAN's auth audit wants one context per action call
        return {key: context[key] for key in ("user", "ignore_auth") if key in context}

    as_of = as_of or datetime.date.today()
    report, _, files = produce(kind, year, as_of)
    name, existing = _report_dataset(dataset_name(kind, year, as_of))
    dataset = {
        "type": "dataset",
        "name": name,
        "title": render.title(report, "cs"),
        "title_en": render.title(report, "en"),
        "notes": f"{render.title(report, 'cs')}, vytvořená z dat portálu {report['generated']}."
        + (" Obsahuje ukázková data." if report["contains_sample_data"] else ""),
        "owner_org": coordinator_organization(),
        "tags": [{"name": "akční plán"}, {"name": "zpráva"}],
        "themes": ["GOVE", "REGI"],
        "frequency": "ANNUAL" if kind == "annual" else "ANNUAL_2",
        "is_sample_data": report["contains_sample_data"],
        "license_id": "cc-by",
    }
    if existing is not None:
        for resource in existing.get("resources", []):
            tk.get_action("resource_delete")(fresh(), {"id": resource["id"]})
        saved = tk.get_action("package_update")(
            fresh(), {**dataset, "id": existing["id"], "state": "active"}
        )
    else:
        saved = tk.get_action("package_create")(fresh(), dataset)
    for extension, label, media_type in FORMATS:
        upload = FileStorage(
            io.BytesIO(files[extension]), filename=f"{name}.{extension}", content_type=media_type
        )
        tk.get_action("resource_create")(
            fresh(),
            {
                "package_id": saved["id"],
                "name": f"{render.title(report, 'cs')} ({label})",
                "format": label,
                "mimetype": media_type,
                "upload": upload,
                "url": "",
                **OPEN_TERMS,
            },
        )
    if kind == "monitoring":
        _snapshot_path(kind).write_bytes(files["json"])
    return tk.get_action("package_show")(fresh(), {"id": saved["id"]})
