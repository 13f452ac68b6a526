"""EHC plans and statements: DfE SEN2 return ("Education, health and care plans", EES).

Two layouts are read. The *history* files (the last release of the aggregate LA return; the
2022 release is held) cover January 2010 to its last year with statements and EHC plans
separately; the *current* files (the latest release held) cover January 2019 on (EHC plans only:
statements had all been transferred by 2018). They agree where they overlap (checked in the
integration tests for January 2019-2022); from January 2023 SEN2 is a person-level collection
and DfE says the time series breaks (:mod:`analysis.tables.breaks`). Series tables take the
history file for its years and the current file for the years after, with a ``release`` column
giving the vintage of the file each row comes from.

Measures in the caseload tables: ``total`` = statements + EHC plans (the research's count),
``ehc_plans``, ``statements``, and the publisher's shares ``*_pct`` (per cent of the LA total).
Every count is a January snapshot: ``year`` 2022 = January 2022 census.
"""

from __future__ import annotations

import pandas as pd

from analysis.errors import DataError
from analysis.tables.conventions import EES_GEOGRAPHY_COLUMNS, end_years, read_ees_csv, sum_groups, tidy_ees
from analysis.tables.readers import SourceFile

HISTORY_MEASURES = {
    "Total_st": "statements", "Total_st_pc": "statements_pct",
    "Total_ehc": "ehc_plans", "Total_ehc_pc": "ehc_plans_pct",
    "Total_all": "total", "Total_all_pc": "total_pct",
}  # fmt: skip

HISTORY_NEW_PLAN_MEASURES = {
    "Total_new_st": "statements", "Total_new_st_pc": "statements_pct",
    "Total_new_ehc": "ehc_plans", "Total_new_ehc_pc": "ehc_plans_pct",
    "Total_new_all": "total", "Total_new_all_pc": "total_pct",
}  # fmt: skip

# Single years of age in the current files -> the history files' age bands.
CURRENT_AGE_BANDS = {
    "under 3": "Under 5", "age 3": "Under 5", "age 4": "Under 5",
    **{f"age {a}": "Age 5 to 10" for a in range(5, 11)},
    **{f"age {a}": "Age 11 to 15" for a in range(11, 16)},
    **{f"age {a}": "Age 16 to 19" for a in range(16, 20)},
    **{f"age {a}": "Age 20 to 25" for a in range(20, 26)},
}  # fmt: skip

# Current caseload placement columns -> (setting_group, setting) in the history files' words.
CURRENT_SETTINGS: dict[str, tuple[str, str]] = {
    "ehcplans": ("Total", "Total"),
    "mainstream_la_maintained": ("Mainstream school", "Mainstream - LA maintained"),
    "mainstream_la_maintained_resourced_provision":
        ("Mainstream school", "Mainstream - LA maintained - Resourced provision"),
    "mainstream_la_maintained_senunit": ("Mainstream school", "Mainstream - LA maintained - SEN unit"),
    "mainstream_academy": ("Mainstream school", "Mainstream - Academy"),
    "mainstream_academy_resourced_provision":
        ("Mainstream school", "Mainstream - Academy - Resourced Provision"),
    "mainstream_academy_senunit": ("Mainstream school", "Mainstream - Academy - SEN unit"),
    "mainstream_free_school": ("Mainstream school", "Mainstream - Free school"),
    "mainstream_free_school_resourced_provision":
        ("Mainstream school", "Mainstream - Free school - Resourced provision"),
    "mainstream_free_school_senunit": ("Mainstream school", "Mainstream - Free school - SEN unit"),
    "mainstream_independent": ("Mainstream school", "Mainstream - Independent"),
    "mainstream_total": ("Mainstream school", "Total"),
    "special_la_maintained": ("Special school", "Special - LA maintained"),
    "special_academy_free": ("Special school", "Special - Academy/free"),
    "special_independent": ("Special school", "Special - Independent"),
    "special_non_maintained": ("Special school", "Special - Non-maintained"),
    "special_total": ("Special school", "Total"),
    "ap_pru_academy": ("Alternative provision/Pupil referral unit", "AP/PRU - Academy"),
    "ap_pru_free_school": ("Alternative provision/Pupil referral unit", "AP/PRU - Free school"),
    "ap_pru_la_maintained": ("Alternative provision/Pupil referral unit", "AP/PRU - LA maintained"),
    "ap_pru_total": ("Alternative provision/Pupil referral unit", "Total"),
    "general_fe_tertiary_colleges": ("Further education", "General FE and tertiary colleges/HE"),
    "specialist_post_16_institutions": ("Further education", "Specialist post-16 institutions"),
    "ukrlp_provider": ("Further education", "UKRLP registered provider"),
    "fe_total": ("Further education", "Total"),
    "elective_home_education": ("Educated elsewhere", "Elective home education"),
    "other_arrangements_la": ("Educated elsewhere", "Other arrangements by local authority"),
    "other_arrangements_parents": ("Educated elsewhere", "Other arrangements by parents"),
    "online_provider": ("Educated elsewhere", "Online provider"),
    "w_settings": ("Other", "Welsh settings"),
    "other_schools": ("Other", "Other schools"),
    "other_placement_settings": ("Other", "Other placement settings"),
    "neet": ("NEET", "Total"),
    "neet_ntci": ("NEET", "NEET - not in training, compulsory age"),
    "neet_other": ("NEET", "NEET - other"),
    "neet_other_csa": ("NEET", "NEET - other, compulsory school age"),
    "ed_elsewhere": ("Educated elsewhere", "Total"),
    "nm_early_years": ("Non-maintained early years", "Total"),
    "placement_unknown": ("Unknown", "Total"),
    "await_prov_2022": ("Educated elsewhere", "Awaiting provision - total"),
    "perm_ex_2022": ("Educated elsewhere", "Permanently excluded"),
}  # fmt: skip
CURRENT_DERIVED_SHARES = {
    "mainstream_total_pc", "special_total_pc", "AP_PRU_total_pc", "fe_total_pc",
    "ed_elsewhere_pc", "nm_early_years_pc", "placement_unknown_pc",
}  # fmt: skip
"""Share columns of the current caseload file not carried: each is a group total over
``ehcplans`` and is recomputable."""


