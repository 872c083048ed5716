"""Uploads cannot take the server's memory: a request over the cap is refused with 413
before it is read, and an indicator values sheet is read within row, cell and unpacked-size
limits (a zip bomb or a sheet claiming 16,384 columns is refused or read in little memory),
with errors that name the limit and the fix."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from collections.abc import Iterable
from pathlib import Path

import pytest
from ckan.plugins import toolkit as tk
from ckan.tests import factories as ckan_factories
from ckan.tests.helpers import call_action
from openpyxl.utils import get_column_letter
from werkzeug.datastructures import FileStorage

from ckanext.smartregion.sheet_limits import SheetLimits
from tests import factories
from tests.harvesters.conftest import loopback_allowed  # noqa: F401 (a fixture)
from tests.harvesters.file_server import FileServer, FileSource

pytestmark = pytest.mark.usefixtures("clean_datastore")

MB = 1024 * 1024
NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006"
PARTS = {
    "[Content_Types].xml": (
        f'<Types xmlns="{PKG}/content-types">'
        '<Default Extension="rels" ContentType="application/'
        'vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
    ),
    "_rels/.rels": (
        f'<Relationships xmlns="{PKG}/relationships"><Relationship Id="rId1" '
        f'Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        f'<workbook xmlns="{NS}" xmlns:r="{REL}"><sheets>'
        '<sheet name="Hodnoty" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        f'<Relationships xmlns="{PKG}/relationships"><Relationship Id="rId1" '
        f'Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
    ),
}


def _cell(reference: str, value: object) -> str:
    if isinstance(value, int | float):
        return f'<c r="{reference}"><v>{value}</v></c>'
    return f'<c r="{reference}" t="inlineStr"><is><t>{value}</t></is></c>'


def xlsx(rows: Iterable[list], dimension: str | None = None) -> bytes:
    """A workbook written part by part (the sheet streamed into the zip), so that the test
    can make one whose sheet claims any size or unpacks to hundreds of MB."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in PARTS.items():
            archive.writestr(name, text)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(f'<worksheet xmlns="{NS}">'.encode())
            if dimension:
                sheet.write(f'<dimension ref="{dimension}"/>'.encode())
            sheet.write(b"<sheetData>")
            for number, row in enumerate(rows, start=1):
                cells = "".join(
                    _cell(f"{get_column_letter(column)}{number}", value)
                    for column, value in enumerate(row, start=1)
                    if value is not None
                )
                sheet.write(f'<row r="{number}">{cells}</row>'.encode())
            sheet.write(b"</sheetData></worksheet>")
    return buffer.getvalue()


def _values(count: int) -> list[list]:
    return [["období", "hodnota"]] + [
        [f"{1900 + n // 12}-{n % 12 + 1:02d}", n] for n in range(count)
    ]


def _bomb(unpacked_mb: int) -> Iterable[list]:
    """A header and one cell of unpacked_mb MB of the same letter (about 1,000:1 packed)."""
    yield ["období", "hodnota", "poznámka"]
    yield ["2024", 1, "a" * (unpacked_mb * MB)]


def _upload(indicator: dict, name: str, data: bytes, user: str) -> dict:
    return call_action(
        "smartregion_indicator_values_upload",
        context={"user": user},
        id=indicator["id"],
        upload=FileStorage(io.BytesIO(data), filename=name),
    )


@pytest.fixture
def steward() -> dict:
    user = ckan_factories.User()
    organization = ckan_factories.Organization(users=[{"name": user["name"], "capacity": "editor"}])
    indicator = factories.Indicator(indicator_code="2.1-01", owner_org=organization["id"])
    token = call_action(
        "api_token_create", context={"user": user["name"]}, user=user["name"], name="t"
    )
    return {
        "user": user["name"],
        "indicator": indicator,
        "headers": {"Authorization": token["token"]},
    }


# --- the request cap ---------------------------------------------------------------------


