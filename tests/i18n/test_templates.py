"""No template picks its language by itself: UI text goes through gettext (i18n/), record
data through the fluent fields and h.smartregion_lang()."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE_ROOTS = (ROOT / "ckanext-smartregion", ROOT / "harvesters")
# the shapes a hand-made language switch takes in a template
CONDITIONALS = re.compile(
    r"h\.lang\(\)\s*[!=]=|"  # h.lang() == 'en'
    r"\bif\s+(?:not\s+)?en\b|"  # 'X' if en else 'Y', {% if en %}
    r"\blang\s*[!=]=\s*['\"]en|"  # {% if lang == 'en' %} (a form's loop over cs, en is fine)
    r"\[\s*[01]\s+if\s+\w+\s+else\s+[01]\s*\]"  # pair[0 if en else 1]
)


def _templates() -> list[Path]:
    return sorted(p for root in TEMPLATE_ROOTS for p in root.rglob("*.html"))


def test_no_template_decides_its_language():
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in _templates()
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if CONDITIONALS.search(line)
    ]
    assert not found, "use {{ _('English text') }} and a Czech msgstr in i18n/:\n" + "\n".join(
        found
    )


def test_the_pattern_finds_the_switches_it_is_meant_to_find():
    for line in (
        "{% set en = h.lang() == 'en' %}",
        "{{ 'Search' if en else 'Hledat' }}",
        "{% if en %}English{% else %}Česky{% endif %}",
        "{{ 'Czech' if not en else 'English' }}",
        "{% if lang == 'en' %}",
        "{{ kinds[section][0 if en else 1] }}",
    ):
        assert CONDITIONALS.search(line), line
    assert len(_templates()) > 30
