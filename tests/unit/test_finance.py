"""The finance study's formulas on small hand-made frames whose answers are worked by hand."""

import math
from importlib import resources
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
import yaml

from analysis.errors import DataError
from analysis.studies import finance
from analysis.studies.finance import assumptions, lines, money, path, reading, research, simulate

OUT = "Section 251 outturn"


def _benchmarking(place_special=900.0, place_pru=100.0, place_total=1000.0, income_1=60.0):
    """One LA's outturn block: place funding 1,000 (special 900 + PRU 100; the primary line is a
    memorandum outside the total), top-ups (1) primary 200 + special 400 - income 60 = 540,
    top-ups (2) special 300, SEN support 50, AP 20, hospital 10, therapies 0."""
    values = {
        "Place funding": place_total, "Primary": 70.0, "Special schools and academies": place_special,
        "PRUs and AP academies": place_pru,
        "Top up funding (maintained schools, academies, free schools and colleges)": 540.0,
        "Primary (1)": 200.0, "Special schools and academies (1)": 400.0, "Income (1)": income_1,
        "Top up funding (non-maintained and independent schools and colleges)": 300.0,
        "Special schools and academies (2)": 300.0, "Income (2)": 0.0,
        "SEN support and inclusion services": 50.0, "Alternative provision services": 20.0,
        "Hospital education services": 10.0, "Therapies and other health related services": 0.0,
    }
    return pd.DataFrame({"old_la_code": "999", "year": 2021, "value": list(values.values()),
                         "measure": [f"{OUT} | {k} | x" for k in values]})


GROUPS = {"Mainstream schools": {"outturn": ["Primary (1)"], "deductions": ["Mainstream academies"],
                                 "plans": ["Mainstream"]},
          "State-funded special schools": {"outturn": ["Special schools and academies",
                                                       "Special schools and academies (1)"],
                                           "deductions": ["Special academies"], "plans": ["Special"]},
          "Independent and non-maintained special schools": {
              "outturn": ["Special schools and academies (2)"], "deductions": [], "plans": ["NMSS"]}}


def test_the_gap_adds_the_deductions_back_and_equals_outturn_less_the_allocation_after():
    # 2020-21 by hand: allocation before deductions 1,000, ESFA paid 150 directly (after = 850),
    # the LA spent 930 itself: it spent 1,080 against 1,000, a gap of 80 either way
    assert money.gap(930.0, 150.0, 1000.0) == 80.0
    assert money.gap(930.0, 150.0, 1000.0) == 930.0 - (1000.0 - 150.0)


def test_outturn_lines_share_income_out_and_keep_the_memorandum_out():
    frame, year = lines.outturn_lines(_benchmarking())
    got = frame.set_index("line")["value"]
    assert year == 2021
    # top-ups (1): 200 and 400 gross, 540 net: each scaled by 540 / 600 = 0.9
    assert got["Primary (1)"] == pytest.approx(180.0)
    assert got["Special schools and academies (1)"] == pytest.approx(360.0)
    assert "Primary" not in got.index and got["Special schools and academies"] == 900.0
    # every line together is the outturn: 1,000 + 540 + 300 + 50 + 20 + 10 + 0
    assert got.sum() == pytest.approx(1920.0)


def test_outturn_lines_refuse_lines_that_do_not_make_their_total():
    with pytest.raises(DataError, match="place funding lines do not make up their total for LAs \\['999'\\]"):
        lines.outturn_lines(_benchmarking(place_total=1200.0))


