"""The message catalogue: every message of the code and templates has Czech, the committed
.pot lists them all and the committed .mo files are compiled from the .po files."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
I18N = ROOT / "ckanext-smartregion" / "ckanext" / "smartregion" / "i18n"
DOMAIN = "ckanext-smartregion"
LOCALES = ("cs_CZ", "en")


def _po(locale: str):
    with open(I18N / locale / "LC_MESSAGES" / f"{DOMAIN}.po", "rb") as f:
        return read_po(f, locale=locale)


def _key(message) -> tuple[str | None, str]:
    msgid = message.id if isinstance(message.id, str) else message.id[0]
    context = message.context
    return (context.decode() if isinstance(context, bytes) else context), msgid


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> set[tuple[str | None, str]]:
    """The messages of the code and templates now, extracted as deployment/i18n.sh does."""
    pot = tmp_path_factory.mktemp("i18n") / "now.pot"

    subprocess.run(
        [Path(sys.executable).with_name("pybabel"), "extract", "-F", "babel.cfg"]
        + [arg for keyword in ("N_", "ngettext_:1,2", "gettext_") for arg in ("-k", keyword)]
        + ["-o", str(pot), "ckanext-smartregion", "harvesters"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with open(pot, "rb") as f:
        return {_key(m) for m in read_po(f) if m.id}


def test_every_message_of_the_code_is_in_the_catalogue(extracted):
    listed = {_key(m) for m in _po("cs_CZ") if m.id}
    missing = sorted(msgid for _, msgid in extracted - listed)
    assert not missing, (
        f"{len(missing)} messages are not in the catalogue, e.g. {missing[:5]}: "
        "run `bash deployment/i18n.sh extract`, translate them in cs_CZ, then `compile`"
    )


def test_every_message_has_czech():
    catalogue = _po("cs_CZ")
    assert catalogue.num_plurals == 4  # CKAN's cs_CZ rule: flask-babel keeps the last one merged
    untranslated = [
        m.id
        for m in catalogue
        if m.id
        and (
            m.fuzzy
            or not (m.string if isinstance(m.string, str) else all(m.string))
            or (not isinstance(m.string, str) and len(m.string) != 4)
        )
    ]
    assert not untranslated, f"{len(untranslated)} messages lack Czech, e.g. {untranslated[:5]}"


@pytest.mark.parametrize("locale", LOCALES)
def test_the_compiled_catalogue_is_the_po_file(locale):
    with open(I18N / locale / "LC_MESSAGES" / f"{DOMAIN}.mo", "rb") as f:
        compiled = {
            (_key(m), m.string if isinstance(m.string, str) else tuple(m.string))
            for m in read_mo(f)
            if m.id
            and m.string
            and (isinstance(m.string, str) or all(m.string))
            # pybabel writes an untranslated plural as its msgids
            and (isinstance(m.string, str) or tuple(m.string) != tuple(m.id))
        }
    expected = set()
    for m in _po(locale):
        if m.id and not m.fuzzy and m.string and (isinstance(m.string, str) or all(m.string)):
            expected.add((_key(m), m.string if isinstance(m.string, str) else tuple(m.string)))
    assert compiled == expected, "the .mo is older than the .po: bash deployment/i18n.sh compile"


def test_czech_placeholders_match_the_english_ones():
    pattern = re.compile(r"\{[^}]*\}|%\(\w+\)\w|%[sd]")
    wrong = []
    for m in _po("cs_CZ"):
        if not m.id:
            continue
        ids = [m.id] if isinstance(m.id, str) else list(m.id)
        strings = [m.string] if isinstance(m.string, str) else list(m.string)
        wanted = sorted(set(pattern.findall(ids[-1])))
        wrong += [m.id for s in strings if sorted(set(pattern.findall(s))) != wanted]
    assert not wrong, f"placeholders differ from the English: {wrong[:5]}"
