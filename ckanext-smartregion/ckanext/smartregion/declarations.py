"""Config declarations of the plugins that use the safe fetcher (smartregion, smartregion_review,
smartregion_downloads): each declares its own file, and the fetcher's keys
(harvesters/http_declaration.yaml) are declared by the first of them that CKAN loads, so any
one of them can run without the others."""

from __future__ import annotations

from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

import yaml


def fetcher_declaration() -> dict[str, Any]:
    text = resources.files("ckanext.smartregion.harvesters").joinpath("http_declaration.yaml")
    declared: dict[str, Any] = yaml.safe_load(text.read_text(encoding="utf-8"))
    return declared


def with_fetcher(own_file: Path) -> Callable[[Any, Any], None]:
    """The declare function of a plugin whose declarations are `own_file` plus the fetcher's."""

    def declare(declaration: Any, key: Any) -> None:
        declaration.load_dict(yaml.safe_load(own_file.read_text(encoding="utf-8")))
        fetcher = fetcher_declaration()
        if fetcher["groups"][0]["options"][0]["key"] not in declaration:
            declaration.load_dict(fetcher)

    return declare
