"""The bulk write of a batch's new datasets (batch.py validated them): the same steps as
``package_create`` per dataset, in one transaction, with one Solr add request and the
follow-ups once per batch."""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass
from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan import logic, model
from ckan.lib import datapreview
from ckan.lib import plugins as lib_plugins
from ckan.lib.dictization import model_save
from ckan.lib.search import index as search_index
from ckanext.activity.model import Activity
from ckanext.harvest.model import HarvestObject

from ckanext.smartregion import bulk_dictize, clock
from ckanext.smartregion.review import links, policy
from ckanext.smartregion.review.links import DEFERRED_LINK_CHECK
from ckanext.smartregion.review.quality import scored_together
from ckanext.smartregion.search_index import documents as index_documents
from ckanext.smartregion.search_index import harvest_info as harvest_hook


@dataclass
class NewDataset:
    harvest_object: HarvestObject
    data: dict[str, Any]  # validated by the create schema
    package: model.Package | None = None


def write(new: list[NewDataset], context: dict) -> None:
    user = model.User.by_name(context["user"])
    save_context = {
        **context,
        "model": model,
        "session": model.Session,
        "auth_user_obj": user,
        DEFERRED_LINK_CHECK: True,  # one link-check job per batch (after_write)
    }
    now = clock.now()
    for item in new:
        item.data["creator_user_id"] = user.id
        # the look-ups of a new dataset's resources find nothing: they need not flush the
        # batch's earlier datasets first (one flush below sends all inserts); tags and groups
        # are looked up by name, so a dataset with them flushes the ones before it
        shared = item.data.get("tags") or item.data.get("groups")
        with nullcontext() if shared else model.Session.no_autoflush:
            item.package, _changed = model_save.package_dict_save(item.data, save_context, False)
        item.package.metadata_modified = now
    model.Session.flush()
    # the organisation memberships package_owner_org_update makes, in one statement (as ORM
    # objects each would cost a query when the session commits, for no observer)
    model.Session.execute(
        model.member_table.insert(),
        [
            {
                "table_id": item.package.id,
                "table_name": "package",
                "group_id": item.package.owner_org,
                "capacity": "organization",
                "state": "active",
            }
            for item in new
        ],
    )
    controllers = list(p.PluginImplementations(p.IPackageController))
    for item in new:
        item.data["id"] = item.package.id
        for index, resource in enumerate(item.data.get("resources", [])):
            resource["id"] = item.package.resources[index].id
        for controller in controllers:
            controller.create(item.package)
            controller.after_dataset_create(save_context, item.data)
        if item.data.get("resources"):
            datapreview.add_views_to_dataset_resources(
                tk.fresh_context(save_context, ignore_auth=True), item.data, view_types=[]
            )
        harvest_object = item.harvest_object
        harvest_object.package_id = item.package.id
        harvest_object.current = True
    model.Session.flush()
    labels = lib_plugins.get_permission_labels()
    documents: list[tuple[dict, dict]] = []
    source = new[0].harvest_object.source
    harvest_info = {
        item.package.id: (item.harvest_object.id, source.id, source.title) for item in new
    }
    shown = bulk_dictize.package_show_dicts(
        {**save_context, "for_view": False}, [item.package for item in new]
    )
    for item, (default, custom) in zip(new, shown, strict=True):
        documents.append((default, custom))
        model.Session.add(
            Activity(
                user_id=user.id,
                object_id=item.package.id,
                activity_type="new package",
                data={"package": custom, "actor": user.name},
                permission_labels=labels.get_dataset_labels(item.package),
            )
        )
    _index(documents, harvest_info)
    model.Session.commit()


def after_write(new: list[NewDataset], context: dict) -> None:
    """The stored batch's follow-ups: the review state of the datasets that start private
    (pending, as package_create records it for a harvest) and ONE link-check job."""
    ids = [item.package.id for item in new]
    if not p.plugin_loaded("smartregion_review"):
        return
    private = [item.package.id for item in new if item.data.get("private")]
    if private:
        policy.record_pending(private, context.get("user"))
    links.request_link_checks(ids)


def _index(
    documents: list[tuple[dict, dict]], harvest_info: dict[str, tuple[str, str, str]]
) -> None:
    """CKAN's own index documents (index_package, with every before_dataset_index hook), sent
    in one add request without a commit; the harvest hook answered from the batch, the
    quality scores the review plugin's hook computes stored together."""
    built = index_documents.Documents()
    with (
        index_documents.collected(built),
        harvest_hook.answered_by(dict(harvest_info)),
        scored_together(),
    ):
        for both in documents:
            logic.index_update_package_dicts(both, defer_commit=True)
    if built.docs:
        search_index.make_connection().add(docs=built.docs, commit=False)
