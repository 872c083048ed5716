"""Every surface of the permission matrix: the actions, pages, files, catalogues and forms a
record can be read or changed through, as a table (one row per surface).

Placeholders in paths and data come from the record (matrix_world.Record.fields): {id},
{name}, {type}, {code}, {slug}, {resource_id}, {table_row}, {kind_token}, {title}, {notes} (new
each time), and the world's {org_a}, {org_a_name}, {org_c}, {year}.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ckanext.smartregion.terms_of_use import OPEN_TERMS
from tests.security.matrix_policy import HTTP_ROLES

DATASETS = ("dataset", "indicator", "project", "collection_object", "metering")
REVIEWED = ("dataset", "indicator", "project", "metering")
ALL = (*DATASETS, "report")
NEW_OBJECTS = ("dataset", "indicator", "project", "collection_object")
TABLES = ("indicator", "metering")  # with DataStore tables
OPS = ("read", "create", "update", "submit", "publish", "approve", "return", "delete")


@dataclass(frozen=True)
class Surface:
    """One way to reach records: an action over HTTP with an API token (api), a page or file
    (get), a form (post), or an action as a harvest job calls it (inproc: harvest role)."""

    name: str
    op: str
    kinds: tuple[str, ...]
    channel: str  # api | get | post | inproc
    target: str  # action name or path
    data: dict[str, Any] = field(default_factory=dict)
    record: str | None = None  # reads: rule for the record (matrix_tables.RECORD_RULES)
    secret: str | None = None  # reads: rule for its internal text (SECRET_RULES)
    collective: bool = False  # one request per role lists many records
    seen: str = "marker"  # marker: the record's id or token is in the body; status: 2xx/3xx
    roles: tuple[str, ...] = HTTP_ROLES
    requires: str | None = None  # a further condition (matrix_tables.REQUIREMENTS)
    states: tuple[str, ...] | None = None  # only these states (create: the state asked for)
    moves_to: str | None = None  # the change moves the record to this organisation
    refusals_only: bool = False  # only the roles the policy refuses have cells


def api(name: str, op: str, kinds: tuple[str, ...], action: str = "", **kw: Any) -> Surface:
    return Surface(name, op, kinds, "api", action or name, **kw)


def get(name: str, op: str, kinds: tuple[str, ...], path: str, **kw: Any) -> Surface:
    return Surface(name, op, kinds, "get", path, **kw)


def post(name: str, op: str, kinds: tuple[str, ...], path: str, **kw: Any) -> Surface:
    return Surface(name, op, kinds, "post", path, **kw)


def inproc(name: str, op: str, kinds: tuple[str, ...], action: str, **kw: Any) -> Surface:
    return Surface(name, op, kinds, "inproc", action, roles=("harvest",), **kw)


ID = {"id": "{id}"}
SEARCH = {"q": "{kind_token}", "include_private": True, "rows": 100}
LIST = {"limit": 1000}
SQL = {"sql": 'SELECT * FROM "{resource_id}"'}
RESOURCE = {"resource_id": "{resource_id}"}
REPORT = "/akcni-plan/zpravy/vyrocni/{year}"
# The pages and files rendered per record are the slow rows: their read check is CKAN's
# package_show (the private flag and the state; the review state is not read), so of the
# private states pending and private stand for draft and returned, which the API rows and
# the lists cover.
PAGE_STATES = ("public", "private", "pending", "deleted")

# fmt: off
READS = [
    # the core API
    api("package_show", "read", ALL, data=ID, record="read", secret="outsiders"),
    inproc("harvest:package_show", "read", DATASETS, "package_show", data=ID, record="read"),
    api("package_search", "read", DATASETS, data=SEARCH, record="listed", secret="outsiders",
        collective=True),
    api("package_list", "read", DATASETS, data=LIST, record="public", collective=True),
    api("current_package_list_with_resources", "read", DATASETS, data=LIST,
        record="public_or_sysadmin", secret="outsiders", collective=True),
    api("resource_search", "read", ("dataset",), data={"query": "name:{kind_token}"},
        record="public", collective=True),
    api("resource_show", "read", ("dataset", *TABLES), data={"id": "{resource_id}"},
        record="live", seen="status"),
    api("package_activity_list", "read", DATASETS, data=ID, record="read", secret="outsiders"),
    api("organization_activity_list", "read", DATASETS, data={"id": "{org_a}", "limit": 100},
        record="outsiders", secret="outsiders", collective=True),
    api("recently_changed_packages_activity_list", "read", DATASETS, data={"limit": 100},
        record="outsiders", secret="outsiders", collective=True),
    # the DataStore
    api("datastore_search", "read", TABLES, data=RESOURCE, record="live", seen="status"),
    api("datastore_search_sql", "read", TABLES, data=SQL, record="live", seen="status"),
    api("datastore_info", "read", TABLES, data={"id": "{resource_id}"}, record="live",
        seen="status"),
    # the portal's actions
    api("smartregion_review_show", "read", ALL, data=ID, record="internal_live",
        secret="internal_live"),
    api("smartregion_review_list", "read", DATASETS, data={"limit": 500}, record="curated",
        secret="outsiders", collective=True),
    api("smartregion_indicator_values", "read", ("indicator",), data={"codes": "{code}"},
        record="listed", secret="outsiders"),
    api("smartregion_page_show", "read", ("page",), data={"id": "{slug}"}, record="read",
        secret="internal"),
    api("smartregion_page_list", "read", ("page",), data=LIST, record="read",
        secret="internal", collective=True),
    api("smartregion_page_revisions", "read", ("page",), data={"id": "{slug}"},
        record="internal", secret="internal"),
    # HTML pages
    get("html:read", "read", ALL, "/{type}/{name}", record="read", secret="outsiders",
        states=PAGE_STATES),
    get("html:activity", "read", DATASETS, "/dataset/activity/{name}", record="read",
        secret="outsiders", states=PAGE_STATES),
    get("html:search", "read", DATASETS, "/{type}/?q={kind_token}", record="listed",
        secret="outsiders", collective=True),
    get("html:organization", "read", DATASETS, "/organization/{org_a_name}?q={kind_token}",
        record="listed", secret="outsiders", collective=True),
    get("html:steward_dashboard", "read", DATASETS, "/sprava", record="waiting",
        secret="outsiders", collective=True),
    get("html:objective_dashboard", "read", REVIEWED, "/akcni-plan/specificky-cil/2.1",
        record="listed", secret="outsiders", collective=True),
    get("html:goal_dashboard", "read", ("indicator", "project"), "/akcni-plan/strategicky-cil/2",
        record="listed", secret="outsiders", collective=True),
    get("html:area_page", "read", ("indicator", "project"), "/akcni-plan/oblast-aktivit/5",
        record="listed", secret="outsiders", collective=True),
    get("html:indicator_by_code", "read", ("indicator",), "/ukazatel/{code}", record="listed",
        seen="status"),
    get("html:indicator_chart", "read", ("indicator",), "/ukazatel/{code}/graf",
        record="listed", secret="outsiders", states=PAGE_STATES),
    get("file:indicator_values.csv", "read", ("indicator",), "/ukazatel/{code}/hodnoty.csv",
        record="listed", seen="status"),
    get("file:indicator_values.json", "read", ("indicator",), "/ukazatel/{code}/hodnoty.json",
        record="listed", secret="outsiders"),
    get("file:indicator_values.xlsx", "read", ("indicator",), "/ukazatel/{code}/hodnoty.xlsx",
        record="listed", seen="status"),
    get("html:metering", "read", ("metering",), "/mereni/{name}", record="live",
        secret="outsiders", states=PAGE_STATES),
    get("file:metering_monthly.csv", "read", ("metering",), "/mereni/{name}/mesicne.csv",
        record="live", seen="status"),
    get("html:traffic", "read", ("metering",), "/doprava/{name}", record="live",
        secret="outsiders", states=PAGE_STATES),
    get("file:traffic_sites.geojson", "read", ("metering",), "/doprava/{name}/mista.geojson",
        record="live", seen="status"),
    get("html:traffic_site", "read", ("metering",), "/doprava/{name}/s-1", record="live",
        secret="outsiders", states=PAGE_STATES),
    get("file:traffic_daily.csv", "read", ("metering",), "/doprava/{name}/s-1/denne.csv",
        record="live", seen="status"),
    get("html:page", "read", ("page",), "/stranky/{slug}", record="read", secret="outsiders"),
    get("html:page_history", "read", ("page",), "/stranky/{slug}/historie", record="internal",
        secret="outsiders"),
    get("html:page_revision", "read", ("page",), "/stranky/{slug}/historie/1",
        record="internal", secret="outsiders"),
    get("html:pages", "read", ("page",), "/stranky", record="read", secret="outsiders",
        collective=True),
    # feeds, DCAT and LKOD
    get("feed:custom.atom", "read", DATASETS, "/feeds/custom.atom?q={kind_token}",
        record="public", secret="never", collective=True),
    get("dcat:catalog.ttl", "read", DATASETS, "/catalog.ttl", record="public", secret="never",
        collective=True),
    get("dcat:dataset.ttl", "read", DATASETS, "/dataset/{id}.ttl", record="read",
        secret="outsiders", states=PAGE_STATES),
    get("lkod:catalogue", "read", DATASETS, "/lkod/katalog", record="public", secret="never",
        collective=True),
    get("lkod:record", "read", DATASETS, "/lkod/datove-sady/{id}.jsonld", record="public",
        secret="never", states=PAGE_STATES),
    # the OAI-PMH provider (only public collection objects; the test site is test.ckan.net)
    get("oai:GetRecord", "read", ("collection_object",),
        "/oai?verb=GetRecord&metadataPrefix=lido&identifier=oai:test.ckan.net:{id}",
        record="public", secret="never"),
    get("oai:ListRecords", "read", ("collection_object",),
        "/oai?verb=ListRecords&metadataPrefix=edm", record="public", secret="never",
        collective=True),
    # bulk files, ZIPs and reports
    get("file:download_all.zip", "read", DATASETS, "/dataset/{id}/stahnout-vse.zip",
        record="read", seen="status", states=PAGE_STATES),
    get("file:indicators.csv", "read", ("indicator",), "/ukazatele/vse.csv", record="public",
        secret="never", collective=True),
    get("file:indicators.json", "read", ("indicator",), "/ukazatele/vse.json", record="public",
        secret="never", collective=True),
    get("file:indicators.zip", "read", ("indicator",), "/ukazatele/vse.zip", record="public",
        secret="never", collective=True),
    get("html:report_page", "read", ("report",), REPORT, record="public", seen="status"),
    get("html:report", "read", ("indicator", "project"), REPORT, record="public",
        secret="never", collective=True),
    get("file:report.json", "read", ("indicator", "project"), REPORT + ".json",
        record="public", secret="never", collective=True),
    # rendered once: the PDF is the JSON's content, the same for every visitor
    get("file:report.pdf", "read", ("indicator", "project"), REPORT + ".pdf", record="public",
        secret="never", collective=True, roles=("anonymous",)),
]

NOTES_PATCH = {"id": "{id}", "notes": "{notes}"}
PUBLIC = {"id": "{id}", "private": False}
PAGE_FORM = {"kind": "news", "title_cs": "{title}", "body_cs": "Nový text stránky."}
NEW_PAGE = {"slug": "{name}", **PAGE_FORM}
APPROVE = {"id": "{id}", "comment": "Schváleno."}
RETURN = {"id": "{id}", "comment": "Doplňte popis."}
ASKED = ("public", "private")  # create: asked to be public or private
CHANGES = [
    # create: a new record of A (the data comes from matrix_world.new_record)
    api("package_create", "create", NEW_OBJECTS, states=ASKED),
    inproc("harvest:package_create", "create", NEW_OBJECTS, "package_create", states=ASKED),
    api("smartregion_page_create", "create", ("page",), data=NEW_PAGE, states=("draft",)),
    post("html:page_new", "create", ("page",), "/stranky/novy", data=NEW_PAGE,
         states=("draft",)),
    # update
    api("package_patch", "update", ALL, data=NOTES_PATCH),
    inproc("harvest:package_patch", "update", DATASETS, "package_patch", data=NOTES_PATCH),
    api("package_revise", "update", ("dataset",),
        data={"match": {"id": "{id}"}, "update": {"notes": "{notes}"}}),
    api("resource_create", "update", ("dataset",),
        data={"package_id": "{id}", "url": "https://example.org/nova.csv", "name": "nova",
              "format": "CSV", **OPEN_TERMS}),
    api("datastore_upsert", "update", TABLES,
        data={**RESOURCE, "records": "{table_row}", "method": "upsert", "force": True}),
    # the steward's ZIP build that fetches linked files (issue 13, item 9)
    api("smartregion_downloads_build", "update", ("dataset",), data=ID),
    api("smartregion_indicator_values_upload", "update", ("indicator",),
        data={"id": "{id}", "records": [{"period": "2023", "value": 3}]}),
    get("html:edit_form", "update", ("dataset",), "/{type}/edit/{name}", seen="status"),
    get("html:values_upload_form", "update", ("indicator",), "/ukazatel/{code}/nahrat",
        seen="status"),
    api("smartregion_page_update", "update", ("page",), data={"id": "{slug}", **PAGE_FORM}),
    get("html:page_edit_form", "update", ("page",), "/stranky/{slug}/upravit", seen="status"),
    post("html:page_edit", "update", ("page",), "/stranky/{slug}/upravit", data=PAGE_FORM),
    # submit
    api("smartregion_review_submit", "submit", ALL, data=ID),
    post("html:review_submit", "submit", ("dataset",), "/sprava/dataset/{id}/odeslat"),
    api("smartregion_page_submit", "submit", ("page",), data={"id": "{slug}"}),
    post("html:page_submit", "submit", ("page",), "/stranky/{slug}/odeslat"),
    # publish
    api("package_patch:private", "publish", DATASETS, "package_patch", data=PUBLIC),
    inproc("harvest:package_patch:private", "publish", DATASETS, "package_patch", data=PUBLIC),
    api("package_revise:private", "publish", ("dataset",), "package_revise",
        data={"match": {"id": "{id}"}, "update": {"private": False}}),
    api("bulk_update_public", "publish", ("dataset", "collection_object"),
        data={"org_id": "{org_a}", "datasets": ["{id}"]}, requires="organization_update"),
    # issue 13, item 1: a type change is refused, so it never publishes
    api("package_patch:type", "publish", ("dataset", "indicator"), "package_patch",
        data={**PUBLIC, "type": "collection-object"}, requires="never"),
    # issue 13, item 2: moving needs approver rights in both organisations
    api("package_patch:move", "publish", ("dataset", "indicator"), "package_patch",
        data={**PUBLIC, "owner_org": "{org_c}"}, requires="approver_of_c", moves_to="C"),
    # a restore publishes again; whether CKAN 2.12 applies an allowed one varies (its
    # ignore_not_package_admin drops the state in some requests), so only refusals count
    api("package_patch:restore", "publish", DATASETS, "package_patch",
        data={"id": "{id}", "state": "active"}, states=("deleted",), refusals_only=True),
    api("smartregion_page_publish", "publish", ("page",), data={"id": "{slug}"}),
    post("html:page_publish", "publish", ("page",), "/stranky/{slug}/zverejnit"),
    post("html:report_publish", "publish", ("report",), REPORT + "/zverejnit"),
    # approve and return
    api("smartregion_review_approve", "approve", ALL, data=APPROVE),
    post("html:review_approve", "approve", ("dataset",), "/sprava/dataset/{id}/schvalit",
         data={"comment": APPROVE["comment"]}),
    api("smartregion_review_return", "return", ALL, data=RETURN),
    post("html:review_return", "return", ("dataset",), "/sprava/dataset/{id}/vratit",
         data={"comment": RETURN["comment"]}),
    api("smartregion_page_return", "return", ("page",),
        data={"id": "{slug}", "comment": RETURN["comment"]}),
    post("html:page_return", "return", ("page",), "/stranky/{slug}/vratit",
         data={"comment": RETURN["comment"]}),
    # delete
    api("package_delete", "delete", ALL, data=ID),
    inproc("harvest:package_delete", "delete", DATASETS, "package_delete", data=ID),
    api("bulk_update_delete", "delete", ("dataset",),
        data={"org_id": "{org_a}", "datasets": ["{id}"]}, requires="organization_update"),
    post("html:dataset_delete", "delete", ("dataset",), "/dataset/delete/{id}"),
]
# fmt: on
SURFACES = {surface.name: surface for surface in READS + CHANGES}
assert len(SURFACES) == len(READS) + len(CHANGES), "surface names are unique"
