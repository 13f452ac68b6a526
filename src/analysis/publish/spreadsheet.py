"""Spreadsheets for download, laid out as the Analysis Function's guidance on releasing
statistics in spreadsheets asks: a cover sheet, a contents sheet, a notes sheet, then one table per
sheet, each with its title in cell A1, a line saying what the sheet holds, the unit (measure) and
source above it, headers in words, numbers stored as numbers, no merged cells, no blank rows or
columns inside a table, and "[x]" (explained on the notes sheet) where a figure is not available.

Files are byte-identical for identical content: the workbook's document dates are the release
date and the zip entries carry a fixed timestamp.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime
from pathlib import Path

import pandas as pd

from analysis.files import atomic_write, read_table_title
from analysis.report.collection import SheetTable
from analysis.report.words import header_words, read_number

NOT_AVAILABLE = "[x]"
NOTES = (f"{NOT_AVAILABLE} means the figure is not available: suppressed by the publisher, not "
         "returned by the LA, or not published for that year. It is never zero. Where the data "
         "has a column ending 'symbol', that column gives the publisher's own symbol.",
         "[z] means not applicable: for example no reason is needed where a figure is available.",
         "Money is in pounds (£), cash terms (the prices of each year), unless a table's title or "
         "unit says real terms.",
         "Years follow the source: January census years for EHC plans and pupils, financial years "
         "(April to March, written 2021-22) for money, academic years for exclusions and appeals.")
"""Notes that apply to every table of every workbook (numbered from 1 on the notes sheet)."""
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
HEADER_ROW = 5
"""Row of a table's column headers (title, description, unit and source above it)."""


CODE_COLUMNS = ("area_code", "code", "unit", "la_code", "path_code", "member", "old_la_code",
                "new_la_code", "region_code", "series_code")
"""Columns of codes: read as text, so "201" stays a code and "E92000001" is not a number."""


def published_table(path: Path, name: str) -> SheetTable:
    """A published CSV as a sheet's table, titled by the ``NAME.json`` written beside it by
    :func:`analysis.report.plotting.write_table` (title, measure, source). ``name`` is how the
    contents sheet names the CSV."""
    meta = read_table_title(path)
    frame = pd.read_csv(path, dtype={c: str for c in CODE_COLUMNS}, keep_default_na=False,
                        na_values=[""])
    return SheetTable(title=meta.get("title") or f"The table published as {path.name}", frame=frame,
                      measure=meta.get("measure", ""), source=meta.get("source", ""), csv=name)


def write_workbook(path: str | Path, *, title: str, about: list[str], tables: list[SheetTable],
                   release_date: str, contact: str = "", notes: tuple[str, ...] = NOTES) -> Path:
    """Write an XLSX workbook to ``path`` atomically: cover (``title``, the ``about`` paragraphs,
    release date, contact), contents, notes, then ``Table_1``, ``Table_2``, ... in order."""
    if not tables:
        raise ValueError(f"{path}: a workbook needs at least one table")
    data = _workbook_bytes(title, about, tables, release_date, contact, notes)
    return atomic_write(path, lambda tmp: tmp.write_bytes(data))


