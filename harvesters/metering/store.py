"""Where metering readings live: one dataset per source, one DataStore table per building (or
meter group), and two tables of daily and monthly totals refreshed after every write.

Everything goes through the DataStore actions: readings are appended with
``datastore_upsert`` (method insert, in batches), what is already stored is read back with
``datastore_search_sql`` (keyset pages of at most ckan.datastore.search.rows_max rows), and
the totals are sums computed by PostgreSQL and upserted by (meter, day) and (meter, month).
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterator
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.smartregion.harvesters.metering.source_config import SourceConfig

log = logging.getLogger(__name__)

READINGS = "smartregion_metering_readings"
DAILY = "smartregion_metering_daily"
MONTHLY = "smartregion_metering_monthly"
GROUP_EXTRA = "smartregion_metering_group"
IDENTITY = [
    {"id": "meter_id", "type": "text"},
    {"id": "building", "type": "text"},
    {"id": "meter_group", "type": "text"},
    {"id": "medium", "type": "text"},
    {"id": "unit", "type": "text"},
]
READING_FIELDS = [
    *IDENTITY,
    {"id": "timestamp", "type": "timestamptz"},
    {"id": "value", "type": "numeric"},
    {"id": "day", "type": "date"},
    {"id": "month", "type": "text"},
]
DAILY_FIELDS = [
    *IDENTITY,
    {"id": "day", "type": "date"},
    {"id": "month", "type": "text"},
    {"id": "total", "type": "numeric"},
    {"id": "readings", "type": "int"},
]
MONTHLY_FIELDS = [
    *IDENTITY,
    {"id": "month", "type": "text"},
    {"id": "total", "type": "numeric"},
    {"id": "readings", "type": "int"},
    {"id": "days", "type": "int"},
]
TABLES = {
    DAILY: ("Denní souhrny / Daily totals", DAILY_FIELDS, ["meter_id", "day"]),
    MONTHLY: ("Měsíční souhrny / Monthly totals", MONTHLY_FIELDS, ["meter_id", "month"]),
}
IDENTITY_COLUMNS = ", ".join(f'"{f["id"]}"' for f in IDENTITY)


class StoreError(ValueError):
    """The readings cannot be stored where the configuration says; the message says why."""


METERING_DATASET = {
    "prefix": "mereni",
    "title": "Měření spotřeby energií a vody",
    "notes": "Odečty měřidel energií a vody (elektřina, teplo, plyn, voda) z energetického "
    "managementu, s denními a měsíčními souhrny. / Energy and water meter readings with "
    "daily and monthly totals.",
    "themes": ["ENER"],
    "frequency": "DAILY",
    "activity_area": "5",
    "tags": ["energie", "voda", "měření"],
}


def dataset_name(config: Any, source_name: str, prefix: str = "mereni") -> str:
    return config.dataset.get("name") or f"{prefix}-{source_name}"[:100]


def ensure_dataset(
    context: dict[str, Any],
    config: Any,
    source: dict[str, Any],
    defaults: dict[str, Any] = METERING_DATASET,
) -> dict[str, Any]:
    """The source's dataset, created with DCAT-AP-CZ metadata from the configuration (its
    "dataset" settings over ``defaults``) when missing (a deleted one is brought back)."""
    name = dataset_name(config, source["name"], defaults["prefix"])
    try:
        dataset = tk.get_action("package_show")(dict(context), {"id": name})
    except tk.ObjectNotFound:
        dataset = None
    if dataset is not None:
        if dataset["type"] != "dataset" or dataset["owner_org"] != source["owner_org"]:
            raise StoreError(
                f'The name "{name}" belongs to another record ({dataset["type"]} of another '
                'organisation); set "dataset": {"name": ...} in the source configuration to a '
                "free name"
            )
        if dataset.get("state") == "active":
            return dataset
        return tk.get_action("package_patch")(dict(context), {"id": name, "state": "active"})
    settings = config.dataset
    sample = bool(settings.get("is_sample_data", False))
    title = settings.get("title") or f"{defaults['title']} – {source['title']}"
    if sample and "ukázka" not in title.lower():
        title += " (ukázka)"
    dataset = {
        "type": "dataset",
        "name": name,
        "title": title,
        "notes": settings.get("notes") or defaults["notes"],
        "owner_org": source["owner_org"],
        "themes": settings.get("themes", defaults["themes"]),
        "frequency": settings.get("frequency", defaults["frequency"]),
        "tags": [{"name": tag} for tag in defaults["tags"]],
        "is_sample_data": sample,
        "license_id": "cc-zero",
        **{key: defaults[key] for key in ("specific_objectives",) if key in defaults},
    }
    for key in ("contact_name", "contact_email", "activity_area"):
        if settings.get(key, defaults.get(key)):
            dataset[key] = settings.get(key, defaults.get(key))
    return tk.get_action("package_create")(dict(context), dataset)


def resources_by_kind(dataset: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The dataset's tables: DAILY, MONTHLY and ("readings", group) → resource."""
    found: dict[Any, dict[str, Any]] = {}
    for resource in dataset.get("resources", []):
        kind = resource.get("resource_type")
        if kind == READINGS:
            found[(READINGS, resource.get(GROUP_EXTRA))] = resource
        elif kind in (DAILY, MONTHLY):
            found[kind] = resource
    return found


