"""The research's claims on hand-made series: windows, definitions and status rules."""

import math

import pandas as pd
import pytest

from analysis.studies.baseline import claims


def _england(values: dict, category=None):
    frame = pd.DataFrame({"area_code": "E92000001", "area_name": "England", "level": "National",
                          "year": list(values), "value": list(values.values())})
    if category is not None:
        frame["category"] = category
    return frame


@pytest.mark.parametrize("computed,target,tolerance,expected", [
    (34.88, 35, None, "reproduced"),   # rounds half up to 35
    (24.46, 24, None, "reproduced"),
    (24.5, 24, None, "differs"),       # 24.5 -> 25 when rounding half up
    (66.6, 200 / 3, 2.5, "reproduced"),
    (60.0, 200 / 3, 2.5, "differs"),
    (float("nan"), 35, None, "differs"),
])
def test_status_for(computed, target, tolerance, expected):
    assert claims.status_for(computed, target, tolerance=tolerance) == expected


def test_ehcp_growth_uses_five_january_counts_ending_2018():
    series = _england({2013: 100.0, 2014: 200.0, 2018: 270.0})
    claim = claims.ehcp_growth(series)
    assert (claim.start_period, claim.end_period) == ("January 2014", "January 2018")
    assert claim.computed_value == pytest.approx(35.0)
    assert claim.status == "reproduced"
    assert "170%" in claim.note  # six counts: 100 -> 270


def test_exclusions_window_is_2012_13_to_2016_17():
    series = _england({2013: 300.0, 2017: 500.0}, category="Total")
    claim = claims.exclusions_growth(series, release="2022/23")
    assert (claim.start_period, claim.end_period) == ("2012/13", "2016/17")
    assert claim.computed_value == pytest.approx(66.667, abs=1e-3)
    assert claim.status == "reproduced"


def test_post16_claim_needs_close_and_rising():
    rising = _england({2014: 10.0, 2015: 11.0, 2016: 16.0, 2017: 22.0, 2018: 26.0})
    assert claims.post16_share_claim(rising).status == "reproduced"
    dip = _england({2014: 10.0, 2015: 11.0, 2016: 16.0, 2017: 27.0, 2018: 26.0})
    assert claims.post16_share_claim(dip).status == "differs"


def test_overspend_share_compares_like_years_only():
    # The workbook's budget is 2021-22 and its outturn 2020-21: no like-year budget comparison.
    s251 = pd.DataFrame({"old_la_code": ["865", "202", "203", "835"], "la_name": "x",
                         "budget": [10.0, 10.0, 10.0, float("nan")], "budget_year": 2022,
                         "outturn": [11.0, 9.0, 12.0, float("nan")], "outturn_year": 2021})
    hnb = pd.DataFrame({"area_code": ["865", "202", "203", "865"], "area_name": "x",
                        "level": "Local authority", "year": [2021, 2021, 2021, 2022],
                        "value": [5.0, 20.0, 20.0, 100.0]})
    claim = claims.overspend_share(s251, hnb)
    assert math.isnan(claim.computed_value)
    assert claim.end_value == pytest.approx(100 / 3)   # 865 above its 2020-21 allocation, of 3
    assert claim.start_period == claim.end_period == "2020-21"
    assert claim.status == "not testable with the data held"
    assert "2021-22" in claim.note and "2020-21" in claim.note


def test_overspend_share_is_like_for_like_when_budget_and_outturn_share_a_year():
    # Outturn and budget both 2021-22 (the workbook held): 865 and 203 overspent their own
    # budget, 202 did not; 835 returned neither and is left out (never counted as 0).
    s251 = pd.DataFrame({"old_la_code": ["865", "202", "203", "835"], "la_name": "x",
                         "budget": [10.0, 10.0, 10.0, float("nan")], "budget_year": 2022,
                         "outturn": [11.0, 9.0, 12.0, float("nan")], "outturn_year": 2022})
    hnb = pd.DataFrame({"area_code": ["865", "202", "203"], "area_name": "x",
                        "level": "Local authority", "year": 2022, "value": [5.0, 20.0, 20.0]})
    claim = claims.overspend_share(s251, hnb)
    assert claim.computed_value == pytest.approx(200 / 3)
    assert claim.end_value == pytest.approx(100 / 3)
    assert claim.start_period == claim.end_period == "2021-22"
    assert claim.status == "not testable with the data held"   # the claim's years are not held
    assert "67% of LAs spent more on high needs than their own S251 budget" in claim.note


def test_s251_claim_compares_outturn_and_budget_each_with_its_own_years_allocation():
    s251 = pd.DataFrame({"old_la_code": ["865", "202"], "la_name": "x", "budget": [60.0, 60.0],
                         "budget_year": 2022, "outturn": [55.0, 65.0], "outturn_year": 2021})
    hnb = _england({2021: 100.0, 2022: 110.0})
    claim = claims.s251_above_hnb(s251, hnb)
    assert claim.computed_value == pytest.approx(120.0)     # 120 outturn 2020-21 / 100
    assert claim.start_period == "2021-22" and claim.end_period == "2020-21"
    assert "(109%)" in claim.note                            # budget 120 / 110 in 2021-22


def test_dsg_carry_forward_nearest_test():
    balance = pd.concat([
        _england({2020: -1.0, 2022: -2.5}),
        pd.DataFrame({"area_code": ["a", "b", "a", "b"], "area_name": "x",
                      "level": "Local authority", "year": [2020, 2020, 2022, 2022],
                      "value": [1.0, -1.0, -1.0, -2.0]}),
    ])
    pounds = pd.DataFrame({"code": ["a", "b", "a", "b"], "year": [2020, 2020, 2022, 2022],
                           "value": [1e8, -3e8, -1e8, -1.2e9]})
    claim = claims.dsg_carry_forward(balance, pounds)
    assert claim.computed_value == pytest.approx(-1.5)
    assert "50% in 2019-20, 100% in 2021-22" in claim.note
    assert "-£0.20bn at 31 March 2020, -£1.30bn at 31 March 2022" in claim.note


def test_claims_table_columns_and_order():
    rows = [claims.Claim("C2", "b", "1", "d"), claims.Claim("C1", "a", "1", "d")]
    table = claims.claims_table(rows)
    assert list(table.columns) == claims.COLUMNS
    assert table["claim_id"].tolist() == ["C1", "C2"]
    assert math.isnan(table["computed_value"].iloc[0])
