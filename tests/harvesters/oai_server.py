"""A real OAI-PMH 2.0 repository on 127.0.0.1 for tests and benchmarks, serving LIDO.

Records are held in memory (identifier → datestamp, LIDO or deletion, sets) and listed in
pages of ``page_size`` with resumption tokens. Faults are switched on per test: HTTP errors
for the next N requests, a malformed or hostile page at a given page number.
"""

from __future__ import annotations

import datetime
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit
from xml.sax.saxutils import escape

LIDO_NS = "http://www.lido-schema.org"


@dataclass
class StoredRecord:
    datestamp: str
    lido: str | None  # None: deleted
    sets: tuple[str, ...] = ()


@dataclass
class Faults:
    http_errors: list[int] = field(default_factory=list)  # statuses for the next requests
    page_bodies: dict[int, bytes] = field(default_factory=dict)  # page number → raw body


def now_datestamp() -> str:
    return datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class OaiRepository:
    def __init__(self, page_size: int = 10, name: str = "Testovací sbírky") -> None:
        self.page_size = page_size
        self.name = name
        self.records: dict[str, StoredRecord] = {}
        self.faults = Faults()
        self.requests: list[dict[str, str]] = []
        self.lock = threading.Lock()
        self._selection: tuple[tuple, list[tuple[str, StoredRecord]]] | None = None

    def put(
        self, identifier: str, lido: str, sets: tuple[str, ...] = (), datestamp: str | None = None
    ) -> None:
        self.records[identifier] = StoredRecord(datestamp or now_datestamp(), lido, sets)
        self._selection = None

    def delete(self, identifier: str) -> None:
        self.records[identifier] = StoredRecord(
            now_datestamp(), None, self.records[identifier].sets
        )
        self._selection = None

    def remove(self, identifier: str) -> None:
        """Drop a record without a trace (a repository with deletedRecord=no)."""
        del self.records[identifier]
        self._selection = None

    # -- protocol ----------------------------------------------------------------------------

    def answer(self, query: dict[str, str]) -> tuple[int, bytes]:
        with self.lock:
            self.requests.append(query)
            if self.faults.http_errors:
                return self.faults.http_errors.pop(0), b"Service Unavailable"
        verb = query.get("verb")
        if verb == "Identify":
            return 200, self._envelope(query, self._identify())
        if verb == "ListRecords":
            return self._list_records(query)
        return 200, self._envelope(query, '<error code="badVerb">Illegal OAI verb</error>')

    def _identify(self) -> str:
        return (
            f"<Identify><repositoryName>{escape(self.name)}</repositoryName>"
            "<baseURL>http://127.0.0.1/oai</baseURL><protocolVersion>2.0</protocolVersion>"
            "<adminEmail>sbirky@example.cz</adminEmail>"
            "<earliestDatestamp>2000-01-01T00:00:00Z</earliestDatestamp>"
            "<deletedRecord>persistent</deletedRecord>"
            "<granularity>YYYY-MM-DDThh:mm:ssZ</granularity></Identify>"
        )

    def _list_records(self, query: dict[str, str]) -> tuple[int, bytes]:
        token = query.get("resumptionToken")
        if token:
            try:
                offset_text, prefix, set_spec, since, page_text = token.split("|")
                offset, page = int(offset_text), int(page_text)
            except ValueError:
                return 200, self._envelope(
                    query, '<error code="badResumptionToken">Unknown token</error>'
                )
        else:
            offset, page = 0, 1
            prefix, set_spec, since = (
                query.get("metadataPrefix", ""),
                query.get("set", ""),
                query.get("from", ""),
            )
        if prefix != "lido":
            return 200, self._envelope(
                query, f'<error code="cannotDisseminateFormat">{escape(prefix)}</error>'
            )
        if page in self.faults.page_bodies:
            return 200, self.faults.page_bodies[page]
        selected = self._select(set_spec, since)
        if not selected:
            return 200, self._envelope(
                query, '<error code="noRecordsMatch">No records match</error>'
            )
        chunk = selected[offset : offset + self.page_size]
        parts = ["<ListRecords>"]
        parts += [self._record(identifier, record) for identifier, record in chunk]
        following = offset + self.page_size
        next_token = (
            f"{following}|{prefix}|{set_spec}|{since}|{page + 1}"
            if following < len(selected)
            else ""
        )
        parts.append(
            f'<resumptionToken completeListSize="{len(selected)}" cursor="{offset}">'
            f"{escape(next_token)}</resumptionToken></ListRecords>"
        )
        return 200, self._envelope(query, "".join(parts))

    def _select(self, set_spec: str, since: str) -> list[tuple[str, StoredRecord]]:
        """The records a list request matches, in identifier order; kept until the records
        change, so that paging through 100,000 records does not sort them once per page."""
        with self.lock:
            if self._selection and self._selection[0] == (set_spec, since):
                return self._selection[1]
            selected = [
                (identifier, record)
                for identifier, record in sorted(self.records.items())
                if (not set_spec or set_spec in record.sets)
                and (not since or record.datestamp >= since)
            ]
            self._selection = ((set_spec, since), selected)
            return selected

    @staticmethod
    def _record(identifier: str, record: StoredRecord) -> str:
        status = ' status="deleted"' if record.lido is None else ""
        sets = "".join(f"<setSpec>{escape(s)}</setSpec>" for s in record.sets)
        header = (
            f"<header{status}><identifier>{escape(identifier)}</identifier>"
            f"<datestamp>{record.datestamp}</datestamp>{sets}</header>"
        )
        metadata = f"<metadata>{record.lido}</metadata>" if record.lido is not None else ""
        return f"<record>{header}{metadata}</record>"

    @staticmethod
    def _envelope(query: dict[str, str], body: str) -> bytes:
        attributes = "".join(
            f' {k}="{escape(v)}"' for k, v in query.items() if k != "resumptionToken"
        )
        return (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">'
            f"<responseDate>{now_datestamp()}</responseDate>"
            f"<request{attributes}>http://127.0.0.1/oai</request>{body}</OAI-PMH>"
        ).encode()


