"""Money as people type it: every rule of analysis.tables.amounts, table-tested."""

import pytest

from analysis.tables.amounts import parse_money


@pytest.mark.parametrize("typed,value,flag", [
    ("1200000", 1_200_000, "ok"),
    ("-350000", -350_000, "ok"),
    (1500, 1500, "ok"),
    ("£1.2m", 1_200_000, "cleaned"),
    ("1,200,000", 1_200_000, "cleaned"),
    ("£ 1,200,000", 1_200_000, "cleaned"),
    ("1.2 million", 1_200_000, "cleaned"),
    ("2.5mn", 2_500_000, "cleaned"),
    ("500k", 500_000, "cleaned"),
    ("12 thousand", 12_000, "cleaned"),
    ("0.1bn", 100_000_000, "cleaned"),
    ("(1,000)", -1_000, "cleaned"),
    ("£-200,000", -200_000, "cleaned"),
    ("c. 500k", 500_000, "approximate"),
    ("approx £3.4m", 3_400_000, "approximate"),
    ("circa 2m", 2_000_000, "approximate"),
    ("~2m", 2_000_000, "approximate"),
    ("", None, "blank"),
    ("   ", None, "blank"),
    (None, None, "blank"),
    ("n/a", None, "not applicable"),
    ("N/A", None, "not applicable"),
    ("none", None, "not applicable"),
    ("-", None, "not applicable"),
    ("don't know", None, "don't know"),
    ("Dont know", None, "don't know"),
    ("unknown", None, "don't know"),
    ("1.2m-1.5m", None, "unparseable"),
    ("see note", None, "unparseable"),
    ("12 apples", None, "unparseable"),
    ("nan", None, "unparseable"),
])
def test_money_rules(typed, value, flag):
    parsed = parse_money(typed)
    assert parsed.flag == flag
    assert parsed.value == value


def test_zero_is_a_value_not_missing():
    assert parse_money("0").value == 0.0 and parse_money("£0").value == 0.0
