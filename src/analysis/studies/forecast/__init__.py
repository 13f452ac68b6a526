"""Demand forecast: EHC plans for every LA, stable area, region and England, with its accuracy.

:func:`build` runs every method (:mod:`.methods`) at every backtest origin on the data up to it
(:mod:`.backtest`), scores the forecasts against what was later published, picks the default
method by the assumptions' rule, turns the errors known at each origin into empirical intervals,
and forecasts from the latest January held to ``horizon`` years ahead, with the age profile and
the placement mix (:mod:`.mix`), the one-year jumps that look like reporting changes
(:mod:`.jumps`) and the national projections others published (:mod:`.published`). Every
assumption is in ``assumptions.yaml`` (:mod:`.assumptions`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from analysis.series.store import SeriesStore
from analysis.studies.forecast import backtest, mix
from analysis.studies.forecast.assumptions import Assumptions, load
from analysis.studies.forecast.jumps import flag_jumps
from analysis.studies.forecast.panel import STABLE_AREA, Panel, build_panel, combined_units
from analysis.tables.breaks import SEN2_PERSON_LEVEL
from analysis.vocabulary import AGE_BANDS, LA_LEVEL, NATIONAL

OUTPUT_COLUMNS = ["area_code", "area_name", "level", "origin", "year", "method", "value", "lower_80",
                  "upper_80", "lower_95", "upper_95", "is_default", "basis"]


@dataclass(frozen=True, eq=False)
class Forecast:
    """Everything the forecast publishes (see :func:`build`)."""

    assumptions: Assumptions
    panel: Panel
    origin: int               # the latest January held: the published forecast's origin
    default: str              # the default method
    ranking: pd.DataFrame     # methods by the default rule (LAs, cases every method forecast)
    scored: pd.DataFrame      # every backtest forecast with its outcome, errors and intervals
    scores: pd.DataFrame      # by method, horizon and group
    table: pd.DataFrame       # forecast_ehcp.csv
    ages: pd.DataFrame        # forecast_ehcp_age.csv
    placements: pd.DataFrame  # forecast_placements.csv
    mix_scores: pd.DataFrame  # the placement-mix backtest
    mix_method: str
    jumps: pd.DataFrame       # forecast_jumps.csv
    successor_scores: pd.DataFrame   # successor LAs' share forecasts backtested (forecast_successors.csv)

    def screened_totals(self) -> pd.DataFrame:
        """The totals the models used in place of flagged returns (area_code, year, value)."""
        return _screened_rows(self.panel)


def _screened_rows(panel: Panel) -> pd.DataFrame:
    """The panel's totals that the data-quality screen replaced: area_code, year, value (the
    stand-in the models used, where the table shows the figure as published)."""
    if panel.published is None:
        return pd.DataFrame(columns=["area_code", "year", "value"])
    rows, cols = np.nonzero(np.isfinite(panel.totals) & np.isfinite(panel.published)
                            & (panel.totals != panel.published))
    return pd.DataFrame({"area_code": [panel.gss(r) for r in rows], "year": panel.years[cols],
                         "value": panel.totals[rows, cols]})


def successor_backtest(panel: Panel, scored: pd.DataFrame, method: str) -> pd.DataFrame:
    """The share method for successor LAs, backtested: from every origin where a successor LA
    and its stable area are both published, its share of the area that January times the
    area's ``method`` forecast (as made then), against the successor's own later count. One
    row per LA, origin and horizon: ``forecast``, ``actual``, ``pct_error``, ``ape``."""
    own = panel.successors.pivot_table(index="code", columns="year", values="value", aggfunc="first")
    units = panel.successors.drop_duplicates("code").set_index("code")["unit"]
    mine = scored[scored["method"].eq(method)].set_index(["row", "origin", "horizon"])["forecast"]
    rows = []
    for code, series in own.iterrows():
        i = panel.codes.index(units[code])
        for origin in series.dropna().index:
            area = panel.totals[i, panel.column(origin)] if origin in panel.years else np.nan
            for h in range(1, panel.years.max() - origin + 1):
                key = (i, origin, h)
                if key not in mine.index or pd.isna(series.get(origin + h)) or not area > 0:
                    continue
                rows.append({"area_code": code, "origin": int(origin), "horizon": h,
                             "forecast": series[origin] / area * mine[key],
                             "actual": series[origin + h]})
    out = pd.DataFrame(rows, columns=["area_code", "origin", "horizon", "forecast", "actual"])
    out["pct_error"] = (out["forecast"] / out["actual"] - 1) * 100
    return out.assign(ape=out["pct_error"].abs())


def _groups(panel: Panel) -> dict[str, pd.Series]:
    """Scoring groups per panel row: every LA, LA type, region, the regions and England, England."""
    rows = pd.RangeIndex(len(panel.codes))
    levels = pd.Series(panel.levels, index=rows)
    la = levels.eq(LA_LEVEL)
    return {"all LAs": pd.Series("all LAs", index=rows).where(la),
            "LA type": pd.Series(panel.la_types, index=rows).where(la),
            "region": pd.Series(panel.regions, index=rows).where(la),
            "regions and England": pd.Series("regions and England", index=rows).where(~la),
            "England": pd.Series("England", index=rows).where(levels.eq(NATIONAL))}


def _with_intervals(forecasts: pd.DataFrame, scored: pd.DataFrame, panel: Panel,
                    a: Assumptions) -> pd.DataFrame:
    """Intervals for every backtest forecast from the scored errors known at its origin, by
    method and area class (LAs apart from the regions and England)."""
    classes = pd.Series(np.where(np.array(panel.levels) == LA_LEVEL, "LA", "aggregate"))
    forecasts = forecasts.assign(area_class=forecasts["row"].map(classes))
    scored = scored.assign(area_class=scored["row"].map(classes))
    parts = []
    for (method, cls), rows in forecasts.groupby(["method", "area_class"], sort=True):
        errors = scored[scored["method"].eq(method) & scored["area_class"].eq(cls)]
        parts.append(backtest.add_intervals(rows, errors, a, cls))
    return pd.concat(parts, ignore_index=True)


def _successor_rows(panel: Panel, a: Assumptions, origin: int) -> pd.DataFrame:
    """Per successor LA: whether its own series is long enough at ``origin`` (basis) and, if not,
    its share of its stable area in the latest January both are published."""
    own = panel.successors[panel.successors["year"] <= origin].dropna(subset=["value"])
    rows = []
    for code, series in own.groupby("code", sort=True):
        unit = series["unit"].iloc[0]
        i = panel.codes.index(unit)
        years = sorted(series["year"])
        if len(years) >= a.successor_min_years:
            rows.append({"code": code, "name": series["name"].iloc[0], "unit": unit, "own": True,
                         "share": np.nan, "share_year": np.nan,
                         "basis": f"own series (January {years[0]} to {years[-1]})"})
            continue
        both = series.assign(unit_value=[panel.totals[i, panel.column(y)] for y in series["year"]])
        latest = both.dropna(subset=["unit_value"]).iloc[-1]
        share = latest["value"] / latest["unit_value"]
        rows.append({"code": code, "name": series["name"].iloc[0], "unit": unit, "own": False,
                     "share": share, "share_year": int(latest["year"]),
                     "basis": f"{share * 100:.1f}% of {panel.names[i]} (its share in January "
                              f"{int(latest['year'])}; own series too short)"})
    return pd.DataFrame(rows)


def _own_arrays(panel: Panel, codes: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Totals (and NaN ages) of successor LAs' own series, aligned to the panel's years."""
    own = panel.successors.pivot_table(index="code", columns="year", values="value", aggfunc="first")
    totals = own.reindex(index=codes, columns=panel.years).to_numpy(dtype=float)
    return totals, np.full((len(codes), len(panel.bands), len(panel.years)), np.nan)


