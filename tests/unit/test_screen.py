"""The data-quality screen flags a one-year change far outside an LA's history and its peers'."""

import numpy as np
import pandas as pd
import pytest

from analysis.series import screen


def _series():
    """Ten LAs growing 10% a year; Z falls from 1,000 to 440 in 2025 and recovers to 1,340."""
    rows = []
    for k in range(10):
        code = f"L{k}"
        values = [1000 * 1.1 ** (y - 2020) * (1 + k / 100) for y in range(2020, 2027)]
        rows += [{"area_code": code, "area_name": code, "level": "Local authority", "year": y, "value": v}
                 for y, v in zip(range(2020, 2027), values)]
    z = [1000 / 1.21, 1000 / 1.1, 1000, 1000 * 1.1, 1000 * 1.21, 440.0, 1340.0]
    rows += [{"area_code": "Z", "area_name": "Zed", "level": "Local authority", "year": y, "value": v}
             for y, v in zip(range(2020, 2027), z)]
    region = pd.DataFrame(rows).groupby("year", as_index=False)["value"].sum().assign(
        area_code="North", area_name="North", level="Regional")
    return pd.concat([pd.DataFrame(rows), region], ignore_index=True)


def test_a_collapse_is_flagged_replaced_by_regional_growth_and_its_recovery_is_not():
    series = _series()
    regions = pd.Series("North", index=[f"L{k}" for k in range(10)] + ["Z"])
    flags, screened = screen.screen(series, regions)
    assert flags[["area_code", "year"]].values.tolist() == [["Z", 2025]]
    north = series[series["level"].eq("Regional")].set_index("year")["value"]
    expected = 1000 * 1.21 * north[2025] / north[2024]
    got = screened.set_index(["area_code", "year"])
    assert got.loc[("Z", 2025), "value"] == pytest.approx(expected) and got.loc[("Z", 2025), "screened"]
    assert got.loc[("Z", 2026), "value"] == 1340.0 and not got.loc[("Z", 2026), "screened"]
    assert flags["change_pct"].iloc[0] == pytest.approx((440 / (1000 * 1.21) - 1) * 100)
    assert np.isclose(got.loc[("L3", 2025), "value"], 1000 * 1.1 ** 5 * 1.03)   # others untouched


def test_the_screen_of_a_year_sees_no_later_year():
    series = _series()
    regions = pd.Series("North", index=[f"L{k}" for k in range(10)] + ["Z"])
    altered = series.assign(value=series["value"].where(series["year"].le(2025), 1.0))
    early, _ = screen.screen(series[series["year"].le(2025)], regions)
    late, _ = screen.screen(altered, regions)
    assert early[["area_code", "year"]].values.tolist() == [["Z", 2025]]
    pd.testing.assert_frame_equal(early, late[late["year"].le(2025)].reset_index(drop=True))
