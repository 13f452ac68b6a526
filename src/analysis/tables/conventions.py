"""Conventions shared by every processed table: suppression symbols, years, EES columns.

Official statistics traps are handled here, once:

* **Suppression symbols** (``c``, ``x``, ``z``, ``low``, ``u``, ``:`` and friends) are never read
  as zero and never become an unexplained NaN: each measure is split into a numeric ``value``
  and a ``symbol`` saying why the value is missing.
* **Years**: DfE tables mix calendar years (``2022``, SEN2 January census), academic years
  (``202122``) and financial years (``202122``). Every processed table carries an integer
  ``year`` = the calendar year in which the period *ends*, so that
  January 2022 census == academic year 2021/22 == financial year 2021-22 == ``year`` 2022.
* **EES columns**: codes are strings, the standard geography columns are always present.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np
import pandas as pd

from analysis.errors import DataError

SUPPRESSION_SYMBOLS: dict[str, str] = {
    "c": "confidential: suppressed to protect individuals",
    "x": "not available or suppressed",
    "z": "not applicable",
    "not applicable": "not applicable (written out)",
    "n/a": "not applicable (written out)",
    "low": "fewer than 0.5 after rounding (not zero)",
    "u": "low reliability",
    ":": "not available",
    "..": "not available",
    "k": "fewer than 0.5 (not zero)",
    "-": "no figure given (in LAIT: not available; see NIL_SYMBOLS for publishers where it is nil)",
    "blank": "cell left empty in the source",
}
"""Symbols that stand in for a value. The value is missing (NaN); the symbol says why."""

NON_RETURN = "not returned"
"""Symbol this project gives to a published 0 that stands beside a suppressed percentage: the LA
did not return the item (e.g. Dorset's 2024 20-week timeliness excluding exceptions: 0 plans,
percentage ``x``, although it issued 585 plans). Such a 0 is missing, never summed as zero."""

NON_RETURN_PART = "part not returned"
"""Symbol of a sum (a combined area, a region) with a part that was not returned."""

WITHHELD_SYMBOLS = ("c", "x", "low", "u", ":", "..")
"""Symbols of a percentage that was withheld or not available (``z``, not applicable, is not
one: a 0 beside it is a true zero, e.g. an age band a statement could not cover)."""

PERCENT_DENOMINATORS: dict[str, str] = {
    "plans_issued_den": "pc_plans_issued_within_20_weeks",
    "plans_issued_den_ex": "PC_plans_issued_20_weeks_ex",
}
"""Count columns that are the denominator of a published percentage whose name does not
contain theirs (EHC plans 20-week timeliness). Numerators are paired by name, see
:func:`percentage_column`."""

NIL_SYMBOLS: dict[str, float] = {"-": 0.0}
"""Symbols that some publishers use for a true zero ("nil"), e.g. "-" in Ministry of Justice
tables. Only applied when a reader passes ``nil=True`` to :func:`split_symbols`."""

EES_GEOGRAPHY_COLUMNS = [
    "time_period", "time_identifier", "geographic_level", "country_code", "region_code",
    "region_name", "old_la_code", "new_la_code", "la_name",
]  # fmt: skip
"""The standard EES columns every processed EES-derived table starts with (all strings)."""

LONG_VALUE_COLUMNS = ["measure", "value", "symbol"]

_NUMBER = re.compile(r"^(?=[^\d]*\d)[+-]?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?([eE][+-]?\d+)?%?$")


def split_symbols(raw: pd.Series, *, where: str, nil: bool = False) -> tuple[pd.Series, pd.Series]:
    """Split a column of published cells into ``(value, symbol)``.

    ``value`` is float (NaN where a symbol stands in for the number); ``symbol`` is a string
    (missing where the cell held a number). Numbers may carry thousands separators or a
    trailing ``%`` (the number is kept, not divided by 100). Empty cells get symbol ``blank``.
    With ``nil=True`` the :data:`NIL_SYMBOLS` count as zero (value 0, symbol kept); otherwise
    they are missing like any other symbol.
    Anything else raises :class:`DataError` naming ``where`` (the file and column) and the row.
    """
    if pd.api.types.is_numeric_dtype(raw) and not pd.api.types.is_bool_dtype(raw):
        values = raw.astype("float64")
        symbols = pd.Series(pd.NA, index=raw.index, dtype="string")
        symbols[values.isna()] = "blank"
        return values, symbols
    text = raw.astype("string").str.strip()
    text = text.fillna("")
    lowered = text.str.lower()
    is_blank = text == ""
    is_nil = text.isin(list(NIL_SYMBOLS)) if nil else pd.Series(False, index=text.index)
    is_symbol = lowered.isin(list(SUPPRESSION_SYMBOLS)) & ~is_blank & ~is_nil
    is_number = text.str.match(_NUMBER) & ~is_blank
    bad = ~(is_blank | is_symbol | is_nil | is_number)
    if bad.any():
        first = bad.idxmax()
        examples = sorted(set(text[bad].head(5)))
        raise DataError(
            f"{where}: unrecognised value {text[first]!r} at row {first} "
            f"({int(bad.sum())} such cells, e.g. {examples}); expected a number or one of "
            f"{sorted(SUPPRESSION_SYMBOLS)}"
        )
    numbers = pd.to_numeric(
        text.where(is_number).str.replace(",", "", regex=False).str.rstrip("%"), errors="raise"
    ).astype("float64")
    values = numbers.where(is_number, np.nan)
    values = values.mask(is_nil, text.map(NIL_SYMBOLS).astype("float64"))
    symbols = pd.Series(pd.NA, index=raw.index, dtype="string")
    symbols[is_symbol] = lowered[is_symbol]
    symbols[is_blank] = "blank"
    symbols[is_nil] = text[is_nil]
    return values, symbols


# --- years -----------------------------------------------------------------------------------

_SIX_DIGIT = re.compile(r"^(\d{4})(\d{2})$")
_SPLIT_YEAR = re.compile(r"^(\d{4})\s*[-/]\s*(\d{2}|\d{4})$")


def period_end_year(time_period: str | int, time_identifier: str = "") -> int:
    """The calendar year in which a published period ends (the project's ``year`` key).

    * calendar year / January census ``2022`` -> 2022;
    * academic year ``202122`` or ``2021/22`` -> 2022 (September 2021 to August 2022);
    * financial year ``202122`` or ``2021-22`` -> 2022 (April 2021 to March 2022).

    ``time_identifier`` is checked for consistency when given: a 6-digit period labelled
    "Calendar year" is an error, as is a period whose two halves are not consecutive years.
    """
    text = str(time_period).strip()
    ident = str(time_identifier).strip().lower()
    if re.fullmatch(r"\d{4}", text):
        if "academic" in ident or "financial" in ident:
            raise ValueError(f"period {text!r} is 4 digits but labelled {time_identifier!r}")
        return int(text)
    match = _SIX_DIGIT.match(text) or _SPLIT_YEAR.match(text)
    if not match:
        raise ValueError(f"unrecognised time period {time_period!r}")
    if "calendar" in ident:
        raise ValueError(f"period {text!r} spans two years but is labelled {time_identifier!r}")
    start = int(match.group(1))
    end_text = match.group(2)
    end = int(end_text) if len(end_text) == 4 else (start // 100) * 100 + int(end_text)
    if end != start + 1:
        if end == start + 1 - 100:  # century roll-over, e.g. 199900
            end += 100
        else:
            raise ValueError(f"period {text!r}: {end} does not follow {start}")
    return end


def end_years(time_periods: Iterable, time_identifiers: Iterable) -> list[int]:
    """:func:`period_end_year` over two parallel columns."""
    return [period_end_year(p, i) for p, i in zip(time_periods, time_identifiers)]


def academic_year_code(end_year: int) -> str:
    """EES code of the academic year ending in ``end_year``: 2022 -> ``"202122"``."""
    return f"{end_year - 1}{end_year % 100:02d}"


financial_year_code = academic_year_code
"""EES code of the financial year ending in ``end_year`` (same form): 2022 -> ``"202122"``."""


FINANCIAL_YEAR = re.compile(r"^(\d{4})-(\d{2})$")
"""A financial year as written: "2015-16" (April 2015 to March 2016)."""


def financial_year_end(label: str) -> int:
    """The calendar year a financial year ends in: "2015-16" -> 2016; anything else raises
    :class:`ValueError` naming it."""
    match = FINANCIAL_YEAR.match(str(label))
    if not match or (int(match.group(1)) + 1) % 100 != int(match.group(2)):
        raise ValueError(f"{label!r} is not a financial year like '2015-16'")
    return int(match.group(1)) + 1


def year_label(end_year: int, kind: str) -> str:
    """Human label: ``academic`` 2022 -> "2021/22", ``financial`` -> "2021-22",
    ``census`` -> "January 2022", ``calendar`` -> "2022", ``mid-year`` -> "mid-2022"."""
    short = f"{end_year % 100:02d}"
    labels = {
        "academic": f"{end_year - 1}/{short}",
        "financial": f"{end_year - 1}-{short}",
        "census": f"January {end_year}",
        "calendar": str(end_year),
        "mid-year": f"mid-{end_year}",
    }
    try:
        return labels[kind]
    except KeyError:
        raise ValueError(f"unknown year kind {kind!r}; use one of {sorted(labels)}") from None


def population_year_for(end_year: int) -> int:
    """The ONS mid-year estimate paired with a period ending in ``end_year``.

    Convention: the mid-year at the *start* of the academic/financial year, so January 2022
    census / academic year 2021/22 / financial year 2021-22 use the mid-2021 population.
    """
    return end_year - 1


# --- EES-format tidying ----------------------------------------------------------------------


def read_ees_csv(path, *, where: str | None = None) -> pd.DataFrame:
    """Read an EES-format CSV (optionally with a byte-order mark) with every column as text."""
    frame = pd.read_csv(path, dtype=str, encoding="utf-8-sig", keep_default_na=False)
    frame.columns = [c.strip() for c in frame.columns]
    missing = [c for c in EES_GEOGRAPHY_COLUMNS if c not in frame.columns]
    if missing:
        raise DataError(f"{where or path}: not an EES-format file, columns {missing} are absent")
    return frame


def typed_long(frame: pd.DataFrame) -> pd.DataFrame:
    """Fix a long table's types: ``year`` int64, ``value`` float64, every other column text."""
    out = frame.copy()
    for column in out.columns:
        if column not in ("year", "value"):
            out[column] = out[column].astype("string")
    if "year" in out.columns:
        out["year"] = out["year"].astype("int64")
    out["value"] = out["value"].astype("float64")
    return out


def with_ees_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """Add any missing standard EES geography column (as NA text) and put them first.

    Non-EES sources (DSG workbooks, LAIT, MoJ tables) carry only some codes; the DfE 3-digit
    ``old_la_code`` is the join key present in every LA-level table.
    """
    out = frame.copy()
    for column in EES_GEOGRAPHY_COLUMNS:
        if column not in out.columns:
            out[column] = pd.Series(pd.NA, index=out.index, dtype="string")
    rest = [c for c in out.columns if c not in EES_GEOGRAPHY_COLUMNS]
    return out[EES_GEOGRAPHY_COLUMNS + rest]


def percentage_column(count: str, columns) -> str | None:
    """The published percentage beside a count column (``assess_issued`` -> ``assess_issued_pc``,
    ``plans_issued_20_weeks_ex`` -> ``PC_plans_issued_20_weeks_ex``, ``Total_st`` ->
    ``Total_st_pc``), or the percentage it is the denominator of (:data:`PERCENT_DENOMINATORS`),
    or None."""
    columns = set(columns)
    if count in PERCENT_DENOMINATORS and PERCENT_DENOMINATORS[count] in columns:
        return PERCENT_DENOMINATORS[count]
    for name in (f"{count}_pc", f"pc_{count}", f"PC_{count}"):
        if name in columns:
            return name
    return None


def mark_non_returns(values: pd.Series, symbols: pd.Series, percentage: pd.Series, *,
                     active: pd.Series, years: pd.Series) -> tuple[pd.Series, pd.Series]:
    """A count of 0 whose own percentage is withheld (:data:`WITHHELD_SYMBOLS` or blank) is a
    non-return (value NaN, symbol :data:`NON_RETURN`) when the row reports activity elsewhere
    (``active``: some measure in the row is above 0) and the percentage is published for some row
    of the same year (``years``). A row of zeros is a true nil (0 of 0 has no percentage), and
    a percentage withheld for every row of a year was simply not published. ``percentage`` holds
    the raw cells. The one place this rule is applied (by :func:`tidy_ees`)."""
    pct = percentage.astype("string").str.strip().str.lower().fillna("")
    withheld = pct.isin(list(WITHHELD_SYMBOLS)) | pct.eq("")
    published = (~withheld).groupby(years.to_numpy()).transform("any").to_numpy()
    non_return = values.eq(0) & withheld.to_numpy() & active.to_numpy() & published
    return values.mask(non_return), symbols.mask(non_return, NON_RETURN)


def tidy_ees(frame: pd.DataFrame, *, dimensions: list[str], where: str,
             measures: list[str] | None = None) -> pd.DataFrame:
    """Turn a wide EES frame into the project's long format.

    Columns out: the EES geography columns, ``year``, the ``dimensions``, then
    ``measure``, ``value``, ``symbol``. ``measures`` defaults to every column that is neither a
    standard EES column, ``country_name``, nor a dimension. Codes are strings; empty codes are NA.
    A 0 beside a suppressed percentage is a non-return (see :func:`mark_non_returns`).
    """
    known = set(EES_GEOGRAPHY_COLUMNS) | {"country_name"} | set(dimensions)
    if measures is None:
        measures = [c for c in frame.columns if c not in known]
    absent = [c for c in dimensions + measures if c not in frame.columns]
    if absent:
        raise DataError(f"{where}: expected columns {absent} are absent")
    ids = EES_GEOGRAPHY_COLUMNS + dimensions
    base = frame[ids].astype("string").apply(lambda s: s.str.strip()).replace("", pd.NA)
    base.insert(
        len(EES_GEOGRAPHY_COLUMNS),
        "year",
        end_years(frame["time_period"], frame["time_identifier"]),
    )
    split = {m: split_symbols(frame[m], where=f"{where}, column {m!r}") for m in measures}
    active = pd.concat([v.gt(0) for v, _ in split.values()], axis=1).any(axis=1) if measures else None
    parts = []
    for measure in measures:
        values, symbols = split[measure]
        pct = percentage_column(measure, frame.columns)
        if pct is not None:
            values, symbols = mark_non_returns(values, symbols, frame[pct], active=active,
                                               years=base["year"])
        part = base.copy()
        part["measure"] = measure
        part["value"] = values.to_numpy()
        part["symbol"] = symbols.to_numpy()
        parts.append(part)
    long = pd.concat(parts, ignore_index=True)
    long["year"] = long["year"].astype("int64")
    long["measure"] = long["measure"].astype("string")
    long["symbol"] = long["symbol"].astype("string")
    return long


def sum_groups(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Sum ``value`` within groups of ``keys``; a group with any missing part is missing too.

    Returns one row per group: the keys, ``value`` (the sum, or NaN) and ``symbol`` (NA, or
    why it is missing: a one-row group keeps its own symbol, a larger one gets
    ``suppressed-part``, or :data:`NON_RETURN_PART` where a part was not returned), so a
    partial sum is never mistaken for the total.
    """
    grouped = frame.groupby(keys, dropna=False, sort=True)
    complete = grouped["value"].count().eq(grouped["value"].size())
    out = grouped["value"].sum().where(complete).to_frame("value")
    single = grouped["value"].size().eq(1)
    own = grouped["symbol"].first() if "symbol" in frame.columns else pd.Series(pd.NA, index=out.index)
    symbol = pd.Series(pd.NA, index=out.index, dtype="string").mask(~complete, "suppressed-part")
    if "symbol" in frame.columns:
        not_returned = frame["symbol"].eq(NON_RETURN).fillna(False).groupby(
            [frame[k] for k in keys], dropna=False, sort=True).any()
        symbol = symbol.mask(~complete & not_returned.to_numpy(), NON_RETURN_PART)
    out["symbol"] = symbol.mask(~complete & single, own.astype("string"))
    return out.reset_index()
