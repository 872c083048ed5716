"""Bulk dictization (bulk_dictize.package_show_dicts) gives, whole dict for whole dict, what
CKAN's per-dataset package_show_default_and_custom_schemas gives, with one query per related
table for the whole list."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from ckan import logic, model
from ckan.tests import factories as ckan_factories
from ckan.tests.helpers import call_action
from sqlalchemy import event

from ckanext.smartregion.bulk_dictize import package_show_dicts
from tests import factories

OPEN = factories.OPEN_TERMS

_RELATED_TABLE = re.compile(r'FROM (resource|tag|"group"|package_relationship)\s')

pytestmark = [pytest.mark.usefixtures("clean_datastore"), pytest.mark.stack]


def _ckan(context: dict, packages: list[model.Package]) -> list[tuple[dict, dict]]:
    return [logic.package_show_default_and_custom_schemas(context, pkg.id) for pkg in packages]


def _packages(*dicts: dict) -> list[model.Package]:
    model.Session.remove()  # read them back as a fresh request would
    return [model.Package.get(d["id"]) for d in dicts]


@contextmanager
def _counted_queries() -> Iterator[list[str]]:
    statements: list[str] = []

    def count(conn, cursor, statement: str, *args) -> None:
        statements.append(statement)

    engine = model.meta.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def _mixed_datasets() -> list[dict]:
    """Datasets of several of our types, with what package_dictize reads from other tables."""
    sysadmin = ckan_factories.Sysadmin()
    org = ckan_factories.Organization(title="Severočeské muzeum v Liberci")
    zoo, arts = ckan_factories.Group(title="Životní prostředí"), ckan_factories.Group(title="Umění")
    glass = factories.CollectionObject(
        owner_org=org["id"],
        title="  Sklenice s emailovou malbou ",
        object_type="sklo",
        creators=[{"name": "Neznámý sklář", "role": "výrobce"}],
        materials=["sklo", "email"],
        dating_earliest=1885,
    )
    coin = factories.CollectionObject(owner_org=org["id"], title="Mince", private=True)
    tagged = factories.Dataset(
        owner_org=org["id"],
        tags=[{"name": "voda"}, {"name": "energie"}, {"name": "budovy"}],
        groups=[{"id": zoo["id"]}, {"id": arts["id"]}],
        resources=[
            {"url": "https://data.example.cz/a.csv", "name": "A", "format": "CSV", **OPEN},
            {"url": "data.example.cz/b.json", "name": "B", "format": "JSON", **OPEN},
            {"url": "https://data.example.cz/c.xlsx", "name": "C", **OPEN},
        ],
        license_id="cc-by",
    )
    context = {"user": sysadmin["name"]}
    ids = [r["id"] for r in tagged["resources"]]
    call_action("package_resource_reorder", context, id=tagged["id"], order=ids[::-1])
    call_action("resource_delete", context, id=ids[1])
    new_tags = [{"name": "voda"}, {"name": "auta"}]  # "energie" and "budovy" removed
    call_action("package_patch", context, id=tagged["id"], tags=new_tags)
    hidden = factories.Dataset(owner_org=org["id"], private=True)
    project = factories.Project(owner_org=org["id"])
    indicator = factories.Indicator(owner_org=org["id"])
    call_action(
        "package_relationship_create",
        context,
        subject=project["id"],
        object=tagged["id"],
        type="depends_on",
        comment="Projekt čerpá z datové sady.",
    )
    return [glass, tagged, coin, hidden, project, indicator]


def test_same_dicts_as_ckan_for_datasets_of_every_kind():
    datasets = _mixed_datasets()
    context = {"user": ckan_factories.Sysadmin()["name"]}
    packages = _packages(*datasets)

    bulk = package_show_dicts(context, packages)

    assert bulk == _ckan(context, _packages(*datasets))
    # the cases are really there (a comparison of empty lists would prove nothing)
    tagged_default, tagged_custom = bulk[1]
    assert [t["name"] for t in tagged_custom["tags"]] == ["auta", "voda"]
    assert [r["name"] for r in tagged_custom["resources"]] == ["C", "A"]
    assert [g["display_name"] for g in tagged_default["groups"]] == ["Umění", "Životní prostředí"]
    assert tagged_custom["relationships_as_object"][0]["type"] == "depends_on"
    assert bulk[4][1]["relationships_as_subject"][0]["comment"] == "Projekt čerpá z datové sady."
    assert bulk[0][1]["title"] == "Sklenice s emailovou malbou"
    assert bulk[0][1]["creators"] == [{"name": "Neznámý sklář", "role": "výrobce"}]
    assert bulk[0][1]["organization"]["title"] == "Severočeské muzeum v Liberci"
    assert bulk[2][1]["private"] is True
    assert "progress" in bulk[5][1]  # after_dataset_show of the indicator type ran


def test_the_same_with_an_anonymous_context_and_in_another_order():
    datasets = _mixed_datasets()[::-1]

    assert package_show_dicts({}, _packages(*datasets)) == _ckan({}, _packages(*datasets))


@pytest.mark.ckan_config("ckan.auth.create_unowned_dataset", True)
def test_a_dataset_without_organization():
    sysadmin = ckan_factories.Sysadmin()
    unowned = factories.Dataset(owner_org=None, user=sysadmin)
    owned = factories.Dataset()
    context = {"user": sysadmin["name"]}

    bulk = package_show_dicts(context, _packages(unowned, owned))

    assert bulk[0][1]["organization"] is None
    assert bulk[1][1]["organization"]["id"] == owned["owner_org"]
    assert bulk == _ckan(context, _packages(unowned, owned))


def test_an_empty_list_runs_no_query():
    with _counted_queries() as statements:
        assert package_show_dicts({}, []) == []
    assert statements == []


def _related_table_queries(statements: list[str]) -> list[str]:
    """The queries of package_dictize's related tables."""
    return [s for s in statements if _RELATED_TABLE.search(s)]


