"""One harvest of a traffic source: fetch (guarded fetcher), read, and load into the source's
dataset; what the harvester's gather runs, and what a test or the CLI can run directly.

A file that cannot be fetched or read, or whose bad rows exceed limits.max_bad_share, writes
nothing; otherwise bad rows and unknown sites are reported and the rest is loaded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ckanext.smartregion.harvesters import data_sheet
from ckanext.smartregion.harvesters.http import Fetcher
from ckanext.smartregion.harvesters.metering.store import ensure_dataset
from ckanext.smartregion.harvesters.traffic import counter_csv, datex2, indicator_feed, store
from ckanext.smartregion.harvesters.traffic.counts import Count, Problem
from ckanext.smartregion.harvesters.traffic.source_config import SourceConfig

TRAFFIC_DATASET = {
    "prefix": "doprava",
    "title": "Sčítání dopravy",
    "notes": "Intenzity dopravy a průměrné rychlosti ze sčítačů (DATEX II nebo CSV) po "
    "intervalech, s hodinovými, denními a měsíčními souhrny a polohou míst sčítání. / "
    "Traffic counts and average speeds per interval from road counters, with hourly, daily "
    "and monthly totals and the counting sites' locations.",
    "themes": ["TRAN"],
    "frequency": "DAILY",
    "tags": ["doprava", "sčítání dopravy", "DATEX II"],
    "specific_objectives": ["1.1", "2.2", "3.1"],  # transport's objectives in the plan
}  # no activity_area: the plan gives transport none; the schema derives it from 2.2


class RefusedError(ValueError):
    """Nothing was written; the message says why and what to fix."""


@dataclass
class Outcome:
    dataset: dict[str, Any]
    ids: dict[str, str]
    written: int
    rows: int
    problems: list[Problem] = field(default_factory=list)
    unknown_sites: set[str] = field(default_factory=set)
    indicators: dict[str, int] = field(default_factory=dict)  # indicator -> values written


def read(
    config: SourceConfig, url: str, fetcher: Fetcher
) -> tuple[list[Count], list, set, list, int]:
    """(counts, sites, unknown site ids, problems, rows or values read) of the source."""
    data = fetcher.get(url)
    if config.format == "datex2":
        sites = datex2.parse_sites(fetcher.get(config.sites_url or ""))
        measured = datex2.parse_measurements(
            data, sites, config.time_stamp, config.period_seconds, config.timezone
        )
        return (
            measured.counts,
            list(sites.values()),
            measured.unknown_sites,
            measured.problems,
            len(measured.counts) + len(measured.problems),
        )
    result = read_counter_csv(url, data, config)
    return result.counts, [], set(), result.problems, result.rows


def read_counter_csv(url: str, data: bytes, config: SourceConfig) -> counter_csv.Read:
    """The counts of a counter CSV read as the configuration maps its columns."""
    sheet = data_sheet.Sheet(url, data, data_sheet.detect_format(data, "csv", url))
    return counter_csv.read(
        data_sheet.dict_rows(sheet),
        config.columns,
        config.classes,
        config.timezone,
        config.period_minutes,
        config.date_format,
    )


def harvest(
    context: dict[str, Any],
    config: SourceConfig,
    source: dict[str, Any],
    fetcher: Fetcher | None = None,
) -> Outcome:
    """Fetches, reads and loads the source; RefusedError (nothing written) or the outcome."""
    url = config.url or source["url"]
    own = fetcher is None
    fetcher = fetcher or Fetcher()
    try:
        counts, sites, unknown, problems, rows = read(config, url, fetcher)
    except (datex2.Datex2Error, data_sheet.SheetError, ValueError) as error:
        raise RefusedError(f"{url} could not be read: {error}. Nothing was written.") from error
    finally:
        if own:
            fetcher.close()
    if not counts:
        raise RefusedError(f"{url} has no traffic counts. Nothing was written.")
    if len(problems) > config.max_bad_share * max(rows, 1):
        raise RefusedError(
            f"{len(problems)} of {rows} rows or values are bad, more than "
            f"limits.max_bad_share ({config.max_bad_share:.0%}); the file was refused whole. "
            f"Nothing was written. First: {problems[0]}"
        )
    dataset = ensure_dataset(context, config, source, TRAFFIC_DATASET)
    ids = store.ensure_tables(context, dataset, config.terms)
    store.ensure_map(context, dataset, config.terms)
    written = store.load(ids, counts, sites, unknown)
    fed = indicator_feed.update(context, dataset, ids, config.indicators)
    return Outcome(dataset, ids, written, rows, problems, unknown, fed)
