"""Projection scenarios on series whose continuation is known."""

import pandas as pd
import pytest

from analysis.studies.survey.projection import project

LINEAR = pd.Series([1.0, 2.0, 3.0], index=["2015-16", "2016-17", "2017-18"])


def _value(table, scenario, year):
    return table[table["scenario"].eq(scenario) & table["year"].eq(year)]["value"].item()


def test_linear_trend_continues_a_straight_line():
    table = project(LINEAR, "2019-20")
    assert _value(table, "linear trend", "2018-19") == pytest.approx(4)
    assert _value(table, "linear trend", "2019-20") == pytest.approx(5)
    assert _value(table, "flat", "2019-20") == 3
    # a perfect fit has no spread: the interval collapses onto the line
    assert _value(table, "linear trend, low", "2019-20") == pytest.approx(5)
    assert table[table["scenario"].eq("observed")]["value"].tolist() == [1, 2, 3]


def test_average_growth_compounds():
    table = project(pd.Series([100.0, 110.0, 121.0], index=LINEAR.index), "2018-19")
    assert _value(table, "average growth", "2018-19") == pytest.approx(133.1)


def test_average_growth_needs_positive_ends():
    table = project(pd.Series([-1.0, 2.0, 3.0], index=LINEAR.index), "2018-19")
    assert "average growth" not in set(table["scenario"])


@pytest.mark.parametrize("series,to,message", [
    (LINEAR.iloc[:2], "2019-20", "at least 3 observed years"),
    (LINEAR, "2017-18", "must be after the last observed year 2017-18"),
])
def test_bad_requests(series, to, message):
    with pytest.raises(ValueError, match=message):
        project(series, to)
