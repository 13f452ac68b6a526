"""Local authority geography over time: one place for boundary and code changes.

LA reorganisations that break SEND time series since 2010 (DfE 3-digit codes):

========  ==========================================================  =====================
April     change                                                      stable unit used here
========  ==========================================================  =====================
2019      Dorset county (835), Poole (836), Bournemouth (837) became  ``838+839`` "Dorset and
          Dorset (838) and Bournemouth, Christchurch and Poole (839)  Bournemouth, Christchurch
          (Christchurch moved from Dorset county to BCP)              and Poole"
2021      Northamptonshire (928) split into North (940) and West      ``928`` Northamptonshire
          Northamptonshire (941)
2023      Cumbria (909) split into Cumberland (942) and Westmorland   ``909`` Cumbria
          and Furness (943)
2020/23   Buckinghamshire (825), North Yorkshire (815), Somerset      unchanged 3-digit code
          (933) became unitary: ONS codes changed, areas for SEND did
          not, and DfE kept the 3-digit code
========  ==========================================================  =====================

:func:`harmonise_la` puts a table onto these stable units by **aggregating** counts: a unit's
value in a year is the sum over the LAs it covered that year. Only additive measures (counts,
pounds, population) may be aggregated; rates and shares must be recomputed from aggregated
counts. A unit-year is marked missing (symbol ``suppressed-part`` or ``incomplete``) when any
component is suppressed or when the components present are not a complete set for that unit.
"""

from __future__ import annotations

import pandas as pd

from analysis.tables.conventions import sum_groups
from analysis.vocabulary import LA_LEVEL

# Stable unit code -> (unit name, the complete sets of 3-digit codes that can make it up).
REORGANISED_UNITS: dict[str, tuple[str, tuple[frozenset[str], ...]]] = {
    "838+839": (
        "Dorset and Bournemouth, Christchurch and Poole",
        (frozenset({"835", "836", "837"}), frozenset({"838", "839"})),
    ),
    "928": ("Northamptonshire", (frozenset({"928"}), frozenset({"940", "941"}))),
    "909": ("Cumbria", (frozenset({"909"}), frozenset({"942", "943"}))),
}

LA_TO_UNIT: dict[str, str] = {
    code: unit for unit, (_, sets) in REORGANISED_UNITS.items() for s in sets for code in s
}
"""DfE 3-digit LA code -> stable unit code, for the LAs affected by reorganisation."""

REORGANISED_LA_CODES = frozenset(LA_TO_UNIT)

SUCCESSOR_LAS: dict[str, str] = {
    "838": "Dorset", "839": "Bournemouth, Christchurch and Poole",
    "940": "North Northamptonshire", "941": "West Northamptonshire",
    "942": "Cumberland", "943": "Westmorland and Furness",
}
"""LAs made by a reorganisation that exist today (the last member set of each unit), by DfE
code. Their own figures are published from their first year; series keep them beside the stable
unit (see :data:`analysis.series.measures.SUCCESSOR_LEVEL`)."""
FIRST_FINANCIAL_YEAR: dict[str, int] = {"838": 2020, "839": 2020, "940": 2022, "941": 2022,
                                         "942": 2024, "943": 2024}
"""Successor LA -> the first financial year (by its end) it existed for: each was created on
1 April of the year before (2019, 2021, 2023; see the table above). A return of spending by one
of them cannot be for an earlier financial year."""
LAST_FINANCIAL_YEAR: dict[str, int] = {"835": 2019, "836": 2019, "837": 2019, "928": 2021, "909": 2023}
"""Abolished LA -> the last financial year (by its end) it existed for (to 31 March of the year
of its reorganisation)."""
PREDECESSOR_OF: dict[str, str] = {"838": "835", "940": "928", "941": "928", "942": "909",
                                  "943": "909"}
"""Successor LA -> the abolished LA whose area it mostly took over (BCP, 839, was formed from
Bournemouth and Poole, which were never inspected as areas, and has its own inspection)."""
assert set(SUCCESSOR_LAS) == {c for _, sets in REORGANISED_UNITS.values() for c in sets[-1]}

