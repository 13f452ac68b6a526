"""Driver models on simulated panels with known coefficients, and the panel's building blocks on
small hand-made frames."""

import math

import numpy as np
import pandas as pd
import pytest

from analysis.studies.drivers import models, reading
from analysis.studies.drivers.panel import _reason, annual_growth, idaci_by_unit


def _simulated(seed: int = 1, units: int = 120, years: int = 8, rho: float = 0.8) -> pd.DataFrame:
    """y = 2 x1 - 1 x2 + LA effect + year effect + AR(1) error within LA (x1 also AR(1))."""
    rng = np.random.default_rng(seed)
    rows = []
    year_effect = rng.normal(0, 2, years)
    for u in range(units):
        la_effect, x1, e = rng.normal(0, 5), rng.normal(), rng.normal()
        for t in range(years):
            x1 = rho * x1 + rng.normal()
            e = rho * e + rng.normal()
            x2 = rng.normal() + 0.3 * la_effect
            rows.append({"unit": f"u{u:03d}", "unit_name": f"LA {u}", "year": 2015 + t, "x1": x1, "x2": x2,
                         "y": 2 * x1 - x2 + la_effect + year_effect[t] + e})
    return pd.DataFrame(rows)


def test_two_way_fixed_effects_recover_known_coefficients():
    fit = models.fixed_effects(_simulated(), "y", ["x1", "x2"], spec="twfe")
    table = fit.table.set_index("term")
    assert table.loc["x1", "coefficient"] == pytest.approx(2, abs=0.1)
    assert table.loc["x2", "coefficient"] == pytest.approx(-1, abs=0.1)
    assert (table["lower_95"] < [2, -1]).all() and (table["upper_95"] > [2, -1]).all()
    assert table["las"].iloc[0] == 120 and table["observations"].iloc[0] == 960
    assert 0 < table["within_r2"].iloc[0] < 1
    assert fit.formula == "y ~ x1 + x2 + C(unit) + C(year)"


def test_clustered_errors_exceed_naive_ones_with_serially_correlated_errors():
    panel = _simulated()
    clustered = models.fixed_effects(panel, "y", ["x1"], spec="twfe").table.set_index("term")
    naive = models.fixed_effects(panel, "y", ["x1"], spec="twfe", cluster=False).table.set_index("term")
    assert clustered.loc["x1", "coefficient"] == pytest.approx(naive.loc["x1", "coefficient"])
    assert clustered.loc["x1", "std_error"] > 1.3 * naive.loc["x1", "std_error"]
    # with independent errors (rho = 0) the two agree more closely
    flat = _simulated(rho=0.0)
    ratio = (models.fixed_effects(flat, "y", ["x1"]).table["std_error"].iloc[0]
             / models.fixed_effects(flat, "y", ["x1"], cluster=False).table["std_error"].iloc[0])
    assert 0.8 < ratio < 1.25


def test_absorbed_drivers_are_refused_with_the_reason():
    panel = _simulated().assign(national=lambda f: f["year"] - 2014,
                                fixed=lambda f: f["unit"].str[1:].astype(int))
    with pytest.raises(models.ModelError, match=r"\['national'\] take one value per year"):
        models.fixed_effects(panel, "y", ["x1", "national"], spec="twfe")
    assert models.fixed_effects(panel, "y", ["x1", "national"], spec="la_fe").table["term"].tolist() == \
        ["x1", "national"]
    with pytest.raises(models.ModelError, match=r"\['fixed'\] do not change within an LA"):
        models.fixed_effects(panel, "y", ["x1", "fixed"], spec="la_fe")


def test_long_difference_uses_first_year_drivers_and_robust_errors():
    panel = _simulated()
    data = models.long_difference_data(panel, "y", ["x1"], (2015, 2022))
    first = panel[panel["year"].eq(2015)].set_index("unit")
    last = panel[panel["year"].eq(2022)].set_index("unit")
    change = last.loc["u005", "y"] - first.loc["u005", "y"]
    assert data.set_index("unit").loc["u005", "change_y"] == pytest.approx(change)
    assert data.set_index("unit").loc["u005", "x1"] == first.loc["u005", "x1"]
    fit = models.long_difference(panel, "y", ["x1"], (2015, 2022))
    assert fit.result.cov_type == "HC1" and fit.table["las"].iloc[0] == 120


def test_vif_is_high_for_a_near_copy():
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"a": rng.normal(size=200)})
    frame["b"] = frame["a"] + rng.normal(scale=0.05, size=200)
    frame["c"] = rng.normal(size=200)
    vif = models.vif(frame, ["a", "b", "c"]).set_index("term")["vif"]
    assert vif["a"] > 50 and vif["c"] < 1.2


