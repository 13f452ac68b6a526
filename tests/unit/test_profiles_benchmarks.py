"""Benchmarks of one indicator for every LA: neighbours pooled, rank, quartile, trend, reasons."""

import math

import pandas as pd
import pytest

from analysis.studies.profiles import benchmarks

NAN = float("nan")
# LA unit -> {year: (num, den)}; None = suppressed
DATA = {
    "301": {2023: (10, 100), 2024: (20, 100)},
    "302": {2023: (15, 100), 2024: (30, 100)},
    "303": {2023: None, 2024: (40, 100)},
    "304": {2023: (5, 50), 2024: None},
    "305": {2023: (10, 100), 2024: (80, 100)},
    "838+839": {2023: (1, 10), 2024: (2, 10)},
}


def _series() -> pd.DataFrame:
    rows = [{"area_code": "E92000001", "area_name": "England", "level": "National", "year": y,
             "num": NAN, "den": NAN, "value": v, "symbol": pd.NA} for y, v in ((2023, 12.0), (2024, 25.0))]
    for code, years in DATA.items():
        for year, pair in years.items():
            num, den = pair or (NAN, NAN)
            rows.append({"area_code": code, "area_name": code, "level": "Local authority",
                         "year": year, "num": num, "den": den, "value": num / den * 100 if pair else NAN,
                         "symbol": pd.NA if pair else "x"})
    frame = pd.DataFrame(rows).assign(per=100.0)
    frame["symbol"] = frame["symbol"].astype("string")
    return frame


LAS = pd.DataFrame({"code": ["301", "304", "839", "940"], "unit": ["301", "304", "838+839", "928"]})
PAIRS = pd.DataFrame({"code": ["301"] * 3 + ["304"] * 2,
                      "member": ["302", "303", "304", "301", "305"]})


def test_neighbours_sum_counts_over_those_with_a_figure():
    la_rows = _series()[lambda f: f["level"].eq("Local authority")]
    pooled = benchmarks.pool_neighbours(la_rows, PAIRS, "sum").set_index(["code", "year"])
    assert pooled.loc[("301", 2024), "value"] == 35.0         # (30 + 40) / 200: 304 suppressed
    assert pooled.loc[("301", 2024), "n"] == 2
    assert pooled.loc[("301", 2023), "value"] == pytest.approx(100 * 20 / 150)  # 302 + 304


def test_neighbours_median_and_mean_of_values():
    la_rows = _series()[lambda f: f["level"].eq("Local authority")]
    pairs = pd.DataFrame({"code": ["301"] * 3, "member": ["302", "303", "305"]})
    median = benchmarks.pool_neighbours(la_rows, pairs, "median").set_index(["code", "year"])
    mean = benchmarks.pool_neighbours(la_rows, pairs, "mean").set_index(["code", "year"])
    assert median.loc[("301", 2024), "value"] == 40.0   # of 30, 40, 80
    assert mean.loc[("301", 2024), "value"] == 50.0
    with pytest.raises(ValueError, match="how must be"):
        benchmarks.pool_neighbours(la_rows, pairs, "max")


def test_a_reorganised_neighbour_counts_through_its_successors():
    la_rows = pd.DataFrame({"area_code": ["838", "839", "302"], "year": [2025] * 3,
                            "value": [10.0, 20.0, 60.0]})
    pairs = pd.DataFrame({"code": ["301", "301"], "member": ["838+839", "302"]})
    pooled = benchmarks.pool_neighbours(la_rows, pairs, "mean")
    assert pooled["value"].item() == 30.0  # mean of 838, 839 and 302
    assert pooled["n"].item() == 2         # neighbours (units) with a figure


def test_benchmark_summary_by_hand():
    summary, lines = benchmarks.benchmark(_series(), LAS, PAIRS, "sum")
    row = summary.set_index("code").loc["301"]
    assert row["year"] == 2024 and row["value"] == 20.0 and row["england"] == 25.0
    assert row["neighbours"] == 35.0 and (row["neighbours_n"], row["neighbours_of"]) == (2, 3)
    # 2024 values 80, 40, 30, 20 (304 suppressed, 838+839 20.0 ties with 301)
    assert (row["rank"], row["rank_n"], row["quartile"]) == (4, 5, 4)
    assert (row["first_year"], row["first_value"]) == (2023, 10.0)
    assert set(lines.loc[lines["code"].eq("301"), "role"]) == {"LA", "Neighbours"}


