"""The permission matrix's world, built once per module through the real actions: the
organisations, one user per role with an API token, and one record per kind and state whose
review state was reached with the review actions (matrix_policy.STATE_MEANING)."""

from __future__ import annotations

import datetime
import itertools
import secrets
from dataclasses import dataclass, field
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.tests import factories as ckan_factories
from ckan.tests.helpers import call_action

from ckanext.smartregion import organizations
from ckanext.smartregion.harvesters.metering.store import MONTHLY, MONTHLY_FIELDS
from ckanext.smartregion.harvesters.traffic import store as traffic_store
from ckanext.smartregion.harvesters.traffic.counts import Count
from ckanext.smartregion.harvesters.traffic.datex2 import Site
from ckanext.smartregion.terms_of_use import OPEN_TERMS
from tests.security.matrix_policy import KINDS, MEMBERSHIPS, ROLES

YEAR = 2025  # the annual report the coordinator publishes
ABBREVIATIONS = {
    "dataset": "ds",
    "indicator": "in",
    "project": "pr",
    "collection_object": "co",
    "metering": "me",
    "page": "pg",
    "report": "rp",
}
URL_TYPES = {"collection_object": "collection-object", "metering": "dataset", "report": "dataset"}
METERING_ROW = {
    "meter_id": "m-1",
    "building": "Krajský úřad",
    "meter_group": "",
    "medium": "electricity",
    "unit": "kWh",
    "month": "2024-01",
    "total": 120.5,
    "readings": 31,
    "days": 31,
}
VALUES_ROW = {"period": "2022", "value": 1, "dimension": "", "category": ""}
WORLD_OBJECTIVE = "2.1"  # in activity area 5 and strategic goal 2: the dashboards show it


def _victim_codes() -> itertools.chain:
    """Indicator codes of the change cells' records: objective-NN, outside the world's."""
    from ckanext.smartregion.plan import taxonomy

    objectives = [o for o in taxonomy.get().codes("specific_objectives") if o != WORLD_OBJECTIVE]
    return itertools.chain(
        ((o, f"{o}-{n:02d}") for o in objectives for n in range(100)),
    )


_world_codes = itertools.count(10)
_edits = itertools.count(1)
_other_codes: itertools.chain | None = None


@dataclass
class Record:
    """A record of the world (or a victim of the change cells): what the surfaces need."""

    kind: str
    state: str
    name: str  # also the record's marker (a token found nowhere else)
    id: str = ""
    secret: str = ""  # internal text: a review comment or an unpublished page text
    code: str = ""
    resource_id: str = ""

    @property
    def markers(self) -> tuple[str, ...]:
        return tuple(m for m in (self.name, self.id, self.code) if m)

    def fields(self, world: World) -> dict[str, Any]:
        return {
            "id": self.id or self.name,
            "name": self.name,
            "slug": self.name,
            "title": title_of(self.kind, self.name),
            "type": URL_TYPES.get(self.kind, self.kind),
            "code": self.code,
            "resource_id": self.resource_id,
            "table_row": [METERING_ROW if self.kind == "metering" else VALUES_ROW],
            "kind_token": world.kind_tokens.get(self.kind, ""),
            "notes": f"Upraveno maticí oprávnění ({next(_edits)}).",  # new text: a change
            **world.fields,
        }


@dataclass
class World:
    users: dict[str, str]  # role -> user name
    tokens: dict[str, str]  # role -> API token
    organizations: dict[str, dict[str, Any]]  # A, B, C, COORD -> organisation
    kind_tokens: dict[str, str]
    records: dict[tuple[str, str], Record] = field(default_factory=dict)
    clients: dict[str, Any] = field(default_factory=dict)  # role -> its own test client

    @property
    def fields(self) -> dict[str, Any]:
        return {
            "org_a": self.organizations["A"]["id"],
            "org_a_name": self.organizations["A"]["name"],
            "org_c": self.organizations["C"]["id"],
            "year": YEAR,
        }

    def organization_of(self, organization_id: str) -> str:
        return next(
            (key for key, org in self.organizations.items() if org["id"] == organization_id),
            organization_id,
        )


def token(kind: str, state: str = "") -> str:
    """A marker found nowhere else: lowercase letters and digits (a valid dataset name)."""
    return f"mx{ABBREVIATIONS[kind]}{state[:3]}{secrets.token_hex(4)}"


