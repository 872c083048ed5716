"""What every harvester shares (stages.py, import_stage.py): a wrong source configuration is
the job's gather error in each harvester, and the earlier object a record's import builds on
(previous_object) counts one whose report status is not set yet but not one stored "not
modified" (run in this process: no consumer)."""

from __future__ import annotations

import uuid

import pytest
from ckan import model
from ckanext.harvest.model import HarvestGatherError, HarvestJob, HarvestObject, HarvestSource

from ckanext.smartregion import clock
from ckanext.smartregion.harvesters.arcgis_hub.harvester import ArcGisHubHarvester
from ckanext.smartregion.harvesters.ckan_portal.harvester import CkanPortalHarvester
from ckanext.smartregion.harvesters.csu.harvester import CsuHarvester
from ckanext.smartregion.harvesters.dcat_ap_cz.harvester import DcatApCzHarvester
from ckanext.smartregion.harvesters.import_stage import previous_object
from ckanext.smartregion.harvesters.indicator_sheet.harvester import IndicatorSheetHarvester
from ckanext.smartregion.harvesters.metering.harvester import MeteringHarvester
from ckanext.smartregion.harvesters.oaipmh_lido.harvester import OaiPmhLidoHarvester
from ckanext.smartregion.harvesters.traffic.harvester import TrafficHarvester
from tests import factories

HARVESTERS = (
    ArcGisHubHarvester,
    CkanPortalHarvester,
    CsuHarvester,
    DcatApCzHarvester,
    IndicatorSheetHarvester,
    MeteringHarvester,
    OaiPmhLidoHarvester,
    TrafficHarvester,
)


def _job(config: str) -> HarvestJob:
    source = HarvestSource(url="http://127.0.0.1:9/", type="test", config=config)
    source.save()
    job = HarvestJob(source=source, status="Running")
    job.save()
    return job


@pytest.mark.usefixtures("clean_db")
def test_a_wrong_configuration_is_the_jobs_gather_error_in_every_harvester():
    for harvester in HARVESTERS:
        job = _job('{"no such key": 1}')
        assert harvester().gather_stage(job) == [], harvester
        messages = [
            error.message
            for error in model.Session.query(HarvestGatherError).filter_by(harvest_job_id=job.id)
        ]
        assert len(messages) == 1, (harvester, messages)
        assert messages[0].startswith("The source configuration is wrong: "), messages
        assert "no such key" in messages[0], messages


def _object(job: HarvestJob, guid: str, report_status: str | None, package_id: str) -> str:
    harvest_object = HarvestObject(
        id=str(uuid.uuid4()),
        guid=guid,
        job=job,
        source=job.source,
        state="COMPLETE",
        report_status=report_status,
        package_id=package_id,
        current=False,
        import_finished=clock.now(),
    )
    harvest_object.save()
    return harvest_object.id


@pytest.mark.usefixtures("clean_db")
@pytest.mark.parametrize(
    ("report_status", "found"), [(None, True), ("added", True), ("not modified", False)]
)
def test_previous_object_by_report_status(report_status, found):
    dataset = factories.Dataset()
    job = _job("")
    earlier = _object(job, "rec-1", report_status, dataset["id"])
    _object(job, "rec-2", "added", dataset["id"])  # another record: never its previous one
    now = HarvestObject(guid="rec-1", job=job, source=job.source, state="WAITING")
    now.save()
    previous = previous_object(now)
    assert (previous.id if previous else None) == (earlier if found else None)
