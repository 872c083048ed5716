"""factory_boy factories of the portal's dataset types, on CKAN's own factories: each makes
a valid record through the real package_create action."""

from __future__ import annotations

from typing import ClassVar

import factory
from ckan.tests import factories

from ckanext.smartregion.terms_of_use import OPEN_TERMS  # noqa: F401 (re-exported for the tests)


def _organization_id() -> str:
    return factories.Organization()["id"]


class Indicator(factories.Dataset):
    type = "indicator"
    indicator_code = factory.Sequence(lambda n: f"2.1-{n % 100:02d}")
    title = factory.Sequence(lambda n: f"Spotřeba energie {n}")
    notes = "Spotřeba energie v budovách kraje za kalendářní rok."
    unit = "MWh"
    direction = "lower_is_better"
    specific_objectives: ClassVar[list[str]] = ["2.1"]
    periodicity = "ANNUAL"
    owner_org = factory.LazyFunction(_organization_id)


class Project(factories.Dataset):
    type = "project"
    title = "Energetický management a hospodaření s vodou"
    specific_objectives: ClassVar[list[str]] = ["2.1", "2.2"]
    owner_org = factory.LazyFunction(_organization_id)


class CollectionObject(factories.Dataset):
    type = "collection-object"
    title = "Sklenice"
    inventory_number = factory.Sequence(lambda n: f"S-{n:05d}")
    owner_org = factory.LazyFunction(_organization_id)


class Dataset(factories.Dataset):
    type = "dataset"
    notes = "Popis datové sady."
    tags = factory.LazyFunction(lambda: [{"name": "energie"}])
    themes: ClassVar[list[str]] = ["ENER"]
    frequency = "ANNUAL"
    owner_org = factory.LazyFunction(_organization_id)


def public_and_unpublished(state: str) -> tuple[dict, dict]:
    """A public dataset and one that must never be published: private, draft or deleted."""
    from ckan.tests.helpers import call_action

    context = {"user": factories.Sysadmin()["name"]}
    public = Dataset()
    other = Dataset(private=state == "private")
    if state == "draft":
        call_action("package_patch", context=context, id=other["id"], state="draft")
    if state == "deleted":
        call_action("package_delete", context=context, id=other["id"])
    return public, other


def upload_values(indicator: dict, rows: list[dict], user: str | None = None) -> dict:
    """Uploads an indicator's values through the real action, as a sysadmin by default."""
    from ckan.tests.helpers import call_action

    user = user or factories.Sysadmin()["name"]
    return call_action(
        "smartregion_indicator_values_upload",
        context={"user": user},
        id=indicator["id"],
        records=rows,
    )
