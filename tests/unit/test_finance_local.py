"""An LA's own figures: read, checked, refused with the file, row and field named."""

import pytest

from analysis.studies.finance import local

KNOWN = {"886": 1.5e9, "316": 0.5e9}   # DSG income a year


def _file(tmp_path, text):
    path = tmp_path / "figures.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_figures_file_is_read_with_each_periods_year(tmp_path):
    path = _file(tmp_path, "la_code,measure,period,value\n886,balance,2025-03-31,-120000000\n"
                           "886,allocation,2025-26,300000000\n886,plans,2026,21000\n")
    rows = local.read(path, KNOWN, 2023, 2028).rows.set_index("measure")
    assert rows.loc["balance", "year"] == 2025 and rows.loc["balance", "value"] == -120e6
    assert rows.loc["allocation", "year"] == 2026 and rows.loc["plans", "year"] == 2026


@pytest.mark.parametrize("line, message", [
    ("999,balance,2025-03-31,-1", "row 2, la_code: '999' is not an LA"),
    ("886,reserves,2025-03-31,-1", "row 2, measure: 'reserves' is not one of"),
    ("886,balance,2025-04-30,-1", "row 2, period: '2025-04-30': a balance's period is a 31 March"),
    ("886,balance,2021-03-31,-1", "row 2, period: '2021-03-31' is outside the model's years"),
    ("886,balance,2025-03-31,lots", "row 2, value: 'lots' is not a number"),
    ("316,balance,2025-03-31,-900000000", "row 2, value: a balance of £-900,000,000 is larger"),
])
def test_bad_figures_are_refused_naming_file_row_and_field(tmp_path, line, message):
    path = _file(tmp_path, f"la_code,measure,period,value\n{line}\n")
    with pytest.raises(local.LocalFiguresError, match=message) as err:
        local.read(path, KNOWN, 2023, 2028)
    assert str(path) in str(err.value)


def test_the_same_figure_twice_is_refused(tmp_path):
    path = _file(tmp_path, "la_code,measure,period,value\n886,balance,2025-03-31,-1\n"
                           "886,balance,2025-03-31,-2\n")
    with pytest.raises(local.LocalFiguresError, match="row 2 and row 3"):
        local.read(path, KNOWN, 2023, 2028)


def test_the_survey_return_gives_balances_at_each_year_end(tmp_path):
    path = _file(tmp_path, "la_code,dsg_hn_balance_cumulative_2024_25,hnb_allocation_2024_25\n"
                           "886,-£12.5m,\"300,000,000\"\n")
    rows = local.read(path, KNOWN, 2023, 2028).rows.set_index("measure")
    assert rows.loc["balance", "year"] == 2025 and rows.loc["balance", "value"] == -12.5e6
    assert rows.loc["allocation", "value"] == 300e6


def test_a_figure_is_described_with_its_period_in_words():
    assert local.described("balance", 2025) == "cumulative DSG balance at 31 March 2025"
    assert local.described("plans", 2026) == "EHC plans in January 2026"
    assert local.described("allocation", 2026) == "high needs block 2025-26"