def _workbook_bytes(title, about, tables, release_date, contact, notes) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.worksheet.hyperlink import Hyperlink

    wb = Workbook()
    cover = wb.active
    cover.title = "Cover_sheet"
    rows = [(title, Font(bold=True, size=16)), *[(p, None) for p in about],
            ("Release date", Font(bold=True, size=13)), (release_date, None),
            ("Contact", Font(bold=True, size=13)),
            (contact or "No contact has been set for this copy (site: contact: in "
                        "notebooks/pipeline.yaml).", None),
            ("Contents", Font(bold=True, size=13)),
            (f"This workbook has {len(tables)} tables, listed on the Contents sheet; "
             "the notes they refer to are on the Notes sheet.", None)]
    for r, (text, font) in enumerate(rows, start=1):
        cell = cover.cell(row=r, column=1, value=text)
        if font:
            cell.font = font
    cover.column_dimensions["A"].width = 100

    contents = wb.create_sheet("Contents")
    contents["A1"] = "Contents"
    contents["A1"].font = Font(bold=True, size=16)
    contents["A2"] = "This worksheet contains one table; each sheet name links to its sheet."
    for c, name in enumerate(("Sheet", "Table title", "Also published as"), start=1):
        contents.cell(row=3, column=c, value=name).font = Font(bold=True)
    for n, table in enumerate(tables, start=1):
        cell = contents.cell(row=3 + n, column=1, value=f"Table_{n}")
        cell.hyperlink = Hyperlink(ref=cell.coordinate, location=f"'Table_{n}'!A1",
                                   display=f"Table_{n}")
        cell.font = Font(color="1D70B8", underline="single")
        contents.cell(row=3 + n, column=2, value=table.title)
        contents.cell(row=3 + n, column=3, value=table.csv or "not published as a CSV")
    for col, width in (("A", 12), ("B", 90), ("C", 45)):
        contents.column_dimensions[col].width = width

    sheet = wb.create_sheet("Notes")
    sheet["A1"] = "Notes"
    sheet["A1"].font = Font(bold=True, size=16)
    sheet["A2"] = "This worksheet contains one table."
    sheet.cell(row=3, column=1, value="Note number").font = Font(bold=True)
    sheet.cell(row=3, column=2, value="Note text").font = Font(bold=True)
    for n, text in enumerate(notes, start=1):
        sheet.cell(row=3 + n, column=1, value=f"Note {n}")
        sheet.cell(row=3 + n, column=2, value=text)
    sheet.column_dimensions["A"].width = 14
    sheet.column_dimensions["B"].width = 100

    for n, table in enumerate(tables, start=1):
        _table_sheet(wb.create_sheet(f"Table_{n}"), table, Font)

    when = datetime.fromisoformat(release_date)
    wb.properties.created = wb.properties.modified = when
    wb.properties.creator = wb.properties.lastModifiedBy = "analysis"
    wb.properties.title = title
    buffer = io.BytesIO()
    wb.save(buffer)
    return _fixed_zip(buffer.getvalue(), when.strftime("%Y-%m-%dT%H:%M:%SZ"))


def _table_sheet(ws, table: SheetTable, Font) -> None:
    ws["A1"] = table.title
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = (f"This worksheet contains one table of {len(table.frame):,} rows. "
                f"{NOT_AVAILABLE} = not available (note 1).")
    ws["A3"] = f"Unit: {table.measure}" if table.measure else "Unit: as each column header says"
    ws["A4"] = f"Source: {table.source}" if table.source else "Source: see the report's provenance"
    frame = table.frame
    for c, column in enumerate(frame.columns, start=1):
        header = header_words(column)
        ws.cell(row=HEADER_ROW, column=c, value=header).font = Font(bold=True)
        values = frame[column]
        whole = (pd.api.types.is_float_dtype(values)
                 and bool(values.dropna().map(float.is_integer).all()))
        codes = "code" in header.lower()
        width = len(header)
        for r, value in enumerate(values.tolist(), start=HEADER_ROW + 1):
            shown = _cell(value)
            cell = ws.cell(row=r, column=c, value=int(shown) if whole and shown != NOT_AVAILABLE else shown)
            if isinstance(cell.value, str) and not codes:
                _written_number(cell)
            elif isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool):
                cell.number_format = ("£#,##0" if header.endswith("(£)") else "#,##0"
                                      if whole or isinstance(cell.value, int) else "#,##0.0###")
            width = max(width, len(str(shown)) if r < HEADER_ROW + 200 else 0)
        ws.column_dimensions[ws.cell(row=HEADER_ROW, column=c).column_letter].width = min(60, width + 2)
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=1)


def _written_number(cell) -> None:
    """A text cell that holds a number written for reading (a column mixing words and numbers,
    such as a table of assumptions) stored as that number, shown as it was written: "£4.12bn"
    in pounds, "2.23%" as a fraction with a percentage format, "2015" as 2015."""
    text = cell.value
    read = read_number(text)
    if read is None:
        return
    value, unit = read
    decimals = len(text.split(".")[1].rstrip("%bnmk")) if "." in text else 0
    places = "." + "0" * decimals if decimals else ""
    if unit == "%":
        cell.value, cell.number_format = value / 100, f"0{places}%"
    elif unit == "£":
        cell.value, cell.number_format = value, "£#,##0"
    else:
        cell.value = int(value) if value.is_integer() else value
        cell.number_format = f"#,##0{places}" if "," in text else f"0{places}"


def _cell(value):
    """A value as a spreadsheet cell: numbers as numbers, missing as ``[x]``, text as text."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return NOT_AVAILABLE
    if hasattr(value, "item"):   # numpy scalars
        value = value.item()
    return value if isinstance(value, (int, float, str, bool)) else str(value)


def _fixed_zip(data: bytes, modified: str) -> bytes:
    """The same zip with every entry's timestamp fixed and the document's modified date set to
    ``modified`` (openpyxl stamps the time of writing on both)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                                 rb"\g<1>" + modified.encode() + rb"\g<2>", content)
            fixed = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, content)
    return out.getvalue()
