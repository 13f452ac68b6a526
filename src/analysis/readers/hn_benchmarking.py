"""DfE high needs benchmarking data, 2021-22 (S251 outturn and related LA figures).

The workbook has a multi-row header: a group label (e.g. "Section 251 budget") spanning a
block of columns, then the detail label. Each measure is named ``group | detail`` from those
rows, exactly as published (units as the headers say: pounds, pounds per head, counts). One row
per LA x measure, long format; the region is the EES region (inner and outer London -> London).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.conventions import ENGLISH_REGIONS, DataError, split_symbols, typed_long

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


def read_hn_benchmarking(paths: dict[str, Path]) -> pd.DataFrame:
    """High needs benchmarking 2021-22 by LA, long format (see module doc)."""
    path = paths["hn_benchmarking_outturn_2122"]
    where = Path(path).name
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
    parts = []
    for i in measures:
        name = labels[i]
        values, symbols = split_symbols(body.iloc[:, i], where=f"{where}, column {i} {name!r}")
        parts.append(pd.DataFrame({
            "time_period": "202122", "time_identifier": "Financial year",
            "geographic_level": "Local authority",
            "region_name": regions,
            "old_la_code": body.iloc[:, code_col].str.strip(),
            "la_name": body.iloc[:, name_col].str.strip(),
            "year": 2022, "measure": name, "value": values, "symbol": symbols,
        }))
    out = pd.concat(parts, ignore_index=True)
    return typed_long(out)
