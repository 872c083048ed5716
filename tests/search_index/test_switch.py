"""No downtime: the rebuild fills a new core while search answers from the old one, then the
new core takes the live core's name; what changed in the meantime (edited, new, deleted and
purged datasets) is in it."""

from __future__ import annotations

import threading
import time

import pytest
import requests
from ckan.plugins import toolkit as tk
from ckan.tests import factories as ckan_factories
from ckan.tests.helpers import call_action

from tests import factories
from tests.search_index.conftest import (
    cores,
    count,
    live_name,
    rebuild_cores,
    run_rebuild,
    solr_documents,
)

pytestmark = [pytest.mark.usefixtures("clean_db", "clean_index"), pytest.mark.stack]


class SearchProbe(threading.Thread):
    """Asks the live core for every dataset every 20 ms; records what it found, or None when
    the request failed."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.answers: list[int | None] = []
        self.running = True

    def run(self) -> None:
        url = f"{tk.config['solr_url']}/select"
        while self.running:
            try:
                response = requests.get(
                    url, params={"q": "*:*", "rows": 0, "wt": "json"}, timeout=5
                )
                self.answers.append(response.json()["response"]["numFound"])
            except (requests.RequestException, ValueError, KeyError):
                self.answers.append(None)
            time.sleep(0.02)

    def stop(self) -> list[int | None]:
        self.running = False
        self.join()
        return self.answers


def test_search_answers_throughout_and_changes_made_meanwhile_are_in_the_new_index(tmp_path):
    context = {"user": ckan_factories.Sysadmin()["name"]}
    glasses = [factories.CollectionObject(title=f"Sklenice {n}") for n in range(8)]
    edited, deleted, purged, late = glasses[:4]
    folder_before = cores()[live_name()]
    during: dict[str, object] = {}
    lines: list[str] = []

    def meanwhile(line: str) -> None:
        """After the new core is filled and before the switch: users change datasets (CKAN
        writes the changes into the live core, the old index)."""
        lines.append(line)
        if "_reindex_" in line and "changes since" in line:  # caught up, not switched yet
            call_action("package_patch", context, id=late["id"], title="Na poslední chvíli")
        if "switched in" in line:  # what search shows from the switch on
            during["at switch"] = solr_documents()
        if "datasets indexed" not in line:
            return
        during["before"] = count()
        call_action("package_patch", context, id=edited["id"], title="Přejmenovaná sklenice")
        during["new"] = factories.CollectionObject(title="Nová sklenice")
        call_action("package_delete", context, id=deleted["id"])
        call_action("dataset_purge", context, id=purged["id"])
        during["after"] = count()

    probe = SearchProbe()
    probe.start()
    run_rebuild(tmp_path, meanwhile)
    answers = probe.stop()

    # search answered all along, never empty (8 datasets, then 7 after the changes)
    assert None not in answers
    assert min(answers) >= 7
    assert during["before"] == 8 and during["after"] == 7  # the old index answered
    # the live name now serves another index, and the rebuild's core is gone
    assert cores()[live_name()] != folder_before
    assert rebuild_cores() == set()
    for documents in (during["at switch"], solr_documents()):
        assert documents[edited["id"]]["title"] == "Přejmenovaná sklenice"
        assert during["new"]["id"] in documents
        assert deleted["id"] not in documents
        assert purged["id"] not in documents
        assert len(documents) == 7
    # the catch-up indexed again what changed, not the documents built from the current
    # version (the datasets are minutes old: all of them changed since the start - margin)
    [caught_up] = [line for line in lines if "_reindex_" in line and "changes since" in line]
    assert ": 2 indexed, 2 removed" in caught_up  # edited, new; deleted, purged
    # changed after the new core caught up, before the switch: indexed again after it
    assert solr_documents()[late["id"]]["title"] == "Na poslední chvíli"


def test_the_previous_index_can_be_kept(tmp_path):
    factories.CollectionObject(title="Sklenice")
    folder_before = cores()[live_name()]

    run_rebuild(tmp_path, print, keep_old=True)

    [kept] = rebuild_cores()
    assert cores()[kept] == folder_before  # the old index, under the rebuild's name
    assert count() == 1
    requests.get(  # remove it, as its message says
        f"{tk.config['solr_url'].rpartition('/')[0]}/admin/cores",
        params={"action": "UNLOAD", "core": kept, "deleteInstanceDir": "true"},
        timeout=60,
    ).raise_for_status()
