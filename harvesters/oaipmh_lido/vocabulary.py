"""How LIDO's free or controlled labels (types, roles, rights, languages) are recognised.

Museums write type attributes as words in their own language or as LIDO terminology URIs
(http://terminology.lido-schema.org/...), so each test looks at both.
"""

from __future__ import annotations

import mimetypes
from urllib.parse import urlsplit

LANGUAGE_CODES = {
    "cze": "cs",
    "ces": "cs",
    "eng": "en",
    "ger": "de",
    "deu": "de",
    "slo": "sk",
    "slk": "sk",
    "pol": "pl",
    "fre": "fr",
    "fra": "fr",
}

# LIDO terminology: lido00007 Production, lido00012 Creation? (not relied on alone: words too)
PRODUCTION_EVENTS = (
    "lido00007",
    "production",
    "creation",
    "designing",
    "manufactur",
    "výrob",
    "vznik",
    "zhotoven",
    "tvorba",
    "herstellung",
    "entstehung",
)
FINDING_EVENTS = ("lido00006", "finding", "find", "excavation", "nález", "nalez", "fund")
ACQUISITION_EVENTS = (
    "lido00001",
    "acquisition",
    "provenance",
    "akvizic",
    "nabytí",
    "získání",
    "přírůst",
    "erwerb",
    "provenien",
)

LICENSES = (  # (fragment of a rights URI or label, CKAN licence id); first match wins
    ("publicdomain/zero", "cc-zero"),
    ("cc0", "cc-zero"),
    ("cc-zero", "cc-zero"),
    ("publicdomain/mark", "other-pd"),
    ("public domain", "other-pd"),
    ("volné dílo", "other-pd"),
    ("licenses/by-sa", "cc-by-sa"),
    ("cc by-sa", "cc-by-sa"),
    ("cc-by-sa", "cc-by-sa"),
    ("licenses/by-nc", "cc-nc"),
    ("cc by-nc", "cc-nc"),
    ("cc-by-nc", "cc-nc"),
    ("licenses/by/", "cc-by"),
    ("cc by ", "cc-by"),
    ("cc-by", "cc-by"),
)

FORMATS = {
    "image/jpeg": "JPEG",
    "image/png": "PNG",
    "image/tiff": "TIFF",
    "image/gif": "GIF",
    "image/webp": "WEBP",
    "image/jp2": "JPEG2000",
    "application/pdf": "PDF",
    "model/gltf-binary": "GLB",
    "text/html": "HTML",
}


def language_code(tag: str) -> str:
    """'cs', 'cs-CZ', 'cze', 'ces' → 'cs'; '' when unknown."""
    base = tag.strip().lower().replace("_", "-").split("-")[0]
    return LANGUAGE_CODES.get(base, base)


def _matches(labels: list[str] | str, fragments: tuple[str, ...]) -> bool:
    texts = [labels] if isinstance(labels, str) else labels
    return any(fragment in text.lower() for text in texts for fragment in fragments)


def event_kind(labels: list[str]) -> str:
    """'production', 'finding', 'acquisition' or 'other' for an event's type labels."""
    if _matches(labels, PRODUCTION_EVENTS):
        return "production"
    if _matches(labels, ACQUISITION_EVENTS):
        return "acquisition"
    if _matches(labels, FINDING_EVENTS):
        return "finding"
    return "other" if not any(labels) else "unrelated"


def is_inventory_number(work_id_type: str) -> bool:
    return _matches(work_id_type, ("inventor", "inventár", "inventár", "invent", "evidenční"))


def is_ces_subcollection(classification_type: str) -> bool:
    return _matches(classification_type, ("podsbír", "podsbir", "subcollection", "ces"))


def is_technique(materials_tech_type: str) -> bool:
    return _matches(materials_tech_type, ("techni", "lido00131"))


def representation_rank(kind: str) -> int:
    """Prefer the master image, then other images, the thumbnail last."""
    text = kind.lower()
    if "master" in text or "original" in text or "large" in text:
        return 3
    if "thumb" in text:
        return 1
    return 2


def format_of(mime_type: str, url: str) -> str:
    if mime_type.lower() in FORMATS:
        return FORMATS[mime_type.lower()]
    guessed, _encoding = mimetypes.guess_type(urlsplit(url).path)
    return FORMATS.get(guessed or "", "")


def license_id(labels: list[str]) -> str:
    """The CKAN licence id of a rights statement's URIs or labels, '' when not recognised."""
    texts = [f"{label.lower()} " for label in labels]
    for fragment, licence in LICENSES:
        if any(fragment in text for text in texts):
            return licence
    return ""
