"""High needs money: funding against spending, DSG deficits in pounds, and each LA's position
when the statutory override ends (31 March 2028), after the High Needs Stability Grant.

:func:`build` assembles the funding and spending of every LA and year (:mod:`.money`), what each
placement group cost in the outturn year held (:mod:`.lines`), each LA's cumulative DSG balance
from the last one published (or one the LA supplied, :mod:`.local`) to the end of the override
under every scenario, simulated jointly with every source of uncertainty the model has
(:mod:`.simulate`), the February 2026 write-off of 90% of each deficit at 31 March 2026, the
per-LA position at 31 March 2028 (``finance_2028.csv``), England's in-year gap once SEND is
funded centrally, a one-year check against the balances published, the LAs past the stated
shares of DSG income, England beside the estimates others published (:mod:`.published`) and the
research's 2018 projections scored (:mod:`.research`). Every assumption is in
``assumptions.yaml`` (:mod:`.assumptions`).

Years after the last published balance are **estimated** where the 31 March has passed (by the
run's date) and **projected** where it has not; every such year has an interval.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import settings
from analysis.errors import DataError
from analysis.series.measures import own_code_rows
from analysis.series.store import SeriesStore
from analysis.studies import forecast
from analysis.studies.finance import lines, local, money, path, research, simulate
from analysis.studies.finance.assumptions import Assumptions, load
from analysis.tables.geography import stable_unit
from analysis.vocabulary import ENGLAND, LA_LEVEL, NATIONAL, REGION_CODES, REGIONAL, SUCCESSOR_LEVEL

PATH_COLUMNS = ["area_code", "area_name", "level", "year", "kind", "scenario", "value_gbp",
                "lower_gbp", "upper_gbp"]
PUBLISHED, ESTIMATED, PROJECTED, SUPPLIED = ("published", "estimated", "projected",
                                             "supplied by the LA")
"""The kinds of a balance in the path: published by DfE, estimated (a past 31 March not yet
published), projected (a 31 March still to come), or given by the LA itself."""


@dataclass(frozen=True, eq=False)
class Finance:
    """Everything the finance study publishes (see :func:`build`)."""

    assumptions: Assumptions
    as_of: str                # the run's date (ISO): a 31 March before it is past
    la: pd.DataFrame          # finance_la.csv
    outturn_year: int         # the S251 outturn year held (financial year end)
    costs: pd.DataFrame       # per LA and placement group: outturn, deductions, cost, plans, per_plan
    path: pd.DataFrame        # finance_deficit_path.csv: every scenario
    position: pd.DataFrame    # finance_2028.csv: per LA (and England) at the end of the override
    gap_ahead: pd.DataFrame   # England's in-year gap once SEND is funded centrally
    other: pd.DataFrame       # per LA: the yearly residual of the path (code, value, estimated)
    uncertainty: pd.DataFrame  # what the interval carries: source, how, size
    backtest: pd.DataFrame    # per LA: the balance projected from backtest_origin against the published
    flagged: pd.DataFrame     # LAs whose projected deficit at to_year passes a threshold
    movement: pd.DataFrame    # per LA, the outturn year: the S251 gap against the balances' change
    research: pd.DataFrame    # finance_research_projections.csv
    supplied: local.Figures | None   # the LAs' own figures used, if any

    def path_codes(self, codes) -> list[str]:
        """The code whose path stands for each LA of ``codes``: its own where its balance is
        published at the origin, else its stable area's (Cumberland and Westmorland and Furness:
        Cumbria)."""
        own = set(self.path.loc[self.path["level"].eq(LA_LEVEL), "area_code"])
        return [code if code in own else stable_unit(code) for code in codes]


def _plan_counts(series: SeriesStore, groups: dict, year: int) -> pd.DataFrame:
    """Plans by placement group per LA (own code) in January ``year`` (the outturn year's
    January: SEN2, the ``placements`` series), summed over each group's SEN2 categories;
    missing where any of them is not published."""
    placed = series["placements"]
    of = {category: g for g, spec in groups.items() for category in spec["plans"]}
    unknown = sorted(set(of) - set(placed["category"]))
    if unknown:
        raise DataError(f"assumptions: placement_groups name SEN2 placements not published: {unknown}")
    rows = placed[placed["year"].eq(year) & placed["category"].isin(of)
                  & placed["level"].isin([LA_LEVEL, SUCCESSOR_LEVEL])]
    rows = rows.assign(group=rows["category"].map(of))
    grouped = rows.groupby(["area_code", "group"])["value"]
    total, published = grouped.sum(), grouped.count()
    parts = pd.Series({g: len(spec["plans"]) for g, spec in groups.items()})
    plans = total.where(published.to_numpy() == parts.reindex(
        total.index.get_level_values("group")).to_numpy())
    return plans.rename("plans").reset_index().rename(columns={"area_code": "old_la_code"})


def _aggregate(frame: pd.DataFrame, lookup: pd.DataFrame) -> pd.DataFrame:
    """Published path rows (code, year, kind, value, lower, upper) summed to regions and
    England (the simulated years are summed draw by draw in :func:`_scenario`)."""
    region = _regions(lookup)
    regional = frame.assign(code=frame["code"].map(region))
    england = frame.assign(code=ENGLAND["area_code"])
    sums = [f.groupby(["code", "year", "kind"], as_index=False)[["value", "lower", "upper"]].sum(
        min_count=1) for f in (regional, england)]
    return pd.concat([frame.assign(level=LA_LEVEL), sums[0].assign(level=REGIONAL),
                      sums[1].assign(level=NATIONAL)], ignore_index=True)


def _regions(lookup: pd.DataFrame) -> pd.Series:
    return lookup.drop_duplicates("old_la_code", keep="last").set_index("old_la_code")["region_name"]


def _allocations(series: SeriesStore) -> tuple[pd.DataFrame, pd.Series]:
    """High needs block before deductions per LA own code and year, and England's."""
    hnb = series["hnb"]
    return (own_code_rows(hnb).drop_duplicates(["code", "year"], keep="last"),
            hnb[hnb["level"].eq(NATIONAL)].set_index("year")["value"])


