"""Permanent exclusions and suspensions (DfE, "Suspensions and permanent exclusions in England").

``exclusions`` comes from the 2022/23 EES release file ``exc_nat_region_la.csv``, which covers
academic years 2006/07 to 2022/23 for England, regions and LAs by school type (Total,
state-funded primary, state-funded secondary, special). Measures: ``perm_excl`` (count),
``perm_excl_rate`` (per cent of headcount), ``suspension`` (count; "fixed period exclusions"
before 2018/19), ``susp_rate``, ``one_plus_susp``, ``one_plus_susp_rate``, ``headcount``,
``num_schools``. ``year`` 2017 = academic year 2016/17.

``exclusions_reasons`` is the older DfE extract (2006/07-2016/17) of exclusions by reason; its
LA rows carry names only, joined to LA codes through
:func:`analysis.readers.lookups.match_la_names`.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.conventions import (
    ENGLISH_REGIONS,
    period_end_year,
    read_ees_csv,
    split_symbols,
    tidy_ees,
    typed_long,
)
from analysis.readers.lookups import match_la_names

SCHOOL_TYPES_OLD = {
    "Total": "Total", "State-funded primary": "state-funded primary",
    "State-funded secondary": "state-funded secondary", "Special": "special",
}  # fmt: skip


def read_exclusions(paths: dict[str, Path]) -> pd.DataFrame:
    """Exclusions by LA and school type, 2006/07 to 2022/23, long format."""
    where = "exc_nat_region_la (exclusions 2022/23 release)"
    frame = read_ees_csv(paths["exclusions_2223"], where=where)
    return tidy_ees(frame, dimensions=["school_type"], where=where)


def read_exclusions_reasons(paths: dict[str, Path], la_lookup: pd.DataFrame) -> pd.DataFrame:
    """Permanent and fixed-period exclusions by reason, LA and school type, 2006/07-2016/17."""
    where = "exclusions_la_reasons_2006-07_to_2016-17"
    raw = pd.read_csv(paths["exclusions_la_reasons_0607_1617"], dtype=str, keep_default_na=False)
    raw["la_name"] = raw["la_name"].str.strip()
    years = raw["year"].map(lambda p: period_end_year(p, "Academic year"))
    is_england = raw["la_name"].eq("England")
    is_region = raw["la_name"].str.lower().isin({r.lower() for r in ENGLISH_REGIONS})
    level = pd.Series("Local authority", index=raw.index, dtype="string")
    level[is_england] = "National"
    level[is_region] = "Regional"
    is_la = level.eq("Local authority")
    codes = pd.Series(pd.NA, index=raw.index, dtype="string")
    codes[is_la] = match_la_names(raw.loc[is_la, "la_name"], la_lookup, where=where,
                                  valid_in_year=years[is_la])
    base = pd.DataFrame({
        "time_period": raw["year"], "time_identifier": "Academic year",
        "geographic_level": level, "old_la_code": codes,
        "la_name": raw["la_name"].where(is_la), "region_name": raw["la_name"].where(is_region),
        "year": years.astype("int64"), "school_type": raw["school_type"],
    })
    measures = [c for c in raw.columns if c.startswith(("perm_", "fixed_"))]
    parts = []
    for measure in measures:
        values, symbols = split_symbols(raw[measure], where=f"{where}, column {measure!r}")
        parts.append(base.assign(measure=measure, value=values, symbol=symbols))
    out = pd.concat(parts, ignore_index=True)
    return typed_long(out)
