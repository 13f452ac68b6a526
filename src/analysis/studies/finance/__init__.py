"""High needs money: funding against spending, DSG deficits in pounds, and each LA's path to
the end of the statutory override (31 March 2028).

:func:`build` assembles the funding and spending of every LA and year (:mod:`.money`), what each
placement group cost in the outturn year held (:mod:`.lines`), each LA's projected cumulative DSG
balance under every allocation scenario with the demand forecast's interval (:mod:`.path`), the
same projection made from an earlier March and scored against the balance published later, the
LAs whose projected deficit passes the stated shares of DSG income, England's path beside the
estimates others published (:mod:`.published`) and the research's 2018 projections scored
(:mod:`.research`). Every assumption is in ``assumptions.yaml`` (:mod:`.assumptions`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.errors import DataError
from analysis.series.store import SeriesStore
from analysis.studies import forecast
from analysis.studies.finance import lines, money, path, research
from analysis.studies.finance.assumptions import Assumptions, load
from analysis.tables.geography import stable_unit
from analysis.vocabulary import ENGLAND, LA_LEVEL, NATIONAL, REGION_CODES, REGIONAL

PATH_COLUMNS = ["area_code", "area_name", "level", "year", "kind", "scenario", "value_gbp",
                "lower_gbp", "upper_gbp"]


@dataclass(frozen=True, eq=False)
class Finance:
    """Everything the finance study publishes (see :func:`build`)."""

    assumptions: Assumptions
    la: pd.DataFrame          # finance_la.csv
    outturn_year: int         # the S251 outturn year held (financial year end)
    costs: pd.DataFrame       # per LA and placement group: outturn, deductions, cost, plans, per_plan
    path: pd.DataFrame        # finance_deficit_path.csv: every scenario
    other: pd.DataFrame       # per LA: the yearly residual of the path (code, value, estimated)
    backtest: pd.DataFrame    # per LA: the balance projected from backtest_origin against the published
    flagged: pd.DataFrame     # LAs whose projected deficit at to_year passes a threshold
    movement: pd.DataFrame    # per LA, the outturn year: the S251 gap against the balances' change
    research: pd.DataFrame    # finance_research_projections.csv

    def path_codes(self, codes) -> list[str]:
        """The code whose path stands for each LA of ``codes``: its own where its balance is
        published at the origin, else its stable area's (Cumberland and Westmorland and Furness:
        Cumbria)."""
        own = set(self.path.loc[self.path["level"].eq(LA_LEVEL), "area_code"])
        return [code if code in own else stable_unit(code) for code in codes]


def _own(series: pd.DataFrame) -> pd.DataFrame:
    """An area series' LA rows by the LAs' own codes (successor LAs' own rows; the stable unit's
    row where it is itself an LA that year): code, year, value."""
    rows = series[series["level"].isin([LA_LEVEL, "Successor local authority"])]
    return rows.rename(columns={"area_code": "code"})[["code", "year", "value"]]


def balances_in_pounds(series: SeriesStore) -> pd.DataFrame:
    """Per LA (own code) and 31 March: the cumulative DSG balance in pounds."""
    pct = series["dsg_balance"]
    pct = pct[pct["level"].eq(LA_LEVEL)].rename(columns={"area_code": "code"})
    total = _own(series["dsg_total"]).drop_duplicates(["code", "year"], keep="last")
    merged = pct[["code", "year", "value"]].merge(total, on=["code", "year"], how="left",
                                                  suffixes=("_pct", "_total"))
    missing = merged[merged["value_total"].isna() & merged["value_pct"].notna()]
    if len(missing):
        raise DataError(f"finance: no DSG total for balances of {sorted(set(missing['code']))}")
    return merged.assign(value=money.balance_pounds(merged["value_pct"], merged["value_total"]))[
        ["code", "year", "value"]]


def _plan_counts(benchmarking: pd.DataFrame, groups: dict) -> pd.DataFrame:
    """Plans by placement group per LA in the outturn year's January (the workbook's counts)."""
    prefix = "of these, placements in: | "
    counts = benchmarking[benchmarking["measure"].str.startswith(prefix)]
    label = counts["measure"].str.slice(len(prefix))
    of = {plan: g for g, spec in groups.items() for plan in spec["plans"]}
    unknown = sorted(set(of) - set(label))
    if unknown:
        raise DataError(f"assumptions: placement_groups name plan counts not in the workbook: {unknown}")
    counts = counts.assign(group=label.map(of).fillna(lines.OTHER))
    return counts.groupby(["old_la_code", "group"], as_index=False)["value"].sum(min_count=1).rename(
        columns={"value": "plans"})


def _aggregate(frame: pd.DataFrame, lookup: pd.DataFrame) -> pd.DataFrame:
    """Path rows (code, year, value, lower, upper) summed to regions and England."""
    region = lookup.drop_duplicates("old_la_code", keep="last").set_index("old_la_code")["region_name"]
    regional = frame.assign(code=frame["code"].map(region))
    england = frame.assign(code=ENGLAND["area_code"])
    sums = [f.groupby(["code", "year", "kind"], as_index=False)[["value", "lower", "upper"]].sum(
        min_count=1) for f in (regional, england)]
    return pd.concat([frame.assign(level=LA_LEVEL), sums[0].assign(level=REGIONAL),
                      sums[1].assign(level=NATIONAL)], ignore_index=True)


def _allocations(series: SeriesStore) -> tuple[pd.DataFrame, pd.Series]:
    """High needs block before deductions per LA own code and year, and England's."""
    hnb = series["hnb"]
    return (_own(hnb).drop_duplicates(["code", "year"], keep="last"),
            hnb[hnb["level"].eq(NATIONAL)].set_index("year")["value"])


