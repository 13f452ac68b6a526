"""The finance study on the real data: the recoupment add-back against the ESFA workbook's total,
the pounds of the cumulative balance against a published England figure, the path's shape,
a projection that sees nothing after its origin, and the notebook's published tables."""

import numpy as np
import pandas as pd
import pytest

from analysis.series.store import SeriesStore
from analysis.studies import finance, forecast

pytestmark = pytest.mark.integration

PATH_COLUMNS = ["area_code", "area_name", "level", "year", "kind", "scenario", "value_gbp", "lower_gbp",
                "upper_gbp"]
DEDUCTIONS_2020_21 = 848_337_896
"""ESFA, DSG 2020 to 2021 allocations (workbook of 18 November 2021), sheet High_needs_deductions,
row ENGLAND, column "Total deduction to high needs block for direct funding": pounds."""


@pytest.fixture(scope="module")
def series():
    return SeriesStore()


@pytest.fixture(scope="module")
def built(series):
    return finance.build(series)


def test_the_deductions_add_back_reconciles_with_the_esfa_total(series, built):
    deductions = series.table("dsg_hn_deductions")
    england = deductions[deductions["geographic_level"].eq("National") & deductions["year"].eq(2021)
                         & deductions["measure"].eq("deduction")]
    assert england["value"].sum() == pytest.approx(DEDUCTIONS_2020_21, abs=1)
    la_rows = deductions[deductions["geographic_level"].eq("Local authority") & deductions["year"].eq(2021)
                         & deductions["measure"].eq("deduction")]
    assert la_rows["value"].sum() == pytest.approx(DEDUCTIONS_2020_21, abs=1)
    totals = built.la[built.la["level"].eq("National")].set_index("year")
    # the high needs block before deductions less after is the place funding ESFA pays directly
    assert totals.loc[2021, "hnb_before"] - totals.loc[2021, "hnb_after"] == pytest.approx(
        DEDUCTIONS_2020_21, abs=1)
    assert totals.loc[2021, "deductions"] == pytest.approx(DEDUCTIONS_2020_21, abs=1)
    # spending = outturn + deductions; gap = spending - block before = outturn - block after
    assert totals.loc[2021, "spend"] == pytest.approx(totals.loc[2021, "outturn"] + DEDUCTIONS_2020_21)
    outturn = totals.loc[2021, "outturn"]
    assert totals.loc[2021, "gap"] == pytest.approx(outturn - totals.loc[2021, "hnb_after"])


def test_the_balance_in_pounds_matches_the_published_england_deficit(built):
    """DfE: England's DSG deficit at the end of 2019-20 was about £480m (reported by The MJ, 18
    February 2021); the shares times each LA's total DSG, summed, come within 2% of it."""
    england = built.la[built.la["level"].eq("National")].set_index("year")
    assert england.loc[2020, "balance"] == pytest.approx(-480e6, rel=0.02)
    # England's sum of LAs' pounds agrees with England's own published share times its total DSG
    # (the share is published to two decimals: -1.08% is within 0.005 points, 0.5%)
    for year in (2020, 2021, 2022):
        published = england.loc[year, "balance_pct"] / 100 * england.loc[year, "dsg_total"]
        assert england.loc[year, "balance"] == pytest.approx(published, rel=0.005), year


