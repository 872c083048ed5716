"""The public page of a collection object: images with their rights and the title as alt
text, dating, institution, inventory number, a citation line (ČSN ISO 690) and the sample
banner; and the facets by institution, object type, sub-collection, century and material."""

from __future__ import annotations

import datetime

import pytest
from ckan.tests import factories as ckan_factories
from ckan.tests.helpers import call_action

from ckanext.smartregion.harvesters.oaipmh_lido import citation
from tests import factories

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

IMAGE = "https://sbirky.example.cz/obrazy/sklenice-1.jpg"


def _object(**values) -> dict:
    museum = ckan_factories.Organization(title="Severočeské muzeum v Liberci")
    fields = {
        "title": "Pohár s rytinou",
        "inventory_number": "S-123",
        "owner_org": museum["id"],
        "dating_display": "kolem roku 1890",
        "dating_earliest": 1885,
        "dating_latest": 1895,
        "object_type": "pohár",
        "materials": ["sklo"],
        "creators": [{"name": "Josef Riedel", "role": "výrobce"}],
        "resources": [
            {"url": IMAGE, "format": "JPEG", "name": "Čelní pohled", "rights": "CC BY 4.0"},
            {"url": "https://sbirky.example.cz/zaznam.xml", "format": "XML", "name": "Záznam"},
        ],
    }
    return factories.CollectionObject(**{**fields, **values})


def test_the_page_shows_images_dating_institution_and_citation(app):
    dataset = _object()

    page = app.get(f"/collection-object/{dataset['name']}").get_data(as_text=True)

    assert 'data-test="collection-object"' in page
    assert f'src="{IMAGE}"' in page
    assert 'alt="Pohár s rytinou"' in page
    assert "CC BY 4.0" in page
    assert "zaznam.xml" not in page.split('data-test="co-images"')[1].split("</div>")[0]
    assert "kolem roku 1890 (1885–1895)" in page
    assert "Severočeské muzeum v Liberci" in page
    assert "S-123" in page
    today = datetime.date.today().isoformat()
    assert (
        f"Josef Riedel. Pohár s rytinou, kolem roku 1890 (1885–1895). Severočeské muzeum v "
        f"Liberci, inv. no. S-123. Online. Available from: http://test.ckan.net/collection-object/"
        f"{dataset['name']} [viewed {today}]."
    ) in page
    assert "smartregion-sample-banner" not in page


def test_the_czech_page_cites_in_czech_and_a_sample_object_shows_the_banner(app):
    dataset = _object(is_sample_data=True)

    page = app.get(f"/cs_CZ/collection-object/{dataset['name']}").get_data(as_text=True)

    assert "inv. č. S-123. Online. Dostupné z: " in page
    assert f"[cit. {datetime.date.today().isoformat()}]." in page
    assert "smartregion-sample-banner" in page


def test_the_citation_without_dating_or_creators():
    line = citation.citation(
        {"title": "Mince", "inventory_number": "N-1", "organization": {"title": "Muzeum"}},
        "https://portal/collection-object/mince",
        "cs",
        today=datetime.date(2026, 11, 30),
    )

    assert line == (
        "Mince. Muzeum, inv. č. N-1. Online. Dostupné z: https://portal/collection-object/mince. "
        "[cit. 2026-11-30]."
    )


def test_collection_objects_are_faceted_by_institution_type_subcollection_century_material(
    in_czech,
):
    _object(ces_subcollection="sklo, porcelán, keramika")
    _object(
        title="Mince",
        inventory_number="N-1",
        object_type="mince",
        materials=["stříbro"],
        dating_display="1620",
        dating_earliest=1620,
        dating_latest=1620,
        resources=[],
    )
    facets = [
        "organization",
        "vocab_object_type",
        "vocab_ces_subcollection",
        "vocab_century",
        "vocab_materials",
    ]

    result = call_action(
        "package_search",
        fq="dataset_type:collection-object",
        rows=0,
        **{"facet.field": str(facets).replace("'", '"')},
    )

    items = {
        field: {i["name"]: (i["display_name"], i["count"]) for i in facet["items"]}
        for field, facet in result["search_facets"].items()
    }
    assert items["vocab_object_type"] == {"pohár": ("pohár", 1), "mince": ("mince", 1)}
    assert items["vocab_century"] == {"19": ("19. století", 1), "17": ("17. století", 1)}
    assert items["vocab_materials"] == {"sklo": ("sklo", 1), "stříbro": ("stříbro", 1)}
    assert items["vocab_ces_subcollection"] == {
        "sklo, porcelán, keramika": ("sklo, porcelán, keramika", 1)
    }
    assert sorted(count for _name, count in items["organization"].values()) == [1, 1]
    found = call_action("package_search", fq='vocab_century:"19" +vocab_materials:"sklo"')
    assert [d["inventory_number"] for d in found["results"]] == ["S-123"]