def test_group_costs_add_back_sen_places_and_leave_ap_places_to_other():
    frame, _ = lines.outturn_lines(_benchmarking())
    deductions = pd.DataFrame({
        "old_la_code": "999", "measure": "deduction", "value": [60.0, 40.0, 100.0, 30.0],
        "institution": ["Mainstream academies", "Mainstream academies", "Special academies",
                        "AP academies and free schools"],
        "place_type": ["Pre-16 SEN places funded at £6,000", "Pre-16 alternative provision (AP) places",
                       "Pre-16 SEN Places", "Pre-16 AP Places"]})
    costs = lines.group_costs(frame, deductions, GROUPS).set_index("group")
    mainstream = costs.loc["Mainstream schools", ["outturn", "deductions", "cost"]]
    assert mainstream.tolist() == pytest.approx([180, 60, 240])
    assert costs.loc["State-funded special schools", "cost"] == pytest.approx(900 + 360 + 100)
    assert costs.loc["Independent and non-maintained special schools", "cost"] == pytest.approx(300)
    # other: PRU places 100 + SEN support 50 + AP 20 + hospital 10, and the AP places 40 + 30
    assert costs.loc[lines.OTHER, ["outturn", "deductions"]].tolist() == pytest.approx([180, 70])
    unit = lines.unit_costs(costs.reset_index(), pd.DataFrame({
        "old_la_code": "999", "group": ["Mainstream schools", "State-funded special schools"],
        "plans": [12.0, 0.0]})).set_index("group")
    assert unit.loc["Mainstream schools", "per_plan"] == 20.0          # 240 / 12
    assert math.isnan(unit.loc["State-funded special schools", "per_plan"])   # no plans


def test_group_costs_refuse_a_line_the_workbook_lacks():
    frame, _ = lines.outturn_lines(_benchmarking())
    wrong = {"Mainstream schools": {"outturn": ["Primary (3)"], "deductions": [], "plans": []}}
    with pytest.raises(DataError, match="Primary \\(3\\)"):
        lines.group_costs(frame, pd.DataFrame(columns=["old_la_code", "measure", "value", "institution",
                                                       "place_type"]), wrong)


def _plans():
    """Area U's plans: special 10 -> 12 -> 15 (interval 13-18 in 2023), all 100 -> 110 -> 130."""
    return pd.DataFrame({
        "unit": "U", "group": ["State-funded special schools"] * 3 + ["All plans"] * 3,
        "year": [2021, 2022, 2023] * 2, "value": [10.0, 12.0, 15.0, 100.0, 110.0, 130.0],
        "lower": [10.0, 12.0, 13.0, 100.0, 110.0, 120.0], "upper": [10.0, 12.0, 18.0, 100.0, 110.0, 150.0]})


def test_yearly_cost_grows_each_group_with_its_plans_and_inflation():
    grown = path.growth(_plans(), 2021)
    costs = pd.DataFrame({"old_la_code": "999", "group": ["State-funded special schools", lines.OTHER],
                          "cost": [1000.0, 200.0]})
    cost = path.yearly_cost(costs, grown, pd.Series({"999": "U"}), 2021, 0.10, [2022, 2023])
    cost = cost.set_index("year")
    # 2022: 1,000 x 12/10 x 1.1 + 200 x 110/100 x 1.1 = 1,320 + 242
    assert cost.loc[2022, "value"] == pytest.approx(1562.0)
    # 2023: 1,000 x 1.5 x 1.21 + 200 x 1.3 x 1.21; lower 1,000 x 1.3 x 1.21 + 200 x 1.2 x 1.21
    assert cost.loc[2023, "value"] == pytest.approx(1815.0 + 314.6)
    assert cost.loc[2023, "lower"] == pytest.approx(1573.0 + 290.4)


def _inputs(**changes):
    base = dict(codes=["A", "B"], years=np.array([2025, 2026, 2027]), start=np.array([-10.0, 50.0]),
                allocation=np.full((2, 3), 100.0), cost=np.array([[110.0, 120.0, 130.0], [90.0] * 3]),
                demand_sd=np.zeros((2, 3)), other=np.array([5.0, 0.0]), other_sd=np.zeros(2),
                unannounced=np.array([False, False, True]))
    return simulate.Inputs(**{**base, **changes})


def test_the_central_path_adds_allocation_and_other_and_takes_off_cost():
    out = simulate.central(_inputs(), None).balance[0]
    # A: -10 + 100 + 5 - 110 = -15; -15 + 100 + 5 - 120 = -30; -30 + 100 + 5 - 130 = -55
    assert out[0].tolist() == [-15.0, -30.0, -55.0]
    assert out[1].tolist() == [60.0, 70.0, 80.0]


def test_the_write_off_takes_90_percent_of_a_deficit_and_nothing_from_a_surplus():
    result = simulate.central(_inputs(), simulate.WriteOff(2026, 0.9))
    assert result.before_grant[0].tolist() == [-30.0, 70.0]
    assert result.grant[0].tolist() == pytest.approx([27.0, 0.0])
    # A keeps 10% (-3) at 31 March 2026, then -3 + 100 + 5 - 130 = -28
    assert result.balance[0, 0].tolist() == pytest.approx([-15.0, -3.0, -28.0])
    assert result.balance[0, 1].tolist() == [60.0, 70.0, 80.0]


