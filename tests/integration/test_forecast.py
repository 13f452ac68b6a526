"""The demand forecast on the real data: the published table's shape and areas, the default
chosen by the rule, calibrated intervals, a forecast made "in 2020" equal to the backtest's, and
the published outputs of the notebook."""

import numpy as np
import pytest

from analysis.series.store import SeriesStore
from analysis.studies import forecast
from analysis.studies.forecast import research

pytestmark = pytest.mark.integration

COLUMNS = ["area_code", "area_name", "level", "origin", "year", "method", "value", "lower_80", "upper_80",
           "lower_95", "upper_95", "is_default"]


@pytest.fixture(scope="module")
def built():
    return forecast.build(SeriesStore())


def test_the_published_forecast_covers_every_area_to_january_2031(built):
    t = built.table
    assert list(t.columns[:len(COLUMNS)]) == COLUMNS
    latest = t[t["origin"].eq(built.origin)]
    assert built.origin == 2026 and latest["year"].max() == 2031
    levels = latest.groupby("level")["area_code"].nunique().to_dict()
    assert levels == {"Local authority": 153, "Stable area": 3, "Regional": 9, "National": 1}
    regions = set(latest.loc[latest["level"].eq("Regional"), "area_code"])
    assert regions == {f"E1200000{i}" for i in range(1, 10)}
    england = latest[latest["area_code"].eq("E92000001")]
    # DfE EHC plans 2026 release: 718,838 plans in England in January 2026
    assert england.loc[england["method"].eq("actual") & england["year"].eq(2026), "value"].item() == 718_838
    defaults = latest[latest["is_default"]]
    assert set(defaults["method"]) == {built.default}
    assert (defaults["lower_80"] < defaults["value"]).all()
    assert (defaults["value"] < defaults["upper_80"]).all()
    assert (defaults["lower_95"] <= defaults["lower_80"]).all()
    # every backtest origin is written too, for the scored areas
    assert sorted(t["origin"].unique()) == list(range(2017, 2027))
    # Lewisham's January 2026 count is suppressed: forecast from January 2025, labelled so
    lewisham = latest[latest["area_code"].eq("209") & latest["is_default"]].set_index("year")
    assert list(lewisham.index) == list(range(2026, 2032))
    assert lewisham.loc[2026, "basis"] == ("no January 2026 figure (an LA's count suppressed): forecast "
                                           "from January 2025")
    assert not latest[latest["area_code"].eq("209") & latest["method"].eq("actual")
                      & latest["year"].eq(2026)].size


def test_successor_las_say_how_they_were_forecast(built):
    t = built.table[built.table["origin"].eq(built.origin) & built.table["is_default"]]
    basis = t.groupby("area_code")["basis"].first()
    assert basis["838"].startswith("own series") and basis["839"].startswith("own series")
    for code in ("940", "941"):   # North and West Northamptonshire: January 2022 to 2026
        assert basis[code].startswith("own series"), code
    for code in ("942", "943"):   # Cumberland, Westmorland and Furness: from January 2024
        assert "own series too short" in basis[code], code
    # shares of the stable area add back to it
    for unit, parts in (("909", ("942", "943")),):
        total = t[t["area_code"].eq(unit)].set_index("year")["value"]
        summed = t[t["area_code"].isin(parts)].groupby("year")["value"].sum()
        np.testing.assert_allclose(summed, total, rtol=1e-9)


def test_the_default_is_chosen_by_the_rule_and_its_intervals_are_calibrated(built):
    # the bar of issue 26: lower mean MASE (horizons 1-5) than every baseline, and a one-year
    # median absolute error at least 10% below drift's
    r = built.ranking.set_index("method")
    assert not r.loc[built.default, "baseline"] and r.loc[built.default, "eligible"]
    for baseline in ("naive", "drift", "last_growth"):
        assert r.loc[built.default, "mase"] < r.loc[baseline, "mase"], baseline
    assert r.loc[built.default, "mdape_1"] <= 0.9 * r.loc["drift", "mdape_1"]
    mine = built.scores[built.scores["method"].eq(built.default) & built.scores["group"].eq("all LAs")
                        & built.scores["group_kind"].eq("all LAs")]
    assert 70 <= mine["coverage_80"].mean() <= 90 and 88 <= mine["coverage_95"].mean() <= 99
    assert set(mine["horizon"]) == {1, 2, 3, 4, 5}
    # the regions' and England's 80% intervals hold 70-90% of their outcomes at every horizon
    agg = built.scores[built.scores["method"].eq(built.default)
                       & built.scores["group_kind"].eq("regions and England")]
    assert agg["coverage_80"].between(70, 90).all(), agg["coverage_80"].tolist()
    latest = built.table[built.table["origin"].eq(built.origin) & built.table["is_default"]]
    assert latest["value"].between(latest["lower_80"], latest["upper_80"]).all()


