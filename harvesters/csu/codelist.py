"""ČSÚ code list 100 (the 14 kraje), read from ČSÚ's own export shipped beside this module.

``cis0100_CS.csv`` is the code list as ČSÚ's code-list system exports it (Windows-1250,
``;``-separated; copied from jlacko/RCzechia, see tests/fixtures/csu/README.md), so the codes
and names are ČSÚ's and not typed by hand. Items without a RÚIAN code (Extra-Regio) are not
kraje. The Czech Republic as a whole is item 19 of code list 97, as ČSÚ's data files write it.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import cache
from pathlib import Path

KRAJ_LIST = "100"  # vuzemi_cis of a kraj
STATE_LIST = "97"  # vuzemi_cis of the state
STATE_CODE = "19"  # vuzemi_kod of the Czech Republic in code list 97
STATE_NAME = "Česká republika"
EXPORT = Path(__file__).with_name("cis0100_CS.csv")


@dataclass(frozen=True)
class Region:
    code: str  # ČSÚ code (code list 100), e.g. 3077
    name: str  # e.g. Liberecký kraj
    nuts: str  # e.g. CZ051
    ruian: str  # the RÚIAN VÚSC code, e.g. 78


def read_export(data: bytes) -> dict[str, Region]:
    """The kraje of a code-list 100 export (Windows-1250 or UTF-8, ``;`` or ``,``), by code."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1250")
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    regions = {}
    for row in csv.DictReader(io.StringIO(text), delimiter=delimiter):
        code, ruian = (row.get("CHODNOTA") or "").strip(), (row.get("KOD_RUIAN") or "").strip()
        if code and ruian:
            regions[code] = Region(code, row["TEXT"].strip(), row["CZNUTS"].strip(), ruian)
    return regions


@cache
def kraje() -> dict[str, Region]:
    """The 14 kraje by ČSÚ code."""
    return read_export(EXPORT.read_bytes())
