"""CKAN's package_show_default_and_custom_schemas for many datasets at once (bulk imports).

Why: package_show dictizes a dataset with ~7 queries (dataset, resources, tags, groups, owner
organisation, relationships both ways); a batch of 100 costs 700. Here each related table is
read ONCE for the list (``WHERE ... IN``), grouped per dataset and handed to CKAN's own dictize
helpers, hooks and plugin_validate (default and custom show schema) as package_show
(use_cache=False, validate=False) runs them: only the queries are batched, and the default
show schema's name query, whose only effect there is an error package_show discards, is left
out. Still per dataset, as in CKAN: group_dictize's member count per group.
tests/test_bulk_dictize.py compares whole results with CKAN's function: it guards this module
against CKAN changes to package_dictize or package_show.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan import logic, model
from ckan.lib import plugins as lib_plugins
from ckan.lib.dictization import model_dictize, obj_list_dictize, table_dictize
from ckan.logic.schema import default_show_package_schema
from sqlalchemy import Select, false, select
from sqlalchemy.engine import Row

_OWNER = "smartregion_owner_id"  # the grouping column of a join, dropped before dictizing
_Rows = dict[str, list[Row]]
_Related = dict[str, _Rows]
_Pair = tuple[dict[str, Any], dict[str, Any]]  # (default-schema dict, custom-schema dict)


def package_show_dicts(context: dict[str, Any], packages: list[model.Package]) -> list[_Pair]:
    """For each package, in order, what ``package_show_default_and_custom_schemas(context,
    package.id)`` returns: (default-schema dict, custom-schema dict)."""
    if not packages:
        return []
    org_ids = {pkg.owner_org for pkg in packages if pkg.owner_org}
    related = _related_rows([pkg.id for pkg in packages], org_ids)
    # The context package_show would hold: fresh, prepopulated, auth user looked up once.
    base = logic.fresh_context(context, ignore_auth=True, use_cache=False, validate=False)
    logic.check_access("package_show", base, {})
    base["session"] = model.Session
    schemas = _ShowSchemas()
    return [
        _show({**base, "__auth_audit": [], "package": pkg}, pkg, related, schemas)
        for pkg in packages
    ]


class _ShowSchemas:
    """The batch's show schemas, built once (building them was 6 % of a reindex's CPU,
    cProfile 2026-12): the default one (navl's validate leaves a schema as it is) and each
    dataset type's own, of which every dataset gets a copy (scheming's validate writes its
    fields into the schema it is given)."""

    def __init__(self) -> None:
        self.default = default_show_package_schema()
        self.without_name_query = _without_name_query(self.default)
        self._custom: dict[str, tuple[Any, dict[str, Any]]] = {}

    def custom(self, dataset_type: str) -> tuple[Any, dict[str, Any]]:
        """The type's package plugin and a copy of its show schema."""
        if dataset_type not in self._custom:
            plugin = lib_plugins.lookup_package_plugin(dataset_type)
            self._custom[dataset_type] = (plugin, plugin.show_package_schema())
        plugin, schema = self._custom[dataset_type]
        return plugin, copy_schema(schema)


def copy_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """The schema's dicts and lists copied, the validators shared."""
    copied: dict[str, Any] = {}
    for key, value in schema.items():
        if isinstance(value, dict):
            value = copy_schema(value)
        copied[key] = list(value) if isinstance(value, list) else value
    return copied


def _show(
    context: dict[str, Any], pkg: model.Package, related: _Related, schemas: _ShowSchemas
) -> _Pair:
    pkg_dict = _package_dictize(context, pkg, related)
    for controller in p.PluginImplementations(p.IPackageController):
        controller.read(pkg)
    for resource_controller in p.PluginImplementations(p.IResourceController):
        for resource_dict in pkg_dict["resources"]:
            resource_controller.before_resource_show(resource_dict)
    with_default, _errors = lib_plugins.plugin_validate(
        object(), context, pkg_dict, schemas.without_name_query, "package_show"
    )
    package_plugin, custom_schema = schemas.custom(pkg_dict["type"])
    with_custom = with_default
    if custom_schema != schemas.default:
        with_custom, _errors = lib_plugins.plugin_validate(
            package_plugin, context, pkg_dict, custom_schema, "package_show"
        )
    logic.apply_after_dataset_show_plugins(context, with_custom)
    return with_default, with_custom


