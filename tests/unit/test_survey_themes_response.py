"""Free-text coding to the six themes, and the representativeness statistics."""

import numpy as np
import pandas as pd
import pytest

from analysis.studies.survey import response, themes


def test_six_themes_each_with_keywords():
    assert len(themes.load_themes()) == 6
    assert all(t["keywords"] for t in themes.load_themes())


def test_keywords_match_whole_words_and_stems():
    coded = themes.code_text("Our Parent Carer Forum co-produced the plan; CCG partners joined.")
    assert coded["parents_carers"] == ["parent*", "carer*", "co-produc*", "forum"]
    assert "joint_working" in coded
    assert themes.code_text("apparent") == {}  # 'parent*' needs a word start
    assert themes.code_text("") == {} and themes.code_text(None) == {}


def test_theme_counts_share_of_answered():
    answers = pd.Series(["special school places are full", "", None, "more work placements for young people"])
    counts = themes.theme_counts(answers).set_index("theme")
    specialist = counts.loc["Responsive local specialist provision"]
    assert specialist["answers"] == 2 and specialist["share"] == 1.0  # both answers name places
    assert counts.loc["Preparation for adulthood", "answers"] == 1


def test_standardised_difference_by_hand():
    # means 2 and 3, both sample variances 1 -> (2 - 3) / 1
    assert response.standardised_difference(np.array([1.0, 2, 3]), np.array([2.0, 3, 4])) == -1.0


def test_representativeness_table():
    frame = pd.DataFrame({"unit_code": list("abcdefgh"), "region_name": list("XXXXYYYY"),
                          "la_type": list("UUMMUUMM"), "hnb_per_head_2_18": [1, 2, 3, 4, 5, 6, 7, 8.0],
                          "ehcp_per_1000": [10, 11, 12, 13, 20, 21, 22, 23.0]})
    table = response.representativeness(frame, ["a", "b", "c"]).set_index("characteristic")
    region = table.loc["Region"]
    assert "Y (0 of 1.5 expected)" in region["respondents"]
    assert region["p_value"] == pytest.approx(0.0833, abs=1e-3)  # chi2 = 3, 1 df
    hnb = table.loc["High needs block 2019-20 per person aged 2-18 (£)"]
    assert hnb["respondents"] == "2.0" and hnb["standardised_difference"] < -1
