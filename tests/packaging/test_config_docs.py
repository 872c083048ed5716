"""docs/configuration.md is the config declarations' page: it changes with them."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _config_docs():  # deployment/ is no package
    spec = importlib.util.spec_from_file_location(
        "config_docs", ROOT / "deployment" / "config_docs.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_page_matches_the_declarations() -> None:
    config_docs = _config_docs()
    assert (ROOT / "docs" / "configuration.md").read_text(
        encoding="utf-8"
    ) == config_docs.render(), (
        "docs/configuration.md is out of date: run .venv/bin/python deployment/config_docs.py"
    )


def test_every_declaration_file_is_on_the_page() -> None:
    found = {
        *ROOT.joinpath("ckanext-smartregion").rglob("config_declaration.*"),
        *ROOT.joinpath("harvesters").rglob("*declaration.yaml"),
    }
    assert found == set(_config_docs().SOURCES)
