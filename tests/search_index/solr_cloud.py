"""A SolrCloud node of its own for the reindex tests: the stack's Solr 9 (its Maven jars and
SolrRunner, deployment/solr.sh) started in cloud mode with an embedded ZooKeeper on free
loopback ports, the stack's configset made a cloud one as the container cluster makes it
(deployment/docker/solr/cloud_configset.py: an update log, _version_ a long) and uploaded,
collections and aliases made through the Collections API."""

from __future__ import annotations

import io
import os
import socket
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from typing import Any

import requests

REPO_ROOT = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"

SOLR_XML = """<?xml version="1.0" encoding="UTF-8" ?>
<solr>
  <solrcloud>
    <str name="host">${host:127.0.0.1}</str>
    <int name="hostPort">${hostPort:8983}</int>
    <str name="hostContext">${hostContext:solr}</str>
    <int name="zkClientTimeout">${zkClientTimeout:30000}</int>
    <bool name="genericCoreNodeNames">${genericCoreNodeNames:true}</bool>
  </solrcloud>
</solr>
"""
ZOO_CFG = "tickTime=2000\ninitLimit=10\nsyncLimit=5\nadmin.enableServer=false\n"


def _free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind((HOST, port))
        except OSError:
            return False
    return True


def _free_ports() -> int:
    """A free port whose +1000 (the embedded ZooKeeper's) is free as well."""
    for _ in range(50):
        with socket.socket() as probe:
            probe.bind((HOST, 0))
            port: int = probe.getsockname()[1]
        if port + 1000 < 65536 and _free(port + 1000):
            return port
    raise RuntimeError("no free pair of loopback ports for a SolrCloud node")


class SolrCloud:
    def __init__(self, home: Path) -> None:
        state = Path(os.environ.get("SMARTREGION_STATE_DIR", REPO_ROOT / ".state"))
        version = os.environ.get("SMARTREGION_SOLR_VERSION", "9.10.1")
        self.solr_dir = state / "solr"
        self.lib = self.solr_dir / f"lib-{version}"
        self.configset = self.solr_dir / "home" / "configsets" / "ckan" / "conf"
        self.home = home
        self.port = _free_ports()
        self.base = f"http://{HOST}:{self.port}/solr"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 90) -> None:
        """Starts the node and waits until it answers in cloud mode."""
        missing = [p for p in (self.lib, self.configset) if not p.exists()]
        if missing:
            raise RuntimeError(f"{missing} missing: start the stack (deployment/services.sh)")
        self.home.mkdir(parents=True, exist_ok=True)
        (self.home / "solr.xml").write_text(SOLR_XML)
        (self.home / "zoo.cfg").write_text(ZOO_CFG)
        command = ["java", "-Xms64m", "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"]
        command += ["-DzkRun", f"-DzkServerConfDir={self.home}"]
        command += [f"-DzkServerDataDir={self.home / 'zoo_data'}", f"-Dhost={HOST}"]
        command += [f"-DhostPort={self.port}", f"-Djetty.host={HOST}"]
        command += [f"-Dlog4j2.configurationFile={REPO_ROOT / 'deployment/solr/log4j2.xml'}"]
        command += [f"-Dsolr.install.dir={self.solr_dir}", f"-Dsolr.log.dir={self.home}"]
        command += ["-cp", f"{self.solr_dir / 'classes'}:{self.lib}/*", "SolrRunner"]
        command += [str(self.home), str(self.port)]
        log = (self.home / "solr.log").open("wb")
        self.process = subprocess.Popen(command, stdout=log, stderr=log, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                info = requests.get(f"{self.base}/admin/info/system?wt=json", timeout=5)
                if info.ok and info.json().get("mode") == "solrcloud":
                    return
            except requests.RequestException:
                pass
            time.sleep(0.5)
        self.stop()
        tail = (self.home / "solr.log").read_text(errors="replace")[-3000:]
        raise RuntimeError(f"the SolrCloud node did not come up:\n{tail}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def api(self, path: str, **params: Any) -> dict[str, Any]:
        response = requests.get(f"{self.base}{path}", params={**params, "wt": "json"}, timeout=120)
        assert response.ok, response.text
        body: dict[str, Any] = response.json()
        return body

    def upload_configset(self, name: str) -> None:
        """The stack's configset (the portal core's files, deployment/solr.sh) made a cloud
        one, into ZooKeeper."""
        conf = self.home / f"configset-{name}"
        script = REPO_ROOT / "deployment/docker/solr/cloud_configset.py"
        subprocess.run([sys.executable, str(script), str(self.configset), str(conf)], check=True)
        packed = io.BytesIO()
        with zipfile.ZipFile(packed, "w") as archive:
            for path in sorted(conf.rglob("*")):
                if path.is_file():
                    archive.write(path, path.relative_to(conf))
        response = requests.post(
            f"{self.base}/admin/configs",
            params={"action": "UPLOAD", "name": name, "wt": "json"},
            data=packed.getvalue(),
            headers={"Content-Type": "application/octet-stream"},
            timeout=60,
        )
        assert response.ok, response.text

    def collections(self) -> set[str]:
        return set(self.api("/admin/collections", action="LIST")["collections"])

    def aliases(self) -> dict[str, str]:
        found: dict[str, str] = self.api("/admin/collections", action="LISTALIASES")["aliases"]
        return found

    def shards(self, collection: str) -> int:
        status = self.api("/admin/collections", action="CLUSTERSTATUS", collection=collection)
        return len(status["cluster"]["collections"][collection]["shards"])
