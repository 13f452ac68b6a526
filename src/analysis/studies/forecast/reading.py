"""The forecast in words: sentences generated from the numbers, for the notebook and profiles."""

from __future__ import annotations

import pandas as pd

from analysis.series.calc import round_half_up

METHOD_NAMES = {"naive": "no change", "last_growth": "last year's growth repeated",
                "drift": "recent growth repeated", "damped": "damped trend",
                "pooled": "pooled growth (empirical Bayes)", "cohort": "age cohorts carried forward",
                "combined": "pooled and recent growth averaged"}
"""Each method in words."""


def thousands(value: float) -> str:
    """A forecast count for prose, to three significant figures: 1046513 -> "1,050,000",
    7566 -> "7,570", 812 -> "812"."""
    if value != value or value <= 0:
        return "n/a"
    digits = len(str(int(value))) - 3
    return f"{round_half_up(value, -max(digits, 0)):,.0f}"


def default_reason(ranking: pd.DataFrame, default: str, reference: str) -> str:
    """Why the default method is the default, from the backtest ranking (see
    :func:`analysis.studies.forecast.backtest.choose_default`)."""
    r = ranking.set_index("method")
    baselines = r[r["baseline"]].sort_values("mase")
    best = baselines.index[0]
    ref = r.loc[reference]
    if not r.loc[default, "baseline"]:
        d = r.loc[default]
        return (f"The default is {METHOD_NAMES[default]}: over every LA, backtest origin and horizon "
                f"that every method forecast, its mean absolute scaled error was "
                f"{d['mase']:.2f}, below every simple baseline's (the best, {METHOD_NAMES[best]}, "
                f"{baselines.loc[best, 'mase']:.2f}), and one year ahead its median error was "
                f"{d['mdape_1']:.1f}% against {ref['mdape_1']:.1f}% for {METHOD_NAMES[reference]} "
                f"({(1 - d['mdape_1'] / ref['mdape_1']) * 100:.0f}% lower). Its intervals held "
                f"{d['coverage_80']:.0f}% of outcomes at 80% and {d['coverage_95']:.0f}% at 95%.")
    return (f"No method beat every simple baseline by the margin the assumptions set, so the default "
            f"is the simplest honest choice, {METHOD_NAMES[default]} (mean absolute scaled error "
            f"{ref['mase']:.2f}; one year ahead a median error of {ref['mdape_1']:.1f}%).")


def accuracy_words(mdape_1: float, mdape_h: float, horizon: int, coverage_80: float,
                   forecasts: str) -> str:
    """Backtest accuracy in plain words: how close half the ``forecasts`` ("LAs' forecasts")
    came one year and ``horizon`` years ahead, and how many outcomes in 10 fell inside the 80%
    range."""
    in_ten = int(round_half_up(coverage_80 / 10, 0))
    return (f"One year ahead, half of {forecasts} were within {mdape_1:.1f}% of the outcome, and "
            f"{horizon} years ahead within {mdape_h:.1f}%; {in_ten} in 10 outcomes fell inside the 80% "
            "range.")


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
