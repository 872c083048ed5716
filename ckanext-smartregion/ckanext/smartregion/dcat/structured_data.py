"""The schema.org JSON-LD of a record page, as ckanext-dcat's ``structured_data`` helper makes
it, with the RDF profiles looked up once per process.

ckanext-dcat's helper builds an ``RDFSerializer`` per page, and each one looks its profiles up
among all installed entry points: 90 ms of a dataset page's ~130 ms of CPU with 10,000 records
(bench/portal_pages.py, cProfile). The output is the same; only the look-up is kept.
"""

from __future__ import annotations

import logging
from typing import Any, ClassVar

import simplejson as json
from ckan.plugins import toolkit as tk
from ckanext.dcat.processors import RDFSerializer

log = logging.getLogger(__name__)


class _Serializer(RDFSerializer):
    _profile_classes: ClassVar[dict[tuple[str, ...], list[Any]]] = {}

    def _load_profiles(self, profile_names: list[str]) -> list[Any]:
        key = tuple(profile_names)
        if key not in self._profile_classes:
            self._profile_classes[key] = super()._load_profiles(profile_names)
        return self._profile_classes[key]


def smartregion_structured_data(dataset_dict: dict[str, Any]) -> str:
    """JSON-LD for a <script> element, as ckanext.dcat.helpers.structured_data: <, > and &
    are escaped (JSONEncoderForHTML), so the template may output it unescaped."""
    profiles = tk.aslist(tk.config.get("ckanext.dcat.structured_data.profiles")) or ["schemaorg"]
    output = _Serializer(profiles=profiles).serialize_dataset(dataset_dict, _format="jsonld")
    try:
        data = json.loads(output)
    except ValueError:  # never put text that is not JSON into the <script> element
        log.warning("No structured data for %s: the JSON-LD does not parse", dataset_dict.get("id"))
        return ""
    return json.dumps(
        data, sort_keys=True, indent=4, separators=(",", ": "), cls=json.JSONEncoderForHTML
    )
