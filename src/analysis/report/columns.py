"""What a published CSV's columns are: the ONS area code beside the DfE code on every LA row, and
each column's name, meaning and unit for the metadata file beside the CSV (as Explore Education
Statistics' data guidance describes its files).

Every published CSV goes through here (:func:`analysis.report.plotting.write_table`,
:func:`analysis.report.words.table_download`, a collection's downloads): one place for both.
"""

from __future__ import annotations

import re

import pandas as pd

from analysis.tables.store import load

ONS_CODE = "ons_code"
"""The column added beside a DfE code: the ONS (GSS) code of the same area."""
_DFE_CODE_NAMES = {"la code", "area code", "code", "old la code", "dfe code", "path code", "unit"}
_LA_CODE = re.compile(r"^\d{3}(\+\d{3})*$")   # a stable area of two LAs is "838+839"
_ONS = re.compile(r"^[EWSN]\d{8}$")

MEANINGS = {
    "area code": "DfE code of the area: a 3-digit LA code, or the ONS code of a region or England",
    "la code": "DfE 3-digit local authority code",
    "old la code": "DfE 3-digit local authority code",
    "path code": "DfE 3-digit code of the area the money path is for (a successor LA's former area "
                 "before its reorganisation)",
    "code": "DfE 3-digit local authority code",
    "ons code": "ONS (GSS) code of the same area (E06, E08, E09, E10 for LAs; E12 regions; E92 England)",
    "new la code": "ONS (GSS) code of the local authority",
    "area name": "Name of the area", "la name": "Name of the local authority", "la": "Local authority",
    "region name": "Name of the region", "region code": "ONS code of the region",
    "level": "Geographic level of the row: National, Regional or Local authority",
    "year": "Year the figure is for, named by the year its period ends: the January census year "
            "for EHC plans and pupils, 2022 for the financial year 2021-22 (unless written 2021-22)",
    "january": "January census year", "origin": "Last January of data the forecast was made from",
    "horizon": "Years ahead of the forecast's origin",
    "value": "The figure itself (unit as the table's title and this file say)",
    "symbol": "The publisher's own symbol for a figure not given (c suppressed, x not available, "
              "z not applicable, low); empty where the figure was published",
    "method": "Forecasting method, in words", "scenario": "Funding scenario, in words",
    "lower 80": "Lower end of the 80% interval", "upper 80": "Upper end of the 80% interval",
    "lower 95": "Lower end of the 95% interval", "upper 95": "Upper end of the 95% interval",
    "source": "Publication the figure comes from", "note": "Note on the row",
    "indicator": "Indicator, in words", "theme": "Theme of the indicator",
    "p value": "p-value of the coefficient", "std error": "Standard error of the coefficient",
    "coefficient": "Estimated coefficient", "observations": "Number of LA-years in the model",
    "respondents": "Number of LAs that answered", "las": "Number of local authorities",
    "mase": "Mean absolute scaled error (below 1 beats repeating last year's value)",
    "mdape": "Median absolute percentage error", "mape": "Mean absolute percentage error",
    "bias pct": "Mean signed percentage error (positive: forecasts too high)",
    "coverage 80": "Share of outcomes inside the 80% interval",
    "coverage 95": "Share of outcomes inside the 95% interval",
}
"""Meanings of the columns most files share (matched on the name in lower case, words apart)."""


def _key(column) -> str:
    return re.sub(r"[_\s]+", " ", str(column)).strip().lower()