ONS_CODES_NOT_IN_SEN2: dict[str, str] = {"E06000065": "815", "E06000066": "933"}
"""ONS codes -> DfE codes for LAs whose ONS code changed after the SEN2 files were coded:
North Yorkshire (E10000023 -> E06000065) and Somerset (E10000027 -> E06000066) became
unitary on 1 April 2023 (ONS Register of Geographic Codes); mid-2022 population estimates on
2023 geography use the new codes."""


def ons_crosswalk(*frames: pd.DataFrame) -> pd.DataFrame:
    """Distinct (``new_la_code``, ``old_la_code``) pairs from tables carrying both codes (SEN2
    files code every LA-year both ways), plus :data:`ONS_CODES_NOT_IN_SEN2`."""
    extra = pd.DataFrame({"new_la_code": list(ONS_CODES_NOT_IN_SEN2),
                          "old_la_code": list(ONS_CODES_NOT_IN_SEN2.values())})
    pairs = pd.concat([f[["new_la_code", "old_la_code"]] for f in frames] + [extra])
    pairs = pairs.dropna().astype("string").drop_duplicates()
    return pairs.sort_values(["old_la_code", "new_la_code"]).reset_index(drop=True)


def stable_unit(old_la_code: str) -> str:
    """The stable unit a 3-digit LA code belongs to (itself when never reorganised)."""
    return LA_TO_UNIT.get(str(old_la_code), str(old_la_code))


def harmonise_la(frame: pd.DataFrame, *, measures: list[str] | None = None) -> pd.DataFrame:
    """Aggregate a long-format table onto stable LA units for time series and panels.

    ``frame`` has the EES geography columns, ``year``, any dimension columns and
    ``measure``/``value``/``symbol``. Non-LA rows (national, regional) pass through unchanged.
    LA rows of reorganised LAs are summed per stable unit and year; other LAs are unchanged.
    ``measures`` restricts the table to additive measures first (required when the frame holds
    rates: summing a rate is wrong). The result's ``old_la_code`` is the stable unit code,
    ``new_la_code`` is NA for aggregated units, and a column ``harmonised`` is True on rows that
    were aggregated.
    """
    if measures is not None:
        unknown = set(measures) - set(frame["measure"].unique())
        if unknown:
            raise KeyError(f"measures not in the table: {sorted(unknown)}")
        frame = frame[frame["measure"].isin(measures)]
    is_la = frame["geographic_level"].eq(LA_LEVEL)
    affected = is_la & frame["old_la_code"].isin(REORGANISED_LA_CODES)
    untouched = frame[~affected].copy()
    untouched["harmonised"] = False
    if not affected.any():
        return untouched.reset_index(drop=True)
    rows = frame[affected].copy()
    rows["_unit"] = rows["old_la_code"].map(LA_TO_UNIT)
    geo = {"old_la_code", "new_la_code", "la_name", "value", "symbol", "_unit"}
    keys = ["_unit"] + [c for c in rows.columns if c not in geo]
    merged = sum_groups(rows, keys)
    codes = rows.groupby(keys, dropna=False, sort=True)["old_la_code"].agg(list).reset_index(
        drop=True)
    complete = [len(c) == len(set(c)) and frozenset(c) in REORGANISED_UNITS[u][1]
                for u, c in zip(merged["_unit"], codes)]
    merged.loc[~pd.Series(complete, index=merged.index), ["value", "symbol"]] = [
        float("nan"), "incomplete"]
    merged["old_la_code"] = merged.pop("_unit")
    merged["new_la_code"] = pd.NA
    merged["la_name"] = merged["old_la_code"].map(lambda u: REORGANISED_UNITS[u][0])
    merged["harmonised"] = True
    result = pd.concat([untouched, merged[untouched.columns]], ignore_index=True)
    for column in ("old_la_code", "new_la_code", "la_name", "symbol"):
        result[column] = result[column].astype("string")
    return result
