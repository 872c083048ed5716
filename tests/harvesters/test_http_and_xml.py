"""The safe HTTP fetcher and XML parser every harvester uses."""

from __future__ import annotations

import pytest

from ckanext.smartregion.harvesters import safe_xml
from ckanext.smartregion.harvesters.http import Fetcher, FetchError, FetchSettings, RefusedURLError


def _settings(**overrides) -> FetchSettings:
    values = {
        "connect_timeout": 2.0,
        "read_timeout": 5.0,
        "retries": 2,
        "backoff": 0.05,
        "max_bytes": 1_000_000,
        "allowed_hosts": ("127.0.0.1",),
    }
    return FetchSettings(**{**values, **overrides})


def test_loopback_is_refused_unless_allow_listed(oai_repository):
    _repository, url = oai_repository

    with pytest.raises(RefusedURLError, match="allowed_hosts"):
        Fetcher(_settings(allowed_hosts=())).get(url, {"verb": "Identify"})
    assert b"<Identify>" in Fetcher(_settings()).get(url, {"verb": "Identify"})


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://127.0.0.1/x", "gopher://x"])
def test_only_http_and_https_are_fetched(url):
    with pytest.raises(RefusedURLError, match="Only http and https"):
        Fetcher(_settings()).get(url)


def test_private_networks_are_refused_by_default():
    with pytest.raises(RefusedURLError, match=r"non-public address 10\.1\.2\.3"):
        Fetcher(_settings(allowed_hosts=())).get("http://10.1.2.3/oai")


def test_a_response_over_the_size_cap_is_refused(oai_repository):
    _repository, url = oai_repository

    with pytest.raises(FetchError, match="100-byte limit"):
        Fetcher(_settings(max_bytes=100)).get(url, {"verb": "Identify"})


def test_server_errors_are_retried_then_given_up(oai_repository):
    repository, url = oai_repository
    repository.faults.http_errors = [503, 502]
    assert b"<Identify>" in Fetcher(_settings()).get(url, {"verb": "Identify"})

    repository.faults.http_errors = [503, 503, 503]
    with pytest.raises(FetchError, match="gave up after 3 attempts"):
        Fetcher(_settings()).get(url, {"verb": "Identify"})


def test_client_errors_are_not_retried(oai_repository):
    repository, url = oai_repository
    repository.faults.http_errors = [404, 404]

    with pytest.raises(FetchError, match="HTTP 404"):
        Fetcher(_settings()).get(url, {"verb": "Identify"})
    assert repository.faults.http_errors == [404]


def test_external_entities_are_refused(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("tajné")
    document = (f'<!DOCTYPE r [<!ENTITY x SYSTEM "file://{secret}">]><r>&x;</r>').encode()

    with pytest.raises(safe_xml.UnsafeXMLError):
        safe_xml.parse(document)


def test_billion_laughs_is_refused():
    entities = '<!ENTITY a "ha">' + "".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9)
    )
    for encoding in ("utf-8", "utf-16"):  # UTF-16 passes the byte check: libxml2 refuses it
        document = f"<!DOCTYPE r [{entities}]><r>&j;</r>".encode(encoding)

        with pytest.raises((safe_xml.UnsafeXMLError, safe_xml.MalformedXMLError)):
            safe_xml.parse(document)


def test_czech_text_survives_parsing():
    assert safe_xml.parse("<r>Žluťoučký kůň</r>".encode()).text == "Žluťoučký kůň"
