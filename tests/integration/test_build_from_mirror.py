"""Build every table from the real data mirror and check published national figures.

The mirror (``ANALYSIS_DATA_MIRROR``, e.g. ../shared/data) is required: without it these tests
fail rather than skip, so CI can never pass without having checked the real data.
"""

import gzip

import pandas as pd
import pytest

from analysis.series.store import SERIES, SeriesStore
from analysis.sources.fetch import fetch, verify
from analysis.tables import build
from analysis.tables.geography import harmonise_la
from analysis.tables.store import TableStore

pytestmark = pytest.mark.integration


@pytest.fixture(scope="session")
def built(data_settings):
    """Every source fetched from the mirror and every table built, in the session's folders."""
    report = fetch(settings=data_settings)
    assert not report.failed, {k: str(v) for k, v in report.failed.items()}
    status = build.build(settings=data_settings)
    assert set(status.values()) <= {"built", "up to date"}
    return data_settings.raw_dir, data_settings.processed_dir


def load(built, table_id):
    return pd.read_parquet(built[1] / f"{table_id}.parquet")


def test_every_fetched_file_verifies_and_rebuild_is_a_no_op(built, data_settings):
    report = verify(data_settings)
    assert report.mismatched == {} and report.missing == [] and report.unknown == []
    status = build.build(settings=data_settings)
    assert set(status.values()) == {"up to date"}
    assert set(build.describe_tables(data_settings)["status"]) == {"up to date"}


def _national(table, **filters):
    rows = table[table["geographic_level"] == "National"]
    for column, value in filters.items():
        rows = rows[rows[column] == value]
    return rows.set_index("year")["value"]


def test_ehc_plans_match_published_national_totals(built):
    # DfE "Education, health and care plans": statements + EHC plans in England each January.
    totals = _national(load(built, "ehcp_caseload_age"), age_group="Total", measure="total")
    assert totals[2010] == 228_221
    assert totals[2019] == 353_995
    assert totals[2022] == 473_255  # reporting year 2022
    assert totals[2025] == 638_745  # reporting year 2025
    settings = _national(load(built, "ehcp_caseload_setting"), setting_group="Total",
                         setting="Total", measure="total")
    assert settings[2022] == 473_255 and settings[2025] == 638_745


def test_the_two_releases_agree_where_they_overlap(built, mirror):
    raw = pd.read_csv(gzip.open(mirror / "ehcp/ehcp_2025release_caseload.csv.gz"), dtype=str,
                      encoding="utf-8-sig")
    r25 = raw[(raw["geographic_level"] == "National")
              & (raw["breakdown_topic"] == "All EHC plans")]
    r25 = r25.assign(year=r25["time_period"].str[-2:].astype(int) + 2000)
    r25 = r25.set_index("year")["ehcplans"].astype(float)
    r22 = _national(load(built, "ehcp_caseload_age"), age_group="Total", measure="total")
    for year in (2019, 2020, 2021, 2022):
        assert r22[year] == r25[year]


def test_exclusions_match_published_counts(built):
    # DfE "Suspensions and permanent exclusions in England", 2022/23 release, state-funded total.
    perm = _national(load(built, "exclusions"), school_type="Total", measure="perm_excl")
    assert perm[2018] == 7_905  # 2017/18
    assert perm[2023] == 9_376  # 2022/23


def test_population_matches_published_totals(built):
    pop = load(built, "population")
    totals = pop.groupby(["year", "area_code"])["value"].sum()
    assert totals[(2014, "K02000001")] == 64_596_752  # ONS, UK, mid-2014
    assert totals[(2022, "E92000001")] == 57_106_398  # ONS, England, mid-2022
    assert set(pop["year"]) == set(range(2014, 2023))


def test_dsg_high_needs_is_in_pounds_every_year_from_its_latest_publication(built):
    # ESFA DSG 2019-20: England high needs block GBP 6,279.123139m before deductions (the
    # 2019-20 summary sheet is in millions); 2023-24: GBP 9,952,172,126 in the ESFA workbook
    # published 2024-07-20, which revises the earlier summary sheet's GBP 9,953,984,391.
    table = load(built, "dsg_high_needs")
    hnb = _national(table, measure="hnb_before_deductions")
    assert hnb[2020] == pytest.approx(6_279_123_139, abs=1)
    assert hnb[2024] == pytest.approx(9_952_172_126, abs=1)
    assert (hnb > 5e9).all()
    files = table.groupby("year")["source_file"].unique()
    assert list(files[2024]) == ["dsg_2023-24_allocations_published_2024-07-20.ods"]
    assert list(files[2020]) == ["dsg_allocations_summary_2019-20_to_2023-24.ods"]


def test_tribunal_appealable_decisions_old_method_to_2023_revised_from_2024(built):
    # DfE EHC plans 2025 release, SEND Tribunal table: England 2023 15,615 appeals of 617,776
    # appealable decisions (2.5 per 100). 2026 release, appealable decisions rate 2024-2025 (the
    # revised method): 2024 22,276 of 364,912 (6.1), 2025 26,977 of 405,735 (6.6). The 2025
    # release's old-method 2024 (689,739 decisions, 3.2) is not mixed in.
    table = load(built, "tribunal_appeals")
    england = table[table["geographic_level"].eq("National")].set_index(["year", "measure"])["value"]
    assert england[(2023, "appeals_registered")] == 15_615
    assert england[(2023, "appealable_decisions")] == 617_776
    assert england[(2024, "appealable_decisions")] == 364_912
    assert england[(2025, "appeals_registered")] == 26_977
    assert england[(2025, "appealable_decisions")] == 405_735
    assert round(england[(2025, "appeal_rate_pct")], 1) == 6.6