def _without_name_query(schema: dict[str, Any]) -> dict[str, Any]:
    """The default show schema without package_name_validator: in package_show it only
    queries whether another dataset has the name and adds an error, which package_show
    discards (for a name of valid length, as every stored one is); the query was 13 % of
    a batch import."""
    name_query = tk.get_validator("package_name_validator")
    return {**schema, "name": [v for v in schema.get("name", []) if v is not name_query]}


def _package_dictize(
    context: dict[str, Any], pkg: model.Package, related: _Related
) -> dict[str, Any]:
    """model_dictize.package_dictize (include_plugin_data=False) on the pre-read rows."""
    result = table_dictize(pkg, context)
    if result.get("title"):
        result["title"] = result["title"].strip()
    result.pop("plugin_data", None)
    result["resources"] = model_dictize.resource_list_dictize(
        related["resources"].get(pkg.id, []), context
    )
    result["num_resources"] = len(result["resources"])
    result["tags"] = obj_list_dictize(related["tags"].get(pkg.id, []), context, lambda x: x["name"])
    result["num_tags"] = len(result["tags"])
    for tag_dict in result["tags"]:
        tag_dict["display_name"] = tag_dict["name"]
    result["extras"] = [{"key": k, "value": v} for k, v in (result["extras"] or {}).items()]
    context["with_capacity"] = False
    result["groups"] = model_dictize.group_list_dictize(
        related["groups"].get(pkg.id, []), context, with_package_counts=False
    )
    organizations = obj_list_dictize(related["organizations"].get(pkg.owner_org or "", []), context)
    result["organization"] = organizations[0] if organizations else None
    if organizations:
        del result["organization"]["extras"]
    for kind in ("relationships_as_subject", "relationships_as_object"):
        result[kind] = obj_list_dictize(related[kind].get(pkg.id, []), context)
    result["isopen"] = pkg.isopen()
    result["type"] = pkg.type or "dataset"
    if pkg.license and pkg.license.url:
        result["license_url"] = pkg.license.url
        result["license_title"] = pkg.license.title.split("::")[-1]
    elif pkg.license:
        result["license_title"] = pkg.license.title
    else:
        result["license_title"] = pkg.license_id
    result["metadata_modified"] = pkg.metadata_modified.isoformat()
    result["metadata_created"] = pkg.metadata_created.isoformat() if pkg.metadata_created else None
    return result


def _related_rows(ids: list[str], org_ids: set[str]) -> _Related:
    """package_dictize's queries for all the datasets, rows grouped by dataset (organisations
    by id)."""
    res, tag, pkg_tag = model.resource_table, model.tag_table, model.package_tag_table
    member, group, rel = model.member_table, model.group_table, model.package_relationship_table
    tags = (
        select(tag, pkg_tag.c["state"], pkg_tag.c["package_id"].label(_OWNER))
        .join(pkg_tag, tag.c["id"] == pkg_tag.c["tag_id"])
        .where(pkg_tag.c["package_id"].in_(ids))
    )
    groups = (
        select(group, member.c["capacity"], member.c["table_id"].label(_OWNER))
        .join(member, group.c["id"] == member.c["group_id"])
        .where(member.c["table_id"].in_(ids), member.c["state"] == "active")
        .where(group.c["is_organization"] == false())
    )
    orgs = select(group).where(group.c["id"].in_(org_ids), group.c["state"] == "active")
    relationships = {
        "relationships_as_subject": "subject_package_id",
        "relationships_as_object": "object_package_id",
    }
    return {
        "resources": _grouped(select(res).where(res.c["package_id"].in_(ids)), "package_id"),
        "tags": _grouped(tags, _OWNER),
        "groups": _grouped(groups, _OWNER),
        "organizations": _grouped(orgs, "id"),
        **{
            kind: _grouped(select(rel).where(rel.c[column].in_(ids)), column)
            for kind, column in relationships.items()
        },
    }


def _grouped(query: Select[Any], key: str) -> _Rows:
    """The rows by their ``key`` column, without _OWNER (table_dictize would keep it)."""
    frozen = model.Session.execute(query).freeze()
    keep = [i for i, name in enumerate(frozen().keys()) if name != _OWNER]
    grouped: _Rows = defaultdict(list)
    for owner, row in zip(frozen().scalars(key), frozen().columns(*keep), strict=True):
        grouped[owner].append(row)
    return grouped