def build(series: SeriesStore | None = None, assumptions: Assumptions | None = None,
          origin: int | None = None) -> Forecast:
    """The whole forecast from the current table store (see the module docstring), as it would
    have been made in January ``origin`` (default: the latest held): no later year is used, by
    the backtests, the intervals or the forecast."""
    a = assumptions or load()
    series = series or SeriesStore()
    panel = build_panel(series, AGE_BANDS, a.placements["groups"])
    if origin is not None:
        if not a.fit_from + 2 <= origin <= panel.years.max():
            raise ValueError(f"origin {origin} must be from {a.fit_from + 2} to {int(panel.years.max())}")
        panel = panel.until(origin)
    origin = int(panel.years.max())
    first, last = a.backtest_origins
    origins = list(range(first, min(last, origin - 1) + 1))
    groups = backtest.groups_of(panel.levels, panel.regions)
    parents = backtest.parents_of(panel.codes, panel.levels, panel.regions)
    forecasts = backtest.rolling(panel.totals, panel.ages, panel.years, groups, a, origins, parents)
    errors = backtest.with_errors(forecasts, backtest.mase_scales(panel.totals, panel.years,
                                                                  a.fit_from, origins))
    forecasts = _with_intervals(forecasts, errors, panel, a)
    scored = forecasts.merge(errors[["row", "origin", "method", "horizon", "log_error", "pct_error",
                                     "ape", "scaled"]], on=["row", "origin", "method", "horizon"])
    group_labels = _groups(panel)
    table = backtest.scores(scored, group_labels)
    common = backtest.common_cases(scored[scored["row"].isin(panel.la_rows)], a.methods)
    table = pd.concat([table, backtest.scores(common, {"common": group_labels["all LAs"]})],
                      ignore_index=True)
    default, ranking = backtest.choose_default(table, a.baselines, a.default_bar["reference"],
                                               a.default_bar["margin_1_year"])
    published = _published(panel, a, origin, groups, parents, scored)
    mix_history = mix.shares(panel.placements, panel.placement_total, a.placements["other"])
    mix_scores = mix.backtest_mix(mix_history, panel.years, origins, a.horizon,
                                  a.placements["trend_window"], a.placements["trend_damping"])
    mix_method = str(mix_scores.groupby("method")["mae_pp"].mean().idxmin())
    frames = _tables(panel, a, origin, forecasts, published, default, mix_history, mix_method)
    jumps = flag_jumps(panel.totals, panel.years, **a.jumps)
    jumps = jumps.assign(area_code=[panel.gss(r) for r in jumps["row"]],
                         area_name=[panel.names[r] for r in jumps["row"]],
                         level=[panel.levels[r] for r in jumps["row"]],
                         note=np.where(jumps["year"].eq(SEN2_PERSON_LEVEL.year),
                                       "the year SEN2 became person-level", ""))
    return Forecast(assumptions=a, panel=panel, origin=origin, default=default, ranking=ranking,
                    scored=scored, scores=table, table=frames["table"], ages=frames["ages"],
                    placements=frames["placements"], mix_scores=mix_scores, mix_method=mix_method,
                    successor_scores=successor_backtest(panel, scored, default),
                    jumps=jumps.drop(columns="row")[["area_code", "area_name", "level", "year",
                                                     "change_pct", "typical_pct", "note"]])


