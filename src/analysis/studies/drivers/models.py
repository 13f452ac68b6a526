"""Regression models of demand on the drivers (statsmodels), and their diagnostics.

* ``twfe``: two-way fixed effects, ``y ~ drivers + C(unit) + C(year)``, standard errors clustered
  by LA (the unit). Identifies drivers from changes *within* an LA relative to the year's change
  across all LAs; anything common to all LAs in a year (the 2014 reforms, national funding) is
  absorbed by the year effects.
* ``la_fe``: LA fixed effects only, ``y ~ drivers + C(unit)``, clustered by LA: lets a
  time-varying common driver (years since the reforms) be estimated, at the price of confounding
  it with every other national trend.
* ``long_difference``: one row per LA, the change in the outcome from the first to the last year
  on the drivers' values in the first year (baseline characteristics), heteroskedasticity-robust
  (HC1) standard errors.

Within R-squared (fixed-effects models): the share of the variance left after the fixed effects
that the drivers explain, ``1 - SSR(full) / SSR(fixed effects only)``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import statsmodels.formula.api as smf
from statsmodels.stats.outliers_influence import OLSInfluence, variance_inflation_factor

SPECS = ("twfe", "la_fe", "long_difference")
SPEC_NAMES = {"twfe": "LA and year fixed effects", "la_fe": "LA fixed effects",
              "long_difference": "long difference"}
"""Each model specification in words (charts and tables)."""
TABLE_COLUMNS = ["term", "coefficient", "std_error", "lower_95", "upper_95", "p_value", "observations",
                 "las", "within_r2"]


class ModelError(ValueError):
    """A model cannot be fitted as asked (e.g. a driver absorbed by the fixed effects)."""


@dataclass
class Fit:
    """A fitted model: its spec, formula, coefficient table, statsmodels result and data."""

    spec: str
    formula: str
    table: pd.DataFrame
    result: object
    data: pd.DataFrame


def formula(outcome: str, drivers, spec: str) -> str:
    """The model formula shown in the report."""
    rhs = " + ".join(drivers)
    if spec == "twfe":
        return f"{outcome} ~ {rhs} + C(unit) + C(year)"
    if spec == "la_fe":
        return f"{outcome} ~ {rhs} + C(unit)"
    if spec == "long_difference":
        return f"change_{outcome} ~ {rhs}"
    raise ModelError(f"unknown spec {spec!r}; use one of {SPECS}")


def _table(result, drivers, nobs: int, las: int, within_r2: float) -> pd.DataFrame:
    ci = result.conf_int()
    return pd.DataFrame({
        "term": list(drivers), "coefficient": [result.params[d] for d in drivers],
        "std_error": [result.bse[d] for d in drivers], "lower_95": [ci.loc[d, 0] for d in drivers],
        "upper_95": [ci.loc[d, 1] for d in drivers], "p_value": [result.pvalues[d] for d in drivers],
        "observations": nobs, "las": las, "within_r2": within_r2,
    })[TABLE_COLUMNS]


def fixed_effects(panel: pd.DataFrame, outcome: str, drivers, *, spec: str = "twfe",
                  cluster: bool = True) -> Fit:
    """Fit ``twfe`` or ``la_fe`` on a panel (columns ``unit``, ``year``, outcome, drivers)."""
    drivers = list(drivers)
    if spec == "twfe":
        constant = [d for d in drivers if panel.groupby("year")[d].nunique().max() <= 1]
        if constant:
            raise ModelError(f"{constant} take one value per year, so the year effects absorb them: "
                             "use spec 'la_fe' or leave them out")
    invariant = [d for d in drivers if panel.groupby("unit")[d].nunique().max() <= 1]
    if invariant:
        raise ModelError(f"{invariant} do not change within an LA, so the LA effects absorb them: "
                         "use spec 'long_difference'")
    text = formula(outcome, drivers, spec)
    model = smf.ols(text, data=panel)
    if cluster:
        result = model.fit(cov_type="cluster", cov_kwds={"groups": pd.factorize(panel["unit"])[0]})
    else:
        result = model.fit()
    effects = "C(unit) + C(year)" if spec == "twfe" else "C(unit)"
    effects_only = smf.ols(f"{outcome} ~ {effects}", data=panel).fit()
    within = 1 - result.ssr / effects_only.ssr
    table = _table(result, drivers, int(result.nobs), panel["unit"].nunique(), float(within))
    return Fit(spec, text, table, result, panel)


def long_difference_data(panel: pd.DataFrame, outcome: str, drivers,
                         years: tuple[int, int]) -> pd.DataFrame:
    """One row per LA present in both years: ``change_<outcome>`` (last less first) and the
    drivers in the first year."""
    first, last = years
    start = panel[panel["year"].eq(first)].set_index("unit")
    end = panel[panel["year"].eq(last)].set_index("unit")
    both = start.index.intersection(end.index)
    labels = [c for c in ("unit_name", "region_name") if c in start.columns]
    frame = start.loc[both, list(drivers) + labels].copy()
    frame[f"change_{outcome}"] = end.loc[both, outcome] - start.loc[both, outcome]
    return frame.reset_index()


def long_difference(panel: pd.DataFrame, outcome: str, drivers, years: tuple[int, int]) -> Fit:
    """Change in the outcome over ``years`` on first-year drivers, HC1 standard errors."""
    data = long_difference_data(panel, outcome, drivers, years)
    if len(data) <= len(drivers) + 1:
        raise ModelError(f"only {len(data)} LAs have both {years[0]} and {years[1]}")
    text = formula(outcome, drivers, "long_difference")
    result = smf.ols(text, data=data).fit(cov_type="HC1")
    table = _table(result, drivers, int(result.nobs), len(data), float("nan"))
    return Fit("long_difference", text, table, result, data)


def fit(panel: pd.DataFrame, outcome: str, drivers, spec: str, years: tuple[int, int]) -> Fit:
    """Fit ``spec`` (see :data:`SPECS`)."""
    if spec == "long_difference":
        return long_difference(panel, outcome, drivers, years)
    if spec in ("twfe", "la_fe"):
        return fixed_effects(panel, outcome, drivers, spec=spec)
    raise ModelError(f"unknown spec {spec!r}; use one of {SPECS}")


def vif(frame: pd.DataFrame, drivers) -> pd.DataFrame:
    """Variance inflation factor of each driver (with a constant); above 5-10 signals that a
    driver is close to a combination of the others."""
    x = frame[list(drivers)].astype(float)
    x = x.assign(const=1.0)[["const", *drivers]].to_numpy()
    return pd.DataFrame({"term": list(drivers),
                         "vif": [variance_inflation_factor(x, i + 1) for i in range(len(drivers))]})


def influential(fitted: Fit, top: int = 10) -> pd.DataFrame:
    """The LAs with the largest Cook's distance (for panels, an LA's largest over its years),
    from the same model fitted with ordinary standard errors."""
    plain = fitted.result.model.fit()
    cooks = OLSInfluence(plain).cooks_distance[0]
    frame = fitted.data.assign(cooks_distance=np.asarray(cooks))
    worst = frame.groupby(["unit", "unit_name"])["cooks_distance"].max().sort_values(ascending=False)
    out = worst.head(top).reset_index()
    out["share_of_threshold"] = out["cooks_distance"] / (4 / len(frame))
    return out


def residuals(fitted: Fit) -> pd.DataFrame:
    """Fitted values and residuals with the unit and year (if any), for plotting."""
    frame = fitted.data[[c for c in ("unit", "unit_name", "year") if c in fitted.data.columns]].copy()
    frame["fitted"] = np.asarray(fitted.result.fittedvalues)
    frame["residual"] = np.asarray(fitted.result.resid)
    return frame
