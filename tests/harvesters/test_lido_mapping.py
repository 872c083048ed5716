"""A rich LIDO 1.0 record, harvested end to end, lands field by field in a collection object;
the same mapping holds for a bare lido:lido and for LIDO 1.1 additions it does not know."""

from __future__ import annotations

from pathlib import Path

import pytest
from ckan.tests.helpers import call_action

from ckanext.smartregion.harvesters import safe_xml
from ckanext.smartregion.harvesters.oaipmh_lido import lido
from tests.harvesters.oai_server import lido_record

RICH = (Path(__file__).parent / "fixtures" / "rich_lido_1_0.xml").read_text(encoding="utf-8")
RICH_PAYLOAD = RICH.split("?>", 1)[1].split("-->", 1)[1]  # as it sits inside <metadata>


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_a_rich_record_is_mapped_field_by_field(oai_repository, harvest):
    repository, _url = oai_repository
    repository.put("oai:sbirky.example.cz:4711", RICH_PAYLOAD, datestamp="2024-03-05T10:20:30Z")
    source = harvest({"source_system": "DEMUS"})

    job = source.run()

    assert job["object_errors"] == {}
    [found] = source.datasets()
    dataset = call_action("package_show", id=found["id"])
    expected = {
        "type": "collection-object",
        "title": "Pohár s vedutou Liberce",
        "inventory_number": "S 4711",
        "source_record_id": "CZ-SMLB-SKLO-4711",
        "source_system": "DEMUS",
        "object_type": "pohár",
        "ces_subcollection": "Sklo",
        "classification_terms": ["užité umění", "historismus"],
        "dating_display": "kolem 1850–1860",
        "dating_earliest": 1850,
        "dating_latest": 1860,
        "creators": [
            {"name": "Friedrich Egermann", "role": "rytec"},
            {"name": "Sklárna Harrachov", "role": "výrobce"},
        ],
        "place": "Harrachov, Čechy",
        "materials": ["sklo", "zlato"],
        "techniques": ["rytí", "zlacení"],
        "dimensions": [
            {"type": "výška", "value": "21.5", "unit": "cm"},
            {"type": "průměr", "value": "9", "unit": "cm"},
        ],
        "notes": "Pohár z čirého skla s rytou vedutou Liberce a zlaceným okrajem.",
        # the record's English title and description: the English twins
        "title_en": "Goblet with a view of Liberec",
        "notes_en": "A clear glass goblet cut with a view of the town.",
        "inscriptions": "signature: „F. Egermann fec.“ – rytá signatura na dně",
        "provenance": "Acquisition: 1999, Jan Novák",
        "license_id": "cc-zero",
        "image_rights": "CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/); "
        "© Severočeské muzeum v Liberci; foto Jana Dvořáková",
    }
    for field, value in expected.items():
        assert (field, _normalise(dataset.get(field))) == (field, _normalise(value))
    assert dataset["source_modified"].startswith("2024-03-05T10:20:30")
    assert dataset["organization"]["title"] == "Severočeské muzeum v Liberci"
    [image] = dataset["resources"]  # the file:// representation is not taken
    assert image["url"] == "https://sbirky.example.cz/img/4711-1.jpg"  # master, not thumbnail
    assert image["format"] == "JPEG"
    assert image["name"] == "Pohled zepředu"
    assert image["rights"].startswith("CC BY 4.0")
    centuries = call_action("package_search", fq="vocab_century:19")["count"]
    assert centuries == 1


def _normalise(value):
    return int(value) if isinstance(value, str) and value.lstrip("-").isdigit() else value


def test_english_then_first_language_when_czech_is_missing():
    record = lido_record(1).replace(
        "<lido:term>sklenice</lido:term>",
        '<lido:term xml:lang="de">Glas</lido:term>'
        '<lido:term xml:lang="en">drinking glass</lido:term>',
    )
    mapped = lido.map_record(safe_xml.parse(record.encode()))

    assert mapped.fields["object_type"] == "drinking glass"
    assert mapped.languages["object_type"] == "en"


def test_a_bare_lido_record_and_the_configured_language_order():
    record = lido_record(7, wrap=False).replace(
        "<lido:appellationValue>Sklenice č. 7</lido:appellationValue>",
        '<lido:appellationValue xml:lang="cs">Sklenice</lido:appellationValue>'
        '<lido:appellationValue xml:lang="en">Glass</lido:appellationValue>',
    )
    mapped = lido.map_record(safe_xml.parse(record.encode()), languages=("en", "cs"))

    assert mapped.fields["title"] == "Glass"
    assert "title_en" not in mapped.fields  # the title is English already
    assert mapped.fields["inventory_number"] == "S-000007"
    assert mapped.legal_body.name == "Severočeské muzeum v Liberci"


def test_a_record_without_a_title_or_number_is_imported_with_stand_ins_and_issues():
    untitled = lido.map_record(safe_xml.parse(lido_record(3, title="").encode()))
    unnumbered = lido.map_record(safe_xml.parse(lido_record(4, inventory="").encode()))
    no_number = lido.map_record(safe_xml.parse(lido_record(5, inventory="f.n.").encode()))

    assert untitled.fields["title"] == "S-000003"
    assert [i["field"] for i in untitled.issues.items] == ["title"]
    assert unnumbered.fields["inventory_number"] == "SMLK-4"  # its lidoRecID
    assert [i["field"] for i in unnumbered.issues.items] == ["inventory_number"]
    assert "no inventory number" in unnumbered.issues.items[0]["problem"]
    assert no_number.fields["inventory_number"] == "SMLK-5"
    assert "'f.n.' says there is none" in no_number.issues.items[0]["problem"]


def test_a_record_without_title_and_identifiers_is_refused_in_plain_words():
    record = lido_record(3, title="", inventory="").replace(
        '<lido:lidoRecID lido:type="local">SMLK-3</lido:lidoRecID>', ""
    )

    with pytest.raises(lido.LidoError, match=r"has neither a title .* nor an identifier"):
        lido.map_record(safe_xml.parse(record.encode()))
