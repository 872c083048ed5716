"""Actions of the portal (registered by the blanket in plugin.py)."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.smartregion.plan import taxonomy


@tk.side_effect_free
def smartregion_taxonomy_show(context: dict, data_dict: dict[str, Any]) -> dict[str, Any]:
    """The action plan's structure: strategic goals, priority areas, horizontal projects,
    specific objectives, activity areas and pilot projects, each named in Czech and English.

    :param section: optional; return only this section (e.g. ``specific_objectives``)
    """
    tk.check_access("smartregion_taxonomy_show", context, data_dict)
    everything = taxonomy.get().as_dict()
    section = data_dict.get("section")
    if section is None:
        return everything
    if section not in everything:
        raise tk.ValidationError(
            {"section": [f"Unknown section; use one of: {', '.join(everything)}"]}
        )
    return {section: everything[section]}


def smartregion_indicator_values_upload(context: dict, data_dict: dict[str, Any]) -> dict[str, Any]:
    """Adds or corrects an indicator's values, all or nothing.

    :param id: the indicator's id or name
    :param upload: a CSV (UTF-8, comma or semicolon) or XLSX file with columns period, value
        and optionally dimension, category (or one breakdown column such as okres), note,
        source, sample; or
    :param records: the same rows as a list of JSON objects
    :returns: ``{"resource_id": ..., "rows": N, "progress": {...}}``; a bad row refuses the
        whole upload with a ValidationError whose ``rows`` name each bad row and the fix
    """
    from ckan.lib.search import rebuild

    from ckanext.smartregion.indicators import bulk, summary, values

    indicator = tk.get_action("package_show")(context, {"id": tk.get_or_bust(data_dict, "id")})
    if indicator["type"] != "indicator":
        raise tk.ValidationError(
            {"id": [f"{indicator['name']} is a {indicator['type']}, not an indicator"]}
        )
    tk.check_access("package_update", context, {"id": indicator["id"]})
    upload = data_dict.get("upload")
    if upload is not None and hasattr(upload, "read"):
        rows, first_row = (
            values.read_upload(getattr(upload, "filename", "") or "", upload.read()),
            2,
        )
    elif isinstance(data_dict.get("records"), list):
        rows, first_row = data_dict["records"], 1
    else:
        raise tk.ValidationError(
            {"upload": ["Send a CSV or XLSX file as upload, or a list of records"]}
        )
    records = values.normalise_rows(rows, bool(indicator.get("is_sample_data")), first_row)
    written = values.write({**context, "ignore_auth": True}, indicator, records)
    rebuild(indicator["id"])  # the status is computed at indexing: refresh it now
    bulk.request_rebuild()
    refreshed = tk.get_action("package_show")(
        {**context, "ignore_auth": True}, {"id": indicator["id"]}
    )
    return {**written, "progress": summary.summarize(refreshed).as_dict()}


@tk.side_effect_free
def smartregion_indicator_values(context: dict, data_dict: dict[str, Any]) -> dict[str, Any]:
    """Values of the indicators the caller may see, with their metadata, as JSON.

    :param codes: indicator codes (list or comma-separated), e.g. ``2.1-01,3.2-01``
    :param objective: a specific objective code, e.g. ``2.1``
    :param area: an activity area code, e.g. ``5``
    :param period_from: first period (inclusive), e.g. ``2023`` or ``2023-01``
    :param period_to: last period (inclusive)
    :param dimension: a breakdown dimension (e.g. ``okres``); ``""`` for totals only
    :param category: a breakdown category (e.g. ``Liberec``)
    """
    from ckanext.smartregion.indicators import query

    tk.check_access("smartregion_indicator_values", context, data_dict)
    return query.indicator_values(context, data_dict)
