"""Area series from small hand-made tables: England, regions, stable LA units, ratios."""

import math

import pandas as pd
import pytest

from analysis import vocabulary
from analysis.errors import DataError
from analysis.series import area, measures

LOOKUP = pd.DataFrame({
    "old_la_code": ["835", "836", "837", "838", "839", "865", "202"],
    "new_la_code": ["E10000009", "E06000029", "E06000028", "E06000059", "E06000058",
                    "E06000054", "E09000007"],
    "la_name": ["Dorset", "Poole", "Bournemouth", "Dorset",
                "Bournemouth, Christchurch and Poole", "Wiltshire", "Camden"],
    "region_name": ["South West"] * 6 + ["London"],
    "first_year": [2010, 2010, 2010, 2020, 2020, 2010, 2010],
    "last_year": [2019, 2019, 2019, 2025, 2025, 2025, 2025],
    "stable_unit": ["838+839"] * 5 + ["865", "202"],
})
UNITS = area.la_units(LOOKUP)


def _rows(level, code, year, value, symbol=pd.NA, **dims):
    return {"geographic_level": level, "old_la_code": code, "la_name": None,
            "year": year, "value": value, "symbol": symbol, **dims}


def _table(rows):
    frame = pd.DataFrame(rows)
    for column in ("geographic_level", "old_la_code", "la_name", "symbol"):
        frame[column] = frame[column].astype("string")
    return frame


def test_la_units_name_reorganised_units():
    names = UNITS.set_index("area_code")["area_name"]
    assert names["838+839"] == "Dorset and Bournemouth, Christchurch and Poole"
    assert names["865"] == "Wiltshire"
    assert len(UNITS) == 3


def test_count_series_national_row_regions_and_stable_units():
    table = _table([
        _rows("National", None, 2019, 1000.0, measure="m"),
        _rows("Local authority", "835", 2019, 10.0, measure="m"),
        _rows("Local authority", "836", 2019, 20.0, measure="m"),
        _rows("Local authority", "837", 2019, 30.0, measure="m"),
        _rows("Local authority", "865", 2019, 40.0, measure="m"),
        _rows("Local authority", "202", 2019, 5.0, measure="m"),
        _rows("National", None, 2020, 1100.0, measure="m"),
        _rows("Local authority", "838", 2020, 35.0, measure="m"),
        _rows("Local authority", "839", 2020, 36.0, measure="m"),
        _rows("Local authority", "865", 2020, 41.0, measure="m"),
        _rows("Local authority", "202", 2020, 6.0, measure="m"),
    ])
    out = area.count_series(table, {"measure": "m"}, UNITS).set_index(["area_code", "year"])
    assert out.loc[("E92000001", 2019), "value"] == 1000.0  # the published national row
    assert out.loc[("838+839", 2019), "value"] == 60.0       # 10 + 20 + 30
    assert out.loc[("838+839", 2020), "value"] == 71.0       # 35 + 36
    assert out.loc[("South West", 2019), "value"] == 100.0   # 60 + 40
    assert out.loc[("London", 2020), "value"] == 6.0


def test_count_series_suppressed_part_makes_the_sum_missing():
    table = _table([
        _rows("National", None, 2019, 100.0, measure="m"),
        _rows("Local authority", "865", 2019, float("nan"), "x", measure="m"),
        _rows("Local authority", "835", 2019, 1.0, measure="m"),
        _rows("Local authority", "836", 2019, 1.0, measure="m"),
        _rows("Local authority", "837", 2019, 1.0, measure="m"),
        _rows("Local authority", "202", 2019, 5.0, measure="m"),
    ])
    out = area.count_series(table, {"measure": "m"}, UNITS).set_index("area_code")
    assert math.isnan(out.loc["865", "value"]) and out.loc["865", "symbol"] == "x"  # kept
    assert out.loc["838+839", "value"] == 3.0
    assert math.isnan(out.loc["South West", "value"])
    assert out.loc["South West", "symbol"] == "suppressed-part"


