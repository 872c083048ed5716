"""Actions of the portal (registered by the blanket in plugin.py)."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.smartregion import taxonomy


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
        raise tk.ValidationError({"section": [f"Unknown section; use one of: {', '.join(everything)}"]})
    return {section: everything[section]}
