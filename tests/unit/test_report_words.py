"""Numbers, headers and tables written for people (hand-written expectations)."""

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from analysis.report import words


@pytest.mark.parametrize(("value", "text"), [
    (1072.0, "1,072"), (1072, "1,072"), (1234567.891, "1,234,568"), (12.5, "12.5"),
    (0.123456, "0.1235"), (3.10, "3.1"), (-4.0, "-4"), (float("nan"), "n/a"), (None, "n/a"),
    (pd.NA, "n/a"), (True, "yes"), (0.0, "0")])
def test_numbers_for_people(value, text):
    assert words.number(value) == text


def test_a_number_with_fixed_decimals():
    assert words.number(2.5, decimals=2) == "2.50" and words.number(1234.5, decimals=1) == "1,234.5"


@pytest.mark.parametrize(("p", "text"), [(0.0000004, "< 0.001"), (0.0004, "< 0.001"),
                                         (0.001, "0.001"), (0.04567, "0.046"), (float("nan"), "n/a")])
def test_p_values_as_a_person_writes_them(p, text):
    assert words.p_value(p) == text


@pytest.mark.parametrize(("column", "text"), [
    ("ehcp_per_1000", "EHCP per 1000"), ("value_gbp", "Value (£)"), ("la_code", "LA code"),
    ("balance_pct", "Balance (%)"), ("Spending per plan", "Spending per plan"),
    (("mase", "cohort"), "MASE, Cohort"), (("horizon", ""), "Horizon"),
    ("mae_pp", "MAE (percentage points)")])
def test_headers_in_words(column, text):
    assert words.header_words(column) == text


def _table(frame):
    return BeautifulSoup(words.people_table(frame), "html.parser")


def test_a_table_for_people_has_no_index_column_words_separators_and_n_a():
    frame = pd.DataFrame({"area_name": ["Kent", "Camden"], "year": [2024, 2024],
                          "ehcp_count": [20635.0, float("nan")], "p_value": [0.00001, 0.2]})
    soup = _table(frame)
    assert [th.get_text() for th in soup.find_all("th")] == ["Area name", "Year", "EHCP count", "P value"]
    rows = [[td.get_text() for td in tr.find_all("td")] for tr in soup.tbody.find_all("tr")]
    assert rows == [["Kent", "2024", "20,635", "< 0.001"], ["Camden", "2024", "n/a", "0.200"]]
    assert soup.find("caption") is None
    assert soup.find("p", class_="table-note").get_text() == words.MISSING_NOTE
    assert _table(frame.dropna()).find("p", class_="table-note") is None
    region = soup.find("div")
    assert region["tabindex"] == "0" and region["role"] == "region"


def test_a_study_says_why_its_table_has_n_a_and_a_symbol_column_says_none():
    frame = pd.DataFrame({"year": [2022, 2023], "value": [1.5, float("nan")],
                          "value_symbol": [None, "not held"]})
    soup = _table(words.explained(frame, "the 2023 file is not held."))
    rows = [[td.get_text() for td in tr.find_all("td")] for tr in soup.tbody.find_all("tr")]
    assert rows == [["2022", "1.5", "none"], ["2023", "n/a", "not held"]]
    assert soup.find("p", class_="table-note").get_text() == "n/a: the 2023 file is not held."
    assert "missing" not in frame.attrs   # the frame given is left as it was
    held = _table(words.explained(frame.dropna(subset=["value"]), "never said"))
    assert held.find("p", class_="table-note") is None   # a "none" symbol is not an n/a


def test_a_meaningful_index_becomes_row_headers_and_a_caption_is_kept():
    frame = words.captioned(pd.DataFrame({"value": [1.5]}, index=pd.Index(["England"], name="area")),
                            "Plans per 1,000")
    soup = _table(frame)
    assert soup.caption.get_text() == "Plans per 1,000"
    assert soup.tbody.find("th", scope="row").get_text() == "England"
    assert soup.find("div")["aria-label"] == "Plans per 1,000"


def test_long_text_is_never_cut():
    text = "x" * 500
    assert text in words.people_table(pd.DataFrame({"note": [text]}))


def test_a_published_report_writes_each_table_it_shows_as_a_csv_linked_under_it(tmp_path):
    frame = pd.DataFrame({"rate": [1.5, 2.0]}, index=pd.Index(["Kent", "Camden"], name="LA"))
    link = BeautifulSoup(words.table_download(frame, tmp_path, "01_report_table_03"), "html.parser")
    assert link.a["href"] == "tables/01_report_table_03.csv"
    assert link.get_text() == "Download this table (CSV, 2 rows)"
    written = (tmp_path / "01_report_table_03.csv").read_text(encoding="utf-8")
    assert written == "\ufeffLA,Rate\nKent,1.5\nCamden,2.0\n"   # headers in words, as on the page
    shown = words._PublishedTables(str(tmp_path), "02_x")
    first, second = shown(frame), shown(frame.reset_index())
    assert "02_x_table_01.csv" in first and "02_x_table_02.csv" in second and "<table" in first
    assert sorted(p.name for p in tmp_path.glob("*.csv")) == [
        "01_report_table_03.csv", "02_x_table_01.csv", "02_x_table_02.csv"]


def test_dates_are_written_as_gov_uk_writes_them():
    from analysis.report.words import long_date
    assert long_date("2026-12-07") == "7 December 2026" and long_date("2026-01-05") == "5 January 2026"
    assert long_date("not a date") == "not a date"


def test_text_columns_are_left_aligned_and_numbers_right_aligned():
    from analysis.report.words import people_table
    frame = pd.DataFrame({"LA": ["Kent", "Camden"], "Region": ["South East", "London"],
                          "Plans": [20635, 3100], "Balance": ["-£1.2m", "£0.5m"]})
    page = people_table(frame)
    assert '<table class="people t2">' in page   # Region: column 2; Plans and Balance are numbers


@pytest.mark.parametrize(("text", "read"), [
    ("-£4.12bn", (-4_120_000_000.0, "£")), ("£564.1m", (564_100_000.0, "£")), ("£950k", (950_000.0, "£")),
    ("\u2212£12.3m", (-12_300_000.0, "£")), ("35%", (35.0, "%")), ("+0.01%", (0.01, "%")),
    ("78,365", (78_365.0, "")), ("2015", (2015.0, "")), ("n/a", None), ("E09000001", None),
    ("announced", None), ("4.1bn", None), ("", None)])
def test_a_number_written_for_reading_is_read_back_in_pounds_or_percent(text, read):
    assert words.read_number(text) == read


def test_a_shown_table_downloads_its_numbers_as_numbers_with_the_unit_in_the_header():
    frame = pd.DataFrame({"part": ["net", "in deficit"], "value": ["-£4.12bn", "£564.1m"],
                          "share": ["35.0%", "n/a"], "la_code": ["201", "202"],
                          "value_mixed": ["2015", "announced"], "rate": [1.123456789, 2.0]}).set_index("part")
    got = words.download_frame(frame)
    assert list(got.columns) == ["Part", "Value (£)", "Share (%)", "LA code", "Value mixed", "Rate"]
    assert got["Value (£)"].tolist() == [-4_120_000_000.0, 564_100_000.0]
    assert got["Share (%)"].iloc[0] == 35.0 and pd.isna(got["Share (%)"].iloc[1])   # n/a is missing
    assert got["LA code"].tolist() == ["201", "202"]            # codes stay text
    assert got["Value mixed"].tolist() == ["2015", "announced"]  # words and numbers: text
    assert got["Rate"].tolist() == [1.1235, 2.0]                 # four places at most
