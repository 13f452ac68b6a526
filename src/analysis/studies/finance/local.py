"""An LA's own figures: balances, allocations, plans or spending it knows before DfE publishes
them, read from a file and checked (:func:`read`), so its path restarts from the latest.

Two layouts are accepted:

- **a figures CSV**, one figure a row: ``la_code`` (DfE 3-digit code), ``measure``, ``period``,
  ``value``, and optionally ``note``. Measures: ``balance`` (the cumulative DSG balance, pounds,
  negative for a deficit, at the date in ``period``: a 31 March, ``2025-03-31``), ``allocation``
  (the high needs block before deductions, pounds, for the financial year in ``period``,
  ``2024-25``), ``spending`` (high needs spending with the place funding ESFA pays directly,
  pounds, financial year) and ``plans`` (EHC plans in January of the year in ``period``,
  ``2025``);
- **the survey's return** (:mod:`analysis.studies.survey`, a filled template, CSV or XLSX): its
  cumulative DSG high needs balance at the end of each financial year (taken as the DSG
  balance the path carries: where other blocks hold a surplus or deficit, give the whole DSG
  balance in a figures file instead), its high needs block allocation and its high needs
  spending.

Refused, with the file, row and field named: a missing or unknown column, an unknown LA, an
unknown measure, a period that is not one of the model's years (after the last published
balance, up to the end of the path), a value that is not a number, a balance larger than the
LA's whole DSG income (``implausible_share`` of it), and the same LA, measure and period twice.
Nothing is dropped: an empty value is an error too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.errors import UsageError
from analysis.tables.amounts import parse_money
from analysis.tables.conventions import financial_year_end, year_label

COLUMNS = ("la_code", "measure", "period", "value")
MEASURES = {"balance": "cumulative DSG balance", "allocation": "high needs block",
            "spending": "high needs spending", "plans": "EHC plans"}
SURVEY = {"dsg_hn_balance_cumulative": "balance", "hnb_allocation": "allocation",
          "hn_expenditure": "spending"}
"""Survey codebook ids -> the measure each gives (per financial year)."""


class LocalFiguresError(UsageError):
    """An LA's figures file is unusable; the message names the file, row and field."""


@dataclass(frozen=True)
class Figures:
    """The figures read: one row each (``la_code``, ``measure``, ``year``: the 31 March, the
    financial year's end or the January, ``value``, ``row``: where it came from), and the file."""

    rows: pd.DataFrame
    source: str

    def of(self, measure: str) -> pd.DataFrame:
        return self.rows[self.rows["measure"].eq(measure)]

    def codes(self) -> list[str]:
        return sorted(self.rows["la_code"].unique())


def described(measure: str, year: int) -> str:
    """A figure's measure and period in words: "cumulative DSG balance at 31 March 2025"."""
    when = {"balance": f"at 31 March {year}", "plans": f"in January {year}"}
    return f"{MEASURES[measure]} {when.get(measure, year_label(year, 'financial'))}"


def _period_year(measure: str, period: str) -> int:
    """The year a period stands for: a balance's 31 March, a financial year's end, a January."""
    text = period.strip()
    if measure == "balance":
        match = re.fullmatch(r"(\d{4})-03-31", text)
        if not match:
            raise ValueError("a balance's period is a 31 March as YYYY-03-31")
        return int(match.group(1))
    if measure == "plans":
        if not re.fullmatch(r"\d{4}", text):
            raise ValueError("plans' period is the year of the January count, e.g. 2025")
        return int(text)
    return financial_year_end(text)


def _from_csv(path: Path) -> pd.DataFrame:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    frame = frame.rename(columns=lambda c: str(c).strip())
    missing = [c for c in COLUMNS if c not in frame.columns]
    unknown = [c for c in frame.columns if c not in (*COLUMNS, "note")]
    if missing or unknown:
        raise LocalFiguresError(f"{path}: columns must be {', '.join(COLUMNS)} (and note); "
                                f"missing {missing}, unknown {unknown}")
    return frame.assign(row=[f"row {n}" for n in range(2, len(frame) + 2)])[[*COLUMNS, "row"]]


