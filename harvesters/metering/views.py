"""The public page of a metering dataset: monthly totals per building and medium
(/mereni/<dataset>), with the same table as CSV (/mereni/<dataset>/mesicne.csv).

The totals come from the dataset's monthly table, which the metering harvester refreshes
after every harvest; the page only sums meters of one building, medium and unit.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from typing import Any

import ckan.plugins.toolkit as tk
from flask import Blueprint, Response

from ckanext.smartregion.harvesters.metering.store import DAILY, MONTHLY, resources_by_kind
from ckanext.smartregion.language import N_

smartregion_metering = Blueprint("smartregion_metering", __name__, url_prefix="/mereni")
CSV_HEADER = [
    "budova/building",
    "médium/medium",
    "jednotka/unit",
    "měsíc/month",
    "součet/total",
    "měřidel/meters",
    "odečtů/readings",
]


# medium -> its name (English; Czech in i18n/)
MEDIUM_LABELS = {
    "electricity": N_("Electricity"),
    "heat": N_("Heat"),
    "gas": N_("Gas"),
    "water": N_("Water"),
}


def _dataset(name: str) -> dict[str, Any]:
    try:
        dataset = tk.get_action("package_show")({}, {"id": name})
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return tk.abort(404, tk._("Dataset not found"))
    if MONTHLY not in resources_by_kind(dataset):
        return tk.abort(404, tk._("This dataset has no metering totals"))
    return dataset


def monthly_table(dataset: dict[str, Any]) -> list[dict[str, Any]]:
    """Rows (building, medium, unit, month, total, meters, readings), sorted."""
    resource_id = resources_by_kind(dataset)[MONTHLY]["id"]
    sums: dict[tuple, list] = defaultdict(lambda: [0.0, set(), 0])
    offset = 0
    while True:
        result = tk.get_action("datastore_search")(
            {}, {"resource_id": resource_id, "limit": 10_000, "offset": offset, "sort": "_id"}
        )
        for record in result["records"]:
            key = (record["building"], record["medium"], record["unit"], record["month"])
            sums[key][0] += float(record["total"])
            sums[key][1].add(record["meter_id"])
            sums[key][2] += int(record["readings"])
        offset += len(result["records"])
        if not result["records"] or offset >= result.get("total", offset):
            break
    return [
        {
            "building": building,
            "medium": medium,
            "unit": unit,
            "month": month,
            "total": round(total, 6),
            "meters": len(meters),
            "readings": count,
        }
        for (building, medium, unit, month), (total, meters, count) in sorted(sums.items())
    ]


@smartregion_metering.route("/<name>")
def read(name: str):
    dataset = _dataset(name)
    rows = monthly_table(dataset)
    tables: dict[tuple, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        tables[(row["building"], row["medium"], row["unit"])].append(row)
    kinds = resources_by_kind(dataset)
    return tk.render(
        "smartregion/metering/page.html",
        {
            "package": dataset,
            "tables": sorted(tables.items()),
            "medium_labels": MEDIUM_LABELS,
            "daily": kinds.get(DAILY),
            "monthly": kinds.get(MONTHLY),
        },
    )


@smartregion_metering.route("/<name>/mesicne.csv")
def monthly_csv(name: str):
    dataset = _dataset(name)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_HEADER)
    for row in monthly_table(dataset):
        writer.writerow(
            [row[k] for k in ("building", "medium", "unit", "month", "total", "meters", "readings")]
        )
    return Response(
        buffer.getvalue().encode("utf-8-sig"),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{dataset["name"]}-mesicne.csv"'},
    )
