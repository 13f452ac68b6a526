"""Ofsted/CQC area SEND inspections and outcomes, May 2016 to August 2022 (first framework).

One row per LA area: inspection start and publication dates, whether a written statement of
action (WSoA) was required, the revisit dates and outcome where one took place. Dates are
``datetime64``; answers keep Ofsted's wording. LA areas are keyed by ONS code (``new_la_code``).
Two areas inspected and then abolished (Dorset, Northamptonshire) appear only in the file's
notes; they are read from there (:data:`ABOLISHED_AREAS`).
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from analysis.errors import DataError
from analysis.tables.readers import SourceFile

SHEET = "Area_SEND_up_to_31_Aug_2022"
NOTES_SHEET = "Notes"

ABOLISHED_AREAS = {"Dorset": "E10000009", "Northamptonshire": "E10000021"}
"""Areas inspected before they were abolished, which the file reports only in its notes, with
their ONS codes (Dorset county council, Northamptonshire county council)."""

_NOTE = re.compile(r"^(?P<area>[A-Z][A-Za-z ]+?) were inspected in (?P<month>[A-Z][a-z]+ \d{4}) "
                   r"and (?P<outcome>required|did not require) a WSoA\.")


def _snake(text: str) -> str:
    text = re.sub(r"\[.*?\]", "", str(text)).strip().lower()
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_")


def read_area_send_inspections(files: dict[str, SourceFile]) -> pd.DataFrame:
    """Area SEND inspection outcomes by LA (see module doc)."""
    path = files["file"].path
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
    notes = _abolished_area_inspections(path, body.columns)
    return pd.concat([body, notes], ignore_index=True)


def _abolished_area_inspections(path: Path, columns) -> pd.DataFrame:
    """Rows for the areas the file reports only in its notes ("Dorset were inspected in January
    2017 and required a WSoA."): ONS code, name, the first day of the month of the inspection,
    the outcome; no publication date. A note about an inspection that cannot be read, or of an
    area not in :data:`ABOLISHED_AREAS`, is an error."""
    where = f"{Path(path).name}, sheet {NOTES_SHEET!r}"
    notes = pd.read_excel(path, sheet_name=NOTES_SHEET, header=None).iloc[:, -1].astype("string")
    rows = []
    for text in notes.dropna():
        if "were inspected" not in text:
            continue
        match = _NOTE.match(text.strip())
        if match is None or match["area"] not in ABOLISHED_AREAS:
            raise DataError(f"{where}: cannot read the inspection in the note {text!r}")
        rows.append({"new_la_code": ABOLISHED_AREAS[match["area"]], "la_name": match["area"],
                     "inspection_start_date": pd.to_datetime(match["month"], format="%B %Y"),
                     "inspection_outcome_written_statement_of_action_required":
                         "Yes" if match["outcome"] == "required" else "No"})
    if sorted(r["la_name"] for r in rows) != sorted(ABOLISHED_AREAS):
        raise DataError(f"{where}: expected notes on the inspections of {sorted(ABOLISHED_AREAS)}")
    frame = pd.DataFrame(rows).reindex(columns=list(columns))
    for column in frame.columns:
        if "date" in column and not column.endswith("_note"):
            frame[column] = pd.to_datetime(frame[column])
        elif column.startswith("number"):
            frame[column] = frame[column].astype("float64")
        else:
            frame[column] = frame[column].astype("string")
    return frame
