"""Where the packages of the one distribution, ckanext-smartregion, come from.

Kept only because pyproject.toml cannot say it: setuptools' package discovery (``packages.find``)
finds packages under a folder but cannot put a folder's packages under a prefix, and the product's
layout puts three top-level folders into one package tree. Every package below these roots is
found by the build, folders of data (templates, assets, migrations, catalogues) included, so that
pyproject.toml can give the package data by kind; metadata, dependencies and entry points are
there too.
"""

from setuptools import find_namespace_packages, setup

# package -> folder: the extension itself, the harvesters and the scheming YAML (package data).
ROOTS = {
    "ckanext.smartregion": "ckanext-smartregion/ckanext/smartregion",
    "ckanext.smartregion.harvesters": "harvesters",
    "ckanext.smartregion.schemas": "schemas",
}

setup(
    package_dir=ROOTS,
    packages=sorted(
        {
            name
            for package, folder in ROOTS.items()
            for name in [
                package,
                *(
                    f"{package}.{sub}"
                    for sub in find_namespace_packages(folder, exclude=["*__pycache__"])
                ),
            ]
        }
    ),
)
