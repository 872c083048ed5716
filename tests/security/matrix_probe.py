"""Requests of the permission matrix: a surface asked as a role (API token in the
Authorization header, a client of its own per role), and what the answer shows."""

from __future__ import annotations

import io
import json
import time
import zipfile
from collections import Counter
from dataclasses import dataclass
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model

from tests.security.matrix_surfaces import Surface
from tests.security.matrix_world import Record, World

SHOWN = (200, 201, 202)
SPENT: Counter = Counter()  # seconds per surface, for the timing summary
ASKED: Counter = Counter()  # requests per surface
REFUSED = (401, 403, 404)


@dataclass
class Observation:
    status: int
    text: str
    location: str = ""

    def excerpt(self) -> str:
        return f"HTTP {self.status} {self.location} {self.text[:300]!r}"


def fill(template: Any, fields: dict[str, Any]) -> Any:
    """The template with {placeholders} from fields; a whole-string placeholder keeps the
    field's type (a list of rows stays a list)."""
    if isinstance(template, dict):
        return {key: fill(value, fields) for key, value in template.items()}
    if isinstance(template, list):
        return [fill(value, fields) for value in template]
    if isinstance(template, str):
        if template.startswith("{") and template.endswith("}") and template[1:-1] in fields:
            return fields[template[1:-1]]
        return template.format(**fields)
    return template


def _text(response: Any) -> str:
    """The body as text; ZIP members, XLSX cells and PDF text extracted."""
    data, media_type = response.get_data(), response.mimetype or ""
    is_zip = data[:4] == b"PK\x03\x04" and "sheet" not in media_type
    if media_type == "application/zip" or is_zip:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "\n".join(
                name + "\n" + archive.read(name).decode("utf-8", "replace")
                for name in archive.namelist()
            )
    if "spreadsheetml" in media_type:
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(data), read_only=True)
        return "\n".join(
            " ".join(str(c) for c in row if c is not None)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
        )
    if media_type == "application/pdf":
        from pypdf import PdfReader

        return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)
    return data.decode("utf-8", "replace")


def _in_harvest_job(world: World, surface: Surface, data: dict[str, Any]) -> Observation:
    """The action as a harvester calls it: the site user, ignore_auth, in a harvest job."""
    context = {"user": world.users["harvest"], "ignore_auth": True, "smartregion_harvest": True}
    try:
        result = tk.get_action(surface.target)(context, data)
    except tk.NotAuthorized as error:
        return Observation(403, str(error))
    except tk.ObjectNotFound as error:
        return Observation(404, str(error))
    except tk.ValidationError as error:
        return Observation(409, json.dumps(error.error_dict, default=str))
    return Observation(200, json.dumps(result, default=str))


def perform(
    world: World, surface: Surface, role: str, record: Record, data: dict | None = None
) -> Observation:
    """Asks the surface about the record as the role (data: instead of the surface's)."""
    started = time.perf_counter()
    try:
        return _perform(world, surface, role, record, data)
    finally:
        SPENT[surface.name] += time.perf_counter() - started
        ASKED[surface.name] += 1


def _perform(
    world: World, surface: Surface, role: str, record: Record, data: dict | None
) -> Observation:
    fields = record.fields(world)
    data = fill(surface.data, fields) if data is None else data
    if surface.channel == "inproc":
        return _in_harvest_job(world, surface, data)
    try:
        response = _ask(world, surface, role, fields, data)
    except Exception as error:  # the test client raises what the view raised: a 500
        model.Session.remove()
        return Observation(500, f"{error!r}")
    return Observation(response.status_code, _text(response), response.headers.get("Location", ""))


def _ask(world: World, surface: Surface, role: str, fields: dict, data: dict) -> Any:
    client = world.clients[role]
    headers = {"Authorization": world.tokens[role]} if role in world.tokens else {}
    if surface.channel == "api":
        response = client.post(
            f"/api/3/action/{surface.target}", json=data, headers=headers, follow_redirects=False
        )
    elif surface.channel == "get":
        response = client.get(fill(surface.target, fields), headers=headers, follow_redirects=False)
    else:
        response = client.post(
            fill(surface.target, fields), data=data, headers=headers, follow_redirects=False
        )
    return response


def shows_record(observation: Observation, surface: Surface, record: Record) -> bool:
    """Whether the answer shows the record: a 2xx with its id, name or code in the body
    (seen="status": a 2xx, or a redirect that is not to the login page)."""
    if surface.seen == "status":
        if observation.status in SHOWN:
            return True
        return observation.status in (301, 302, 303) and "login" not in observation.location
    if observation.status not in SHOWN:
        return False
    return any(marker in observation.text for marker in record.markers)


def shows_secret(observation: Observation, record: Record) -> bool:
    return bool(record.secret) and record.secret in observation.text


def is_error(observation: Observation) -> bool:
    """A server error, or an answer that is neither shown, refused nor redirected."""
    return observation.status >= 500 or observation.status not in (
        *SHOWN,
        *REFUSED,
        301,
        302,
        303,
        400,
        409,
    )