def test_the_path_runs_to_march_2028_for_every_area_and_scenario(built):
    t = built.path
    assert list(t.columns) == PATH_COLUMNS
    assert set(t["scenario"]) == {"central", "flat_real", "cash_trend"}
    assert t["year"].max() == 2028
    assert set(t.loc[t["kind"].eq("actual"), "year"]) == {2020, 2021, 2022}
    assert set(t.loc[t["kind"].eq("projected"), "year"]) == set(range(2023, 2029))
    regions = t[t["level"].eq("Regional")]["area_code"]
    assert set(regions) == {f"E1200000{i}" for i in range(1, 10)}
    assert set(t.loc[t["level"].eq("National"), "area_code"]) == {"E92000001"}
    las = t[t["level"].eq("Local authority")]["area_code"]
    assert las.str.fullmatch(r"\d{3}").all() and las.nunique() >= 148
    central = t[t["scenario"].eq("central") & t["kind"].eq("projected")]
    assert (central["lower_gbp"] <= central["value_gbp"]).all()
    assert (central["value_gbp"] <= central["upper_gbp"]).all()
    # the LAs' projected balances add up to England's
    end = central[central["year"].eq(2028)]
    england = end.loc[end["level"].eq("National"), "value_gbp"].item()
    assert end.loc[end["level"].eq("Local authority"), "value_gbp"].sum() == pytest.approx(england)
    # the successor LAs of Cumbria have no balance of their own: their page shows Cumbria's path
    assert built.path_codes(["942", "838"]) == ["909", "838"]


def test_a_projection_sees_nothing_after_its_origin(series, built):
    """The path from March 2021 is the same whatever the balances and DSG totals after 2021 are."""
    a = built.assumptions
    balances = finance.balances_in_pounds(series)
    costs, outturn_year = finance._costs(series, a)
    allocations, _ = finance._allocations(series)
    dsg_totals = finance._own(series["dsg_total"]).drop_duplicates(["code", "year"], keep="last")
    demand = forecast.build(series, origin=a.backtest_origin)
    args = (costs, demand, outturn_year, a.backtest_origin, a.backtest_origin + 1, allocations)
    before, _ = finance._projection(balances, *args, dsg_totals, a)
    later = balances["year"].gt(a.backtest_origin)
    changed_balances = balances.assign(value=balances["value"].where(~later, balances["value"] * 10 - 1e9))
    changed_totals = dsg_totals.assign(value=dsg_totals["value"].where(
        dsg_totals["year"].le(a.backtest_origin), 1.0))
    after, _ = finance._projection(changed_balances, *args, changed_totals, a)
    pd.testing.assert_frame_equal(before, after)
    assert before["value"].notna().sum() >= 140
    # and the published backtest is that projection against March 2022
    scored = built.backtest.set_index("code")["value"]
    mine = before.set_index("code")["value"].reindex(scored.index)
    np.testing.assert_allclose(mine, scored, rtol=1e-12)


def test_the_research_projections_are_scored_against_both_outcomes(built):
    r = built.research.set_index(["year", "outcome_measure"])["outcome"]
    gap = [m for m in r.index.get_level_values(1) if m.startswith("S251")][0]
    assert r[(2021, gap)] == pytest.approx(built.la.query("level == 'National'").set_index("year").loc[
        2021, "gap"])
    assert np.isnan(r[(2020, gap)])   # no S251 outturn for 2019-20 is held


def test_the_notebook_publishes_the_finance_tables(published_site):
    tables = published_site / "tables"
    la = pd.read_csv(tables / "finance_la.csv", dtype={"area_code": str})
    assert {"area_code", "area_name", "level", "year", "hnb_before", "hnb_before_symbol", "balance",
            "balance_symbol", "gap", "gap_symbol", "spend_per_plan"} <= set(la.columns)
    assert set(la.loc[la["gap"].isna() & la["level"].eq("National"), "gap_symbol"]) == {"not held"}
    path = pd.read_csv(tables / "finance_deficit_path.csv", dtype={"area_code": str})
    assert list(path.columns) == PATH_COLUMNS and path["year"].max() == 2028
    research = pd.read_csv(tables / "finance_research_projections.csv")
    assert {"projection", "research", "outcome_measure", "outcome", "outcome_source"} <= set(research.columns)
    page = (published_site / "html" / "06_high_needs_finance.html").read_text()
    assert "High needs money" in page and "31 March 2028" in page and "£" in page
    profile = (published_site / "html" / "profiles" / "886.html").read_text()
    assert 'id="high-needs-money"' in profile and "Kent's cumulative DSG balance" in profile
