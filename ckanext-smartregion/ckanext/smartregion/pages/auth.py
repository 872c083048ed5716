"""Auth functions of the content pages (registered by the pages plugin)."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.smartregion.pages import roles

Context = dict[str, Any]


def _result(allowed: bool, message: str) -> dict[str, Any]:
    return {"success": True} if allowed else {"success": False, "msg": message}


def _steward(context: Context) -> dict[str, Any]:
    return _result(
        roles.is_steward(context.get("user")),
        tk._("Only data stewards (editors of an organisation) may write content pages"),
    )


def _coordinator(context: Context) -> dict[str, Any]:
    return _result(
        roles.is_coordinator(context.get("user")),
        tk._("Only the plan's coordinator may publish or return content pages"),
    )


def smartregion_page_create(context: Context, data_dict: dict[str, Any]) -> dict[str, Any]:
    return _steward(context)


def smartregion_page_update(context: Context, data_dict: dict[str, Any]) -> dict[str, Any]:
    return _steward(context)


def smartregion_page_submit(context: Context, data_dict: dict[str, Any]) -> dict[str, Any]:
    return _steward(context)


def smartregion_page_publish(context: Context, data_dict: dict[str, Any]) -> dict[str, Any]:
    return _coordinator(context)


def smartregion_page_return(context: Context, data_dict: dict[str, Any]) -> dict[str, Any]:
    return _coordinator(context)


def smartregion_page_revisions(context: Context, data_dict: dict[str, Any]) -> dict[str, Any]:
    return _steward(context)


@tk.auth_allow_anonymous_access
def smartregion_page_show(context: Context, data_dict: dict[str, Any]) -> dict[str, Any]:
    """Anyone; the action itself gives others than stewards only the published text."""
    return {"success": True}


@tk.auth_allow_anonymous_access
def smartregion_page_list(context: Context, data_dict: dict[str, Any]) -> dict[str, Any]:
    return {"success": True}
