"""Fixtures of the ČSÚ benchmark tests: the csu harvester loaded on top of the configured
plugins (a test configuration rendered before it existed lacks it), loopback fetches allowed,
and kraj tables in ČSÚ's format built from the real schema and code list."""

from __future__ import annotations

from pathlib import Path

import pytest

from ckanext.smartregion.harvesters.csu import codelist
from tests.harvesters.conftest import loopback_allowed  # noqa: F401  (a fixture)

FIXTURES = Path(__file__).parent.parent / "fixtures" / "csu"
PLUGIN = "smartregion_csu_harvester"


@pytest.fixture
def csu_plugin(ckan_config, monkeypatch) -> None:
    """Adds the csu harvester to ckan.plugins before with_plugins loads them."""
    configured = ckan_config["ckan.plugins"]
    names = configured.split() if isinstance(configured, str) else list(configured)
    if PLUGIN not in names:
        monkeypatch.setitem(ckan_config, "ckan.plugins", [*names, PLUGIN])


def schema_columns() -> list[str]:
    """The column names of the real CSV-W schema of ČSÚ dataset 130141 (in its order)."""
    from ckanext.smartregion.harvesters.csu import table

    return list(table.read_schema((FIXTURES / "130141-21schema2020.json").read_bytes()))


def kraj_table(years=(2019, 2020), extra_rows: tuple[list[str], ...] = (), value_of=None) -> str:
    """A table in the format of ČSÚ dataset 130141 (the real schema's columns, the real codes
    and names of code list 100) whose VALUES ARE SYNTHETIC, made up for the test: kraj number
    i (in code order) has 100 + i, the Czech Republic 1000; a second indicator (DEM0001) and a
    district row are there for the filter to leave out."""
    value_of = value_of or (lambda i, year: 100 + i + (year - 2019) * 50)
    regions = sorted(
        codelist.read_export((FIXTURES / "cis0100_CS_comma_cp1250.csv").read_bytes()).values(),
        key=lambda r: r.code,
    )
    lines = [",".join(f'"{c}"' for c in schema_columns())]
    number = 0

    def row(value, vuk, cis, code, year, name):
        nonlocal number
        number += 1
        cells = [
            str(number),
            str(value),
            vuk,
            "Střední stav obyvatel" if vuk == "DEM0004" else "Přírůstek stěhováním",
            "2406",
            cis,
            code,
            str(year),
            f"{year}-01-01",
            f"{year}-12-31",
            name,
        ]
        lines.append(",".join(f'"{c}"' for c in cells))

    for year in years:
        for i, region in enumerate(regions):
            row(value_of(i, year), "DEM0004", "100", region.code, year, region.name)
            row(-i, "DEM0001", "100", region.code, year, region.name)
        row(1000, "DEM0004", "97", "19", year, "Česko")
        row(50, "DEM0004", "101", "40711", year, "Liberec")
    for cells in extra_rows:
        number += 1
        lines.append(",".join(f'"{c}"' for c in [str(number), *cells]))
    return "\n".join(lines) + "\n"