class _Handler(BaseHTTPRequestHandler):
    repository: OaiRepository

    def do_GET(self) -> None:
        query = {k: v[0] for k, v in parse_qs(urlsplit(self.path).query).items()}
        status, body = self.server.repository.answer(query)  # type: ignore[attr-defined]
        self.send_response(status)
        self.send_header("Content-Type", "text/xml; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args) -> None:
        pass


class OaiServer:
    """Runs an OaiRepository on a free port of 127.0.0.1 in a background thread."""

    def __init__(self, repository: OaiRepository) -> None:
        self.repository = repository
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.httpd.repository = repository  # type: ignore[attr-defined]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/oai"

    def __enter__(self) -> OaiServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def lido_record(
    number: int,
    *,
    title: str | None = None,
    inventory: str | None = None,
    institution: str = "Severočeské muzeum v Liberci",
    wrap: bool = True,
    material: str = "sklo",
    year: int = 1890,
) -> str:
    """A small valid LIDO 1.0 record (the bench and most tests use it)."""
    title = title if title is not None else f"Sklenice č. {number}"
    inventory = inventory if inventory is not None else f"S-{number:06d}"
    namespace = "" if wrap else f' xmlns:lido="{LIDO_NS}"'
    inventory_xml = (
        f'<lido:workID lido:type="inventory number">{escape(inventory)}</lido:workID>'
        if inventory
        else ""
    )
    lido = (
        f"<lido:lido{namespace}>"
        f'<lido:lidoRecID lido:type="local">SMLK-{number}</lido:lidoRecID>'
        "<lido:category><lido:term>Man-Made Object</lido:term></lido:category>"
        '<lido:descriptiveMetadata xml:lang="cs">'
        "<lido:objectClassificationWrap><lido:objectWorkTypeWrap><lido:objectWorkType>"
        "<lido:term>sklenice</lido:term></lido:objectWorkType></lido:objectWorkTypeWrap>"
        "</lido:objectClassificationWrap>"
        "<lido:objectIdentificationWrap>"
        f"<lido:titleWrap><lido:titleSet><lido:appellationValue>{escape(title)}</lido:appellationValue>"
        "</lido:titleSet></lido:titleWrap>"
        '<lido:repositoryWrap><lido:repositorySet lido:type="current"><lido:repositoryName>'
        f"<lido:legalBodyName><lido:appellationValue>{escape(institution)}</lido:appellationValue>"
        f"</lido:legalBodyName></lido:repositoryName>{inventory_xml}</lido:repositorySet></lido:repositoryWrap>"
        "</lido:objectIdentificationWrap>"
        "<lido:eventWrap><lido:eventSet><lido:event>"
        "<lido:eventType><lido:term>výroba</lido:term></lido:eventType>"
        f"<lido:eventDate><lido:displayDate>kolem roku {year}</lido:displayDate><lido:date>"
        f"<lido:earliestDate>{year - 5}</lido:earliestDate>"
        f"<lido:latestDate>{year + 5}</lido:latestDate>"
        "</lido:date></lido:eventDate>"
        '<lido:eventMaterialsTech><lido:materialsTech><lido:termMaterialsTech lido:type="material">'
        f"<lido:term>{escape(material)}</lido:term></lido:termMaterialsTech></lido:materialsTech>"
        "</lido:eventMaterialsTech></lido:event></lido:eventSet></lido:eventWrap>"
        "</lido:descriptiveMetadata>"
        '<lido:administrativeMetadata xml:lang="cs"><lido:recordWrap>'
        f'<lido:recordID lido:type="local">{number}</lido:recordID>'
        "<lido:recordType><lido:term>item</lido:term></lido:recordType>"
        "<lido:recordSource><lido:legalBodyName><lido:appellationValue>"
        f"{escape(institution)}</lido:appellationValue></lido:legalBodyName></lido:recordSource>"
        "</lido:recordWrap></lido:administrativeMetadata></lido:lido>"
    )
    return f'<lido:lidoWrap xmlns:lido="{LIDO_NS}">{lido}</lido:lidoWrap>' if wrap else lido


def generated_records(count: int, start: int = 1) -> Iterator[tuple[str, str]]:
    for number in range(start, start + count):
        yield f"oai:sbirky.example.cz:{number}", lido_record(number)
