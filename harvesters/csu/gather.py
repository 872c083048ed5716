"""The gather stage: fetch the ČSÚ file (and its schema), map it, queue one object.

Everything is checked before anything is written: the configuration, the file against its
schema, the filter, every kept row (mapping.py), the indicator and the source owner's right to
write into its organisation. Any fatal problem is a gather error and nothing is queued, so the
indicator keeps the values it had. Rows left out (a kraj code the code list lacks, a row
without a value) are stored as errors of the queued object, which still writes the rest.
"""

from __future__ import annotations

import json
import logging

import ckan.plugins.toolkit as tk
from ckan import model
from ckanext.harvest.model import HarvestJob, HarvestObjectError

from ckanext.smartregion.harvesters import source_owner
from ckanext.smartregion.harvesters.csu import mapping, source_config, table
from ckanext.smartregion.harvesters.http import Fetcher, FetchError
from ckanext.smartregion.harvesters.stages import gather_error, new_object
from ckanext.smartregion.indicators import values

log = logging.getLogger(__name__)

NOTHING_WRITTEN = "Nothing was written; the indicator keeps the values it had."
SUMMARY_KEY = "csu_summary"


def gather(job: HarvestJob, config: source_config.SourceConfig) -> list[str]:
    source = job.source
    url = config.url or source.url
    log.info("Job %s: ČSÚ %s: fetching %s", job.id, config.dataset, url)
    fetcher = Fetcher()
    try:
        schema = table.read_schema(fetcher.get(config.schema_url)) if config.schema_url else None
        data = fetcher.get(url)
        log.info("Job %s: ČSÚ %s: %s bytes fetched, mapping", job.id, config.dataset, len(data))
        outcome = mapping.benchmark_rows(table.read(data, schema), config, url)
    except (FetchError, table.TableError) as error:
        gather_error(job, f"ČSÚ {config.dataset} could not be read: {error}. {NOTHING_WRITTEN}")
        return []
    finally:
        fetcher.close()
    indicator = _indicator(config.indicator)
    problems = list(outcome.problems)
    if indicator is None:
        problems.append(
            f'"indicator": no indicator is named {config.indicator!r}; create it or correct '
            "the name in the source configuration"
        )
    elif not source_owner.owner_of(source).may_create_in(indicator["owner_org"]):
        problems.append(
            f"The indicator {config.indicator!r} belongs to an organisation where the source's "
            "owner may not create datasets; have an editor of it or a sysadmin save the source"
        )
    if not problems:
        try:
            records = values.normalise_rows(outcome.records, sample_default=False)
        except values.ValuesError as error:
            problems += error.error_dict.get("rows", [])
    if problems:
        shown = problems[: mapping.MAX_LISTED]
        more = f" (and {len(problems) - len(shown)} more)" if len(problems) > len(shown) else ""
        gather_error(
            job,
            f"ČSÚ {config.dataset} was refused: {' | '.join(shown)}{more}. {NOTHING_WRITTEN}",
        )
        return []
    assert indicator is not None  # a missing indicator is a problem above
    summary = outcome.summary(config.dataset)
    object_id = new_object(
        job,
        f"{config.indicator}@csu:{config.dataset}",
        json.dumps({"indicator_id": indicator["id"], "records": records}),
        "WAITING",
        None,
        extras={SUMMARY_KEY: summary},
    )
    for message in outcome.flagged[: mapping.MAX_LISTED * 10]:
        model.Session.add(
            HarvestObjectError(harvest_object_id=object_id, message=message, stage="Validation")
        )
    model.Session.commit()
    log.info("Job %s: %s", job.id, summary)
    return [object_id]


def _indicator(name: str) -> dict | None:
    try:
        found = tk.get_action("package_show")({"ignore_auth": True}, {"id": name})
    except tk.ObjectNotFound:
        return None
    return found if found.get("type") == "indicator" and found.get("state") == "active" else None
