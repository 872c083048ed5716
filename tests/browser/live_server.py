"""A real CKAN web process on a free loopback port, on a test slot's configuration with a few
overrides (used by the browser tests and by bench/portal_pages.py)."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

# The review scope of the live portal (the dataset-review contract): indicators and projects
# that stewards create wait for an approver, as on the portal.
REVIEW_SCOPE = {
    "ckanext.smartregion.review.organizations": "",
    "ckanext.smartregion.review.dataset_types": "indicator project",
}


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def render_ini(base_ini: Path, target: Path, port: int, overrides: dict[str, str]) -> Path:
    """An ini that uses the slot's configuration and overrides some of its settings."""
    settings = {
        "ckan.site_url": f"http://127.0.0.1:{port}",
        # The portal's own defaults, where the slot's test.ini differs for the unit tests.
        "ckan.locale_default": "cs_CZ",
        "WTF_CSRF_ENABLED": "true",
        "testing": "false",
        # Compiled CSS/JS of its own, built afresh: CKAN serves an existing bundle as it is,
        # so a shared one could be older than the theme's current files.
        "ckan.webassets.path": str(target.parent / "webassets"),
        **REVIEW_SCOPE,
        **overrides,
    }
    lines = ["[DEFAULT]", "debug = false", "", "[app:main]", f"use = config:{base_ini}"]
    lines += [f"{key} = {value}" for key, value in settings.items()]
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return target


@dataclass
class LiveServer:
    """`ckan run` on 127.0.0.1:<port>; start() waits until the Action API answers."""

    base_ini: Path
    workdir: Path
    overrides: dict[str, str] = field(default_factory=dict)
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log_path(self) -> Path:
        return self.workdir / "ckan-live-server.log"

    def start(self, timeout: float = 120.0) -> LiveServer:
        shutil.rmtree(self.workdir / "webassets", ignore_errors=True)
        ini = render_ini(self.base_ini, self.workdir / "live.ini", self.port, self.overrides)
        ckan = Path(sys.executable).parent / "ckan"
        log = self.log_path.open("w")
        self.process = subprocess.Popen(
            [
                str(ckan),
                "-c",
                str(ini),
                "run",
                "-H",
                "127.0.0.1",
                "-p",
                str(self.port),
                "--disable-reloader",
                "--disable-debugger",
                "--threaded",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"the CKAN server exited with {self.process.returncode}; "
                    f"see its log {self.log_path}:\n{self._log_tail()}"
                )
            try:
                with urllib.request.urlopen(f"{self.url}/api/3/action/status_show", timeout=5):
                    return self
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.5)
        self.stop()
        raise RuntimeError(
            f"the CKAN server did not answer within {timeout:.0f} s; "
            f"see its log {self.log_path}:\n{self._log_tail()}"
        )

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def _log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""
