"""Puts the front-end libraries the portal serves into the tree before the wheel is built.

Usage: vendor_assets.py SOURCE_TREE. The same file deployment/install.sh copies out of
`npm ci` (chart.js's UMD build), here taken from the tarball that package-lock.json resolves,
checked against the lock's integrity hash; no npm in the image.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import sys
import tarfile
import urllib.request
from pathlib import Path

REGISTRY = "https://registry.npmjs.org"
# package in package-lock.json -> (file in its tarball, target under the extension's assets)
FILES = {"chart.js": ("package/dist/chart.umd.min.js", "vendor/chart.umd.min.js")}


def main() -> None:
    tree = Path(sys.argv[1])
    lock = json.loads((tree / "package-lock.json").read_text())
    assets = tree / "ckanext-smartregion/ckanext/smartregion/assets"
    for package, (member, target) in FILES.items():
        entry = lock["packages"][f"node_modules/{package}"]
        algorithm, digest = entry["integrity"].split("-", 1)
        # The lock has no "resolved" URLs: the registry's tarball address of that version.
        url = (
            entry.get("resolved")
            or f"{REGISTRY}/{package}/-/{package.split('/')[-1]}-{entry['version']}.tgz"
        )
        with urllib.request.urlopen(url, timeout=60) as response:
            data = response.read()
        if base64.b64encode(hashlib.new(algorithm, data).digest()).decode() != digest:
            sys.exit(f"{url}: the download does not match package-lock.json's integrity")
        with tarfile.open(fileobj=io.BytesIO(data)) as tar:
            content = tar.extractfile(member).read()
        path = assets / target
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        print(f"{path.relative_to(tree)}: {package} {entry['version']}")


if __name__ == "__main__":
    main()