def _published(panel: Panel, a: Assumptions, origin: int, groups: np.ndarray, parents: np.ndarray,
               scored: pd.DataFrame) -> dict:
    """Forecasts from the latest January held for the panel's areas and the successor LAs with
    long enough own series, with intervals from every backtest error known then: per method,
    arrays (areas x horizon) of ``value`` and ``lower_80`` ... ``upper_95``."""
    successors = _successor_rows(panel, a, origin)
    own_codes = list(successors.loc[successors["own"], "code"]) if len(successors) else []
    own_totals, own_ages = _own_arrays(panel, own_codes)
    unit_groups = [panel.regions[panel.codes.index(_unit_of(panel, c))] for c in own_codes]
    totals = np.vstack([panel.totals, own_totals])
    ages = np.concatenate([panel.ages, own_ages], axis=0)
    all_groups = np.concatenate([groups, np.array(unit_groups, dtype=object)]).astype(str)
    all_parents = np.concatenate([parents, np.full(len(own_codes), -1)])   # own series: apart
    logs = backtest.forecast_at(totals, ages, panel.years, all_groups, origin, a, parents=all_parents)
    classes = np.array(["LA" if lv == LA_LEVEL else "aggregate" for lv in panel.levels]
                       + ["LA"] * len(own_codes))
    out = {}
    for method, F in logs.items():
        value = np.exp(F)
        arrays = {"value": value}
        for lv in backtest.QUANTILES:
            arrays[f"lower_{lv}"] = np.full_like(value, np.nan)
            arrays[f"upper_{lv}"] = np.full_like(value, np.nan)
        for cls in ("LA", "aggregate"):
            errors = scored[scored["method"].eq(method) & scored["area_class"].eq(cls)]
            mask = classes == cls
            _fill_bounds(arrays, mask, value[mask], backtest.quantiles_for(errors, origin, a.horizon, a, cls),
                         cls)
        out[method] = arrays
    return {"methods": out, "successors": successors, "own_codes": own_codes,
            "at_origin": _at_origin(totals, ages, panel, all_groups, all_parents, classes, origin, a,
                                    scored)}


