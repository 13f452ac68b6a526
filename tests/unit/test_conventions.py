import math

import pandas as pd
import pytest

from analysis.conventions import (
    DataError,
    academic_year_code,
    period_end_year,
    population_year_for,
    split_symbols,
    year_label,
)


def test_split_symbols_keeps_reason_for_every_missing_value():
    raw = pd.Series(["12", "1,234", "x", "c", "z", "low", ":", "", "0.40%", "-3.5"])
    values, symbols = split_symbols(raw, where="f.csv, column 'n'")
    assert values.tolist()[:2] == [12.0, 1234.0]
    assert values[8] == pytest.approx(0.40)
    assert values[9] == pytest.approx(-3.5)
    for i, symbol in zip(range(2, 8), ["x", "c", "z", "low", ":", "blank"]):
        assert math.isnan(values[i]), "a suppression symbol must never become a number"
        assert symbols[i] == symbol
    assert symbols[[0, 1, 8, 9]].isna().all()


def test_dash_is_missing_unless_the_publisher_uses_it_for_nil():
    raw = pd.Series(["-", "5"])
    values, symbols = split_symbols(raw, where="w")
    assert math.isnan(values[0]) and symbols[0] == "-"
    values, symbols = split_symbols(raw, where="w", nil=True)
    assert values[0] == 0.0 and symbols[0] == "-"


def test_unknown_text_names_file_column_and_row():
    raw = pd.Series(["1", "2", "oops"])
    with pytest.raises(DataError, match=r"f\.csv, column 'n'.*'oops' at row 2"):
        split_symbols(raw, where="f.csv, column 'n'")


@pytest.mark.parametrize("text", ["+", ".", "%", "1,23", "1.2.3", "12 345"])
def test_malformed_numbers_are_errors_not_numbers(text):
    with pytest.raises(DataError):
        split_symbols(pd.Series([text]), where="w")


@pytest.mark.parametrize(
    ("period", "identifier", "expected"),
    [
        ("2022", "Calendar year", 2022),
        ("202122", "Academic year", 2022),
        ("202122", "Financial year", 2022),
        ("2021/22", "", 2022),
        ("2021-22", "Financial year", 2022),
        (201920, "", 2020),
        ("199900", "Academic year", 2000),
    ],
)
def test_period_end_year(period, identifier, expected):
    assert period_end_year(period, identifier) == expected


@pytest.mark.parametrize(
    ("period", "identifier"),
    [("202122", "Calendar year"), ("2022", "Academic year"), ("202123", ""), ("22", "")],
)
def test_period_end_year_rejects_inconsistent_periods(period, identifier):
    with pytest.raises(ValueError):
        period_end_year(period, identifier)


def test_year_codes_and_labels_round_trip():
    assert academic_year_code(2022) == "202122"
    assert period_end_year(academic_year_code(2010), "Academic year") == 2010
    assert year_label(2022, "academic") == "2021/22"
    assert year_label(2022, "financial") == "2021-22"
    assert year_label(2022, "census") == "January 2022"
    assert population_year_for(2022) == 2021
    with pytest.raises(ValueError):
        year_label(2022, "fiscal")