def test_a_flagged_return_is_shown_but_neither_ranked_nor_pooled():
    flagged = pd.DataFrame({"area_code": ["305"], "year": [2024]})   # 305's 80% in 2024
    summary, _ = benchmarks.benchmark(_series(), LAS, PAIRS, "sum", flagged=flagged)
    rows = summary.set_index("code")
    # 2024 values without 305: 40, 30, 20 (301), 20 (838+839)
    assert (rows.loc["301", "rank"], rows.loc["301", "rank_n"]) == (3, 4)
    assert rows.loc["304", "neighbours"] == 20.0   # 304's neighbours 301 and 305: 305 left out
    assert not rows["flagged"].any()               # none of the profiled LAs is 305
    las = pd.concat([LAS, pd.DataFrame({"code": ["305"], "unit": ["305"]})], ignore_index=True)
    summary, _ = benchmarks.benchmark(_series(), las, PAIRS, "sum", flagged=flagged)
    row = summary.set_index("code").loc["305"]
    assert row["value"] == 80.0 and row["flagged"] and pd.isna(row["rank"])


def test_missing_values_keep_their_reason_and_reorganised_las_use_their_unit():
    summary, _ = benchmarks.benchmark(_series(), LAS, PAIRS, "sum")
    rows = summary.set_index("code")
    assert math.isnan(rows.loc["304", "value"]) and rows.loc["304", "symbol"] == "x"
    assert pd.isna(rows.loc["304", "rank"])
    assert rows.loc["839", "series_code"] == "838+839" and rows.loc["839", "value"] == 20.0
    assert rows.loc["940", "symbol"] == "no LA data"


def test_unranked_indicators_have_no_rank():
    summary, _ = benchmarks.benchmark(_series(), LAS, PAIRS, "mean", ranked=False)
    assert summary["rank"].isna().all() and summary["quartile"].isna().all()


@pytest.mark.parametrize("symbol, words", [
    ("x", "not available or suppressed"), ("c", "confidential"), ("incomplete", "combined area"),
    ("no LA data", "no figure for this LA"), (pd.NA, "no figure in the data"), ("zz", "'zz'")])
def test_why_missing_names_the_reason(symbol, words):
    assert words in benchmarks.why_missing(symbol)


def test_profile_las_are_those_of_the_latest_year():
    lookup = pd.DataFrame({"old_la_code": ["928", "940", "941"], "la_name": ["N", "NN", "WN"],
                           "region_name": ["East Midlands"] * 3, "la_type": ["SC", "UA", "UA"],
                           "last_year": [2020, 2025, 2025]})
    las = benchmarks.profile_las(lookup)
    assert list(las["code"]) == ["940", "941"] and list(las["unit"]) == ["928", "928"]


def test_successor_la_gets_its_own_latest_value_rank_and_the_combined_trend():
    # 839 (BCP) publishes its own figure in 2024: the latest value and rank are its own; the
    # trend and the chart line stay on the combined area 838+839.
    own = pd.DataFrame([{"area_code": "839", "area_name": "BCP", "level": "Successor local authority",
                         "year": 2024, "num": 9.0, "den": 10.0, "value": 90.0, "symbol": pd.NA,
                         "per": 100.0}])
    own["symbol"] = own["symbol"].astype("string")
    series = pd.concat([_series(), own], ignore_index=True)
    summary, lines = benchmarks.benchmark(series, LAS, PAIRS, "sum")
    row = summary.set_index("code").loc["839"]
    assert row["series_code"] == "839" and row["trend_code"] == "838+839"
    assert row["value"] == 90.0 and row["rank"] == 1          # 90 beats 80 (305)
    assert row["first_value"] == 10.0 and row["trend_value"] == 20.0   # combined area, 2023 -> 2024
    assert row["num"] == 9.0 and row["den"] == 10.0
    la_line = lines[(lines["code"] == "839") & (lines["role"] == "LA")]
    assert la_line["value"].tolist() == [10.0, 20.0]
    # the combined area no longer competes in 2024: its successor does
    assert summary.set_index("code").loc["301", "rank_n"] == 5


def test_the_trend_starts_at_the_indicators_current_definition():
    summary, _ = benchmarks.benchmark(_series(), LAS, PAIRS, "sum", since=2024)
    row = summary.set_index("code").loc["301"]
    assert (row["first_year"], row["first_value"]) == (2024, 20.0)   # not 2023's 10.0
