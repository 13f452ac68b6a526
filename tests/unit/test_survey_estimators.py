"""Scale-up estimators on tiny frames computed by hand, and their seeded bootstrap intervals."""

import numpy as np
import pandas as pd
import pytest

from analysis.studies.survey import estimators

# Four areas; two strata. Respondents a and b (stratum A).
FRAME = pd.DataFrame({"unit_code": ["a", "b", "c", "d"], "hnb_2019_20": [1.0, 2.0, 3.0, 4.0],
                      "population_2_18": [10.0, 10.0, 10.0, np.nan],
                      "population_0_25": [1.0, 1.0, 1.0, 1.0],
                      "la_type": ["A", "A", "A", "B"], "region_name": ["X", "X", "Y", "Y"]})
Y = pd.Series({"a": 10.0, "b": 20.0})


def test_expansion_by_hand():
    # N/n * sum y = 4/2 * 30
    assert estimators.estimate(Y, FRAME, "expansion", n_bootstrap=0)["estimate"] == 60


def test_ratio_by_hand():
    # X_U * sum y / sum x = (1+2+3+4) * 30 / (1+2) = 100
    assert estimators.estimate(Y, FRAME, "ratio_hnb", n_bootstrap=0)["estimate"] == pytest.approx(100)


def test_ratio_leaves_out_areas_without_the_auxiliary_and_says_so():
    # X_U over a, b, c = 30; respondents' x = 20; y = 30 -> 45
    result = estimators.estimate(Y, FRAME, "ratio_pop_2_18", n_bootstrap=0)
    assert result["estimate"] == pytest.approx(45)
    assert result["frame_areas"] == 3 and result["note"] == "areas without a population aged 2-18 left out: d"


def test_post_stratification_by_hand():
    # stratum A: N=3, mean 15; B: N=1, no respondent -> overall mean 15: 3*15 + 15 = 60
    result = estimators.estimate(Y, FRAME, "poststrat_la_type", n_bootstrap=0)
    assert result["estimate"] == 60 and "strata without respondents (overall mean used): B" in result["note"]
    # with a respondent in B (y=40): 3*15 + 1*40 = 85
    with_d = pd.concat([Y, pd.Series({"d": 40.0})])
    assert estimators.estimate(with_d, FRAME, "poststrat_la_type", n_bootstrap=0)["estimate"] == 85


def test_missing_values_are_not_respondents():
    y = pd.Series({"a": 10.0, "b": np.nan, "c": 30.0})
    result = estimators.estimate(y, FRAME, "expansion", n_bootstrap=0)
    assert result["respondents"] == 2 and result["estimate"] == 80


def test_bootstrap_interval_is_seeded_and_brackets_the_estimate():
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"unit_code": [f"u{i}" for i in range(50)], "hnb_2019_20": np.arange(1.0, 51)})
    y = pd.Series(2 * frame["hnb_2019_20"].to_numpy()[:20] + rng.normal(0, 3, 20),
                  index=frame["unit_code"][:20])
    first = estimators.estimate(y, frame, "ratio_hnb", n_bootstrap=500, seed=3)
    assert first == estimators.estimate(y, frame, "ratio_hnb", n_bootstrap=500, seed=3)
    other = estimators.estimate(y, frame, "ratio_hnb", n_bootstrap=500, seed=4)
    assert first["upper_95"] != other["upper_95"]
    assert first["lower_95"] < first["estimate"] < first["upper_95"]


def test_stratified_bootstrap_keeps_each_stratum():
    y = pd.Series({"a": 10.0, "b": 20.0, "d": 40.0})
    result = estimators.estimate(y, FRAME, "poststrat_la_type", n_bootstrap=300, seed=1)
    # B has one respondent, so every resample has 40 there; A resamples give means 10..20
    assert result["lower_95"] >= 3 * 10 + 40 and result["upper_95"] <= 3 * 20 + 40


def test_scale_up_table_and_preferred_method():
    values = pd.DataFrame({"2015-16": [10.0, 20.0, 35.0], "2016-17": [11.0, 22.0, 30.0]},
                          index=["a", "b", "c"])
    table = estimators.scale_up(values, FRAME, ["expansion", "ratio_hnb"], n_bootstrap=200, seed=1)
    assert table[["year", "method"]].values.tolist() == [["2015-16", "expansion"], ["2015-16", "ratio_hnb"],
                                                         ["2016-17", "expansion"], ["2016-17", "ratio_hnb"]]
    best, why = estimators.preferred(table)
    widths = ((table["upper_95"] - table["lower_95"]) / table["estimate"]).groupby(table["method"]).mean()
    assert best == widths.idxmin()
    assert why.startswith(f"Prefer the estimator '{estimators.METHODS[best].label}'")


def test_unknown_method_lists_the_known_ones():
    with pytest.raises(KeyError, match="unknown scale-up method 'guess'; use one of"):
        estimators.estimate(Y, FRAME, "guess")
