"""Small, generic calculations on area series: growth, index, ratios, ranks, rounding.

An *area series* is a long frame with one row per area and year (and ``category`` where a
series has parts): ``area_code``, ``area_name``, ``level`` (``National``, ``Regional``,
``Local authority``, ``Comparators``), ``year`` (end year of the period, see
:mod:`analysis.tables.conventions`) and ``value``. Ratio series also carry ``num``, ``den`` and ``per``
(``value = num / den * per``), so groups of areas can be pooled by summing counts.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd

AREA_KEYS = ["area_code", "area_name", "level"]


def round_half_up(value: float, ndigits: int = 0) -> float:
    """Round as DfE publishes (half away from zero): 24.5 -> 25, 0.125 -> 0.13 at 2 dp.

    Python's ``round`` rounds half to even (24.5 -> 24), which can disagree with a published
    figure. NaN stays NaN.
    """
    if value is None or pd.isna(value):
        return float("nan")
    quantum = Decimal(1).scaleb(-ndigits)
    return float(Decimal(repr(float(value))).quantize(quantum, rounding=ROUND_HALF_UP))


def percent_text(value: float, ndigits: int = 0) -> str:
    """A percentage for prose, rounded half up: 26.346 -> "26%" (NaN -> "n/a")."""
    if pd.isna(value):
        return "n/a"
    return f"{round_half_up(value, ndigits):.{ndigits}f}%"


def pct_change(start: float, end: float) -> float:
    """Percentage change from ``start`` to ``end``: 100 * (end / start - 1).

    NaN when either value is missing or ``start`` is not positive (growth from zero or from a
    negative balance has no meaningful percentage).
    """
    if pd.isna(start) or pd.isna(end) or start <= 0:
        return float("nan")
    return 100.0 * (end / start - 1.0)


def _series_keys(frame: pd.DataFrame) -> list[str]:
    return AREA_KEYS + (["category"] if "category" in frame.columns else [])


def change_over_window(frame: pd.DataFrame, start_year: int, end_year: int) -> pd.DataFrame:
    """Per area (and category): the values in ``start_year`` and ``end_year`` and the change.

    Columns out: the area keys, ``start_year``, ``end_year``, ``start_value``, ``end_value``,
    ``change`` (end - start, in the series' units) and ``pct_change``. Areas lacking either year
    get NaN values rather than being dropped.
    """
    if start_year >= end_year:
        raise ValueError(f"start_year {start_year} must be before end_year {end_year}")
    keys = _series_keys(frame)
    areas = frame[keys].drop_duplicates()
    out = areas.copy()
    for label, year in (("start_value", start_year), ("end_value", end_year)):
        at = frame.loc[frame["year"].eq(year), keys + ["value"]].rename(columns={"value": label})
        if at.duplicated(keys).any():
            raise ValueError(f"more than one value per area in {year}")
        out = out.merge(at, on=keys, how="left")
    out.insert(len(keys), "start_year", start_year)
    out.insert(len(keys) + 1, "end_year", end_year)
    out["change"] = out["end_value"] - out["start_value"]
    out["pct_change"] = [pct_change(s, e) for s, e in zip(out["start_value"], out["end_value"])]
    return out.reset_index(drop=True)


def index_series(frame: pd.DataFrame, base_year: int) -> pd.DataFrame:
    """Add ``index`` = 100 * value / value in ``base_year``, per area (and category).

    Areas with no positive value in the base year get NaN throughout.
    """
    keys = _series_keys(frame)
    base = frame.loc[frame["year"].eq(base_year), keys + ["value"]].rename(
        columns={"value": "_base"})
    out = frame.merge(base, on=keys, how="left")
    out["index"] = 100.0 * out["value"] / out["_base"].where(out["_base"] > 0)
    return out.drop(columns="_base")


def ratio(num: pd.Series, den: pd.Series, per: float) -> pd.Series:
    """``num / den * per``; NaN where either part is missing or the denominator is not positive."""
    return (num / den.where(den > 0)) * per


def rank_areas(frame: pd.DataFrame, column: str, *, descending: bool = True) -> pd.DataFrame:
    """Add ``rank`` (1 = highest when ``descending``) and ``quartile`` (1 = top quarter).

    Ties share the lowest rank; areas with NaN in ``column`` get no rank or quartile.
    """
    out = frame.copy()
    out["rank"] = out[column].rank(ascending=not descending, method="min").astype("Int64")
    ranked = out[column].notna().sum()
    out["quartile"] = pd.Series(
        np.ceil(4 * out["rank"].astype("float64") / ranked) if ranked else np.nan,
        index=out.index).astype("Int64")
    return out


def describe_spread(values: pd.Series) -> dict[str, float]:
    """Count, median, quartiles, min and max of a set of LA values (NaN ignored and counted)."""
    present = values.dropna()
    return {
        "areas": int(present.size),
        "missing": int(values.size - present.size),
        "min": float(present.min()) if present.size else float("nan"),
        "lower_quartile": float(present.quantile(0.25)) if present.size else float("nan"),
        "median": float(present.median()) if present.size else float("nan"),
        "upper_quartile": float(present.quantile(0.75)) if present.size else float("nan"),
        "max": float(present.max()) if present.size else float("nan"),
    }
