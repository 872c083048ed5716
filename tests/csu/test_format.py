"""The ČSÚ format without the stack: the real code list and schema are read with their
defects, and a table is mapped to kraj rows with a summary line."""

from __future__ import annotations

from ckanext.smartregion.harvesters.csu import codelist, mapping, source_config, table
from ckanext.smartregion.indicators import benchmark
from tests.csu.conftest import FIXTURES, kraj_table

SCHEMA = (FIXTURES / "130141-21schema2020.json").read_bytes()


def test_the_code_list_is_read_from_both_real_exports_and_shipped_unchanged():
    semicolon = codelist.read_export((FIXTURES / "cis0100_CS_semicolon_cp1250.csv").read_bytes())
    comma = codelist.read_export((FIXTURES / "cis0100_CS_comma_cp1250.csv").read_bytes())

    assert semicolon == comma == codelist.kraje()
    assert len(semicolon) == 14 and "3000" not in semicolon  # Extra-Regio is no kraj
    assert semicolon["3077"] == codelist.Region("3077", "Liberecký kraj", "CZ051", "78")
    assert (
        codelist.EXPORT.read_bytes() == (FIXTURES / "cis0100_CS_semicolon_cp1250.csv").read_bytes()
    )


def test_the_real_schema_with_its_byte_order_mark_names_the_territory_columns():
    schema = table.read_schema(SCHEMA)
    read = table.read(kraj_table().encode(), schema)

    assert read.territory_columns() == ("vuzemi_cis", "vuzemi_kod", "vuzemi_txt")
    assert "referenční území" in read.explain("vuzemi_kod")


def test_the_filter_keeps_one_value_per_kraj_and_the_summary_says_what_was_left():
    config = source_config.parse(
        '{"dataset": "130141r21", "indicator": "stredni-stav", "filter": {"vuk": "DEM0004"}}'
    )

    outcome = mapping.benchmark_rows(
        table.read(kraj_table().encode(), table.read_schema(SCHEMA)), config, "https://x/d.csv"
    )

    assert outcome.problems == [] and outcome.flagged == []
    assert len(outcome.records) == 30
    assert outcome.summary("130141r21") == (
        "ČSÚ 130141r21: 60 rows read, 32 kept by the filter, 30 values for 15 territories "
        "(2019–2020); other territories left: 2 of code list 101"
    )


def test_equal_values_share_a_rank_and_only_an_http_source_is_a_link():
    names = sorted(region.name for region in codelist.kraje().values())
    rows = [
        {
            "period": "2024",
            "value": 5 if name == "Liberecký kraj" else 10 if i % 2 else 1,
            "dimension": "kraj",
            "category": name,
            "source": "ČSÚ 1 javascript:alert(1)",
        }
        for i, name in enumerate(names)
    ]
    rows.append(
        {
            "period": "2024",
            "value": 3,
            "dimension": "kraj",
            "category": "Praha",
            "source": "ČSÚ 250169r24 https://www.czso.cz/a.csv",
        }
    )

    ranked = benchmark.ranking({"direction": "lower_is_better"}, rows)

    assert ranked["home"] == "Liberecký kraj" and ranked["period"] == "2024"
    ones = sum(1 for entry in ranked["table"] if entry["value"] == 1)
    assert [e["rank"] for e in ranked["table"]][:ones] == [1] * ones
    assert ranked["rank"] == ones + 1
    assert ranked["sources"] == [{"dataset": "250169r24", "url": "https://www.czso.cz/a.csv"}]
