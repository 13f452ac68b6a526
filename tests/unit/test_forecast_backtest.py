"""The rolling-origin backtest: no data after the origin reaches a forecast, errors and scores
are computed as defined, empirical intervals cover about their nominal share on simulated panels,
and the assumptions file refuses bad keys by name."""

import dataclasses
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.studies.forecast import assumptions, backtest, mix

A = assumptions.load()
YEARS = np.arange(2010, 2026)


def _panel(n=60, seed=7):
    """Log-random-walk LAs with their own drift, and age bands that add up to them."""
    rng = np.random.default_rng(seed)
    drift = rng.normal(0.08, 0.03, n)
    steps = drift[:, None] + rng.normal(0, 0.05, (n, len(YEARS)))
    totals = 1000 * np.exp(np.cumsum(steps, axis=1))
    shares = np.array([0.1, 0.35, 0.3, 0.2, 0.05])
    ages = totals[:, None, :] * shares[None, :, None]
    groups = np.array(["North", "South"] * (n // 2))
    return totals, ages, groups


def test_a_forecast_never_sees_a_year_after_its_origin():
    totals, ages, groups = _panel()
    before = backtest.forecast_at(totals, ages, YEARS, groups, 2019, A)
    altered, altered_ages = totals.copy(), ages.copy()
    altered[:, YEARS > 2019] *= 7.0            # every later January changed beyond recognition
    altered_ages[:, :, YEARS > 2019] = np.nan
    after = backtest.forecast_at(altered, altered_ages, YEARS, groups, 2019, A)
    for method in A.methods:
        np.testing.assert_array_equal(before[method], after[method], err_msg=method)


def test_errors_are_log_and_percentage_differences_and_mase_scales_by_the_fit_window():
    frame = pd.DataFrame({"row": [0], "origin": [2020], "method": ["naive"], "horizon": [1],
                          "year": [2021], "forecast": [100.0], "actual": [125.0]})
    scales = pd.DataFrame({"row": [0], "origin": [2020], "scale": [5.0]})
    scored = backtest.with_errors(frame, scales).iloc[0]
    assert scored["log_error"] == pytest.approx(np.log(1.25))
    assert scored["pct_error"] == pytest.approx(-20.0)   # 100 against 125: 20% too low
    assert scored["scaled"] == pytest.approx(5.0)          # |100 - 125| / 5
    totals = np.array([[100.0, 110.0, 130.0, 160.0]])
    scale = backtest.mase_scales(totals, np.arange(2018, 2022), 2018, [2021])["scale"].iloc[0]
    assert scale == pytest.approx((10 + 20 + 30) / 3)


def test_intervals_use_only_errors_known_at_the_origin_and_widen_when_short():
    errors = pd.DataFrame({"horizon": [1] * 200 + [2] * 10, "year": [2019] * 200 + [2020] * 10,
                           "log_error": np.r_[np.linspace(-0.1, 0.1, 200), np.full(10, 5.0)]})
    q = backtest.interval_quantiles(errors, 2020, 3, min_errors=100)
    low, high = q[1][80]
    assert low == pytest.approx(np.percentile(np.linspace(-0.1, 0.1, 200), 10))
    # horizon 2 has only 10 errors: horizon 1's, widened by sqrt(2); horizon 3 by sqrt(3)
    assert q[2][80][1] == pytest.approx(high * np.sqrt(2)) and q[3][80][1] == pytest.approx(high * np.sqrt(3))
    assert np.isnan(backtest.interval_quantiles(errors, 2018, 1, min_errors=100)[1][80][0])


@pytest.mark.parametrize("seed", [1, 2])
def test_empirical_intervals_cover_near_their_nominal_share_on_simulated_panels(seed):
    totals, ages, groups = _panel(n=200, seed=seed)
    a = dataclasses.replace(A, methods=("drift",))
    origins = range(2014, 2025)
    forecasts = backtest.rolling(totals, ages, YEARS, groups, dataclasses.replace(a, fit_from=2010),
                                 origins)
    errors = backtest.with_errors(forecasts, backtest.mase_scales(totals, YEARS, 2010, origins))
    covered = backtest.add_intervals(forecasts, errors, a, "LA").dropna(subset=["actual", "lower_80"])
    actual = covered["actual"]
    inside = {lv: ((actual >= covered[f"lower_{lv}"]) & (actual <= covered[f"upper_{lv}"])).mean()
              for lv in (80, 95)}
    assert 0.72 <= inside[80] <= 0.88, inside
    assert 0.90 <= inside[95] <= 0.99, inside


def test_methods_are_compared_on_the_forecasts_they_all_made():
    scored = pd.DataFrame({"row": [0, 0, 1], "origin": [2020] * 3, "horizon": [1] * 3,
                           "method": ["a", "b", "a"]})
    common = backtest.common_cases(scored, ["a", "b"])
    assert set(common["row"]) == {0}


def test_placement_shares_hold_or_follow_a_damped_trend_and_sum_to_one():
    history = {"A": np.array([[0.40, 0.42, 0.44, 0.46]]), "B": np.array([[0.60, 0.58, 0.56, 0.54]])}
    held = mix.project_shares(history, 2, "latest", 3, 0.8)
    np.testing.assert_allclose(held["A"], [[0.46, 0.46]])
    moved = mix.project_shares(history, 2, "trend", 3, 0.8)
    np.testing.assert_allclose(moved["A"], [[0.46 + 0.02 * 0.8, 0.46 + 0.02 * (0.8 + 0.64)]])
    np.testing.assert_allclose(moved["A"] + moved["B"], 1.0)


@pytest.mark.parametrize("change, message", [
    ("horizon: 5", "'horizon' must be int"),
    ("  window: 3               # years of growth averaged", "drift: missing keys .'window'."),
    ("methods: [naive, last_growth, drift, damped, pooled, cohort, combined]",
     r"'methods' \['arima'\] not among"),
    ("backtest_origins: [2017, 2025]", "'backtest_origins' must be"),
    ("baselines: [naive, drift, last_growth]", r"'baselines' \['combined'\] not among"),
    ("  reference: drift", "default_bar 'reference' must be one of the 'baselines'"),
])
def test_a_bad_assumptions_file_is_refused_naming_the_key(tmp_path, change, message):
    content = (Path(assumptions.__file__).parent / "assumptions.yaml").read_text(encoding="utf-8")
    assert change in content, change
    broken = {"horizon: 5": "horizon: five",
              "  window: 3               # years of growth averaged": "  span: 3",
              "methods: [naive, last_growth, drift, damped, pooled, cohort, combined]":
                  "methods: [naive, arima]",
              "baselines: [naive, drift, last_growth]": "baselines: [naive, combined]",
              "  reference: drift": "  reference: pooled",
              "backtest_origins: [2017, 2025]": "backtest_origins: [2025, 2017]"}[change]
    path = tmp_path / "assumptions.yaml"
    path.write_text(content.replace(change, broken, 1))
    with pytest.raises(assumptions.AssumptionsError, match=message) as error:
        assumptions.load(path)
    assert str(path) in str(error.value)


def _scores(rows):
    """A scores table of group kind ``common`` from (method, horizon, mase, mdape) rows."""
    frame = pd.DataFrame(rows, columns=["method", "horizon", "mase", "mdape"])
    return frame.assign(group_kind="common", group="all LAs", mape=frame["mdape"], bias_pct=0.0,
                        coverage_80=80.0, coverage_95=95.0)


def test_the_default_beats_every_baseline_and_drift_by_the_margin_one_year_ahead():
    # mean MASE over horizons 1-2: drift 1.5, naive 3.0, a 1.0, b 1.25; one-year MdAPE:
    # drift 4.0, a 3.8 (5% below: not enough), b 3.5 (12.5% below): b is the default
    table = _scores([("drift", 1, 1.0, 4.0), ("drift", 2, 2.0, 6.0), ("naive", 1, 2.0, 8.0),
                     ("naive", 2, 4.0, 9.0), ("a", 1, 0.5, 3.8), ("a", 2, 1.5, 5.0),
                     ("b", 1, 0.5, 3.5), ("b", 2, 2.0, 5.0)])
    default, ranking = backtest.choose_default(table, ["naive", "drift"], "drift", 0.10)
    assert default == "b"
    r = ranking.set_index("method")
    assert r.loc["a", "mdape_1"] == 3.8 and not r.loc["a", "eligible"] and r.loc["b", "eligible"]
    assert list(ranking["method"]) == ["a", "b", "drift", "naive"]   # by mean MASE
    # nothing beats drift by the margin: drift, the simplest honest choice
    default, _ = backtest.choose_default(table[table["method"].ne("b")], ["naive", "drift"], "drift", 0.10)
    assert default == "drift"


def test_aggregate_intervals_count_origins_not_errors():
    # three origins, two regions each, one year ahead: per-origin mean errors 0.02, 0.01, 0.04
    # (mean 0.02333, variance 0.00023333), each error 0.01 from its origin's mean (variance
    # 6 x 0.0001 / 5 = 0.00012); sd = sqrt(0.00023333 x 4/3 + 0.00012) = 0.020763; t(0.9, 2 df)
    # = 1.885618: 80% bounds 0.023333 -/+ 0.039152
    errors = pd.DataFrame({"origin": [2017, 2017, 2018, 2018, 2019, 2019], "horizon": 1,
                           "year": [2018, 2018, 2019, 2019, 2020, 2020],
                           "log_error": [0.01, 0.03, 0.0, 0.02, 0.03, 0.05]})
    q = backtest.aggregate_quantiles(errors, 2020, 2, min_origins=3)
    assert q[1][80] == pytest.approx((0.023333 - 0.039152, 0.023333 + 0.039152), abs=1e-5)
    # two years ahead from the one-year errors: the mean doubled, the spread by sqrt(2)
    assert q[2][80] == pytest.approx((0.046667 - 0.039152 * 2 ** 0.5, 0.046667 + 0.039152 * 2 ** 0.5),
                                     abs=1e-5)
    assert np.isnan(backtest.aggregate_quantiles(errors, 2019, 1, min_origins=3)[1][80][0])  # 2 origins


def test_a_small_las_interval_is_no_narrower_than_its_count_allows():
    # 16 plans: at 80% z = 1.2816, sqrt(16) = 4: at least 10.87 to 21.13; a wide one is kept
    lo, hi = backtest.count_floor(np.array([16.0, 1000.0]), np.array([15.0, 900.0]),
                                  np.array([17.0, 1100.0]), 80)
    np.testing.assert_allclose(lo, [16 - 1.28155 * 4, 900.0], rtol=1e-5)
    np.testing.assert_allclose(hi, [16 + 1.28155 * 4, 1100.0], rtol=1e-5)
    assert backtest.count_floor(np.array([1.0]), np.array([1.0]), np.array([1.0]), 95)[0][0] == 0.0
    assert np.isnan(backtest.count_floor(np.array([9.0]), np.array([np.nan]), np.array([np.nan]), 80)[1][0])


def test_reconciliation_scales_regions_to_england_then_las_to_their_region():
    # rows: LA a, LA b (region R1), LA c (region R2), R1, R2, England
    parents = backtest.parents_of(["a", "b", "c", "R1", "R2", "E"],
                                  ["Local authority"] * 3 + ["Regional"] * 2 + ["National"],
                                  ["R1", "R1", "R2", None, None, None])
    assert parents.tolist() == [3, 3, 4, 5, 5, -1]
    counts = np.array([[10.0], [30.0], [50.0], [50.0], [50.0], [120.0]])
    out = np.exp(backtest.reconcile(np.log(counts), parents))
    # regions 50 + 50 scaled to England's 120: 60 each; R1's LAs 10 + 30 scaled to 60: 15 and 45
    np.testing.assert_allclose(out[:, 0], [15.0, 45.0, 60.0, 60.0, 60.0, 120.0])


def test_every_assumption_is_shown_in_words():
    rows = assumptions.as_table(assumptions.load())
    names = [r["assumption"] for r in rows]
    assert not [n for n in names if "_" in n or "." in n], names   # no key from the file
    methods = next(r["value"] for r in rows if r["assumption"] == "Methods run")
    assert methods.startswith("no change, last year's growth repeated") and "naive" not in methods
    assert {"assumption": "How far below it the default's one-year error must be", "value": "10%"} in rows
