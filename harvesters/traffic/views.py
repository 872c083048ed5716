"""The public pages of a traffic dataset: its counting sites with a map (/doprava/<dataset>,
the sites as GeoJSON at /doprava/<dataset>/mista.geojson) and a page per site with hourly,
daily and monthly totals, charts and CSV downloads (/doprava/<dataset>/<site>).

The totals come from the tables the traffic harvester refreshes after every load; who may
read the dataset is decided by package_show on the stored dataset (private: 404).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import defaultdict
from typing import Any

import ckan.plugins.toolkit as tk
from flask import Blueprint, Response

from ckanext.smartregion.harvesters.traffic import store
from ckanext.smartregion.reports.chart_svg import line_chart

smartregion_traffic = Blueprint("smartregion_traffic", __name__, url_prefix="/doprava")
PERIODS = {"hodinove": (store.HOURLY, "hour"), "denne": (store.DAILY, "day")}
PERIODS["mesicne"] = (store.MONTHLY, "month")
HOURLY_SHOWN = 48  # the hourly table and chart show the last two days held


def _dataset(name: str) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    try:
        dataset = tk.get_action("package_show")({}, {"id": name})
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return tk.abort(404, tk._("Dataset not found"))
    tables = store.resources_by_kind(dataset)
    if store.SITES not in tables:
        return tk.abort(404, tk._("This dataset has no traffic counts"))
    return dataset, tables


def _records(resource_id: str, filters: dict[str, str], sort: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    while True:
        result = tk.get_action("datastore_search")(
            {},
            {
                "resource_id": resource_id,
                "filters": filters,
                "sort": sort,
                "limit": 10_000,
                "offset": len(found),
            },
        )
        found += result["records"]
        if not result["records"] or len(found) >= result.get("total", len(found)):
            return found


def sites(tables: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    return _records(tables[store.SITES]["id"], {}, "site_id")


def totals(tables: dict[str, dict[str, Any]], kind: str, site_id: str) -> list[dict[str, Any]]:
    """The site's totals of one period kind, all lanes added up, per vehicle class."""
    resource, column = PERIODS[kind]
    sums: dict[tuple[str, str], list[Any]] = defaultdict(lambda: [None, 0.0, 0.0, 0])
    for row in _records(tables[resource]["id"], {"site_id": site_id}, f'"{column}"'):
        key = (str(row[column])[: 16 if kind == "hodinove" else 10], row["vehicle_class"])
        entry = sums[key]
        if row["vehicles"] is not None:  # None: a speed-only series
            vehicles = float(row["vehicles"])
            entry[0] = (entry[0] or 0.0) + vehicles
            if row["speed"] is not None and vehicles > 0:
                entry[1] += float(row["speed"]) * vehicles
                entry[2] += vehicles
        elif row["speed"] is not None:
            entry[1], entry[2] = entry[1] + float(row["speed"]), entry[2] + 1
        entry[3] += int(row["intervals"] or 0)
    return [
        {
            "period": period,
            "vehicle_class": vehicle_class,
            "vehicles": None if vehicles is None else round(vehicles, 1),
            "speed": round(weighted / weight, 1) if weight else None,
            "intervals": intervals,
        }
        for (period, vehicle_class), (vehicles, weighted, weight, intervals) in sorted(sums.items())
    ]


@smartregion_traffic.route("/<name>")
def read(name: str):
    dataset, tables = _dataset(name)
    geo = tables.get(store.SITES_GEOJSON)
    views = tk.get_action("resource_view_list")({}, {"id": geo["id"]}) if geo is not None else []
    return tk.render(
        "smartregion/traffic/sites.html",
        {
            "package": dataset,
            "sites": sites(tables),
            "geo": geo,
            "map_view": next(iter(views), None),
        },
    )


@smartregion_traffic.route("/<name>/mista.geojson")
def sites_geojson(name: str):
    _, tables = _dataset(name)
    features = [
        {
            "type": "Feature",
            "geometry": {
                "type": "Point",
                "coordinates": [float(s["longitude"]), float(s["latitude"])],
            },
            "properties": {
                "site_id": s["site_id"],
                "name": s["name"],
                "lanes": s["lanes"],
                "direction": s["direction"],
                "url": tk.url_for("smartregion_traffic.site", name=name, site_id=s["site_id"]),
            },
        }
        for s in sites(tables)
        if s["latitude"] is not None and s["longitude"] is not None
    ]
    return Response(
        json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False),
        mimetype="application/geo+json",
    )


def _site(tables: dict[str, dict[str, Any]], site_id: str) -> dict[str, Any]:
    found = _records(tables[store.SITES]["id"], {"site_id": site_id}, "site_id")
    if not found:
        return tk.abort(404, tk._("This counting site is not in the dataset"))
    return found[0]


@smartregion_traffic.route("/<name>/<site_id>")
def site(name: str, site_id: str):
    dataset, tables = _dataset(name)
    place = _site(tables, site_id)
    series = {kind: totals(tables, kind, site_id) for kind in PERIODS}
    series["hodinove"] = series["hodinove"][-HOURLY_SHOWN * 8 :]
    charts = {}
    for kind, rows in series.items():
        per_class: dict[str, list[tuple[str, float]]] = defaultdict(list)
        for row in rows:
            if row["vehicles"] is not None:
                per_class[row["vehicle_class"]].append((row["period"], row["vehicles"]))
        charts[kind] = {
            vehicle_class: line_chart(points[-HOURLY_SHOWN:], None, f"{site_id} {vehicle_class}")
            for vehicle_class, points in per_class.items()
        }
    return tk.render(
        "smartregion/traffic/site.html",
        {"package": dataset, "site": place, "series": series, "charts": charts},
    )


@smartregion_traffic.route("/<name>/<site_id>/<kind>.csv")
def site_csv(name: str, site_id: str, kind: str):
    if kind not in PERIODS:
        return tk.abort(404, tk._("Download hodinove, denne or mesicne"))
    dataset, tables = _dataset(name)
    _site(tables, site_id)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        [
            "místo/site",
            "období/period",
            "třída vozidel/vehicle class",
            "vozidel/vehicles",
            "rychlost km/h/speed km/h",
            "intervalů/intervals",
        ]
    )
    for row in totals(tables, kind, site_id):
        writer.writerow(
            [
                site_id,
                row["period"],
                row["vehicle_class"],
                "" if row["vehicles"] is None else row["vehicles"],
                "" if row["speed"] is None else row["speed"],
                row["intervals"],
            ]
        )
    filename = re.sub(r"[^A-Za-z0-9_.-]", "_", f"{dataset['name']}-{site_id}-{kind}.csv")
    return Response(
        buffer.getvalue().encode("utf-8-sig"),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
