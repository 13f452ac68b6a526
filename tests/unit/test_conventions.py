import math

import pandas as pd
import pytest

from analysis.tables.conventions import (
    EES_GEOGRAPHY_COLUMNS,
    NON_RETURN,
    NON_RETURN_PART,
    DataError,
    academic_year_code,
    period_end_year,
    population_year_for,
    split_symbols,
    sum_groups,
    tidy_ees,
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


def _timeliness(rows):
    geo = {c: "" for c in EES_GEOGRAPHY_COLUMNS}
    base = {**geo, "time_identifier": "Calendar year", "geographic_level": "Local authority"}
    columns = ["la", "time_period", "plans_issued_den", "plans_issued_den_ex",
               "plans_issued_20_weeks_ex", "PC_plans_issued_20_weeks_ex"]
    frame = pd.DataFrame([dict(zip(columns, r)) for r in rows])
    frame = frame.assign(**{k: v for k, v in base.items() if k not in frame})
    frame["old_la_code"] = frame.pop("la")
    long = tidy_ees(frame, dimensions=[], where="t.csv",
                    measures=columns[2:5])
    return long.set_index(["old_la_code", "year", "measure"])


def test_zero_beside_a_withheld_percentage_is_a_non_return_not_a_zero():
    # Dorset 2024: 585 plans issued, 0 "excluding exceptions" with the percentage x.
    cell = _timeliness([("838", "2024", "585", "0", "0", "x"),
                        ("839", "2024", "700", "690", "400", "58.0"),
                        ("908", "2024", "0", "0", "0", "x")])      # nothing issued: a true nil
    for measure in ("plans_issued_den_ex", "plans_issued_20_weeks_ex"):
        assert math.isnan(cell.loc[("838", 2024, measure), "value"])
        assert cell.loc[("838", 2024, measure), "symbol"] == NON_RETURN
        assert cell.loc[("908", 2024, measure), "value"] == 0.0
    assert cell.loc[("838", 2024, "plans_issued_den"), "value"] == 585.0


def test_zero_beside_a_percentage_not_published_that_year_stays_zero():
    # 2019: the percentage is "x" for every LA (not published), so a 0 is a 0.
    cell = _timeliness([("838", "2019", "585", "0", "0", "x"),
                        ("839", "2019", "700", "690", "400", "x")])
    assert cell.loc[("838", 2019, "plans_issued_20_weeks_ex"), "value"] == 0.0


def test_a_non_return_makes_a_combined_area_missing_not_partial():
    frame = pd.DataFrame({"unit": ["838+839", "838+839"], "value": [float("nan"), 400.0],
                          "symbol": [NON_RETURN, pd.NA]})
    summed = sum_groups(frame, ["unit"])
    assert math.isnan(summed["value"].item())
    assert summed["symbol"].item() == NON_RETURN_PART


def test_a_financial_year_is_read_back_to_the_year_it_ends_in():
    from analysis.tables.conventions import financial_year_end

    assert financial_year_end("2015-16") == 2016 and financial_year_end("1999-00") == 2000
    for bad in ("2015-17", "2015/16", "2016"):
        with pytest.raises(ValueError, match="is not a financial year"):
            financial_year_end(bad)