def test_a_supplied_balance_restarts_the_path():
    out = simulate.central(_inputs(supplied={0: {2026: -100.0}}), None).balance[0, 0]
    assert out.tolist() == [-15.0, -100.0, -125.0]


def test_draws_are_seeded_and_the_interval_holds_the_central_path():
    x = _inputs(demand_sd=np.full((2, 3), 0.05), other_sd=np.array([3.0, 3.0]))
    u = simulate.Uncertainty(demand_rho=0.5, inflation_sd=0.01, allocation_sd=0.03)
    one, two = simulate.run(x, u, None, 500, 7), simulate.run(x, u, None, 500, 7)
    assert np.array_equal(one.balance, two.balance)
    lower, upper = simulate.quantiles(one.balance)
    centre = simulate.central(x, None).balance[0]
    assert (lower < centre).all() and (centre < upper).all()
    assert (upper - lower)[:, -1].min() > 0          # no zero-width interval ahead


def test_an_interval_closed_by_published_plans_carries_no_demand_error():
    assert simulate.demand_sd(np.array([100.0, 90.0]), np.array([100.0, 110.0])).tolist() == \
        pytest.approx([0.0, (np.log(110) - np.log(90)) / (2 * 1.2815515655446004)])


def test_the_matching_correlation_gives_the_sum_its_spread():
    parts = np.array([3.0, 4.0])
    assert simulate.matching_rho(parts, 5.0) == pytest.approx(0.0)     # independent: sqrt(9 + 16)
    assert simulate.matching_rho(parts, 7.0) == pytest.approx(1.0)     # moving together: 3 + 4
    assert simulate.matching_rho(parts, 99.0) == 1.0                   # kept within 0 to 1


def test_residual_is_the_mean_unexplained_change_and_others_take_the_median_share():
    balances = pd.DataFrame({"code": ["A", "A", "A", "B"], "year": [2020, 2021, 2022, 2022],
                             "value": [0.0, -10.0, -30.0, -5.0]})
    allocations = pd.DataFrame({"code": ["A", "A", "B", "B"], "year": [2021, 2022] * 2,
                                "value": [100.0, 100.0, 50.0, 50.0]})
    cost = pd.DataFrame({"code": ["A", "A", "B", "B"], "year": [2021, 2022] * 2,
                         "value": [105.0, 110.0, 60.0, 60.0]})
    out, spread = path.residual(balances, allocations, cost, pd.Series({"A": 400.0, "B": 200.0}),
                                2021, 2022)
    out = out.set_index("code")
    # A's two years as shares of its DSG income: -5/400 and -10/400, each 2.5/400 from their
    # mean: pooled on one degree of freedom, sqrt(2 x (2.5/400)^2 / 1)
    assert spread == pytest.approx(np.sqrt(2) * 2.5 / 400)
    # A: 2021 -10 - 100 + 105 = -5; 2022 -20 - 100 + 110 = -10; mean -7.5
    assert out.loc["A", "value"] == pytest.approx(-7.5) and not out.loc["A", "estimated"]
    # B has one balance only: A's share of DSG income (-7.5 / 400) times B's 200
    assert out.loc["B", "value"] == pytest.approx(-3.75) and out.loc["B", "estimated"]


ACTUAL = pd.DataFrame({"code": ["A", "A", "B", "B"], "year": [2023, 2024] * 2,
                       "value": [100.0, 121.0, 50.0, 50.0]})
ENGLAND = pd.Series({2024: 200.0})


def test_national_totals_are_shared_out_in_the_last_years_proportions():
    scenario = {"kind": "national_totals", "totals": {2025: {"value": 400.0}, 2026: {"value": 600.0}}}
    out = path.scenario_allocations(ACTUAL, ENGLAND, scenario, 0.0, 2026)
    out = out.set_index(["code", "year"])["value"]
    assert out[("A", 2025)] == pytest.approx(400 * 121 / 200)
    assert out[("B", 2026)] == pytest.approx(600 * 50 / 200)


