"""OAI-PMH 2.0 client: Identify and ListRecords with resumption-token paging.

Pages are parsed with the safe XML parser. ``noRecordsMatch`` yields nothing (an incremental
harvest with no changes is a success); any other OAI error becomes an ``OaiError`` carrying
the protocol's code and message.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field

from lxml import etree

from ckanext.smartregion.harvesters import safe_xml
from ckanext.smartregion.harvesters.http import Fetcher

OAI_NS = "http://www.openarchives.org/OAI/2.0/"
NS = {"oai": OAI_NS}


class OaiError(Exception):
    """The repository answered with an OAI-PMH error (code and message as sent)."""

    def __init__(self, code: str, message: str, where: str) -> None:
        super().__init__(f"OAI-PMH error {code} at {where}: {message}".strip())
        self.code = code


class OaiPageError(Exception):
    """A page could not be read or understood (HTTP failure, bad XML, not OAI-PMH)."""


@dataclass(frozen=True)
class Repository:
    name: str
    granularity: str  # "YYYY-MM-DD" or "YYYY-MM-DDThh:mm:ssZ"
    deleted_record: str  # "no", "transient", "persistent"
    earliest_datestamp: str

    def datestamp(self, moment: datetime.datetime) -> str:
        """moment (UTC) written in the repository's granularity."""
        if self.granularity == "YYYY-MM-DD":
            return moment.strftime("%Y-%m-%d")
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class Record:
    identifier: str
    datestamp: str
    deleted: bool
    set_specs: list[str] = field(default_factory=list)
    metadata: etree._Element | None = None  # the element inside <metadata>


@dataclass
class Page:
    number: int
    records: list[Record]
    complete_list_size: int | None


def _text(element: etree._Element | None, path: str) -> str:
    found = element.find(path, NS) if element is not None else None
    return (found.text or "").strip() if found is not None else ""


class OaiClient:
    def __init__(self, fetcher: Fetcher, base_url: str) -> None:
        self.fetcher = fetcher
        self.base_url = base_url

    def _request(self, params: dict[str, str], where: str) -> etree._Element:
        try:
            body = self.fetcher.get(self.base_url, params)
            root = safe_xml.parse(body)
        except (safe_xml.UnsafeXMLError, safe_xml.MalformedXMLError) as error:
            raise OaiPageError(f"{where}: {error}") from error
        except Exception as error:  # FetchError and anything the network throws
            raise OaiPageError(f"{where}: {error}") from error
        if root.tag != f"{{{OAI_NS}}}OAI-PMH":
            raise OaiPageError(f"{where}: the answer is not an OAI-PMH response ({root.tag})")
        errors = root.findall("oai:error", NS)
        if errors:
            first = errors[0]
            raise OaiError(first.get("code", "unknown"), (first.text or "").strip(), where)
        return root

    def identify(self) -> Repository:
        root = self._request({"verb": "Identify"}, "Identify")
        identify = root.find("oai:Identify", NS)
        if identify is None:
            raise OaiPageError("Identify: the answer has no <Identify> element")
        return Repository(
            name=_text(identify, "oai:repositoryName"),
            granularity=_text(identify, "oai:granularity") or "YYYY-MM-DD",
            deleted_record=_text(identify, "oai:deletedRecord") or "no",
            earliest_datestamp=_text(identify, "oai:earliestDatestamp"),
        )

    def list_records(
        self, metadata_prefix: str, set_spec: str | None = None, from_: str | None = None
    ) -> Iterator[Page]:
        """Pages of records; follows resumption tokens until the list is complete."""
        params = {"verb": "ListRecords", "metadataPrefix": metadata_prefix}
        if set_spec:
            params["set"] = set_spec
        if from_:
            params["from"] = from_
        number = 1
        while True:
            token_note = (
                f" (resumptionToken {params['resumptionToken']!r})"
                if ("resumptionToken" in params)
                else ""
            )
            where = f"ListRecords page {number}{token_note}" + (
                f" of set {set_spec!r}" if set_spec else ""
            )
            try:
                root = self._request(params, where)
            except OaiError as error:
                if error.code == "noRecordsMatch":
                    return
                raise
            list_element = root.find("oai:ListRecords", NS)
            if list_element is None:
                raise OaiPageError(f"{where}: the answer has no <ListRecords> element")
            token = list_element.find("oai:resumptionToken", NS)
            size = token.get("completeListSize") if token is not None else None
            yield Page(
                number=number,
                records=[_record(element) for element in list_element.findall("oai:record", NS)],
                complete_list_size=int(size) if size and size.isdigit() else None,
            )
            next_token = (token.text or "").strip() if token is not None else ""
            if not next_token:
                return
            params = {"verb": "ListRecords", "resumptionToken": next_token}
            number += 1


def _record(element: etree._Element) -> Record:
    header = element.find("oai:header", NS)
    metadata = element.find("oai:metadata", NS)
    payload = None
    if metadata is not None:
        children = [child for child in metadata if isinstance(child.tag, str)]
        payload = children[0] if children else None
    return Record(
        identifier=_text(header, "oai:identifier"),
        datestamp=_text(header, "oai:datestamp"),
        deleted=header is not None and header.get("status") == "deleted",
        set_specs=[(s.text or "").strip() for s in header.findall("oai:setSpec", NS)]
        if header is not None
        else [],
        metadata=payload,
    )
