"""Each profile indicator built from small hand-made tables, checked by hand."""

import math

import pandas as pd
import pytest

from analysis.series import area, measures
from analysis.studies.profiles import indicators

LOOKUP = pd.DataFrame({
    "old_la_code": ["865", "202", "838", "839"],
    "new_la_code": ["E06000054", "E09000007", "E06000059", "E06000058"],
    "la_name": ["Wiltshire", "Camden", "Dorset", "Bournemouth, Christchurch and Poole"],
    "region_name": ["South West", "London", "South West", "South West"],
    "first_year": [2010, 2010, 2020, 2020], "last_year": [2025] * 4,
    "stable_unit": ["865", "202", "838+839", "838+839"],
})
UNITS = area.la_units(LOOKUP)
ENGLAND = "E92000001"


def _table(rows: list[tuple], **columns) -> pd.DataFrame:
    """Rows of (level, LA code or None, year, value[, symbol]) with the same other columns."""
    frame = pd.DataFrame([{"geographic_level": r[0], "old_la_code": r[1], "la_name": None,
                           "year": r[2], "value": r[3], "symbol": r[4] if len(r) > 4 else pd.NA,
                           **columns} for r in rows])
    for column in ("geographic_level", "old_la_code", "la_name", "symbol"):
        frame[column] = frame[column].astype("string")
    return frame


def _long(**measures) -> pd.DataFrame:
    """One table of several measures: measure=[(level, code, year, value), ...]."""
    return pd.concat([_table(rows, measure=m) for m, rows in measures.items()], ignore_index=True)


class _Series:
    """What the indicators read from a series store: hand-made tables and area series."""

    def __init__(self, tables: dict, built: dict):
        self.tables, self.built = tables, built
        self.lookup, self.units = LOOKUP, UNITS

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.built[name]

    def table(self, table_id: str, filters=None) -> pd.DataFrame:
        return self.tables[table_id]


def _ctx(tables=None, built=None) -> indicators.Context:
    return indicators.Context(series=_Series(tables or {}, built or {}))


def _value(frame: pd.DataFrame, code: str, year: int) -> float:
    return frame.set_index(["area_code", "year"]).loc[(code, year), "value"]


def _with_topic(frame: pd.DataFrame, topic: str) -> pd.DataFrame:
    return frame.assign(breakdown_topic=topic, breakdown=topic)


def test_requests_refused_and_mediation_are_shares_of_requests_received():
    table = _with_topic(_long(
        requests_received_in_year=[("National", None, 2023, 1000.0),
                                   ("Local authority", "865", 2023, 200.0),
                                   ("Local authority", "202", 2023, 80.0)],
        requests_decided_not_to_assess=[("National", None, 2023, 300.0),
                                        ("Local authority", "865", 2023, 50.0),
                                        ("Local authority", "202", 2023, 20.0)],
        mediation_related_request=[("National", None, 2023, 40.0),
                                   ("Local authority", "865", 2023, 8.0),
                                   ("Local authority", "202", 2023, 4.0)]),
        indicators.ALL_REQUESTS)
    ctx = _ctx({"ehcp_requests": table})
    refused = indicators.requests_refused(ctx)
    assert _value(refused, "865", 2023) == 25.0         # 50 / 200
    assert _value(refused, ENGLAND, 2023) == 30.0       # the national row: 300 / 1000
    assert _value(indicators.mediation_rate(ctx), "202", 2023) == 5.0  # 4 / 80


def test_assessments_to_plan_counts_plans_issued_over_decisions():
    table = _with_topic(_long(
        assess_issued=[("National", None, 2022, 900.0), ("Local authority", "865", 2022, 90.0)],
        assess_not_issued=[("National", None, 2022, 100.0), ("Local authority", "865", 2022, 10.0)],
        assess_withdrawn=[("National", None, 2022, 50.0), ("Local authority", "865", 2022, 5.0)]),
        indicators.ALL_ASSESSMENTS)
    out = indicators.assessments_to_plan(_ctx({"ehcp_assessments": table}))
    assert _value(out, "865", 2022) == 90.0  # 90 / (90 + 10): withdrawn ones left out


def test_ceased_plans_reasons_are_shares_of_all_plans_ceased():
    table = _with_topic(_long(
        total_ceased=[("National", None, 2024, 400.0), ("Local authority", "865", 2024, 40.0)],
        needs_met=[("National", None, 2024, 20.0), ("Local authority", "865", 2024, 5.0)],
        employ=[("National", None, 2024, 30.0), ("Local authority", "865", 2024, 3.0)],
        he=[("National", None, 2024, 10.0), ("Local authority", "865", 2024, 1.0)]),
        indicators.ALL_CEASED)
    ctx = _ctx({"ehcp_ceased_plans": table})
    assert _value(indicators.ceased_needs_met(ctx), "865", 2024) == 12.5       # 5 / 40
    assert _value(indicators.ceased_into_work_or_he(ctx), "865", 2024) == 10.0  # (3 + 1) / 40
    assert _value(indicators.ceased_into_work_or_he(ctx), ENGLAND, 2024) == 10.0  # 40 / 400