def _fill_bounds(arrays: dict, mask: np.ndarray, value: np.ndarray, q: dict, cls: str,
                 squeeze: bool = False) -> None:
    """Set ``lower_L``/``upper_L`` of ``arrays`` at ``mask`` from forecasts ``value`` (areas x
    horizon) and the interval bounds ``q`` of their class (an LA's never narrower than its
    count allows); ``squeeze`` for arrays of one horizon kept flat."""
    steps = range(1, value.shape[1] + 1)
    for lv in backtest.QUANTILES:
        lo = value * np.exp(np.array([q[h][lv][0] for h in steps]))
        hi = value * np.exp(np.array([q[h][lv][1] for h in steps]))
        if cls == "LA":
            lo, hi = backtest.count_floor(value, lo, hi, lv)
        if squeeze:
            lo, hi = lo[:, 0], hi[:, 0]
        arrays[f"lower_{lv}"][mask], arrays[f"upper_{lv}"][mask] = lo, hi


def _at_origin(totals, ages, panel: Panel, groups, parents, classes, origin: int, a: Assumptions,
               scored: pd.DataFrame) -> dict:
    """For the areas whose count at the origin is not published (suppressed) but was the year
    before: each method's one-year forecast of the origin's January from that year, with its
    one-year intervals, so what uses the path (the finance study) has an estimate for it,
    labelled as a forecast. Per method: ``rows`` (positions) and arrays by column."""
    at = np.searchsorted(panel.years, origin)
    rows = np.flatnonzero(np.isnan(totals[:, at]) & ~np.isnan(totals[:, at - 1]))
    if not len(rows):
        return {}
    logs = backtest.forecast_at(totals, ages, panel.years, groups, origin - 1, replace(a, horizon=1),
                                parents=parents)
    out = {}
    for method, F in logs.items():
        value = np.exp(F[rows, 0])
        cols = {"value": value, **{c: np.full_like(value, np.nan) for c in INTERVALS}}
        for cls in ("LA", "aggregate"):
            errors = scored[scored["method"].eq(method) & scored["area_class"].eq(cls)]
            mask = classes[rows] == cls
            _fill_bounds(cols, mask, value[mask, None], backtest.quantiles_for(errors, origin - 1, 1, a, cls),
                         cls, squeeze=True)
        out[method] = {"rows": rows, **cols}
    return out


def _unit_of(panel: Panel, code: str) -> str:
    return panel.successors.loc[panel.successors["code"].eq(code), "unit"].iloc[0]


INTERVALS = ["lower_80", "upper_80", "lower_95", "upper_95"]


def _labels(panel: Panel) -> pd.DataFrame:
    """Output labels of the panel's areas, by row."""
    combined = combined_units()
    return pd.DataFrame({
        "area_code": [panel.gss(i) for i in range(len(panel.codes))], "area_name": panel.names,
        "level": [STABLE_AREA if c in combined else lv for c, lv in zip(panel.codes, panel.levels)],
        "basis": ["the successor LAs combined" if c in combined else "own series" for c in panel.codes]})


