"""Generic calculations, checked against values worked out by hand."""

import math

import pandas as pd
import pytest

from analysis.series import calc


def _series(values: dict, code="E92000001", name="England", level="National"):
    return pd.DataFrame({"area_code": code, "area_name": name, "level": level,
                         "year": list(values), "value": list(values.values())})


@pytest.mark.parametrize("value,ndigits,expected", [
    (24.5, 0, 25.0), (23.5, 0, 24.0), (-2.5, 0, -3.0), (0.125, 2, 0.13), (34.88, 0, 35.0),
])
def test_round_half_up_differs_from_bankers_rounding(value, ndigits, expected):
    assert calc.round_half_up(value, ndigits) == expected


def test_round_half_up_keeps_nan():
    assert math.isnan(calc.round_half_up(float("nan")))


def test_pct_change_and_its_undefined_cases():
    assert calc.pct_change(200, 250) == pytest.approx(25.0)
    assert calc.pct_change(4632, 7719) == pytest.approx(66.645, abs=1e-3)  # 3087 / 4632
    assert math.isnan(calc.pct_change(0, 5))
    assert math.isnan(calc.pct_change(-1.0, -2.0))
    assert math.isnan(calc.pct_change(float("nan"), 5))


def test_percent_text_rounds_half_up():
    assert calc.percent_text(26.5) == "27%"
    assert calc.percent_text(float("nan")) == "n/a"


def test_change_over_window_keeps_areas_missing_a_year():
    frame = pd.concat([_series({2014: 100.0, 2018: 135.0}),
                       _series({2014: 50.0}, code="201", name="City", level="Local authority")])
    out = calc.change_over_window(frame, 2014, 2018).set_index("area_code")
    assert out.loc["E92000001", "change"] == 35.0
    assert out.loc["E92000001", "pct_change"] == pytest.approx(35.0)
    assert math.isnan(out.loc["201", "end_value"])  # kept, not dropped
    with pytest.raises(ValueError, match="before"):
        calc.change_over_window(frame, 2018, 2014)


def test_index_series_per_area():
    frame = _series({2019: 80.0, 2020: 100.0, 2021: 120.0})
    out = calc.index_series(frame, 2020)
    assert out["index"].tolist() == pytest.approx([80.0, 100.0, 120.0])


def test_ratio_is_missing_for_zero_or_missing_denominator():
    out = calc.ratio(pd.Series([1.0, 1.0, 1.0]), pd.Series([4.0, 0.0, float("nan")]), 100)
    assert out[0] == 25.0 and math.isnan(out[1]) and math.isnan(out[2])


def test_rank_areas_with_ties_and_missing():
    frame = pd.DataFrame({"v": [10.0, 30.0, 30.0, 5.0, float("nan")]})
    out = calc.rank_areas(frame, "v")
    assert out["rank"].tolist()[:4] == [3, 1, 1, 4]
    assert pd.isna(out["rank"].iloc[4])
    assert out["quartile"].tolist()[:4] == [3, 1, 1, 4]  # ceil(4 * rank / 4 ranked)


def test_describe_spread_counts_missing():
    spread = calc.describe_spread(pd.Series([1.0, 2.0, 3.0, float("nan")]))
    assert spread["areas"] == 3 and spread["missing"] == 1 and spread["median"] == 2.0