def _ehcp(values: dict) -> pd.DataFrame:
    rows = [("Local authority", code, 2025, v) for code, v in values.items()]
    return area.count_series(_table(rows, measure="total"), {"measure": "total"}, UNITS)


def test_residential_rate_adds_the_two_published_parts_not_the_total():
    table = _with_topic(_long(
        Res_3851=[("Local authority", "865", 2025, 2.0), ("Local authority", "202", 2025, 0.0)],
        Res_52=[("Local authority", "865", 2025, 1.0), ("Local authority", "202", 2025, 1.0)],
        Res_tot=[("Local authority", "865", 2025, 99.0), ("Local authority", "202", 2025, 99.0)]),
        "All residential placements")
    ctx = _ctx({"ehcp_residential": table}, {"ehcp": _ehcp({"865": 1500.0, "202": 500.0})})
    out = indicators.residential_rate(ctx)
    assert _value(out, "865", 2025) == 2.0        # (2 + 1) / 1,500 x 1,000
    assert _value(out, ENGLAND, 2025) == 2.0      # (3 + 1) / 2,000 x 1,000: sum of LAs


def test_work_based_rate_is_per_1000_plans_of_young_people_aged_16_to_25():
    ages = _table([("Local authority", "865", 2025, 100.0, pd.NA)], measure="total",
                  age_group="Age 16 to 19")
    ages = pd.concat([ages, ages.assign(age_group="Age 20 to 25", value=20.0),
                      ages.assign(age_group="Age 5 to 10", value=500.0)], ignore_index=True)
    by_age = area.count_series(ages, {"measure": "total", "age_group": list(ages["age_group"])},
                                 UNITS, category="age_group")
    wbp = _with_topic(_long(open_wbp=[("Local authority", "865", 2025, 6.0)]),
                      "All work based placements")
    out = indicators.work_based_rate(_ctx({"ehcp_work_based": wbp}, {"ehcp_by_age": by_age}))
    assert _value(out, "865", 2025) == 50.0  # 6 / (100 + 20) x 1,000


def test_suspensions_per_100_pupils_by_school_type():
    rows = [("Local authority", "865", 2023, v) for v in (30.0,)]
    table = pd.concat([
        _table(rows, measure="suspension", school_type="state-funded secondary"),
        _table([("Local authority", "865", 2023, 1000.0)], measure="headcount",
               school_type="state-funded secondary")], ignore_index=True)
    out = indicators.BUILDERS["suspension_secondary"](_ctx({"exclusions": table}))
    assert _value(out, "865", 2023) == 3.0
    assert "category" not in out.columns


def test_sen_support_rate_keeps_published_percentages_of_each_la():
    lait = _table([("National", None, 2025, 14.2), ("Local authority", "838", 2025, 12.0),
                   ("Local authority", "839", 2025, 15.0)], measure="SEN_TotSENSuP")
    lait["la_name"] = pd.array([pd.NA, "Dorset", "BCP"], dtype="string")
    out = measures.sen_support_rate(lait, UNITS)   # the series the indicator shows
    assert indicators.sen_support_rate(_ctx(built={"sen_support_rate": out})) is out
    assert _value(out, "838", 2025) == 12.0      # not summed into the Dorset + BCP unit
    assert _value(out, ENGLAND, 2025) == 14.2


def test_inspection_outcome_is_yes_no_per_la_dated_to_the_end_of_the_framework():
    inspections = pd.DataFrame({
        "new_la_code": ["E06000054", "E09000007"],
        "inspection_publication_date": pd.to_datetime(["2017-03-01", "2021-06-01"]),
        "inspection_outcome_written_statement_of_action_required": ["Yes", "No"]})
    out = indicators.wsoa_required(_ctx({"area_send_inspections": inspections}))
    assert _value(out, "865", 2021) == 100.0 and _value(out, "202", 2021) == 0.0
    assert _value(out, ENGLAND, 2021) == 50.0   # one of the two LAs inspected