def test_annual_growth_only_between_consecutive_years():
    frame = pd.DataFrame({"unit": ["a"] * 4, "year": [2015, 2016, 2018, 2019],
                          "value": [100.0, 110.0, 121.0, 133.1], "symbol": pd.NA})
    growth = annual_growth(frame)["value"].tolist()
    assert np.isnan(growth[0]) and growth[1] == pytest.approx(10) and np.isnan(growth[2])
    assert growth[3] == pytest.approx(10)


def test_idaci_for_merged_areas_is_a_boundary_change():
    deprivation = pd.DataFrame({"new_la_code": ["E1", "E2", "E3"], "la_name": ["A", "Dorset", "BCP"],
                                "domain": "IDACI", "measure": "average_score", "value": [0.2, 0.1, 0.15],
                                "symbol": pd.NA})
    crosswalk = pd.DataFrame({"new_la_code": ["E1", "E2", "E3"], "old_la_code": ["202", "838", "839"]})
    idaci = idaci_by_unit(deprivation, crosswalk).set_index("unit")
    assert idaci.loc["202", "value"] == 0.2
    assert np.isnan(idaci.loc["838+839", "value"]) and idaci.loc["838+839", "symbol"] == "boundary change"


@pytest.mark.parametrize("symbol,year,unit,reason", [
    (pd.NA, 2030, "202", "not published for this year"),
    ("x", 2016, "202", "suppressed or not available in the source (x)"),
    (pd.NA, 2016, "928", "boundary change"),
    ("boundary change", 2016, "838+839", "boundary change"),
    (pd.NA, 2016, "202", "missing"),
])
def test_drop_reasons(symbol, year, unit, reason):
    assert _reason(symbol, year, {2016}, unit) == reason


def test_reading_states_direction_size_and_significance():
    table = pd.DataFrame({"term": ["post16_share", "tribunal_rate"], "coefficient": [0.06, -0.07],
                          "lower_95": [0.01, -0.28], "upper_95": [0.11, 0.14], "p_value": [0.024, 0.51]})
    first, second = reading.driver_sentences(table, "ehcp_per_1000", "twfe")
    assert first.startswith("**Share of EHC plans for ages 16-25** (3. post-16 responsibility)")
    assert "+0.06 (plans per 1,000)" in first and "excludes zero (p = 0.024)" in first
    assert "-0.07 (plans per 1,000)" in second
    assert "includes zero: no clear association (p = 0.510)" in second


def test_drivers_computed_from_the_outcomes_counts_are_mechanical_and_demoted():
    from analysis.studies.drivers.panel import mechanical_link
    assert "EHC plan counts" in mechanical_link("special_share", "ehcp_per_1000")
    assert "EHC plan counts" in mechanical_link("tribunal_rate", "ehcp_growth")
    assert "population" in mechanical_link("pop_growth_0_25", "ehcp_per_1000")
    assert mechanical_link("pop_growth_0_25", "ehcp_growth") == ""
    assert mechanical_link("perm_excl_rate", "ehcp_per_1000") == ""
    table = pd.DataFrame({"term": ["special_share", "perm_excl_rate"], "coefficient": [-0.17, 0.1],
                          "lower_95": [-0.23, 0.05], "upper_95": [-0.10, 0.15],
                          "p_value": [0.0001, 0.01]})
    first, second = reading.driver_sentences(table, "ehcp_per_1000", "twfe")
    assert first.startswith("**Permanent exclusions")           # the non-mechanical one leads
    assert "Mechanical, not read as a driver" in second and "p < 0.001" in second
    robust = table.assign(check="main specification")
    text = reading.robustness_sentence(robust, "ehcp_per_1000")
    assert text.index("permanent exclusions") < text.index("Not read as drivers")
    assert "share of EHC plans in maintained" in text.split("Not read as drivers")[1]


def test_population_growth_across_the_census_rebasing_is_not_growth():
    from analysis.tables.breaks import POPULATION_CENSUS_2021
    frame = pd.DataFrame({"unit": ["a"] * 3, "year": [2021, 2022, 2023],
                          "value": [100.0, 90.0, 91.0], "symbol": pd.NA})
    out = annual_growth(frame, [POPULATION_CENSUS_2021]).set_index("year")
    assert math.isnan(out.loc[2022, "value"]) and out.loc[2022, "symbol"] == "series break"
    assert out.loc[2023, "value"] == pytest.approx(100 * (91 / 90 - 1))


def test_a_driver_table_on_a_page_names_its_variables_in_words():
    from analysis.studies.drivers import reading

    table = pd.DataFrame({"term": ["pop_growth_0_25", "tribunal_rate", "C(year)"], "vif": [1.04, 1.1, 2.0]})
    assert reading.labelled(table)["term"].tolist() == [
        "growth of the population aged 0-25", "SEND Tribunal appeals per 100 appealable decisions", "C(year)"]
