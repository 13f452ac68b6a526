"""Tables computed from cleaned returns (:class:`analysis.studies.survey.validate.CleanedReturns.values`):
per-year answers, the inputs into the high needs budget by source, allocation against spend and
the gap, and the pressure ratings. Money in pounds unless a column says ``_gbp_m`` (millions)."""

from __future__ import annotations

import pandas as pd

from analysis.studies.survey.codebook import TOPUP_SOURCES, Codebook, question_id

SOURCE_LABELS = {"topup_schools_block": "Schools block transfer",
                 "topup_early_years_block": "Early years block",
                 "topup_reserves": "Draw-down on reserves",
                 "topup_other": "Additional (other)"}


def by_year(values: pd.DataFrame, base: str, codebook: Codebook) -> pd.DataFrame:
    """One per-year question as a table: index ``unit_code``, one column per financial year."""
    table = pd.DataFrame({y: values[question_id(base, y)].to_numpy() for y in codebook.years},
                         index=values["unit_code"])
    return table.astype(float)


def gap(values: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """High needs expenditure less high needs block allocation (pounds), per area and year."""
    return by_year(values, "hn_expenditure", codebook) - by_year(values, "hnb_allocation", codebook)


def inputs_by_source(values: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """Respondents' totals of each top-up source per year: ``year``, ``source``, ``total_gbp_m``,
    ``respondents`` (answering with a number), in the research's order of sources."""
    rows = []
    for source in TOPUP_SOURCES:
        table = by_year(values, source, codebook)
        for year in codebook.years:
            total = table[year].sum() / 1e6
            rows.append({"year": year, "source": SOURCE_LABELS[source], "total_gbp_m": total,
                         "respondents": int(table[year].notna().sum())})
    return pd.DataFrame(rows)


def allocation_and_spend(values: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """Per year: totals (£m) of allocation, spend and gap over the areas answering both, their
    count, and the mean per area (£m)."""
    allocation = by_year(values, "hnb_allocation", codebook)
    spend = by_year(values, "hn_expenditure", codebook)
    rows = []
    for year in codebook.years:
        both = allocation[year].notna() & spend[year].notna()
        a, s = allocation.loc[both, year].sum() / 1e6, spend.loc[both, year].sum() / 1e6
        n = int(both.sum())
        rows.append({"year": year, "respondents": n, "allocation_gbp_m": a, "spend_gbp_m": s,
                     "gap_gbp_m": s - a, "allocation_per_la_gbp_m": a / n, "spend_per_la_gbp_m": s / n,
                     "gap_per_la_gbp_m": (s - a) / n})
    return pd.DataFrame(rows)


def pressure_ratings(values: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """Share of respondents giving each rating to each pressure (``pressure``, ``rating``,
    ``label``, ``share``, ``respondents``), plus the mean rating (``mean``)."""
    rows = []
    for q in codebook.questions:
        if q.type != "rating":
            continue
        answers = values[q.id].dropna()
        if answers.empty:
            continue
        for rating, label in codebook.rating_scale.items():
            rows.append({"pressure": q.id.removeprefix("pressure_").replace("_", " "), "rating": rating,
                         "label": label, "share": float((answers == rating).mean()),
                         "respondents": len(answers), "mean": float(answers.mean())})
    return pd.DataFrame(rows)
