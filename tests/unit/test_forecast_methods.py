"""The forecasting methods on hand-made series whose answer is known."""

import numpy as np
import pandas as pd
import pytest
from statsmodels.tsa.holtwinters import Holt

from analysis.studies.forecast import methods, reading, research

GRID = {"alpha": [0.2, 0.6, 1.0], "beta": [0.1, 0.5], "phi": [0.8, 0.98]}


def test_a_constant_series_stays_constant_under_every_method():
    L = np.log(np.full((3, 8), 500.0))
    ages = np.full((3, 5, 8), 100.0)
    for F in (methods.naive(L, 4), methods.drift(L, 4, window=3, min_window=2),
              methods.damped(L, 4, grid=GRID),
              methods.pooled(L, 4, groups=np.array(["a", "a", "b"]), window=5, min_window=2),
              methods.cohort(L, 4, ages=ages, widths=[5, 6, 5, 4, 6], window=3)):
        np.testing.assert_allclose(np.exp(F), 500.0)


def test_steady_growth_is_carried_on_by_drift_and_pooled():
    years = np.arange(8)
    L = np.log(np.vstack([100 * 1.10 ** years, 100 * 1.10 ** years, 200 * 1.10 ** years]))
    expected = 100 * 1.10 ** np.arange(8, 11)   # 10% a year, exactly
    np.testing.assert_allclose(np.exp(methods.drift(L, 3, window=3, min_window=2))[0], expected)
    pooled = methods.pooled(L, 3, groups=np.array(["a", "a", "b"]), window=5, min_window=2)
    np.testing.assert_allclose(np.exp(pooled)[0], expected)   # nothing to shrink: all grow 10%
    np.testing.assert_allclose(np.exp(methods.naive(L, 3))[2], 200 * 1.10 ** 7)


def test_drift_uses_the_last_window_years_and_no_fewer_than_the_minimum():
    L = np.log(np.array([[100, 100, 100, 110, 121, 133.1], [np.nan, np.nan, np.nan, np.nan, 50, 55]]))
    g = methods.recent_growth(L, window=3, min_window=2)
    assert g[0] == pytest.approx(np.log(1.1))         # the last 3 years: 100 to 133.1, 10% a year
    assert np.isnan(g[1])                             # one year of growth: fewer than 2
    assert methods.recent_growth(L, window=3, min_window=1)[1] == pytest.approx(np.log(1.1))


def test_the_damped_recursion_is_statsmodels_holt_with_damping():
    y = np.log(np.array([240, 257, 287, 320, 354, 390, 430, 473, 517, 576, 639.0]))
    alpha, beta, phi = 0.6, 0.3, 0.9
    ours = methods.damped(y[None, :], 5, grid=GRID, parameters=(alpha, beta, phi))[0]
    model = Holt(y[1:], damped_trend=True, initialization_method="known", initial_level=y[0],
                 initial_trend=y[1] - y[0])
    fit = model.fit(smoothing_level=alpha, smoothing_trend=beta, damping_trend=phi, optimized=False)
    np.testing.assert_allclose(ours, fit.forecast(5), rtol=1e-9)


def test_damped_parameters_are_chosen_by_the_smallest_one_step_error():
    rng = np.random.default_rng(1)
    trend = np.cumsum(np.full((40, 10), 0.1), axis=1) + rng.normal(0, 0.002, (40, 10))
    alpha, beta, phi = methods.damped_parameters(trend, GRID)
    assert phi == 0.98 and alpha >= 0.6   # a straight trend: the least damping on the grid


def test_shrinkage_follows_the_empirical_bayes_formula():
    estimates = np.array([0.10, 0.20, 0.30, 0.40])
    variances = np.full(4, 0.001)
    prior = np.full(4, 0.25)
    shrunk, weight = methods.shrink(estimates, variances, prior)
    tau2 = np.mean((estimates - prior) ** 2) - 0.001       # 0.0125 - 0.001 = 0.0115
    w = 0.001 / (0.001 + tau2)
    np.testing.assert_allclose(weight, w)
    np.testing.assert_allclose(shrunk, w * 0.25 + (1 - w) * estimates)
    noisy, weight = methods.shrink(estimates, np.full(4, 1.0), prior)   # noise swamps the spread
    np.testing.assert_allclose(noisy, prior)
    np.testing.assert_allclose(weight, 1.0)