def test_designated_officer_yes_if_either_post_filled_and_missing_if_not_answered():
    rows = [("865", "des_med_off", "No"), ("865", "des_clin_off", "Yes"),
            ("202", "des_med_off", "Recruiting"), ("202", "des_clin_off", "No"),
            ("839", "des_med_off", "Not returned"), ("839", "des_clin_off", "Not returned")]
    table = pd.DataFrame([{"old_la_code": c, "year": 2025, "measure": m, "answer": a}
                          for c, m, a in rows])
    out = indicators.dmo_or_dco(_ctx({"ehcp_dmo_dco": table})).set_index(["area_code", "year"])
    assert out.loc[("865", 2025), "value"] == 100.0
    assert out.loc[("202", 2025), "value"] == 0.0      # recruiting is not in post
    assert math.isnan(out.loc[("839", 2025), "value"])
    assert out.loc[("839", 2025), "symbol"] == "Not returned"
    assert out.loc[(ENGLAND, 2025), "value"] == 50.0   # of the two LAs that answered


def test_binary_series_refuses_codes_not_in_the_lookup():
    answers = pd.DataFrame({"old_la_code": ["999"], "year": [2025],
                            "answer": pd.array([True], dtype="boolean"), "symbol": ["Yes"]})
    with pytest.raises(indicators.DataError, match="999"):
        indicators.binary_series(answers, LOOKUP)


def test_held_years_drops_years_without_any_value():
    frame = pd.DataFrame({"area_code": ["865", "865", "202"], "year": [2022, 2023, 2022],
                          "value": [float("nan"), 1.0, float("nan")]})
    assert list(indicators.held_years(frame)["year"]) == [2023]


@pytest.mark.parametrize("indicator, category", [
    ("mainstream_share", "Mainstream schools"),
    ("special_share", "Maintained and academy special schools"),
    ("inmss_share", "Independent and non-maintained special schools"),
    ("fe_share", "FE colleges and other post-16"),
    ("specialist_post16_share", "Specialist post-16 institutions"),
])
def test_placement_indicators_take_their_group_of_the_baseline_shares(indicator, category):
    groups = ["Mainstream schools", "Maintained and academy special schools",
              "Independent and non-maintained special schools", "FE colleges and other post-16",
              "Specialist post-16 institutions"]
    shares = pd.DataFrame({"area_code": "865", "area_name": "Wiltshire", "level": "Local authority",
                           "year": 2025, "category": groups, "value": [40.0, 30.0, 5.0, 12.0, 2.0]})
    out = indicators.BUILDERS[indicator](_ctx(built={"placement_shares": shares}))
    assert out["value"].tolist() == [shares.set_index("category").loc[category, "value"]]
    assert "category" not in out.columns


def test_designated_social_care_officer_keeps_only_the_years_it_was_asked():
    rows = [("865", 2024, "n/a"), ("202", 2024, "n/a"), ("865", 2025, "Yes"), ("202", 2025, "No")]
    table = pd.DataFrame([{"old_la_code": c, "year": y, "measure": "des_so_care_off", "answer": a}
                          for c, y, a in rows])
    out = indicators.dsco_in_post(_ctx({"ehcp_dmo_dco": table}))
    assert set(out["year"]) == {2025}
    assert _value(out, ENGLAND, 2025) == 50.0


def test_an_la_formed_by_a_boundary_change_takes_its_predecessors_inspection_one_rule_for_all():
    lookup = pd.DataFrame({
        "old_la_code": ["909", "942", "943", "928", "940", "941", "202"],
        "new_la_code": ["E10000006", "E06000063", "E06000064", "E10000021", "E06000061",
                        "E06000062", "E09000007"],
        "la_name": ["Cumbria", "Cumberland", "Westmorland and Furness", "Northamptonshire",
                    "North Northamptonshire", "West Northamptonshire", "Camden"],
        "region_name": ["North West"] * 3 + ["East Midlands"] * 3 + ["London"],
        "first_year": [2010, 2024, 2024, 2010, 2022, 2022, 2010],
        "last_year": [2023, 2025, 2025, 2021, 2025, 2025, 2025],
        "stable_unit": ["909"] * 3 + ["928"] * 3 + ["202"]})
    inspections = pd.DataFrame({
        "new_la_code": ["E10000006", "E10000021", "E09000007"],   # Northamptonshire: file's notes
        "inspection_publication_date": pd.to_datetime(["2019-05-22", None, "2021-06-01"]),
        "inspection_outcome_written_statement_of_action_required": ["Yes", "No", "No"]})
    series = _Series({"area_send_inspections": inspections}, {})
    series.lookup, series.units = lookup, area.la_units(lookup)
    out = indicators.wsoa_required(indicators.Context(series=series))
    assert _value(out, "942", 2021) == 100.0 and _value(out, "943", 2021) == 100.0   # Cumbria's
    assert _value(out, "940", 2021) == 0.0 and _value(out, "941", 2021) == 0.0       # Northants'
    assert "909" not in set(out["area_code"]) and "928" not in set(out["area_code"])
    assert _value(out, ENGLAND, 2021) == pytest.approx(200 / 5)   # 2 yes of 5 current LAs