def test_count_series_sums_selected_bands_and_rejects_repeats():
    table = _table([
        _rows("National", None, 2014, 9.0, age_group="16-19"),
        _rows("National", None, 2015, 7.0, age_group="16-19"),
        _rows("National", None, 2015, 2.0, age_group="20-25"),
        _rows("Local authority", "202", 2015, 1.0, age_group="20-25"),
    ])
    out = area.count_series(table, {"age_group": ["16-19", "20-25"]}, UNITS)
    england = out[out["area_code"].eq("E92000001")].set_index("year")["value"]
    assert england.to_dict() == {2014: 9.0, 2015: 9.0}  # absent band in 2014 adds nothing
    doubled = pd.concat([table, table.iloc[[0]]])
    with pytest.raises(DataError, match="repeat"):
        area.count_series(doubled, {"age_group": "16-19"}, UNITS)


def test_count_series_unknown_la_is_an_error():
    table = _table([_rows("National", None, 2019, 1.0, measure="m"),
                    _rows("Local authority", "999", 2019, 1.0, measure="m")])
    with pytest.raises(DataError, match="999"):
        area.count_series(table, {"measure": "m"}, UNITS)


def test_england_from_las_when_no_national_row():
    table = _table([_rows("Local authority", "865", 2019, 4.0, measure="m"),
                    _rows("Local authority", "202", 2019, 6.0, measure="m")])
    out = area.count_series(table, {"measure": "m"}, UNITS).set_index("area_code")
    assert out.loc["E92000001", "value"] == 10.0


def _area(code, year, value, level="Local authority", **extra):
    return {"area_code": code, "area_name": code, "level": level, "year": year, "value": value,
            "symbol": pd.NA, **extra}


def test_pool_sum_is_incomplete_when_a_member_is_absent():
    frame = pd.DataFrame([_area("a", 2019, 1.0), _area("b", 2019, 2.0), _area("a", 2020, 3.0)])
    out = area.pool(frame, ["a", "b"], area_code="g", area_name="G", level="Comparators")
    values = out.set_index("year")["value"]
    assert values[2019] == 3.0
    assert math.isnan(values[2020])
    assert out.set_index("year").loc[2020, "symbol"] == "incomplete"


def test_pool_median_and_unknown_codes():
    frame = pd.DataFrame([_area("a", 2019, 1.0), _area("b", 2019, 2.0), _area("c", 2019, 9.0)])
    out = area.pool(frame, ["a", "b", "c"], area_code="g", area_name="G", level="Comparators",
                      how="median")
    assert out["value"].item() == 2.0
    with pytest.raises(KeyError, match="zz"):
        area.pool(frame, ["a", "zz"], area_code="g", area_name="G", level="Comparators")


def test_ratio_series_and_pooling_adds_numerators_and_denominators():
    num = pd.DataFrame([_area("a", 2019, 1.0), _area("b", 2019, 3.0)])
    den = pd.DataFrame([_area("a", 2019, 10.0), _area("b", 2019, 30.0)])
    rates = area.ratio_series(num, den, per=100)
    assert rates.set_index("area_code")["value"].to_dict() == {"a": 10.0, "b": 10.0}
    pooled = area.pool(rates, ["a", "b"], area_code="g", area_name="G", level="Comparators")
    assert pooled["num"].item() == 4.0 and pooled["den"].item() == 40.0
    assert pooled["value"].item() == 10.0


def test_ratio_series_marks_a_missing_part():
    num = pd.DataFrame([_area("a", 2019, 1.0), _area("a", 2021, 1.0)])
    den = pd.DataFrame([_area("a", 2019, 10.0), _area("a", 2020, 10.0)])
    rates = area.ratio_series(num, den, per=100).set_index("year")
    assert rates.loc[2019, "value"] == 10.0
    assert math.isnan(rates.loc[2020, "value"]) and rates.loc[2020, "symbol"] == "not in source"
    assert math.isnan(rates.loc[2021, "value"]) and rates.loc[2021, "symbol"] == "not in source"


