"""The reports' content, gathered from the public data only (what an anonymous visitor sees):
per activity area its projects and their state, and each indicator's value, target, status
and series; the monitoring report adds trends and the changes since the previous one."""

from __future__ import annotations

import datetime
from collections import Counter
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.smartregion.indicators import benchmark, summary, values
from ckanext.smartregion.indicators.progress import period_to_year
from ckanext.smartregion.plan import taxonomy

KINDS = ("annual", "monitoring")


def years() -> range:
    """The action plan's years: the only ones reports exist for."""
    return range(
        tk.config["ckanext.smartregion.plan.first_year"],
        tk.config["ckanext.smartregion.plan.last_year"] + 1,
    )


def _public(dataset_type: str) -> list[dict[str, Any]]:
    results, start = [], 0
    while True:
        found = tk.get_action("package_search")(
            {"user": None, "ignore_auth": False},
            {
                "fq": f"dataset_type:{dataset_type}",
                "rows": 1000,
                "start": start,
                "sort": "name asc",
            },
        )
        results += found["results"]
        start += 1000
        if start >= found["count"]:
            return results


def _indicator_entry(
    indicator: dict[str, Any], all_rows: list[dict[str, Any]], until: float
) -> dict[str, Any]:
    """The indicator as of the end of the period the report covers."""
    rows = [r for r in all_rows if (period_to_year(r["period"]) or 0) < until]
    state = summary.summarize(indicator, rows)
    totals = [(r["period"], float(r["value"])) for r in rows if not r.get("dimension")]
    trend = None
    if len(totals) >= 2:
        change = totals[-1][1] - totals[-2][1]
        better = change < 0 if indicator.get("direction") == "lower_is_better" else change > 0
        trend = "flat" if change == 0 else ("improving" if better else "worsening")
    return {
        "code": indicator.get("indicator_code"),
        "name": indicator["name"],
        "title": indicator["title"],
        "unit": indicator.get("unit"),
        "direction": indicator.get("direction"),
        "target_value": indicator.get("target_value"),
        "target_year": indicator.get("target_year"),
        "is_sample_data": bool(indicator.get("is_sample_data")),
        "progress": state.as_dict(),
        "series": totals,
        "trend": trend,
        "benchmark": _rank(indicator, rows),
    }


def _rank(indicator: dict[str, Any], rows: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The region's rank among the kraje in the latest period all of them have, if any."""
    ranked = benchmark.ranking(indicator, rows)
    if not ranked or ranked["rank"] is None:
        return None
    return {"rank": ranked["rank"], "count": ranked["count"], "period": ranked["period"]}


def build(kind: str, year: int, as_of: datetime.date | None = None) -> dict[str, Any]:
    """The report's content: `annual` covers year `year`; `monitoring` covers up to `as_of`
    (default: today) within `year`."""
    if kind not in KINDS:
        raise tk.ValidationError({"kind": [f"Unknown report {kind!r}; use annual or monitoring"]})
    if year not in years():
        raise tk.ValidationError(
            {
                "year": [
                    tk._("The action plan covers {0}–{1}; choose a year between them").format(
                        years()[0], years()[-1]
                    )
                ]
            }
        )
    as_of = as_of or datetime.date.today()
    until = year + 1.0 if kind == "annual" else year + (as_of.timetuple().tm_yday / 366)
    plan = taxonomy.get()
    public = sorted(_public("indicator"), key=lambda i: i.get("indicator_code") or "")
    rows = values.read_many(public)
    indicators = [_indicator_entry(i, rows[i["id"]], until) for i in public]
    raw_indicators = {i["name"]: i for i in public}
    projects = _public("project")
    areas = []
    placed: set[str] = set()
    for area in plan.items("activity_areas"):
        in_area = [
            e for e in indicators if raw_indicators[e["name"]].get("activity_area") == area["code"]
        ]
        placed |= {e["name"] for e in in_area}
        areas.append(
            {
                "code": area["code"],
                "name": area["name"],
                "objectives": area.get("objectives", []),
                "projects": [
                    {
                        "name": p["name"],
                        "title": p["title"],
                        "status": p.get("status"),
                        "period": [p.get("period_start"), p.get("period_end")],
                        "is_sample_data": bool(p.get("is_sample_data")),
                    }
                    for p in projects
                    if p.get("activity_area") == area["code"]
                ],
                "indicators": in_area,
                "summary": dict(Counter(e["progress"]["status"] for e in in_area)),
            }
        )
    outside = [e for e in indicators if e["name"] not in placed]
    return {
        "kind": kind,
        "year": year,
        "as_of": as_of.isoformat(),
        "generated": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "areas": areas,
        "outside_areas": outside,
        "summary": dict(Counter(e["progress"]["status"] for e in indicators)),
        "indicator_count": len(indicators),
        "contains_sample_data": any(e["is_sample_data"] for e in indicators),
    }


def changes_since(report: dict[str, Any], previous: dict[str, Any] | None) -> list[dict[str, Any]]:
    """What moved since the previous report: new indicators, new latest values, status changes."""
    if not previous:
        return []

    def entries(r):
        return {e["code"]: e for a in r["areas"] for e in a["indicators"]} | {
            e["code"]: e for e in r["outside_areas"]
        }

    before, now = entries(previous), entries(report)
    changes = []
    for code, entry in now.items():
        old = before.get(code)
        change = {"code": code, "title": entry["title"]}
        if old is None:
            changes.append(change | {"change": "new"})
            continue
        for field, kind in (("status", "status"), ("latest_period", "value")):
            if old["progress"][field] != entry["progress"][field]:
                changes.append(
                    change
                    | {
                        "change": kind,
                        "from": old["progress"][field],
                        "to": entry["progress"][field],
                    }
                )
                break
    return changes
