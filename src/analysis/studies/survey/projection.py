"""Projecting a national series (e.g. the scaled-up high needs gap) forward from its trend, as
the research did "based on historical trends", under stated scenarios.

Scenarios, each fitted to the years given (financial years, by end year):

* ``linear trend``: ordinary least squares line through the years, extended; with its 95%
  prediction interval as ``low`` and ``high`` (statsmodels OLS ``get_prediction``).
* ``average growth``: the compound annual growth rate from the first to the last year, continued
  (only when both are positive).
* ``flat``: the last value held (no further growth).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import statsmodels.api as sm

from analysis.studies.survey.codebook import fy_end_year, fy_label

ASSUMPTIONS = {
    "linear trend": "the change per year over the years observed continues unchanged",
    "linear trend, low": "lower end of the 95% prediction interval of the linear trend",
    "linear trend, high": "upper end of the 95% prediction interval of the linear trend",
    "average growth": "the average annual growth rate of the years observed continues",
    "flat": "no further change after the last year observed",
}


def project(observed: pd.Series, to: str) -> pd.DataFrame:
    """``observed``: values indexed by financial-year label ("2015-16"), at least 3 years. Returns
    one row per scenario and year (observed years with scenario ``observed``, then each projected
    year to ``to``): ``year``, ``scenario``, ``value``, ``assumption``."""
    if len(observed) < 3:
        raise ValueError("a projection needs at least 3 observed years")
    ends = np.array([fy_end_year(y) for y in observed.index])
    last, target = ends.max(), fy_end_year(to)
    if target <= last:
        raise ValueError(f"projection_to {to!r} must be after the last observed year {fy_label(last)}")
    future = np.arange(last + 1, target + 1)
    values = observed.to_numpy(float)
    fit = sm.OLS(values, sm.add_constant(ends.astype(float))).fit()
    prediction = fit.get_prediction(sm.add_constant(future.astype(float), has_constant="add"))
    bounds = prediction.conf_int(obs=True, alpha=0.05)
    scenarios = {"linear trend": prediction.predicted_mean, "linear trend, low": bounds[:, 0],
                 "linear trend, high": bounds[:, 1], "flat": np.repeat(values[-1], len(future))}
    if values[0] > 0 and values[-1] > 0:
        rate = (values[-1] / values[0]) ** (1 / (ends.max() - ends.min())) - 1
        scenarios["average growth"] = values[-1] * (1 + rate) ** (future - last)
    rows = [{"year": fy_label(e), "scenario": "observed", "value": v, "assumption": "survey estimate"}
            for e, v in zip(ends, values, strict=True)]
    rows += [{"year": fy_label(e), "scenario": name, "value": float(v), "assumption": ASSUMPTIONS[name]}
             for name, series in scenarios.items() for e, v in zip(future, series, strict=True)]
    return pd.DataFrame(rows)
