"""The survey report's charts. Each function takes a table from :mod:`.summaries`,
:mod:`.estimators` or :mod:`.projection` and returns ``(name, figure, data)`` for
:func:`analysis.report.plotting.save_figure`. Built from synthetic returns, names end in ``_SYNTHETIC``
and titles start with "SYNTHETIC DATA".
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.report import plotting

SOURCE = "LA high needs survey returns"
SYNTHETIC_SOURCE = "SYNTHETIC survey returns (analysis.studies.survey.synthetic), not real responses"


def output_name(key: str, synthetic: bool) -> str:
    """File name of a survey output: ``survey_<key>``, plus ``_SYNTHETIC`` for synthetic data."""
    return f"survey_{key}" + ("_SYNTHETIC" if synthetic else "")


def _title(text: str, synthetic: bool) -> str:
    return ("SYNTHETIC DATA. " if synthetic else "") + text


def _source(synthetic: bool, respondents: int) -> str:
    return f"{SYNTHETIC_SOURCE if synthetic else SOURCE} ({respondents} respondents)"


def inputs_by_source(table: pd.DataFrame, synthetic: bool):
    """Stacked bars: respondents' top-ups of the high needs block by source and year, £m."""
    wide = table.pivot(index="year", columns="source", values="total_gbp_m")[table["source"].unique()]
    totals = wide.sum(axis=1)
    peak = totals.idxmax()
    fig, ax = plotting.chart(
        _title(f"Top-ups of the high needs block peaked in {peak} at £{totals[peak]:,.0f}m", synthetic),
        "Inputs into the high needs budget from other sources, respondents' totals, £ million")
    bottom = np.zeros(len(wide))
    for i, (colour, source) in enumerate(zip(plotting.PALETTE, wide.columns, strict=False)):
        ax.bar(wide.index, wide[source], bottom=bottom, label=source, **plotting.bar_style(i, colour))
        bottom += wide[source].to_numpy()
    for x, total in zip(wide.index, totals, strict=True):
        ax.annotate(f"{total:,.0f}", (x, total), ha="center", va="bottom", fontsize=9)
    ax.set_ylabel("£ million")
    ax.legend(frameon=False, fontsize=9)
    plotting.finish(fig, _source(synthetic, int(table["respondents"].max())))
    return output_name("inputs_by_source", synthetic), fig, table


def allocation_and_spend(table: pd.DataFrame, synthetic: bool):
    """Allocation against spend by year: respondents' totals and the mean per LA, £m."""
    last = table.iloc[-1]
    fig, axes = plotting.chart(
        _title(f"Respondents spent £{last['gap_gbp_m']:,.0f}m more than their high needs block "
               f"allocation in {last['year']}", synthetic),
        "High needs block allocation and high needs spend, £ million", size=(10, 4.2), ncols=2)
    x = np.arange(len(table))
    for ax, suffix, title in ((axes[0], "gbp_m", "Total"), (axes[1], "per_la_gbp_m", "Mean per LA")):
        ax.bar(x - 0.2, table[f"allocation_{suffix}"], 0.4, label="Allocation",
               **plotting.bar_style(0, plotting.PALETTE[0]))
        ax.bar(x + 0.2, table[f"spend_{suffix}"], 0.4, label="Spend",
               **plotting.bar_style(1, plotting.PALETTE[1]))
        ax.plot(x, table[f"gap_{suffix}"], marker="o", color=plotting.PALETTE[2],
                label="Gap (spend less allocation)")
        ax.set_xticks(x, table["year"])
        ax.set_title(title, loc="left", fontsize=10)
        ax.set_ylabel("£ million")
    axes[0].legend(frameon=False, fontsize=8)
    plotting.finish(fig, _source(synthetic, int(table["respondents"].min())))
    return output_name("allocation_spend", synthetic), fig, table