def _held(values: np.ndarray, years: np.ndarray, labels: pd.DataFrame, origin: int) -> pd.DataFrame:
    """Long rows of the values held up to ``origin`` (rows x years), labelled, method "actual"."""
    rows, cols = np.nonzero(~np.isnan(values) & (years <= origin)[None, :])
    return labels.iloc[rows].reset_index(drop=True).assign(
        origin=origin, year=years[cols], method="actual", value=values[rows, cols])


def _ahead(arrays: dict, origin: int, labels: pd.DataFrame, method: str) -> pd.DataFrame:
    """Long rows of forecasts (each array rows x horizon) for 1..H years after ``origin``."""
    n, horizon = arrays["value"].shape
    out = labels.iloc[np.repeat(np.arange(n), horizon)].reset_index(drop=True)
    out = out.assign(origin=origin, year=origin + np.tile(np.arange(1, horizon + 1), n), method=method)
    for column, values in arrays.items():
        out[column] = values.ravel()
    return out


def _current_arrays(panel: Panel, published: dict, method: str) -> tuple[dict, pd.DataFrame]:
    """A method's published arrays for the panel's areas then the successor LAs (own series or
    their share of the stable area), with the successors' labels."""
    arrays = published["methods"][method]
    n = len(panel.codes)
    rows, labels = [], []
    for s in published["successors"].itertuples():
        if s.own:
            rows.append(("own", n + published["own_codes"].index(s.code), 1.0))
        else:
            rows.append(("share", panel.codes.index(s.unit), s.share))
        labels.append({"area_code": s.code, "area_name": s.name, "level": LA_LEVEL, "basis": s.basis})
    extra = {k: np.array([v[i] * scale for _, i, scale in rows]).reshape(len(rows), v.shape[1])
             for k, v in arrays.items()}
    combined = {k: np.vstack([v[:n], extra[k]]) for k, v in arrays.items()}
    return combined, pd.DataFrame(labels, columns=["area_code", "area_name", "level", "basis"])


def _tables(panel: Panel, a: Assumptions, origin: int, backtests: pd.DataFrame, published: dict,
            default: str, mix_history: dict, mix_method: str) -> dict[str, pd.DataFrame]:
    labels = _labels(panel)
    shown = panel.totals if panel.published is None else panel.published   # as published
    parts = [_held(shown, panel.years, labels, o) for o in sorted(backtests["origin"].unique())]
    parts.append(labels.iloc[backtests["row"]].reset_index(drop=True).assign(
        **{c: backtests[c].to_numpy() for c in ["origin", "year", "method", *INTERVALS]},
        value=backtests["forecast"].to_numpy()))
    parts.append(_held(shown, panel.years, labels, origin))
    successors = published["successors"]
    all_labels = pd.concat([labels, _current_arrays(panel, published, default)[1]], ignore_index=True)
    for method in published["methods"]:
        arrays, extra = _current_arrays(panel, published, method)
        parts.append(_ahead(arrays, origin, pd.concat([labels, extra], ignore_index=True), method))
    for method, at in published["at_origin"].items():   # a suppressed origin January, forecast
        known = at["rows"] < len(all_labels)
        parts.append(all_labels.iloc[at["rows"][known]].reset_index(drop=True).assign(
            origin=origin, year=origin, method=method,
            **{c: at[c][known] for c in ["value", *INTERVALS]},
            basis=f"no January {origin} figure (an LA's count suppressed): forecast from January "
                  f"{origin - 1}"))
    for s in successors.itertuples():
        own = panel.successors[panel.successors["code"].eq(s.code) & panel.successors["year"].le(origin)]
        parts.append(pd.DataFrame({"area_code": s.code, "area_name": s.name, "level": LA_LEVEL,
                                   "basis": s.basis, "origin": origin, "year": own["year"].to_numpy(),
                                   "method": "actual", "value": own["value"].to_numpy()}))
    table = pd.concat(parts, ignore_index=True)
    table["is_default"] = table["method"].eq(default)
    table = table[OUTPUT_COLUMNS].sort_values(["level", "area_code", "origin", "method", "year"],
                                              kind="stable").reset_index(drop=True)
    default_arrays, extra = _current_arrays(panel, published, default)
    unit_rows = list(range(len(panel.codes))) + [panel.codes.index(s.unit) for s in successors.itertuples()]
    return {"table": table,
            "ages": _ages_table(panel, a, origin, default_arrays, all_labels, unit_rows),
            "placements": _placements_table(panel, a, origin, default_arrays, all_labels, unit_rows,
                                            mix_history, mix_method)}


