"""ckanext-harvest's consumers survive being idle (redis-py 8's 5 s socket timeout)."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from ckan.plugins import toolkit as tk


@pytest.mark.usefixtures("with_plugins", "clean_redis")
def test_an_idle_consumer_stays_up():
    ckan = Path(sys.executable).parent / "ckan"
    process = subprocess.Popen(
        [str(ckan), "-c", tk.config["__file__"], "harvester", "gather-consumer"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
    )
    try:
        time.sleep(12)  # start-up plus more than twice redis-py's 5 s socket timeout
        assert process.poll() is None, process.stdout.read().decode()[-2000:]
    finally:
        process.terminate()
        process.wait(timeout=20)