def test_a_cohort_moves_up_the_bands_with_no_joiners_or_leavers():
    widths = [5, 6, 5, 4, 6]
    # 500 plans, all in the youngest band, and no growth of the youngest band (ratio 1): each
    # year a fifth of the under-5s move up, a sixth of the 5-10s, and so on.
    last = np.array([[500.0, 0, 0, 0, 0]])
    ratios = np.ones((1, 5))
    ahead = methods.project_ages(last, ratios, widths, 2)[0]
    np.testing.assert_allclose(ahead[:, 0], [500 - 100 + 100, 100, 0, 0, 0])  # youngest: own ratio
    # year 2: 5-10 keeps 5/6 of 100 and gains 1/5 of 500
    np.testing.assert_allclose(ahead[1, 1], 100 * 5 / 6 + 500 / 5)
    np.testing.assert_allclose(ahead[2, 1], 100 / 6)


def test_progression_ratios_measure_joiners_and_leavers():
    widths = [5, 6, 5, 4, 6]
    ages = np.zeros((1, 5, 2))
    ages[0, :, 0] = [100, 120, 100, 80, 60]
    expected_next = np.array([100, 120 * 5 / 6 + 100 / 5, 100 * 4 / 5 + 120 / 6, 80 * 3 / 4 + 100 / 5,
                              60 * 5 / 6 + 80 / 4])
    ages[0, :, 1] = expected_next * np.array([1.2, 1.1, 1.0, 0.9, 0.5])   # joiners > 1, leavers < 1
    ratios = methods.progression_ratios(ages, widths, window=3)
    np.testing.assert_allclose(ratios[0], [1.2, 1.1, 1.0, 0.9, 0.5])


def test_the_research_trend_carries_the_compound_growth_forward():
    # 100 in 2013 to 400 in 2015: growth x2 a year, so 800, 1,600 in 2016, 2017
    values = pd.Series([100.0, 200.0, 400.0, 9999.0], index=[2013, 2014, 2015, 2016])
    projected = research.trend_projection(values, 2013, 2015, 2017)
    assert projected.to_dict() == {2016: 800.0, 2017: 1600.0}   # the 2016 count is never used
    with pytest.raises(ValueError, match="January 2012 and 2015"):
        research.trend_projection(values, 2012, 2015, 2017)


def test_the_coverage_reading_warns_when_the_aggregates_intervals_are_too_narrow():
    scores = pd.DataFrame({
        "method": "pooled",
        "group_kind": ["all LAs", "all LAs", "regions and England", "regions and England"],
        "horizon": [1, 2, 1, 2], "coverage_80": [82.0, 78.0, 66.0, 60.0],
        "coverage_95": [96.0, 94.0, 84.0, 86.0]})
    text = reading.coverage_reading(scores, "pooled")
    assert text.startswith("In the backtests the intervals held 80% of the LAs' outcomes at 80% and 95% "
                           "at 95%; for the regions and England, 63% and 85%.")
    assert "too narrow" in text
    calibrated = scores.assign(coverage_80=[82.0, 78.0, 80.0, 79.0])
    assert "too narrow" not in reading.coverage_reading(calibrated, "pooled")


def test_last_growth_repeats_the_last_years_change_and_combined_averages_logs():
    L = np.log(np.array([[100.0, 110.0, 121.0], [np.nan, np.nan, 50.0]]))
    out = np.exp(methods.last_growth(L, 2))
    np.testing.assert_allclose(out[0], [133.1, 146.41])   # +10% a year
    assert np.isnan(out[1]).all()                          # no year before the origin
    a, b = np.log([[100.0, np.nan]]), np.log([[400.0, 300.0]])
    np.testing.assert_allclose(np.exp(methods.combined([a, b])), [[200.0, 300.0]])  # geometric mean


def test_the_default_is_explained_against_the_baselines_and_accuracy_in_plain_words():
    ranking = pd.DataFrame({"method": ["combined", "drift", "naive"], "mase": [1.8, 2.2, 4.8],
                            "mdape_1": [3.0, 3.5, 9.0], "coverage_80": [81.0, 80.0, 60.0],
                            "coverage_95": [95.0, 96.0, 80.0], "baseline": [False, True, True]})
    text = reading.default_reason(ranking, "combined", "drift")
    assert ("its mean absolute scaled error was 1.80, below every simple baseline's (the best, recent "
            "growth repeated, 2.20), and one year ahead its median error was 3.0% against 3.5% for "
            "recent growth repeated (14% lower)") in text
    assert "No method beat" in reading.default_reason(ranking, "drift", "drift")
    assert reading.accuracy_words(3.04, 9.7, 5, 81.0, "LAs' forecasts") == (
        "One year ahead, half of LAs' forecasts were within 3.0% of the outcome, and 5 years ahead "
        "within 9.7%; 8 in 10 outcomes fell inside the 80% range.")
