"""Fixtures of the review tests: an organisation with a steward (editor) and an approver
(admin), the review scope switched on, and a valid open dataset made by a given user."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from ckan.tests import factories as ckan_factories
from ckan.tests.helpers import call_action

from tests import factories

SCOPE = pytest.mark.ckan_config("ckanext.smartregion.review.dataset_types", "dataset")


@dataclass
class Team:
    organization: dict[str, Any]
    steward: dict[str, Any]
    approver: dict[str, Any]
    outsider: dict[str, Any]
    sysadmin: dict[str, Any]


@pytest.fixture
def team(clean_db, clean_index) -> Team:
    steward, approver, outsider = (ckan_factories.User() for _ in range(3))
    organization = ckan_factories.Organization(
        users=[
            {"name": steward["name"], "capacity": "editor"},
            {"name": approver["name"], "capacity": "admin"},
        ]
    )
    return Team(organization, steward, approver, outsider, ckan_factories.Sysadmin())


def as_user(user: dict[str, Any] | str) -> dict[str, Any]:
    """An action context of user with auth checked (call_action skips it by default)."""
    return {"user": user if isinstance(user, str) else user["name"], "ignore_auth": False}


def new_dataset(team: Team, user: dict[str, Any], **fields: Any) -> dict[str, Any]:
    """An open dataset of the team's organisation created by user through package_create."""
    data = {
        "type": "dataset",
        "name": fields.pop("name", f"sada-{ckan_factories.fake.uuid4()[:8]}"),
        "title": f"Průjezdy vozidel {ckan_factories.fake.uuid4()[:12]}",
        "notes": "Počty průjezdů vozidel sčítacími místy.",
        "owner_org": team.organization["id"],
        "tags": [{"name": "doprava"}],
        "themes": ["TRAN"],
        "frequency": "ANNUAL",
        **fields,
    }
    return call_action("package_create", context=as_user(user), **data)


def review(action: str, user: dict[str, Any] | str, **data: Any) -> dict[str, Any]:
    return call_action(f"smartregion_review_{action}", context=as_user(user), **data)


def web_user(user: dict[str, Any]) -> dict[str, str]:
    """Request headers that authenticate as user with a fresh API token."""
    token = call_action("api_token_create", context=as_user(user), user=user["name"], name="t")
    return {"Authorization": token["token"]}


__all__ = ["SCOPE", "Team", "as_user", "factories", "new_dataset", "review", "web_user"]
