"""Review actions (smartregion_review_*) and the chained core actions that keep datasets in
scope private until an approver approves them."""

from __future__ import annotations

from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.smartregion.review import activity, badge, listing, policy

INTERNAL = "smartregion_review_internal"  # context flag: a review action changes visibility


def _package(data_dict: dict[str, Any]) -> model.Package:
    package = model.Package.get(tk.get_or_bust(data_dict, "id"))
    if package is None or package.state == "deleted":
        raise tk.ObjectNotFound(f"Dataset {data_dict['id']!r} not found")
    return package


def _require_scope(package: model.Package) -> None:
    if not policy.needs_review(package.owner_org, package.type):
        raise tk.ValidationError(
            {"id": [f"{package.name} is not in the review scope; publish it by editing it"]}
        )


def _current(package: model.Package) -> str:
    current = policy.state_of(package.id)
    if current is not None:
        return current.state
    return "draft" if package.private else "approved"


def _set_private(context: dict[str, Any], package: model.Package, private: bool) -> None:
    if package.private != private:
        tk.get_action("package_patch")(
            {"user": context["user"], INTERNAL: True}, {"id": package.id, "private": private}
        )


def _answer(package: model.Package) -> dict[str, Any]:
    current = policy.state_of(package.id)
    return {
        "id": package.id,
        "name": package.name,
        "state": _current(package),
        "private": package.private,
        "comment": current.comment if current is not None else None,
        "in_scope": policy.needs_review(package.owner_org, package.type),
        "history": policy.history(package.id),
    }


def smartregion_review_submit(context: dict, data_dict: dict[str, Any]) -> dict[str, Any]:
    """Submits a draft or returned dataset for review (pending).

    :param id: the dataset's id or name
    """
    package = _package(data_dict)
    tk.check_access("smartregion_review_submit", context, {"id": package.id})
    _require_scope(package)
    state = _current(package)
    if state not in ("draft", "returned"):
        raise tk.ValidationError(
            {"id": [f"{package.name} is {state}; only a draft or returned dataset is submitted"]}
        )
    policy.set_state(package.id, "pending", context["user"])
    return _answer(package)


def smartregion_review_approve(context: dict, data_dict: dict[str, Any]) -> dict[str, Any]:
    """Approves a dataset: it becomes public.

    :param id: the dataset's id or name
    :param comment: optional note for the stewards
    """
    package = _package(data_dict)
    tk.check_access("smartregion_review_approve", context, {"id": package.id})
    _require_scope(package)
    if _current(package) == "approved" and not package.private:
        raise tk.ValidationError({"id": [f"{package.name} is already approved and public"]})
    _set_private(context, package, False)
    policy.set_state(package.id, "approved", context["user"], data_dict.get("comment"))
    return _answer(model.Package.get(package.id))


def smartregion_review_return(context: dict, data_dict: dict[str, Any]) -> dict[str, Any]:
    """Returns a dataset to its stewards with a comment; it stays (or becomes) private.

    :param id: the dataset's id or name
    :param comment: what the stewards should fix (required)
    """
    package = _package(data_dict)
    tk.check_access("smartregion_review_return", context, {"id": package.id})
    _require_scope(package)
    comment = (data_dict.get("comment") or "").strip()
    if not comment:
        raise tk.ValidationError(
            {"comment": ["Napište, co má správce opravit / Say what the stewards should fix"]}
        )
    if _current(package) not in ("pending", "approved"):
        raise tk.ValidationError(
            {"id": [f"{package.name} is {_current(package)}; only pending or approved returns"]}
        )
    _set_private(context, package, True)
    policy.set_state(package.id, "returned", context["user"], comment)
    return _answer(model.Package.get(package.id))


@tk.side_effect_free
def smartregion_review_show(context: dict, data_dict: dict[str, Any]) -> dict[str, Any]:
    """The dataset's review state, the last comment and its history (who, when, comment).

    :param id: the dataset's id or name
    """
    package = _package(data_dict)
    tk.check_access("smartregion_review_show", context, {"id": package.id})
    return _answer(package)


