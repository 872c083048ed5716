"""A steward's fix outlives the next harvest: where the source still lacks a value (the
harvest's issue names the field), the dataset keeps the steward's; once the source carries a
value, the source's wins (docs/harvest-quality.md)."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.smartregion.harvesters.record_issues import RecordIssues
from ckanext.smartregion.review import issues as stored_issues

# Fields a steward may fill when the source lacks them; the next harvest keeps the steward's
# value unless the source now carries one (its issue then names the field).
STEWARD_FIELDS = ("title", "notes", "contact_name", "contact_email")


def keep(package_id: str, dataset: dict[str, Any], issues: RecordIssues) -> None:
    """Where this harvest found a field missing (or stood a value in) and the dataset has a
    value of its own there (a steward's fix), the dataset keeps it and the issue goes."""
    current = tk.get_action("package_show")({"ignore_auth": True}, {"id": package_id})
    kept: list[dict[str, Any]] = []
    for issue in issues.items:
        field_name, kind = issue["field"], issue.get("kind")
        mine = current.get(field_name)
        steward_value = kind == "missing" or mine != issue.get("value")
        if (
            field_name in STEWARD_FIELDS
            and mine
            and kind in ("missing", "substituted")
            and steward_value
        ):
            dataset[field_name] = mine
            continue
        if field_name == "tag_string" and current.get("tags"):
            dataset["tags"] = [{"name": t["name"]} for t in current["tags"]]
            continue
        if field_name == "themes" and set(current.get("themes") or []) - {"OP_DATPRO"}:
            dataset["themes"] = current["themes"]
            continue
        if field_name == stored_issues.TERMS and _keep_terms(current, dataset):
            continue
        kept.append(issue)
    issues.items[:] = kept


def _keep_terms(current: dict[str, Any], dataset: dict[str, Any]) -> bool:
    """Distributions without terms of use take a steward's, matched by URL; True when every
    distribution then has all four parts."""
    parts = stored_issues.TERMS_PARTS
    by_url = {
        r.get("url"): r for r in current.get("resources") or [] if all(r.get(p) for p in parts)
    }
    for resource in dataset.get("resources") or []:
        if all(resource.get(p) for p in parts):
            continue
        mine = by_url.get(resource.get("url"))
        if mine is None:
            return False
        for key in (*parts, "terms_author", "terms_database_author"):
            if mine.get(key):
                resource[key] = mine[key]
    return True
