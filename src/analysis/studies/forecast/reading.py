"""The forecast in words: sentences generated from the numbers, for the notebook and profiles."""

from __future__ import annotations

import pandas as pd

from analysis.series.calc import round_half_up

METHOD_NAMES = {"naive": "no change", "drift": "recent growth repeated",
                "damped": "damped trend", "pooled": "pooled growth (empirical Bayes)",
                "cohort": "age cohorts carried forward"}
"""Each method in words."""


def thousands(value: float) -> str:
    """A forecast count for prose, to three significant figures: 1046513 -> "1,050,000",
    7566 -> "7,570", 812 -> "812"."""
    if value != value or value <= 0:
        return "n/a"
    digits = len(str(int(value))) - 3
    return f"{round_half_up(value, -max(digits, 0)):,.0f}"


def default_reason(ranking: pd.DataFrame, default: str) -> str:
    """Why the default method is the default, from the backtest ranking."""
    best = ranking.set_index("method")
    second = best.index[1]
    return (f"The default is {METHOD_NAMES[default]} ({default}): over every LA, backtest origin and "
            f"horizon 1 to 5 that every method forecast, its forecasts were the most accurate "
            f"(mean absolute scaled error {best.loc[default, 'mase']:.2f}, against "
            f"{best.loc[second, 'mase']:.2f} for {METHOD_NAMES[second]}; mean absolute error "
            f"{best.loc[default, 'mape']:.1f}% of the outcome), and its intervals held "
            f"{best.loc[default, 'coverage_80']:.0f}% of outcomes at 80% and "
            f"{best.loc[default, 'coverage_95']:.0f}% at 95%.")


def outlook_sentence(name: str, history: pd.Series, forecast: pd.DataFrame, basis: str) -> str:
    """An area's latest count and its default forecast for the last year, with the 80% interval."""
    last_year, last = int(history.index.max()), history.iloc[-1]
    end = forecast.iloc[-1]
    change = (end["value"] / last - 1) * 100
    return (f"{name} had {last:,.0f} EHC plans in January {last_year}; on the default method they "
            f"reach about {thousands(end['value'])} by January {int(end.name)} ({change:+.0f}%), "
            f"with an 80% interval of {thousands(end['lower_80'])} to {thousands(end['upper_80'])}"
            + (f" ({basis})." if basis and basis != "own series" else "."))


def coverage_reading(scores: pd.DataFrame, method: str) -> str:
    """How often the method's 80% and 95% intervals held the outcome, for the LAs and for the
    regions and England (averaged over horizons), and what a shortfall means for England."""
    rows = scores[scores["method"].eq(method)]
    la = rows[rows["group_kind"].eq("all LAs")][["coverage_80", "coverage_95"]].mean()
    agg = rows[rows["group_kind"].eq("regions and England")][["coverage_80", "coverage_95"]].mean()
    text = (f"In the backtests the intervals held {la['coverage_80']:.0f}% of the LAs' outcomes at 80% "
            f"and {la['coverage_95']:.0f}% at 95%; for the regions and England, "
            f"{agg['coverage_80']:.0f}% and {agg['coverage_95']:.0f}%.")
    if agg["coverage_80"] < 75:
        text += (" The regions' and England's intervals are too narrow: their errors move together (a "
                 "national change reaches every region in the same year), so few independent past "
                 "errors stand behind them. Read England's interval as a lower bound on the uncertainty.")
    return text
