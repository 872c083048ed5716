"""Uploading an indicator's values: CSV, XLSX and JSON; all-or-nothing with rows named;
progress recomputed and indexed; private indicators stay private."""

from __future__ import annotations

import io

import pytest
from ckan.plugins import toolkit as tk
from ckan.tests import factories as ckan_factories
from ckan.tests.helpers import call_action
from openpyxl import Workbook

from tests import factories

pytestmark = pytest.mark.usefixtures("clean_datastore")

CSV_OK = (
    "období;hodnota;okres\n2020;100;\n2022;110;\n2024;131;\n"
    "2024;40;Liberec\n2024;30;Jablonec nad Nisou\n"
)


class Upload(io.BytesIO):
    def __init__(self, data: bytes, filename: str):
        super().__init__(data)
        self.filename = filename


def _indicator(**changes):
    fields = {
        "baseline_value": "100",
        "baseline_year": 2020,
        "target_value": "200",
        "target_year": 2030,
        "direction": "higher_is_better",
    } | changes
    return factories.Indicator(**fields)


def _upload(indicator, data: bytes, filename: str, user=None):
    user = user or ckan_factories.Sysadmin()
    return call_action(
        "smartregion_indicator_values_upload",
        context={"user": user["name"]},
        id=indicator["id"],
        upload=Upload(data, filename),
    )


def test_a_csv_upload_stores_the_series_and_computes_the_status():
    indicator = _indicator()

    result = _upload(indicator, CSV_OK.encode("utf-8"), "hodnoty.csv")

    assert result["rows"] == 5
    assert result["progress"]["status"] == "substantial_progress"
    rows = call_action(
        "datastore_search", resource_id=result["resource_id"], sort="period, category"
    )["records"]
    assert [(r["period"], float(r["value"]), r["dimension"], r["category"]) for r in rows] == [
        ("2020", 100.0, "", ""),
        ("2022", 110.0, "", ""),
        ("2024", 131.0, "", ""),
        ("2024", 30.0, "okres", "Jablonec nad Nisou"),
        ("2024", 40.0, "okres", "Liberec"),
    ]
    shown = call_action("package_show", id=indicator["id"])
    assert shown["progress"]["latest_value"] == 131.0
    assert shown["progress"]["progress_to_target_pct"] == 31.0


def test_the_status_is_indexed_and_faceted(in_czech):
    _upload(_indicator(indicator_code="2.1-01"), CSV_OK.encode(), "a.csv")
    _upload(_indicator(indicator_code="2.1-02"), b"period,value\n2020,100\n2024,90\n", "b.csv")

    result = call_action(
        "package_search", fq="dataset_type:indicator", **{"facet.field": '["progress_status"]'}
    )

    items = {
        i["name"]: (i["display_name"], i["count"])
        for i in result["search_facets"]["progress_status"]["items"]
    }
    assert items == {
        "substantial_progress": ("Výrazný pokrok", 1),
        "deterioration": ("Zhoršení", 1),
    }
    assert {r["progress"]["status"] for r in result["results"]} == {
        "substantial_progress",
        "deterioration",
    }


def test_an_xlsx_upload_works_like_a_csv():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["period", "value", "note"])
    sheet.append([2020, 100, "výchozí stav"])
    sheet.append([2024, 250.5, ""])
    data = io.BytesIO()
    workbook.save(data)

    result = _upload(_indicator(), data.getvalue(), "hodnoty.xlsx")

    assert result["rows"] == 2
    assert result["progress"]["status"] == "target_achieved"


def test_a_bad_upload_names_each_row_and_changes_nothing():
    indicator = _indicator()
    first = _upload(indicator, CSV_OK.encode(), "ok.csv")
    bad = "period,value\n2025,140\n2026,abc\n26,150\n2027,\n2025,141\n"

    with pytest.raises(tk.ValidationError) as error:
        _upload(indicator, bad.encode(), "bad.csv")

    assert error.value.error_dict["rows"] == [
        "Row 3: value 'abc' is not a number",
        "Row 4: period '26' is not a year (2024), month (2024-03), quarter (2024-Q1) "
        "or half-year (2024-H1)",
        "Row 5: the value is missing",
        "Row 6: the same period and breakdown as row 2",
    ]
    rows = call_action("datastore_search", resource_id=first["resource_id"])["records"]
    assert len(rows) == 5 and not any(r["period"] == "2025" for r in rows)


def test_a_re_upload_corrects_values_without_duplicates():
    indicator = _indicator()
    _upload(indicator, CSV_OK.encode(), "a.csv")

    result = _upload(indicator, b"period,value\n2024,140\n", "fix.csv")

    rows = call_action(
        "datastore_search",
        resource_id=result["resource_id"],
        filters={"period": "2024", "dimension": ""},
    )["records"]
    assert [float(r["value"]) for r in rows] == [140.0]
    assert call_action("datastore_search", resource_id=result["resource_id"])["total"] == 5


def test_records_can_be_sent_as_json():
    result = call_action(
        "smartregion_indicator_values_upload",
        context={"user": ckan_factories.Sysadmin()["name"]},
        id=_indicator()["id"],
        records=[{"period": "2020", "value": 100}, {"period": "2023", "value": "101,5"}],
    )
    assert result["rows"] == 2


def test_only_editors_of_the_indicator_may_upload():
    indicator = _indicator()
    stranger = ckan_factories.User()
    with pytest.raises(tk.NotAuthorized):
        call_action(
            "smartregion_indicator_values_upload",
            context={"user": stranger["name"], "ignore_auth": False},
            id=indicator["id"],
            records=[{"period": "2020", "value": 1}],
        )


def test_the_values_action_filters_and_hides_private_indicators():
    public = _indicator(indicator_code="2.1-01")
    hidden = _indicator(indicator_code="2.1-02", private=True)
    _upload(public, CSV_OK.encode(), "a.csv")
    _upload(hidden, CSV_OK.encode(), "b.csv")
    anonymous = {"user": None, "ignore_auth": False}

    everything = call_action("smartregion_indicator_values", context=anonymous)
    ranged = call_action(
        "smartregion_indicator_values",
        context=anonymous,
        codes="2.1-01",
        period_from="2022",
        period_to="2024",
        dimension="okres",
    )

    assert [i["indicator_code"] for i in everything["indicators"]] == ["2.1-01"]
    assert [(v["period"], v["category"]) for v in ranged["indicators"][0]["values"]] == [
        ("2024", "Jablonec nad Nisou"),
        ("2024", "Liberec"),
    ]
    assert ranged["indicators"][0]["progress"]["status"] == "substantial_progress"
