"""Ofsted/CQC area SEND inspections and outcomes, May 2016 to August 2022 (first framework).

One row per LA area: inspection start and publication dates, whether a written statement of
action (WSoA) was required, the revisit dates and outcome where one took place. Dates are
``datetime64``; answers keep Ofsted's wording. LA areas are keyed by ONS code (``new_la_code``).
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from analysis.conventions import DataError

SHEET = "Area_SEND_up_to_31_Aug_2022"


def _snake(text: str) -> str:
    text = re.sub(r"\[.*?\]", "", str(text)).strip().lower()
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_")


def read_area_send_inspections(paths: dict[str, Path]) -> pd.DataFrame:
    """Area SEND inspection outcomes by LA (see module doc)."""
    path = paths["ofsted_area_send_inspections"]
    where = f"{Path(path).name}, sheet {SHEET!r}"
    raw = pd.read_excel(path, sheet_name=SHEET, header=None)
    first = raw.iloc[:, 1].astype("string").str.strip()
    header_rows = raw.index[first.eq("Local authority code")]
    if len(header_rows) != 1:
        raise DataError(f"{where}: cannot find the header row ('Local authority code')")
    h = header_rows[0]
    body = raw.loc[h + 1:].copy()
    body.columns = [_snake(c) for c in raw.loc[h]]
    body = body.drop(columns=[c for c in body.columns if c.startswith("web_link")])
    body = body[body["local_authority_code"].astype("string").str.match(r"E\d{8}").fillna(False)]
    body = body.rename(columns={"local_authority_code": "new_la_code", "area_name": "la_name"})
    for column in body.columns:
        if "date" in column and not column.startswith("revisit"):
            body[column] = pd.to_datetime(body[column], errors="raise")
        elif "date" in column:
            parsed = pd.to_datetime(body[column], errors="coerce", format="mixed")
            text = body[column].astype("string")
            bad = parsed.isna() & text.notna() & ~text.str.lower().str.startswith("not ")
            if bad.any():
                raise DataError(f"{where}: column {column!r} has non-dates {sorted(set(text[bad]))}")
            body[column + "_note"] = text.where(parsed.isna())
            body[column] = parsed
        elif not column.startswith("number"):
            body[column] = body[column].astype("string").str.strip()
        else:
            body[column] = pd.to_numeric(body[column], errors="raise").astype("float64")
    return body.reset_index(drop=True)
