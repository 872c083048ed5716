"""Where traffic counts live: one dataset per source with one DataStore table of interval
counts, a table of sites, and hourly, daily and monthly totals refreshed after every load.

One counts table per source (not per site): a region's 100 detectors would otherwise make 100
resources on one dataset page, and cordon totals over several sites would need a query per
table. The primary key (site_id, period_start, vehicle_class, lane) starts with the site, so
a site's page reads its own rows through the key's index.

Tables are created with ``datastore_create`` (without the full-text index and trigger of the
DataStore, see _without_full_text); counts are loaded with PostgreSQL ``COPY``
through the DataStore's write engine into a temporary table and merged with
``INSERT ... ON CONFLICT DO UPDATE``, in one transaction per load: a re-run writes no
duplicates and a failed load leaves the earlier counts as they were. The totals are
recomputed by SQL for the sites and days a load touched.
"""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Iterable
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.smartregion.harvesters.traffic.counts import Count
from ckanext.smartregion.harvesters.traffic.datex2 import Site

log = logging.getLogger(__name__)

COUNTS = "smartregion_traffic_counts"
SITES = "smartregion_traffic_sites"
HOURLY = "smartregion_traffic_hourly"
DAILY = "smartregion_traffic_daily"
MONTHLY = "smartregion_traffic_monthly"
SITES_GEOJSON = "smartregion_traffic_sites_geojson"  # a link to /doprava/<dataset>/mista.geojson
KEY = ["site_id", "lane", "vehicle_class"]


def _fields(spec: str) -> list[dict[str, str]]:
    """DataStore fields from "name type, name type, ..."."""
    return [dict(zip(("id", "type"), f.split(), strict=True)) for f in spec.split(",")]


# flow: vehicles per hour; vehicles: in the interval; speed: km/h (totals: weighted by vehicles)
COUNT_FIELDS = _fields(
    "site_id text, lane text, vehicle_class text, period_start timestamptz, "
    "period_end timestamptz, flow numeric, vehicles numeric, speed numeric, day date, month text"
)
TOTAL_FIELDS = _fields("vehicles numeric, speed numeric, intervals int")
SITE_FIELDS = _fields(
    "site_id text, name text, latitude numeric, longitude numeric, lanes int, "
    "direction text, in_site_table bool"
)
TABLES: dict[str, tuple[str, list[dict[str, str]], list[str]]] = {
    COUNTS: (
        "Sčítání po intervalech / Interval counts",
        COUNT_FIELDS,
        ["site_id", "period_start", "vehicle_class", "lane"],
    ),
    SITES: ("Místa sčítání / Counting sites", SITE_FIELDS, ["site_id"]),
    HOURLY: (
        "Hodinové souhrny / Hourly totals",
        [*COUNT_FIELDS[:3], *_fields("hour timestamptz"), *TOTAL_FIELDS],
        ["site_id", "hour", "vehicle_class", "lane"],
    ),
    DAILY: (
        "Denní souhrny / Daily totals",
        [*COUNT_FIELDS[:3], *_fields("day date"), *TOTAL_FIELDS],
        ["site_id", "day", "vehicle_class", "lane"],
    ),
    MONTHLY: (
        "Měsíční souhrny / Monthly totals",
        [*COUNT_FIELDS[:3], *_fields("month text"), *TOTAL_FIELDS],
        ["site_id", "month", "vehicle_class", "lane"],
    ),
}
COUNT_COLUMNS = [f["id"] for f in COUNT_FIELDS]
# (table, period column, the period expression over the counts table)
TOTALS = (
    (HOURLY, "hour", "date_trunc('hour', period_start)"),
    (DAILY, "day", "day"),
    (MONTHLY, "month", "month"),
)


def resources_by_kind(dataset: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The dataset's traffic tables by kind (COUNTS, SITES, HOURLY, DAILY, MONTHLY)."""
    return {
        r["resource_type"]: r
        for r in dataset.get("resources", [])
        if r.get("resource_type") in TABLES or r.get("resource_type") == SITES_GEOJSON
    }


def ensure_tables(
    context: dict[str, Any], dataset: dict[str, Any], terms: dict[str, str]
) -> dict[str, str]:
    """Resource ids of the five tables, created if missing."""
    ids = {kind: r["id"] for kind, r in resources_by_kind(dataset).items() if kind in TABLES}
    for kind, (name, fields, primary_key) in TABLES.items():
        if kind in ids:
            continue
        resource = {
            "package_id": dataset["id"],
            "name": name,
            "resource_type": kind,
            "format": "CSV",
            "url_type": "datastore",
            **terms,
        }
        result = tk.get_action("datastore_create")(
            dict(context),
            {"resource": resource, "fields": fields, "primary_key": primary_key, "force": True},
        )
        ids[kind] = result["resource_id"]
        if kind != SITES:
            _without_full_text(ids[kind])
    return ids


def _without_full_text(resource_id: str) -> None:
    """Drops the table's full-text index and trigger: words of numbers and codes are not
    worth searching, and keeping the GiST index up to date made a load five times slower
    (14,880 rows merged in 5.3 s with it, 1.0 s without). datastore_search with "q" finds
    nothing in these tables; filters and SQL work as before."""
    connection = _engine().raw_connection()
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexname FROM pg_indexes WHERE tablename = %s "
                "AND indexdef LIKE '%%(_full_text)%%'",
                (resource_id,),
            )
            for (name,) in cursor.fetchall():
                cursor.execute(f'DROP INDEX "{name}"')
            cursor.execute(f'ALTER TABLE "{resource_id}" DISABLE TRIGGER zfulltext')
        connection.commit()
    finally:
        connection.close()


