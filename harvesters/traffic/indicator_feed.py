"""Indicators fed from traffic totals: after each load, the source's "indicators" settings turn
the daily totals of named sites into an indicator's series (indicators/values.py write path),
so that e.g. vehicles per day at a cordon is monitored from data rather than typed numbers.

    "indicators": [{"indicator": "doprava-kordon", "sites": ["S1", "S2"],
                    "vehicle_class": "anyVehicle", "statistic": "daily_average", "per": "year"}]

statistic: daily_average (the sites' vehicles added up per day, averaged over the days on which
every named site has a total) or total (all their vehicles); per: year or month (the period of
the indicator's values). The indicator must belong to the source's organisation; the values
say where they come from and carry the dataset's sample flag.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.smartregion.harvesters.config_fields import SourceConfigError
from ckanext.smartregion.harvesters.traffic import store
from ckanext.smartregion.indicators import values

STATISTICS = ("daily_average", "total")
PERS = ("year", "month")
KEYS = {"indicator", "sites", "vehicle_class", "statistic", "per"}
NAME = re.compile(r"^[a-z0-9_-]{2,100}$")


@dataclass(frozen=True)
class Feed:
    indicator: str
    sites: tuple[str, ...]
    vehicle_class: str = "anyVehicle"
    statistic: str = "daily_average"
    per: str = "year"


def parse(value: Any) -> tuple[Feed, ...]:
    """The "indicators" setting of a traffic source, checked key by key."""
    example = '[{"indicator": "doprava-kordon", "sites": ["S1"], "statistic": "daily_average"}]'
    if not isinstance(value, list) or len(value) > 20:
        raise SourceConfigError(f'"indicators" must be a list of at most 20 feeds, e.g. {example}')
    feeds = []
    for number, item in enumerate(value, start=1):
        where = f'"indicators" item {number}'
        if not isinstance(item, dict) or sorted(set(item) - KEYS):
            raise SourceConfigError(f"{where} may have only the keys {', '.join(sorted(KEYS))}")
        indicator, sites = item.get("indicator"), item.get("sites")
        if not isinstance(indicator, str) or not NAME.match(indicator):
            raise SourceConfigError(f'{where}: "indicator" must be the indicator\'s name (URL)')
        if (
            not isinstance(sites, list)
            or not 1 <= len(sites) <= 100
            or not all(isinstance(s, str) and 0 < len(s) <= 100 for s in sites)
        ):
            raise SourceConfigError(f'{where}: "sites" must list 1 to 100 site identifiers')
        vehicle_class = item.get("vehicle_class", "anyVehicle")
        if not isinstance(vehicle_class, str) or not 0 < len(vehicle_class) <= 60:
            raise SourceConfigError(f'{where}: "vehicle_class" must be a class name')
        statistic, per = item.get("statistic", "daily_average"), item.get("per", "year")
        if statistic not in STATISTICS or per not in PERS:
            raise SourceConfigError(
                f'{where}: "statistic" must be one of {", ".join(STATISTICS)} and "per" one '
                f"of {', '.join(PERS)}"
            )
        feeds.append(Feed(indicator, tuple(sites), vehicle_class, statistic, per))
    return tuple(feeds)


def series(ids: dict[str, str], feed: Feed) -> list[tuple[str, float, int]]:
    """(period, value, days) of the feed, from the daily totals table."""
    period = "to_char(day, 'YYYY')" if feed.per == "year" else "to_char(day, 'YYYY-MM')"
    aggregate = "avg(vehicles)" if feed.statistic == "daily_average" else "sum(vehicles)"
    sql = (
        f"SELECT {period} AS period, {aggregate}, count(*) FROM ("
        "SELECT day, sum(vehicles) AS vehicles, count(DISTINCT site_id) AS sites "
        f'FROM "{ids[store.DAILY]}" WHERE site_id = ANY(%(sites)s) '
        "AND vehicle_class = %(class)s AND vehicles IS NOT NULL GROUP BY day"
        ") AS days WHERE sites = %(count)s GROUP BY 1 ORDER BY 1"
    )
    connection = store._engine().raw_connection()
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                sql,
                {"sites": list(feed.sites), "class": feed.vehicle_class, "count": len(feed.sites)},
            )
            return [(p, float(v), int(d)) for p, v, d in cursor.fetchall()]
    finally:
        connection.close()


def update(
    context: dict[str, Any], dataset: dict[str, Any], ids: dict[str, str], feeds: tuple[Feed, ...]
) -> dict[str, int]:
    """Writes each feed's series into its indicator; indicator name -> values written. An
    indicator of another organisation, or missing, is refused with a message naming it."""
    written = {}
    for feed in feeds:
        try:
            indicator = tk.get_action("package_show")(dict(context), {"id": feed.indicator})
        except tk.ObjectNotFound:
            indicator = None
        if (
            indicator is None
            or indicator.get("type") != "indicator"
            or indicator.get("owner_org") != dataset["owner_org"]
        ):
            raise SourceConfigError(
                f'"indicators": {feed.indicator!r} is not an indicator of the organisation '
                "that publishes this traffic dataset; name one of its indicators"
            )
        what = "průměr vozidel za den" if feed.statistic == "daily_average" else "vozidel celkem"
        source = (
            f"{dataset['title']} ({dataset['name']}): {what}, místa {', '.join(feed.sites)}, "
            f"třída {feed.vehicle_class}"
        )
        rows = [
            {
                "period": period,
                "value": round(value, 1),
                "note": f"{days} dní s daty ze všech míst / days with data from every site",
                "source": source,
            }
            for period, value, days in series(ids, feed)
        ]
        if not rows:  # no day yet on which every site counted
            written[feed.indicator] = 0
            continue
        records = values.normalise_rows(rows, bool(dataset.get("is_sample_data")))
        written[feed.indicator] = values.write(dict(context), indicator, records)["rows"]
    return written
