"""The wheel of ckanext-smartregion (issue 15): built from the source tree it carries every package
and data file, and installed into a fresh virtualenv it starts CKAN and serves the portal."""

from __future__ import annotations

import ast
import json
import os
import shutil
import socket
import subprocess
import sys
import sysconfig
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from ckan.plugins import toolkit as tk
from ckan.tests import factories as ckan_factories

from tests import factories

# Builds and installs the wheel and starts a CKAN server: about a minute on 2 busy cores (58-62 s
# measured at load 10-14), in every `make test`.
pytestmark = [pytest.mark.slow, pytest.mark.stack]

REPO_ROOT = Path(__file__).resolve().parents[2]
# What the build reads besides the package folders: README.md (the long description) and docs/
# (linked into the package as ckanext/smartregion/docs).
BUILD_INPUTS = ("setup.py", "pyproject.toml", "README.md", "docs")
# Run by the fresh virtualenv's Python: where every plugin of the distribution is imported from.
WHERE_FROM = """
import importlib.metadata, json, sys
dist = importlib.metadata.distribution("ckanext-smartregion")
plugins = {ep.name: sys.modules[ep.load().__module__].__file__
           for ep in dist.entry_points if ep.group == "ckan.plugins"}
print(json.dumps({"dist": str(dist.locate_file("")), "plugins": plugins}))
"""


def _package_roots(source: Path) -> dict[str, str]:
    """setup.py's ROOTS (package -> folder), read from the file rather than repeated here."""
    tree = ast.parse((source / "setup.py").read_text())
    for node in tree.body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "ROOTS":
            return ast.literal_eval(node.value)
    raise AssertionError("setup.py no longer defines ROOTS (package -> folder)")


def _source_files(source: Path) -> set[str]:
    """Every file of the package tree as the wheel should name it; bytecode and dotfiles (tool
    stamps such as assets/vendor/.installed) are not part of it."""
    files = set()
    for package, folder in _package_roots(source).items():
        root = source / folder
        # symlinked folders followed, as setuptools does (docs/ is linked into the package)
        for directory, _, names in os.walk(root, followlinks=True):
            parts = Path(directory).relative_to(root).parts
            if "__pycache__" in parts:
                continue
            for name in names:
                if not name.startswith(".") and not name.endswith(".pyc"):
                    files.add("/".join([*package.split("."), *parts, name]))
    return files


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, Path]:
    """(the wheel, the source it was built from): a snapshot of what the build reads from the
    working tree, so that a build elsewhere in the tree at the same time cannot interfere, built
    offline with the project's setuptools."""
    tmp = tmp_path_factory.mktemp("wheel")
    source = tmp / "source"
    source.mkdir()
    for name in BUILD_INPUTS:
        copy = shutil.copytree if (REPO_ROOT / name).is_dir() else shutil.copy
        copy(REPO_ROOT / name, source / name)
    # the package folders as they are, links included; the built front-end libraries in
    # assets/vendor (not in git) are part of them: the portal serves them
    for folder in _package_roots(source).values():
        shutil.copytree(
            REPO_ROOT / folder,
            source / folder,
            symlinks=True,
            ignore=shutil.ignore_patterns("__pycache__"),
        )
    build = subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", tmp / "dist"],
        cwd=source,
        capture_output=True,
        text=True,
    )
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]
    (wheel,) = (tmp / "dist").glob("ckanext_smartregion-*.whl")
    return wheel, source


