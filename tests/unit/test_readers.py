"""Readers on small hand-made fixtures (expected values worked out by hand in comments)."""

import math

import pandas as pd
import pytest

from analysis.errors import DataError
from analysis.tables.readers import dsg, ehcp, population, tribunals
from analysis.tables.readers.lookups import match_la_names, normalise_name
from tests.conftest import FIXTURES, source_file

EHCP = FIXTURES / "ehcp"


def _caseload_age():
    return ehcp.read_caseload_age({"history": source_file(EHCP / "r22_age_caseload.csv", "2022"),
                                   "current": source_file(EHCP / "r25_caseload.csv", "2025")})


def test_caseload_age_takes_history_to_its_last_year_and_the_current_release_after():
    table = _caseload_age()
    national = table[(table["geographic_level"] == "National") & (table["measure"] == "total")]
    totals = national[national["age_group"] == "Total"].set_index("year")["value"]
    # R22 rows for 2013 and 2022; the R25 row for January 2022 (202122) is not used twice.
    assert totals.to_dict() == {2013: 800.0, 2022: 1000.0, 2025: 1500.0}
    assert set(national.loc[national["year"] == 2025, "release"]) == {"2025"}


def test_caseload_age_bands_single_years_and_keeps_suppression():
    table = _caseload_age()
    under5 = table[(table["year"] == 2025) & (table["age_group"] == "Under 5")
                   & (table["measure"] == "total")].set_index("geographic_level")
    assert under5.loc["National", "value"] == 60.0  # 10 + 20 + 30
    # North Northamptonshire: 'under 3' is suppressed, so the band is unknown, not 12.
    assert math.isnan(under5.loc["Local authority", "value"])
    assert under5.loc["Local authority", "symbol"] == "suppressed-part"


def test_caseload_statements_are_not_applicable_not_zero():
    table = _caseload_age()
    statements = table[(table["year"] == 2022) & (table["measure"] == "statements")]
    assert statements["value"].isna().all()
    assert set(statements["symbol"]) == {"z"}
    assert table.loc[(table["year"] == 2013) & (table["measure"] == "statements")
                     & (table["geographic_level"] == "National"), "value"].item() == 700.0


TRIBUNAL_LOOKUP = pd.DataFrame({
    "old_la_code": ["841", "840", "892", "891", "928", "940", "873", "823", "836"],
    "la_name": ["Darlington", "Durham", "Nottingham", "Nottinghamshire", "Northamptonshire",
                "North Northamptonshire", "Cambridgeshire", "Central Bedfordshire", "Poole"],
    "first_year": 2010, "last_year": 2025,
})


def _tribunals(path=EHCP / "tribunals.csv"):
    return tribunals.read_tribunals({"file": source_file(path)}, TRIBUNAL_LOOKUP)


def test_tribunals_wide_table_with_nil_dashes():
    table = _tribunals()
    cell = table.set_index(["old_la_code", "year", "measure"])
    assert cell.loc[("841", 2018, "appeals_registered"), "value"] == 0.0  # "-" is nil here
    assert cell.loc[("840", 2018, "appealable_decisions"), "value"] == 2533.0
    assert cell.loc[("840", 2018, "appeal_rate_pct"), "value"] == pytest.approx(1.3)
    assert cell.loc[("840", 2019, "appeals_registered"), "symbol"] == "x"
    england = table[table["geographic_level"].eq("National")].set_index(["year", "measure"])
    assert england.loc[(2018, "appeals_registered"), "value"] == 4108.0


def test_tribunals_codes_come_from_names_not_the_printed_codes():
    table = _tribunals()
    codes = table.drop_duplicates("la_name").set_index("la_name")["old_la_code"]
    assert codes["Nottingham"] == "892" and codes["Nottinghamshire"] == "891"
    assert codes["Northamptonshire"] == "928"  # footnote digit stripped, code corrected
    assert codes["Cambridgeshire"] == "873" and codes["Central Bedfordshire"] == "823"
    assert codes["Poole"] == "836"  # no printed code: from the name
    # North Northamptonshire did not exist yet: its all-".." years are not rows.
    assert "940" not in set(table["old_la_code"])
    # Poole 2019 is all "..", and Poole is a reorganised LA: left out; 2018 kept.
    assert set(table.loc[table["old_la_code"].eq("836"), "year"]) == {2018}


