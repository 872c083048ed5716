"""What the browser tests find on the portal: one organisation with a record of every type, an
uploaded CSV to download and an indicator with values, all made through the real actions."""

from __future__ import annotations

import io
from dataclasses import dataclass

from ckan.tests import factories as ckan_factories
from ckan.tests.helpers import call_action
from werkzeug.datastructures import FileStorage

from tests import factories

PASSWORD = "Heslo-pro-testy-123"
DOWNLOAD_CSV = "rok;počet\n2023;1200\n2024;1350\n".encode()
VALUES = [
    {"period": "2020", "value": 100},
    {"period": "2022", "value": 112},
    {"period": "2024", "value": 131},
]


@dataclass
class PortalContent:
    sysadmin: dict
    organization: dict
    dataset: dict
    resource: dict
    indicator: dict
    project: dict
    collection_object: dict


def seed_portal_content() -> PortalContent:
    sysadmin = ckan_factories.Sysadmin(password=PASSWORD, image_url="")
    context = {"user": sysadmin["name"]}
    organization = ckan_factories.Organization(
        name="testovaci-organizace", title="Testovací organizace", image_url="", users=[]
    )
    owner = {"owner_org": organization["id"]}
    dataset = factories.Dataset(
        name="navstevnost-testovaci",
        title="Návštěvnost (testovací data)",
        notes="Roční počty návštěvníků, vytvořené testem prohlížeče.",
        **owner,
    )
    resource = call_action(
        "resource_create",
        context=context,
        package_id=dataset["id"],
        name="Návštěvnost podle let",
        format="CSV",
        url="navstevnost.csv",
        upload=FileStorage(io.BytesIO(DOWNLOAD_CSV), "navstevnost.csv", content_type="text/csv"),
        **factories.OPEN_TERMS,
    )
    indicator = factories.Indicator(
        indicator_code="2.1-07",
        name="podil-obnovitelne-energie-test",
        title="Podíl obnovitelné energie (testovací data)",
        direction="higher_is_better",
        baseline_value="100",
        baseline_year=2020,
        target_value="150",
        target_year=2026,
        **owner,
    )
    factories.upload_values(indicator, VALUES, user=sysadmin["name"])
    project = factories.Project(
        name="projekt-testovaci", title="Projekt (testovací data)", status="in_progress", **owner
    )
    collection_object = factories.CollectionObject(
        name="predmet-testovaci", title="Sklenice (testovací data)", **owner
    )
    return PortalContent(
        sysadmin=sysadmin,
        organization=organization,
        dataset=call_action("package_show", id=dataset["id"]),
        resource=resource,
        indicator=call_action("package_show", id=indicator["id"]),
        project=project,
        collection_object=collection_object,
    )
