"""Spreadsheets laid out as the Analysis Function's guidance asks, on a two-table fixture."""

import json

import openpyxl
import pandas as pd
import pytest

from analysis.publish import spreadsheet

TABLES = [
    spreadsheet.SheetTable(
        title="EHC plans rose in both LAs", measure="EHC plans", source="DfE, SEN2, 2025 release",
        csv="tables/plans.csv",
        frame=pd.DataFrame({"area_code": ["201", "886"], "year": [2025, 2025],
                            "value": [1072.0, float("nan")], "share_pct": [12.5, 3.25]})),
    spreadsheet.SheetTable(title="Spending per plan", frame=pd.DataFrame({"value_gbp": [21_500.5]})),
]


def _book(tmp_path, **kwargs):
    path = spreadsheet.write_workbook(tmp_path / "r.xlsx", title="A report: tables",
                                      about=["Every table of a report."], tables=TABLES,
                                      release_date="2026-12-02", **kwargs)
    return path, openpyxl.load_workbook(path)


def test_cover_contents_notes_then_one_table_per_sheet(tmp_path):
    _, wb = _book(tmp_path, contact="send-data@example.org")
    assert wb.sheetnames == ["Cover_sheet", "Contents", "Notes", "Table_1", "Table_2"]
    cover = [r[0] for r in wb["Cover_sheet"].iter_rows(values_only=True)]
    assert cover[0] == "A report: tables" and "2026-12-02" in cover and "send-data@example.org" in cover
    contents = list(wb["Contents"].iter_rows(min_row=3, values_only=True))
    assert contents == [("Sheet", "Table title", "Also published as"),
                        ("Table_1", "EHC plans rose in both LAs", "tables/plans.csv"),
                        ("Table_2", "Spending per plan", "not published as a CSV")]
    assert wb["Contents"]["A4"].hyperlink.location == "'Table_1'!A1"
    assert wb["Notes"]["A4"].value == "Note 1" and "[x]" in wb["Notes"]["B4"].value


def test_a_table_sheet_has_title_unit_source_words_numbers_and_no_blanks_or_merges(tmp_path):
    _, wb = _book(tmp_path)
    ws = wb["Table_1"]
    assert ws["A1"].value == "EHC plans rose in both LAs"
    assert ws["A3"].value == "Unit: EHC plans" and ws["A4"].value == "Source: DfE, SEN2, 2025 release"
    rows = list(ws.iter_rows(min_row=spreadsheet.HEADER_ROW, values_only=True))
    assert rows == [("Area code", "Year", "Value", "Share (%)"),
                    ("201", 2025, 1072, 12.5),
                    ("886", 2025, "[x]", 3.25)]
    assert isinstance(rows[1][2], int) and ws.cell(row=6, column=3).number_format == "#,##0"
    assert not ws.merged_cells.ranges
    assert ws.freeze_panes == "A6"
    assert wb["Table_2"]["A3"].value == "Unit: as each column header says"
    assert wb["Table_2"].cell(row=5, column=1).value == "Value (£)"


def test_the_same_tables_give_the_same_bytes(tmp_path):
    first = _book(tmp_path)[0].read_bytes()
    (tmp_path / "r.xlsx").unlink()
    assert _book(tmp_path)[0].read_bytes() == first


def test_a_published_csv_is_titled_by_the_json_beside_it_and_keeps_codes_as_text(tmp_path):
    (tmp_path / "t.csv").write_text("area_code,value\n201,1.5\nE92000001,\n", encoding="utf-8")
    (tmp_path / "t.json").write_text(json.dumps({"title": "A finding", "measure": "per 1,000",
                                                 "source": "DfE"}), encoding="utf-8")
    table = spreadsheet.published_table(tmp_path / "t.csv", "tables/t.csv")
    assert (table.title, table.measure, table.source, table.csv) == ("A finding", "per 1,000", "DfE",
                                                                     "tables/t.csv")
    assert table.frame["area_code"].tolist() == ["201", "E92000001"]
    assert pd.isna(table.frame["value"].iloc[1])


def test_a_workbook_without_tables_is_refused(tmp_path):
    with pytest.raises(ValueError, match="r.xlsx: a workbook needs at least one table"):
        spreadsheet.write_workbook(tmp_path / "r.xlsx", title="t", about=[], tables=[],
                                   release_date="2026-12-02")


def test_numbers_written_as_text_in_a_mixed_column_are_stored_as_numbers(tmp_path):
    frame = pd.DataFrame({"Assumption": ["First year", "Cost growth", "Balance", "Scenario"],
                          "Value": ["2015", "2.23%", "-£4.12bn", "announced"],
                          "LA code": ["201", "202", "203", "204"]})
    path = spreadsheet.write_workbook(tmp_path / "m.xlsx", title="t", about=["a"], release_date="2026-12-07",
                                      tables=[spreadsheet.SheetTable("Assumptions", frame)])
    sheet = openpyxl.load_workbook(path)["Table_1"]
    cells = [sheet.cell(row=spreadsheet.HEADER_ROW + r, column=2) for r in range(1, 5)]
    assert [c.value for c in cells] == [2015, 0.0223, -4_120_000_000, "announced"]
    assert [c.number_format for c in cells[:3]] == ["0", "0.00%", "£#,##0"]
    assert sheet.cell(row=spreadsheet.HEADER_ROW + 1, column=3).value == "201"   # a code stays text