def ensure_map(context: dict[str, Any], dataset: dict[str, Any], terms: dict[str, str]) -> None:
    """The sites as a GeoJSON resource (the portal's map view shows it), made if missing."""
    if SITES_GEOJSON in resources_by_kind(dataset):
        return
    site_url = tk.config.get("ckan.site_url", "").rstrip("/")
    tk.get_action("resource_create")(
        dict(context),
        {
            "package_id": dataset["id"],
            "name": "Mapa míst sčítání / Map of the counting sites",
            "resource_type": SITES_GEOJSON,
            "format": "GeoJSON",
            "url": f"{site_url}/doprava/{dataset['name']}/mista.geojson",
            **terms,
        },
    )


def _engine():
    from ckanext.datastore.backend.postgres import get_write_engine

    return get_write_engine()


def _csv(rows: Iterable[Iterable[Any]]) -> io.StringIO:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for row in rows:
        writer.writerow("" if v is None else v for v in row)
    buffer.seek(0)
    return buffer


def _copy_merge(
    cursor: Any, table: str, columns: list[str], key: list[str], rows: Iterable[Iterable[Any]]
) -> None:
    """COPY rows into a temporary copy of table, then insert them, updating rows whose key
    is stored already."""
    names = ", ".join(f'"{c}"' for c in columns)
    cursor.execute(
        f'CREATE TEMP TABLE load_rows ON COMMIT DROP AS SELECT {names} FROM "{table}" LIMIT 0'
    )
    cursor.copy_expert(f"COPY load_rows ({names}) FROM STDIN WITH (FORMAT csv)", _csv(rows))
    updates = ", ".join(f'"{c}" = EXCLUDED."{c}"' for c in columns if c not in key)
    cursor.execute(
        f'INSERT INTO "{table}" ({names}) SELECT {names} FROM load_rows '
        f"ON CONFLICT ({', '.join(f'{chr(34)}{k}{chr(34)}' for k in key)}) DO UPDATE SET {updates}"
    )
    cursor.execute("DROP TABLE load_rows")


def load(ids: dict[str, str], counts: list[Count], sites: list[Site], unknown: set[str]) -> int:
    """Writes counts and sites in one transaction and refreshes the totals of the sites and
    days touched; returns the number of counts written. Nothing is written if it fails."""
    connection = _engine().raw_connection()
    try:
        with connection.cursor() as cursor:
            site_rows = [
                (s.site_id, s.name, s.lat, s.lon, s.lanes, s.direction, True) for s in sites
            ]
            site_rows += [(site, "", None, None, None, "", False) for site in sorted(unknown)]
            if site_rows:
                _copy_merge(
                    cursor, ids[SITES], [f["id"] for f in SITE_FIELDS], ["site_id"], site_rows
                )
            _copy_merge(
                cursor,
                ids[COUNTS],
                COUNT_COLUMNS,
                TABLES[COUNTS][2],
                (
                    (
                        c.site_id,
                        c.lane,
                        c.vehicle_class,
                        c.start.isoformat(),
                        c.end.isoformat(),
                        c.flow,
                        c.vehicles,
                        c.speed,
                        c.day,
                        c.month,
                    )
                    for c in counts
                ),
            )
            if counts:
                refresh_totals(
                    cursor,
                    ids,
                    sorted({c.site_id for c in counts}),
                    sorted({c.day for c in counts}),
                )
        connection.commit()
    except Exception:
        connection.rollback()
        raise
    finally:
        connection.close()
    return len(counts)


def refresh_totals(cursor: Any, ids: dict[str, str], sites: list[str], days: list[str]) -> None:
    """Recomputes the hourly, daily and monthly totals of these sites on these days (their
    whole months for the monthly ones) from the counts table."""
    months = sorted({day[:7] for day in days})
    for kind, column, expression in TOTALS:
        where = (
            "site_id = ANY(%(sites)s) AND month = ANY(%(months)s)"
            if kind == MONTHLY
            else "site_id = ANY(%(sites)s) AND day = ANY(%(days)s::date[])"
        )
        cursor.execute(
            f'DELETE FROM "{ids[kind]}" WHERE site_id = ANY(%(sites)s) AND "{column}" IN '
            f'(SELECT DISTINCT {expression} FROM "{ids[COUNTS]}" WHERE {where})',
            {"sites": sites, "days": days, "months": months},
        )
        cursor.execute(
            f'INSERT INTO "{ids[kind]}" (site_id, lane, vehicle_class, "{column}", vehicles, '
            f"speed, intervals) SELECT site_id, lane, vehicle_class, {expression}, "
            "sum(vehicles), coalesce(sum(speed * vehicles) FILTER (WHERE vehicles > 0) / "
            "nullif(sum(vehicles) FILTER (WHERE vehicles > 0 AND speed IS NOT NULL), 0), "
            f'avg(speed)), count(*) FROM "{ids[COUNTS]}" WHERE {where} '
            f"GROUP BY site_id, lane, vehicle_class, {expression}",
            {"sites": sites, "days": days, "months": months},
        )
