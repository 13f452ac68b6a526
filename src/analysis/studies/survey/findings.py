"""The survey report's summary sentences, built from computed tables (no number is typed)."""

from __future__ import annotations

import pandas as pd

from analysis.studies.survey.estimators import METHODS
from analysis.studies.survey.frame import HNB_AUXILIARY_YEAR
from analysis.studies.survey.validate import CleanedReturns
from analysis.tables.conventions import financial_year_end, year_label


def _m(pounds: float) -> str:
    return f"£{pounds / 1e6:,.0f}m"


def validation_sentence(raw_rows: int, cleaned: CleanedReturns) -> str:
    """How many returns were loaded and used, and what cleaning and checks found."""
    status = cleaned.report["status"].value_counts()
    return (f"{raw_rows} returns loaded, {len(cleaned.values)} used ({len(cleaned.excluded)} left out for an "
            f"unusable LA code); {status.get('cleaned', 0)} answers cleaned, {status.get('invalid', 0)} "
            f"invalid, {status.get('inconsistent', 0)} flagged as inconsistent.")


def summary_points(raw_rows: int, cleaned: CleanedReturns, inputs: pd.DataFrame, spend: pd.DataFrame,
                   scale: pd.DataFrame, method: str, projection: pd.DataFrame) -> list[str]:
    """Sentences for the summary: validation, top-ups, the gap among respondents, the national
    estimate by ``method`` with its interval, and the linear-trend projection."""
    totals = inputs.groupby("year", sort=False)["total_gbp_m"].sum()
    peak = totals.idxmax()
    last = spend.iloc[-1]
    national = scale[scale["method"].eq(method)].iloc[-1]
    future = projection[projection["scenario"].eq("linear trend")].iloc[-1]
    return [
        validation_sentence(raw_rows, cleaned),
        f"Respondents topped up their high needs block from other sources by £{totals[peak]:,.0f}m at "
        f"the peak ({peak}) and £{totals.iloc[-1]:,.0f}m in {totals.index[-1]}.",
        f"In {last['year']} the {last['respondents']} respondents spent £{last['gap_gbp_m']:,.0f}m "
        f"more than their high needs block allocations (£{last['gap_per_la_gbp_m']:,.1f}m per LA "
        "on average).",
        f"Scaled up to England (estimator: {METHODS[method].label}), the gap in {national['year']} was about "
        f"{_m(national['estimate'])} (95% interval {_m(national['lower_95'])} to "
        f"{_m(national['upper_95'])}).",
        f"On its linear trend the national gap would be about {_m(future['value'])} by {future['year']}.",
    ]


def research_scale_up_sentence(table: pd.DataFrame, year: str) -> str:
    """Which estimator and frame come closest to the research's published scale-up (a table
    from :func:`analysis.studies.survey.estimators.against_published`, sorted by distance)."""
    best = table.iloc[0]
    total = best["estimate"] / best["multiplier"]
    text = (f"The research scaled the respondents' {year} overspend of "
            f"£{total / 1e6:,.0f}m up to £{best['published'] / 1e6:,.0f}m, "
            f"a multiplier of {best['published_multiplier']:.3f}, not the "
            f"{table['frame_areas'].max()} / {best['respondents']} = "
            f"{table['frame_areas'].max() / best['respondents']:.2f} of simple expansion. "
            f"Closest here: {best['label'].lower()} over the {best['frame']}, "
            f"£{best['estimate'] / 1e6:,.0f}m (multiplier {best['multiplier']:.3f}).")
    if pd.notna(best["respondents_share_of_auxiliary"]):
        text += (f" The respondents hold {best['respondents_share_of_auxiliary']:.1%} of that "
                 f"auxiliary; the published figure implies {best['implied_share']:.1%}.")
    else:
        text += f" The published figure implies the respondents are {best['implied_share']:.1%} of England."
    return text


def sources_and_definitions(years: list[str]) -> str:
    """The report's "Sources and definitions" list as Markdown, its years from the survey's
    financial ``years`` (e.g. ["2015-16", ..., "2018-19"]) and the frame's auxiliary year."""
    first = years[0]
    items = [
        f"**Years.** Financial years ({first} ends in March {financial_year_end(first)}). Population "
        "auxiliaries are the mid-year at the start of the survey's last financial year; EHC plans are "
        "for the January in it.",
        "**Frame.** Stable LA areas with SEND duties in the survey's years; the DSG high needs block "
        f"allocation for {year_label(HNB_AUXILIARY_YEAR, 'financial')} is the earliest LA allocation "
        "held and stands for each area's size.",
        "**Synthetic sample.** What is taken from the research's published aggregates and what is "
        "assumed is documented with the project's source code.",
        "**Codebook.** The project writes a blank return with every question, for LAs to complete.",
    ]
    return "\n".join(f"- {item}" for item in items)