@tk.side_effect_free
def smartregion_review_list(context: dict, data_dict: dict[str, Any]) -> dict[str, Any]:
    """Datasets in review the caller curates (sysadmins: all), newest change first.

    :param state: draft, pending, approved or returned (default: all)
    :param organization: an organisation's id or name
    :param limit: page size (default 50, at most 500)
    :param offset: rows to skip
    :param count_limit: count at most this many rows (``count_more`` says there are more)
    """
    tk.check_access("smartregion_review_list", context, data_dict)
    return listing.review_list(context["user"], data_dict)


def _dataset_types() -> set[str]:
    """The types a dataset form plugin declares (scheming's YAML types, harvest sources)."""
    declared = {
        name
        for plugin in p.PluginImplementations(p.IDatasetForm)
        for name in plugin.package_types()
    }
    return declared | {"dataset"}


@tk.chained_action
def package_create(up: Any, context: dict, data_dict: dict[str, Any]) -> Any:
    """Creates datasets in scope private (draft) unless an approver creates them public.
    A type no plugin declares is refused: CKAN would store it with the default schema,
    outside every review scope."""
    owner_org, dataset_type = data_dict.get("owner_org"), data_dict.get("type") or "dataset"
    if dataset_type not in _dataset_types():
        known = ", ".join(sorted(_dataset_types()))
        raise tk.ValidationError(
            {"type": [tk._("Unknown type {0}; use one of: {1}").format(dataset_type, known)]}
        )
    if not policy.needs_review(owner_org, dataset_type):
        return up(context, data_dict)
    user = context.get("user")
    harvest = policy.in_harvest(context)
    approver = not harvest and policy.is_approver(user, owner_org)
    if not approver:
        data_dict["private"] = True
    private = tk.asbool(data_dict.get("private", False))
    result = up(context, data_dict)
    package_id = result if isinstance(result, str) else result["id"]
    if harvest:
        state, comment = "pending", "Sklizeno / harvested"
    else:
        state, comment = ("draft", None) if private else ("approved", None)
    policy.set_state(package_id, state, user, comment, commit=not context.get("defer_commit"))
    return result


def _refuse_type_change(package: model.Package, data_dict: dict[str, Any]) -> None:
    """CKAN keeps the stored type whatever is sent; a different one is refused, so that
    nothing (the review scope least of all) is ever decided from it."""
    sent = data_dict.get("type")
    if sent and sent != package.type:
        raise tk.ValidationError(
            {
                "type": [
                    tk._(
                        "{name} is a {stored}; its type cannot change to {sent}. Send "
                        "{stored} or leave the type out, or create a new record instead"
                    ).format(name=package.name, stored=package.type, sent=sent)
                ]
            }
        )


def _requested_organization(package: model.Package, data_dict: dict[str, Any]) -> str | None:
    """The id of the organisation the update moves the dataset to (the stored one when it
    stays); an unknown one is left to CKAN's owner_org validator to refuse."""
    sent = data_dict.get("owner_org")
    if not sent:
        return package.owner_org
    group = model.Group.get(sent)
    return group.id if group is not None else package.owner_org


def _refuse_restore(context: dict[str, Any], package: model.Package) -> None:
    """Restoring a deleted dataset in review publishes it again: only an approver may, as
    only an approver may publish (a harvest's restore stays private and pending)."""
    if not policy.in_harvest(context):
        raise tk.NotAuthorized(
            tk._(
                "Only an approver of the organisation may restore the deleted dataset {name}: "
                "ask the organisation's approver (garant or coordinator) to restore it."
            ).format(name=package.name)
        )