def _costs(series: SeriesStore, a: Assumptions) -> tuple[pd.DataFrame, int]:
    benchmarking = series.table("hn_benchmarking")
    outturn, year = lines.outturn_lines(benchmarking.dropna(subset=["value"]))
    deductions = series.table("dsg_hn_deductions")
    deductions = deductions[deductions["year"].eq(year) & deductions["geographic_level"].eq(LA_LEVEL)]
    if deductions.empty:
        raise DataError(f"finance: no high needs deductions held for the outturn year {year}")
    costs = lines.group_costs(outturn, deductions, a.placement_groups)
    return lines.unit_costs(costs, _plan_counts(benchmarking, a.placement_groups)), year


def _modelled(balances: pd.DataFrame, costs: pd.DataFrame, demand: forecast.Forecast,
              base_year: int, origin: int, to_year: int, allocations: pd.DataFrame,
              dsg_totals: pd.DataFrame, a: Assumptions) -> tuple[pd.Series, pd.DataFrame, pd.DataFrame]:
    """Each LA's balance at 31 March ``origin``, its modelled cost to ``to_year`` and its yearly
    residual: costs modelled from ``base_year`` (the outturn year) with ``demand``'s plans,
    calibrated on the balances and ``allocations`` published from the outturn year to the
    origin, never later (an LA with too few takes a share of its total DSG in the origin year,
    from ``dsg_totals``). The same for every allocation scenario."""
    dsg = dsg_totals[dsg_totals["year"].eq(origin)].set_index("code")["value"]
    start = balances[balances["year"].eq(origin)].set_index("code")["value"]
    plans = path.plans_by_group(demand.table, demand.placements, demand.origin, demand.default)
    grown = path.growth(plans, base_year)
    units = pd.Series({c: stable_unit(c) for c in costs["old_la_code"].unique()})
    cost = path.yearly_cost(costs[costs["old_la_code"].isin(start.index)], grown, units, base_year,
                            a.cost_inflation, range(base_year, to_year + 1))
    known = balances[balances["year"].le(origin)]
    other = path.residual(known, allocations, cost[cost["year"].le(origin)], dsg, base_year, origin)
    return start, cost, other


