"""The six OAI-PMH 2.0 verbs over records.py, each answer an lxml tree (errors as the
protocol's codes: badVerb, badArgument, badResumptionToken, cannotDisseminateFormat,
idDoesNotExist, noRecordsMatch)."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

import ckan.plugins.toolkit as tk
from lxml import etree

from ckanext.smartregion.oai import records, tokens
from ckanext.smartregion.oai.formats import dc, edm, lido

OAI = "http://www.openarchives.org/OAI/2.0/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
GRANULARITY = "YYYY-MM-DDThh:mm:ssZ"
FORMATS: dict[str, tuple[str, str, Callable[..., etree._Element]]] = {
    "oai_dc": (dc.SCHEMA, dc.NAMESPACE, dc.element),
    "lido": (lido.SCHEMA, lido.NS, lido.element),
    "edm": (edm.SCHEMA, edm.NAMESPACE, edm.element),
}
LIST_ARGUMENTS = {"metadataPrefix", "from", "until", "set"}
ARGUMENTS: dict[str, tuple[set[str], set[str]]] = {  # verb: (required, optional)
    "Identify": (set(), set()),
    "ListMetadataFormats": (set(), {"identifier"}),
    "ListSets": (set(), {"resumptionToken"}),
    "ListIdentifiers": ({"metadataPrefix"}, LIST_ARGUMENTS | {"resumptionToken"}),
    "ListRecords": ({"metadataPrefix"}, LIST_ARGUMENTS | {"resumptionToken"}),
    "GetRecord": ({"identifier", "metadataPrefix"}, set()),
}
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SECOND = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


class OaiError(Exception):
    def __init__(self, code: str, message: str, echo: bool = True) -> None:
        super().__init__(message)
        self.code = code
        self.echo = echo  # whether the request's arguments are written back


def _q(name: str) -> str:
    return f"{{{OAI}}}{name}"


def _sub(parent: etree._Element, name: str, text: str | None = None, **attrs: str) -> Any:
    element = etree.SubElement(parent, _q(name), **attrs)
    if text is not None:
        element.text = text
    return element


def datestamp(moment: datetime.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def base_url() -> str:
    return tk.url_for("smartregion_oai.provider", _external=True)


def identifier(package_id: str) -> str:
    return f"oai:{urlsplit(tk.config['ckan.site_url']).netloc or 'portal'}:{package_id}"


def _package_id(oai_identifier: str) -> str | None:
    prefix = identifier("")
    return oai_identifier[len(prefix) :] if oai_identifier.startswith(prefix) else None


def respond(arguments: Mapping[str, list[str]]) -> etree._Element:
    """The whole OAI-PMH answer to a request's arguments (each name with its values)."""
    root = etree.Element(_q("OAI-PMH"), nsmap={None: OAI, "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation", f"{OAI} http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd")
    _sub(root, "responseDate", datestamp(datetime.datetime.now(datetime.UTC)))
    request = _sub(root, "request", base_url())
    try:
        verb, args = _checked(arguments)
        body = VERBS[verb](args)
    except OaiError as error:
        if error.echo and error.code not in ("badVerb", "badArgument"):
            for name, values in arguments.items():
                request.set(name, values[0])
        _sub(root, "error", str(error), code=error.code)
        return root
    for name, value in {"verb": verb, **args}.items():
        request.set(name, value)
    root.append(body)
    return root


def _checked(arguments: Mapping[str, list[str]]) -> tuple[str, dict[str, str]]:
    verbs = arguments.get("verb") or []
    if len(verbs) != 1 or verbs[0] not in ARGUMENTS:
        raise OaiError(
            "badVerb",
            tk._(
                "The verb argument is missing, repeated or not one of "
                "Identify, ListMetadataFormats, ListSets, "
                "ListIdentifiers, ListRecords, GetRecord."
            ),
        )
    verb = verbs[0]
    required, optional = ARGUMENTS[verb]
    args: dict[str, str] = {}
    for name, values in arguments.items():
        if name == "verb":
            continue
        if name not in required | optional:
            raise OaiError(
                "badArgument", tk._("{verb} has no argument {name}.").format(verb=verb, name=name)
            )
        if len(values) != 1:
            raise OaiError(
                "badArgument", tk._("The argument {name} is repeated.").format(name=name)
            )
        args[name] = values[0]
    if "resumptionToken" in args:
        if len(args) > 1:
            raise OaiError(
                "badArgument",
                tk._("resumptionToken is an exclusive argument: send it with the verb only."),
            )
    else:
        missing = sorted(required - set(args))
        if missing:
            raise OaiError(
                "badArgument",
                tk._("{verb} needs the argument(s) {names}.").format(
                    verb=verb, names=", ".join(missing)
                ),
            )
    return verb, args


def _identify(args: dict[str, str]) -> etree._Element:
    body = etree.Element(_q("Identify"))
    _sub(body, "repositoryName", tk.config["ckanext.smartregion.oai.repository_name"])
    _sub(body, "baseURL", base_url())
    _sub(body, "protocolVersion", "2.0")
    _sub(body, "adminEmail", tk.config["ckanext.smartregion.oai.admin_email"])
    earliest = records.earliest() or datetime.datetime(2000, 1, 1)
    _sub(body, "earliestDatestamp", datestamp(earliest))
    _sub(body, "deletedRecord", "persistent")
    _sub(body, "granularity", GRANULARITY)
    return body


def _list_metadata_formats(args: dict[str, str]) -> etree._Element:
    if "identifier" in args:
        _known_header(args["identifier"])
    body = etree.Element(_q("ListMetadataFormats"))
    for prefix, (schema, namespace, _build) in FORMATS.items():
        entry = _sub(body, "metadataFormat")
        _sub(entry, "metadataPrefix", prefix)
        _sub(entry, "schema", schema)
        _sub(entry, "metadataNamespace", namespace)
    return body


def _list_sets(args: dict[str, str]) -> etree._Element:
    if "resumptionToken" in args:
        raise OaiError(
            "badResumptionToken",
            tk._("ListSets is answered in one page; it issues no resumptionToken."),
        )
    body = etree.Element(_q("ListSets"))
    for spec, name in records.sets():
        entry = _sub(body, "set")
        _sub(entry, "setSpec", spec)
        _sub(entry, "setName", name)
    return body


def _known_header(oai_identifier: str) -> records.Header:
    package_id = _package_id(oai_identifier)
    found = records.header(package_id) if package_id else None
    if found is None:
        # The identifier is not written back: a private object's id never appears in an answer.
        raise OaiError(
            "idDoesNotExist", tk._("No record has this identifier in this repository."), echo=False
        )
    return found


def _format(prefix: str) -> Callable[..., etree._Element]:
    if prefix not in FORMATS:
        raise OaiError(
            "cannotDisseminateFormat",
            tk._("The metadataPrefix {prefix} is not served here: use oai_dc, lido or edm.").format(
                prefix=prefix
            ),
        )
    return FORMATS[prefix][2]


def _header_element(parent: etree._Element, header: records.Header) -> None:
    element = _sub(parent, "header")
    if not header.live:
        element.set("status", "deleted")
    _sub(element, "identifier", identifier(header.id))
    _sub(element, "datestamp", datestamp(header.modified))
    for spec in header.set_specs:
        _sub(element, "setSpec", spec)


def _record_element(
    parent: etree._Element,
    header: records.Header,
    build: Callable[..., etree._Element],
    dataset: dict[str, Any] | None,
) -> None:
    record = _sub(parent, "record")
    _header_element(record, header)
    if header.live and dataset is not None:
        _sub(record, "metadata").append(build(dataset, header))


def _get_record(args: dict[str, str]) -> etree._Element:
    build = _format(args["metadataPrefix"])
    header = _known_header(args["identifier"])
    body = etree.Element(_q("GetRecord"))
    _record_element(body, header, build, records.datasets([header]).get(header.id))
    records.remember_served([header])
    return body


def _moment(text: str, name: str, end: bool) -> tuple[datetime.datetime, str]:
    if _SECOND.match(text):
        moment, granularity = datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ"), "s"
        step = datetime.timedelta(seconds=1)
    elif _DAY.match(text):
        moment, granularity = datetime.datetime.strptime(text, "%Y-%m-%d"), "d"
        step = datetime.timedelta(days=1)
    else:
        raise OaiError(
            "badArgument",
            tk._("{name} must be YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ (UTC), not {value}.").format(
                name=name, value=text
            ),
        )
    return (moment + step if end else moment), granularity  # until is inclusive


def _selection(start: str | None, end: str | None, set_spec: str | None) -> records.Selection:
    try:
        lower = _moment(start, "from", False) if start else None
        upper = _moment(end, "until", True) if end else None
    except ValueError as error:  # a date such as 2026-02-30
        raise OaiError(
            "badArgument", tk._("from or until is not a valid date: {error}").format(error=error)
        ) from error
    if lower and upper:
        if lower[1] != upper[1]:
            raise OaiError("badArgument", tk._("from and until must have the same granularity."))
        if lower[0] >= upper[0]:
            raise OaiError("badArgument", tk._("from is later than until."))
    return records.Selection(lower[0] if lower else None, upper[0] if upper else None, set_spec)


def _list(verb: str, args: dict[str, str]) -> etree._Element:
    if "resumptionToken" in args:
        try:
            token = tokens.decode(args["resumptionToken"], verb)
        except tokens.BadToken as error:
            raise OaiError("badResumptionToken", str(error)) from error
        prefix, after, cursor, size = token.prefix, token.after, token.cursor, token.size
        start, end, set_spec = token.start, token.end, token.set_spec
    else:
        prefix, after, cursor, size = args["metadataPrefix"], None, 0, -1
        start, end, set_spec = args.get("from"), args.get("until"), args.get("set")
    build = _format(prefix)
    selection = _selection(start, end, set_spec)
    page_size = tk.config["ckanext.smartregion.oai.page_size"]
    headers = records.headers_page(selection, after, page_size)
    if not headers and after is None:
        raise OaiError("noRecordsMatch", tk._("No record matches these arguments."))
    if size < 0:
        size = records.count(selection) if len(headers) > page_size else len(headers)
    page, more = headers[:page_size], len(headers) > page_size
    body = etree.Element(_q(verb))
    if verb == "ListRecords":
        datasets = records.datasets(page)
        for header in page:
            _record_element(body, header, build, datasets.get(header.id))
    else:
        for header in page:
            _header_element(body, header)
    records.remember_served(page)
    if after is not None or more:
        _token_element(body, verb, prefix, start, end, set_spec, page, cursor, size, more)
    return body


def _token_element(
    body: etree._Element,
    verb: str,
    prefix: str,
    start: str | None,
    end: str | None,
    set_spec: str | None,
    page: list[records.Header],
    cursor: int,
    size: int,
    more: bool,
) -> None:
    element = _sub(body, "resumptionToken", cursor=str(cursor), completeListSize=str(size))
    if not more:
        return  # the last page: an empty token ends the list
    expires = tokens.expiry_from_now(tk.config["ckanext.smartregion.oai.token_hours"])
    last = page[-1]
    element.set("expirationDate", expires.replace("+00:00", "Z"))
    element.text = tokens.encode(
        tokens.Token(
            verb,
            prefix,
            start,
            end,
            set_spec,
            last.modified.isoformat(),
            last.id,
            cursor + len(page),
            size,
            expires,
        )
    )


VERBS: dict[str, Callable[[dict[str, str]], etree._Element]] = {
    "Identify": _identify,
    "ListMetadataFormats": _list_metadata_formats,
    "ListSets": _list_sets,
    "ListIdentifiers": lambda args: _list("ListIdentifiers", args),
    "ListRecords": lambda args: _list("ListRecords", args),
    "GetRecord": _get_record,
}
