"""Fixtures of the OAI-PMH provider's tests: one world of collection objects made through the
real actions on clean databases, once for the whole package (each test reads or changes the
objects of an institution of its own), and the provider asked through the test app or over
HTTP on a port."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import ckan.plugins
import pytest
from ckan import model
from ckan.tests import factories as ckan_factories
from ckan.tests.helpers import call_action
from lxml import etree
from werkzeug.serving import make_server

from tests import factories

OAI = {"oai": "http://www.openarchives.org/OAI/2.0/", "lido": "http://www.lido-schema.org"}
IMAGE = "https://sbirky.example.cz/obrazy/pohar-1.jpg"


def rich_object(organization: dict[str, Any], number: int, **values: Any) -> dict[str, Any]:
    """A collection object with every field the formats carry."""
    fields = {
        "title": f"Pohár s rytinou {number}",
        "inventory_number": f"S-{number:04d}",
        "owner_org": organization["id"],
        "notes": "Broušený pohár z českého křišťálu.",
        "object_type": "pohár",
        "ces_subcollection": "Sklo a porcelán",
        "classification_terms": ["užité umění"],
        "dating_display": "kolem roku 1890",
        "dating_earliest": 1885,
        "dating_latest": 1895,
        "creators": [{"name": "Josef Riedel", "role": "výrobce"}],
        "place": "Polubný",
        "materials": ["sklo"],
        "techniques": ["rytí"],
        "dimensions": [{"type": "výška", "value": "21.5", "unit": "cm"}],
        "license_id": "cc-zero",
        "image_rights": "CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)",
        "resources": [{"url": IMAGE, "format": "JPEG", "name": "Čelní pohled"}],
    }
    return factories.CollectionObject(**{**fields, **values})


@dataclass
class World:
    organizations: dict[str, dict[str, Any]]
    objects: dict[str, dict[str, Any]]
    sysadmin: str
    app: Any  # one test app for the package: making one per test took most of its time


# institution name: (title, IČO); each test reads the objects of its own institution
INSTITUTIONS = {
    "severoceske-muzeum": ("Severočeské muzeum v Liberci", "00083232"),
    "oblastni-galerie": ("Oblastní galerie Liberec", ""),
    "casy": ("Muzeum časů", ""),
    "strankovani": ("Muzeum stránek", ""),
    "stazene": ("Muzeum stažených předmětů", ""),
    "odhlasene": ("Muzeum, které se odhlásilo", ""),
    "skryte": ("Muzeum skrytých předmětů", ""),
}


def _set_modified(dataset: dict[str, Any], moment: str) -> None:
    model.Session.execute(
        model.package_table.update()
        .where(model.package_table.c.id == dataset["id"])
        .values(metadata_modified=moment)
    )
    model.Session.commit()


@pytest.fixture(scope="package")
def world(reset_db, migrate_db_for) -> World:
    from ckan.cli.db import _get_pending_plugins
    from ckan.tests.helpers import _get_test_app

    ckan.plugins.load_all()
    reset_db()
    for plugin in _get_pending_plugins():
        migrate_db_for(plugin)
    orgs = {
        name: ckan_factories.Organization(name=name, title=title, **({"ico": ico} if ico else {}))
        for name, (title, ico) in INSTITUTIONS.items()
    }
    objects = {
        "glass": rich_object(orgs["severoceske-muzeum"], 1),
        "coin": rich_object(
            orgs["severoceske-muzeum"],
            2,
            ces_subcollection="Mince",
            dating_earliest=-500,
            dating_latest=-480,
            dating_display="5. st. př. n. l.",
        ),
        "bare": factories.CollectionObject(
            owner_org=orgs["severoceske-muzeum"]["id"], title="Střep", inventory_number="S-0003"
        ),
        "painting": rich_object(
            orgs["oblastni-galerie"], 4, ces_subcollection="", object_type="obraz", resources=[]
        ),
    }
    for number in range(5, 8):
        objects[f"time{number}"] = rich_object(orgs["casy"], number)
    for number in range(8, 13):
        objects[f"page{number}"] = rich_object(orgs["strankovani"], number)
    for name, number in (("kept", 13), ("deleted", 14), ("private", 15)):
        objects[name] = rich_object(orgs["stazene"], number)
    objects["opted_out"] = rich_object(orgs["odhlasene"], 16)
    for name, number in (
        ("public", 17),
        ("never_private", 18),
        ("never_draft", 19),
        ("never_deleted", 20),
    ):
        objects[name] = rich_object(orgs["skryte"], number, private=name == "never_private")
    sysadmin = ckan_factories.Sysadmin()["name"]
    call_action(
        "package_patch", context={"user": sysadmin}, id=objects["never_draft"]["id"], state="draft"
    )
    call_action("package_delete", context={"user": sysadmin}, id=objects["never_deleted"]["id"])
    for number, name in enumerate(("time5", "time6", "time7")):
        _set_modified(
            objects[name],
            ("2026-01-01 10:00:00.5", "2026-01-01 10:00:01.2", "2026-01-02 08:00:00")[number],
        )
    for number in range(8, 13):
        _set_modified(objects[f"page{number}"], f"2026-01-01 10:00:{number:02d}")
    return World(orgs, objects, sysadmin, _get_test_app())


@pytest.fixture
def oai(world: World) -> Callable[..., etree._Element]:
    """oai(verb=..., **arguments) → the parsed answer of GET /oai."""

    def ask(**arguments: str) -> etree._Element:
        response = world.app.get("/oai", query_string=arguments)
        assert response.status_code == 200
        assert response.headers["Content-Type"].startswith("text/xml")
        return etree.fromstring(response.data)

    return ask


def error_code(answer: etree._Element) -> str | None:
    found = answer.find("oai:error", OAI)
    return found.get("code") if found is not None else None


def identifiers(answer: etree._Element) -> list[str]:
    return [e.text for e in answer.iterfind(".//oai:header/oai:identifier", OAI)]


@pytest.fixture
def served_app(world: World) -> Iterator[str]:
    """The test app on a port of 127.0.0.1 (a thread of this process): its /oai address."""
    server = make_server("127.0.0.1", 0, world.app.flask_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/oai"
    finally:
        server.shutdown()
        server.server_close()
