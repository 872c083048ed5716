"""No template or Python module picks its language by itself: UI text goes through gettext
(i18n/), record data through the fluent fields and h.smartregion_lang()."""

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


PACKAGE = ROOT / "ckanext-smartregion" / "ckanext" / "smartregion"
# the one place that compares the locale (record data's language: title or title_en)
LOCALE_READER = PACKAGE / "language.py"
# bilingual record data, not UI text: a published report dataset's title and title_en
BILINGUAL_DATA = {PACKAGE / "reports" / "render.py"}
PYTHON_SWITCHES = re.compile(
    r"\blang\(\)\s*[!=]=|"  # tk.h.lang() == "en"
    r"\[\s*[01]\s+if\s+\w+\s+else\s+[01]\s*\]|"  # pair[1 if english else 0]
    r"\bpair\[1\]\s+if\b"  # pair[1] if english else pair[0]
)
# a label table {"cs": "…", "en": "…"} (the two keys on one line or on following lines)
LABEL_PAIR = re.compile(r'"(?:cs|en)"\s*:\s*"[^"\n]*"\s*,\s*"(?:en|cs)"\s*:\s*"')


def _modules() -> list[Path]:
    return sorted(
        p for root in TEMPLATE_ROOTS for p in root.rglob("*.py") if "tests" not in p.parts
    )


def _python_switches(path: Path, text: str) -> list[str]:
    found = []
    if path != LOCALE_READER:
        found += [
            f"{number}: {line.strip()}"
            for number, line in enumerate(text.splitlines(), 1)
            if PYTHON_SWITCHES.search(line)
        ]
    if path not in BILINGUAL_DATA:
        found += [
            f"{text.count(chr(10), 0, match.start()) + 1}: {match.group(0)!r}"
            for match in LABEL_PAIR.finditer(text)
        ]
    return found


def test_no_python_module_decides_its_language():
    found = [
        f"{path.relative_to(ROOT)}:{hit}"
        for path in _modules()
        for hit in _python_switches(path, path.read_text())
    ]
    assert not found, (
        "UI text: tk._(N_-marked English) with its Czech in i18n/; record data: "
        "language.user_language():\n" + "\n".join(found)
    )


def test_the_python_pattern_finds_the_switches_it_is_meant_to_find():
    somewhere = PACKAGE / "search.py"
    for text in (
        'language = "en" if tk.h.lang() == "en" else "cs"',
        'return pair[1] if tk.h.lang() == "en" else pair[0]',
        'LABELS = {"draft": {"cs": "Koncept", "en": "Draft"}}',
        'LABELS = {\n    "draft": {\n        "cs": "Koncept",\n        "en": "Draft",\n    }\n}',
        'suffix = {"en": "century", "cs": "století"}[language]',
    ):
        assert _python_switches(somewhere, text), text
    assert not _python_switches(somewhere, 'STATE_LABELS = {"draft": N_("Draft")}')
    assert len(_modules()) > 50