def test_real_terms_and_cash_trend_scenarios():
    real = path.scenario_allocations(ACTUAL, ENGLAND, {"kind": "real_terms"}, 0.02, 2026)
    assert real.set_index(["code", "year"]).loc[("A", 2026), "value"] == pytest.approx(121 * 1.02 ** 2)
    trend = path.scenario_allocations(ACTUAL, ENGLAND, {"kind": "cash_trend", "window": [2023, 2024]},
                                      0.0, 2025)
    got = trend.set_index("code")["value"]
    assert got["A"] == pytest.approx(121 * 1.21) and got["B"] == pytest.approx(50.0)   # 10% a year; flat


def test_plans_by_group_splits_the_default_total_by_the_placement_shares():
    table = pd.DataFrame({"area_code": "U", "origin": 2025, "year": [2025, 2026, 2026],
                          "method": ["actual", "pooled", "naive"], "value": [100.0, 110.0, 100.0],
                          "lower_80": [np.nan, 100.0, 90.0], "upper_80": [np.nan, 120.0, 110.0]})
    placements = pd.DataFrame({"area_code": "U", "origin": 2025, "year": [2025, 2026],
                               "placement": "State-funded special schools", "share_pct": [10.0, 20.0]})
    out = path.plans_by_group(table, placements, 2025, "pooled").set_index(["group", "year"])
    assert out.loc[("State-funded special schools", 2026), ["value", "lower", "upper"]].tolist() == \
        pytest.approx([22.0, 20.0, 24.0])
    assert out.loc[("All plans", 2025), ["value", "lower", "upper"]].tolist() == [100.0, 100.0, 100.0]
    # a flagged 2025 return (published 100) is replaced by the screen's stand-in (250)
    screened = pd.DataFrame({"area_code": ["U"], "year": [2025], "value": [250.0]})
    out = path.plans_by_group(table, placements, 2025, "pooled", screened).set_index(["group", "year"])
    assert out.loc[("All plans", 2025), ["value", "lower", "upper"]].tolist() == [250.0, 250.0, 250.0]
    assert out.loc[("State-funded special schools", 2025), "value"] == 25.0


def test_money_is_written_for_people():
    assert reading.money(-1_156_000_000) == "-£1.16bn"
    assert reading.money(806e6) == "£806.0m"
    assert reading.money(-12_345_678) == "-£12.3m"
    assert reading.money(950_400) == "£950k"
    assert reading.money(0.0) == "£0"
    assert reading.money(float("nan")) == "n/a"


def test_research_projections_stand_beside_both_outcomes():
    table = research.scored(pd.Series({2021: 1.0e9}), pd.Series({2020: -0.48e9, 2021: -0.80e9}))
    gap_2021 = table[table["year"].eq(2021) & table["outcome_measure"].str.startswith("S251")]
    assert gap_2021["outcome"].item() == 1.0e9 and gap_2021["research"].item() == "£1.2bn to £1.6bn"
    fall = table[table["year"].eq(2021) & table["outcome_measure"].str.startswith("fall")]
    assert fall["outcome"].item() == pytest.approx(0.32e9)
    # no 2019-20 outturn held: the nearest year held (2020-21) stands beside it, named
    gap_2020 = table[table["year"].eq(2020) & table["outcome_measure"].str.startswith("S251")]
    assert gap_2020["outcome"].item() == 1.0e9 and gap_2020["outcome_year"].item() == 2021
    assert "2020-21, the nearest year held, not the projection's" in gap_2020["outcome_measure"].item()
    assert "nearest" not in gap_2021["outcome_measure"].item()
    assert math.isnan(research.scored(pd.Series(dtype=float), pd.Series(dtype=float))["outcome"].iloc[0])


def test_the_nearest_year_held_prefers_the_later_of_two():
    assert research.nearest_year([2019, 2021], 2020) == 2021
    assert research.nearest_year([2022], 2020) == 2022 and research.nearest_year([], 2020) is None