@pytest.fixture(scope="module")
def fresh_venv(built, tmp_path_factory) -> Path:
    """A new virtualenv with the wheel installed, its dependencies taken from the project's
    virtualenv without installing them again (see _link_dependencies)."""
    venv = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", venv], check=True)
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    site_packages = venv / "lib" / version / "site-packages"
    # --target writes the wheel's files into the empty site-packages and never looks at (or
    # removes) the editable install of the running environment, as an install into the
    # virtualenv itself would.
    pip = [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index"]
    subprocess.run([*pip, "--target", site_packages, built[0]], check=True)
    _link_dependencies(site_packages)
    return venv


def _link_dependencies(site_packages: Path) -> None:
    """Symlinks every entry of the project's site-packages into `site_packages` but the
    editable install of the source tree (its .pth, finder and dist-info), the ckanext namespace
    folder entry by entry beside the wheel's ckanext/smartregion: one site-packages as a real
    installation has, whose .pth files (CKAN's namespace packages) Python runs at start."""
    project = Path(sysconfig.get_path("purelib"))
    for entry in project.iterdir():
        if entry.name.startswith(("__editable__", "ckanext_smartregion-")):
            continue
        if entry.name == "ckanext":
            for portion in entry.iterdir():
                (site_packages / "ckanext" / portion.name).symlink_to(portion)
        else:
            (site_packages / entry.name).symlink_to(entry)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _clean_env() -> dict[str, str]:
    """The environment without what would lead Python to the source tree or start coverage."""
    left_out = ("PYTHONPATH", "PYTHONHOME", "COV_CORE_", "COVERAGE_")
    return {k: v for k, v in os.environ.items() if not k.startswith(left_out)}


class _Server:
    """A `ckan run` process and its address; the test works on while it starts."""

    def __init__(self, process: subprocess.Popen, url: str, log: Path) -> None:
        self.process, self.url, self.log = process, url, log

    def wait_until_up(self, seconds: float = 120) -> None:
        """Until status_show answers (under load, on 2 shared cores, start-up took 57 s)."""
        deadline = time.monotonic() + seconds
        while True:
            failed = "stopped" if self.process.poll() is not None else ""
            if not failed and time.monotonic() > deadline:
                failed = f"did not answer in {seconds} s"
            assert not failed, f"CKAN from the wheel {failed}:\n{self.log.read_text()[-3000:]}"
            try:
                requests.get(f"{self.url}/api/3/action/status_show", timeout=5)
                return
            except requests.ConnectionError:
                time.sleep(0.5)


@pytest.fixture
def wheel_server(fresh_venv, tmp_path, clean_db, clean_index) -> Iterator[_Server]:
    """`ckan -c <this slot's test ini> run` from the fresh virtualenv: CKAN's console script
    (installed with CKAN in the project's bin/) run by the fresh virtualenv's Python."""
    port = _free_port()
    log = tmp_path / "ckan-run.log"
    ckan = Path(sys.executable).parent / "ckan"
    command = [fresh_venv / "bin" / "python", ckan, "-c", tk.config["__file__"]]
    command += ["run", "-H", "127.0.0.1", "-p", str(port), "--disable-reloader", "--threaded"]
    with log.open("w") as out:
        process = subprocess.Popen(
            command, cwd=tmp_path, env=_clean_env(), stdout=out, stderr=subprocess.STDOUT
        )
    try:
        yield _Server(process, f"http://127.0.0.1:{port}", log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def test_the_wheel_carries_every_package_and_data_file_of_the_source_tree(built):
    wheel, source = built
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        metadata = archive.read(next(n for n in names if n.endswith(".dist-info/METADATA")))

    expected = _source_files(source)
    assert len(expected) > 200  # the walk found the tree
    assert sorted(expected - names) == []
    packaged = {n for n in names if ".dist-info/" not in n}
    assert sorted(packaged - expected) == []  # nothing from outside the package tree
    assert b"Requires-Python: >=3.11" in metadata


def test_ckan_serves_the_portal_from_the_wheel_in_a_fresh_virtualenv(fresh_venv, wheel_server):
    # while the server starts: the records, and where the fresh virtualenv imports from
    owner_org = ckan_factories.Organization()["id"]
    records = {
        "dataset": factories.Dataset(title="Ovzduší v Liberci", owner_org=owner_org),
        "indicator": factories.Indicator(title="Spotřeba energie budov", owner_org=owner_org),
        "project": factories.Project(title="Energetický management", owner_org=owner_org),
        "collection-object": factories.CollectionObject(title="Sklenice", owner_org=owner_org),
    }
    where = subprocess.run(
        [fresh_venv / "bin" / "python", "-c", WHERE_FROM],
        cwd=fresh_venv,
        env=_clean_env(),
        capture_output=True,
        text=True,
    )
    assert where.returncode == 0, where.stderr[-3000:]
    imported = json.loads(where.stdout)
    # every plugin comes from the wheel, none from the source tree
    assert Path(imported["dist"]).resolve().is_relative_to(fresh_venv.resolve())
    assert "smartregion" in imported["plugins"]
    for plugin, module_file in imported["plugins"].items():
        assert Path(module_file).resolve().is_relative_to(fresh_venv.resolve()), plugin

    wheel_server.wait_until_up()
    server = wheel_server.url
    status = requests.get(f"{server}/api/3/action/status_show", timeout=30).json()
    assert {"smartregion", "smartregion_review", "harvest"} <= set(status["result"]["extensions"])
    search = requests.get(
        f"{server}/api/3/action/package_search",
        params={"q": "*:*", "fq": "dataset_type:*", "rows": 10},
        timeout=30,
    ).json()["result"]
    assert {d["name"] for d in search["results"]} == {r["name"] for r in records.values()}

    # one page of each dataset type, with the part only the portal's templates render
    markers = {
        "dataset": 'data-test="lang-switch"',
        "indicator": 'id="indicator-state"',
        "project": 'data-test="project-fiche"',
        "collection-object": 'data-test="collection-object"',
    }
    for kind, record in records.items():
        page = requests.get(f"{server}/{kind}/{record['name']}", timeout=60)
        assert page.status_code == 200, kind
        assert record["title"] in page.text, kind
        assert markers[kind] in page.text, kind
    # the developer guide and the OpenAPI description, which the portal reads from docs/
    guide = requests.get(f"{server}/api-dokumentace", timeout=30)
    assert guide.status_code == 200
    assert "package_search" in guide.text
    openapi = requests.get(f"{server}/api-dokumentace/openapi.json", timeout=30)
    assert openapi.status_code == 200
    assert openapi.json()["paths"]
    # the portal's stylesheet, built by webassets from the wheel's assets/
    links = (part.split('"')[0] for part in page.text.split('href="')[1:])
    stylesheet = next(link for link in links if link.startswith("/webassets/ckanext-smartregion/"))
    css = requests.get(f"{server}{stylesheet}", timeout=30)
    assert css.status_code == 200
    assert ".smartregion-brand" in css.text
