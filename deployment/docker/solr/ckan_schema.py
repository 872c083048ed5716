"""Writes CKAN's Solr schema (ckan/config/solr/schema.xml) of the pinned ckan release to a path.

Usage: ckan_schema.py CONSTRAINTS_TXT TARGET. Downloads that release with pip (no dependencies)
and takes the file from the wheel or the source archive.
"""

from __future__ import annotations

import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

MEMBER = "ckan/config/solr/schema.xml"


def pinned_ckan(constraints: Path) -> str:
    for line in constraints.read_text().splitlines():
        if line.strip().lower().startswith("ckan=="):
            return line.split("#")[0].strip()
    sys.exit(f"{constraints}: no ckan==VERSION line")


def main() -> None:
    constraints, target = Path(sys.argv[1]), Path(sys.argv[2])
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "-q",
                "--no-deps",
                "-d",
                tmp,
                pinned_ckan(constraints),
            ],
            check=True,
        )
        (archive,) = Path(tmp).iterdir()
        if archive.suffix == ".whl":
            data = zipfile.ZipFile(archive).read(MEMBER)
        else:
            with tarfile.open(archive) as tar:
                (name,) = [n for n in tar.getnames() if n.endswith("/" + MEMBER)]
                data = tar.extractfile(name).read()
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    print(f"{target}: CKAN's schema from {archive.name}")


if __name__ == "__main__":
    main()
