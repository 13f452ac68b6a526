import math

import pandas as pd
import pytest

from analysis.tables.geography import harmonise_la, stable_unit


def _row(year, code, value, symbol=None, level="Local authority", measure="total"):
    return {"time_period": str(year), "time_identifier": "Calendar year",
            "geographic_level": level, "country_code": "E92000001", "region_code": pd.NA,
            "region_name": pd.NA, "old_la_code": code, "new_la_code": pd.NA,
            "la_name": f"LA {code}", "year": year, "measure": measure, "value": value,
            "symbol": symbol}


def _frame(rows):
    frame = pd.DataFrame(rows)
    for c in ("old_la_code", "la_name", "symbol", "region_name", "new_la_code", "region_code"):
        frame[c] = frame[c].astype("string")
    return frame


def test_split_counties_are_summed_into_the_stable_unit():
    frame = _frame([
        _row(2021, "928", 800.0),  # Northamptonshire before the 2021 split
        _row(2022, "940", 600.0), _row(2022, "941", 400.0),
        _row(2022, "873", 50.0),  # Cambridgeshire: untouched
        _row(2022, None, 1050.0, level="National"),
    ])
    out = harmonise_la(frame).set_index(["year", "old_la_code"])
    assert out.loc[(2021, "928"), "value"] == 800.0
    assert out.loc[(2022, "928"), "value"] == 1000.0
    assert out.loc[(2022, "928"), "la_name"] == "Northamptonshire"
    assert bool(out.loc[(2022, "928"), "harmonised"])
    assert out.loc[(2022, "873"), "value"] == 50.0
    assert not bool(out.loc[(2022, "873"), "harmonised"])
    national = out[out["geographic_level"] == "National"]
    assert national["value"].tolist() == [1050.0]


def test_dorset_and_bcp_before_and_after_2019():
    frame = _frame([
        _row(2019, "835", 10.0), _row(2019, "836", 20.0), _row(2019, "837", 30.0),
        _row(2020, "838", 25.0), _row(2020, "839", 40.0),
    ])
    out = harmonise_la(frame).set_index("year")
    assert out.loc[2019, "value"] == 60.0
    assert out.loc[2020, "value"] == 65.0
    assert set(out["old_la_code"]) == {"838+839"}


def test_suppressed_or_incomplete_components_are_marked_not_summed():
    frame = _frame([
        _row(2023, "942", float("nan"), "x"), _row(2023, "943", 5.0),
        _row(2024, "942", 7.0),  # Westmorland and Furness missing
    ])
    out = harmonise_la(frame).set_index("year")
    assert math.isnan(out.loc[2023, "value"]) and out.loc[2023, "symbol"] == "suppressed-part"
    assert math.isnan(out.loc[2024, "value"]) and out.loc[2024, "symbol"] == "incomplete"


def test_measures_filter_keeps_rates_out_of_sums():
    frame = _frame([_row(2022, "940", 1.5, measure="rate"), _row(2022, "940", 6.0),
                    _row(2022, "941", 4.0)])
    out = harmonise_la(frame, measures=["total"])
    assert out["measure"].unique().tolist() == ["total"]
    assert out["value"].tolist() == [10.0]
    with pytest.raises(KeyError):
        harmonise_la(frame, measures=["nope"])


def test_stable_unit_of_unchanged_codes_is_itself():
    assert stable_unit("815") == "815"  # North Yorkshire: ONS code changed, DfE code did not
    assert stable_unit("943") == "909"
