"""The harvester plugins are named alike (``smartregion_<what>_harvester``); the OAI-PMH/LIDO
one's name up to 0.4.0 still loads it, and its sources' type (what ckanext-harvest looks a
source's harvester up by) is unchanged, so stored sources keep harvesting (the harvest tests
create theirs with source_type oaipmh_lido)."""

from __future__ import annotations

from importlib.metadata import entry_points
from pathlib import Path

from ckan.plugins.core import _get_service  # how CKAN resolves a name of ckan.plugins

from ckanext.smartregion.harvesters.oaipmh_lido.harvester import OaiPmhLidoHarvester

OLD, NEW = "smartregion_oaipmh_lido", "smartregion_oaipmh_lido_harvester"
TEMPLATE = Path(__file__).resolve().parents[2] / "deployment" / "ckan.ini.template"


def test_harvester_plugins_are_named_alike():
    ours = {ep.name: ep.value for ep in entry_points(group="ckan.plugins")}
    harvesters = {name for name, value in ours.items() if ".harvesters." in value}
    assert harvesters - {OLD} == {name for name in harvesters if name.endswith("_harvester")}
    assert ours[OLD] == ours[NEW]
    plugins = TEMPLATE.read_text().split("ckan.plugins =", 1)[1].split("\n#", 1)[0].split()
    assert NEW in plugins and OLD not in plugins


def test_both_names_load_the_lido_harvester_of_the_same_source_type():
    old, new = _get_service(OLD), _get_service(NEW)
    assert old is new
    assert isinstance(new, OaiPmhLidoHarvester)
    assert new.info()["name"] == "oaipmh_lido"
