"""The action plan's structure (schemas/taxonomy.yaml), loaded once and checked at start-up.

A broken file stops CKAN from starting with an error naming the file, the line and the
problem. Everything else (schema choices, facets, validation, dashboards) reads it from here.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

TAXONOMY_FILE = "taxonomy.yaml"
LANGUAGES = ("cs", "en")
SECTIONS = (
    "strategic_goals",
    "priority_areas",
    "horizontal_projects",
    "specific_objectives",
    "activity_areas",
    "pilot_projects",
)


class TaxonomyError(ValueError):
    """The taxonomy file is malformed; the message names the file, line and problem."""


@dataclass(frozen=True)
class Taxonomy:
    """The parsed taxonomy: each section a list of dicts, plus indexes by code."""

    sections: dict[str, list[dict[str, Any]]]
    by_code: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)

    def items(self, section: str) -> list[dict[str, Any]]:
        return self.sections[section]

    def get(self, section: str, code: str) -> dict[str, Any] | None:
        return self.by_code[section].get(code)

    def codes(self, section: str) -> list[str]:
        return [item["code"] for item in self.sections[section]]

    def goal_of(self, objective_code: str) -> str | None:
        objective = self.get("specific_objectives", objective_code)
        return objective["goal"] if objective else None

    def priority_areas_of(self, objective_code: str) -> list[str]:
        objective = self.get("specific_objectives", objective_code)
        return list(objective["priority_areas"]) if objective else []

    def activity_areas_of(self, objective_code: str) -> list[str]:
        return [
            area["code"]
            for area in self.sections["activity_areas"]
            if objective_code in area["objectives"]
        ]

    def as_dict(self) -> dict[str, list[dict[str, Any]]]:
        return {name: [dict(item) for item in items] for name, items in self.sections.items()}


class _Checker:
    """Checks the parsed YAML against the expected shape, citing line numbers."""

    def __init__(self, source: str, node: yaml.Node):
        self.source = source
        self.lines = _line_index(node)

    def fail(self, path: tuple, message: str) -> None:
        line = self.lines.get(path) or self.lines.get(path[:-1]) or self.lines.get(path[:1])
        where = f"{self.source}, line {line}" if line else self.source
        raise TaxonomyError(f"{where}: {message}")

    def text(self, path: tuple, value: Any, what: str) -> None:
        if not isinstance(value, dict) or any(
            not isinstance(value.get(lang), str) or not value[lang].strip() for lang in LANGUAGES
        ):
            self.fail(
                path, f"{what} needs a non-empty Czech and English text: {{cs: ..., en: ...}}"
            )

    def check(self, data: Any) -> Taxonomy:
        if not isinstance(data, dict):
            self.fail((), "the file must be a mapping of sections")
        missing = [name for name in SECTIONS if name not in data]
        if missing:
            self.fail((), f"missing section(s): {', '.join(missing)}")
        by_code: dict[str, dict[str, dict[str, Any]]] = {}
        for section in SECTIONS:
            items = data[section]
            if not isinstance(items, list) or not items:
                self.fail((section,), f"section {section} must be a non-empty list")
            by_code[section] = {}
            for index, item in enumerate(items):
                path = (section, index)
                if not isinstance(item, dict) or not isinstance(item.get("code"), str):
                    self.fail(path, f'each item of {section} needs a quoted string "code"')
                code = item["code"]
                if code in by_code[section]:
                    self.fail((*path, "code"), f"code {code!r} is used twice in {section}")
                self.text((*path, "name"), item.get("name"), f"{section} {code}: name")
                by_code[section][code] = item
        self._check_references(data, by_code)
        return Taxonomy(sections={name: data[name] for name in SECTIONS}, by_code=by_code)

    def _check_references(self, data: dict, by_code: dict) -> None:
        for index, objective in enumerate(data["specific_objectives"]):
            path = ("specific_objectives", index)
            code = objective["code"]
            if objective.get("goal") not in by_code["strategic_goals"]:
                self.fail(
                    (*path, "goal"),
                    f"objective {code}: unknown strategic goal {objective.get('goal')!r}",
                )
            if code.split(".")[0] != objective["goal"]:
                self.fail(
                    (*path, "goal"), f"objective {code} must belong to goal {code.split('.')[0]}"
                )
            self._refs(
                path,
                "priority_areas",
                objective.get("priority_areas"),
                by_code,
                f"objective {code}",
            )
        for index, area in enumerate(data["activity_areas"]):
            path = ("activity_areas", index)
            code = area["code"]
            if not area.get("slug") or not isinstance(area["slug"], str):
                self.fail(path, f"activity area {code} needs a slug")
            if area.get("priority_area") is None and area.get("horizontal_project") is None:
                self.fail(
                    path, f"activity area {code} needs a priority_area or a horizontal_project"
                )
            if area.get("priority_area") is not None:
                self._refs(
                    path,
                    "priority_areas",
                    [area["priority_area"]],
                    by_code,
                    f"activity area {code}",
                    "priority_area",
                )
            if area.get("horizontal_project") is not None:
                self._refs(
                    path,
                    "horizontal_projects",
                    [area["horizontal_project"]],
                    by_code,
                    f"activity area {code}",
                    "horizontal_project",
                )
            objectives = area.get("objectives")
            if objectives:
                self._refs(
                    path,
                    "specific_objectives",
                    objectives,
                    by_code,
                    f"activity area {code}",
                    "objectives",
                )
            focus = area.get("focus")
            if not isinstance(focus, list) or not focus:
                self.fail((*path, "focus"), f"activity area {code} needs a list of focus items")
            for number, item in enumerate(focus):
                self.text(
                    (*path, "focus", number), item, f"activity area {code}: focus item {number + 1}"
                )

    def _refs(self, path, section, codes, by_code, owner, key=None) -> None:
        key = key or section
        if not isinstance(codes, list) or not codes:
            self.fail((*path, key), f"{owner}: {key} must be a non-empty list")
        for code in codes:
            if code not in by_code[section]:
                known = ", ".join(by_code[section])
                self.fail(
                    (*path, key), f"{owner}: unknown {section} code {code!r} (known: {known})"
                )


def _line_index(node: yaml.Node, path: tuple = ()) -> dict[tuple, int]:
    """Maps each path of keys/indexes in the YAML tree to its 1-based line number."""
    lines = {path: node.start_mark.line + 1}
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            lines.update(_line_index(value_node, (*path, key_node.value)))
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            lines.update(_line_index(item, (*path, index)))
    return lines


def parse(text: str, source: str) -> Taxonomy:
    """Parses and checks taxonomy text; raises TaxonomyError naming source and line."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"{source}, line {mark.line + 1}" if mark else source
        raise TaxonomyError(
            f"{where}: not valid YAML: {getattr(error, 'problem', error)}"
        ) from error
    if node is None:
        raise TaxonomyError(f"{source}: the file is empty")
    return _Checker(source, node).check(data)


def load(path: Path | None = None) -> Taxonomy:
    """Reads the taxonomy from `path` or from the package's schemas/taxonomy.yaml."""
    if path is None:
        resource = resources.files("ckanext.smartregion.schemas") / TAXONOMY_FILE
        return parse(resource.read_text(encoding="utf-8"), f"schemas/{TAXONOMY_FILE}")
    return parse(path.read_text(encoding="utf-8"), str(path))


@functools.cache
def get() -> Taxonomy:
    """The taxonomy, read once per process."""
    return load()
