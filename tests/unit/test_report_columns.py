import pandas as pd

from analysis.report import columns

LOOKUP = pd.DataFrame({"old_la_code": ["886", "940"], "new_la_code": ["E10000016", "E06000061"]})
"""Two rows of the ONS register as DfE's LA code list gives them (Kent; North Northamptonshire)."""


def test_the_ons_code_goes_right_after_the_dfe_code_and_a_region_keeps_its_own():
    frame = pd.DataFrame({"area_code": ["886", "940", "E12000008", "E92000001"], "value": [1, 2, 3, 4]})
    got = columns.with_ons_codes(frame, LOOKUP)
    assert list(got.columns) == ["area_code", "ons_code", "value"]
    assert got["ons_code"].tolist() == ["E10000016", "E06000061", "E12000008", "E92000001"]


def test_a_code_the_lookup_lacks_is_left_empty_not_guessed():
    got = columns.with_ons_codes(pd.DataFrame({"LA code": ["886", "928"]}), LOOKUP)
    assert list(got.columns) == ["LA code", "ONS code"]   # a header in words gets one in words
    assert got["ONS code"].iloc[0] == "E10000016" and pd.isna(got["ONS code"].iloc[1])


def test_a_frame_without_dfe_codes_or_with_ons_codes_already_is_unchanged():
    names = pd.DataFrame({"code": ["a1", "b2"], "value": [1, 2]})
    assert columns.with_ons_codes(names, LOOKUP) is names
    both = pd.DataFrame({"la_code": ["886"], "new_la_code": ["E10000016"]})
    assert columns.with_ons_codes(both, LOOKUP) is both


def test_each_column_is_described_with_its_meaning_and_unit():
    frame = pd.DataFrame({"la_code": ["886"], "year": [2026], "value_gbp": [-1.5e6], "share (%)": [3.5],
                          "value": [12.0], "plans_per_1000": [40.1], "kind": ["published"]})
    got = {c["name"]: (c["meaning"], c["unit"]) for c in columns.describe(frame, measure="EHC plans")}
    assert got["la_code"] == ("DfE 3-digit local authority code", "code")
    assert got["year"][1] == "year" and got["value_gbp"][1] == "pounds (£), cash"
    assert got["share (%)"][1] == "percent" and got["plans_per_1000"][1] == "per 1,000"
    assert got["value"][1] == "EHC plans" and got["kind"] == ("Kind", "text")


def test_a_csvs_figures_are_rounded_by_unit_and_the_metadata_says_to_how_many_places():
    frame = pd.DataFrame({"value_gbp": [5311366.923130453], "share_pct": [12.34567],
                          "plans_per_1000": [40.126], "ratio": [1.123456789], "year": [2026.0],
                          "plans": [20635]})
    got = columns.rounded(frame)
    assert got.iloc[0].tolist() == [5311367.0, 12.35, 40.13, 1.1235, 2026.0, 20635]
    places = {c["name"]: c["decimals"] for c in columns.describe(got)}
    assert places == {"value_gbp": 0, "share_pct": 2, "plans_per_1000": 2, "ratio": 4, "year": None,
                      "plans": 0}
    assert columns.rounded(pd.DataFrame({"value": [1.26]}), measure="£, cash")["value"].iloc[0] == 1.0


def test_a_stable_area_of_two_las_is_a_dfe_code_with_no_single_ons_code():
    got = columns.with_ons_codes(pd.DataFrame({"area_code": ["886", "838+839"]}), LOOKUP)
    assert got["ons_code"].iloc[0] == "E10000016" and pd.isna(got["ons_code"].iloc[1])
