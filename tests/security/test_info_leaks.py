"""Messages that could reveal records the user may not read: a uniqueness error names the
other record only to a user who may read it."""

from __future__ import annotations

import pytest
from ckan.plugins import toolkit as tk
from ckan.tests import factories as ckan_factories
from ckan.tests.helpers import call_action

from tests import factories

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index")


def _editor_of(organization: dict | None = None) -> tuple[dict, dict]:
    user = ckan_factories.User()
    member = {"name": user["name"], "capacity": "editor"}
    if organization is None:
        return user, ckan_factories.Organization(users=[member])
    call_action(
        "organization_member_create",
        id=organization["id"],
        username=user["name"],
        role="editor",
    )
    return user, organization


def _create_errors(user: dict, **data) -> dict[str, list[str]]:
    with pytest.raises(tk.ValidationError) as error:
        call_action("package_create", context={"user": user["name"], "ignore_auth": False}, **data)
    return error.value.error_dict


@pytest.fixture
def secret_indicator() -> dict:
    return factories.Indicator(
        indicator_code="2.1-01",
        name="tajny-ukazatel-kraje",
        title="Tajný ukazatel kraje",
        private=True,
        owner_org=ckan_factories.Organization()["id"],
    )


def test_a_taken_indicator_code_does_not_name_another_organizations_private_indicator(
    secret_indicator,
):
    editor, own = _editor_of()
    stub = factories.Indicator.stub().__dict__

    errors = _create_errors(editor, **stub | {"indicator_code": "2.1-01", "owner_org": own["id"]})

    message = " ".join(errors["indicator_code"])
    assert "tajny-ukazatel-kraje" not in message
    assert "Tajný" not in message
    assert message == "Code 2.1-01 is already taken; choose another code"


def test_a_taken_indicator_code_names_the_indicator_to_a_user_who_may_read_it(
    secret_indicator,
):
    organization = call_action("organization_show", id=secret_indicator["owner_org"])
    editor, _ = _editor_of(organization)
    stub = factories.Indicator.stub().__dict__

    errors = _create_errors(
        editor, **stub | {"indicator_code": "2.1-01", "owner_org": organization["id"]}
    )

    assert errors["indicator_code"] == [
        "Code 2.1-01 is already used by indicator tajny-ukazatel-kraje; choose another"
    ]


def test_a_used_inventory_number_does_not_name_a_private_object_of_another_institution():
    museum = ckan_factories.Organization()
    factories.CollectionObject(
        inventory_number="H-1", owner_org=museum["id"], name="tajna-sbirka", private=True
    )
    editor, own = _editor_of()
    mine = factories.CollectionObject(inventory_number="G-1", owner_org=own["id"])

    # The editor moves their object into the museum, where they may not write, with the
    # museum's number: whatever refuses it must not reveal the museum's private object.
    with pytest.raises((tk.ValidationError, tk.NotAuthorized)) as error:
        call_action(
            "package_patch",
            context={"user": editor["name"], "ignore_auth": False},
            id=mine["id"],
            owner_org=museum["id"],
            inventory_number="H-1",
        )

    assert "tajna-sbirka" not in str(getattr(error.value, "error_dict", error.value))