def test_tribunals_footnoted_header_with_a_comma_is_read():
    # 2023 and 2024 print "Total Appealable Decisions1,9": the decisions and so the rate exist.
    cell = _tribunals().set_index(["old_la_code", "year", "measure"])
    assert cell.loc[("840", 2019, "appealable_decisions"), "value"] == 2688.0
    england = _tribunals().query("geographic_level == 'National'").set_index(["year", "measure"])
    assert england.loc[(2019, "appealable_decisions"), "value"] == 269565.0


def test_tribunals_unknown_header_is_an_error_naming_it(tmp_path):
    text = (EHCP / "tribunals.csv").read_text().replace("Appeals registered4,\"Total",
                                                        "Appeals lodged,\"Total")
    path = tmp_path / "tribunals.csv"
    path.write_text(text)
    with pytest.raises(DataError, match="Appeals lodged"):
        _tribunals(path)


def test_tribunals_in_development_columns_are_not_read(tmp_path):
    lines = [line + "," for line in (EHCP / "tribunals.csv").read_text().splitlines()]
    lines[3] += "In development: SEND Tribunal Appeal Rate2"
    lines[5] += "9.9%"
    path = tmp_path / "tribunals.csv"
    path.write_text("\n".join(lines) + "\n")
    table = _tribunals(path)
    assert not table["value"].eq(9.9).any()


def test_tribunals_unexpected_code_disagreement_is_an_error(tmp_path):
    text = (EHCP / "tribunals.csv").read_text().replace("Darlington,841", "Darlington,840")
    path = tmp_path / "tribunals.csv"
    path.write_text(text)
    with pytest.raises(DataError, match="Darlington"):
        _tribunals(path)


def _dsg_sheet(unit_label: str, england_c: float, la_c: float) -> pd.DataFrame:
    letters = ["[A]", "[B]", "[C]", "[D]", "[E]", "[F]", "[G]", "[H]", "[I]", "[J]"]
    header = [f"High needs block ({unit_label})"] * 10
    rows = [
        ["Dedicated schools grant: allocations local authority summary", None] + [None] * 10,
        [None, None] + header,
        [None, None] + letters,
        [None, None] + [None] * 10,
        ["ENGLAND", None, 1, 1, england_c, 1, 10, 1, 1, england_c - 1, 1, 9],
        ["202", "Camden", 1, 1, la_c, 1, 10, 1, 1, la_c - 1, 1, 9],
        ["LONDON", None, 1, 1, la_c, 1, 10, 1, 1, la_c - 1, 1, 9],
        ["UNITARY AUTHORITIES", None, 1, 1, 0, 1, 10, 1, 1, 0, 1, 9],
        ["LONDON", None, 1, 1, la_c, 1, 10, 1, 1, la_c - 1, 1, 9],
    ]
    return pd.DataFrame(rows)


def test_dsg_high_needs_converts_millions_to_pounds(tmp_path):
    path = tmp_path / "dsg.ods"
    with pd.ExcelWriter(path, engine="odf") as writer:
        _dsg_sheet("£ million", 6279.5, 36.25).to_excel(writer, sheet_name="Allocations_1920",
                                                        header=False, index=False)
        _dsg_sheet("£s", 9.0e9, 5.5e7).to_excel(writer, sheet_name="Allocations_2324",
                                                header=False, index=False)
    table = dsg.read_dsg_high_needs({"summary": source_file(path, "2023-24"), "workbooks": []})
    hnb = table[table["measure"] == "hnb_before_deductions"].set_index(
        ["year", "geographic_level"])["value"]
    assert hnb[(2020, "National")] == pytest.approx(6_279_500_000)
    assert hnb[(2020, "Local authority")] == pytest.approx(36_250_000)
    assert hnb[(2024, "Local authority")] == pytest.approx(55_000_000)
    # London is listed twice and the LA-type subtotal is not a region: one London row per year.
    regional = table[(table["geographic_level"] == "Regional")
                     & (table["measure"] == "hnb_before_deductions")]
    assert regional["region_name"].tolist() == ["London", "London"]


