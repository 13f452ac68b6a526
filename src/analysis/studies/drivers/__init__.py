"""Testing the research's named drivers of high needs demand across every LA and year.

:mod:`.panel` builds the LA x year panel on stable areas with a report of every LA-year dropped;
:mod:`.models` fits two-way fixed effects (clustered by LA), LA fixed effects and long-difference
models with diagnostics; :mod:`.reading` words the results; :mod:`.figures` draws them.
:func:`analyse` runs one specification with its robustness checks.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.series.store import SeriesStore
from analysis.studies.drivers import models
from analysis.studies.drivers.panel import OUTCOMES, Panel, build_panel, get_variable, mechanical_link
from analysis.tables.geography import REORGANISED_UNITS


@dataclass
class Analysis:
    """One specification: its panel, fit, diagnostics and robustness table."""

    panel: Panel
    fit: models.Fit
    vif: pd.DataFrame
    influential: pd.DataFrame
    robustness: pd.DataFrame


def _row(check: str, fitted: models.Fit) -> pd.DataFrame:
    return fitted.table.assign(check=check)[["check", *models.TABLE_COLUMNS]]


def alternative_outcome(outcome: str) -> str:
    """The outcome used in the robustness check: the log rate for a level, else the level."""
    return "log_ehcp_per_1000" if outcome == "ehcp_per_1000" else "ehcp_per_1000"


def analyse(inputs: SeriesStore, outcome: str, drivers, years: tuple[int, int], *, spec: str = "twfe",
            lags: dict | None = None) -> Analysis:
    """Fit ``spec`` of ``outcome`` on ``drivers`` over ``years`` (first, last) with ``lags``, plus
    VIFs, influential LAs and robustness: without London, without reorganised LAs, the
    alternative outcome, every driver lagged one year (more), and only the drivers with no
    mechanical link to the outcome (:func:`~.panel.mechanical_link`)."""
    if outcome not in OUTCOMES:
        raise KeyError(f"unknown outcome {outcome!r}; use one of {list(OUTCOMES)}")
    drivers = list(drivers)
    panel = build_panel(inputs, [outcome, *drivers], years, lags)
    fitted = models.fit(panel.data, outcome, drivers, spec, years)
    checks = [_row("main specification", fitted)]
    data = panel.data
    variants = {
        "without London": data[data["region_name"].ne("London")],
        "without reorganised LAs": data[~data["unit"].isin(REORGANISED_UNITS)],
    }
    for check, subset in variants.items():
        checks.append(_row(check, models.fit(subset, outcome, drivers, spec, years)))
    other = alternative_outcome(outcome)
    alt = build_panel(inputs, [other, *drivers], years, lags)
    checks.append(_row(f"outcome: {get_variable(other).label}",
                       models.fit(alt.data, other, drivers, spec, years)))
    clean = [d for d in drivers if not mechanical_link(d, outcome)]
    if clean and len(clean) < len(drivers):
        checks.append(_row("only drivers not computed from the outcome's counts",
                           models.fit(data, outcome, clean, spec, years)))
    lagged = {d: int((lags or {}).get(d, 0)) + 1 for d in drivers if not _invariant(d)}
    more = build_panel(inputs, [outcome, *drivers], years, lagged)
    checks.append(_row("drivers lagged one more year", models.fit(more.data, outcome, drivers, spec, years)))
    return Analysis(panel=panel, fit=fitted, vif=models.vif(fitted.data, drivers),
                    influential=models.influential(fitted), robustness=pd.concat(checks, ignore_index=True))


def _invariant(name: str) -> bool:
    return get_variable(name).time_invariant


def long_difference(inputs: SeriesStore, outcome: str, drivers, years: tuple[int, int]) -> models.Fit:
    """The long-difference cross-section: change in ``outcome`` from the first to the last of
    ``years`` on the drivers' first-year values (time-invariant ones such as IDACI included);
    an LA needs its drivers in the first year only (population growth into January 2022, across
    the Census 2021 rebasing, is not growth and is missing)."""
    first, last = years
    start = build_panel(inputs, [outcome, *drivers], (first, first)).data
    end = build_panel(inputs, [outcome], (last, last)).data   # drivers are not needed at the end
    return models.long_difference(pd.concat([start, end], ignore_index=True), outcome,
                                  list(drivers), years)