def test_dorset_2024_timeliness_excluding_exceptions_is_a_non_return(built):
    table = load(built, "ehcp_timeliness")
    row = table[table["old_la_code"].eq("838") & table["year"].eq(2024)
                & table["breakdown_topic"].eq("All EHC plans issued")].set_index("measure")
    assert row.loc["plans_issued_den", "value"] == 585
    assert pd.isna(row.loc["plans_issued_den_ex", "value"])
    assert row.loc["plans_issued_den_ex", "symbol"] == "not returned"


def test_new_statements_and_plans_2015(built):
    # DfE EHC plans 2022 release: 27,923 new statements and EHC plans in 2015 (3,269 + 24,654).
    table = load(built, "ehcp_new_plans_history")
    england = table[table["geographic_level"].eq("National") & table["age_group"].eq("Total")]
    assert england.set_index(["year", "measure"]).loc[(2015, "total"), "value"] == 27_923


def test_benchmarking_outturn_and_budget_are_both_2021_22(built):
    # The workbook's own note says its outturn runs to 2020-21, but North and West
    # Northamptonshire (from April 2021) report outturn lines of their own and Northamptonshire
    # none: the outturn is 2021-22 (issue 25).
    table = load(built, "hn_benchmarking")
    section = table["measure"].str.split(" | ", regex=False).str[0]
    years = table.groupby(section)["year"].unique()
    assert list(years["Section 251 outturn"]) == [2022]
    assert list(years["Section 251 budget"]) == [2022]
    outturn = table[section.eq("Section 251 outturn")].dropna(subset=["value"])
    assert {"940", "941"} <= set(outturn["old_la_code"]) and "928" not in set(outturn["old_la_code"])
    # top-ups to independent and non-maintained schools and colleges: £1.77bn, DfE's 2021-22
    # figure (S251 outturn, LA and school expenditure 2021-22, as the recomputation found)
    independent = outturn[outturn["measure"].str.startswith(
        "Section 251 outturn | Top up funding (non-maintained")]
    assert round(independent["value"].sum() / 1e9, 2) == 1.77


def test_lookup_covers_every_la_and_reorganisation(built):
    lookup = load(built, "la_lookup")
    assert lookup["old_la_code"].is_unique
    assert (lookup["last_year"] == 2025).sum() == 153
    retired = set(lookup.loc[lookup["last_year"] < 2025, "old_la_code"])
    assert {"835", "836", "837", "928", "909"} <= retired
    sn = load(built, "statistical_neighbours")
    current = set(sn.loc[sn["version"] == "2025-05", "old_la_code"])
    assert current <= set(lookup["old_la_code"])


def test_harmonised_caseload_has_a_complete_series_for_reorganised_areas(built):
    caseload = load(built, "ehcp_caseload_age")
    totals = caseload[(caseload["age_group"] == "Total")]
    harmonised = harmonise_la(totals, measures=["total"])
    la = harmonised[harmonised["geographic_level"] == "Local authority"]
    for unit in ("928", "909", "838+839"):
        series = la[la["old_la_code"] == unit].set_index("year")["value"]
        assert sorted(series.index) == list(range(2010, 2027)), unit   # January 2026: totals only
        assert series.notna().all(), unit
    per_year = la.groupby("year")["old_la_code"].nunique()
    assert per_year.nunique() == 1, per_year.to_dict()


def test_january_2026_totals_come_from_the_2026_release_as_the_next_january(built):
    caseload = load(built, "ehcp_caseload_age")
    jan26 = caseload[caseload["year"].eq(2026) & caseload["measure"].eq("total")]
    assert set(jan26["age_group"]) == {"Total"}   # no age split for January 2026
    own = jan26.set_index(["geographic_level", jan26["old_la_code"].fillna("")])["value"]
    # DfE, EHC plans 2026, phase_transfers.csv, number_plans: England, Kent, Newham
    assert own[("National", "")] == 718_838
    assert own[("Local authority", "886")] == 21_742 and own[("Local authority", "316")] == 3_639
    lewisham = jan26[jan26["old_la_code"].eq("209")]
    assert lewisham["value"].isna().all() and lewisham["symbol"].eq("x").all()   # suppressed, not 0


def test_name_only_files_got_codes_for_every_la_row(built):
    for table_id in ("exclusions_reasons", "dsg_cumulative_balance"):
        table = load(built, table_id)
        la = table[table["geographic_level"] == "Local authority"]
        assert la["old_la_code"].notna().all(), table_id


@pytest.mark.parametrize("name", sorted(SERIES))
def test_each_named_series_declares_every_table_it_reads(built, data_settings, name):
    """Built alone on a fresh table store, a series reads only the tables it declares (its
    measure's and its geography's), so its citation and its pages' re-run keys are complete."""
    tables = TableStore(data_settings)
    SeriesStore(tables)[name]
    assert set(tables.reads) <= set(SERIES[name].reads), sorted(set(tables.reads) - set(SERIES[name].reads))
