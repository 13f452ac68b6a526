"""The research's 2018 projections of the national high needs gap, scored against the nearest
outcomes the data show (:func:`scored`).

The LGA/Isos research (2018) projected, "based on historical trends", a national gap between
high needs funding and spending of about £806m in 2019-20 and £1.2bn to £1.6bn in 2020-21 (as
reported). The nearest outcomes held: the in-year gap of 2020-21 from the S251 outturn (with the
place funding ESFA paid directly added back) against the high needs block before deductions, and
the change in LAs' cumulative DSG balances, which is what was left after councils' own moves
(transfers from the schools block, reserves, savings) and covers every DSG block.
"""

from __future__ import annotations

import pandas as pd

PROJECTIONS = [
    {"projection": "national high needs gap 2019-20", "year": 2020, "low": 806e6, "high": 806e6},
    {"projection": "national high needs gap 2020-21", "year": 2021, "low": 1.2e9, "high": 1.6e9},
]
"""The research's projections (pounds; ``year`` = financial year end), as reported."""
SOURCE = "LGA and Isos Partnership, high needs research (2018), as reported"


def nearest_year(held, year: int) -> int | None:
    """The year of ``held`` nearest ``year`` (the later of two as near), or None if none."""
    held = sorted(int(y) for y in held)
    return min(held, key=lambda y: (abs(y - year), -y)) if held else None


def scored(gap: pd.Series, balance: pd.Series) -> pd.DataFrame:
    """Each projection beside the outcomes: England's in-year gap (``gap``: spend less
    allocation, pounds, by year, where held; where the projection's year is not held, the
    nearest year that is, named in ``outcome_year`` and the measure) and the change in
    England's cumulative DSG balance over the year (``balance`` by 31 March year, negative =
    deficit; its fall is shown as a positive gap), with what each outcome measures."""
    rows = []
    for p in PROJECTIONS:
        year = p["year"]
        research = (f"£{p['low'] / 1e9:.2f}bn" if p["low"] == p["high"]
                    else f"£{p['low'] / 1e9:.1f}bn to £{p['high'] / 1e9:.1f}bn")
        base = {"projection": p["projection"], "year": year, "research": research,
                "research_low": p["low"], "research_high": p["high"], "research_source": SOURCE}
        near = nearest_year(gap.dropna().index, year)
        when = ("" if near in (None, year) else
                f"; {near - 1}-{str(near)[2:]}, the nearest year held, not the projection's")
        rows.append({**base, "outcome_year": near if near is not None else year,
                     "outcome_measure": "S251 outturn plus ESFA place deductions, less the high "
                     f"needs block before deductions (England, in-year{when})",
                     "outcome": gap.get(near, float("nan")),
                     "outcome_source": "DfE high needs benchmarking tool (S251 outturn); ESFA DSG"})
        fall = balance.get(year - 1, float("nan")) - balance.get(year, float("nan"))
        rows.append({**base, "outcome_year": year, "outcome_measure": "fall in England's cumulative "
                     "DSG balance over the year (all DSG blocks, after councils' own moves)",
                     "outcome": fall,
                     "outcome_source": "DfE DSG balances as % of DSG income; ESFA DSG totals"})
    return pd.DataFrame(rows)