def test_one_query_per_related_table_whatever_the_number_of_datasets():
    org = ckan_factories.Organization()
    objects = [factories.CollectionObject(owner_org=org["id"]) for _ in range(6)]
    many = _packages(*objects)
    few = many[:2]

    with _counted_queries() as few_statements:
        package_show_dicts({}, few)
    with _counted_queries() as many_statements:
        package_show_dicts({}, many)
    with _counted_queries() as ckan_statements:
        _ckan({}, many)

    # resources, tags, groups, organisations, relationships as subject and as object
    assert len(_related_table_queries(few_statements)) == 6
    assert len(_related_table_queries(many_statements)) == 6
    assert len(_related_table_queries(ckan_statements)) == 6 * len(many)
    assert len(many_statements) == len(few_statements)  # no query per dataset at all


def test_uncommitted_datasets_of_the_open_transaction_as_the_batch_import_has_them():
    org = ckan_factories.Organization()
    context = {"user": ckan_factories.Sysadmin()["name"]}
    model.Session.remove()
    for number in range(3):
        call_action(
            "package_create",
            {**context, "defer_commit": True},
            type="collection-object",
            name=f"nezapsany-{number}",
            title=f"Nezapsaný předmět {number}",
            inventory_number=f"N-{number}",
            owner_org=org["id"],
            resources=[{"url": f"https://sbirky.example.cz/{number}.jpg", "name": "Foto"}],
        )
    packages = [model.Package.get(f"nezapsany-{number}") for number in range(3)]

    bulk = package_show_dicts(context, packages)

    assert [custom["resources"][0]["name"] for _default, custom in bulk] == ["Foto"] * 3
    assert bulk == _ckan(context, packages)
    model.Session.rollback()
    assert model.Package.get("nezapsany-0") is None  # they really were not committed
