"""Memory of reading an indicator values sheet (issue 13, item 8: "a 4 MB sheet took
300 MB"): generates an XLSX of about --megabytes MB (monthly values by municipality, as a
spreadsheet program saves them) and reads it as the upload does (values.read_upload and
normalise_rows), each time in a fresh process, without limits (as before the limits) and
with the default limits of config_declaration.yaml. Prints the peak memory; asserts nothing.

  .venv/bin/python bench/sheet_memory.py [--megabytes 4]
"""

from __future__ import annotations

import argparse
import io
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
DECLARATION = REPO / "ckanext-smartregion" / "ckanext" / "smartregion" / "config_declaration.yaml"
READER = """
import json, resource, sys, time
from ckanext.smartregion.indicators import values
from ckanext.smartregion.sheet_limits import SheetLimits

def high_water_mb():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024

path, limits = sys.argv[1], SheetLimits(**json.loads(sys.argv[2]))
data = open(path, "rb").read()
before, started = high_water_mb(), time.perf_counter()
try:
    rows = values.normalise_rows(values.read_upload(path, data, limits), False)
    outcome = f"{len(rows):,} rows read"
except values.ValuesError as error:
    outcome = "refused: " + " ".join(m for ms in error.error_dict.values() for m in ms)[:90]
print(json.dumps({"outcome": outcome, "peak": high_water_mb(), "before": before,
                  "seconds": time.perf_counter() - started}))
"""


def sheet(megabytes: float) -> tuple[bytes, int]:
    from openpyxl import Workbook

    municipalities = [f"Obec {n}" for n in range(215)]
    rows = int(megabytes * 40_000)  # about 25 bytes a row once packed, found by trying
    while True:
        workbook = Workbook(write_only=True)
        data = workbook.create_sheet("Hodnoty")
        data.append(["období", "hodnota", "obec", "poznámka", "zdroj"])
        for n in range(rows):
            data.append(
                [
                    f"{2000 + n // 2580}-{n // 215 % 12 + 1:02d}",
                    round(n * 1.37 % 1000, 2),
                    municipalities[n % 215],
                    "předběžná hodnota" if n % 7 == 0 else None,
                    "ČSÚ",
                ]
            )
        out = io.BytesIO()
        workbook.save(out)
        if len(out.getvalue()) >= megabytes * 1_000_000 * 0.95:
            return out.getvalue(), rows
        rows = int(rows * megabytes * 1_000_000 / len(out.getvalue()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=float, default=4)
    args = parser.parse_args()
    declared = {
        option["key"]: option.get("default")
        for group in yaml.safe_load(DECLARATION.read_text("utf-8"))["groups"]
        for option in group["options"]
    }
    defaults = {
        "max_rows": declared["ckanext.smartregion.sheet.max_rows"],
        "max_cells": declared["ckanext.smartregion.sheet.max_cells"],
        "max_uncompressed_bytes": declared["ckanext.smartregion.sheet.max_uncompressed_mb"]
        * 1024
        * 1024,
    }
    unlimited = {"max_rows": None, "max_cells": 10**12, "max_uncompressed_bytes": 10**12}
    data, rows = sheet(args.megabytes)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "hodnoty.xlsx"
        path.write_bytes(data)
        print(f"sheet: {len(data) / 1_000_000:.1f} MB, {rows:,} data rows")
        for label, limits in (("without limits", unlimited), ("default limits", defaults)):
            finished = subprocess.run(
                [sys.executable, "-c", READER, str(path), json.dumps(limits)],
                capture_output=True,
                text=True,
                check=True,
            )
            found = json.loads(finished.stdout.strip().splitlines()[-1])
            print(
                f"{label:15}: peak {found['peak']:6.0f} MB (imports {found['before']:.0f} MB, "
                f"reading +{found['peak'] - found['before']:.0f} MB) in {found['seconds']:.1f} s; "
                f"{found['outcome']}"
            )


if __name__ == "__main__":
    main()
