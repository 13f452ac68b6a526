"""English indices of deprivation 2019 (MHCLG), upper-tier LA summaries (File 11).

Long format: one row per UTLA (2019 codes, which are ONS codes: join on ``new_la_code``) x
domain (``IMD``, ``IDACI``, ...) x summary measure (average rank, average score, proportion of
LSOAs in the most deprived 10% nationally, extent, local concentration, and their ranks).
Rank 1 = most deprived.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from analysis.errors import DataError
from analysis.tables.conventions import split_symbols
from analysis.tables.readers import SourceFile

DOMAINS = ("IMD", "Income", "Employment", "Education", "Health", "Crime", "Barriers", "Living",
           "IDACI", "IDAOPI")


def _measure_name(header: str, domain: str) -> str:
    text = header.split(" - ", 1)[1] if " - " in header else header
    text = re.sub(r"[^a-z0-9]+", "_", text.strip().lower()).strip("_")
    return text


def read_deprivation(files: dict[str, SourceFile]) -> pd.DataFrame:
    """IoD2019 summaries for every UTLA and domain, long format (see module doc)."""
    path = files["file"].path
    sheets = pd.read_excel(path, sheet_name=list(DOMAINS), header=0, dtype=str, engine="calamine")
    parts = []
    for domain, sheet in sheets.items():
        where = f"{Path(path).name}, sheet {domain!r}"
        code_col, name_col = sheet.columns[0], sheet.columns[1]
        if "code" not in code_col.lower():
            raise DataError(f"{where}: first column {code_col!r} is not an area code")
        for column in sheet.columns[2:]:
            values, symbols = split_symbols(sheet[column], where=f"{where}, column {column!r}")
            parts.append(pd.DataFrame({
                "new_la_code": sheet[code_col].str.strip(), "la_name": sheet[name_col].str.strip(),
                "domain": domain, "measure": _measure_name(column, domain),
                "value": values, "symbol": symbols,
            }))
    out = pd.concat(parts, ignore_index=True)
    for column in out.columns:
        if column != "value":
            out[column] = out[column].astype("string")
    return out