def with_ons_codes(frame: pd.DataFrame, lookup: pd.DataFrame | None = None) -> pd.DataFrame:
    """``frame`` with an ``ons_code`` column right after its first column of DfE 3-digit LA
    codes (a region's or England's row, coded by ONS already, keeps its code); unchanged when it
    has none or already has an ONS code column. ``lookup`` is the ``la_lookup`` table
    (``old_la_code`` -> ``new_la_code``; default: read from the table store). A code the lookup
    lacks is left empty, never guessed."""
    names = {_key(c) for c in frame.columns}
    if names & {"ons code", "new la code"}:
        return frame
    for position, column in enumerate(frame.columns):
        if _key(column) not in _DFE_CODE_NAMES:
            continue
        codes = frame[column].dropna().astype(str)
        if codes.empty or not codes.map(lambda v: bool(_LA_CODE.match(v) or _ONS.match(v))).all() \
                or not codes.map(lambda v: bool(_LA_CODE.match(v))).any():
            continue
        if lookup is None:
            lookup = load("la_lookup")
        name = "ONS code" if str(column) != str(column).lower() else ONS_CODE
        out = frame.copy()
        out.insert(position + 1, name, frame[column].map(_ons_code(lookup)))
        return out
    return frame


def _ons_code(lookup: pd.DataFrame):
    """A function from a DfE code to its ONS code (an ONS code to itself; unknown to None)."""
    ons = dict(zip(lookup["old_la_code"].astype(str), lookup["new_la_code"]))
    return lambda v: v if isinstance(v, str) and _ONS.match(v) else ons.get(str(v)) if pd.notna(v) else None


def unit_of(column, values: pd.Series, measure: str = "") -> str:
    """A column's unit from its name and values: pounds for ``_gbp`` or "(£)", percent for
    ``_pct`` or "(%)", per 1,000 or 100, a year, a code, else the table's ``measure`` for its
    ``value`` column, else "number" or "text"."""
    name = str(column).lower()
    if name.endswith(("_gbp", "(£)")) or name.startswith("£"):
        return "pounds (£), cash"
    if name.endswith(("_pct", "(%)", " pct")) or "%" in name or name.startswith(("mdape", "mape",
                                                                                  "coverage")):
        return "percent"
    if "per_1000" in name or "per 1,000" in name or "per 1000" in name:
        return "per 1,000"
    if "per_100" in name or "per 100" in name:
        return "per 100"
    if "code" in name:
        return "code"
    if name in ("year", "january", "origin") or name.endswith("_year"):
        return "year"
    if name == "value" and measure:
        return measure
    return "number" if pd.api.types.is_numeric_dtype(values) else "text"


OTHER_DECIMALS = 4
"""Decimal places a published CSV keeps of a number that is not money, a percentage or a rate."""


def decimals(unit: str) -> int | None:
    """Decimal places a published CSV keeps for a column of ``unit``: whole pounds; two places
    for percentages and rates per 100 or 1,000; :data:`OTHER_DECIMALS` otherwise; None for text,
    codes and years."""
    if unit in ("text", "code", "year"):
        return None
    if "pounds" in unit or unit.startswith("£"):
        return 0
    if "percent" in unit or unit.startswith("%") or unit.startswith("per 1"):
        return 2
    return OTHER_DECIMALS


def rounded(frame: pd.DataFrame, measure: str = "") -> pd.DataFrame:
    """``frame`` with each float column rounded to its unit's :func:`decimals` (exact figures to
    that many places, not the page's rounding for reading)."""
    out = frame.copy()
    for column in frame.columns:
        places = decimals(unit_of(column, frame[column], measure))
        if places is not None and pd.api.types.is_float_dtype(frame[column]):
            out[column] = frame[column].round(places)
    return out


def describe(frame: pd.DataFrame, measure: str = "") -> list[dict]:
    """Each column of a published CSV as ``{"name", "meaning", "unit", "decimals"}``, in order
    (decimals: places its figures are rounded to, None for text). A column outside
    :data:`MEANINGS` is described by its name."""
    described = []
    for column in frame.columns:
        unit = unit_of(column, frame[column], measure)
        places = decimals(unit) if pd.api.types.is_float_dtype(frame[column]) else (
            0 if pd.api.types.is_integer_dtype(frame[column]) else None)
        meaning = MEANINGS.get(_key(column), _key(column).capitalize())
        described.append({"name": str(column), "meaning": meaning, "unit": unit, "decimals": places})
    return described