def title_of(kind: str, name: str) -> str:
    return f"Stránka {name}" if kind == "page" else f"Záznam matice {name}"


def _as(user: str) -> dict[str, Any]:
    return {"user": user, "ignore_auth": False}


def build_people() -> World:
    """Organisations A, B, C and the coordinating one; a user per role with its
    memberships (the coordinator through `assign-role`) and an API token."""
    orgs = {key: ckan_factories.Organization() for key in ("A", "B", "C")}
    orgs["COORD"] = ckan_factories.Organization(name=organizations.coordinator_organization())
    users = {"sysadmin": ckan_factories.Sysadmin()["name"]}
    users["harvest"] = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
    for role in ROLES:
        if role in ("anonymous", "sysadmin", "harvest"):
            continue
        users[role] = ckan_factories.User()["name"]
        if role == "coordinator":
            organizations.assign_role(users[role], "coordinator", None)
            continue
        for key, capacity in MEMBERSHIPS[role].items():
            call_action(
                "organization_member_create",
                id=orgs[key]["id"],
                username=users[role],
                role=capacity,
            )
    tokens = {
        role: call_action("api_token_create", context=_as(name), user=name, name="matrix")["token"]
        for role, name in users.items()
        if role != "harvest"
    }
    kind_tokens = {kind: f"mxkind{ABBREVIATIONS[kind]}{secrets.token_hex(3)}" for kind in KINDS}
    return World(users, tokens, orgs, kind_tokens)


def dataset_data(world: World, kind: str, name: str, rich: bool = True) -> dict[str, Any]:
    """A valid new record of the kind in A (the report's kind: in COORD)."""
    spec = KINDS[kind]
    data: dict[str, Any] = {
        "type": spec.dataset_type,
        "name": name,
        "title": title_of(kind, name),
        "notes": f"Záznam matice oprávnění {world.kind_tokens[kind]}.",
        "owner_org": world.organizations[spec.organization or "A"]["id"],
    }
    if spec.dataset_type == "dataset":
        data.update(tags=[{"name": "matice"}], themes=["ENER"], frequency="ANNUAL")
    if kind == "collection_object":
        data["inventory_number"] = f"MX-{name}"
    elif kind != "report":
        data.update(specific_objectives=[WORLD_OBJECTIVE], activity_area="5")
    if kind == "indicator":
        data.update(unit="MWh", direction="lower_is_better", periodicity="ANNUAL")
        data["indicator_code"] = f"{WORLD_OBJECTIVE}-{next(_world_codes)}"
        if not rich:  # a change cell's indicator: codes of the other objectives
            global _other_codes
            _other_codes = _other_codes or _victim_codes()
            objective, data["indicator_code"] = next(_other_codes)
            data.update(specific_objectives=[objective])
            data.pop("activity_area")
    if kind == "dataset" and rich:
        resource = {"url": "https://example.org/data.csv", "format": "CSV", **OPEN_TERMS}
        data["resources"] = [{**resource, "name": f"Soubor {world.kind_tokens[kind]} {name}"}]
    return data


def _add_table(world: World, record: Record, package: dict[str, Any]) -> None:
    """The DataStore table of an indicator (its values) or a metering dataset (monthly
    totals, as the metering harvester writes them)."""
    sysadmin = world.users["sysadmin"]
    if record.kind == "indicator":
        result = call_action(
            "smartregion_indicator_values_upload",
            context={"user": sysadmin},
            id=package["id"],
            records=[{"period": "2024", "value": 95}, {"period": "2025", "value": 90}],
        )
    else:
        resource = {
            "package_id": package["id"],
            "name": "Měsíční souhrny / Monthly totals",
            "resource_type": MONTHLY,
            "format": "CSV",
            "url_type": "datastore",
            **OPEN_TERMS,
        }
        result = call_action(
            "datastore_create",
            context={"user": sysadmin},
            resource=resource,
            fields=MONTHLY_FIELDS,
            primary_key=["meter_id", "month"],
            records=[METERING_ROW],
            force=True,
        )
        _add_traffic_tables(sysadmin, package)
    record.resource_id = result["resource_id"]