@pytest.mark.parametrize("change, message", [
    (("origin", 2030), "years must run backtest_origin < origin < to_year"),
    (("scenario", "hopeful"), "'scenario' 'hopeful' is not among the scenarios"),
    (("cost_inflation", 3), "'cost_inflation' is a rate or share"),
    (("settlement.write_off_share", 9.0), "write_off_share be a share"),
    (("uncertainty.draws", None), "'draws' must be int"),
    (("scenarios.flat_real.kind", "guess"), "scenarios: flat_real: 'kind' must be one of"),
    (("scenarios.announced.totals", {2025: {"value": 1.0, "announced": True, "source": "x"}}),
     "'totals' must give every year to 2029"),
    (("placement_groups.FE and specialist post-16.plans", "Post 16"), "'plans' must be list"),
    (("thresholds_pct", None), "'thresholds_pct' must be list"),
])
def test_a_bad_assumptions_file_is_refused_naming_the_key(tmp_path, change, message):
    raw = yaml.safe_load(resources.files("analysis.studies.finance").joinpath("assumptions.yaml")
                         .read_text(encoding="utf-8"))
    key, value = change
    *parents, last = key.split(".")
    target = raw
    for part in parents:
        target = target[part]
    target[last] = value
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(raw), encoding="utf-8")
    with pytest.raises(assumptions.AssumptionsError, match=message) as err:
        assumptions.load(bad)
    assert str(bad) in str(err.value)


def test_threshold_counts_are_cumulative_and_the_sentence_says_them():
    flagged = pd.DataFrame({"deficit_pct_of_dsg": [25.0, 12.0, 6.0, 21.0]})
    counts = reading.threshold_counts(flagged, (5, 10, 20))
    assert counts["LAs"].tolist() == [4, 3, 2]   # a deficit past 20% is past 5% and 10% too
    sentence = reading._thresholds_sentence(counts["LAs"].tolist(), (5, 10, 20), 150, 2028, "flat")
    assert sentence == ("Of the 150 LAs with a path, by 31 March 2028 on flat 4 are projected to have "
                        "a deficit of more than 5% of their DSG income (3 more than 10%, 2 more than 20%).")


def test_backtest_table_gives_median_absolute_and_mean_errors():
    scored = pd.DataFrame({"error_pct_of_dsg": [-2.0, 1.0, 0.5, -0.5],
                           "repeated_error_pct_of_dsg": [1.0, 1.0, 1.0, 1.0]})
    table = reading.backtest_table(scored).set_index("Projection")
    # |errors| 2, 1, 0.5, 0.5: median 0.75; mean -1/4
    assert table.loc["The path", "Median absolute error"] == "0.75%"
    assert table.loc["The path", "Mean error"] == "-0.25%"
    assert table.loc["Last change repeated", "Middle half of errors"] == "+1.00% to +1.00%"


def test_flag_takes_the_highest_threshold_passed_against_the_latest_dsg():
    table = pd.DataFrame({"scenario": "central", "level": "Local authority", "year": 2028,
                          "area_code": ["A", "B", "C"], "value_gbp": [-30.0, -4.0, 10.0]})
    la = pd.DataFrame({"level": "Local authority", "area_code": ["A", "B", "C", "A"],
                       "year": [2024, 2024, 2024, 2023], "dsg_total": [100.0, 100.0, 100.0, 1.0]})
    a = SimpleNamespace(scenario="central", to_year=2028, thresholds_pct=(5, 10, 20))
    out = finance.flag(table, la, a)
    assert out["area_code"].tolist() == ["A"]   # B's 4% passes none; C is in surplus
    assert out["deficit_pct_of_dsg"].item() == pytest.approx(30.0)
    assert out["threshold_passed"].item() == 20


def test_a_money_table_says_which_years_are_held_and_where_the_rest_are():
    rows = pd.DataFrame({"hnb_before": [1.0, 2.0, 3.0], "outturn": [None, 5.0, None],
                         "balance": [-1.0, -2.0, None], "balance_pct": [-0.1, -0.2, None]},
                        index=pd.Index([2020, 2021, 2022], name="year"))
    note = reading.missing_note(rows, {"hnb_before": "Block", "outturn": "Outturn",
                                       "balance": "Balance", "balance_pct": "Balance, %"})
    assert note == (
        "no figure in the files this project holds, never zero. Outturn: held for 2020-21 only; "
        "the other years are in DfE's S251 outturn (LA and school expenditure), which this project "
        "does not hold. Balance; Balance, %: held for 2019-20 to 2020-21 only; the other years are "
        "in DfE's cumulative DSG balances, derived from each year's S251 outturn, which this "
        "project does not hold.")