def _projection(balances: pd.DataFrame, costs: pd.DataFrame, demand: forecast.Forecast,
                base_year: int, origin: int, to_year: int, allocations: pd.DataFrame,
                dsg_totals: pd.DataFrame, a: Assumptions) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Balances per LA from 31 March ``origin`` to ``to_year`` (see :func:`_modelled`), and
    the yearly residual used."""
    start, cost, other = _modelled(balances, costs, demand, base_year, origin, to_year, allocations,
                                   dsg_totals, a)
    projected = path.project(start, allocations, cost, other.set_index("code")["value"], origin, to_year)
    return projected, other


def build(series: SeriesStore | None = None, assumptions: Assumptions | None = None,
          demand: forecast.Forecast | None = None, backtest: bool = True) -> Finance:
    """The whole finance study from the current table store (see the module docstring).
    ``demand`` is the demand forecast to use (default: built from ``series``); with
    ``backtest=False`` the backtest (a second demand forecast, from the backtest origin) is not
    run and its table is empty (the profiles show only the paths)."""
    a = assumptions or load()
    series = series or SeriesStore()
    lookup = series.lookup
    costs, outturn_year = _costs(series, a)
    if outturn_year > a.backtest_origin:
        raise DataError(f"finance: the outturn held ({outturn_year}) is later than the backtest "
                        f"origin ({a.backtest_origin}): the backtest would see it")
    balances = balances_in_pounds(series)
    held = sorted(balances["year"].unique())
    if a.origin not in held or a.backtest_origin not in held:
        raise DataError(f"finance: balances are held for {held}; origin {a.origin} and backtest "
                        f"origin {a.backtest_origin} must be among them")
    allocations, england = _allocations(series)
    outturn = costs.groupby("old_la_code", as_index=False)["outturn"].sum().rename(
        columns={"old_la_code": "code", "outturn": "value"}).assign(year=outturn_year)
    la = money.table([
        money.area_rows(series["hnb"], "hnb_before"), money.area_rows(series["hnb_after"], "hnb_after"),
        money.area_rows(series["dsg_total"], "dsg_total"),
        money.area_rows(series["population_2_18"], "population_2_18"),
        money.area_rows(series["population_0_25"], "population_0_25"),
        money.area_rows(series["ehcp"], "plans"),
        money.area_rows(series["dsg_balance"], "balance_pct"),
        money.own_code_rows(outturn, lookup, "outturn"), money.own_code_rows(balances, lookup, "balance")])
    demand = demand or forecast.build(series)
    dsg_totals = _own(series["dsg_total"]).drop_duplicates(["code", "year"], keep="last")
    actual_rows = balances[balances["year"].le(a.origin)]   # every LA published, for the sums
    # cost and residual do not depend on the scenario (allocations after the origin): made once
    start, cost, other = _modelled(balances, costs, demand, outturn_year, a.origin, a.to_year,
                                   allocations, dsg_totals, a)
    held_alloc = allocations[allocations["code"].isin(start.index)]
    residual = other.set_index("code")["value"]
    paths = []
    for name, scenario in a.scenarios.items():
        future = path.scenario_allocations(held_alloc, england, scenario, a.gdp_deflator, a.to_year)
        projected = path.project(start, pd.concat([held_alloc, future]), cost, residual, a.origin,
                                 a.to_year)
        both = pd.concat([actual_rows.assign(lower=actual_rows["value"], upper=actual_rows["value"],
                                             kind="actual"), projected.assign(kind="projected")])
        paths.append(_aggregate(both, lookup).assign(scenario=name))
    table = _path_table(pd.concat(paths, ignore_index=True), lookup)
    scored = (_backtest(series, balances, costs, outturn_year, allocations, dsg_totals, a) if backtest
              else pd.DataFrame())
    return Finance(assumptions=a, la=la, outturn_year=outturn_year, costs=costs, path=table, other=other,
                   backtest=scored, flagged=flag(table, la, a),
                   movement=_movement(balances, la, outturn_year),
                   research=research.scored(*_england_outcomes(la)))


def _path_table(frame: pd.DataFrame, lookup: pd.DataFrame) -> pd.DataFrame:
    names = lookup.drop_duplicates("old_la_code", keep="last").set_index("old_la_code")["la_name"]
    name = [ENGLAND["area_name"] if lv == NATIONAL else c if lv == REGIONAL else names.get(c, c)
            for c, lv in zip(frame["code"], frame["level"])]
    code = [REGION_CODES[c] if lv == REGIONAL else c for c, lv in zip(frame["code"], frame["level"])]
    out = pd.DataFrame({"area_code": code, "area_name": name, "level": frame["level"],
                        "year": frame["year"].astype(int), "kind": frame["kind"],
                        "scenario": frame["scenario"], "value_gbp": frame["value"],
                        "lower_gbp": frame["lower"], "upper_gbp": frame["upper"]})
    order = {LA_LEVEL: 0, REGIONAL: 1, NATIONAL: 2}
    return out.sort_values(["scenario", "level", "area_code", "year"],
                           key=lambda s: s.map(order) if s.name == "level" else s,
                           kind="stable").reset_index(drop=True)[PATH_COLUMNS]


def _backtest(series, balances, costs, outturn_year, allocations, dsg_totals, a: Assumptions) -> pd.DataFrame:
    """The path run from 31 March ``backtest_origin`` with the demand forecast made in that
    January, one year on, against the balance published for the next March; beside it the
    plain alternative of repeating the LA's last published change."""
    origin = a.backtest_origin
    demand = forecast.build(series, origin=origin)
    projected, _ = _projection(balances, costs, demand, outturn_year, origin, origin + 1,
                               allocations, dsg_totals, a)
    b = balances.pivot_table(index="code", columns="year", values="value")
    total = dsg_totals[dsg_totals["year"].eq(origin + 1)].set_index("code")["value"]
    out = projected.assign(actual=projected["code"].map(b.get(origin + 1)),
                           repeated=projected["code"].map(2 * b[origin] - b[origin - 1]),
                           dsg_total=projected["code"].map(total))
    out = out.dropna(subset=["value", "actual"])
    return out.assign(origin=origin,
                      error_pct_of_dsg=(out["value"] - out["actual"]) / out["dsg_total"] * 100,
                      repeated_error_pct_of_dsg=(out["repeated"] - out["actual"]) / out["dsg_total"] * 100,
                      inside_80=out["actual"].between(out["lower"], out["upper"])).reset_index(drop=True)


