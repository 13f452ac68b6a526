"""The survey's population: the LAs that could respond, and the sampling frame of stable areas
with the auxiliary data (known for every area, respondent or not) that scale-up and
representativeness checks use.

A return is for one LA as it was during the survey's years. The frame is on stable areas
(:mod:`analysis.tables.geography`), because the auxiliary data after 2019 are on the new geography: an
LA that is only *part* of a stable area in the survey's years (Bournemouth, Poole and the old
Dorset county, merged into one area) cannot be scaled with its area's totals, so its return is
reported and left out unless the three are merged into one.

Auxiliaries (all published, all LAs): the DSG high needs block allocation for 2019-20 (pounds;
the earliest held, used as a measure of size), ONS population aged 0-25 and 2-18 at the mid-year
starting the survey's last financial year, and EHC plans in the January of that year.
"""

from __future__ import annotations

import pandas as pd

from analysis.series import measures
from analysis.series.area import la_units
from analysis.studies.survey.codebook import fy_end_year
from analysis.tables import store
from analysis.tables.geography import ons_crosswalk
from analysis.vocabulary import LA_LEVEL

HNB_AUXILIARY_YEAR = 2020
"""Financial year 2019-20 (``year`` 2020): the first year of DSG high needs allocations held."""


def survey_las(lookup: pd.DataFrame, years: tuple[str, ...]) -> pd.DataFrame:
    """LAs with SEND duties at any time in the survey's financial years, with their stable area
    (``stable_unit``), whether they are the whole of it (``whole_area``), type and region."""
    first, last = fy_end_year(years[0]), fy_end_year(years[-1])
    active = lookup[(lookup["first_year"] <= last) & (lookup["last_year"] >= first)]
    shared = active["stable_unit"].duplicated(keep=False)
    return (active.assign(whole_area=~shared)
            [["old_la_code", "la_name", "stable_unit", "whole_area", "la_type", "region_name"]]
            .astype({"old_la_code": "string", "stable_unit": "string"}).reset_index(drop=True))


def _la_values(area_series: pd.DataFrame, year: int, name: str) -> pd.Series:
    rows = area_series[area_series["level"].eq(LA_LEVEL) & area_series["year"].eq(year)]
    return rows.set_index("area_code")["value"].rename(name)


def sampling_frame(years: tuple[str, ...]) -> pd.DataFrame:
    """One row per stable area in the survey's years: ``unit_code``, ``unit_name``,
    ``region_name``, ``la_type`` and the auxiliaries ``hnb_2019_20`` (pounds), ``population_0_25``,
    ``population_2_18`` (persons), ``ehcp`` (plans), with ``hnb_per_head_2_18`` (pounds per person
    aged 2-18) and ``ehcp_per_1000`` (per 1,000 aged 0-25). Missing where not published."""
    lookup = store.load("la_lookup")
    units = la_units(lookup)
    las = survey_las(lookup, years)
    last = fy_end_year(years[-1])
    age = store.load("ehcp_caseload_age")
    population = store.load("population")
    crosswalk = ons_crosswalk(age, lookup)
    latest = las.drop_duplicates("stable_unit", keep="last").set_index("stable_unit")
    frame = units[units["area_code"].isin(las["stable_unit"])].set_index("area_code")
    frame = frame.rename(columns={"area_name": "unit_name"})
    frame["la_type"] = latest["la_type"]
    parts = [
        _la_values(measures.hnb_allocation(store.load("dsg_high_needs"), units), HNB_AUXILIARY_YEAR,
                   "hnb_2019_20"),
        _la_values(measures.population_by_la(population, crosswalk, units), last, "population_0_25"),
        _la_values(measures.population_by_la(population, crosswalk, units, ages=(2, 18)), last,
                   "population_2_18"),
        _la_values(measures.ehcp_caseload(age, units), last, "ehcp"),
    ]
    frame = frame.join(pd.concat(parts, axis=1), how="left")
    frame["hnb_per_head_2_18"] = frame["hnb_2019_20"] / frame["population_2_18"]
    frame["ehcp_per_1000"] = frame["ehcp"] / frame["population_0_25"] * 1000
    frame.index.name = "unit_code"
    return frame.reset_index().sort_values("unit_code").reset_index(drop=True)


FRAMES = ("stable_areas", "las_of_last_year")
"""The two frames a scale-up can use: the stable areas (150 for 2015-16 to 2018-19) or the LAs
as they were in the survey's last year (the research's 152 LAs of 2018-19)."""

ADDITIVE_AUXILIARIES = ("hnb_2019_20", "population_0_25", "population_2_18", "ehcp")


def la_frame(areas: pd.DataFrame, las: pd.DataFrame, last_year: int) -> pd.DataFrame:
    """The frame of the LAs with SEND duties in the survey's last year (``year`` key), from the
    stable-area frame ``areas`` and :func:`survey_las` ``las``: an area that was several LAs then
    (Bournemouth, Poole and the old Dorset county in 2018-19) becomes one row per LA, with the
    area's auxiliaries carried once, on its first LA (0 on the others, so every total is
    unchanged) and its per-head ratios on none. Rows keep ``unit_code`` = the LA's code."""
    current = las[las["old_la_code"].isin(
        store.load("la_lookup").query("first_year <= @last_year and last_year >= @last_year")
        ["old_la_code"])]
    rows = []
    for area in areas.itertuples(index=False):
        parts = current[current["stable_unit"].eq(area.unit_code)].sort_values("old_la_code")
        if len(parts) <= 1:
            rows.append(area._asdict())
            continue
        for i, part in enumerate(parts.itertuples(index=False)):
            row = area._asdict() | {"unit_code": part.old_la_code, "unit_name": part.la_name,
                                    "la_type": part.la_type}
            if i:
                row |= {c: 0.0 for c in ADDITIVE_AUXILIARIES}
            row |= {"hnb_per_head_2_18": float("nan"), "ehcp_per_1000": float("nan")}
            rows.append(row)
    return pd.DataFrame(rows, columns=areas.columns)
