"""EHC plans and statements: DfE SEN2 return ("Education, health and care plans", EES).

Two releases are held. Reporting year 2022 (R22) covers January 2010-2022 with statements and
EHC plans separately; reporting year 2025 (R25) covers January 2019-2025 (EHC plans only:
statements had all been transferred by 2018). They agree for 2019-2022 (checked in the
integration tests), when both come from the aggregate LA return; from January 2023 SEN2 is a
person-level collection and DfE says the time series breaks (:mod:`analysis.breaks`).
Series tables take R22 up to 2022 and R25 from 2023, with a ``release`` column saying which.

Measures in the caseload tables: ``total`` = statements + EHC plans (the research's count),
``ehc_plans``, ``statements``, and the publisher's shares ``*_pct`` (per cent of the LA total).
Every count is a January snapshot: ``year`` 2022 = January 2022 census.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.conventions import (
    EES_GEOGRAPHY_COLUMNS,
    DataError,
    end_years,
    read_ees_csv,
    sum_groups,
    tidy_ees,
)

R22_LAST_YEAR = 2022

R22_MEASURES = {
    "Total_st": "statements", "Total_st_pc": "statements_pct",
    "Total_ehc": "ehc_plans", "Total_ehc_pc": "ehc_plans_pct",
    "Total_all": "total", "Total_all_pc": "total_pct",
}  # fmt: skip

R22_NEW_PLAN_MEASURES = {
    "Total_new_st": "statements", "Total_new_st_pc": "statements_pct",
    "Total_new_ehc": "ehc_plans", "Total_new_ehc_pc": "ehc_plans_pct",
    "Total_new_all": "total", "Total_new_all_pc": "total_pct",
}  # fmt: skip

# R25 single years of age -> the R22 age bands.
R25_AGE_BANDS = {
    "under 3": "Under 5", "age 3": "Under 5", "age 4": "Under 5",
    **{f"age {a}": "Age 5 to 10" for a in range(5, 11)},
    **{f"age {a}": "Age 11 to 15" for a in range(11, 16)},
    **{f"age {a}": "Age 16 to 19" for a in range(16, 20)},
    **{f"age {a}": "Age 20 to 25" for a in range(20, 26)},
}  # fmt: skip

# R25 caseload placement columns -> (setting_group, setting) in the R22 vocabulary.
R25_SETTINGS: dict[str, tuple[str, str]] = {
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
R25_DERIVED_SHARES = {
    "mainstream_total_pc", "special_total_pc", "AP_PRU_total_pc", "fe_total_pc",
    "ed_elsewhere_pc", "nm_early_years_pc", "placement_unknown_pc",
}  # fmt: skip
"""R25 share columns not carried: each is a group total over ``ehcplans`` and is recomputable."""


def _r22(path: Path, dimension_map: dict[str, str], where: str,
         measures: dict[str, str] = R22_MEASURES) -> pd.DataFrame:
    frame = read_ees_csv(path, where=where)
    long = tidy_ees(frame, dimensions=list(dimension_map), where=where, measures=list(measures))
    long = long.rename(columns=dimension_map)
    long["measure"] = long["measure"].map(measures).astype("string")
    long = long[long["year"] <= R22_LAST_YEAR]
    long.insert(len(long.columns) - 3, "release", "2022")
    return long


def _read_r25_placements(path: Path, where: str) -> pd.DataFrame:
    """The R25 caseload file, refusing any column the placement mapping does not account for."""
    frame = read_ees_csv(path, where=where)
    expected = set(R25_SETTINGS) | R25_DERIVED_SHARES | {"breakdown_topic", "breakdown", "country_name"}
    unknown = [c for c in frame.columns if c not in expected and c not in EES_GEOGRAPHY_COLUMNS]
    if unknown:
        raise DataError(f"{where}: unmapped columns {unknown}; add them to R25_SETTINGS")
    return frame


def read_caseload_age(paths: dict[str, Path]) -> pd.DataFrame:
    """EHC plans and statements by age band, January 2010 to the latest census held.

    R22 ``characteristic_age`` bands 2010-2022; from 2023, R25: the all-plans total every
    year and single-year ages (2024 on) summed into the same bands (a band with a suppressed
    component is itself missing, symbol ``suppressed-part``). No age split exists for 2023.
    """
    r22 = _r22(paths["ehcp_r22_age_caseload"], {"characteristic_age": "age_group"},
               "ehcp_2022release_sen2_age_caseload")
    where = "ehcp_2025release_caseload"
    frame = read_ees_csv(paths["ehcp_r25_caseload"], where=where)
    frame = frame[frame["breakdown_topic"].isin(["All EHC plans", "Child or young persons age"])]
    long = tidy_ees(frame, dimensions=["breakdown_topic", "breakdown"], where=where,
                    measures=["ehcplans"])
    long = long[long["year"] > R22_LAST_YEAR]
    total = long[long["breakdown_topic"] == "All EHC plans"].assign(age_group="Total")
    ages = long[long["breakdown_topic"] == "Child or young persons age"]
    unmapped = sorted(set(ages["breakdown"]) - set(R25_AGE_BANDS))
    if unmapped:
        raise DataError(f"{where}: unmapped ages {unmapped}")
    ages = ages.assign(age_group=ages["breakdown"].map(R25_AGE_BANDS))
    keys = [c for c in ages.columns if c not in ("breakdown", "value", "symbol")]
    banded = sum_groups(ages, keys)
    r25 = pd.concat([total, banded], ignore_index=True).drop(columns=["breakdown_topic",
                                                                      "breakdown"])
    r25 = pd.concat([r25.assign(measure="total"), r25.assign(measure="ehc_plans")])
    r25["release"] = "2025"
    out = pd.concat([r22, r25[r22.columns]], ignore_index=True)
    out["value"] = out["value"].astype("float64")
    return out


def read_caseload_setting(paths: dict[str, Path]) -> pd.DataFrame:
    """EHC plans and statements by placement (establishment group and type), January 2010 on.

    R22 ``establishment_group``/``establishment_type`` 2010-2022; from 2023 the R25 placement
    columns mapped onto the same labels (``R25_SETTINGS``; R25-only categories keep their own
    names). Measures as for the age table; R25 years carry ``total`` and ``ehc_plans`` only.
    """
    r22 = _r22(paths["ehcp_r22_estab_caseload"],
               {"establishment_group": "setting_group", "establishment_type": "setting"},
               "ehcp_2022release_sen2_estab_caseload")
    where = "ehcp_2025release_caseload"
    frame = _read_r25_placements(paths["ehcp_r25_caseload"], where)
    frame = frame[frame["breakdown_topic"] == "All EHC plans"]
    long = tidy_ees(frame, dimensions=[], where=where, measures=list(R25_SETTINGS))
    long = long[long["year"] > R22_LAST_YEAR]
    long["setting_group"] = long["measure"].map(lambda m: R25_SETTINGS[m][0]).astype("string")
    long["setting"] = long["measure"].map(lambda m: R25_SETTINGS[m][1]).astype("string")
    r25 = pd.concat([long.assign(measure="total"), long.assign(measure="ehc_plans")])
    r25["release"] = "2025"
    r25["measure"] = r25["measure"].astype("string")
    return pd.concat([r22, r25[r22.columns]], ignore_index=True)


def read_new_plans_history(paths: dict[str, Path]) -> pd.DataFrame:
    """New statements and new EHC plans made in each calendar year 2009-2021 by age band (R22):
    ``total`` = statements + EHC plans (the caseload's definition), ``statements``,
    ``ehc_plans`` and their shares."""
    return _r22(paths["ehcp_r22_age_new_plans"], {"characteristic_age": "age_group"},
                "ehcp_2022release_sen2_age_new_plans", R22_NEW_PLAN_MEASURES)


def _breakdown_table(source_id: str, where: str):
    """Reader for an R25 file in the standard ``breakdown_topic``/``breakdown`` layout."""

    def read(paths: dict[str, Path]) -> pd.DataFrame:
        frame = read_ees_csv(paths[source_id], where=where)
        return tidy_ees(frame, dimensions=["breakdown_topic", "breakdown"], where=where)

    read.__doc__ = f"All measures of {where} (R25), long format, by breakdown topic."
    return read


read_new_plans = _breakdown_table("ehcp_r25_newplans", "ehcp_2025release_newplans")
read_requests = _breakdown_table("ehcp_r25_requests", "ehcp_2025release_requests")
read_assessments = _breakdown_table("ehcp_r25_assessments", "ehcp_2025release_assessments")
read_timeliness = _breakdown_table("ehcp_r25_timeliness_20_week",
                                   "ehcp_2025release_timeliness_20_week")
read_ceased_plans = _breakdown_table("ehcp_r25_ceased_plans", "ehcp_2025release_ceased_plans")
read_needs = _breakdown_table("ehcp_r25_sen_needs_all_plans",
                              "ehcp_2025release_sen_needs_all_plans")
read_needs_new_plans = _breakdown_table("ehcp_r25_sen_need_newplans",
                                        "ehcp_2025release_sen_need_newplans")
read_residential = _breakdown_table("ehcp_r25_residential_settings",
                                    "ehcp_2025release_residential_settings")
read_work_based = _breakdown_table("ehcp_r25_work_based_placements",
                                   "ehcp_2025release_work_based_placements")
read_personal_budgets = _breakdown_table("ehcp_r25_personal_budgets",
                                         "ehcp_2025release_personal_budgets")


def read_mi(paths: dict[str, Path]) -> pd.DataFrame:
    """SEN2 management information 2014-2021 (R22): assessments, timeliness, mediation, appeals."""
    where = "ehcp_2022release_sen2_mi"
    return tidy_ees(read_ees_csv(paths["ehcp_r22_mi"], where=where), dimensions=[], where=where)


def read_dmo_dco(paths: dict[str, Path]) -> pd.DataFrame:
    """Designated medical / clinical / social care officer in post, by LA, 2019-2025 (R25).

    Categorical answers (``Yes``, ``No``, ``Recruiting``, ``n/a``), long format: ``measure``
    (the officer) and ``answer``. No numeric ``value``.
    """
    where = "ehcp_2025release_sen2_dmo_dco"
    frame = read_ees_csv(paths["ehcp_r25_dmo_dco"], where=where)
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
