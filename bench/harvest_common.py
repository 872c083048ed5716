"""What the harvest benches share: a configuration of their own over a test slot's ini, the
slot reset, the real consumer processes (started, watched for peak RSS, stopped) and CKAN
actions run as the site user. They reset the slot: never point them at the portal's ini."""

from __future__ import annotations

import contextlib
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

from bench.startup import site_user

CKAN = Path(sys.executable).parent / "ckan"


def bench_ini(base_ini: str, prefix: str, settings: dict[str, object]) -> tuple[Path, Path]:
    """(work directory, ini) of a configuration using base_ini plus settings; exits when
    base_ini is the portal's own configuration."""
    if ".state/ckan.ini" in base_ini:
        sys.exit("Refusing to run against the portal's configuration; use a test slot's ini.")
    workdir = Path(tempfile.mkdtemp(prefix=prefix))
    ini = workdir / "bench.ini"
    lines = [f"[app:main]\nuse = config:{Path(base_ini).resolve()}\n"]
    lines += [f"{key} = {value}\n" for key, value in settings.items()]
    ini.write_text("".join(lines))
    return workdir, ini


def reset_slot(ini: Path) -> None:
    """An empty database, search index and harvest queues."""
    started = time.perf_counter()
    for command in (
        ["db", "clean", "--yes"],
        ["db", "upgrade"],
        ["search-index", "clear"],
        ["harvester", "purge-queues"],
    ):
        subprocess.run(
            [str(CKAN), "-c", str(ini), *command],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    print(f"slot reset in {time.perf_counter() - started:.1f} s")


def start_consumers(
    ini: Path, workdir: Path, names: list[str], wait_loaded: bool = False
) -> dict[str, subprocess.Popen]:
    """A `ckan harvester <kind>-consumer` per name ("gather", "fetch", "fetch-2"…), logging
    to <workdir>/<name>-consumer.log; with wait_loaded, once they have loaded CKAN (so
    start-up is not measured)."""
    processes = {}
    for name in names:
        log = (workdir / f"{name}-consumer.log").open("w")
        processes[name] = subprocess.Popen(
            [str(CKAN), "-c", str(ini), "harvester", f"{name.split('-')[0]}-consumer"],
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    if wait_loaded:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and not all(
            "Loading templates" in (workdir / f"{name}-consumer.log").read_text()
            for name in processes
        ):
            time.sleep(1)
        time.sleep(3)
    return processes


def stop_consumers(processes: dict[str, subprocess.Popen]) -> None:
    for process in processes.values():
        process.terminate()
    for process in processes.values():
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


class PeakMemory(threading.Thread):
    """Samples the resident memory (its peak) and the CPU time used so far (user + system
    seconds, the last sample) of the consumer processes every `interval` seconds."""

    def __init__(self, processes: dict[str, subprocess.Popen], interval: float = 0.5) -> None:
        super().__init__(daemon=True)
        self.watched = {name: psutil.Process(p.pid) for name, p in processes.items()}
        self.peak = dict.fromkeys(processes, 0)
        self.cpu = dict.fromkeys(processes, 0.0)
        self.interval = interval
        self.running = True

    def run(self) -> None:
        while self.running:
            for name, process in self.watched.items():
                with contextlib.suppress(psutil.NoSuchProcess):
                    self.peak[name] = max(self.peak[name], process.memory_info().rss)
                    times = process.cpu_times()
                    self.cpu[name] = times.user + times.system
            time.sleep(self.interval)

    def stop(self) -> None:
        self.running = False
        self.join()

    def report(self) -> str:
        return ", ".join(f"{n} {v / 2**20:.0f} MiB" for n, v in self.peak.items())


class SiteUserActions:
    """CKAN actions as the site user, each in a fresh session (harvest_jobs_run ends its own);
    call inside an app's request context."""

    def __init__(self) -> None:
        import ckan.plugins.toolkit as tk

        self.tk = tk
        self.user = site_user()

    def action(self, action_name: str, **data):
        from ckan import model

        model.Session.remove()
        return self.tk.get_action(action_name)({"user": self.user, "ignore_auth": True}, data)
