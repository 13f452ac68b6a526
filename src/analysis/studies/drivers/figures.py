"""Charts of the driver models: coefficients with 95% intervals, each driver against the outcome,
and residuals against fitted values. Each returns ``(name, figure, data)`` for
:func:`analysis.report.plotting.save_figure`; names start ``drivers_``."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from analysis.report import plotting
from analysis.studies.drivers.models import SPEC_NAMES
from analysis.studies.drivers.panel import get_variable

SOURCE = "DfE SEN2, exclusions, LAIT, tribunal statistics; ONS mid-year estimates; MHCLG IoD 2019"


def coefficients(table: pd.DataFrame, outcome: str, spec: str):
    """Dot-and-whisker plot of the drivers' coefficients with 95% intervals."""
    out = get_variable(outcome)
    clear = table[table["p_value"] < 0.05]
    fig, ax = plotting.chart(
        f"{len(clear)} of {len(table)} drivers have a clear association with {out.label}",
        f"Coefficients with 95% intervals ({SPEC_NAMES[spec]}); units: {out.unit} per unit of each driver",
        size=(9, 0.5 * len(table) + 2.2))
    labels = [get_variable(t).label for t in table["term"]]
    y = np.arange(len(table))[::-1]
    colours = [plotting.PALETTE[0] if p < 0.05 else plotting.PALETTE[6] for p in table["p_value"]]
    for row, height, colour in zip(table.itertuples(), y, colours, strict=True):
        ax.errorbar(row.coefficient, height, xerr=[[row.coefficient - row.lower_95],
                                                   [row.upper_95 - row.coefficient]],
                    fmt="o", color=colour, capsize=3)
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_yticks(y, labels)
    ax.set_xlabel(f"{out.unit} per unit of the driver")
    plotting.finish(fig, SOURCE, "Blue: 95% interval excludes zero. Standard errors clustered by LA "
                    "(fixed-effects models) or robust (long difference). Associations, not effects.")
    return f"drivers_coefficients_{outcome}_{spec}", fig, table.assign(term=labels)


def scatter(frame: pd.DataFrame, outcome: str, drivers):
    """Each driver against the outcome, one point per LA-year (or LA), small multiples."""
    out = get_variable(outcome)
    y_column = outcome if outcome in frame.columns else f"change_{outcome}"
    ncols = min(3, len(drivers))
    nrows = math.ceil(len(drivers) / ncols)
    fig, axes = plotting.chart(f"{out.label[0].upper()}{out.label[1:]} against each driver",
                               "One point per LA and year (or LA); line: least-squares fit",
                               size=(4 * ncols, 3.2 * nrows + 0.8), ncols=ncols, nrows=nrows)
    for ax, driver in zip(np.ravel(axes), drivers, strict=False):
        x, y = frame[driver].to_numpy(float), frame[y_column].to_numpy(float)
        ax.scatter(x, y, s=6, alpha=0.4, color=plotting.PALETTE[0])
        slope, intercept = np.polyfit(x, y, 1)
        xs = np.linspace(np.nanmin(x), np.nanmax(x), 10)
        ax.plot(xs, intercept + slope * xs, color=plotting.PALETTE[1])
        ax.set_title(get_variable(driver).label, loc="left", fontsize=9, wrap=True)
        ax.set_xlabel(get_variable(driver).unit, fontsize=8)
    for ax in np.ravel(axes)[len(drivers):]:
        ax.set_visible(False)
    plotting.finish(fig, SOURCE)
    keep = ["unit", *(["year"] if "year" in frame else []), y_column, *drivers]
    return f"drivers_scatter_{outcome}", fig, frame[keep]


def residuals(frame: pd.DataFrame, outcome: str, spec: str):
    """Residuals against fitted values of the main model."""
    fig, ax = plotting.chart("Residuals against fitted values",
                             f"{get_variable(outcome).label}, {SPEC_NAMES[spec]}")
    ax.scatter(frame["fitted"], frame["residual"], s=6, alpha=0.4, color=plotting.PALETTE[0])
    ax.axhline(0, color="black", linewidth=0.8)
    ax.set_xlabel("fitted")
    ax.set_ylabel("residual")
    plotting.finish(fig, SOURCE)
    return f"drivers_residuals_{outcome}_{spec}", fig, frame
