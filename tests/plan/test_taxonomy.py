"""The taxonomy: complete in both languages, served by smartregion_taxonomy_show, and a
broken file is refused with its line named."""

from __future__ import annotations

from pathlib import Path

import pytest
from ckan.tests.helpers import call_action

from ckanext.smartregion.plan import taxonomy
from ckanext.smartregion.plugin import SmartRegionPlugin

GOOD = taxonomy.load()


def test_the_plan_structure_is_complete():
    assert [g["code"] for g in GOOD.items("strategic_goals")] == ["1", "2", "3"]
    assert len(GOOD.items("priority_areas")) == 7
    assert len(GOOD.items("horizontal_projects")) == 4
    assert GOOD.codes("specific_objectives") == [
        "1.1",
        "1.2",
        "1.3",
        "1.4",
        "1.5",
        "2.1",
        "2.2",
        "3.1",
        "3.2",
        "3.3",
        "3.4",
        "3.6",
    ]
    assert [a["code"] for a in GOOD.items("activity_areas")] == ["1", "2", "3", "4", "5", "6", "7"]
    assert GOOD.get("specific_objectives", "2.2")["priority_areas"] == [
        "zivotni-prostredi",
        "doprava",
    ]
    assert GOOD.activity_areas_of("3.6") == ["1"]
    assert GOOD.activity_areas_of("1.1") == []  # transport has no project in this plan


@pytest.mark.usefixtures("with_plugins")
def test_taxonomy_show_is_public_and_bilingual():
    result = call_action("smartregion_taxonomy_show", context={"user": None, "ignore_auth": False})

    objectives = result["specific_objectives"]
    areas = result["activity_areas"]
    assert len(objectives) == 12 and len(areas) == 7
    for item in objectives + areas:
        assert item["name"]["cs"] and item["name"]["en"]
    assert objectives[0]["name"]["cs"] == "Zkrácení času pro dojížďku do zaměstnání/školy"
    assert areas[4]["name"]["cs"] == "Energetický management a hospodaření s vodou"


@pytest.mark.usefixtures("with_plugins")
def test_taxonomy_show_can_return_one_section_and_refuses_unknown_ones():
    only = call_action("smartregion_taxonomy_show", section="strategic_goals")
    assert list(only) == ["strategic_goals"]
    with pytest.raises(Exception, match="Unknown section"):
        call_action("smartregion_taxonomy_show", section="goals")


def _broken(tmp_path: Path, old: str, new: str) -> Path:
    text = (Path(__file__).parents[2] / "schemas" / "taxonomy.yaml").read_text("utf-8")
    assert old in text
    path = tmp_path / "taxonomy.yaml"
    path.write_text(text.replace(old, new, 1), "utf-8")
    return path


def _line_of(path: Path, needle: str) -> int:
    return next(
        n for n, line in enumerate(path.read_text("utf-8").splitlines(), 1) if needle in line
    )


def test_an_unknown_goal_is_refused_with_its_line(tmp_path):
    path = _broken(tmp_path, 'goal: "2"', 'goal: "9"')

    with pytest.raises(taxonomy.TaxonomyError) as error:
        taxonomy.load(path)

    line = _line_of(path, 'goal: "9"')
    assert f"line {line}:" in str(error.value)
    assert "unknown strategic goal '9'" in str(error.value)


def test_a_missing_english_name_is_refused(tmp_path):
    path = _broken(tmp_path, 'en: "Speed up"', 'de: "Beschleunigen"')
    with pytest.raises(taxonomy.TaxonomyError, match="needs a non-empty Czech and English text"):
        taxonomy.load(path)


def test_invalid_yaml_is_refused_with_its_line(tmp_path):
    path = tmp_path / "taxonomy.yaml"
    path.write_text("strategic_goals:\n  - code: '1'\n    name: {cs: [unclosed\n", "utf-8")
    with pytest.raises(taxonomy.TaxonomyError, match=r"line \d+: not valid YAML"):
        taxonomy.load(path)


def test_start_up_stops_on_a_broken_taxonomy(monkeypatch, tmp_path):
    path = _broken(tmp_path, '- code: "1.1"', '- code: "1.2"')
    monkeypatch.setattr(taxonomy, "load", lambda p=None, _load=taxonomy.load: _load(path))
    taxonomy.get.cache_clear()
    try:
        with pytest.raises(taxonomy.TaxonomyError, match=r"code '1\.2' is used twice"):
            SmartRegionPlugin().configure({})
    finally:
        monkeypatch.undo()
        taxonomy.get.cache_clear()
