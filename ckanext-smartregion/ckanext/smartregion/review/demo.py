"""Demo content of the review workflow: one sample dataset waiting for review, so the
steward dashboard (/sprava) has something to show. Skipped when datasets are out of scope."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.smartregion.organizations import coordinator_organization, site_context
from ckanext.smartregion.review import policy

PENDING_SAMPLE = "ukazka-ceka-na-schvaleni"


def load(outcome: Counter, progress: Callable[[str], Any] = lambda _: None) -> None:
    owner_org = coordinator_organization()
    if not policy.needs_review(owner_org, "dataset"):
        return
    try:
        tk.get_action("package_show")(site_context(), {"id": PENDING_SAMPLE})
        outcome["updated"] += 1  # left as the stewards left it
        return
    except tk.ObjectNotFound:
        pass
    dataset = tk.get_action("package_create")(
        site_context(),
        {
            "type": "dataset",
            "name": PENDING_SAMPLE,
            "title": "Nabíjecí stanice pro elektromobily (ukázka, čeká na schválení)",
            "notes": "Ukázková datová sada, která čeká na schválení garantem; není veřejná.",
            "owner_org": owner_org,
            "private": True,
            "tags": [{"name": "elektromobilita"}],
            "themes": ["ENER", "TRAN"],
            "frequency": "ANNUAL",
            "is_sample_data": True,
        },
    )
    policy.set_state(dataset["id"], "pending", site_context()["user"], "Ukázka / sample")
    outcome["created"] += 1
    progress("  1 sample dataset pending review (see /sprava)")
