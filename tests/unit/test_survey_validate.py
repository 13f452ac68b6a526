"""Validation of survey returns: every bad-input class gives its message, nothing is dropped."""

import pandas as pd
import pytest

from analysis.studies.survey import codebook as cb
from analysis.studies.survey.validate import clean_answer, clean_returns

BOOK = cb.load_codebook(["2015-16", "2016-17"])
LAS = pd.DataFrame({
    "old_la_code": ["202", "373", "835", "836", "837"],
    "la_name": ["Camden", "Sheffield", "Dorset", "Poole", "Bournemouth"],
    "stable_unit": ["202", "373", "838+839", "838+839", "838+839"],
    "whole_area": [True, True, False, False, False],
})


def _returns(*rows):
    """Raw returns: every question blank except what each row (a dict) sets."""
    frame = pd.DataFrame([{q: "" for q in ["response_id", *BOOK.ids]} | row for row in rows])
    return frame.astype("string")


def _good(rid, code, **extra):
    row = {"response_id": rid, "la_code": code}
    for year in BOOK.years:
        row |= {cb.question_id("hnb_allocation", year): "10m", cb.question_id("hn_expenditure", year): "12m"}
    return row | extra


def _report_row(result, rid, qid):
    report = result.report
    return report[report["response_id"].eq(rid) & report["question_id"].eq(qid)].iloc[0]


def test_a_clean_return_is_used_with_every_cell_reported():
    result = clean_returns(_returns(_good("A", "373", topup_reserves_2015_16="£1.5m")), BOOK, LAS)
    assert len(result.report) == len(BOOK.ids)  # one line per question, answered or not
    assert result.values.loc["A", "topup_reserves_2015_16"] == 1_500_000
    assert result.values.loc["A", "unit_code"] == "373" and result.values.loc["A", "la_name"] == "Sheffield"
    row = _report_row(result, "A", "topup_reserves_2015_16")
    assert (row["status"], row["rule"]) == ("cleaned", "cleaned")
    assert _report_row(result, "A", "topup_other_2015_16")["status"] == "missing"
    assert result.excluded.empty and result.problems().empty


@pytest.mark.parametrize("code,message", [
    ("999", "'999' is not the DfE code of an LA with SEND duties in 2015-16 to 2016-17"),
    ("836", "LA 836 is part of stable area 838+839 (with 835, 836, 837)"),
    ("", "no LA code (required)"),
])
def test_unusable_la_codes_exclude_the_response_with_a_reason(code, message):
    result = clean_returns(_returns(_good("A", code), _good("B", "202")), BOOK, LAS)
    assert list(result.values.index) == ["B"]
    assert result.excluded["response_id"].tolist() == ["A"]
    assert message in result.excluded["reason"].iloc[0]
    assert _report_row(result, "A", "la_code")["status"] == "invalid"


def test_duplicate_las_are_both_reported():
    result = clean_returns(_returns(_good("A", "202"), _good("B", "202"), _good("C", "373")), BOOK, LAS)
    assert sorted(result.excluded["response_id"]) == ["A", "B"]
    assert "responses A (202), B (202) are for the same LA" in result.excluded["reason"].iloc[0]


@pytest.mark.parametrize("qid,typed,rule,message", [
    ("hnb_allocation_2015_16", "£900m", "out of range", "above the allowed maximum 400,000,000"),
    ("topup_schools_block_2015_16", "-50,000", "out of range", "negative amounts are not allowed here"),
    ("topup_reserves_2016_17", "about a million", "unparseable", "is not an amount of money"),
    ("ehcp_age_5_10_2015_16", "12.5", "not whole", "is not a whole number"),
    ("share_places_topups_2015_16", "120%", "out of range", "above the allowed maximum 100"),
    ("pressure_post16", "6", "out of range", "is not one of [1, 2, 3, 4, 5]"),
    ("actions", "review of top-up banding; prayer", "unknown option", "['prayer']"),
])
def test_invalid_answers_are_not_used_and_say_why(qid, typed, rule, message):
    result = clean_returns(_returns(_good("A", "373", **{qid: typed})), BOOK, LAS)
    row = _report_row(result, "A", qid)
    assert (row["status"], row["rule"]) == ("invalid", rule)
    assert message in row["message"]
    assert pd.isna(result.values.loc["A", qid])
    assert "A" in result.values.index  # the rest of the return is still used


def test_missing_required_answers_are_reported():
    row = _good("A", "373")
    row["hn_expenditure_2016_17"] = "don't know"
    result = clean_returns(_returns(row), BOOK, LAS)
    line = _report_row(result, "A", "hn_expenditure_2016_17")
    assert (line["status"], line["rule"]) == ("missing", "don't know")
    assert line["message"] == "required, but not answered"
    assert line.name in result.problems().index


def test_top_ups_beyond_the_gap_are_flagged_inconsistent_but_kept():
    # gap = 12m - 10m = 2m; tolerance max(0.5m, 5% of 12m = 0.6m) -> up to 2.6m allowed
    ok = clean_returns(_returns(_good("A", "373", topup_schools_block_2015_16="2.6m")), BOOK, LAS)
    assert ok.problems().empty
    bad = clean_returns(_returns(_good("A", "373", topup_schools_block_2015_16="2m",
                                       topup_reserves_2015_16="0.7m")), BOOK, LAS)
    flagged = bad.problems()
    assert set(flagged["question_id"]) == {"topup_schools_block_2015_16", "topup_reserves_2015_16"}
    assert set(flagged["status"]) == {"inconsistent"}
    assert ("add up to £2,700,000, more than the gap (spend less allocation) of £2,000,000"
            in flagged["message"].iloc[0])
    assert bad.values.loc["A", "topup_reserves_2015_16"] == 700_000


@pytest.mark.parametrize("typed,value,status,rule", [
    ("85%", 85.0, "cleaned", "percent sign"),
    ("85", 85.0, "ok", ""),
    ("", None, "missing", "blank"),
])
def test_percent_answers(typed, value, status, rule):
    assert clean_answer(typed, BOOK.get("share_places_topups_2015_16")) == (value, status, rule, "")


def test_integer_answers_accept_thousands_commas():
    answer = clean_answer("1,234", BOOK.get("ehcp_age_5_10_2015_16"))
    assert answer[:3] == (1234.0, "cleaned", "thousands commas")
