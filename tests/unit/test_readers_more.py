"""More readers on hand-made fixtures written by the tests themselves."""

import math

import pandas as pd
import pytest

from analysis.errors import DataError
from analysis.tables.readers import deprivation, exclusions, lait, lookups
from tests.conftest import source_file

EES_HEAD = ("time_identifier,time_period,geographic_level,country_code,country_name,region_code,"
            "region_name,old_la_code,new_la_code,la_name,school_type,perm_excl,perm_excl_rate\n")


def test_exclusions_ees_file_keeps_codes_and_rates(tmp_path):
    path = tmp_path / "exc.csv"
    path.write_text(
        "\ufeff" + EES_HEAD
        + "Academic year,201718,National,E92000001,England,,,,,,Total,7905,0.1\n"
        + "Academic year,201718,Local authority,E92000001,England,E12000001,North East,"
          "841,E06000005,Darlington,Total,12,z\n", encoding="utf-8")
    table = exclusions.read_exclusions({"file": source_file(path, "2022/23")})
    cell = table.set_index(["geographic_level", "measure"])
    assert cell.loc[("National", "perm_excl"), "value"] == 7905
    assert cell.loc[("Local authority", "perm_excl"), "old_la_code"] == "841"
    assert math.isnan(cell.loc[("Local authority", "perm_excl_rate"), "value"])
    assert set(table["year"]) == {2018}  # academic year 2017/18 ends in 2018


def test_exclusions_reasons_joins_names_to_codes(tmp_path):
    path = tmp_path / "reasons.csv"
    path.write_text("year,la_name,school_type,perm_bullying,fixed_theft\n"
                    "201617,England,Total,25,4320\n"
                    "201617,North East,Total,5,x\n"
                    "201617,St. Helens,Total,1,9\n"
                    "200708,Cheshire (Pre LGR 2009),Total,0,3\n")
    lookup = pd.DataFrame({"old_la_code": ["342"], "la_name": ["St Helens"],
                           "region_name": ["North West"], "first_year": [2010],
                           "last_year": [2025]})
    table = exclusions.read_exclusions_reasons({"file": source_file(path, "2016/17")}, lookup)
    la = table[table["geographic_level"] == "Local authority"]
    assert set(la["old_la_code"]) == {"342", "875"}
    region = table[table["geographic_level"] == "Regional"]
    assert set(region["region_name"]) == {"North East"}
    theft = region[region["measure"] == "fixed_theft"]
    assert math.isnan(theft["value"].item()) and theft["symbol"].item() == "x"


def test_lait_years_levels_and_dashes(tmp_path):
    frame = pd.DataFrame({
        "Short Desc": list(lait.INDICATORS) + ["TotPermEx", "TotPermEx"],
        "Data item": "d",
        "Years": ["2016"] * len(lait.INDICATORS) + ["2015/16", "2016-17 (OT)"],
        "LA and Regions": ["Camden"] * len(lait.INDICATORS) + ["England", "North East"],
        "Values": ["1.5"] * len(lait.INDICATORS) + ["0.08", "-"],
        "LA Number": [202.0] * len(lait.INDICATORS) + [970.0, 980.0],
        "Region": ["London"] * len(lait.INDICATORS) + [None, None],
    })
    path = tmp_path / "lait.parquet"
    frame.to_parquet(path)
    table = lait.read_lait({"file": source_file(path, "2026-04-08")})
    england = table[table["geographic_level"] == "National"].iloc[0]
    assert england["year"] == 2016 and england["time_identifier"] == "Academic year"
    region = table[table["geographic_level"] == "Regional"].iloc[0]
    assert region["year"] == 2017 and region["time_identifier"] == "Financial year"
    assert math.isnan(region["value"]) and region["symbol"] == "-"
    assert set(table.loc[table["geographic_level"] == "Local authority", "old_la_code"]) == {"202"}


def test_statistical_neighbours_long_format(tmp_path):
    header = ["LA num", "LA Name", "LA number", "GOInd", "GOReg"]
    for k in range(1, 11):
        header += [f"SN{k}", "SNP"]
    row = ["202", "Camden", "202", "3", "London"]
    for k in range(1, 11):
        row += [str(300 + k), "Close" if k < 3 else "Not close"]
    sheet = pd.DataFrame([["A"] * len(header), header, row])
    for name in ("sn21.xlsx", "sn25.xlsx"):
        sheet.to_excel(tmp_path / name, header=False, index=False, sheet_name="LA SN Groups")
    table = lookups.read_statistical_neighbours({"vintages": [
        source_file(tmp_path / "sn21.xlsx", "2021-04"), source_file(tmp_path / "sn25.xlsx", "2025-05")]})
    assert len(table) == 20
    first = table[(table["version"] == "2025-05") & (table["rank"] == 1)].iloc[0]
    assert first["neighbour_la_code"] == "301" and first["closeness"] == "Close"


def test_deprivation_reads_every_domain(tmp_path):
    path = tmp_path / "iod.xlsx"
    with pd.ExcelWriter(path) as writer:
        for domain in deprivation.DOMAINS:
            pd.DataFrame({
                "Upper Tier Local Authority District code (2019)": ["E06000001"],
                "Upper Tier Local Authority District name (2019)": ["Hartlepool"],
                f"{domain} - Average score ": [-0.39 if domain == "Health" else 35.0],
            }).to_excel(writer, sheet_name=domain, index=False)
    table = deprivation.read_deprivation({"file": source_file(path, "2019")})
    assert len(table) == len(deprivation.DOMAINS)
    health = table[table["domain"] == "Health"].iloc[0]
    assert health["measure"] == "average_score" and health["value"] == pytest.approx(-0.39)


def test_benchmarking_years_are_read_from_the_file_not_its_name():
    from analysis.tables.readers.hn_benchmarking import section_years
    raw = pd.DataFrame([[None, "Year", "2021-22", None],
                        [None, None, None, "This table has values for 2016-17, 2019-20 and 2020-21 "
                                           "currently as data for later years is unavailable"]])
    assert section_years(raw, "f.xlsx") == (2022, 2021)
    with pytest.raises(DataError, match="f.xlsx"):
        section_years(raw.iloc[:1], "f.xlsx")


def test_benchmarking_outturn_year_is_settled_by_which_las_report_it():
    # The note's latest year (2020-21) is a lower bound: North Northamptonshire (940) existed
    # only from April 2021, so outturn figures of its own are for 2021-22 at the earliest.
    from analysis.tables.readers.hn_benchmarking import section_years
    raw = pd.DataFrame([[None, "Year", "2021-22", None],
                        [None, None, None, "This table has values for 2019-20 and 2020-21 "
                                           "currently as data for later years is unavailable"]])
    assert section_years(raw, "f.xlsx", ["886", "940"]) == (2022, 2022)
    assert section_years(raw, "f.xlsx", ["886", "928"]) == (2022, 2021)
    with pytest.raises(DataError, match="never existed in one year together"):
        section_years(raw, "f.xlsx", ["928", "940"])    # Northamptonshire ended March 2021
