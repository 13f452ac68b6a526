"""DfE high needs benchmarking data, "2021-22" (S251 budget and outturn 2021-22, LA figures).

The workbook has a multi-row header: a group label (e.g. "Section 251 budget") spanning a
block of columns, then the detail label. Each measure is named ``group | detail`` from those
rows, exactly as published (units as the headers say: pounds, pounds per head, counts). One row
per LA x measure, long format; the region is the EES region (inner and outer London -> London).
"""

from __future__ import annotations

import re

import pandas as pd

from analysis.errors import DataError
from analysis.tables.conventions import financial_year_code, period_end_year, split_symbols, typed_long
from analysis.tables.geography import FIRST_FINANCIAL_YEAR, LAST_FINANCIAL_YEAR
from analysis.tables.readers import SourceFile
from analysis.vocabulary import ENGLISH_REGIONS, LA_LEVEL

HEADER_ROWS = (2, 3, 4, 5)  # section, line, group, detail (0-based rows of the sheet)


def _clean(value) -> str:
    return " ".join(str(value).split()) if pd.notna(value) else ""


def _labels(raw: pd.DataFrame) -> list[str]:
    """``section | line | detail`` per column from the header rows, blocks filled rightwards.

    The section (row 2, e.g. "Section 251 budget") runs until the next section or an empty
    column; the line (row 3, else row 4; "of which" rows skipped) runs until the next line.
    """
    section_row, line_row, group_row, detail_row = (raw.iloc[r] for r in HEADER_ROWS)
    labels, section, line = [], "", ""
    for col in range(raw.shape[1]):
        header = [_clean(r.iloc[col]) for r in (section_row, line_row, group_row, detail_row)]
        if not any(header):
            section, line = "", ""
            labels.append("")
            continue
        if header[0] and header[0] != "2021-22":
            section = header[0]
        candidate = header[1] or (header[2] if not header[2].lower().startswith("of which")
                                  else "")
        if candidate:
            line = candidate
        parts = []
        for part in (section, line, header[3] or header[2]):
            if part and not part.lower().startswith("of which") and part not in parts:
                parts.append(part)
        labels.append(" | ".join(parts))
    return labels


OUTTURN_SECTIONS = ("Section 251 outturn", "Table 3b")
"""Sections of the workbook that hold S251 outturn (totals, and per head of 2-18 population)."""


def section_years(raw: pd.DataFrame, where: str, outturn_codes=()) -> tuple[int, int]:
    """(year of the S251 budget, year of the S251 outturn), financial-year end years, settled
    from the file's contents, not its name or its own caption.

    The budget year is the "Year" cell above the budget block ("2021-22"). The outturn block
    has no year of its own: a note above it says "This table has values for 2016-17, ... and
    2020-21 currently as data for later years is unavailable" (the benchmarking tool's chart
    caption, left unchanged from an earlier edition). Its latest year is only a lower bound:
    the outturn is the first year in which every LA with outturn figures (``outturn_codes``)
    existed. In the workbook held, North and West Northamptonshire (created 1 April 2021) have
    outturn lines of their own and Northamptonshire has none, so the outturn is 2021-22 (not
    2020-21), the same year as the budget; its top-ups to independent and non-maintained
    schools (£1.77bn) match DfE's 2021-22 figure too. An abolished LA with outturn figures
    caps the year; an outturn after the budget year, or a cap below the lower bound, is an
    error naming the file."""
    cells = raw.astype("string").fillna("")
    rows, cols = (cells == "Year").to_numpy().nonzero()
    year_cells = [cells.iat[r, c + 1] for r, c in zip(rows, cols)]
    notes = [v for v in cells.to_numpy().ravel() if "This table has values for" in v]
    if not year_cells or len(notes) != 1:
        raise DataError(f"{where}: cannot find the budget 'Year' cell and the outturn note")
    budget = period_end_year(year_cells[0], "Financial year")
    listed = re.findall(r"\d{4}-\d{2}", notes[0])
    if not listed:
        raise DataError(f"{where}: the outturn note names no years: {notes[0]!r}")
    codes = set(outturn_codes)
    outturn = max([period_end_year(y, "Financial year") for y in listed]
                  + [FIRST_FINANCIAL_YEAR[c] for c in codes & set(FIRST_FINANCIAL_YEAR)])
    cap = min([LAST_FINANCIAL_YEAR[c] for c in codes & set(LAST_FINANCIAL_YEAR)], default=budget)
    if outturn > cap:
        raise DataError(f"{where}: the outturn block has figures for LAs that never existed in "
                        f"one year together (successors from {outturn}, abolished by {cap})")
    return budget, outturn


def read_hn_benchmarking(files: dict[str, SourceFile]) -> pd.DataFrame:
    """High needs benchmarking ("2021-22") by LA, long format (see module doc). Each measure
    carries the year it is for (:func:`section_years`): 2021-22 for the workbook held; its
    plan counts are SEN2 January 2021 (430,665 plans; DfE's January 2021 total is 430,697)."""
    path = files["file"].path
    where = files["file"].name
    raw = pd.read_excel(path, header=None, dtype=str, engine="calamine")
    labels = _labels(raw)
    try:
        code_col = labels.index("LA code")
        region_col = labels.index("Region")
        name_col = labels.index("LA name")
    except ValueError:
        raise DataError(f"{where}: header rows {HEADER_ROWS} lack Region / LA code / LA name") from None
    body = raw.iloc[HEADER_ROWS[1] + 1:]
    body = body[body.iloc[:, code_col].astype("string").str.strip().str.fullmatch(r"\d{3}")
                .fillna(False)]
    measures = [i for i, label in enumerate(labels)
                if label and i not in (code_col, region_col, name_col)
                and body.iloc[:, i].notna().any()]
    names = [labels[i] for i in measures]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise DataError(f"{where}: header rows give the same measure name twice: {repeated}")
    # The file splits London into inner and outer London; tables use the EES region (the split
    # is in la_lookup's ``lait_region``).
    names = {r.lower(): r for r in ENGLISH_REGIONS} | {"inner london": "London",
                                                       "outer london": "London"}
    regions = body.iloc[:, region_col].str.strip().str.lower().map(names)
    if regions.isna().any():
        unknown = sorted(set(body.iloc[:, region_col][regions.isna()]))
        raise DataError(f"{where}: unrecognised regions {unknown}")
    # an LA reports outturn where it has a figure other than nought in the outturn block (the
    # per-head table beside it is computed, and abolished LAs' rows carry noughts there)
    outturn_cols = [i for i in measures if labels[i].startswith(OUTTURN_SECTIONS[0])]
    amounts = body.iloc[:, outturn_cols].apply(pd.to_numeric, errors="coerce")
    reporting = amounts.fillna(0).ne(0).any(axis=1)
    budget_year, outturn_year = section_years(raw, where, body.loc[reporting].iloc[:, code_col].str.strip())
    parts = []
    for i in measures:
        name = labels[i]
        year = outturn_year if name.startswith(OUTTURN_SECTIONS) else budget_year
        values, symbols = split_symbols(body.iloc[:, i], where=f"{where}, column {i} {name!r}")
        parts.append(pd.DataFrame({
            "time_period": financial_year_code(year), "time_identifier": "Financial year",
            "geographic_level": LA_LEVEL,
            "region_name": regions,
            "old_la_code": body.iloc[:, code_col].str.strip(),
            "la_name": body.iloc[:, name_col].str.strip(),
            "year": year, "measure": name, "value": values, "symbol": symbols,
        }))
    out = pd.concat(parts, ignore_index=True)
    return typed_long(out)
