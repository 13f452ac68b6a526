"""DfE high needs benchmarking data, "2021-22" (S251 budget 2021-22, outturn 2020-21, LA figures).

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


def section_years(raw: pd.DataFrame, where: str) -> tuple[int, int]:
    """(year of the S251 budget, year of the S251 outturn), financial-year end years, read from
    the file itself: the "Year" cell above the budget block ("2021-22") and the note above the
    outturn block ("This table has values for 2016-17, ... and 2020-21 currently as data for
    later years is unavailable": its latest year). The workbook is called 2021-22, but its
    outturn is 2020-21 (its plan counts are SEN2 January 2021), shown on April 2021 LA
    boundaries (North and West Northamptonshire have rows, Northamptonshire none)."""
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
    return budget, max(period_end_year(y, "Financial year") for y in listed)


def read_hn_benchmarking(files: dict[str, SourceFile]) -> pd.DataFrame:
    """High needs benchmarking ("2021-22") by LA, long format (see module doc). Each measure
    carries the year it is for (:func:`section_years`): outturn 2020-21, the rest 2021-22."""
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
    budget_year, outturn_year = section_years(raw, where)
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
