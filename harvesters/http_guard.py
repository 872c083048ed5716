"""Which URLs the safe fetcher may reach, and the requests session that connects to exactly
the address that was checked (no SSRF, no DNS rebinding).

One parser decides: urllib3's ``parse_url``, the parser requests prepares and connects with.
A URL with a backslash, a control character or whitespace, user information (``user@``) or a
scheme other than http(s) is refused before it is prepared. The host of the prepared URL is
resolved once; every address it resolves to must be public (``is_global``, not multicast or
reserved, and no IPv4-mapped, 6to4, Teredo, NAT64 or IPv4-compatible form of a non-public
IPv4 address) unless ``ckanext.smartregion.harvest.allowed_hosts`` names the host or a
network holding the address. The connection then goes to a checked address, never to a
second resolution of the name; the request carries the URL's Host header and an https
connection sends the host name as SNI and verifies the certificate for it. Every redirect
is a new request through the same adapter, so every hop is checked the same way.
"""

from __future__ import annotations

import ipaddress
import re
import socket
import threading
from dataclasses import dataclass
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import ConnectTimeoutError, LocationParseError
from urllib3.util import Url, parse_url

Address = ipaddress.IPv4Address | ipaddress.IPv6Address

DEFAULT_PORTS = {"http": 80, "https": 443}
# IPv6 ranges that carry an IPv4 address in their last 32 bits: NAT64 (RFC 6052, RFC 8215)
# and the deprecated IPv4-compatible form (RFC 4291 2.5.5.1).
IPV4_IN_LAST_32_BITS = (
    ipaddress.ip_network("64:ff9b::/96"),
    ipaddress.ip_network("64:ff9b:1::/48"),
    ipaddress.ip_network("::/96"),
)


class FetchError(Exception):
    """The URL could not be fetched; the message says what and why, for the harvest log."""


class RefusedURLError(FetchError):
    """The URL is not one the harvester may fetch (form, scheme or address)."""


@dataclass(frozen=True)
class Target:
    """A checked URL: where to connect and what to send."""

    scheme: str
    host: str  # the URL's host: lower case, IPv6 without brackets
    port: int
    host_header: str
    request_uri: str  # path and query, as sent in the request line
    addresses: tuple[str, ...]  # every address the host resolved to, all checked


def parse(url: str) -> Url:
    """The URL as urllib3 reads it; RefusedURLError for a form the fetcher never sends."""
    if "\\" in url:
        raise RefusedURLError(
            f"The URL {url!r} contains a backslash; URL parsers disagree on where its host "
            "ends, so it is not fetched (write it with /, or %5C inside the path)"
        )
    if any(ord(char) <= 0x20 or ord(char) == 0x7F for char in url):
        raise RefusedURLError(f"The URL {url!r} contains whitespace or a control character")
    try:
        parsed = parse_url(url)
    except LocationParseError as error:
        raise RefusedURLError(f"The URL {url!r} cannot be read: {error}") from error
    if (parsed.scheme or "").lower() not in DEFAULT_PORTS:
        raise RefusedURLError(f"Only http and https sources can be harvested, not {url!r}")
    authority = re.match(r"^[^:/?#]*://([^/?#]*)", url)
    if parsed.auth is not None or (authority and "@" in authority.group(1)):
        raise RefusedURLError(
            f"The URL {url!r} contains user information (before @); it is not fetched"
        )
    if not parsed.host:
        raise RefusedURLError(f"The URL {url!r} names no host")
    return parsed