def last_split_year(values: np.ndarray, years: np.ndarray, origin: int) -> int:
    """The latest January up to ``origin`` with a breakdown (age bands or placements) held for
    some area: the totals may run a year further (January 2026: totals only), and the shares
    are projected from the last breakdown published."""
    held = [int(y) for j, y in enumerate(years) if y <= origin and np.isfinite(values[..., j]).any()]
    return max(held)


def _ages_table(panel: Panel, a: Assumptions, origin: int, default: dict, labels: pd.DataFrame,
                unit_rows: list[int]) -> pd.DataFrame:
    """Plans by age band: as held to the origin, then the default total forecast split by the
    cohort method's projected shares (the 80% interval split alike). A successor LA takes its
    stable area's shares."""
    last = last_split_year(panel.ages, panel.years, origin)
    keep, lag = panel.years <= last, origin - last
    shares = mix.band_shares(panel.ages[..., keep], a.cohort["widths"], a.cohort["window"],
                             a.horizon + lag)[unit_rows][..., lag:]   # areas x bands x horizon
    n, horizon = default["value"].shape
    parts = []
    base = labels.drop(columns="basis")
    for b, band in enumerate(panel.bands):
        held = _held(panel.ages[:, b, :], panel.years, base.iloc[:len(panel.codes)], origin)
        parts.append(held.drop(columns="method").assign(age_group=band, kind="actual"))
        projected = {k: default[k] * shares[:, b, :] for k in ("value", "lower_80", "upper_80")}
        ahead = _ahead(projected, origin, base, "projected").drop(columns="method")
        parts.append(ahead.assign(age_group=band, kind="projected"))
    out = pd.concat(parts, ignore_index=True)
    return out[["area_code", "area_name", "level", "origin", "year", "age_group", "kind", "value",
                "lower_80", "upper_80"]]


def _placements_table(panel: Panel, a: Assumptions, origin: int, default: dict, labels: pd.DataFrame,
                      unit_rows: list[int], history: dict, method: str) -> pd.DataFrame:
    """Placement shares and plans: as held to the origin, then the shares projected by the
    chosen mix method times the default total forecast (a successor LA takes its area's)."""
    last = last_split_year(panel.placement_total, panel.years, origin)
    keep, lag = panel.years <= last, origin - last
    cut = {g: v[:, keep] for g, v in history.items()}
    projected = mix.project_shares(cut, a.horizon + lag, method, a.placements["trend_window"],
                                   a.placements["trend_damping"])
    projected = {g: v[:, lag:] for g, v in projected.items()}
    base = labels.drop(columns="basis")
    parts = []
    for group in history:
        held = _held(cut[group] * 100, panel.years[keep], base.iloc[:len(panel.codes)], origin)
        parts.append(held.drop(columns="method").rename(columns={"value": "share_pct"})
                     .assign(placement=group, kind="actual", value=np.nan))
        share = projected[group][unit_rows]
        ahead = _ahead({"share_pct": share * 100, "value": default["value"] * share}, origin, base,
                       "projected").drop(columns="method")
        parts.append(ahead.assign(placement=group, kind="projected"))
    out = pd.concat(parts, ignore_index=True)
    return out[["area_code", "area_name", "level", "origin", "year", "placement", "kind", "share_pct",
                "value"]]
