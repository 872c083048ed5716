"""The permission matrix of issue 13: roles × record kinds × states × surfaces × operations,
generated from the tables (matrix_surfaces, matrix_tables) with the outcome of every cell
from the policy (matrix_policy, the threat model of docs/security.md).

The world is built once for the module (conftest.permission_matrix); reads run first and
never change it; changes run on records of their own (matrix_changes). The coverage tests
fail when a route of the portal's blueprints or a smartregion action is in no table.
"""

from __future__ import annotations

import json
from typing import Any

import ckan.plugins as p
import pytest

from tests.security import matrix_changes as changes
from tests.security import matrix_tables as tables
from tests.security.matrix_probe import (
    Observation,
    fill,
    is_error,
    perform,
    shows_record,
    shows_secret,
)
from tests.security.matrix_surfaces import OPS, SURFACES

pytestmark = pytest.mark.usefixtures("matrix_config")
READ_CELLS = list(tables.cells(reads=True))
CHANGE_CELLS = [cell for op in OPS[1:] for cell in tables.cells(op=op)]


def _blueprint_rules(app: Any) -> dict[str, Any]:
    """The rules of the portal's own blueprints (smartregion_*), by rule text."""
    return {
        rule.rule: rule
        for rule in app.flask_app.url_map.iter_rules()
        if rule.endpoint.split(".")[0].startswith("smartregion")
    }


def test_every_route_of_the_portal_is_in_the_matrix(permission_matrix):
    """A new page or file of the portal must join the matrix (or be excluded with a reason)."""
    app, world = permission_matrix.app, permission_matrix.world
    adapter = app.flask_app.url_map.bind("test.ckan.net")
    reached = set()
    for surface in SURFACES.values():
        if surface.channel not in ("get", "post"):
            continue
        for kind in surface.kinds:
            record = next(r for (k, _), r in world.records.items() if k == kind)
            path = surface.target.format(**record.fields(world)).split("?")[0]
            method = "GET" if surface.channel == "get" else "POST"
            rule, _ = adapter.match(path, method=method, return_rule=True)
            reached.add(rule.rule)
    rules = _blueprint_rules(app)
    missing = sorted(set(rules) - reached - set(tables.ROUTE_EXCLUSIONS))
    assert not missing, f"routes in no table of tests/security/matrix_surfaces.py: {missing}"
    stale = sorted(set(tables.ROUTE_EXCLUSIONS) - set(rules))
    assert not stale, f"excluded routes that no longer exist: {stale}"


def _portal_functions(interface: Any, method: str) -> set[str]:
    """Actions (or auth functions) the portal's plugins register or chain."""
    names = set()
    for plugin in p.PluginImplementations(interface):
        if type(plugin).__module__.startswith("ckanext.smartregion"):
            names |= set(getattr(plugin, method)())
    return names


def test_every_action_of_the_portal_is_in_the_matrix(permission_matrix):
    """A new smartregion_* action (or a core action the portal chains) must join the matrix."""
    actions = _portal_functions(p.IActions, "get_actions")
    auth = {n for n in _portal_functions(p.IAuthFunctions, "get_auth_functions")}
    called = {s.target for s in SURFACES.values() if s.channel in ("api", "inproc")}
    missing = sorted(actions - called - set(tables.ACTION_EXCLUSIONS))
    assert not missing, f"actions in no table of tests/security/matrix_surfaces.py: {missing}"
    auth_only = {name for name in auth - actions if name.startswith("smartregion_")}
    assert auth_only <= set(tables.AUTH_ONLY), sorted(auth_only - set(tables.AUTH_ONLY))
    assert all(surface in SURFACES for surface in tables.AUTH_ONLY.values())


def test_the_cells_are_unique_and_only_the_anonymous_may_change_nothing():
    ids = [cell.id for cell in READ_CELLS + CHANGE_CELLS]
    assert len(ids) == len(set(ids))
    allowed = {cell.role for cell in CHANGE_CELLS if cell.expected}
    assert allowed == set(tables.policy.ROLES) - {"anonymous"}
    assert {cell.role for cell in CHANGE_CELLS if not cell.expected} == set(tables.policy.ROLES)


