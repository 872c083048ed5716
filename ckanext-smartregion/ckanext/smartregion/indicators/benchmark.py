"""An indicator against the other regions: its ``kraj`` rows (the ČSÚ harvester's), ranked.

The region of the portal is the kraj with RÚIAN VÚSC code 78 in ČSÚ code list 100 (Liberecký
kraj). A ranking is made for the latest period in which every kraj of the code list has a
value, best first by the indicator's direction; equal values share a rank. The Czech
Republic's row is shown beside it, unranked. The source is read from the rows (``ČSÚ <dataset>
<address>``, as harvesters/csu writes it); only an http(s) address becomes a link.
"""

from __future__ import annotations

import re
from typing import Any

from ckanext.smartregion.harvesters.csu import codelist

DIMENSION = "kraj"
HOME_RUIAN = "78"
SOURCE = re.compile(r"^ČSÚ (\S+)(?: (https?://\S+))?$")


def home_region() -> str:
    return next(r.name for r in codelist.kraje().values() if r.ruian == HOME_RUIAN)


def _sources(rows: list[dict[str, Any]]) -> list[dict[str, str | None]]:
    found: dict[str, str | None] = {}
    for row in rows:
        match = SOURCE.match((row.get("source") or "").strip())
        if match:
            found.setdefault(match.group(1), match.group(2))
    return [{"dataset": dataset, "url": url} for dataset, url in sorted(found.items())]


def ranking(indicator: dict[str, Any], rows: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The latest period with every kraj: the kraje ranked, the home region's rank, the Czech
    value and the sources; None without kraj rows or without a complete period."""
    kraj_rows = [r for r in rows if r.get("dimension") == DIMENSION]
    if not kraj_rows:
        return None
    names = {region.name for region in codelist.kraje().values()}
    by_period: dict[str, dict[str, float]] = {}
    for row in kraj_rows:
        by_period.setdefault(row["period"], {})[row["category"]] = float(row["value"])
    complete = [p for p, found in by_period.items() if names <= set(found)]
    result: dict[str, Any] = {
        "sources": _sources(kraj_rows),
        "home": home_region(),
        "periods": sorted(by_period),
    }
    if not complete:
        return result | {"period": None, "rank": None, "count": len(names), "table": []}
    period = max(complete)
    values = {name: by_period[period][name] for name in names}
    lower_better = indicator.get("direction") == "lower_is_better"
    order = sorted(values.items(), key=lambda item: item[1] if lower_better else -item[1])
    table = []
    for name, value in order:
        better = sum(1 for v in values.values() if (v < value if lower_better else v > value))
        table.append({"rank": better + 1, "region": name, "value": value})
    rank = next(entry["rank"] for entry in table if entry["region"] == result["home"])
    return result | {
        "period": period,
        "rank": rank,
        "count": len(names),
        "table": table,
        "state": by_period[period].get(codelist.STATE_NAME),
        "state_name": codelist.STATE_NAME,
    }
