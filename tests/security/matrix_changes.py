"""The change cells' records and their judge: what state a record is in (read from the
database, not from any answer), what an allowed or refused change must leave behind, and a
pool of records per kind and state.

Reads never change a record; changes run on records of their own. A refused change must leave
its record as it was, so the next cell may use it; an allowed change moves the record to a
new state, where it serves the next cell that needs that state (a submitted draft is the
next approval's pending record). A record whose state is not what the policy says is
dropped, so one failure cannot spread. Pages of GET forms and the DataStore writes use the
world's records: they must not change the record's state either.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from typing import Any

from ckan import model

from ckanext.smartregion.pages.model import SmartRegionPage
from ckanext.smartregion.review.model import ReviewState
from tests.security import matrix_policy as policy
from tests.security.matrix_policy import KINDS
from tests.security.matrix_surfaces import Surface
from tests.security.matrix_world import Record, World, make_record, token

WORLD_SURFACES = (
    "datastore_upsert",
    "smartregion_indicator_values_upload",
    "smartregion_downloads_build",
    "html:report_publish",  # publishes the world's report again
)
STATUS_ONLY = WORLD_SURFACES[:3]  # the write either runs or is refused as a whole


def canonical(kind: str, state: str) -> str:
    """How a state looks in the database (a private reviewed record is a draft again; a
    returned page is a draft with a comment)."""
    if kind == "page":
        return "draft" if state == "returned" else state
    if KINDS[kind].in_review and state == "private":
        return "draft"
    return state


def observe(world: World, record: Record) -> tuple[str, str]:
    """(state, detail) of the record as stored; detail changes with every saved change."""
    model.Session.remove()
    if record.kind == "page":
        page = SmartRegionPage.by_slug(record.name)
        if page is None:
            return "absent", ""
        if page.published is None:
            return page.state, str(page.modified)
        shown = {"draft": "public", "pending": "public:pending"}.get(page.state, "public:published")
        return shown, str(page.modified)
    package = model.Package.get(record.id or record.name)
    if package is None:
        return "absent", ""
    record.id = package.id
    review = model.Session.get(ReviewState, package.id)
    if package.state == "deleted":
        state = "deleted"
    elif not package.private:
        reviewed = review is None or review.state == "approved"
        state = "public" if reviewed else f"public(review {review.state})"
    else:
        state = review.state if review is not None else "private"
    if package.type != KINDS[record.kind].dataset_type:
        state += f"[type {package.type}]"
    home = KINDS[record.kind].organization
    organization = world.organization_of(package.owner_org or "")
    if organization != home:
        state += f"@{organization}"
    return state, str(package.metadata_modified)


def expected_states(surface: Surface, kind: str, state: str, allowed: bool) -> tuple[str, ...]:
    """The states the policy accepts after the change (a refused move may instead land the
    record private and pending in the other organisation: issue 13, item 2)."""
    if not allowed or surface.channel == "get":  # a form only opens
        unchanged = canonical(kind, state)
        if surface.moves_to and state != "public":
            return (unchanged, f"pending@{surface.moves_to}")
        return (unchanged,)
    return (_allowed_state(surface, kind, state),)


def _allowed_state(surface: Surface, kind: str, state: str) -> str:
    if kind == "page" and surface.op == "publish":
        return "public:published"
    if kind == "page" and state == "public" and surface.op == "submit":
        return "public:pending"
    result = canonical(kind, policy.after(surface.op, kind, state))
    return result + (f"@{surface.moves_to}" if surface.moves_to else "")


def expected_created(kind: str, role: str, asked: str, allowed: bool) -> str:
    if not allowed:
        return "absent"
    if kind == "page":
        return "draft"
    if not KINDS[kind].in_review:
        return asked
    if role == "harvest":
        return "pending"
    return "public" if policy.created_public(role, kind, asked == "public") else "draft"


class Records:
    """The change cells' records by (kind, stored state). A record made through the actions
    serves many cells: an allowed change moves it to the state the next cell needs, and when
    no record of the kind is in the state a cell needs, one in another state is set to it
    through the model (CKAN's state, private flag and organisation, the review state with
    review.policy.set_state; a page's state): milliseconds instead of ~0.3 s per new record.
    The world's records, whose states the read cells check, always come from the actions."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.free: dict[tuple[str, str], list[Record]] = defaultdict(list)
        self.spare: dict[str, list[Record]] = defaultdict(list)  # by kind, in any state
        self.made = 0

    def take(self, kind: str, state: str) -> Record:
        wanted = canonical(kind, state)
        free = self.free[(kind, wanted)]
        if free:
            return free.pop()
        spare = self.spare[kind] or max(
            (records for (k, _), records in self.free.items() if k == kind), key=len, default=[]
        )
        if spare:
            record = spare.pop()
            _reset(self.world, record, state)
            return record
        self.made += 1
        if kind == "report":  # a dataset of COORD as the coordinator publishes it
            return self._coordinators_dataset()
        return make_record(self.world, kind, state, rich=False)

    def give_back(self, record: Record, stored: str) -> None:
        """Keeps the record for a later cell: in its state if it is one of the kind's,
        otherwise as a spare to be set to another state."""
        states = {canonical(record.kind, s): s for s in KINDS[record.kind].states}
        if stored in states:
            record.state = states[stored]
            self.free[(record.kind, stored)].append(record)
        elif stored != "absent":
            self.spare[record.kind].append(record)

    def new(self, kind: str) -> Record:
        """A name for a record a create cell makes."""
        return Record(kind, "new", token(kind, "new"))

    def _coordinators_dataset(self) -> Record:
        from ckan.tests.helpers import call_action

        from tests.security.matrix_world import dataset_data

        record = Record("report", "public", token("report", "public"))
        data = dataset_data(self.world, "report", record.name, rich=False)
        user = self.world.users["coordinator"]
        package = call_action(
            "package_create", context={"user": user, "ignore_auth": False}, **data
        )
        record.id = package["id"]
        return record


REVIEW_STATES = {
    "public": "approved",
    "private": "draft",
    "draft": "draft",
    "pending": "pending",
    "returned": "returned",
    "deleted": "approved",  # the world's deleted records were approved, then deleted
}


def _reset(world: World, record: Record, state: str) -> None:
    """Sets a change cell's record to the state through the model (see Records)."""
    from ckanext.smartregion.review import policy as review

    model.Session.remove()
    record.state = state
    if record.kind == "page":
        page = SmartRegionPage.by_slug(record.name)
        page.state = "pending" if state == "pending" else "draft"
        page.published = page.modified if state == "public" else None
        model.Session.commit()
        return
    spec = KINDS[record.kind]
    package = model.Package.get(record.id)
    package.owner_org = world.organizations[spec.organization or "A"]["id"]
    package.type = spec.dataset_type
    package.state = "deleted" if state == "deleted" else "active"
    package.private = state not in ("public", "deleted")
    # a new time, so that package_show does not answer from the search index's copy
    package.metadata_modified = datetime.datetime.now(datetime.UTC).replace(tzinfo=None)
    model.Session.commit()
    if spec.in_review:
        review.set_state(package.id, REVIEW_STATES[state], world.users["sysadmin"])


def create_data(world: World, surface: Surface, record: Record, asked: str) -> dict[str, Any]:
    """The new record's fields for a create cell (pages: from the surface's data)."""
    from tests.security.matrix_world import dataset_data

    if record.kind == "page":
        return {}
    return {
        **dataset_data(world, record.kind, record.name, rich=False),
        "private": asked != "public",
    }
