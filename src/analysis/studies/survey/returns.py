"""Survey returns as files: the blank template, and loaders for filled templates and for the
export of a survey platform.

Every loader returns *raw returns*: one row per response, a ``response_id`` column and one text
column per codebook question id, values exactly as typed (cleaning is :mod:`.validate`'s job).

* Template (``python -m analysis survey template``): ``survey_template.csv`` (header: question
  ids) and ``survey_template.xlsx`` (sheet ``return`` the same, sheet ``codebook`` the questions).
* Platform export: one row per response with question *texts* as headers, mapped to ids by a YAML
  mapping file::

      response_id: Response ID          # the export's column identifying a response
      columns:                          # question id: the export's header text
        la_code: "Q1. Local authority code"
        hnb_allocation_2015_16: "Q2a. High needs block allocation 2015-16"
      ignore: [Start time, End time]    # export columns deliberately not used

  Any export column neither mapped nor ignored is an error, as is a mapping to an unknown id.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import yaml

from analysis.files import atomic_write
from analysis.studies.survey.codebook import Codebook

RESPONSE_ID = "response_id"


class ReturnsError(ValueError):
    """A returns file or mapping cannot be read as survey returns; the message names the file."""


def codebook_table(codebook: Codebook) -> pd.DataFrame:
    """The questions as a table: id, year, text, type, unit, min, max, allowed values, required."""
    return pd.DataFrame([{
        "id": q.id, "year": q.year or "", "text": q.text, "type": q.type, "unit": q.unit or "",
        "min": q.min, "max": q.max, "values": "; ".join(map(str, q.values)) if q.values else "",
        "required": "yes" if q.required else "no",
    } for q in codebook.questions])


def write_template(dest: Path, codebook: Codebook) -> list[Path]:
    """Write ``survey_template.csv`` and ``survey_template.xlsx`` into ``dest``; return both paths."""
    dest = Path(dest)
    blank = pd.DataFrame(columns=[RESPONSE_ID, *codebook.ids])
    csv = atomic_write(dest / "survey_template.csv", lambda tmp: blank.to_csv(tmp, index=False))

    def write_xlsx(tmp: Path) -> None:
        with pd.ExcelWriter(tmp, engine="openpyxl") as writer:
            blank.to_excel(writer, sheet_name="return", index=False)
            codebook_table(codebook).to_excel(writer, sheet_name="codebook", index=False)

    xlsx = atomic_write(dest / "survey_template.xlsx", write_xlsx)
    return [csv, xlsx]


def _read_table(path: Path, sheet: str | None = None) -> pd.DataFrame:
    path = Path(path)
    if not path.is_file():
        raise ReturnsError(f"{path}: file not found")
    if path.suffix.lower() == ".csv":
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    elif path.suffix.lower() in (".xlsx", ".xls"):
        frame = pd.read_excel(path, sheet_name=sheet or 0, dtype=str, keep_default_na=False,
                              engine="calamine")
    else:
        raise ReturnsError(f"{path}: expected a .csv or .xlsx file")
    return frame.rename(columns=lambda c: str(c).strip())


def _finish(frame: pd.DataFrame, codebook: Codebook, path: Path) -> pd.DataFrame:
    if frame.empty:
        raise ReturnsError(f"{path}: no responses (only a header)")
    unknown = [c for c in frame.columns if c not in (RESPONSE_ID, *codebook.ids)]
    if unknown:
        raise ReturnsError(f"{path}: columns not in the codebook (for years {', '.join(codebook.years)}): "
                           f"{unknown}")
    if RESPONSE_ID not in frame.columns or frame[RESPONSE_ID].eq("").any():
        frame = frame.drop(columns=RESPONSE_ID, errors="ignore")
        frame.insert(0, RESPONSE_ID, [f"row {n}" for n in range(2, len(frame) + 2)])
    repeated = frame[RESPONSE_ID][frame[RESPONSE_ID].duplicated()].tolist()
    if repeated:
        raise ReturnsError(f"{path}: response ids repeated: {repeated}")
    for question in codebook.ids:  # questions not in the file are unanswered, not dropped
        if question not in frame.columns:
            frame[question] = ""
    return frame[[RESPONSE_ID, *codebook.ids]].astype("string").reset_index(drop=True)


def load_template(path: Path, codebook: Codebook) -> pd.DataFrame:
    """Raw returns from filled templates (CSV, or the ``return`` sheet of the XLSX)."""
    return _finish(_read_table(path, "return"), codebook, Path(path))


def load_export(path: Path, mapping_path: Path, codebook: Codebook) -> pd.DataFrame:
    """Raw returns from a platform export whose headers are question texts (see the module)."""
    mapping = yaml.safe_load(Path(mapping_path).read_text(encoding="utf-8")) if Path(mapping_path).is_file() \
        else None
    if not isinstance(mapping, dict) or not isinstance(mapping.get("columns"), dict):
        raise ReturnsError(f"{mapping_path}: expected a mapping with 'columns' (question id: header text)")
    columns = {str(header).strip(): qid for qid, header in mapping["columns"].items()}
    bad_ids = [qid for qid in columns.values() if qid not in codebook.ids]
    if bad_ids:
        raise ReturnsError(f"{mapping_path}: maps to ids not in the codebook: {bad_ids}")
    frame = _read_table(path)
    id_header = mapping.get("response_id")
    if id_header:
        if id_header not in frame.columns:
            raise ReturnsError(f"{path}: no column {id_header!r} (the mapping's response_id)")
        columns[id_header] = RESPONSE_ID
    missing = [h for h in columns if h not in frame.columns]
    if missing:
        raise ReturnsError(f"{path}: mapped columns not found in the export: {missing}")
    ignored = set(mapping.get("ignore") or [])
    unmapped = [c for c in frame.columns if c not in columns and c not in ignored]
    if unmapped:
        raise ReturnsError(f"{path}: columns neither mapped nor ignored in {mapping_path}: {unmapped}")
    frame = frame[[c for c in frame.columns if c in columns]].rename(columns=columns)
    return _finish(frame, codebook, Path(path))