def _costs(series: SeriesStore, a: Assumptions) -> tuple[pd.DataFrame, int]:
    """Per LA and placement group, the outturn year's spending (S251 outturn plus the place
    funding ESFA paid directly that year) and its plans in that year's January."""
    benchmarking = series.table("hn_benchmarking")
    outturn, year = lines.outturn_lines(benchmarking.dropna(subset=["value"]))
    deductions = series.table("dsg_hn_deductions")
    deductions = deductions[deductions["year"].eq(year) & deductions["geographic_level"].eq(LA_LEVEL)]
    if deductions.empty:
        raise DataError(f"finance: no high needs deductions held for the outturn year {year}")
    costs = lines.group_costs(outturn, deductions, a.placement_groups)
    return lines.unit_costs(costs, _plan_counts(series, a.placement_groups, year)), year


@dataclass(frozen=True)
class _Model:
    """What every scenario shares: each LA's start, cost (central, lower, upper) by year,
    what else moves its balance, and the spread of that."""

    start: pd.Series          # balance at 31 March origin, by LA code
    cost: pd.DataFrame        # code, year, value, lower, upper
    other: pd.DataFrame       # code, value, estimated
    other_spread: float       # sd of one year's residual, share of DSG income
    dsg: pd.Series            # total DSG in the origin year, by code