def scale_up(table: pd.DataFrame, preferred: str, synthetic: bool):
    """National gap by estimator and year with bootstrap 95% intervals, £m."""
    years = list(dict.fromkeys(table["year"]))
    methods = list(dict.fromkeys(table["method"]))
    best = table[table["method"].eq(preferred)].iloc[-1]
    fig, ax = plotting.chart(
        _title(f"Scaled up to England, the high needs gap in {best['year']} was about £"
               f"{best['estimate'] / 1e6:,.0f}m (95% interval £{best['lower_95'] / 1e6:,.0f}m to "
               f"£{best['upper_95'] / 1e6:,.0f}m)", synthetic),
        "National estimate of spend less allocation by estimator, with bootstrap 95% intervals, £ million",
        size=(9, 4.8))
    offsets = np.linspace(-0.3, 0.3, len(methods))
    for offset, colour, marker, method in zip(offsets, plotting.PALETTE, plotting.MARKERS, methods,
                                              strict=False):
        rows = table[table["method"].eq(method)]
        x = np.array([years.index(y) for y in rows["year"]]) + offset
        ax.errorbar(x, rows["estimate"] / 1e6, yerr=[(rows["estimate"] - rows["lower_95"]) / 1e6,
                                                     (rows["upper_95"] - rows["estimate"]) / 1e6],
                    fmt=marker, color=colour, capsize=2, label=rows["label"].iloc[0]
                    + (" (preferred)" if method == preferred else ""))
    ax.set_xticks(range(len(years)), years)
    ax.set_ylabel("£ million")
    ax.legend(frameon=False, fontsize=8, loc="upper left")
    plotting.finish(fig, _source(synthetic, int(table["respondents"].max())),
                    "Frame: stable LA areas in England with SEND duties.")
    return output_name("scale_up", synthetic), fig, table.drop(columns="method")   # named by its label


def projection(table: pd.DataFrame, synthetic: bool):
    """Observed national gap and its projection under each scenario, £m."""
    observed = table[table["scenario"].eq("observed")]
    future = table[~table["scenario"].eq("observed")]
    end = future["year"].iloc[-1]
    trend = future[future["scenario"].eq("linear trend") & future["year"].eq(end)]["value"].item()
    fig, ax = plotting.chart(
        _title(f"On its linear trend the national gap would be about £{trend / 1e6:,.0f}m by {end}",
               synthetic),
        "National high needs gap (preferred estimator), observed and projected, £ million")
    years = list(dict.fromkeys(table["year"]))
    pos = {y: i for i, y in enumerate(years)}
    ax.plot([pos[y] for y in observed["year"]], observed["value"] / 1e6, marker="o", color="black",
            label="Survey estimate")
    low = future[future["scenario"].eq("linear trend, low")]
    high = future[future["scenario"].eq("linear trend, high")]
    ax.fill_between([pos[y] for y in low["year"]], low["value"] / 1e6, high["value"] / 1e6,
                    color=plotting.PALETTE[0], alpha=0.15, label="95% prediction interval of the trend")
    for colour, name in zip(plotting.PALETTE, ["linear trend", "average growth", "flat"], strict=False):
        rows = future[future["scenario"].eq(name)]
        if rows.empty:
            continue
        xs = [pos[observed["year"].iloc[-1]]] + [pos[y] for y in rows["year"]]
        ys = [observed["value"].iloc[-1] / 1e6] + list(rows["value"] / 1e6)
        ax.plot(xs, ys, linestyle="--", marker=".", color=colour, label=name.capitalize())
    ax.set_xticks(range(len(years)), years)
    ax.set_ylabel("£ million")
    ax.legend(frameon=False, fontsize=8, loc="upper left")
    plotting.finish(fig, SYNTHETIC_SOURCE if synthetic else SOURCE, "Projections extend past trends; "
                    "they are not forecasts of policy or funding.")
    return output_name("projection", synthetic), fig, table


def pressures(table: pd.DataFrame, synthetic: bool):
    """Diverging bars: share of respondents rating each pressure, low ratings left, high right."""
    wide = table.pivot(index="pressure", columns="rating", values="share")
    means = table.drop_duplicates("pressure").set_index("pressure")["mean"]
    wide = wide.loc[means.sort_values().index]
    top = means.idxmax()
    fig, ax = plotting.chart(
        _title(f"Respondents rated {top} the heaviest pressure on high needs spending "
               f"(mean {means[top]:.1f} out of 5)", synthetic),
        "Share of respondents giving each rating, from 1 (no pressure) to 5 (severe)", size=(9, 4.8))
    labels = table.drop_duplicates("rating").set_index("rating")["label"]
    colours = ["#2166ac", "#92c5de", "#d9d9d9", "#f4a582", "#b2182b"]
    left = -(wide[1] + wide[2] + wide[3] / 2)
    for i, (rating, colour) in enumerate(zip(wide.columns, colours, strict=True)):
        ax.barh(wide.index, wide[rating] * 100, left=left * 100, label=f"{rating} {labels[rating]}",
                **plotting.bar_style(i, colour))
        left = left + wide[rating]
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_xlabel("% of respondents (left of 0: ratings 1-2 and half of 3)")
    ax.legend(frameon=False, fontsize=8, loc="lower right")
    plotting.finish(fig, _source(synthetic, int(table["respondents"].max())))
    return output_name("pressures", synthetic), fig, table

