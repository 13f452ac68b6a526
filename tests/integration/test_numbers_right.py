"""Published figures the series must reproduce on the real data (the "numbers right" audit)."""

import os

import pytest

from analysis.series.area import england_values
from analysis.series.store import SeriesStore

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def inputs():
    if not os.environ.get("ANALYSIS_DATA_MIRROR"):
        pytest.fail("ANALYSIS_DATA_MIRROR is not set: integration tests need the data mirror")
    return SeriesStore()


def test_tribunal_rates_reach_2025_on_the_revised_method_from_2024(inputs):
    # DfE / LAIT: 2.5 (2023) appeals per 100 appealable decisions; the 2026 release's revised
    # method: 6.1 (2024) and 6.6 (2025). The old method's 3.2 for 2024 is not mixed in.
    rate = england_values(inputs["tribunal_rate"])
    assert round(rate[2023], 1) == 2.5 and round(rate[2024], 1) == 6.1 and round(rate[2025], 1) == 6.6


def test_post16_share_2024_uses_the_age_breakdown_base(inputs):
    # 26.3% of plans with an age recorded (two LAs returned totals only, data guidance note 5).
    assert round(england_values(inputs["post16_share"])[2024], 1) == 26.3


def test_new_plans_include_statements_in_2015(inputs):
    assert england_values(inputs["new_plans"])[2015] == 27_923


def test_exclusion_rates_continue_to_2023_24_from_lait_and_agree_where_both_exist(inputs):
    rates = inputs["exclusion_rates"]
    total = england_values(rates, "Total")
    assert round(total[2024], 2) == 12.89          # LAIT TotPermEx 0.12889% = 12.89 per 10,000
    assert round(total[2023], 2) == 11.12          # counts 2022/23, equal to LAIT's 0.11121%


def test_dorset_and_bcp_timeliness_2024_is_missing_not_bcp_alone(inputs):
    t = inputs["timeliness"].set_index(["area_code", "year"])
    assert t.loc[("838+839", 2024), "value"] != t.loc[("838+839", 2024), "value"]   # NaN
    assert t.loc[("839", 2024), "value"] > 0                                      # BCP's own