def _modelled(balances: pd.DataFrame, costs: pd.DataFrame, demand: forecast.Forecast,
              base_year: int, origin: int, last_year: int, allocations: pd.DataFrame,
              dsg_totals: pd.DataFrame, a: Assumptions) -> _Model:
    """Each LA's balance at 31 March ``origin``, its modelled cost from the first year with two
    published balances to ``last_year`` (costs carried from ``base_year``, the outturn year, with
    ``demand``'s plans, back to earlier years too) and its yearly residual, calibrated on the
    balances and ``allocations`` published up to the origin, never later. The same for every
    allocation scenario."""
    dsg = dsg_totals[dsg_totals["year"].eq(origin)].set_index("code")["value"]
    start = balances[balances["year"].eq(origin)].set_index("code")["value"]
    plans = path.plans_by_group(demand.table, demand.placements, demand.origin, demand.default,
                                demand.screened_totals())
    grown = path.growth(plans, base_year)
    units = pd.Series({c: stable_unit(c) for c in costs["old_la_code"].unique()})
    first = int(balances["year"].min()) + 1
    cost = path.yearly_cost(costs[costs["old_la_code"].isin(start.index)], grown, units, base_year,
                            a.cost_inflation, range(first, last_year + 1))
    known = balances[balances["year"].le(origin)]
    other, spread = path.residual(known, allocations, cost[cost["year"].le(origin)], dsg, first, origin)
    return _Model(start=start, cost=cost, other=other, other_spread=spread, dsg=dsg)


def _kind(year: int, last_published: int, as_of: str) -> str:
    """A balance's kind: published to the last 31 March held, then estimated while the 31 March
    is before the run's date, projected after."""
    if year <= last_published:
        return PUBLISHED
    return ESTIMATED if f"{year}-03-31" < as_of else PROJECTED


def _wide(frame: pd.DataFrame, codes, years, column: str = "value") -> np.ndarray:
    return frame.pivot_table(index="code", columns="year", values=column).reindex(
        index=codes, columns=years).to_numpy(dtype=float, copy=True)


def _inputs(model: _Model, allocations: pd.DataFrame, years: list[int], scenario: dict,
            supplied: local.Figures | None, last_held: int) -> simulate.Inputs:
    """The simulation's inputs for one scenario (allocations as published to ``last_held``,
    then by scenario), with an LA's own figures in place of the model's where it gave them.
    A year after ``last_held`` is unannounced unless the scenario's totals say it was announced."""
    codes = list(model.start.index)
    alloc = _wide(allocations, codes, years)
    cost, lower, upper = (_wide(model.cost, codes, years, c) for c in ("value", "lower", "upper"))
    announced = {y: t["announced"] for y, t in scenario.get("totals", {}).items()}
    unannounced = np.array([y > last_held and not announced.get(y, False) for y in years])
    given: dict[int, dict[int, float]] = {}
    if supplied is not None:
        position = {c: i for i, c in enumerate(codes)}
        for r in supplied.rows.itertuples():
            i, j = position[r.la_code], years.index(r.year) if r.year in years else None
            if r.measure == "balance":
                given.setdefault(i, {})[r.year] = r.value
            elif r.measure == "allocation" and j is not None:
                alloc[i, j] = r.value
        # spending or plans rescale the LA's cost from their year on (latest figure last)
        for r in supplied.rows[supplied.rows["measure"].isin(["spending", "plans"])].sort_values(
                "year").itertuples():
            i, j = position[r.la_code], years.index(r.year)
            base = cost[i, j] if r.measure == "spending" else r.plans_modelled
            factor = r.value / base
            cost[i, j:], lower[i, j:], upper[i, j:] = (cost[i, j:] * factor, lower[i, j:] * factor,
                                                       upper[i, j:] * factor)
    other = model.other.set_index("code")["value"].reindex(codes).to_numpy(dtype=float)
    return simulate.Inputs(
        codes=codes, years=np.array(years), start=model.start.to_numpy(dtype=float), allocation=alloc,
        cost=cost, demand_sd=simulate.demand_sd(lower, upper), other=other,
        other_sd=model.other_spread * model.dsg.reindex(codes).to_numpy(dtype=float),
        unannounced=unannounced, supplied=given)


