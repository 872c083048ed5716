"""XML parsing for harvested documents: no entity expansion, no DTD, no network (XXE-safe).

Entity declarations can only live in a DOCTYPE's internal subset; a document that has one is
refused outright, so neither external entities (XXE: reading local files or URLs) nor nested
internal ones (billion laughs) are ever expanded.
"""

from __future__ import annotations

import re

from lxml import etree

_ENTITY_DECLARATION = re.compile(rb"<!ENTITY", re.IGNORECASE)
_FIRST_ELEMENT = re.compile(rb"<[A-Za-z_]")


class UnsafeXMLError(ValueError):
    """The document declares entities; it is refused unread."""


class MalformedXMLError(ValueError):
    """The document is not well-formed XML."""


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        dtd_validation=False,
        remove_comments=True,
        remove_pis=True,
    )


def parse(data: bytes) -> etree._Element:
    """The root element of data, or UnsafeXMLError / MalformedXMLError."""
    first = _FIRST_ELEMENT.search(data)
    prolog = data[: first.start()] if first else data
    if _ENTITY_DECLARATION.search(prolog):
        raise UnsafeXMLError("The document declares entities in a DOCTYPE; refused for safety")
    try:
        root = etree.fromstring(data, parser=_parser())
    except etree.XMLSyntaxError as error:
        raise MalformedXMLError(f"Not well-formed XML: {error}") from error
    # The byte check misses encodings other than ASCII-compatible ones (e.g. UTF-16).
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):
        raise UnsafeXMLError("The document declares entities in a DOCTYPE; refused for safety")
    return root
