"""Server-side request forgery through the shared safe fetcher (harvesters, previews, link
checks, the download-all ZIP): every trick to reach a loopback or internal address is refused
before a byte reaches it, and the connection goes to the address that was checked."""

from __future__ import annotations

import socket
import ssl

import pytest

from ckanext.smartregion.downloads import source
from ckanext.smartregion.harvesters.http import Fetcher, FetchError, FetchSettings, RefusedURLError
from ckanext.smartregion.review import links
from tests.security.recording_server import RecordingServer, make_certificates

SECRET = b"solr: private dataset title"


def _settings(*allowed: str) -> FetchSettings:
    return FetchSettings(
        connect_timeout=0.5,
        read_timeout=5.0,
        retries=0,
        backoff=0.01,
        max_bytes=1_000_000,
        allowed_hosts=allowed,
    )


@pytest.fixture
def internal():
    """The portal's own internal service (Solr, say) on 127.0.0.1."""
    with RecordingServer() as server:
        server.route("/solr/ckan/select", body=SECRET)
        yield server


class TestZone:
    """Names of a test DNS zone: answers[name] lists the addresses given to successive
    look-ups of the name (the last one repeats); lookups records each look-up."""

    def __init__(self) -> None:
        self.answers: dict[str, list[str]] = {}
        self.lookups: list[str] = []


