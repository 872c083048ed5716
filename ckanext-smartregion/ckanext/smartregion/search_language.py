"""Which Solr fields a search reads: CKAN's, plus the Czech- and English-analysed copies
(text_cs, text_en of deployment/solr/schema_smartregion.xml) once the live core has them."""

from __future__ import annotations

import time
from typing import Any

import ckan.plugins.toolkit as tk
import requests

# ckan.lib.search.query.QUERY_FIELDS of CKAN 2.12, the fields a dismax search reads by default
CKAN_QUERY_FIELDS = "name^4 title^4 tags^2 groups^2 text"
# text_cs at twice the weight of CKAN's English-stemmed text: a declined Czech form matches
# there only (bench/search_quality.py: recall@10 and MRR of the 44 Czech queries)
QUERY_FIELDS = f"{CKAN_QUERY_FIELDS} text_cs^2 text_en"
RECHECK_SECONDS = 60.0

_has_fields: dict[str, tuple[bool, float]] = {}


def core_has_language_fields() -> bool:
    """Whether the live core's schema has text_cs: a core made before the schema change has
    not, until `ckan smartregion reindex` builds a new one from the configset. A yes is kept;
    a no (or no answer) is asked again after a minute."""
    url = tk.config["solr_url"].rstrip("/")
    known = _has_fields.get(url)
    if known and (known[0] or time.monotonic() - known[1] < RECHECK_SECONDS):
        return known[0]
    user, password = tk.config.get("solr_user"), tk.config.get("solr_password")
    try:
        response = requests.get(
            f"{url}/schema/fields/text_cs",
            params={"wt": "json"},
            auth=(user, password) if user and password else None,
            timeout=tk.config["solr_timeout"],
        )
        present = response.status_code == 200
    except requests.RequestException:
        present = False
    _has_fields[url] = (present, time.monotonic())
    return present


def query_fields(search_params: dict[str, Any]) -> dict[str, Any]:
    """before_dataset_search: a search that names no fields of its own reads the Czech and
    English analyses too."""
    if "qf" not in search_params and core_has_language_fields():
        search_params["qf"] = QUERY_FIELDS
    return search_params
