"""What the formats share: the record's portal address, languages and rights IRIs."""

from __future__ import annotations

import re
from typing import Any

import ckan.plugins.toolkit as tk

# Europeana accepts these statements as edm:rights (its "available rights statements").
RIGHTS_IRI = re.compile(
    r"https?://(creativecommons\.org/(licenses|publicdomain)/[a-z0-9.\-/]+"
    r"|rightsstatements\.org/vocab/[A-Za-z\-]+/1\.0/?)"
)
LICENCE_IRIS = {
    "cc-zero": "http://creativecommons.org/publicdomain/zero/1.0/",
    "other-pd": "http://creativecommons.org/publicdomain/mark/1.0/",
    "cc-by": "http://creativecommons.org/licenses/by/4.0/",
    "cc-by-sa": "http://creativecommons.org/licenses/by-sa/4.0/",
    "cc-nc": "http://creativecommons.org/licenses/by-nc/4.0/",
}
NOT_EVALUATED = "http://rightsstatements.org/vocab/CNE/1.0/"


def record_url(dataset: dict[str, Any]) -> str:
    return tk.url_for("collection-object.read", id=dataset["name"], _external=True)


def language(dataset: dict[str, Any], field: str) -> str:
    """The language the value of ``field`` was harvested in (value_languages), else Czech."""
    for part in (dataset.get("value_languages") or "").split(";"):
        name, _sep, code = part.strip().partition("=")
        if name == field and code and code != "und":
            return code
    return "cs"


def licence_iri(dataset: dict[str, Any]) -> str | None:
    """The metadata licence as an IRI, if the portal knows one."""
    return LICENCE_IRIS.get(dataset.get("license_id") or "") or dataset.get("license_url")


def image_rights_iri(dataset: dict[str, Any], resource: dict[str, Any] | None = None) -> str:
    """The rights statement IRI of an image: in its rights text, the object's image rights,
    else Europeana's "copyright not evaluated" (never a guess at a free licence)."""
    for text in ((resource or {}).get("rights"), dataset.get("image_rights")):
        found = RIGHTS_IRI.search(text or "")
        if found:
            return found.group(0).replace("https://", "http://", 1)
    return NOT_EVALUATED


def images(dataset: dict[str, Any]) -> list[dict[str, Any]]:
    """Resources linked over http(s): the object's images and files."""
    return [r for r in dataset.get("resources") or [] if (r.get("url") or "").startswith("http")]


def text_list(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(v) for v in value if v]
    return [value] if value else []