def _demand_rho(demand: forecast.Forecast, inputs: simulate.Inputs, cost_year_index: int) -> float:
    """The correlation of LAs' demand errors that makes their summed cost as uncertain as
    England's own forecast interval says, at the last year modelled."""
    t = demand.table
    t = t[t["origin"].eq(demand.origin) & t["method"].eq(demand.default)
          & t["area_code"].eq(ENGLAND["area_code"])]
    year = int(inputs.years[cost_year_index])
    row = t[t["year"].eq(min(year, int(t["year"].max())))]
    if row.empty:
        return 0.0
    england_sd = float(simulate.demand_sd(row["lower_80"].to_numpy(), row["upper_80"].to_numpy())[0])
    cost = inputs.cost[:, cost_year_index]
    parts = cost * inputs.demand_sd[:, cost_year_index]
    return simulate.matching_rho(parts[np.isfinite(parts)], england_sd * float(np.nansum(cost)))


def _summary(draws: np.ndarray, centre: np.ndarray) -> dict[str, np.ndarray]:
    lower, upper = simulate.quantiles(draws)
    return {"value": centre, "lower": lower, "upper": upper}


def _scenario(name: str, spec: dict, model: _Model, allocations: pd.DataFrame, england: pd.Series,
              a: Assumptions, supplied: local.Figures | None, lookup: pd.DataFrame,
              demand: forecast.Forecast, as_of: str) -> tuple[pd.DataFrame, dict, float]:
    """One scenario: LA, regional and England rows for every year simulated, the write-off's
    parts and the in-year gap (England, per year), and the demand correlation used."""
    last = a.settlement["central_funding_from"]
    years = list(range(a.origin + 1, last + 1))
    held = allocations[allocations["code"].isin(model.start.index)]
    future = path.scenario_allocations(held, england, spec, a.gdp_deflator, last)
    x = _inputs(model, pd.concat([held, future]), years, spec, supplied, int(held["year"].max()))
    rho = _demand_rho(demand, x, years.index(a.to_year))
    u = a.uncertainty
    unc = simulate.Uncertainty(demand_rho=rho, inflation_sd=u["cost_inflation_sd"],
                               allocation_sd=u["allocation_sd"])
    # the same draws with the write-off and without it (a share of nought), for the position
    year = a.settlement["write_off_year"]
    share = a.settlement["write_off_share"] if spec["write_off"] else 0.0
    runs = {k: (simulate.central(x, simulate.WriteOff(year, k)),
                simulate.run(x, unc, simulate.WriteOff(year, k), u["draws"], u["seed"]))
            for k in {share, 0.0}}
    (mid, drawn), (mid_without, drawn_without) = runs[share], runs[0.0]
    region = pd.Series(x.codes).map(_regions(lookup)).to_numpy()
    rows = []
    for j, year in enumerate(years):
        kind = _kind(year, a.origin, as_of)
        kinds = [SUPPLIED if year in x.supplied.get(i, {}) else kind for i in range(len(x.codes))]
        la = _summary(drawn.balance[:, :, j], mid.balance[0, :, j])
        given = np.array([k == SUPPLIED for k in kinds])   # a figure the LA gave has no interval
        la = {**la, "lower": np.where(given, np.nan, la["lower"]),
              "upper": np.where(given, np.nan, la["upper"])}
        rows.append(pd.DataFrame({"code": x.codes, "year": year, "kind": kinds, **la, "level": LA_LEVEL}))
        for r in sorted(set(region)):
            inside = region == r
            rows.append(pd.DataFrame({"code": [r], "year": year, "kind": kind, "level": REGIONAL,
                                      **{k: [v] for k, v in _summary(
                                          drawn.balance[:, inside, j].sum(axis=1),
                                          mid.balance[0, inside, j].sum()).items()}}))
        rows.append(pd.DataFrame({"code": [ENGLAND["area_code"]], "year": year, "kind": kind,
                                  "level": NATIONAL, **{k: [v] for k, v in _summary(
                                      drawn.balance[:, :, j].sum(axis=1),
                                      mid.balance[0, :, j].sum()).items()}}))
    frame = pd.concat(rows, ignore_index=True).assign(scenario=name)
    frame = frame[frame["year"].le(a.to_year)]
    parts = {"codes": x.codes, "central": mid, "draws": drawn, "years": years, "inputs": x,
             "central_without": mid_without, "draws_without": drawn_without}
    return frame, parts, rho


