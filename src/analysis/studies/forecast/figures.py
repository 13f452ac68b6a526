"""The forecast's charts: each function returns ``(name, fig, data)`` with the data plotted."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.report import plotting, words
from analysis.studies.forecast.reading import METHOD_NAMES, thousands
from analysis.tables import breaks

NO_INTERVAL = ("a published January has no interval: the intervals belong to the forecasts (the "
               "neighbours' and England's lines in an LA's chart have none).")
"""Why the data behind a forecast chart have n/a."""


def _fan(ax, rows: pd.DataFrame, colour: str, label: str) -> None:
    ax.fill_between(rows["year"], rows["lower_95"], rows["upper_95"], color=colour, alpha=0.12, lw=0)
    ax.fill_between(rows["year"], rows["lower_80"], rows["upper_80"], color=colour, alpha=0.25, lw=0,
                    label=f"{label}: 80% and 95% intervals")


def england_fan(f, published: pd.DataFrame, source: str):
    """England: plans held and the default forecast with its intervals, the other methods as
    thin lines, and the published national projections within the horizon as points."""
    t = f.table
    england = t[t["level"].eq("National") & t["origin"].eq(f.origin)]
    held = england[england["method"].eq("actual") & england["year"].ge(f.assumptions.fit_from)]
    default = england[england["method"].eq(f.default)]
    end = default.iloc[-1]
    fig, ax = plotting.chart(
        f"On the default method, EHC plans in England reach about {thousands(end['value'])} by January "
        f"{int(end['year'])} (80% interval {thousands(end['lower_80'])} to {thousands(end['upper_80'])})",
        f"EHC plans and statements in January, thousands; forecast from January {f.origin}")
    start = held[held["year"].eq(f.origin)].assign(**{c: held["value"].iloc[-1] for c in (
        "lower_80", "upper_80", "lower_95", "upper_95")})   # the forecast starts from the last January
    line = pd.concat([start, default], ignore_index=True)
    scaled = line.assign(**{c: line[c] / 1000 for c in ("value", "lower_80", "upper_80", "lower_95",
                                                        "upper_95")})
    _fan(ax, scaled, plotting.ROLE_COLOURS["LA"], METHOD_NAMES[f.default])
    ax.plot(held["year"], held["value"] / 1000, color=plotting.ROLE_COLOURS["England"], marker="o", lw=2,
            label="published")
    ax.plot(scaled["year"], scaled["value"], color=plotting.ROLE_COLOURS["LA"], lw=2, marker="o",
            label=f"default: {METHOD_NAMES[f.default]}")
    for i, (method, rows) in enumerate(england[~england["method"].isin(["actual", f.default])]
                                       .groupby("method", sort=True)):
        ax.plot(rows["year"], rows["value"] / 1000, lw=1, ls=":", color=plotting.PALETTE[2 + i],
                label=METHOD_NAMES[method])
    within = published[published["year"].le(int(end["year"]))]
    for row in within.itertuples():
        ax.plot(row.year, row.value / 1000, marker="D", ms=7, color="#d4351c", ls="none",
                label=f"published: {row.source.split(',')[0]} ({row.kind})")
    ax.set_ylabel("thousands")
    ax.set_ylim(bottom=0)
    ax.legend(fontsize=7.5, loc="upper left")
    plotting.mark_break(ax, breaks.SEN2_PERSON_LEVEL.year)
    plotting.finish(fig, f"{source}; forecasts: this project", breaks.SEN2_PERSON_LEVEL.note
                    + " Intervals: the spread of past "
                    "forecast errors at each horizon (see the backtest).")
    data = pd.concat([held, england[~england["method"].eq("actual")]], ignore_index=True)
    return "forecast_england", fig, words.explained(in_words(data), NO_INTERVAL)


def scoreboard(f, source: str):
    """Accuracy by horizon: MASE of each method over every LA and backtest origin."""
    rows = f.scores[f.scores["group_kind"].eq("common")]
    best = rows.loc[rows.groupby("horizon")["mase"].idxmin(), "method"]
    where = ("at every horizon" if best.eq(f.default).all() else
             f"averaged over horizons 1 to {f.assumptions.horizon}")
    fig, (left, right) = plotting.chart(
        f"Backtests {f.assumptions.backtest_origins[0]}-{f.origin - 1}: {METHOD_NAMES[f.default]} "
        f"had the smallest errors {where}", "", size=(11, 4.2), ncols=2)
    for i, (method, m) in enumerate(rows.groupby("method", sort=True)):
        style = dict(lw=2.5 if method == f.default else 1.2, marker="o", ms=3, color=plotting.PALETTE[i])
        left.plot(m["horizon"], m["mase"], label=METHOD_NAMES[method], **style)
        right.plot(m["horizon"], m["coverage_80"], **style)
    left.set_title("Mean absolute scaled error (1 = the average one-year change)", fontsize=9.5, loc="left")
    right.set_title("Outcomes inside the 80% interval (%)", fontsize=9.5, loc="left")
    right.axhline(80, color="#505a5f", ls="--", lw=1)
    for ax in (left, right):
        ax.set_xlabel("years ahead")
        ax.set_xticks(range(1, f.assumptions.horizon + 1))
    left.legend(fontsize=8)
    plotting.finish(fig, f"{source}; forecasts: this project",
                    "Every LA (stable areas), the forecasts every method made.")
    return "forecast_scoreboard", fig, in_words(rows)


def in_words(frame: pd.DataFrame) -> pd.DataFrame:
    """A chart's data with its methods in words ("actual": "published"), as the chart's table and
    CSV show them."""
    if "method" not in frame.columns:
        return frame
    names = {**METHOD_NAMES, "actual": "published"}
    return frame.assign(method=frame["method"].map(lambda m: names.get(m, m)))


def fastest_growth(f, source: str, top: int = 15):
    """The LAs with the fastest projected growth to the last year, with their 80% intervals."""
    t = f.table
    la = t[t["level"].eq("Local authority") & t["origin"].eq(f.origin)]
    last = la[la["method"].eq("actual") & la["year"].eq(f.origin)].set_index("area_code")["value"]
    end = la[la["is_default"] & la["year"].eq(f.origin + f.assumptions.horizon)].set_index("area_code")
    end = end.assign(start=last, growth_pct=(end["value"] / last - 1) * 100,
                     low_pct=(end["lower_80"] / last - 1) * 100,
                     high_pct=(end["upper_80"] / last - 1) * 100).dropna(subset=["growth_pct"])
    chosen = end.nlargest(top, "growth_pct").iloc[::-1].reset_index()
    fig, ax = plotting.chart(
        f"{chosen.iloc[-1]['area_name']} has the fastest projected growth in EHC plans, "
        f"{chosen.iloc[-1]['growth_pct']:.0f}% from January {f.origin} to {f.origin + f.assumptions.horizon}",
        f"% change in EHC plans, January {f.origin} to {f.origin + f.assumptions.horizon}, default method, "
        "with 80% intervals", size=(8, 5.5))
    y = np.arange(len(chosen))
    ax.barh(y, chosen["growth_pct"], color=plotting.PALETTE[0])
    ax.errorbar(chosen["growth_pct"], y, xerr=[chosen["growth_pct"] - chosen["low_pct"],
                                               chosen["high_pct"] - chosen["growth_pct"]],
                fmt="none", ecolor="#0b0c0c", lw=1)
    ax.set_yticks(y, chosen["area_name"])
    ax.grid(axis="x")
    ax.set_xlabel("% change")
    plotting.finish(fig, f"{source}; forecasts: this project")
    return "forecast_fastest_growth", fig, chosen


def local_view(f, code: str, neighbours: list[str], source: str):
    """One LA's plans held and forecast (index, latest January = 100) against its statistical
    neighbours combined and England."""
    t = f.table[f.table["origin"].eq(f.origin)]
    parts = []
    for role, codes in (("LA", [code]), ("Comparators", neighbours), ("England", ["E92000001"])):
        rows = t[t["area_code"].isin(codes) & t["method"].isin(["actual", f.default])
                 & t["year"].ge(f.assumptions.fit_from)]
        summed = rows.groupby("year")[["value", "lower_80", "upper_80"]].sum(min_count=1)
        summed["n"] = rows.groupby("year")["area_code"].nunique()
        summed = summed[summed["n"].eq(len(codes))]
        if role != "LA":   # an interval does not add up across areas: the LA's alone is shown
            summed[["lower_80", "upper_80"]] = np.nan
        base = summed.loc[f.origin, "value"]
        parts.append(summed.assign(role=role, index=summed["value"] / base * 100,
                                   index_low=summed["lower_80"] / base * 100,
                                   index_high=summed["upper_80"] / base * 100).reset_index())
    data = pd.concat(parts, ignore_index=True)
    name = t.loc[t["area_code"].eq(code), "area_name"].iloc[0]
    end = data[data["role"].eq("LA") & data["year"].eq(data["year"].max())].iloc[0]
    fig, ax = plotting.chart(
        f"EHC plans in {name} are projected to be {end['index']:.0f}% of their January {f.origin} "
        f"level by January {int(end['year'])}", f"EHC plans, index January {f.origin} = 100; "
        "the LA's 80% interval shaded; neighbours combined")
    for role, rows in data.groupby("role", sort=False):
        colour = plotting.ROLE_COLOURS[role]
        ax.plot(rows["year"], rows["index"], color=colour, marker="o", ms=3, lw=2,
                label={"LA": name, "Comparators": "statistical neighbours"}.get(role, role))
        if role == "LA":
            ax.fill_between(rows["year"], rows["index_low"], rows["index_high"], color=colour,
                            alpha=0.2, lw=0)
    ax.axvline(f.origin + 0.5, color="#505a5f", lw=0.8)
    ax.legend(fontsize=8.5)
    plotting.finish(fig, f"{source}; forecasts: this project",
                    "Neighbours: DfE statistical neighbours, their default forecasts summed.")
    return f"forecast_la{code}", fig, words.explained(data, NO_INTERVAL)
