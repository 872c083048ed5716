"""Writes the container's ckan.ini ($CKAN_INI) from ckan.ini.template and the environment.

A required variable that is missing stops the container with its name; the optional ones
have the defaults below. The file is readable by the container's user only.
"""

from __future__ import annotations

import os
import string
import sys
from pathlib import Path

PLUGINS = (
    "smartregion smartregion_dcat scheming_datasets scheming_organizations dcat structured_data"
    " activity datastore datatables_view text_view image_view harvest smartregion_probe_harvester"
    " smartregion_oaipmh_lido_harvester smartregion_dcat_harvester smartregion_arcgis_harvester"
    " smartregion_ckan_harvester smartregion_indicator_sheet_harvester"
    " smartregion_metering_harvester smartregion_csu_harvester smartregion_traffic_harvester"
    " smartregion_pages"
    " smartregion_review smartregion_downloads geojson_view"
)
DEFAULTS = {
    "CKAN_SITE_ID": "smartregion",
    "CKAN_STORAGE_PATH": "/var/lib/ckan",
    "CKAN_MAX_UPLOAD_SIZE_MB": "100",
    "CKAN_PLUGINS": PLUGINS,
    "CKAN_LOG_LEVEL": "INFO",
}


def main() -> None:
    template = Path(__file__).with_name("ckan.ini.template")
    target = Path(os.environ["CKAN_INI"])
    values = {**DEFAULTS, **{k: v for k, v in os.environ.items() if v != ""}}
    if len(values.get("CKAN_SECRET_KEY", "")) < 32:
        sys.exit(
            "CKAN_SECRET_KEY must be set, to the same random value of 32 or more characters"
            " in every CKAN container"
        )
    try:
        text = string.Template(template.read_text()).substitute(values)
    except KeyError as missing:
        sys.exit(f"ckan.ini: no value for {missing}; set it in the container's environment")
    target.touch(mode=0o600)
    target.write_text(text)


if __name__ == "__main__":
    main()