def _history(file: SourceFile, dimension_map: dict[str, str],
             measures: dict[str, str] = HISTORY_MEASURES) -> pd.DataFrame:
    frame = read_ees_csv(file.path, where=file.name)
    long = tidy_ees(frame, dimensions=list(dimension_map), where=file.name, measures=list(measures))
    long = long.rename(columns=dimension_map)
    long["measure"] = long["measure"].map(measures).astype("string")
    long.insert(len(long.columns) - 3, "release", file.vintage)
    return long


def _current_placements(file: SourceFile) -> pd.DataFrame:
    """The current caseload file, refusing any column the placement mapping does not account for."""
    where = file.name
    frame = read_ees_csv(file.path, where=where)
    expected = (set(CURRENT_SETTINGS) | CURRENT_DERIVED_SHARES
                | {"breakdown_topic", "breakdown", "country_name"})
    unknown = [c for c in frame.columns if c not in expected and c not in EES_GEOGRAPHY_COLUMNS]
    if unknown:
        raise DataError(f"{where}: unmapped columns {unknown}; add them to CURRENT_SETTINGS")
    return frame


def read_caseload_age(files: dict[str, SourceFile]) -> pd.DataFrame:
    """EHC plans and statements by age band, January 2010 to the latest census held.

    History ``characteristic_age`` bands for its years; after them, the current file: the
    all-plans total every year and single-year ages (January 2024 on) summed into the same bands
    (a band with a suppressed component is itself missing, symbol ``suppressed-part``). No age
    split exists for January 2023.
    """
    r22 = _history(files["history"], {"characteristic_age": "age_group"})
    where = files["current"].name
    frame = read_ees_csv(files["current"].path, where=where)
    frame = frame[frame["breakdown_topic"].isin(["All EHC plans", "Child or young persons age"])]
    long = tidy_ees(frame, dimensions=["breakdown_topic", "breakdown"], where=where,
                    measures=["ehcplans"])
    long = long[long["year"] > r22["year"].max()]
    total = long[long["breakdown_topic"] == "All EHC plans"].assign(age_group="Total")
    ages = long[long["breakdown_topic"] == "Child or young persons age"]
    unmapped = sorted(set(ages["breakdown"]) - set(CURRENT_AGE_BANDS))
    if unmapped:
        raise DataError(f"{where}: unmapped ages {unmapped}")
    ages = ages.assign(age_group=ages["breakdown"].map(CURRENT_AGE_BANDS))
    keys = [c for c in ages.columns if c not in ("breakdown", "value", "symbol")]
    banded = sum_groups(ages, keys)
    r25 = pd.concat([total, banded], ignore_index=True).drop(columns=["breakdown_topic",
                                                                      "breakdown"])
    r25 = pd.concat([r25.assign(measure="total"), r25.assign(measure="ehc_plans")])
    r25["release"] = files["current"].vintage
    parts = [r22, r25[r22.columns]]
    if "next_total" in files:
        parts.append(read_next_total(files["next_total"], r25)[r22.columns])
    out = pd.concat(parts, ignore_index=True)
    out["value"] = out["value"].astype("float64")
    return out


