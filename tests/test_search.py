"""Search: facets on the plan's taxonomy with names and counts, Czech words found with or
without diacritics, repeating subfields searchable."""

from __future__ import annotations

import unicodedata

import pytest
from ckan.tests import factories as ckan_factories
from ckan.tests.helpers import call_action

from ckanext.smartregion.search import fold
from tests import factories

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index")

FACETS = (
    '["dataset_type", "vocab_strategic_goals", "vocab_priority_areas", '
    '"vocab_specific_objectives", "vocab_activity_area", "organization", '
    '"vocab_ces_subcollection", "vocab_object_type", "vocab_materials", "vocab_century", '
    '"res_format", "license_id"]'
)


def _facet(result: dict, field: str) -> dict[str, tuple[str, int]]:
    return {
        i["name"]: (i["display_name"], i["count"]) for i in result["search_facets"][field]["items"]
    }


def test_facets_return_taxonomy_values_with_names_and_counts(in_czech):
    factories.Indicator(specific_objectives=["2.1"], indicator_code="2.1-01")
    factories.Indicator(specific_objectives=["2.1", "2.2"], indicator_code="2.2-01")
    factories.Project(specific_objectives=["3.6"])

    result = call_action("package_search", **{"facet.field": FACETS, "rows": 0})

    assert _facet(result, "dataset_type") == {
        "indicator": ("Ukazatel", 2),
        "project": ("Projektová fiše", 1),
    }
    assert _facet(result, "vocab_strategic_goals") == {"2": ("2 Ušetřit", 2), "3": ("3 Zlepšit", 1)}
    assert _facet(result, "vocab_specific_objectives")["2.1"] == (
        "2.1 Úspora energie a vody na základě inteligentního měření",
        2,
    )
    assert _facet(result, "vocab_specific_objectives")["2.2"][1] == 1
    assert _facet(result, "vocab_priority_areas") == {
        "zivotni-prostredi": ("Životní prostředí", 2),
        "doprava": ("Doprava", 1),
        "ekonomicky-rozvoj-a-cestovni-ruch": ("Ekonomický rozvoj a cestovní ruch", 1),
    }
    assert _facet(result, "vocab_activity_area") == {
        "5": ("5 Energetický management a hospodaření s vodou", 2),
        "1": ("1 Moderní prezentace kulturního dědictví a cílů cestovního ruchu", 1),
    }


def test_a_facet_filters_the_results():
    factories.Indicator(specific_objectives=["2.1"], indicator_code="2.1-01", title="Energie")
    factories.Indicator(specific_objectives=["3.4"], indicator_code="3.4-01", title="Školy")

    result = call_action("package_search", fq='vocab_strategic_goals:"3"')

    assert [r["title"] for r in result["results"]] == ["Školy"]


def test_collection_facets_cover_sub_collection_type_material_and_century(in_czech):
    factories.CollectionObject(
        ces_subcollection="užité umění",
        object_type="sklo",
        materials=["sklo", "cín"],
        dating_earliest=1850,
        dating_latest=1910,
    )

    result = call_action("package_search", **{"facet.field": FACETS, "rows": 0})

    assert _facet(result, "vocab_ces_subcollection") == {"užité umění": ("užité umění", 1)}
    assert _facet(result, "vocab_object_type") == {"sklo": ("sklo", 1)}
    assert set(_facet(result, "vocab_materials")) == {"sklo", "cín"}
    assert _facet(result, "vocab_century") == {"19": ("19. století", 1), "20": ("20. století", 1)}


@pytest.mark.parametrize(
    "query",
    ["muzeum skla", "Muzeum skla", "MUZEUM SKLA", "sklářské", "sklarske", "SKLARSKE", "bizuterie"],
)
def test_czech_words_match_with_or_without_diacritics(query):
    factories.Dataset(
        title="Muzeum skla a bižuterie",
        notes="Sklářské sbírky v Jablonci nad Nisou",
        tags=[{"name": "muzea"}],
    )
    factories.Dataset(title="Doprava", notes="Sčítání dopravy", tags=[{"name": "doprava"}])

    result = call_action("package_search", q=query)

    assert [r["title"] for r in result["results"]] == ["Muzeum skla a bižuterie"]


def test_repeating_subfields_are_searchable():
    factories.CollectionObject(
        title="Číše", creators=[{"name": "Dominik Biemann", "role": "rytec"}]
    )
    factories.CollectionObject(title="Mince")

    result = call_action("package_search", q="Biemann")

    assert [r["title"] for r in result["results"]] == ["Číše"]
    assert result["results"][0]["creators"] == [{"name": "Dominik Biemann", "role": "rytec"}]


def test_private_records_stay_out_of_anonymous_search():
    organization = ckan_factories.Organization()
    factories.Indicator(owner_org=organization["id"], private=True, title="Skrytý ukazatel")

    anonymous = call_action(
        "package_search", context={"user": None, "ignore_auth": False}, q="Skrytý"
    )

    assert anonymous["count"] == 0


def test_folding_drops_the_diacritics_of_any_text():
    texts = [
        "Sklářské muzeum v Kamenickém Šenově",
        "ŮÚĚŠČŘŽÝÁÍÉ ďťň ﬁ ½ ẞ ǅ ㍻ 한국어",
        "e\u0301\u0327 a\u0323\u0302 o\u0308\u0304 \u0301 combining marks alone and reordered",
        "plain ASCII",
    ]
    for text in texts:
        decomposed = unicodedata.normalize("NFKD", text)
        expected = "".join(c for c in decomposed if not unicodedata.combining(c))
        assert fold(text) == expected
    assert fold("Sklářské") == "Sklarske"
