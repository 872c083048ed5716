"""Each plugin owns its configuration: started without the others (CKAN in a fresh process,
ckan.plugins naming only it), it starts with its keys declared, or refuses with a message
that says what to add."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from ckan.plugins import toolkit as tk

# plugins -> {key: the default its declaration gives}; the test configuration sets none of them
STARTS: dict[str, dict[str, object]] = {
    "scheming_datasets smartregion": {"ckanext.smartregion.harvest.connect_timeout": 10.0},
    "smartregion_downloads": {
        "ckanext.smartregion.harvest.connect_timeout": 10.0,
        "ckanext.smartregion.preview.max_rows": 100,
    },
    "activity smartregion_review": {
        "ckanext.smartregion.harvest.read_timeout": 120.0,
        "ckanext.smartregion.review.link_check": False,  # the test configuration's value
    },
    "dcat smartregion_dcat": {"ckanext.smartregion.dcat.publisher_ico": "70891508"},
    "smartregion_pages": {},
}

START = """
import json, sys
from ckan.cli import load_config
from ckan.config.middleware import make_app
import ckan.plugins.toolkit as tk
make_app(load_config(sys.argv[1]))
print(json.dumps({key: tk.config.get(key) for key in sys.argv[2:]}))
"""


def _start(tmp_path: Path, plugins: str, keys: list[str]) -> subprocess.Popen[str]:
    ini = tmp_path / f"{plugins.replace(' ', '-')}.ini"
    ini.write_text(f"[app:main]\nuse = config:{tk.config['__file__']}\nckan.plugins = {plugins}\n")
    return subprocess.Popen(
        [sys.executable, "-c", START, str(ini), *keys],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.slow
def test_each_plugin_starts_alone_or_refuses_clearly(tmp_path: Path) -> None:
    # all at once: each start is a CKAN import of a few seconds
    started = {plugins: _start(tmp_path, plugins, list(keys)) for plugins, keys in STARTS.items()}
    refused = _start(tmp_path, "smartregion_review", [])
    for plugins, process in started.items():
        out, err = process.communicate(timeout=300)
        assert process.returncode == 0, f"{plugins}: {err[-2000:]}"
        assert json.loads(out.strip().splitlines()[-1]) == STARTS[plugins], plugins
    _, err = refused.communicate(timeout=300)
    assert refused.returncode != 0
    assert "smartregion_review needs CKAN's activity plugin: add activity to ckan.plugins" in err
