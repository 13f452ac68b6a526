"""SEND Tribunal appeals and appeal rates by LA, 2014-2024 (MoJ, re-published by DfE in the
EHC plans 2025 release as a supporting file).

The file is a wide, presentation-style table: a title, a two-row header (calendar year, then
"Appeals registered", "Total Appealable Decisions", "SEND Tribunal Appeal Rate" under each
year), regional heading rows, LA rows with a DfE code, and footnotes. In it "-" means nil (the
rate beside it reads 0.00%), so "-" is read as zero with symbol "-". The rate is a percentage.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from analysis.conventions import DataError, split_symbols, typed_long

MEASURES = {
    "appeals registered": "appeals_registered",
    "total appealable decisions": "appealable_decisions",
    "send tribunal appeal rate": "appeal_rate_pct",
}


def read_tribunals(paths: dict[str, Path]) -> pd.DataFrame:
    """Appeals registered, appealable decisions and appeal rate by LA and calendar year."""
    path = paths["ehcp_r25_tribunals_appeal_rate"]
    where = Path(path).name
    raw = pd.read_csv(path, header=None, dtype=str, encoding="utf-8-sig", keep_default_na=False)
    first = raw.iloc[:, 0].str.strip()
    header_rows = raw.index[first.eq("Local Authority")]
    if len(header_rows) != 1:
        raise DataError(f"{where}: cannot find the 'Local Authority' header row")
    h = header_rows[0]
    years = raw.loc[h].str.strip().replace("", pd.NA).ffill()
    labels = raw.loc[h + 1].str.strip().str.lower().str.replace(r"\d+$", "", regex=True)
    body = raw.loc[h + 2:]
    body = body[body.iloc[:, 1].str.strip().str.fullmatch(r"\d{3}")]
    parts = []
    for i in range(2, raw.shape[1]):
        year, label = years[i], labels[i]
        if pd.isna(year) or not re.fullmatch(r"\d{4}", str(year)) or label not in MEASURES:
            continue
        values, symbols = split_symbols(body.iloc[:, i], where=f"{where}, column {i}", nil=True)
        parts.append(pd.DataFrame({
            "time_period": str(year), "time_identifier": "Calendar year",
            "geographic_level": "Local authority",
            "old_la_code": body.iloc[:, 1].str.strip(), "la_name": body.iloc[:, 0].str.strip(),
            "year": int(year), "measure": MEASURES[label], "value": values, "symbol": symbols,
        }))
    if not parts:
        raise DataError(f"{where}: no year/measure columns recognised")
    out = pd.concat(parts, ignore_index=True)
    return typed_long(out)
