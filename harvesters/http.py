"""A safe HTTP fetcher for harvesters: timeouts, retries with backoff, a size cap, no SSRF.

Only http(s) URLs are fetched, through http_guard.GuardedSession: the URL is checked with the
parser that connects, its host resolved once, every address checked (loopback, private,
shared, link-local, reserved and multicast addresses refused unless
``ckanext.smartregion.harvest.allowed_hosts`` names the host or a network holding the
address) and the connection made to exactly the checked address. Redirects are followed by
hand so every hop is checked the same way. Server errors (5xx, 429) and connection failures
are retried with exponential backoff; 4xx answers are not.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from urllib.parse import urljoin

import ckan.plugins.toolkit as tk
import requests

from ckanext.smartregion.harvesters.http_guard import (
    FetchError,
    GuardedSession,
    RefusedURLError,
    check_url,
)

__all__ = ["FetchError", "FetchSettings", "Fetcher", "RefusedURLError", "check_url"]

log = logging.getLogger(__name__)

USER_AGENT = "ckanext-smartregion-harvester/0.1 (+https://github.com/)"
MAX_REDIRECTS = 5
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
MAX_RETRY_AFTER = 120.0
CHUNK_BYTES = 64 * 1024


@dataclass(frozen=True)
class FetchSettings:
    connect_timeout: float
    read_timeout: float
    retries: int
    backoff: float
    max_bytes: int
    allowed_hosts: tuple[str, ...]

    @classmethod
    def from_config(cls) -> FetchSettings:
        config = tk.config
        return cls(
            connect_timeout=float(config.get("ckanext.smartregion.harvest.connect_timeout")),
            read_timeout=float(config.get("ckanext.smartregion.harvest.read_timeout")),
            retries=int(config.get("ckanext.smartregion.harvest.retries")),
            backoff=float(config.get("ckanext.smartregion.harvest.backoff")),
            max_bytes=int(config.get("ckanext.smartregion.harvest.max_response_bytes")),
            allowed_hosts=tuple(config.get("ckanext.smartregion.harvest.allowed_hosts") or ()),
        )


class Fetcher:
    """Fetches URLs with the portal's harvest settings; one requests session per instance."""

    def __init__(self, settings: FetchSettings | None = None) -> None:
        self.settings = settings or FetchSettings.from_config()
        self.session = GuardedSession(self.settings.allowed_hosts)
        self.session.headers["User-Agent"] = USER_AGENT

    def close(self) -> None:
        self.session.close()

    def get(self, url: str, params: dict[str, str] | None = None) -> bytes:
        """The body of url (with params), retried on 5xx/429 and connection failures."""
        attempt = 0
        while True:
            try:
                return self._get_once(url, params)
            except _Retryable as error:
                if attempt >= self.settings.retries:
                    raise FetchError(f"{error} (gave up after {attempt + 1} attempts)") from error
                delay = error.retry_after or self.settings.backoff * (2**attempt)
                delay = min(delay, MAX_RETRY_AFTER)
                log.warning("%s; retrying in %.1f s", error, delay)
                time.sleep(delay)
                attempt += 1

    def _get_once(self, url: str, params: dict[str, str] | None) -> bytes:
        settings = self.settings
        for _hop in range(MAX_REDIRECTS + 1):
            try:
                response = self.session.get(
                    url,
                    params=params,
                    timeout=(settings.connect_timeout, settings.read_timeout),
                    allow_redirects=False,
                    stream=True,
                )
            except (requests.ConnectionError, requests.Timeout) as error:
                raise _Retryable(f"Could not reach {url}: {error}") from error
            except requests.RequestException as error:
                raise FetchError(f"Request to {url} failed: {error}") from error
            with response:
                if response.is_redirect:
                    url = urljoin(response.url, response.headers["Location"])
                    params = None
                    continue
                if response.status_code in RETRY_STATUSES:
                    raise _Retryable(
                        f"{response.url} answered HTTP {response.status_code}",
                        _retry_after(response.headers.get("Retry-After")),
                    )
                if response.status_code >= 400:
                    raise FetchError(f"{response.url} answered HTTP {response.status_code}")
                return self._read_capped(response)
        raise FetchError(f"More than {MAX_REDIRECTS} redirects from {url}")

    def _read_capped(self, response: requests.Response) -> bytes:
        cap = self.settings.max_bytes
        declared = response.headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > cap:
            raise FetchError(f"{response.url} is {declared} bytes, over the {cap}-byte limit")
        body = bytearray()
        try:
            for chunk in response.iter_content(CHUNK_BYTES):
                body += chunk
                if len(body) > cap:
                    raise FetchError(f"{response.url} sent more than the {cap}-byte limit")
        except (requests.ConnectionError, requests.Timeout) as error:
            raise _Retryable(f"Reading {response.url} failed: {error}") from error
        return bytes(body)


class _Retryable(FetchError):
    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def _retry_after(value: str | None) -> float | None:
    if value and value.strip().isdigit():
        return float(value.strip())
    return None
