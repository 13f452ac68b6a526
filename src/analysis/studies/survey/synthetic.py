"""A SYNTHETIC sample of survey returns, deterministic for a seed, for running and testing the
analysis without the confidential microdata (which were never published).

Not real responses. What is anchored in published data, and what is assumed:

* Respondents: ``n`` real LAs drawn at random (seeded) from the LAs that are whole stable areas
  in the survey's years and have a published 2019-20 high needs block allocation.
* Top-up sources: calibrated so that the respondents' totals per source and year equal the
  interim aggregates of the research (:data:`INTERIM_TOPUPS_GBP_M`, 73 responses), to the pound,
  shared among a random subset of respondents in proportion to their size times a random factor.
* EHC plans by age band: the LA's published SEN2 counts for January of each year (real).
* High needs block allocation: the LA's published 2019-20 allocation, taken back at an
  *assumed* :data:`ASSUMED_HNB_GROWTH` a year, with 3% noise (no LA allocations before 2019-20 are
  held). Spend = allocation + top-ups + an in-year overspend: assumed (mean 2% of allocation),
  except in 2018-19, where it is shared out so that the respondents' gap (spend less allocation)
  adds up to the research's published £280m (:data:`INTERIM_GAP_GBP_M`), to the pound.
* Share of spend on places and top-ups: around 85% (the research's "about 85%"), noise assumed.
* Pressure ratings, actions and comments: invented from assumed distributions and a bank of
  sentences written for this purpose.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from analysis.settings import current
from analysis.studies.survey import frame as frame_mod
from analysis.studies.survey.codebook import TOPUP_SOURCES, Codebook, fy_end_year, question_id
from analysis.studies.survey.returns import RESPONSE_ID
from analysis.studies.survey.summaries import SOURCE_LABELS
from analysis.tables import store
from analysis.vocabulary import LA_LEVEL

INTERIM_TOPUPS_GBP_M = {
    "topup_schools_block": {"2015-16": 53, "2016-17": 82, "2017-18": 58, "2018-19": 42},
    "topup_early_years_block": {"2015-16": 7, "2016-17": 8, "2017-18": 4, "2018-19": 2},
    "topup_reserves": {"2015-16": 27, "2016-17": 41, "2017-18": 30, "2018-19": 28},
    "topup_other": {"2015-16": 8, "2016-17": 9, "2017-18": 24, "2018-19": 12},
}
"""Inputs into the high needs budget by source and financial year, £ million, 73 responses: the
interim chart of the Isos Partnership / LGA study (2018), as given in the research brief."""
INTERIM_TOTALS_GBP_M = {"2015-16": 95, "2016-17": 140, "2017-18": 117, "2018-19": 84}
"""The chart's totals (2017-18's parts add up to 116: rounding in the source)."""

INTERIM_GAP_GBP_M = {"2018-19": 280}
"""The 73 respondents' combined high needs overspend in 2018-19, £ million, as the research's
interim findings reported it (about £280m), read here as spend less high needs block
allocation (the gap), so it includes the top-ups above. Its scale-up to the 152 LAs of 2018-19
was about £536m (:data:`INTERIM_SCALE_UP_GBP_M`)."""
INTERIM_SCALE_UP_GBP_M = {"2018-19": 536}
"""The research's interim scale-up of that overspend to England's 152 LAs, £ million."""

ASSUMED_HNB_GROWTH = 0.03
TAKE_UP = {"topup_schools_block": 0.5, "topup_early_years_block": 0.2, "topup_reserves": 0.45,
           "topup_other": 0.25}
"""Assumed share of respondents using each source in a year."""
PRESSURE_MEANS = {"pressure_population": 3.1, "pressure_expectations": 4.3, "pressure_post16": 4.0,
                  "pressure_accountability": 3.5, "pressure_curriculum": 3.0,
                  "pressure_core_funding": 3.9, "pressure_exclusions": 3.4,
                  "pressure_special_capacity": 4.1}
"""Assumed mean ratings (1-5) of the pressures."""
AGE_BANDS = {"ehcp_age_under_5": "Under 5", "ehcp_age_5_10": "Age 5 to 10",
             "ehcp_age_11_15": "Age 11 to 15", "ehcp_age_16_19": "Age 16 to 19",
             "ehcp_age_20_25": "Age 20 to 25"}
COMMENTS = (
    "We co-produced our high needs strategy with the parent carer forum.",
    "Joint commissioning with the CCG for autism and mental health support has been slow to agree.",
    "Earlier identification in early years settings has reduced late requests for assessment.",
    "Mainstream schools tell us they cannot fund teaching assistants for pupils without a plan.",
    "Our special schools are full, so more children are placed in independent schools out of area.",
    "We are building a resourced provision offer in mainstream secondary schools.",
    "Post-16 pathways into supported internships and work are still too few.",
    "Tribunal decisions have added placements we could not plan for.",
    "The schools block transfer limit means we can no longer balance the high needs budget.",
    "Inclusion support for mainstream schools was cut and exclusions rose.",
)


def _share_exactly(total_pounds: int, weights: np.ndarray) -> np.ndarray:
    """Split a total into amounts in whole pounds proportional to ``weights``, summing exactly
    (largest remainders)."""
    raw = total_pounds * weights / weights.sum()
    whole = np.floor(raw).astype(np.int64)
    short = total_pounds - whole.sum()
    whole[np.argsort(-(raw - whole), kind="stable")[:short]] += 1
    return whole


def _respondents(rng: np.random.Generator, n: int, years: tuple[str, ...],
                 sampling_frame: pd.DataFrame) -> pd.DataFrame:
    las = frame_mod.survey_las(store.load("la_lookup"), years)
    sizes = sampling_frame.set_index("unit_code")["hnb_2019_20"]
    eligible = las[las["whole_area"] & las["stable_unit"].map(sizes).notna()].sort_values("old_la_code")
    if not 1 <= n <= len(eligible):
        raise ValueError(f"n must be between 1 and {len(eligible)} (LAs eligible), not {n}")
    chosen = eligible.iloc[np.sort(rng.choice(len(eligible), size=n, replace=False))]
    return chosen.assign(size=chosen["stable_unit"].map(sizes).to_numpy()).reset_index(drop=True)


def _ehcp_by_age() -> pd.Series:
    """Published EHC plans plus statements per LA, January ``year`` and SEN2 age band."""
    age = store.load("ehcp_caseload_age")
    rows = age[age["geographic_level"].eq(LA_LEVEL) & age["measure"].eq("total")]
    return rows.set_index(["old_la_code", "year", "age_group"])["value"]


def synthesise(codebook: Codebook, n: int = 73, seed: int = 2018,
               sampling_frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """Raw returns (text, as typed) for ``n`` LAs; identical for the same ``n``, ``seed``, years.
    ``sampling_frame``: :func:`analysis.studies.survey.frame.sampling_frame` for the codebook's years, if
    already built."""
    missing = [y for y in codebook.years if y not in INTERIM_TOTALS_GBP_M]
    if missing:
        raise ValueError(f"synthetic returns are calibrated to the published 2015-16 to 2018-19 "
                         f"aggregates; no targets for {missing}")
    rng = np.random.default_rng(seed)
    if sampling_frame is None:
        sampling_frame = frame_mod.sampling_frame(codebook.years)
    resp = _respondents(rng, n, codebook.years, sampling_frame)
    out = pd.DataFrame({RESPONSE_ID: [f"SYNTHETIC-{i:03d}" for i in range(1, n + 1)],
                        "la_code": resp["old_la_code"]})
    plans = _ehcp_by_age()
    balance = np.zeros(n)
    for year in codebook.years:
        back = frame_mod.HNB_AUXILIARY_YEAR - fy_end_year(year)
        allocation = np.round(resp["size"] * (1 + ASSUMED_HNB_GROWTH) ** -back
                              * rng.lognormal(0, 0.03, n), -3)
        topups = np.zeros(n)
        for source in TOPUP_SOURCES:
            users = rng.random(n) < TAKE_UP[source]
            users[rng.integers(n)] = True
            weights = np.where(users, resp["size"] * rng.gamma(2.0, 1.0, n), 0.0)
            amounts = _share_exactly(INTERIM_TOPUPS_GBP_M[source][year] * 1_000_000, weights)
            out[question_id(source, year)] = np.where(users, amounts.astype(str), "0")
            topups += amounts
        factor = np.clip(rng.normal(0.02, 0.02, n), 0, None)
        if year in INTERIM_GAP_GBP_M:  # the gap's total is published: the overspend makes it up
            rest = INTERIM_GAP_GBP_M[year] * 1_000_000 - int(topups.sum())
            overspend = _share_exactly(rest, allocation * (factor + 0.001)).astype(float)
        else:
            overspend = np.round(allocation * factor, -3)
        balance -= overspend
        out[question_id("hnb_allocation", year)] = allocation.astype(np.int64).astype(str)
        spend = allocation + topups + overspend
        out[question_id("hn_expenditure", year)] = spend.astype(np.int64).astype(str)
        out[question_id("dsg_hn_balance_in_year", year)] = (-overspend).astype(np.int64).astype(str)
        out[question_id("dsg_hn_balance_cumulative", year)] = balance.astype(np.int64).astype(str)
        january = fy_end_year(year)
        for qid, band in AGE_BANDS.items():
            counts = [plans.get((code, january, band)) for code in resp["old_la_code"]]
            out[question_id(qid, year)] = ["" if pd.isna(c) else str(int(c)) for c in counts]
        share = np.clip(rng.normal(85, 4, n), 60, 98).round(1)
        out[question_id("share_places_topups", year)] = share.astype(str)
    for qid, mean in PRESSURE_MEANS.items():
        out[qid] = np.clip(np.rint(rng.normal(mean, 0.9, n)), 1, 5).astype(int).astype(str)
    options = codebook.get("actions").values
    out["actions"] = ["; ".join(o for o in options if rng.random() < 0.4) for _ in range(n)]
    out["comments"] = [" ".join(rng.choice(COMMENTS, size=rng.integers(1, 3), replace=False))
                       for _ in range(n)]
    return out[[RESPONSE_ID, *codebook.ids]].astype("string")


def default_path(n: int, seed: int) -> Path:
    """Where ``python -m analysis survey synthesise`` writes: data/processed, SYNTHETIC in the name."""
    return current().processed_dir / f"SYNTHETIC_survey_returns_n{n}_seed{seed}.csv"


def calibration_check(inputs: pd.DataFrame) -> pd.DataFrame:
    """Respondents' top-up totals (from :func:`analysis.studies.survey.summaries.inputs_by_source`) next to
    the published interim aggregates, £m, with the difference; plus the chart's totals."""
    published = {SOURCE_LABELS[s]: years for s, years in INTERIM_TOPUPS_GBP_M.items()}
    pairs = zip(inputs["source"], inputs["year"], strict=True)
    table = inputs.assign(published_gbp_m=[published[s].get(y) for s, y in pairs])
    totals = table.groupby("year", sort=False)["total_gbp_m"].sum().reset_index()
    totals = totals.assign(source="Total", published_gbp_m=totals["year"].map(INTERIM_TOTALS_GBP_M))
    table = pd.concat([table, totals], ignore_index=True)
    table["difference_gbp_m"] = table["total_gbp_m"] - table["published_gbp_m"]
    return table[["year", "source", "total_gbp_m", "published_gbp_m", "difference_gbp_m"]]