def _observation(permission_matrix, cell: tables.Cell, record: Any) -> Observation:
    """The answer of the surface to the role, read once per request (reads share it)."""
    surface, world = cell.surface, permission_matrix.world
    fields = record.fields(world)
    request = json.dumps([fill(surface.target, fields), fill(surface.data, fields)], default=str)
    key = (surface.name, cell.role, request if surface.collective else record.name + request)
    if key not in permission_matrix.observations:
        permission_matrix.observations[key] = perform(world, surface, cell.role, record)
    return permission_matrix.observations[key]


def _read(permission_matrix, cell: tables.Cell) -> str | None:
    """What is wrong with the read cell, or None."""
    record = permission_matrix.world.records[(cell.kind, cell.state)]
    observation = _observation(permission_matrix, cell, record)
    if is_error(observation):
        return f"the surface failed: {observation.excerpt()}"
    if cell.check == "record":
        shown, what = shows_record(observation, cell.surface, record), "the record"
    else:
        shown, what = shows_secret(observation, record), "its internal text"
    if shown == cell.expected:
        return None
    return f"{'does not see' if cell.expected else 'sees'} {what}: {observation.excerpt()}"


def _change(permission_matrix, cell: tables.Cell) -> str | None:
    """What is wrong with the change cell, or None."""
    matrix, surface = permission_matrix, cell.surface
    world, records = matrix.world, matrix.records
    if surface.op == "create":
        return _create(matrix, cell)
    shared = surface.channel == "get" or surface.name in changes.WORLD_SURFACES
    record = (
        world.records[(cell.kind, cell.state)] if shared else records.take(cell.kind, cell.state)
    )
    before, before_detail = changes.observe(world, record)
    if before != changes.canonical(cell.kind, cell.state):
        return f"its record could not be prepared: it is {before}"
    observation = perform(world, surface, cell.role, record)
    after, after_detail = changes.observe(world, record)
    if not shared:
        records.give_back(record, after)
    problems = []
    if is_error(observation):
        problems.append("the surface failed")
    if surface.channel == "get" or surface.name in changes.STATUS_ONLY:
        ran = observation.status == 200  # the form opened, the write ran
        problems += [] if ran == cell.expected else [f"{'refused' if cell.expected else 'ran'}"]
    elif surface.op == "update" or surface.name == "html:report_publish":
        changed = after_detail != before_detail
        problems += [] if changed == cell.expected else [f"{'not ' * cell.expected}changed"]
    expected = changes.expected_states(surface, cell.kind, cell.state, cell.expected)
    if after not in expected:
        problems.append(f"the record is {after}, the policy says {' or '.join(expected)}")
    return f"{'; '.join(problems)}: {observation.excerpt()}" if problems else None


def _create(matrix, cell: tables.Cell) -> str | None:
    world, surface = matrix.world, cell.surface
    record = matrix.records.new(cell.kind)
    data = None if cell.kind == "page" else changes.create_data(world, surface, record, cell.state)
    observation = perform(world, surface, cell.role, record, data)
    after, _ = changes.observe(world, record)
    if after != "absent":
        matrix.records.give_back(record, after)
    expected = changes.expected_created(cell.kind, cell.role, cell.state, cell.expected)
    if is_error(observation):
        return f"the surface failed: {observation.excerpt()}"
    if after != expected:
        return f"the new record is {after}, the policy says {expected}: {observation.excerpt()}"
    return None


def _rows(cells: list[tables.Cell]) -> list[list[tables.Cell]]:
    """The cells of one surface, kind and state together: one test asks every role."""
    rows: dict[tuple, list[tables.Cell]] = {}
    for cell in cells:
        rows.setdefault((cell.surface.name, cell.kind, cell.state), []).append(cell)
    return list(rows.values())


def _row_id(row: list[tables.Cell]) -> str:
    return row[0].id.rsplit("-", 1)[0].replace("read-internal-", "read-")


def _check(permission_matrix, row: list[tables.Cell], judge) -> None:
    """Runs every cell of the row (none stops another) and names each failing cell."""
    failures = []
    for cell in row:
        problem = judge(permission_matrix, cell)
        permission_matrix.cells += 1
        if problem:
            failures.append(f"{cell.id}: {problem}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("row", _rows(READ_CELLS), ids=_row_id)
def test_read(permission_matrix, row: list[tables.Cell]):
    _check(permission_matrix, row, _read)


@pytest.mark.parametrize("row", _rows(CHANGE_CELLS), ids=_row_id)
def test_change(permission_matrix, row: list[tables.Cell]):
    _check(permission_matrix, row, _change)