def build(series: SeriesStore | None = None, assumptions: Assumptions | None = None,
          demand: forecast.Forecast | None = None, backtest: bool = True,
          supplied: local.Figures | str | Path | None = None, as_of: str | None = None) -> Finance:
    """The whole finance study from the current table store (see the module docstring).
    ``demand`` is the demand forecast to use (default: built from ``series``); with
    ``backtest=False`` the backtest (a second demand forecast, from the backtest origin) is not
    run and its table is empty (the profiles show only the paths). ``supplied``: LAs' own
    figures (a :class:`local.Figures` or the path of a file :func:`local.read` accepts);
    ``as_of``: the date (ISO) that separates estimated from projected years (the run's date)."""
    a = assumptions or load()
    series = series or SeriesStore()
    as_of = as_of or settings.run_date()
    lookup = series.lookup
    costs, outturn_year = _costs(series, a)
    balances = series["dsg_balance_gbp"]
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
    dsg_totals = own_code_rows(series["dsg_total"]).drop_duplicates(["code", "year"], keep="last")
    last = a.settlement["central_funding_from"]
    model = _modelled(balances, costs, demand, outturn_year, a.origin, last, allocations, dsg_totals, a)
    latest_dsg = dsg_totals[dsg_totals["year"].eq(dsg_totals["year"].max())].set_index("code")["value"]
    if supplied is not None and not isinstance(supplied, local.Figures):
        supplied = local.read(supplied, latest_dsg.reindex(model.start.index).dropna().to_dict(),
                              a.origin + 1, a.to_year, a.local_balance_limit)
    if supplied is not None:
        supplied = _with_modelled_plans(supplied, demand)
    published = balances[balances["year"].le(a.origin)]
    published_rows = _aggregate(published.assign(lower=np.nan, upper=np.nan, kind=PUBLISHED), lookup)
    frames, parts = [], {}
    for name, spec in a.scenarios.items():
        frame, parts[name], rho = _scenario(name, spec, model, allocations, england, a, supplied,
                                            lookup, demand, as_of)
        frames += [published_rows.assign(scenario=name), frame]
    table = _path_table(pd.concat(frames, ignore_index=True), lookup)
    scored = (_backtest(series, balances, costs, outturn_year, allocations, dsg_totals, a) if backtest
              else pd.DataFrame())
    return Finance(assumptions=a, as_of=as_of, la=la, outturn_year=outturn_year, costs=costs, path=table,
                   position=position_2028(parts, a, latest_dsg, lookup, supplied),
                   gap_ahead=gap_ahead(parts[a.scenario], a),
                   other=model.other, uncertainty=uncertainty_table(model, rho, a),
                   backtest=scored, flagged=flag(table, la, a),
                   movement=_movement(balances, la, outturn_year),
                   research=research.scored(*_england_outcomes(la)), supplied=supplied)