def test_s251_totals_sum_the_lines():
    lines = [f"Section 251 {kind} | {line} | detail" for kind in ("budget", "outturn")
             for line in measures.S251_LINES]
    rows = [{"old_la_code": "865", "la_name": "Wiltshire", "year": 2022, "measure": m,
             "value": 1.0 if "budget" in m else 2.0, "symbol": pd.NA} for m in lines]
    totals = measures.s251_high_needs_totals(pd.DataFrame(rows))
    assert totals["budget"].item() == 7.0 and totals["outturn"].item() == 14.0
    with pytest.raises(DataError, match="expected one measure"):
        measures.s251_high_needs_totals(pd.DataFrame(rows[1:]))


def test_population_crosswalk_must_be_one_to_one():
    population = pd.DataFrame({"year": 2019, "area_code": ["E06000054", "E06000099"],
                               "area_name": "x", "age": 0, "measure": "persons", "value": 1.0,
                               "symbol": pd.NA})
    population = pd.concat([population.assign(age=a) for a in range(26)], ignore_index=True)
    crosswalk = pd.DataFrame({"new_la_code": ["E06000054", "E06000099"], "old_la_code": ["865", "865"]})
    with pytest.raises(DataError, match="more than one ONS area"):
        measures.population_by_la(population, crosswalk, UNITS)


def test_successor_las_keep_their_own_rows_beside_the_stable_unit():
    table = _table([
        _rows("National", None, 2020, 1100.0, measure="m"),
        _rows("Local authority", "838", 2020, 35.0, measure="m"),
        _rows("Local authority", "839", 2020, 36.0, measure="m"),
        _rows("Local authority", "865", 2020, 41.0, measure="m"),
        _rows("Local authority", "202", 2020, 6.0, measure="m"),
    ])
    out = area.count_series(table, {"measure": "m"}, UNITS).set_index(["area_code", "year"])
    assert out.loc[("838+839", 2020), "value"] == 71.0
    assert out.loc[("838", 2020), "value"] == 35.0
    assert out.loc[("838", 2020), "level"] == vocabulary.SUCCESSOR_LEVEL
    # regions add LA-level rows only: no double counting
    assert out.loc[("South West", 2020), "value"] == 112.0


def _ages(rows):
    return _table([_rows(lvl, code, year, v, measure="total", age_group=age)
                   for lvl, code, year, age, v in rows])


def test_post16_share_divides_by_the_age_breakdown_not_the_published_total():
    # England's total includes an LA that returned no ages (DfE data guidance, January 2024).
    table = _ages([("National", None, 2024, "Total", 1000.0),
                   ("National", None, 2024, "Age 5 to 10", 600.0),
                   ("National", None, 2024, "Age 16 to 19", 200.0),
                   ("National", None, 2024, "Age 20 to 25", 100.0),
                   ("Local authority", "202", 2024, "Total", 10.0),
                   ("Local authority", "202", 2024, "Age 5 to 10", 6.0),
                   ("Local authority", "202", 2024, "Age 16 to 19", 3.0),
                   ("Local authority", "202", 2024, "Age 20 to 25", 1.0),
                   ("National", None, 2023, "Total", 900.0),
                   ("Local authority", "202", 2023, "Total", 9.0)])
    out = measures.post16_share(table, UNITS).set_index(["area_code", "year"])
    assert out.loc[("E92000001", 2024), "value"] == pytest.approx(100 * 300 / 900)   # not / 1000
    assert math.isnan(out.loc[("E92000001", 2023), "value"])        # no ages: missing, kept
    assert out.loc[("E92000001", 2023), "symbol"] == measures.NO_AGE_SPLIT


