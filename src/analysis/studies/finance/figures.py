"""The finance study's charts: each function returns ``(name, fig, data)`` with the data plotted.
Money is shown in £ billion (England) or £ million (an LA), cash."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.report import plotting, words
from analysis.studies.finance.reading import money


def _scenario_lines(ax, rows: pd.DataFrame, scenarios: dict, default: str, scale: float) -> None:
    for i, (name, scenario) in enumerate(scenarios.items()):
        line = rows[rows["scenario"].eq(name)].sort_values("year")
        main = name == default
        ax.plot(line["year"], line["value_gbp"] / scale, lw=2.5 if main else 1.2, marker="o", ms=3,
                ls="-" if main else ":", color=plotting.PALETTE[i], label=scenario["label"]
                + (" (default)" if main else ""))
        if main:
            ahead = line[line["lower_gbp"].notna()]
            ax.fill_between(ahead["year"], ahead["lower_gbp"] / scale, ahead["upper_gbp"] / scale,
                            color=plotting.PALETTE[i], alpha=0.2, lw=0, label="80% interval")


def england_path(path: pd.DataFrame, estimates: pd.DataFrame, a, source: str):
    """England's cumulative DSG balance, published then projected under every scenario, with
    the estimates others published as points."""
    rows = path[path["level"].eq("National")]
    end = rows[rows["scenario"].eq(a.scenario) & rows["year"].eq(a.to_year)].iloc[0]
    fig, ax = plotting.chart(
        f"On {a.scenarios[a.scenario]['label']}, LAs' DSG balances in England sum to about "
        f"{money(end['value_gbp'])} "
        f"at 31 March {a.to_year} (80% interval {money(end['lower_gbp'])} to {money(end['upper_gbp'])})",
        "Cumulative DSG balance at 31 March, £ billion, cash (negative = deficit): sum of LAs")
    _scenario_lines(ax, rows, a.scenarios, a.scenario, 1e9)
    shown = estimates[estimates["year"].le(a.to_year + 1)]
    for i, row in enumerate(shown.itertuples()):
        ax.plot(row.year, row.value / 1e9, marker="D", ms=6, ls="none", color="#0b0c0c",
                label="published estimates (see the table)" if i == 0 else None)
        ax.annotate(str(i + 1), (row.year, row.value / 1e9), xytext=(4, 2), textcoords="offset points",
                    fontsize=7)
    ax.axhline(0, color="#505a5f", lw=0.8)
    ax.set_ylabel("£ billion")
    ax.legend(fontsize=7.5, loc="lower left")
    plotting.finish(fig, f"{source}; projection: this project",
                    "Published estimates numbered as in the table beside; their bases differ "
                    "(net or gross deficits, high needs block or all of the DSG).")
    data = pd.concat([labelled(rows, a), shown.assign(kind="published estimate")], ignore_index=True)
    return "finance_england_path", fig, words.explained(data, (
        "this project's rows (published, estimated and projected balances) have no source, basis or "
        "published value, and the published estimates no area, scenario or value of this project's; a "
        "published balance has no interval."))


def la_path(path: pd.DataFrame, code: str, a, source: str):
    """One LA's cumulative DSG balance, published then projected, every scenario."""
    rows = path[path["area_code"].eq(code)]
    name = rows["area_name"].iloc[0]
    end = rows[rows["scenario"].eq(a.scenario) & rows["year"].eq(a.to_year)].iloc[0]
    fig, ax = plotting.chart(
        f"{name}'s DSG balance is {end['kind']} at about {money(end['value_gbp'])} at 31 March {a.to_year}",
        "Cumulative DSG balance at 31 March, £ million, cash (negative = deficit)")
    _scenario_lines(ax, rows, a.scenarios, a.scenario, 1e6)
    ax.axhline(0, color="#505a5f", lw=0.8)
    ax.set_ylabel("£ million")
    ax.legend(fontsize=7.5, loc="lower left")
    plotting.finish(fig, f"{source}; projection: this project")
    return f"finance_path_la{code}", fig, labelled(rows, a)


def labelled(rows: pd.DataFrame, a) -> pd.DataFrame:
    """A chart's data with each scenario by its label, as the chart's table and CSV show it."""
    return rows.assign(scenario=rows["scenario"].map(lambda s: a.scenarios[s]["label"]))


def unit_costs(table: pd.DataFrame, year_label: str, source: str):
    """England's cost per EHC plan by placement group in the outturn year."""
    rows = table.dropna(subset=["per_plan"]).sort_values("per_plan")
    top = rows.iloc[-1]
    fig, ax = plotting.chart(
        f"A plan in {top['group'].lower()} cost about £{top['per_plan'] / 1000:,.0f}k in {year_label}",
        f"Spending per EHC plan by placement, England, {year_label}, £ thousand")
    y = np.arange(len(rows))
    ax.barh(y, rows["per_plan"] / 1000, color=plotting.PALETTE[0])
    for yi, value in zip(y, rows["per_plan"]):
        ax.annotate(f"£{value / 1000:,.1f}k", (value / 1000, yi), xytext=(3, 0), textcoords="offset points",
                    va="center", fontsize=8)
    ax.set_yticks(y, rows["group"])
    ax.grid(axis="x")
    ax.set_xlabel("£ thousand per plan")
    plotting.finish(fig, source, "S251 outturn plus the place funding ESFA paid directly, over the "
                    "plans in that placement. Top-ups also fund pupils without a plan, and a place is "
                    "not a plan: these are spending per plan, not the cost of a plan.")
    return "finance_unit_costs", fig, rows