@tk.chained_action
def package_update(up: Any, context: dict, data_dict: dict[str, Any]) -> Any:
    """Keeps datasets in scope private until an approver approves them. Everything is
    decided from the stored dataset: its type (a different type is refused) and its
    organisation. Moving a dataset to another organisation takes an approver of every
    organisation involved in which it needs review; anyone else's move sends it back to
    private and pending, so the approver of the organisation it lands in reviews it (an
    editor who administers the other organisation could otherwise approve it there and move
    it back published)."""
    package = model.Package.get(data_dict.get("id") or data_dict.get("name") or "")
    if package is None or context.get(INTERNAL):
        return up(context, data_dict)
    _refuse_type_change(package, data_dict)
    stored_org, new_org = package.owner_org, _requested_organization(package, data_dict)
    reviewed_in = [
        org
        for org in dict.fromkeys((stored_org, new_org))
        if policy.needs_review(org, package.type)
    ]
    if not reviewed_in:
        return up(context, data_dict)
    user = context.get("user")
    was_private, moved = package.private, new_org != stored_org
    approver = not policy.in_harvest(context) and all(
        policy.is_approver(user, org) for org in reviewed_in
    )
    restored = package.state == "deleted" and data_dict.get("state") == "active"
    if restored and not approver:
        _refuse_restore(context, package)
        was_private = True  # a harvest brings a withdrawn record back private and pending
    if (was_private or moved) and not approver:
        data_dict["private"] = True  # stewards and harvesters cannot publish it
    result = up(context, data_dict)
    now_private = model.Package.get(package.id).private
    commit = not context.get("defer_commit")
    if (moved or restored) and not approver:
        policy.set_state(package.id, "pending", user, commit=commit)
    elif approver and was_private and not now_private:
        policy.set_state(package.id, "approved", user, commit=commit)
    elif not was_private and now_private:
        policy.set_state(package.id, "draft", user, commit=commit)
    return result


@tk.chained_action
def bulk_update_public(up: Any, context: dict, data_dict: dict[str, Any]) -> Any:
    user = context.get("user")
    refused, approved = [], []
    for package_id in data_dict.get("datasets") or []:
        package = model.Package.get(package_id)
        if package is None or not package.private:
            continue
        if policy.needs_review(package.owner_org, package.type):
            (approved if policy.is_approver(user, package.owner_org) else refused).append(package)
    if refused:
        raise tk.NotAuthorized(
            "Schválit a zveřejnit je může jen schvalovatel / only an approver may publish: "
            + ", ".join(package.name for package in refused)
        )
    result = up(context, data_dict)
    for package in approved:
        policy.set_state(package.id, "approved", user)
    return result


@tk.chained_action
def package_delete(up: Any, context: dict, data_dict: dict[str, Any]) -> Any:
    """A deleted dataset's earlier public activities stop being public (review.activity)."""
    result = up(context, data_dict)
    package = model.Package.get(data_dict.get("id") or "")
    if package is not None:
        activity.withdraw(package.id)
        if not context.get("defer_commit"):
            model.repo.commit()
    return result


def _readable(context: dict, item: dict[str, Any]) -> bool:
    """CKAN filters a dataset's activities by permission labels only when their type ends in
    "package"; others about a dataset (e.g. "new resource view", no labels) showed a private
    or deleted dataset's name to anyone. Those are shown to whoever may read the dataset."""
    if (item.get("activity_type") or "").endswith("package"):
        return True
    package = model.Package.get(item.get("object_id") or "")
    if package is None:
        return True  # an activity of a user, organisation or group
    try:
        tk.check_access("package_show", {"user": context.get("user")}, {"id": package.id})
    except tk.NotAuthorized:
        return False
    return True


def _readable_only(up: Any, context: dict, data_dict: dict[str, Any]) -> Any:
    return [item for item in up(context, data_dict) if _readable(context, item)]


@tk.chained_action
@tk.side_effect_free
def organization_activity_list(up: Any, context: dict, data_dict: dict[str, Any]) -> Any:
    return _readable_only(up, context, data_dict)


@tk.chained_action
@tk.side_effect_free
def group_activity_list(up: Any, context: dict, data_dict: dict[str, Any]) -> Any:
    return _readable_only(up, context, data_dict)


@tk.chained_action
@tk.side_effect_free
def user_activity_list(up: Any, context: dict, data_dict: dict[str, Any]) -> Any:
    return _readable_only(up, context, data_dict)


@tk.chained_action
def dashboard_mark_activities_old(up: Any, context: dict, data_dict: dict[str, Any]) -> Any:
    """The header badge counts afresh once the user has seen the dashboard."""
    result = up(context, data_dict)
    user = model.User.get(context.get("user") or "")
    if user is not None:
        badge.forget(user.id)
    return result
