"""What the harvesters read as absent, how they clean HTML and map words to EU themes, and
that docs/harvest-themes.md tabulates the same words as the code (no services needed)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ckanext.smartregion.harvesters.record_issues import (
    THEME_WORDS,
    clean_text,
    present,
    themes_from_words,
)

DOC = Path(__file__).resolve().parents[2] / "docs" / "harvest-themes.md"


@pytest.mark.parametrize(
    "value", ["{{description}}", "{{ licenseInfo }}", "", '""', "  ", "N/A", "null", "-", None]
)
def test_placeholders_and_empty_looking_values_are_absent(value):
    assert present(value) is None


def test_real_values_are_kept():
    assert present(" Doprava ") == "Doprava"
    assert present("0") == "0"


def test_html_becomes_plain_text():
    text = clean_text(
        "<p>Seznam&nbsp;zastávek</p><ul><li>MHD</li><li>vlaky</li></ul><script>x()</script>"
    )
    assert text == "Seznam zastávek\n\n- MHD\n- vlaky"
    assert clean_text("<p>CC0</p>") == "CC0"
    assert clean_text("<p>{{description}}</p>") is None
    assert clean_text("a &amp; b") == "a & b"


def test_words_map_to_eu_themes():
    assert themes_from_words(["Dopravní nehody", "silnice"])[0] == "TRAN"
    assert themes_from_words(["Životní prostředí"]) == ["ENVI"]
    assert themes_from_words(["geospatial", "ortofoto"]) == []


def test_the_documented_table_is_the_code_table():
    rows = re.findall(r"^\| ([A-Z]{4}) \| (.+) \|$", DOC.read_text(encoding="utf-8"), re.M)
    documented = {code: tuple(w.strip() for w in words.split(",")) for code, words in rows}
    assert documented == THEME_WORDS


@pytest.mark.usefixtures("with_plugins")
def test_each_issue_lowers_the_quality_score_and_is_listed_to_fix():
    from ckanext.smartregion.review import quality

    dataset = {"type": "dataset", "title": "T", "notes": "N", "owner_org": "o", "themes": ["TRAN"]}
    clean, _ = quality.score(dataset, [])
    flagged, missing = quality.score(
        {
            **dataset,
            "quality_issues": [
                {"field": "contact_email", "blocks_catalogue": False},
                {"field": "terms_of_use", "blocks_catalogue": True},
            ],
        },
        [],
    )

    assert flagged < clean
    assert {"issue:contact_email", "issue:terms_of_use"} <= set(missing)
