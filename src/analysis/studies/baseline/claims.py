"""The research's claims from published data, regenerated and compared (one function each).

The research (Isos Partnership for the LGA, interim findings 2018; final report December
2018) stated nine figures from official statistics; see ``research-brief.md``. Each function
below recomputes one of them with the research's own definitions and windows, from the area
series of :mod:`analysis.series.measures`, and returns one row of the claims table.

Windows: the research was written in autumn 2018. The latest SEN2 count then was January 2018
(published May 2018) and the latest exclusions year 2016/17 (published July 2018). "In 5
years" and "the latest 5-year period" are read as five annual figures ending there
(January 2014-2018; 2012/13-2016/17).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import pandas as pd

from analysis.series.area import england_values as _england
from analysis.series.calc import pct_change, percent_text, round_half_up
from analysis.tables.conventions import year_label
from analysis.tables.geography import stable_unit
from analysis.vocabulary import LA_LEVEL

REPRODUCED, DIFFERS, NOT_TESTABLE = "reproduced", "differs", "not testable with the data held"
RESEARCH_SEN2_YEAR = 2018        # January 2018 SEN2, the latest when the research was written
RESEARCH_EXCLUSIONS_YEAR = 2017  # 2016/17, published July 2018
WINDOW = 5                       # five annual figures
COLUMNS = ["claim_id", "claim", "research_value", "definition", "start_period", "end_period",
           "start_value", "end_value", "computed_value", "status", "note"]


@dataclass
class Claim:
    """One row of the claims table (values are numbers as computed, not rounded)."""

    claim_id: str
    claim: str
    research_value: str
    definition: str
    start_period: str = ""
    end_period: str = ""
    start_value: float = float("nan")
    end_value: float = float("nan")
    computed_value: float = float("nan")
    status: str = NOT_TESTABLE
    note: str = ""


def status_for(computed: float, target: float, *, tolerance: float | None = None) -> str:
    """``reproduced`` when ``computed`` matches the research's stated ``target``, else ``differs``.

    Without ``tolerance`` the research stated a whole-number percentage and the check is the
    same rounded whole number (half up). With ``tolerance`` (percentage points) the research
    stated a loose figure ("two thirds", "about 25%") and the check is ``|computed - target|``.
    """
    if pd.isna(computed):
        return DIFFERS
    if tolerance is None:
        return REPRODUCED if round_half_up(computed) == round_half_up(target) else DIFFERS
    return REPRODUCED if abs(computed - target) <= tolerance else DIFFERS


def _growth_claim(claim: Claim, values: pd.Series, start: int, end: int, kind: str) -> Claim:
    claim.start_period, claim.end_period = year_label(start, kind), year_label(end, kind)
    claim.start_value, claim.end_value = values.get(start, float("nan")), values.get(end, float("nan"))
    claim.computed_value = pct_change(claim.start_value, claim.end_value)
    return claim


def ehcp_growth(caseload: pd.DataFrame, end_year: int = RESEARCH_SEN2_YEAR) -> Claim:
    """C1: EHC plans plus statements (SEN2, January, England) rose by 35% in 5 years."""
    start = end_year - WINDOW + 1
    values = _england(caseload)
    claim = _growth_claim(Claim(
        "C1", "Children and young people with EHC plans or statements rose by 35% in 5 years",
        "35%", "% change in EHC plans plus statements, England, SEN2 January count "
               f"(all ages), {start} to {end_year}"), values, start, end_year,
        "census")
    claim.status = status_for(claim.computed_value, 35)
    wider = pct_change(values.get(start - 1), values.get(end_year))
    claim.note = (f"Five January counts; over six counts (from {start - 1}) the rise is "
                  f"{percent_text(wider)}.")
    return claim


def specialist_growth(specialist: pd.DataFrame, end_year: int = RESEARCH_SEN2_YEAR) -> Claim:
    """C2: plans in special schools and specialist colleges grew by 24% over the same years."""
    start = end_year - WINDOW + 1
    claim = _growth_claim(Claim(
        "C2", "Those educated in special schools and specialist colleges grew more slowly, by 24%",
        "24%", "% change in EHC plans plus statements placed in special schools (all types, "
               "including independent, non-maintained and hospital) plus specialist post-16 "
               f"institutions, England, SEN2 January, {start} to {end_year}"),
        _england(specialist), start, end_year, "census")
    claim.status = status_for(claim.computed_value, 24)
    claim.note = ("Specialist post-16 institutions are recorded from January 2015 (as "
                  "independent specialist providers in 2015).")
    return claim


def exclusions_growth(exclusion_counts: pd.DataFrame,
                      end_year: int = RESEARCH_EXCLUSIONS_YEAR, *, release: str) -> Claim:
    """C3: permanent exclusions rose by two thirds over the latest 5-year period. ``release``
    names the exclusions release the counts come from (its catalogue vintage, e.g. "2022/23")."""
    start = end_year - WINDOW + 1
    claim = _growth_claim(Claim(
        "C3", "Permanent exclusions rose by two thirds over the latest 5-year period with data",
        "two thirds (66.7%)", "% change in permanent exclusions, all state-funded schools, "
                              f"England, academic years {year_label(start, 'academic')} to "
                              f"{year_label(end_year, 'academic')} (latest year published by "
                              "autumn 2018)"),
        _england(exclusion_counts, "Total"), start, end_year, "academic")
    claim.status = status_for(claim.computed_value, 200 / 3, tolerance=2.5)
    claim.note = ("A stated fraction: reproduced if within 2.5 points of 66.7%. Counts are from "
                  f"the {release} release, which revises earlier years slightly.")
    return claim


def post16_share_claim(post16: pd.DataFrame, end_year: int = RESEARCH_SEN2_YEAR) -> Claim:
    """C9: about 25% of EHC plans are for young people aged 16 or over, and rising."""
    start = end_year - WINDOW + 1
    shares = _england(post16)
    claim = Claim("C9", "About 25% of EHC plans are for young people aged 16 or over, and rising",
                  "about 25%, rising",
                  "Share (%) of EHC plans plus statements held by those aged 16-25 (SEN2 age "
                  f"bands 16-19 and 20-25), England, January {end_year}; 'rising' = higher "
                  f"each January from {start}",
                  year_label(start, "census"), year_label(end_year, "census"),
                  shares.get(start, float("nan")), shares.get(end_year, float("nan")),
                  shares.get(end_year, float("nan")))
    window = shares.loc[start:end_year]
    rising = bool(len(window) == WINDOW and window.diff().dropna().gt(0).all())
    close = status_for(claim.computed_value, 25, tolerance=2.5) == REPRODUCED
    claim.status = REPRODUCED if close and rising else DIFFERS
    claim.note = ("A stated approximation: reproduced if within 2.5 points of 25% and rising "
                  f"every year; rising every year: {'yes' if rising else 'no'}.")
    return claim


def _financial(claim: Claim, start: int, end: int, start_value, end_value, computed) -> Claim:
    claim.start_period, claim.end_period = year_label(start, "financial"), year_label(end, "financial")
    claim.start_value, claim.end_value, claim.computed_value = start_value, end_value, computed
    return claim


def s251_above_hnb(s251: pd.DataFrame, hnb_after: pd.DataFrame) -> Claim:
    """C4: total S251 high needs budgets and outturns both exceeded the HNB allocation.

    Nearest test with the data held: England's S251 high needs outturn and budget each against
    the HNB allocation after deductions of its own financial year (academy and FE places paid
    directly by ESFA are not in S251 LA spending). The workbook held has both for 2021-22 (its
    outturn year is settled by :func:`analysis.tables.readers.hn_benchmarking.section_years`).
    ``computed_value`` = outturn as % of the allocation.
    """
    o_year, b_year = int(s251["outturn_year"].iloc[0]), int(s251["budget_year"].iloc[0])
    allocation = _england(hnb_after)
    budget, outturn = s251["budget"].sum(min_count=1), s251["outturn"].sum(min_count=1)
    o_alloc, b_alloc = allocation.get(o_year, float("nan")), allocation.get(b_year, float("nan"))
    o_label, b_label = year_label(o_year, "financial"), year_label(b_year, "financial")
    claim = _financial(Claim(
        "C4", "Total S251 high needs budgets and outturns both exceeded the total HNB allocation "
              "for at least the last 4 years", "budget and outturn above allocation, 2014-15 to "
              "2017-18",
        f"Nearest test with the data held: England S251 high needs outturn {o_label} (sum of LA "
        "place funding, top-ups net of income, SEN support, AP, hospital and therapy lines) as % "
        f"of the {o_label} DSG high needs block after deductions; start value = budget "
        f"({b_label}), end value = outturn ({o_label}), both pounds"), b_year, o_year, budget,
        outturn, 100 * outturn / o_alloc)
    years = (f"the S251 budget and outturn for {o_label}" if o_year == b_year
             else f"the S251 budget for {b_label} and the outturn for {o_label}")
    claim.note = (f"The high needs benchmarking workbook held has {years} (one year, where the "
                  "claim needs four), each compared with its own year's allocation. "
                  f"Outturn {o_label} £{outturn / 1e9:.2f}bn against an allocation after "
                  f"deductions of £{o_alloc / 1e9:.2f}bn ({percent_text(100 * outturn / o_alloc)}); "
                  f"budget {b_label} £{budget / 1e9:.2f}bn against £{b_alloc / 1e9:.2f}bn "
                  f"({percent_text(100 * budget / b_alloc)}). Earlier budgets and outturns are in "
                  "DfE 'LA and school expenditure' (outturn) and 'Planned LA and school "
                  "expenditure' (budget) on explore-education-statistics, not held.")
    return claim


def overspend_share(s251: pd.DataFrame, hnb_after: pd.DataFrame) -> Claim:
    """C5: share of LAs whose S251 high needs outturn exceeded their own budget, 39% -> 55%.

    Like for like where the workbook's budget and outturn are of the same year (2021-22 in the
    workbook held): ``computed_value`` = % of LAs with both whose outturn exceeded their own
    budget (each LA by its own code). Where the years differ it is missing: comparing them would
    mix years. Beside it (``end_value`` and ``note``): the share of LA areas whose outturn
    exceeded their HNB allocation after deductions of the same year, reorganised LAs combined.
    The claim's own years (2014-15 to 2016-17) are not held, so the status stays not testable.
    """
    o_year, b_year = int(s251["outturn_year"].iloc[0]), int(s251["budget_year"].iloc[0])
    both = s251.dropna(subset=["outturn"])
    hnb = hnb_after[hnb_after["level"].eq(LA_LEVEL) & hnb_after["year"].eq(o_year)]
    units = both.assign(area_code=both["old_la_code"].map(stable_unit)).groupby(
        "area_code", as_index=False)[["outturn"]].sum()
    joined = units.merge(hnb, on="area_code", how="inner")
    above_hnb = 100 * joined["outturn"].gt(joined["value"]).mean()
    o_label = year_label(o_year, "financial")
    like = both.dropna(subset=["budget"])
    over_budget = 100 * like["outturn"].gt(like["budget"]).mean() if o_year == b_year else float("nan")
    claim = _financial(Claim(
        "C5", "The share of LAs whose S251 high needs expenditure exceeded their budget rose "
              "from 39% in 2014-15 to 55% in 2016-17", "39% to 55%",
        f"Like for like with the data held: % of LAs whose S251 high needs outturn {o_label} "
        f"exceeded their own S251 high needs budget for {o_label} ({len(like)} LAs with both); "
        f"end value = % of LA areas (reorganised LAs combined) whose outturn exceeded their DSG "
        f"high needs block after deductions for {o_label} ({len(joined)} areas)"), o_year, o_year,
        float("nan"), above_hnb, over_budget)
    if o_year == b_year:
        claim.note = (f"In {o_label}, {percent_text(over_budget)} of LAs spent more on high needs "
                      "than their own S251 budget (the research: 39% in 2014-15, 55% in 2016-17), "
                      f"and {percent_text(above_hnb)} of areas more than their high needs block. "
                      "The claim's own years are in DfE 'LA and school expenditure' and 'Planned "
                      "LA and school expenditure', not held.")
    else:
        claim.note = (f"The workbook held has the S251 budget for {year_label(b_year, 'financial')} "
                      f"and the outturn for {o_label}: comparing them would mix years. S251 budgets "
                      "and outturns of the same years (2014-15 to 2016-17 for the claim) are in DfE "
                      "'LA and school expenditure' and 'Planned LA and school expenditure', not held.")
    return claim


def dsg_carry_forward(balance: pd.DataFrame, pounds: pd.DataFrame) -> Claim:
    """C6: the DSG carry-forward in S251 outturns fell by nearly 60%, 2014-15 to 2016-17.

    Nearest test: England cumulative DSG balance as % of DSG income, first to last year held
    (2019-20 to 2021-22), and (in ``note``) the share of LAs in deficit and England's balance in
    pounds (``pounds``: per LA code and year, each LA's share times its total DSG).
    """
    values = _england(balance)
    start, end = int(values.index.min()), int(values.index.max())
    las = balance[balance["level"].eq(LA_LEVEL)]
    deficit = {y: 100 * g["value"].dropna().lt(0).mean() for y, g in las.groupby("year")}
    summed = pounds.groupby("year")["value"].sum(min_count=1)
    claim = _financial(Claim(
        "C6", "The DSG carry-forward reported in S251 outturns fell by nearly 60% between 2014-15 "
              "and 2016-17", "nearly 60% fall",
        "Nearest test with the data held: England cumulative DSG balance as % of DSG income "
        "(DfE, derived from S251 outturn; negative = deficit); computed value = change in "
        "percentage points"), start, end, values[start], values[end],
        values[end] - values[start])
    claim.note = (f"Carry-forward amounts for 2014-15 to 2016-17 are in DfE S251 outturn (LA and "
                  f"school expenditure), not held. LAs in cumulative deficit: "
                  f"{percent_text(deficit[start])} in {year_label(start, 'financial')}, "
                  f"{percent_text(deficit[end])} in {year_label(end, 'financial')}. In pounds (each "
                  f"LA's share times its total DSG, summed): {_bn(summed[start])} at 31 March {start}, "
                  f"{_bn(summed[end])} at 31 March {end}.")
    return claim


def _bn(value: float) -> str:
    return f"{'-' if value < 0 else ''}£{abs(value) / 1e9:.2f}bn"


def rebaselining(hnb_before: pd.DataFrame) -> Claim:
    """C7: the 2016-17 HNB re-baselining moved about £270m net from schools to high needs.

    Not testable: no allocations before 2019-20 are held. For context ``computed_value`` is
    the % growth of the England HNB (before deductions) over the years held.
    """
    values = _england(hnb_before)
    start, end = int(values.index.min()), int(values.index.max())
    claim = _financial(Claim(
        "C7", "The 2016-17 re-baselining of the HNB moved about £270m net from the schools "
              "block to the high needs block", "about £270m",
        "Context only (no test possible): % growth of the England DSG high needs block before "
        "deductions over the years held, pounds"), start, end, values[start], values[end],
        pct_change(values[start], values[end]))
    claim.note = ("Needs the ESFA DSG 2016-17 baseline exercise tables (DSG allocations 2016 to "
                  "2017, gov.uk), not held; DSG allocations are held from 2019-20.")
    return claim


def adcs_survey(balance: pd.DataFrame) -> Claim:
    """C8: an ADCS survey (2017) found 68 of 85 LAs overspent their HNB, by £139.5m in total.

    Not testable: the ADCS survey is not official statistics. Nearest test: number of LAs in
    cumulative DSG deficit in the first year held.
    """
    las = balance[balance["level"].eq(LA_LEVEL)]
    year = int(las["year"].min())
    first = las[las["year"].eq(year)]["value"].dropna()
    claim = _financial(Claim(
        "C8", "A 2017 ADCS survey found 68 of 85 LAs overspent their HNB, by £139.5m in total",
        "68 of 85 LAs (80%)",
        "Nearest test with the data held: % of LAs with a cumulative DSG deficit (DfE, derived "
        f"from S251 outturn), {year_label(year, 'financial')}; end value = number of LAs in "
        "deficit"), year, year, float(first.size), float(first.lt(0).sum()),
        100 * first.lt(0).mean())
    claim.note = ("A survey by the Association of Directors of Children's Services, not an "
                  "official statistic; a deficit on the whole DSG is not the same as an overspend "
                  "on the HNB in one year.")
    return claim


def claims_table(claims: list[Claim]) -> pd.DataFrame:
    """The claims table: one row per claim in :data:`COLUMNS` order, sorted by claim id."""
    frame = pd.DataFrame([asdict(c) for c in claims], columns=COLUMNS)
    return frame.sort_values("claim_id", kind="stable").reset_index(drop=True)