def _add_traffic_tables(sysadmin: str, package: dict[str, Any]) -> None:
    """The traffic harvester's tables too (the /doprava pages read them): one site, one
    count; the harvester-made dataset rows ("metering") stand for both harvesters."""
    package = call_action("package_show", id=package["id"])
    ids = traffic_store.ensure_tables({"user": sysadmin}, package, OPEN_TERMS)
    start = datetime.datetime(2024, 1, 1, 7, tzinfo=datetime.UTC)
    end = start + datetime.timedelta(minutes=15)
    count = Count("s-1", "all", "anyVehicle", start, end, 60.0, 15.0, 50.0, "2024-01-01")
    traffic_store.load(ids, [count], [Site("s-1", name="Místo matice")], set())


def make_record(world: World, kind: str, state: str, rich: bool = True) -> Record:
    """A record of the kind in the state, reached as the workflow reaches it; rich: with
    its resource or DataStore table and an internal comment (the world's records)."""
    record = Record(kind, state, token(kind, state))
    if kind == "page":
        return _make_page(world, record, rich)
    if kind == "report":
        raise ValueError("the report is published once, by the coordinator (publish_report)")
    steward, approver = world.users["editor_same"], world.users["org_admin"]
    data = dataset_data(world, kind, record.name, rich)
    spec = KINDS[kind]
    if not spec.in_review:
        data["private"] = state == "private"
    package = call_action("package_create", context=_as(steward), **data)
    record.id, record.code = package["id"], package.get("indicator_code") or ""
    if kind == "dataset" and rich:
        record.resource_id = package["resources"][0]["id"]
    if kind in ("indicator", "metering") and rich:
        _add_table(world, record, package)
    if spec.in_review:
        _review(world, record, rich)
    elif state == "deleted":
        call_action("package_delete", context=_as(approver), id=record.id)
    return record


def _review(world: World, record: Record, rich: bool) -> None:
    steward, approver = world.users["editor_same"], world.users["org_admin"]
    record.secret = f"sx{ABBREVIATIONS[record.kind]}{secrets.token_hex(4)}" if rich else ""
    comment = f"Interní poznámka {record.secret}" if rich else "Interní poznámka"
    state = record.state
    if state == "draft":
        record.secret = ""
        return
    call_action("smartregion_review_submit", context=_as(steward), id=record.id)
    if state == "pending" and not rich:  # a change cell's record: submitted once is enough
        return
    if state in ("pending", "returned"):
        call_action(
            "smartregion_review_return", context=_as(approver), id=record.id, comment=comment
        )
        if state == "pending":
            call_action("smartregion_review_submit", context=_as(steward), id=record.id)
        return
    call_action("smartregion_review_approve", context=_as(approver), id=record.id, comment=comment)
    if state == "private":
        call_action("package_patch", context=_as(approver), id=record.id, private=True)
    elif state == "deleted":
        call_action("package_delete", context=_as(approver), id=record.id)


def _make_page(world: World, record: Record, rich: bool) -> Record:
    steward, coordinator = world.users["editor_same"], world.users["coordinator"]
    record.secret = f"sx{ABBREVIATIONS['page']}{secrets.token_hex(4)}"
    draft_text = f"Neschválený text {record.secret}."
    published_first = record.state == "public"
    page = call_action(
        "smartregion_page_create",
        context=_as(steward),
        slug=record.name,
        kind="news",
        title_cs=title_of("page", record.name),
        body_cs="Zveřejněný text." if published_first else draft_text,
    )
    record.id = page["id"]
    if record.state == "draft":
        return record
    call_action("smartregion_page_submit", context=_as(steward), id=record.name)
    if record.state == "returned":
        call_action(
            "smartregion_page_return",
            context=_as(coordinator),
            id=record.name,
            comment=f"Vráceno: {record.secret}",
        )
    if published_first:
        call_action("smartregion_page_publish", context=_as(coordinator), id=record.name)
        call_action(
            "smartregion_page_update", context=_as(steward), id=record.name, body_cs=draft_text
        )
    return record


def publish_report(world: World, app: Any) -> Record:
    """The annual report, published by the coordinator with the portal's button."""
    response = app.post(
        f"/akcni-plan/zpravy/vyrocni/{YEAR}/zverejnit",
        headers={"Authorization": world.tokens["coordinator"]},
        follow_redirects=False,
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    package = call_action("package_show", id=f"vyrocni-zprava-{YEAR}")
    return Record("report", "public", package["name"], id=package["id"])