def _with_modelled_plans(figures: local.Figures, demand: forecast.Forecast) -> local.Figures:
    """The LA's own plan counts beside the plans the demand forecast has for its area that
    January (``plans_modelled``), which their ratio rescales the cost by."""
    t = demand.table
    t = t[t["origin"].eq(demand.origin) & t["method"].isin(["actual", demand.default])]
    modelled = t.set_index(["area_code", "year"])["value"]
    rows = figures.rows.assign(plans_modelled=[
        modelled.get((stable_unit(c) if (c, y) not in modelled.index else c, y), np.nan)
        if m == "plans" else np.nan for c, m, y in zip(figures.rows["la_code"], figures.rows["measure"],
                                                       figures.rows["year"])])
    return local.Figures(rows=rows, source=figures.source)


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
    plain alternative of repeating the LA's last published change. Its cost base is the
    outturn year's spending (2021-22, the only outturn held), which is the year it is scored
    on: the check tests what else moves a balance and the allocations, not the cost forecast.
    With one residual year before the origin, its spread is the spread across LAs."""
    origin = a.backtest_origin
    demand = forecast.build(series, origin=origin)
    known = balances[balances["year"].le(origin)]
    model = _modelled(known, costs, demand, outturn_year, origin, origin + 1, allocations,
                      dsg_totals, a)
    x = _inputs(model, allocations, [origin + 1], {}, None, int(allocations["year"].max()))
    u = a.uncertainty
    unc = simulate.Uncertainty(demand_rho=_demand_rho(demand, x, 0),
                               inflation_sd=u["cost_inflation_sd"], allocation_sd=u["allocation_sd"])
    mid, drawn = simulate.central(x, None), simulate.run(x, unc, None, u["draws"], u["seed"])
    lower, upper = simulate.quantiles(drawn.balance[:, :, 0])
    projected = pd.DataFrame({"code": x.codes, "year": origin + 1, "value": mid.balance[0, :, 0],
                              "lower": lower, "upper": upper})
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


def position_2028(parts: dict, a: Assumptions, dsg_income: pd.Series, lookup: pd.DataFrame,
                  supplied: local.Figures | None) -> pd.DataFrame:
    """``finance_2028.csv``: per LA at the end of the override, on the chosen scenario's
    allocations with the write-off and without it (the same draws): the balance at 31 March of
    the write-off year before the grant (``deficit_YYYY``), the grant, the share left, the
    change in each later year (``change_YYYY``), the balance at ``to_year`` (``balance_YYYY``,
    also as % of DSG income, the latest total DSG held), each with its 80% interval (draw by
    draw, so the interval of a difference is the difference's own). Columns are named by the
    years of the run's assumptions. England: net, and the LAs in deficit and in surplus at
    ``to_year`` summed apart (which LAs, draw by draw)."""
    with_grant = parts[a.scenario]
    codes, years = with_grant["codes"], with_grant["years"]
    w_year, end_year = a.settlement["write_off_year"], a.to_year
    w, end = years.index(w_year), years.index(end_year)
    d, c = with_grant["draws"], with_grant["central"]
    dn, cn = with_grant["draws_without"], with_grant["central_without"]
    income = dsg_income.reindex(codes).to_numpy(dtype=float)
    given = {} if supplied is None else supplied.of("balance").groupby("la_code")["year"].max()
    basis = [f"the LA's own balance at 31 March {given[code]}" if code in given else
             f"DfE's published balance at 31 March {a.origin}" for code in codes]

    def spans(draws: np.ndarray, centre: np.ndarray) -> dict:
        lo, hi = simulate.quantiles(draws)
        return {"": centre, "_lower": lo, "_upper": hi}

    measures = {f"deficit_{w_year}": (d.before_grant, c.before_grant[0]), "grant": (d.grant, c.grant[0])}
    for j in range(w + 1, end + 1):
        measures[f"change_{years[j]}"] = (d.balance[:, :, j] - d.balance[:, :, j - 1],
                                          c.balance[0, :, j] - c.balance[0, :, j - 1])
    measures[f"balance_{end_year}"] = (d.balance[:, :, end], c.balance[0, :, end])
    measures[f"balance_{end_year}_no_grant"] = (dn.balance[:, :, end], cn.balance[0, :, end])

    def rows(keep) -> dict:
        """Every measure summed over the LAs ``keep`` picks (draw by draw: its mask has the
        draws' shape, ``None`` keeps every LA one by one)."""
        out = {}
        for name, (draws, centre) in measures.items():
            if keep is None:
                values = spans(draws, centre)
            else:
                values = spans(np.where(keep(d.balance[:, :, end]), draws, 0).sum(axis=1),
                               np.where(keep(c.balance[0, :, end]), centre, 0).sum())
            out.update({name + suffix: v for suffix, v in values.items()})
        return out

    names = lookup.drop_duplicates("old_la_code", keep="last").set_index("old_la_code")["la_name"]
    las = pd.DataFrame({"area_code": codes, "area_name": pd.Series(codes).map(names).to_numpy(),
                        "level": LA_LEVEL, "part": "the LA", "start_basis": basis, **rows(None),
                        "dsg_income": income})
    frames = [las]
    # an LA without a balance (NaN) is kept in every part, so England's sums are missing rather
    # than quietly short of it
    for part, keep in (("net", lambda b: np.ones_like(b, dtype=bool)),
                       (f"LAs in deficit at 31 March {a.to_year}", lambda b: ~(b >= 0)),
                       (f"LAs in surplus at 31 March {a.to_year}", lambda b: ~(b < 0))):
        share = np.where(keep(c.balance[0, :, end]), income, 0)
        frames.append(pd.DataFrame({"area_code": [ENGLAND["area_code"]], "area_name": ENGLAND["area_name"],
                                    "level": NATIONAL, "part": part, "start_basis": "sum of the LAs",
                                    **{k: [v] for k, v in rows(keep).items()},
                                    "dsg_income": [np.nansum(share)]}))
    out = pd.concat(frames, ignore_index=True)
    out.insert(out.columns.get_loc("grant_upper") + 1, "left_after_grant",
               out[f"deficit_{w_year}"] + out["grant"])
    b = f"balance_{end_year}"
    pct = {b: f"{b}_pct_of_dsg", f"{b}_lower": f"{b}_pct_lower", f"{b}_upper": f"{b}_pct_upper",
           f"{b}_no_grant": f"{b}_no_grant_pct_of_dsg"}
    for column, label in pct.items():
        out[label] = out[column] / out["dsg_income"] * 100
    return out


def gap_ahead(parts: dict, a: Assumptions) -> pd.DataFrame:
    """England's in-year high needs gap (modelled cost less the high needs allocation, summed
    over LAs, draw by draw) from the year SEN is funded centrally: what central funding must
    cover beyond the allocation. Cost and allocation only: what else moved balances is not
    high needs spending."""
    years = parts["years"]
    rows = []
    for j, year in enumerate(years):
        if year < a.settlement["central_funding_from"]:
            continue
        x = parts["inputs"]
        centre = float(np.sum(x.cost[:, j] - x.allocation[:, j]))   # an LA's missing cost: missing
        draws = parts["draws"].gap[:, j]
        lo, hi = simulate.quantiles(draws)
        rows.append({"year": year, "value": centre, "lower": float(lo), "upper": float(hi)})
    return pd.DataFrame(rows)


def uncertainty_table(model: _Model, rho: float, a: Assumptions) -> pd.DataFrame:
    """What the 80% interval carries, how each source is drawn and how large it is."""
    u = a.uncertainty
    return pd.DataFrame([
        {"source": "demand (EHC plans)", "how": "each LA's plans drawn from the spread of the demand "
         "forecast's 80% interval, one draw carried through every year; LAs correlated so that their "
         "sum is as uncertain as England's own forecast", "size": f"correlation {rho:.2f} between LAs"},
        {"source": "what else moves a balance", "how": "each LA's yearly amount drawn around its mean, "
         "apart for each LA and year, with the spread seen across LAs and years up to the origin",
         "size": f"{model.other_spread * 100:.1f}% of DSG income a year (standard deviation)"},
        {"source": "cost growth", "how": "cost inflation errs the same for every LA, each year's error "
         "carried on", "size": f"{u['cost_inflation_sd'] * 100:.1f} percentage points a year "
                               "(standard deviation, an assumption)"},
        {"source": "allocations", "how": "in years whose national total is not announced, the same "
         "share for every LA", "size": f"{u['allocation_sd'] * 100:.1f}% (standard deviation, an "
                                       "assumption)"},
        {"source": "not in the interval", "how": "the scenario itself (shown side by side), which LAs "
         "DfE's approval of a reform plan leaves without the grant, safety valve payments, policy "
         "changes", "size": "none"},
    ])


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