def test_only_years_after_the_last_held_and_not_announced_carry_allocation_error():
    from analysis.studies import finance
    years = list(range(2023, 2030))
    model = finance._Model(
        start=pd.Series({"A": 0.0}), cost=pd.DataFrame({"code": "A", "year": years, "value": 1.0,
                                                         "lower": 1.0, "upper": 1.0}),
        other=pd.DataFrame({"code": ["A"], "value": [0.0], "estimated": [False]}), other_spread=0.0,
        dsg=pd.Series({"A": 10.0}))
    allocations = pd.DataFrame({"code": "A", "year": years, "value": 1.0})
    totals = {y: {"value": 1.0, "announced": y <= 2027, "source": "x"} for y in range(2025, 2030)}
    x = finance._inputs(model, allocations, years, {"totals": totals}, None, 2024)
    assert dict(zip(years, x.unannounced)) == {2023: False, 2024: False, 2025: False, 2026: False,
                                               2027: False, 2028: True, 2029: True}
    flat = finance._inputs(model, allocations, years, {"kind": "real_terms"}, None, 2024)
    assert flat.unannounced.tolist() == [False, False, True, True, True, True, True]


def test_an_las_own_plans_and_spending_rescale_its_cost_from_their_year_on():
    from analysis.studies import finance
    from analysis.studies.finance import local
    years = [2025, 2026, 2027]
    model = finance._Model(
        start=pd.Series({"A": 0.0, "B": 0.0}),
        cost=pd.DataFrame({"code": ["A"] * 3 + ["B"] * 3, "year": years * 2, "value": 100.0,
                           "lower": 90.0, "upper": 110.0}),
        other=pd.DataFrame({"code": ["A", "B"], "value": [0.0, 0.0], "estimated": False}),
        other_spread=0.0, dsg=pd.Series({"A": 10.0, "B": 10.0}))
    allocations = pd.DataFrame({"code": ["A"] * 3 + ["B"] * 3, "year": years * 2, "value": 1.0})
    # A's 2026 plans are 1,200 where the forecast has 1,000: its cost from 2026 is 20% higher;
    # B's 2027 spending is 150 where the model has 100
    rows = pd.DataFrame({"la_code": ["A", "B"], "measure": ["plans", "spending"], "year": [2026, 2027],
                         "value": [1200.0, 150.0], "row": ["row 2", "row 3"],
                         "plans_modelled": [1000.0, np.nan]})
    x = finance._inputs(model, allocations, years, {}, local.Figures(rows, "own.csv"), 2024)
    assert x.cost.tolist() == [[100.0, 120.0, 120.0], [100.0, 100.0, 150.0]]
    assert model.cost["value"].eq(100.0).all()   # the shared model is left as it was


def test_the_figures_an_la_gave_itself_are_said_in_words():
    rows = pd.DataFrame({"measure": ["balance", "plans"],
                         "figure": ["cumulative DSG balance at 31 March 2025", "EHC plans in January 2025"],
                         "value": [-120_000_000.0, 20_000.0]})
    assert reading.supplied_sentence("Kent", rows) == (
        "This section uses figures Kent gave itself, which DfE has not published: cumulative DSG "
        "balance at 31 March 2025 (-£120.0m); EHC plans in January 2025 (20,000). Its path restarts "
        "from the latest of them.")
    assert reading.supplied_sentence("Kent", rows.iloc[:0]) == ""


def test_every_finance_assumption_is_shown_in_words_with_its_source():
    rows = assumptions.as_table(assumptions.load())
    assert not [r["assumption"] for r in rows if "_" in r["assumption"]]   # no key from the file
    grant = next(r for r in rows if r["assumption"].endswith("share of a deficit written off"))
    assert grant["value"] == "90%"
    totals = [r for r in rows if "high needs total 2026-27" in r["assumption"]]
    assert totals and all(r["source"].startswith("DfE, written statement") for r in totals)


def test_an_la_without_a_cost_leaves_englands_gap_missing_not_short():
    cost = np.array([[110.0, 120.0, 130.0], [90.0, np.nan, 90.0]])
    gap = simulate.central(_inputs(cost=cost), None).gap[0]
    assert gap[0] == pytest.approx(110.0 + 90.0 - 200.0) and np.isnan(gap[1])
