"""The LA x year panel built from the real processed tables (needs the data mirror)."""

import os

import pandas as pd
import pytest

from analysis.series.store import SeriesStore
from analysis.studies.drivers import panel as panel_mod

pytestmark = pytest.mark.integration
DRIVERS = ["pop_growth_0_25", "post16_share", "perm_excl_rate", "special_share", "inmss_share",
           "tribunal_rate", "sen_support_rate"]


@pytest.fixture(scope="module")
def inputs():
    if not os.environ.get("ANALYSIS_DATA_MIRROR"):
        pytest.fail("ANALYSIS_DATA_MIRROR is not set: integration tests need the data mirror")
    return SeriesStore()


@pytest.fixture(scope="module")
def panel(inputs):
    return panel_mod.build_panel(inputs, ["ehcp_per_1000", *DRIVERS], (2016, 2022))


def test_keys_are_unique_and_every_drop_is_accounted_for(inputs, panel):
    data = panel.data
    assert not data.duplicated(["unit", "year"]).any()
    grid = {(u, y) for u in inputs.units["area_code"] for y in range(2016, 2023)}
    kept = set(zip(data["unit"], data["year"], strict=True))
    dropped = set(zip(panel.dropped["unit"], panel.dropped["year"], strict=True))
    assert kept | dropped == grid and not kept & dropped
    assert panel.dropped["reason"].str.len().gt(0).all()
    assert data[list(panel.variables)].notna().all().all()


def test_sen_support_for_reorganised_areas_is_dropped_as_a_boundary_change(panel):
    rows = panel.dropped[panel.dropped["variable"].eq("sen_support_rate")]
    assert set(rows.loc[rows["reason"].eq("boundary change"), "unit"]) >= {"838+839"}


def test_variables_are_the_baseline_series_values(inputs, panel):
    row = panel.data[panel.data["unit"].eq("202") & panel.data["year"].eq(2018)].iloc[0]
    tribunal = inputs["tribunal_rate"]
    published = tribunal[tribunal["area_code"].eq("202") & tribunal["year"].eq(2018)]["value"].item()
    assert row["tribunal_rate"] == published
    ehcp = inputs["ehcp"].set_index(["area_code", "year"])["value"]
    population = inputs["population_0_25"].set_index(["area_code", "year"])["value"]
    assert row["ehcp_per_1000"] == pytest.approx(ehcp[("202", 2018)] / population[("202", 2018)] * 1000)
    growth = (population[("202", 2018)] / population[("202", 2017)] - 1) * 100
    assert row["pop_growth_0_25"] == pytest.approx(growth)


def test_lags_take_the_earlier_year(inputs):
    lagged = panel_mod.build_panel(inputs, ["ehcp_per_1000", "tribunal_rate"], (2016, 2022),
                                   {"tribunal_rate": 1})
    tribunal = inputs["tribunal_rate"].set_index(["area_code", "year"])["value"]
    row = lagged.data[lagged.data["unit"].eq("202") & lagged.data["year"].eq(2018)].iloc[0]
    assert row["tribunal_rate"] == tribunal[("202", 2017)]
    assert "tribunal_rate" in lagged.lags


def test_unknown_variable_lists_the_known_ones(inputs):
    with pytest.raises(KeyError, match="unknown panel variable 'weather'"):
        panel_mod.build_panel(inputs, ["ehcp_per_1000", "weather"], (2016, 2022))
    assert isinstance(panel_mod.drop_summary(panel_mod.build_panel(inputs, ["ehcp_per_1000"], (2016, 2022))),
                      pd.DataFrame)