def _embedded_ipv4(address: Address) -> list[ipaddress.IPv4Address]:
    if isinstance(address, ipaddress.IPv4Address):
        return []
    found = [address.ipv4_mapped, address.sixtofour, *(address.teredo or ())]
    if any(address in network for network in IPV4_IN_LAST_32_BITS):
        found.append(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
    return [embedded for embedded in found if embedded is not None]


def _is_public_one(address: Address) -> bool:
    return (
        address.is_global
        and not address.is_multicast
        and not address.is_reserved
        and not address.is_unspecified
        and not (isinstance(address, ipaddress.IPv6Address) and address.is_site_local)
    )


def is_public(address: Address) -> bool:
    """Whether address, and any IPv4 address carried inside it, is a public unicast one."""
    return all(_is_public_one(a) for a in (address, *_embedded_ipv4(address)))


def _allowed_by_list(host: str, address: Address, allowed: tuple[str, ...]) -> bool:
    candidates = [address, *_embedded_ipv4(address)]
    for entry in allowed:
        if entry.lower().rstrip(".") == host.rstrip("."):
            return True
        try:
            network = ipaddress.ip_network(entry, strict=False)
        except ValueError:
            continue
        if any(a.version == network.version and a in network for a in candidates):
            return True
    return False


def _resolve(host: str, port: int, url: str) -> list[Address]:
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise FetchError(f"The host {host!r} of {url} cannot be resolved: {error}") from error
    found = [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]
    return list(dict.fromkeys(found))


def check_url(url: str, allowed_hosts: tuple[str, ...]) -> Target:
    """The checked target of url; RefusedURLError unless it is http(s) of an acceptable form
    and every address of its host is public or allow-listed."""
    parsed = parse(url)
    scheme = parsed.scheme.lower()
    host = parsed.host.strip("[]").lower()
    port = parsed.port or DEFAULT_PORTS[scheme]
    addresses = _resolve(host, port, url)
    if not addresses:
        raise FetchError(f"The host {host!r} of {url} resolves to no address")
    for address in addresses:
        if not is_public(address) and not _allowed_by_list(host, address, allowed_hosts):
            raise RefusedURLError(
                f"{url} resolves to the non-public address {address}; an administrator must "
                "name the host in ckanext.smartregion.harvest.allowed_hosts to harvest it"
            )
    shown_host = parsed.host.lower()  # IPv6 keeps its brackets in the Host header
    return Target(
        scheme=scheme,
        host=host,
        port=port,
        host_header=shown_host if port == DEFAULT_PORTS[scheme] else f"{shown_host}:{port}",
        request_uri=parsed.request_uri,
        addresses=tuple(str(address) for address in addresses),
    )


class PinnedAdapter(HTTPAdapter):
    """Checks each prepared request's URL and connects to a checked address of its host
    (the next one only when connecting to the previous one failed)."""

    def __init__(self, allowed_hosts: tuple[str, ...]) -> None:
        super().__init__(max_retries=0)
        self.allowed_hosts = allowed_hosts
        self._pin = threading.local()

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any):
        target = check_url(request.url or "", self.allowed_hosts)
        request.headers["Host"] = target.host_header
        kwargs["proxies"] = None  # a proxy would resolve the name again, unchecked
        failure: requests.ConnectionError | None = None
        for address in target.addresses:
            self._pin.value = (target, address)
            try:
                return super().send(request, *args, **kwargs)
            except requests.ConnectionError as error:
                reason = getattr(error.args[0], "reason", None) if error.args else None
                if not isinstance(reason, ConnectTimeoutError):  # not a failed connect
                    raise
                failure = error
            finally:
                self._pin.value = None
        assert failure is not None
        raise failure

    def get_connection_with_tls_context(
        self,
        request: requests.PreparedRequest,
        verify: Any,
        proxies: Any = None,
        cert: Any = None,
    ):
        target, address = self._pin.value
        _, pool_kwargs = self.build_connection_pool_key_attributes(request, verify, cert)
        if target.scheme == "https":
            # SNI and the certificate check are for the name, the socket goes to the address
            pool_kwargs["server_hostname"] = target.host
        return self.poolmanager.connection_from_host(
            scheme=target.scheme, host=address, port=target.port, pool_kwargs=pool_kwargs
        )

    def request_url(self, request: requests.PreparedRequest, proxies: Any) -> str:
        return self._pin.value[0].request_uri


class GuardedSession(requests.Session):
    """A requests session that fetches only through PinnedAdapter: no environment proxies or
    .netrc credentials, and the URL's form checked before requests rewrites it."""

    def __init__(self, allowed_hosts: tuple[str, ...]) -> None:
        super().__init__()
        self.trust_env = False
        self.adapters.clear()
        adapter = PinnedAdapter(allowed_hosts)
        self.mount("http://", adapter)
        self.mount("https://", adapter)

    def prepare_request(self, request: requests.Request) -> requests.PreparedRequest:
        parse(str(request.url))
        return super().prepare_request(request)