def test_placement_shares_use_the_placement_tables_own_total_and_count_hospital_schools():
    rows = [("Special school", "Special - LA maintained", 30.0), ("Special school", "Hospital School", 2.0),
            ("Total", "Total", 200.0)]
    rows += [(*pairs[0], 1.0) for group, pairs in vocabulary.PLACEMENTS.items()
             if group != "Maintained and academy special schools"]
    table = _table([_rows("National", None, 2016, v, measure="total", setting_group=g, setting=s)
                    for g, s, v in rows]
                   + [_rows("Local authority", "202", 2016, v, measure="total", setting_group=g,
                            setting=s) for g, s, v in rows])
    counts = measures.placements(table, UNITS)
    shares = measures.placement_shares(counts, measures.placement_total(table, UNITS))
    special = shares[shares["category"].eq("Maintained and academy special schools")
                     & shares["area_code"].eq("E92000001")]
    assert special["value"].item() == pytest.approx(16.0)   # (30 + 2) / 200, hospital included


def test_new_plans_count_statements_and_plans_before_2019():
    history = _table([_rows("National", None, 2015, 27923.0, measure="total", age_group="Total"),
                      _rows("National", None, 2015, 24654.0, measure="ehc_plans", age_group="Total"),
                      _rows("Local authority", "202", 2015, 20.0, measure="total", age_group="Total")])
    late = _table([_rows("National", None, 2019, 53899.0, measure="new_ehc_plans",
                         breakdown_topic="New EHC plans"),
                   _rows("Local authority", "202", 2019, 30.0, measure="new_ehc_plans",
                         breakdown_topic="New EHC plans")])
    out = area.england_values(measures.new_plans(history, late, UNITS))
    assert out.to_dict() == {2015: 27923.0, 2019: 53899.0}


def test_published_rates_extend_a_ratio_series_without_combining_rates():
    rates = pd.DataFrame({"area_code": ["E92000001", "202", "838+839"],
                          "area_name": ["England", "Camden", "D"],
                          "level": ["National", "Local authority", "Local authority"], "year": 2023,
                          "category": "Total", "num": [10.0, 1.0, 2.0], "den": [1e4, 1e3, 2e3],
                          "per": 1e4, "value": [10.0, 10.0, 10.0], "symbol": pd.NA})
    lait = _table([_rows("National", None, 2024, 0.12889, measure="TotPermEx", region_name=None),
                   _rows("Local authority", "202", 2024, 0.05, measure="TotPermEx", region_name="London"),
                   _rows("Local authority", "838", 2024, 0.12802, measure="TotPermEx",
                         region_name="South West")])
    out = measures.published_rates_after(rates, lait, {"TotPermEx": "Total"}, UNITS, per=10_000)
    out = out.set_index("area_code")
    assert out.loc["E92000001", "value"] == pytest.approx(12.889)
    assert out.loc["838", "level"] == vocabulary.SUCCESSOR_LEVEL
    assert math.isnan(out.loc["838+839", "value"]) and out.loc["838+839", "symbol"] == measures.RATE_ONLY
    assert out["num"].isna().all()


def test_a_dsg_balance_share_becomes_pounds_by_the_las_own_code():
    # by hand: Kent -2.5% of a £80m DSG is -£2m; a successor LA's own total is used for its own row
    pct = pd.DataFrame({"area_code": ["886", "940", "E92000001"], "year": [2022, 2022, 2022],
                        "level": [vocabulary.LA_LEVEL, vocabulary.LA_LEVEL, vocabulary.NATIONAL],
                        "value": [-2.5, 1.0, -3.0]})
    total = pd.DataFrame({"area_code": ["886", "940", "E92000001"], "year": [2022, 2022, 2022],
                          "level": [vocabulary.LA_LEVEL, vocabulary.SUCCESSOR_LEVEL, vocabulary.NATIONAL],
                          "value": [80_000_000.0, 50_000_000.0, 9e9]})
    got = measures.dsg_balance_pounds(pct, total).set_index("code")["value"]
    assert got.to_dict() == {"886": -2_000_000.0, "940": 500_000.0}
    with pytest.raises(DataError, match=r"no DSG total for the balances of \['886'\]"):
        measures.dsg_balance_pounds(pct, total[total["area_code"].ne("886")])