def ensure_tables(
    context: dict[str, Any], config: SourceConfig, dataset: dict[str, Any], groups: set[str]
) -> dict[Any, str]:
    """Resource ids of the totals tables and of a readings table per group, made if missing."""
    existing = resources_by_kind(dataset)
    ids: dict[Any, str] = {key: r["id"] for key, r in existing.items()}
    wanted: list[tuple[Any, dict[str, Any], list, list]] = []
    for kind, (name, fields, key) in TABLES.items():
        wanted.append((kind, {"name": name, "resource_type": kind}, fields, key))
    label = "Budova" if config.group_by == "building" else "Skupina měřidel"
    for group in sorted(groups):
        wanted.append(
            (
                (READINGS, group),
                {"name": f"{label}: {group}", "resource_type": READINGS, GROUP_EXTRA: group},
                READING_FIELDS,
                ["meter_id", "timestamp"],
            )
        )
    for key, resource, fields, primary_key in wanted:
        if key in ids:
            continue
        resource.update(
            {"package_id": dataset["id"], "format": "CSV", "url_type": "datastore", **config.terms}
        )
        result = tk.get_action("datastore_create")(
            dict(context),
            {"resource": resource, "fields": fields, "primary_key": primary_key, "force": True},
        )
        ids[key] = result["resource_id"]
    return ids


def _quote(text: str) -> str:
    return "'" + str(text).replace("'", "''") + "'"


def _sql(sql: str) -> dict[str, Any]:
    return tk.get_action("datastore_search_sql")({"ignore_auth": True}, {"sql": sql})


def rows_max() -> int:
    return int(tk.config.get("ckan.datastore.search.rows_max") or 32000)


def stored(
    resource_id: str, since: datetime.datetime, until: datetime.datetime
) -> Iterator[tuple[str, datetime.datetime, float]]:
    """(meter, UTC time, value) of the table's readings in [since, until], in keyset pages."""
    page = rows_max()
    after = ""
    while True:
        sql = (
            f'SELECT meter_id, "timestamp", value FROM "{resource_id}" '
            f'WHERE "timestamp" >= {_quote(since.isoformat())} '
            f'AND "timestamp" <= {_quote(until.isoformat())} {after}'
            f'ORDER BY meter_id, "timestamp" LIMIT {page}'
        )
        records = _sql(sql)["records"]
        for record in records:
            at = datetime.datetime.fromisoformat(record["timestamp"])
            if at.tzinfo is None:
                at = at.replace(tzinfo=datetime.UTC)
            yield record["meter_id"], at, float(record["value"])
        if len(records) < page:
            return
        last = records[-1]
        after = (
            f'AND (meter_id, "timestamp") > ({_quote(last["meter_id"])}, '
            f"{_quote(last['timestamp'])}::timestamptz) "
        )


def append(
    context: dict[str, Any], resource_id: str, rows: list[dict[str, Any]], method: str
) -> None:
    """Writes one batch in one call (one transaction). A batch whose insert meets a key
    already stored (an object retried after a crash) is written again as an upsert."""
    try:
        tk.get_action("datastore_upsert")(
            dict(context),
            {"resource_id": resource_id, "records": rows, "method": method, "force": True},
        )
    except tk.ValidationError as error:
        if method != "insert" or "duplicate key" not in str(error.error_dict):
            raise
        tk.get_action("datastore_upsert")(
            dict(context),
            {"resource_id": resource_id, "records": rows, "method": "upsert", "force": True},
        )


def _in(column: str, values: list[str]) -> str:
    return f'"{column}" IN ({", ".join(_quote(v) for v in values)})'


def _aggregate(sql_for: Any, days: list[str]) -> list[dict[str, Any]]:
    """Rows of sql_for(days); a day list whose result the DataStore would cut is halved."""
    pending, rows = [days], []
    while pending:
        chunk = pending.pop()
        result = _sql(sql_for(chunk))
        if result.get("records_truncated") and len(chunk) > 1:
            pending += [chunk[: len(chunk) // 2], chunk[len(chunk) // 2 :]]
            continue
        rows += result["records"]
    return rows


def refresh_totals(
    context: dict[str, Any], ids: dict[Any, str], readings_id: str, meters: set[str], days: set[str]
) -> tuple[int, int]:
    """Recomputes the daily totals of these meters on these days from the readings table, then
    their monthly totals from the daily ones; returns (daily rows, monthly rows) written."""
    meter_list = sorted(meters)
    daily = _aggregate(
        lambda chunk: (
            f"SELECT {IDENTITY_COLUMNS}, to_char(day, 'YYYY-MM-DD') AS day, month, "
            f'sum(value) AS total, count(*) AS readings FROM "{readings_id}" '
            f"WHERE {_in('meter_id', meter_list)} AND day IN "
            f"({', '.join(_quote(d) + '::date' for d in chunk)}) "
            f"GROUP BY {IDENTITY_COLUMNS}, day, month"
        ),
        sorted(days),
    )
    for start in range(0, len(daily), 10_000):
        append(context, ids[DAILY], daily[start : start + 10_000], "upsert")
    months = sorted({day[:7] for day in days})
    monthly = _aggregate(
        lambda chunk: (
            f"SELECT {IDENTITY_COLUMNS}, month, sum(total) AS total, "
            f'sum(readings)::int AS readings, count(*)::int AS days FROM "{ids[DAILY]}" '
            f"WHERE {_in('meter_id', meter_list)} AND {_in('month', chunk)} "
            f"GROUP BY {IDENTITY_COLUMNS}, month"
        ),
        months,
    )
    for start in range(0, len(monthly), 10_000):
        append(context, ids[MONTHLY], monthly[start : start + 10_000], "upsert")
    return len(daily), len(monthly)