@pytest.mark.ckan_config("ckanext.smartregion.max_request_mb", "1")
def test_a_request_over_the_cap_is_refused_with_413(app, steward):
    big = b"obdobi,hodnota\n" + b"2024,1\n" * (MB // 7 + 1000)  # just over 1 MB
    small = b"obdobi,hodnota\n2024,1\n"

    form = app.post(
        "/ukazatel/2.1-01/nahrat",
        data={"upload": (io.BytesIO(big), "hodnoty.csv")},
        headers=steward["headers"],
    )
    api = app.post(
        "/api/3/action/smartregion_indicator_values_upload",
        data={"id": steward["indicator"]["id"], "upload": (io.BytesIO(big), "hodnoty.csv")},
        headers=steward["headers"],
    )
    accepted = app.post(
        "/api/3/action/smartregion_indicator_values_upload",
        data={"id": steward["indicator"]["id"], "upload": (io.BytesIO(small), "hodnoty.csv")},
        headers=steward["headers"],
    )

    assert form.status_code == 413
    assert api.status_code == 413
    assert accepted.status_code == 200, accepted.body
    assert accepted.json["result"]["rows"] == 1


def test_without_its_own_setting_the_cap_follows_ckans_upload_sizes(app):
    expected = (max(tk.config["ckan.max_resource_size"], tk.config["ckan.max_image_size"]) + 1) * MB

    assert app.flask_app.config["MAX_CONTENT_LENGTH"] == expected


# --- limits of the sheets ----------------------------------------------------------------


@pytest.mark.ckan_config("ckanext.smartregion.sheet.max_rows", "100")
def test_a_sheet_over_the_row_limit_is_refused_naming_the_limit(steward):
    with pytest.raises(tk.ValidationError) as refused:
        _upload(steward["indicator"], "hodnoty.xlsx", xlsx(_values(150)), steward["user"])
    with pytest.raises(tk.ValidationError) as refused_csv:
        csv = "\n".join(",".join(str(c) for c in row) for row in _values(150)).encode()
        _upload(steward["indicator"], "hodnoty.csv", csv, steward["user"])
    written = _upload(steward["indicator"], "hodnoty.xlsx", xlsx(_values(99)), steward["user"])

    for error in (refused.value, refused_csv.value):
        message = " ".join(error.error_dict["upload"])
        assert "more than 100 rows" in message
        assert "ckanext.smartregion.sheet.max_rows" in message
        assert "split it into several files" in message
    assert written["rows"] == 99


@pytest.mark.ckan_config("ckanext.smartregion.sheet.max_uncompressed_mb", "2")
def test_a_workbook_that_unpacks_over_the_limit_is_refused(steward):
    bomb = xlsx(_bomb(5))

    with pytest.raises(tk.ValidationError) as refused:
        _upload(steward["indicator"], "hodnoty.xlsx", bomb, steward["user"])

    assert len(bomb) < 50_000
    message = " ".join(refused.value.error_dict["upload"])
    assert "unpacks to 5 MB, more than the 2 MB allowed" in message
    assert "ckanext.smartregion.sheet.max_uncompressed_mb" in message


# --- the same limits for a harvested indicator sheet ---------------------------------------


@pytest.mark.usefixtures("loopback_allowed")
@pytest.mark.ckan_config("ckanext.smartregion.sheet.max_rows", "100")
@pytest.mark.ckan_config("ckanext.smartregion.sheet.max_uncompressed_mb", "2")
def test_a_harvested_sheet_is_read_within_the_same_limits():
    indicator = factories.Indicator(indicator_code="2.1-01")
    long_sheet = "kód;období;hodnota\n" + "".join(
        f"2.1-01;{1900 + n // 12}-{n % 12 + 1:02d};{n}\n" for n in range(150)
    )
    bomb = xlsx([["kód", "období", "hodnota", "poznámka"], ["2.1-01", "2024", 1, "a" * 5 * MB]])
    with FileServer() as server:
        source = FileSource(
            "indicator_sheet", server.put("/hodnoty", long_sheet), {}, indicator["owner_org"]
        )
        long_job = source.run()
        server.put("/hodnoty", bomb)
        bomb_job = source.run()

    assert "more than 100 rows" in long_job["gather_errors"][0]
    assert "ckanext.smartregion.sheet.max_rows" in long_job["gather_errors"][0]
    assert "unpacks to 5 MB, more than the 2 MB allowed" in bomb_job["gather_errors"][0]
    shown = call_action("package_show", id=indicator["id"])
    assert not [r for r in shown["resources"] if r.get("resource_type")]  # nothing written


# --- memory, measured in a process of its own ---------------------------------------------

READER = """
import json, resource, sys
resource.setrlimit(resource.RLIMIT_AS, (3 * 1024 ** 3, 3 * 1024 ** 3))
from ckanext.smartregion.indicators import values
from ckanext.smartregion.sheet_limits import SheetLimits

def high_water_mb():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024

path, limits = sys.argv[1], SheetLimits(**json.loads(sys.argv[2]))
data = open(path, "rb").read()
before = high_water_mb()
try:
    rows = values.read_upload(path, data, limits)
    outcome = {"rows": len(values.normalise_rows(rows, False))}
except values.ValuesError as error:
    outcome = {"refused": " ".join(m for ms in error.error_dict.values() for m in ms)}
except MemoryError:
    outcome = {"memory_error": True}
print(json.dumps({**outcome, "peak_mb": high_water_mb(), "before_mb": before}))
"""


def read_in_child(tmp_path: Path, data: bytes, limits: SheetLimits) -> dict:
    """Reads the sheet as the upload does, in a fresh process (at most 3 GB of address
    space), and returns the outcome and the process's peak memory before and after."""
    path = tmp_path / "hodnoty.xlsx"
    path.write_bytes(data)
    finished = subprocess.run(
        [sys.executable, "-c", READER, str(path), json.dumps(limits.__dict__)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert finished.returncode == 0, finished.stderr[-2000:]
    return json.loads(finished.stdout.strip().splitlines()[-1])


def test_a_zip_bomb_is_refused_without_unpacking_it(tmp_path):
    bomb = xlsx(_bomb(400))  # 400 MB in one cell, about 400 KB packed

    found = read_in_child(tmp_path, bomb, SheetLimits.from_config())

    assert "unpacks to 400 MB" in found.get("refused", ""), found
    assert found["peak_mb"] - found["before_mb"] < 50, found


def test_a_sheet_claiming_16384_columns_is_read_as_wide_as_its_cells(tmp_path):
    # 16,384 headings, 3,000 rows of two cells, and a dimension that claims every row is
    # 16,384 cells wide: read as claimed, each row became a dict of 16,384 entries.
    header = ["období", "hodnota"] + [f"sloupec {n}" for n in range(3, 16385)]
    rows = _values(3000)[1:]
    forged = xlsx([header, *rows], dimension="A1:XFD3001")

    found = read_in_child(tmp_path, forged, SheetLimits.from_config())

    assert len(forged) < 1 * MB
    assert found.get("rows") == 3000, found
    assert found["peak_mb"] - found["before_mb"] < 50, found


def test_rows_of_thousands_of_cells_stop_at_the_cell_limit(tmp_path):
    wide = [["období", "hodnota"] + [f"okres {n}" for n in range(3, 16385)]] + [
        ["2024", n] + [n] * 16382 for n in range(70)
    ]  # 1,163,264 cells, the limit 500,000

    found = read_in_child(tmp_path, xlsx(wide), SheetLimits.from_config())

    message = found.get("refused", "")
    assert "more than 500,000 cells" in message, found
    assert "ckanext.smartregion.sheet.max_cells" in message
    assert found["peak_mb"] - found["before_mb"] < 50, found
