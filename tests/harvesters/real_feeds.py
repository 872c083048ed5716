"""The real public feeds of tests/fixtures/real/ (README there: where each came from), read
as they are and put on the local test server; shared by the tests and bench/harvest_real.py.
A selection takes whole records, never parts of one."""

from __future__ import annotations

import gzip
import json
import os
import re
import subprocess
import tarfile
from pathlib import Path
from typing import Any

REAL = Path(__file__).resolve().parents[1] / "fixtures" / "real"
LKOD_HOST = "https://open.datakhk.cz/"
# catalog.data.gov's package_search answers kept by github.com/BCDigSchol/data-rescue (README
# here): not committed (the library's snapshots stay out of commits), read from the snapshot
# that the library's `fetch github:BCDigSchol/data-rescue` brings, by the files' blob ids
CKAN_SNAPSHOT = Path(
    os.environ.get("SMARTREGION_REAL_CKAN", "/work/.mirror/BCDigSchol+data-rescue/repo")
)
CKAN_ANSWERS = {
    "data/imls/imls-gov.json": "1571d0d7d1e42e4c07adbc5b5138ce3e9dfabf65",
    "data/neh/neh-gov.json": "b7dd1e8327d71b142dfc27b636108a81dcf81a53",
}


def lkod_documents() -> dict[str, bytes]:
    """File name → body of the Hradec Králové Region's LKOD (katalog.jsonld and 165 records)."""
    with tarfile.open(REAL / "lkod-datakhk.tar.gz") as archive:
        return {
            Path(member.name).name: archive.extractfile(member).read()
            for member in archive.getmembers()
            if member.isfile() and member.name.endswith(".jsonld")
        }


def serve_lkod(server: Any, names: list[str] | None = None) -> tuple[str, list[str]]:
    """The LKOD on the server (IRIs on open.datakhk.cz answered under the server's address),
    listing the records `names` (all by default); (catalogue URL, the records' IRIs)."""
    documents = lkod_documents()
    catalogue = json.loads(documents.pop("katalog.jsonld"))
    chosen = sorted(documents) if names is None else names
    base = server.url + "/"
    for name in chosen:
        body = documents[name].decode("utf-8").replace(LKOD_HOST, base)
        server.put("/" + name, body, "application/ld+json")
    catalogue["datová_sada"] = [base + name for name in chosen]
    catalogue["iri"] = base + "katalog.jsonld"
    url = server.put(
        "/katalog.jsonld", json.dumps(catalogue, ensure_ascii=False), "application/ld+json"
    )
    return url, catalogue["datová_sada"]


def hub_entries() -> list[dict[str, Any]]:
    """The 807 datasets of www.datakhk.cz's ArcGIS Hub data.json."""
    with gzip.open(REAL / "arcgis-hub-datakhk-data.json.gz") as body:
        return json.load(body)["dataset"]


def hub_sample(entries: list[dict[str, Any]], every: int = 8) -> list[dict[str, Any]]:
    """Whole entries: every `every`-th, plus the first three of each licence spelling (so each
    real form of the licence is in the sample)."""
    chosen: dict[int, dict[str, Any]] = {n: e for n, e in enumerate(entries) if n % every == 0}
    seen: dict[str, int] = {}
    for number, entry in enumerate(entries):
        licence = str(entry.get("license"))
        if seen.get(licence, 0) < 3:
            seen[licence] = seen.get(licence, 0) + 1
            chosen[number] = entry
    return [chosen[n] for n in sorted(chosen)]


def lido_records() -> list[str]:
    """The 486 lido:lido records of the INP/CIMEC export, each as its own XML document."""
    with gzip.open(REAL / "lido-inp-istoria-stiintei-si-tehnicii.xml.gz") as body:
        text = body.read().decode("utf-8")
    namespace = 'xmlns:lido="http://www.lido-schema.org"'
    return [
        "<lido:lido " + namespace + ">" + part.split("</lido:lido>")[0] + "</lido:lido>"
        for part in re.split(r"<lido:lido>", text)[1:]
    ]


def ckan_answers() -> dict[str, dict[str, Any]] | None:
    """Path → catalog.data.gov's package_search answer (IMLS: 78 packages, NEH: 14), as the
    portal gave it; None without the snapshot."""
    if not (CKAN_SNAPSHOT / "HEAD").exists() and not (CKAN_SNAPSHOT / ".git").exists():
        return None
    return {
        path: json.loads(
            subprocess.run(
                ["git", "-C", str(CKAN_SNAPSHOT), "cat-file", "blob", blob],
                check=True,
                capture_output=True,
            ).stdout
        )
        for path, blob in CKAN_ANSWERS.items()
    }


def ckan_packages(answers: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """The 92 whole packages of the answers, in their order."""
    return [package for answer in answers.values() for package in answer["result"]["results"]]