def _from_survey(path: Path, frame: pd.DataFrame) -> pd.DataFrame:
    """The survey return's money questions as figure rows (money cleaned as the survey does)."""
    rows = []
    for n, response in enumerate(frame.to_dict("records"), start=2):
        for column, text in response.items():
            base, _, suffix = column.rpartition("_")
            base, _, first = base.rpartition("_")
            if base not in SURVEY or not str(text).strip():
                continue
            period = f"{first}-{suffix}"
            value = parse_money(text).value
            rows.append({"la_code": str(response["la_code"]).strip(), "measure": SURVEY[base],
                         "period": period if SURVEY[base] != "balance"
                         else f"{financial_year_end(period)}-03-31",
                         "value": "" if value is None else str(value), "row": f"row {n}, {column}"})
    if not rows:
        raise LocalFiguresError(f"{path}: the survey return has no balance, allocation or spending")
    return pd.DataFrame(rows)


def _raw(path: Path) -> pd.DataFrame:
    if not path.is_file():
        raise LocalFiguresError(f"{path}: file not found")
    if path.suffix.lower() == ".csv":
        head = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig", nrows=0)
        if "measure" in head.columns:
            return _from_csv(path)
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    elif path.suffix.lower() == ".xlsx":
        frame = pd.read_excel(path, sheet_name="return", dtype=str, keep_default_na=False,
                              engine="calamine")
    else:
        raise LocalFiguresError(f"{path}: expected a .csv (figures or survey return) or the "
                                "survey's .xlsx return")
    frame = frame.rename(columns=lambda c: str(c).strip())
    if "la_code" not in frame.columns:
        raise LocalFiguresError(f"{path}: neither a figures file (columns {', '.join(COLUMNS)}) nor "
                                "a survey return (an la_code column)")
    return _from_survey(path, frame)


def read(path: str | Path, known: dict[str, float], first: int, last: int,
         implausible_share: float = 1.0) -> Figures:
    """Checked figures from ``path`` (see the module docstring). ``known``: every LA that has a
    path -> its DSG income (pounds a year, the latest held), for the plausibility check;
    ``first``..``last``: the years a figure may be for (31 March, financial year end, January)."""
    path = Path(path)
    raw = _raw(path)
    if raw.empty:
        raise LocalFiguresError(f"{path}: no figures (only a header)")
    out = []
    for r in raw.to_dict("records"):
        where = f"{path}, {r['row']}"
        code, measure = str(r["la_code"]).strip(), str(r["measure"]).strip()
        if code not in known:
            raise LocalFiguresError(f"{where}, la_code: {code!r} is not an LA with a DSG path "
                                    "(a DfE 3-digit code such as 886)")
        if measure not in MEASURES:
            raise LocalFiguresError(f"{where}, measure: {measure!r} is not one of {', '.join(MEASURES)}")
        try:
            year = _period_year(measure, str(r["period"]))
        except ValueError as error:
            raise LocalFiguresError(f"{where}, period: {r['period']!r}: {error}") from None
        if not first <= year <= last:
            span = (f"31 March {first} to 31 March {last}" if measure == "balance" else
                    f"January {first} to January {last}" if measure == "plans" else
                    f"{year_label(first, 'financial')} to {year_label(last, 'financial')}")
            raise LocalFiguresError(f"{where}, period: {r['period']!r} is outside the model's years "
                                    f"({span})")
        try:
            value = float(str(r["value"]).replace(",", "").replace("£", ""))
        except ValueError:
            raise LocalFiguresError(f"{where}, value: {r['value']!r} is not a number") from None
        if value != value:
            raise LocalFiguresError(f"{where}, value: empty")
        if measure == "balance" and abs(value) > implausible_share * known[code]:
            raise LocalFiguresError(
                f"{where}, value: a balance of £{value:,.0f} is larger than "
                f"{implausible_share:.0%} of the LA's DSG income (£{known[code]:,.0f} a year): "
                "implausible (give pounds, not thousands or millions)")
        if measure != "balance" and value < 0:
            raise LocalFiguresError(f"{where}, value: {measure} cannot be negative")
        out.append({"la_code": code, "measure": measure, "year": year, "value": value,
                    "row": r["row"]})
    rows = pd.DataFrame(out)
    twice = rows[rows.duplicated(["la_code", "measure", "year"], keep=False)]
    if len(twice):
        first_two = twice.groupby(["la_code", "measure", "year"])["row"].apply(" and ".join).iloc[0]
        raise LocalFiguresError(f"{path}: the same LA, measure and period twice ({first_two})")
    return Figures(rows=rows.sort_values(["la_code", "measure", "year"]).reset_index(drop=True),
                   source=str(path))