def read_next_total(file: SourceFile, caseload: pd.DataFrame) -> pd.DataFrame:
    """Every area's EHC plans in the January after the caseload file's last, from a later
    release's phase-transfer file (``number_plans``): the total only, no age split.

    The file's ``time_period`` (2025, calendar year) is the year of the phase transfers, not of
    the count. ``number_plans`` is the caseload at the following January, settled from the file
    itself: England's figure (718,838 in the 2026 release) is the published January 2026 total
    and is far above January 2025's (638,745 in the caseload file), and the file counts LAs on
    the boundaries of that January. So the year is ``time_period + 1``, and it must be the
    January after the caseload's last: anything else, or an England total equal to the last
    January's, is refused as a dating error.
    """
    where = file.name
    frame = read_ees_csv(file.path, where=where)
    long = tidy_ees(frame, dimensions=[], where=where, measures=["number_plans"])
    last = int(caseload["year"].max())
    year = long["year"] + 1
    if set(year) != {last + 1}:
        raise DataError(f"{where}: time_period {sorted(set(long['year']))} does not give the "
                        f"January after the caseload's last ({last}): the count's year is unsettled")
    england = long.loc[long["geographic_level"].eq("National"), "value"]
    before = caseload.loc[caseload["geographic_level"].eq("National") & caseload["year"].eq(last)
                          & caseload["age_group"].eq("Total"), "value"]
    if len(england) != 1 or (len(before) and float(england.iloc[0]) == float(before.iloc[0])):
        raise DataError(f"{where}: England's number_plans equals January {last}'s total: it is "
                        "not the next January's count")
    total = long.assign(year=year, age_group="Total", release=file.vintage).drop(columns="measure")
    return pd.concat([total.assign(measure="total"), total.assign(measure="ehc_plans")],
                     ignore_index=True)


def read_caseload_setting(files: dict[str, SourceFile]) -> pd.DataFrame:
    """EHC plans and statements by placement (establishment group and type), January 2010 on.

    History ``establishment_group``/``establishment_type`` for its years; after them the current
    file's placement columns mapped onto the same labels (``CURRENT_SETTINGS``; categories only
    the current file has keep their own names). Measures as for the age table; the current
    file's years carry ``total`` and ``ehc_plans`` only.
    """
    r22 = _history(files["history"],
                   {"establishment_group": "setting_group", "establishment_type": "setting"})
    where = files["current"].name
    frame = _current_placements(files["current"])
    frame = frame[frame["breakdown_topic"] == "All EHC plans"]
    long = tidy_ees(frame, dimensions=[], where=where, measures=list(CURRENT_SETTINGS))
    long = long[long["year"] > r22["year"].max()]
    long["setting_group"] = long["measure"].map(lambda m: CURRENT_SETTINGS[m][0]).astype("string")
    long["setting"] = long["measure"].map(lambda m: CURRENT_SETTINGS[m][1]).astype("string")
    r25 = pd.concat([long.assign(measure="total"), long.assign(measure="ehc_plans")])
    r25["release"] = files["current"].vintage
    r25["measure"] = r25["measure"].astype("string")
    return pd.concat([r22, r25[r22.columns]], ignore_index=True)


def read_new_plans_history(files: dict[str, SourceFile]) -> pd.DataFrame:
    """New statements and new EHC plans made in each calendar year by age band (history file,
    2009-2021 held): ``total`` = statements + EHC plans (the caseload's definition),
    ``statements``, ``ehc_plans`` and their shares."""
    return _history(files["file"], {"characteristic_age": "age_group"}, HISTORY_NEW_PLAN_MEASURES)


def read_breakdowns(files: dict[str, SourceFile]) -> pd.DataFrame:
    """Every measure of a file in EES's ``breakdown_topic``/``breakdown`` layout (new plans,
    requests, assessments, timeliness, ceased plans, needs, residential and work-based
    placements, personal budgets), long format."""
    file = files["file"]
    frame = read_ees_csv(file.path, where=file.name)
    return tidy_ees(frame, dimensions=["breakdown_topic", "breakdown"], where=file.name)


def read_mi(files: dict[str, SourceFile]) -> pd.DataFrame:
    """SEN2 management information (2014-2021 held): assessments, timeliness, mediation, appeals."""
    file = files["file"]
    return tidy_ees(read_ees_csv(file.path, where=file.name), dimensions=[], where=file.name)


def read_dmo_dco(files: dict[str, SourceFile]) -> pd.DataFrame:
    """Designated medical / clinical / social care officer in post, by LA (2019-2025 held).

    Categorical answers (``Yes``, ``No``, ``Recruiting``, ``n/a``), long format: ``measure``
    (the officer) and ``answer``. No numeric ``value``.
    """
    where = files["file"].name
    frame = read_ees_csv(files["file"].path, where=where)
    officers = ["des_med_off", "des_clin_off", "des_so_care_off"]
    base = frame[EES_GEOGRAPHY_COLUMNS].astype("string").replace("", pd.NA)
    base.insert(len(EES_GEOGRAPHY_COLUMNS), "year",
                end_years(frame["time_period"], frame["time_identifier"]))
    parts = [base.assign(measure=o, answer=frame[o].str.strip().replace("", pd.NA))
             for o in officers]
    out = pd.concat(parts, ignore_index=True)
    for column in ("measure", "answer"):
        out[column] = out[column].astype("string")
    return out
