"""Fixtures of the traffic tests: the harvester tests' loopback allow-list (the counter and
DATEX II files are served by a real HTTP server on 127.0.0.1)."""

from tests.harvesters.conftest import loopback_allowed

__all__ = ["loopback_allowed"]