def flag(table: pd.DataFrame, la: pd.DataFrame, a: Assumptions) -> pd.DataFrame:
    """LAs whose projected balance at ``to_year`` (default scenario) is a deficit beyond each
    threshold share of their DSG income (total DSG in the last year held)."""
    rows = table[table["scenario"].eq(a.scenario) & table["level"].eq(LA_LEVEL)
                 & table["year"].eq(a.to_year)]
    dsg = la[la["level"].eq(LA_LEVEL) & la["dsg_total"].notna()]
    dsg = dsg[dsg["year"].eq(dsg["year"].max())].set_index("area_code")["dsg_total"]
    share = -rows["value_gbp"] / rows["area_code"].map(dsg).to_numpy() * 100
    out = rows.assign(deficit_pct_of_dsg=share.to_numpy())
    passed = [max([t for t in a.thresholds_pct if s > t], default=np.nan) for s in out["deficit_pct_of_dsg"]]
    out = out.assign(threshold_passed=passed).dropna(subset=["threshold_passed"])
    return out.sort_values("deficit_pct_of_dsg", ascending=False).reset_index(drop=True)


def _movement(balances: pd.DataFrame, la: pd.DataFrame, year: int) -> pd.DataFrame:
    """Per LA, the outturn year: the in-year gap from S251 against the change in its balance."""
    before = balances[balances["year"].eq(year - 1)].set_index("code")["value"]
    after = balances[balances["year"].eq(year)].set_index("code")["value"]
    gaps = la[la["level"].eq(LA_LEVEL) & la["year"].eq(year)].set_index("area_code")["gap"]
    out = pd.DataFrame({"balance_change": after - before}).join(gaps.rename("gap"), how="inner")
    return out.dropna().rename_axis("code").reset_index().assign(year=year)


def _england_outcomes(la: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    england = la[la["level"].eq(NATIONAL)].set_index("year")
    return england["gap"].dropna(), england["balance"].dropna()