@pytest.fixture
def zone(monkeypatch) -> TestZone:
    """socket.getaddrinfo answering the names of a TestZone; other names resolved as usual."""
    zone = TestZone()
    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        name = host.decode() if isinstance(host, bytes) else host
        if name not in zone.answers:
            return real(host, port, *args, **kwargs)
        zone.lookups.append(name)
        addresses = zone.answers[name]
        return real(addresses.pop(0) if len(addresses) > 1 else addresses[0], port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return zone


def test_a_backslash_cannot_hide_the_host_that_is_connected_to(internal):
    # urlsplit reads the host 1.1.1.1; requests connects to 127.0.0.1
    url = f"http://127.0.0.1:{internal.port}\\@1.1.1.1/../solr/ckan/select?q=*:*"

    with pytest.raises(RefusedURLError, match="backslash"):
        Fetcher(_settings()).get(url)
    assert internal.hits == []


def test_the_link_check_and_the_previews_refuse_it_too(internal):
    url = f"http://127.0.0.1:{internal.port}\\@1.1.1.1/../solr/ckan/select"
    settings = _settings()
    fetcher = Fetcher(settings)

    assert "backslash" in links.check_url(url, fetcher.session, settings)
    with pytest.raises(source.SourceError, match="backslash"):
        source.read_bytes({"id": "r1", "url": url}, 1000)
    assert internal.hits == []


def test_a_backslash_in_a_redirect_is_refused(internal):
    with RecordingServer() as public:  # stands for a public site: allow-listed
        start = public.redirect(
            "/data.csv", f"http://127.0.0.2:{internal.port}\\@1.1.1.1/../solr/ckan/select"
        )

        with pytest.raises(RefusedURLError, match="backslash"):
            Fetcher(_settings("127.0.0.1")).get(start)
    assert [hit.path for hit in public.hits] == ["/data.csv"]


@pytest.mark.parametrize("userinfo", ["user:secret@", "1.1.1.1@", "@"])
def test_user_information_is_refused(internal, userinfo):
    url = f"http://{userinfo}127.0.0.1:{internal.port}/solr/ckan/select"

    with pytest.raises(RefusedURLError, match="user information"):
        Fetcher(_settings("127.0.0.1")).get(url)
    assert internal.hits == []


@pytest.mark.parametrize(
    "host",
    [
        "100.64.0.1",  # shared address space (carrier-grade NAT), not public
        "0.0.0.0",  # connects to this machine
        "[::ffff:127.0.0.1]",  # IPv4-mapped loopback
        "[::1]",
        "2130706433",  # 127.0.0.1 as one decimal number
        "0177.0.0.1",  # 127.0.0.1 in octal
        "0x7f.1",
        "localhost",  # a name resolving to loopback
        "169.254.169.254",  # cloud metadata
        "10.1.2.3",
        "[fd00::1]",
        "[2002:7f00:1::1]",  # 6to4 of 127.0.0.1
        "[64:ff9b::7f00:1]",  # NAT64 of 127.0.0.1
        "[64:ff9b::a01:203]",  # NAT64 of 10.1.2.3
        "224.0.0.1",  # multicast
    ],
)
def test_non_public_addresses_are_refused(internal, host):
    with pytest.raises(RefusedURLError, match="non-public address"):
        Fetcher(_settings()).get(f"http://{host}:{internal.port}/solr/ckan/select")
    assert internal.hits == []


@pytest.mark.parametrize("scheme", ["file:///etc/passwd", "ftp://127.0.0.1/", "gopher://x/"])
def test_only_http_and_https_are_followed_by_a_redirect(scheme):
    with RecordingServer() as public:
        start = public.redirect("/data.csv", scheme)

        with pytest.raises(RefusedURLError, match="Only http and https"):
            Fetcher(_settings("127.0.0.1")).get(start)


def test_a_redirect_to_an_address_not_allowed_is_refused(internal):
    with RecordingServer("127.0.0.2") as other:  # loopback, but not on the allow-list
        other.route("/solr/ckan/select", body=SECRET)
        start = internal.redirect("/go", other.url + "/solr/ckan/select")

        with pytest.raises(RefusedURLError, match=r"non-public address 127\.0\.0\.2"):
            Fetcher(_settings("127.0.0.1")).get(start)
    assert other.hits == []


def test_the_checked_address_is_the_one_connected_to(internal, zone):
    """DNS rebinding: the first answer is an allowed address, the next one an internal
    service; the name is resolved once and the connection pinned to the first answer."""
    with RecordingServer("127.0.0.2", internal.port) as rebound:
        rebound.route("/solr/ckan/select", body=SECRET)
        internal.route("/data.csv", body=b"a,b\n1,2\n")
        zone.answers["rebind.test"] = ["127.0.0.1", "127.0.0.2"]

        body = Fetcher(_settings("127.0.0.1")).get(f"http://rebind.test:{internal.port}/data.csv")

    assert body == b"a,b\n1,2\n"
    assert rebound.hits == []
    assert [(h.path, h.host) for h in internal.hits] == [
        ("/data.csv", f"rebind.test:{internal.port}")
    ]
    assert zone.lookups == ["rebind.test"]


def test_the_allow_list_still_admits_hosts_and_networks(internal):
    internal.route("/data.csv", body=b"ok")

    for allowed, host in [
        ("127.0.0.1", "127.0.0.1"),
        ("127.0.0.0/8", "127.0.0.1"),
        ("localhost", "localhost"),
        ("127.0.0.1", "2130706433"),  # the same address, written otherwise
    ]:
        url = f"http://{host}:{internal.port}/data.csv"
        assert Fetcher(_settings(allowed)).get(url) == b"ok", allowed
    assert [hit.host for hit in internal.hits] == [
        f"127.0.0.1:{internal.port}",
        f"127.0.0.1:{internal.port}",
        f"localhost:{internal.port}",
        f"2130706433:{internal.port}",
    ]


def test_https_to_the_pinned_address_is_verified_for_the_name(tmp_path, zone):
    ca, cert, key = make_certificates(tmp_path, "portal.test")
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(cert, key)
    names: list[str | None] = []
    tls.sni_callback = lambda _socket, name, _context: names.append(name)
    zone.answers["portal.test"] = ["127.0.0.1", "127.0.0.2"]
    with RecordingServer(tls=tls) as server:
        server.route("/data.csv", body=b"tls ok")
        fetcher = Fetcher(_settings("portal.test", "127.0.0.1"))
        fetcher.session.verify = str(ca)

        assert fetcher.get(f"https://portal.test:{server.port}/data.csv") == b"tls ok"
        assert names == ["portal.test"]
        assert server.hits[0].host == f"portal.test:{server.port}"
        with pytest.raises(FetchError, match=r"certificate|hostname"):
            fetcher.get(f"https://127.0.0.1:{server.port}/data.csv")  # not the certificate's name