def test_population_header_found_by_content_not_position():
    raw = pd.DataFrame(
        [["MYE2: title", None, None] + [None] * 91,
         ["notes", None, None] + [None] * 91,
         ["Code", "Name", "All ages"] + [str(a) for a in range(91)],
         ["E92000001", "ENGLAND", "91000"] + ["1,000"] * 91,
         ["E06000001", "Hartlepool", "x"] + ["10"] * 90 + ["x"]],
    )
    table = population.tidy_mye2(raw, year=2019, where="fixture")
    assert len(table) == 2 * 91
    england = table[table["area_code"] == "E92000001"]
    assert england["value"].sum() == 91_000
    oldest = table[(table["area_code"] == "E06000001") & (table["age"] == 90)]
    assert math.isnan(oldest["value"].item()) and oldest["symbol"].item() == "x"
    young = population.population_0_25(table)
    assert young.set_index("area_code").loc["E06000001", "population_0_25"] == 260.0


def test_population_rejects_a_table_without_all_ages():
    raw = pd.DataFrame([["Code", "Name", "0", "1"], ["E92000001", "ENGLAND", "1", "2"]])
    with pytest.raises(DataError, match="age columns"):
        population.tidy_mye2(raw, year=2019, where="fixture")


LOOKUP = pd.DataFrame({
    "old_la_code": ["835", "838", "342", "359", "801"],
    "la_name": ["Dorset", "Dorset", "St. Helens", "Wigan", "Bristol, City of"],
    "first_year": [2010, 2020, 2010, 2010, 2010],
    "last_year": [2019, 2025, 2025, 2025, 2025],
})


def test_la_names_match_through_normalisation_and_year():
    names = pd.Series(["St Helens", "WIGAN", "City of Bristol", "Dorset", "Dorset"])
    years = pd.Series([2015, 2015, 2015, 2008, 2021])
    codes = match_la_names(names, LOOKUP, where="fixture", valid_in_year=years)
    assert codes.tolist() == ["342", "359", "801", "835", "838"]
    assert normalise_name("Bristol, City of") == normalise_name("City of Bristol")


def test_unmatched_la_names_are_an_error_listing_them():
    with pytest.raises(DataError, match="Atlantis"):
        match_la_names(pd.Series(["Wigan", "Atlantis"]), LOOKUP, where="fixture")


def test_the_next_januarys_totals_come_from_the_phase_transfer_file_a_year_on():
    # time_period 2025 (the transfers' calendar year) counts the plans of January 2026
    table = ehcp.read_caseload_age({
        "history": source_file(EHCP / "r22_age_caseload.csv", "2022"),
        "current": source_file(EHCP / "r25_caseload.csv", "2025"),
        "next_total": source_file(EHCP / "r26_phase_transfers.csv", "2026")})
    jan26 = table[table["year"].eq(2026) & table["measure"].eq("total")].set_index("geographic_level")
    assert jan26["age_group"].eq("Total").all() and jan26.loc["National", "value"] == 1700.0
    assert math.isnan(jan26.loc["Local authority", "value"]) and jan26.loc["Local authority", "symbol"] == "x"


def test_a_phase_transfer_file_that_is_not_the_next_january_is_refused(tmp_path):
    text = (EHCP / "r26_phase_transfers.csv").read_bytes()
    for wrong, message in ((text.replace(b"\r\n2025,", b"\r\n2024,"), "does not give the January after"),
                           (text.replace(b",1700,", b",1500,"), "equals January 2025's total")):
        path = tmp_path / "pt.csv"
        path.write_bytes(wrong)
        with pytest.raises(DataError, match=message):
            ehcp.read_caseload_age({"history": source_file(EHCP / "r22_age_caseload.csv", "2022"),
                                    "current": source_file(EHCP / "r25_caseload.csv", "2025"),
                                    "next_total": source_file(path, "2026")})


def test_the_revised_file_replaces_the_history_from_its_first_year():
    # history 2018-2019 on the old method; the revised file 2019-2020: 2019 comes from it
    table = tribunals.read_tribunals(
        {"file": source_file(EHCP / "tribunals.csv"),
         "revised": source_file(EHCP / "tribunals_revised.csv", "2026")}, TRIBUNAL_LOOKUP)
    cell = table.set_index(["old_la_code", "year", "measure"])
    assert cell.loc[("840", 2018, "appealable_decisions"), "value"] == 2533.0   # history
    assert cell.loc[("840", 2019, "appealable_decisions"), "value"] == 800.0    # revised, not 2,688
    assert cell.loc[("841", 2020, "appeals_registered"), "value"] == 3.0        # "Appeals"
    england = table[table["geographic_level"].eq("National")].set_index(["year", "measure"])
    assert england.loc[(2020, "appealable_decisions"), "value"] == 1050.0
    assert not table.duplicated(["old_la_code", "year", "measure", "geographic_level"]).any()