def test_a_forecast_made_in_2020_is_the_backtest_at_2020(built):
    """The data after the origin is never used: building as of January 2020 reproduces the
    2020 backtest forecasts of the full run."""
    then = forecast.build(SeriesStore(), origin=2020)
    assert then.origin == 2020 and then.table.loc[then.table["method"].eq("actual"), "year"].max() == 2020
    ours = then.table[then.table["origin"].eq(2020) & then.table["method"].eq("drift")
                      & then.table["level"].isin(["Regional", "National"])]
    full = built.table[built.table["origin"].eq(2020) & built.table["method"].eq("drift")
                       & built.table["level"].isin(["Regional", "National"])]
    merged = ours.merge(full, on=["area_code", "year"], suffixes=("_then", "_now"))
    assert len(merged) == 10 * 5
    np.testing.assert_allclose(merged["value_then"], merged["value_now"], rtol=1e-12)


def test_the_research_2018_method_is_scored_against_what_happened(built):
    table = research.scored(built)
    mine = table[table["method"].str.startswith("research")].set_index("year")
    assert list(mine.index) == list(range(2019, 2027))
    assert mine.loc[2025, "actual"] == 638_745
    # growth 2013-2018 (233,431 to 319,819) carried on undershoots the 2025 count
    expected = 319_819 * (319_819 / 233_431) ** (7 / 5)
    assert mine.loc[2025, "forecast"] == pytest.approx(expected)
    assert mine.loc[2025, "error_pct"] == pytest.approx((expected / 638_745 - 1) * 100)
    # the project's methods from the same origin, five years ahead
    ours = table[table["method"].eq("naive")].set_index("year")
    assert list(ours.index) == list(range(2019, 2024))
    np.testing.assert_allclose(ours["forecast"], 319_819, rtol=1e-12)   # no change


def test_a_flagged_return_is_shown_as_published_and_modelled_by_its_stand_in(built):
    latest = built.table[built.table["origin"].eq(built.origin) & built.table["method"].eq("actual")]
    newham = latest[latest["area_code"].eq("316")].set_index("year")["value"]
    assert newham[2025] == 1_199   # DfE EHC plans 2025 release, Newham, January 2025 (flagged)
    stand_in = built.screened_totals().set_index(["area_code", "year"])["value"]
    assert stand_in[("316", 2025)] > 2_500   # the last plausible value grown with London


def test_las_regions_and_england_agree(built):
    t = built.table[built.table["origin"].eq(built.origin) & built.table["is_default"]
                    & built.table["year"].gt(built.origin)]
    units = set(built.panel.codes[:len(built.panel.la_rows)])
    las = t[t["area_code"].isin(units)].groupby("year")["value"].sum()
    regions = t[t["level"].eq("Regional")].groupby("year")["value"].sum()
    england = t[t["area_code"].eq("E92000001")].set_index("year")["value"]
    np.testing.assert_allclose(las, england, rtol=1e-9)
    np.testing.assert_allclose(regions, england, rtol=1e-9)


def test_successor_las_share_forecasts_are_backtested(built):
    s = built.successor_scores
    assert set(s["area_code"]) == {"838", "839", "940", "941", "942", "943"}
    # Cumberland and Westmorland and Furness: own counts from January 2024, scored on 2025, 2026
    assert sorted(s.loc[s["area_code"].eq("942"), "origin"].unique()) == [2024, 2025]
    assert s["ape"].notna().all() and (s["forecast"] > 0).all()


def test_age_and_placement_splits_are_projected_from_january_2025(built):
    ages = built.ages[built.ages["area_code"].eq("886")]
    assert ages.loc[ages["kind"].eq("actual"), "year"].max() == 2025   # no age split for 2026
    projected = ages[ages["kind"].eq("projected")]
    assert sorted(projected["year"].unique()) == list(range(2027, 2032))
    assert projected["value"].notna().all()
    totals = built.table[built.table["origin"].eq(built.origin) & built.table["is_default"]
                         & built.table["area_code"].eq("886")].set_index("year")["value"]
    np.testing.assert_allclose(projected.groupby("year")["value"].sum(), totals, rtol=1e-9)
    mix = built.placements[built.placements["area_code"].eq("886") & built.placements["kind"].eq("projected")]
    assert mix["share_pct"].notna().all()
    np.testing.assert_allclose(mix.groupby("year")["share_pct"].sum(), 100.0, rtol=1e-9)
