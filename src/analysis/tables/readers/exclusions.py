"""Permanent exclusions and suspensions (DfE, "Suspensions and permanent exclusions in England").

``exclusions`` comes from the latest EES release file ``exc_nat_region_la.csv`` held, which
covers academic years from 2006/07 for England, regions and LAs by school type (Total,
state-funded primary, state-funded secondary, special). Measures: ``perm_excl`` (count),
``perm_excl_rate`` (per cent of headcount), ``suspension`` (count; "fixed period exclusions"
before 2018/19), ``susp_rate``, ``one_plus_susp``, ``one_plus_susp_rate``, ``headcount``,
``num_schools``. ``year`` 2017 = academic year 2016/17.

``exclusions_reasons`` is the older DfE extract (2006/07-2016/17) of exclusions by reason; its
LA rows carry names only, joined to LA codes through
:func:`analysis.tables.readers.lookups.match_la_names`.
"""

from __future__ import annotations

import pandas as pd

from analysis.tables.conventions import period_end_year, read_ees_csv, split_symbols, tidy_ees, typed_long
from analysis.tables.readers import SourceFile
from analysis.tables.readers.lookups import match_la_names
from analysis.vocabulary import ENGLISH_REGIONS, LA_LEVEL, NATIONAL, REGIONAL

SCHOOL_TYPES_OLD = {
    "Total": "Total", "State-funded primary": "state-funded primary",
    "State-funded secondary": "state-funded secondary", "Special": "special",
}  # fmt: skip


def read_exclusions(files: dict[str, SourceFile]) -> pd.DataFrame:
    """Exclusions by LA and school type, every academic year of the file, long format."""
    where = files["file"].name
    frame = read_ees_csv(files["file"].path, where=where)
    return tidy_ees(frame, dimensions=["school_type"], where=where)


def read_exclusions_reasons(files: dict[str, SourceFile], la_lookup: pd.DataFrame) -> pd.DataFrame:
    """Permanent and fixed-period exclusions by reason, LA and school type (2006/07-2016/17 held)."""
    where = files["file"].name
    raw = pd.read_csv(files["file"].path, dtype=str, keep_default_na=False)
    raw["la_name"] = raw["la_name"].str.strip()
    years = raw["year"].map(lambda p: period_end_year(p, "Academic year"))
    is_england = raw["la_name"].eq("England")
    is_region = raw["la_name"].str.lower().isin({r.lower() for r in ENGLISH_REGIONS})
    level = pd.Series(LA_LEVEL, index=raw.index, dtype="string")
    level[is_england] = NATIONAL
    level[is_region] = REGIONAL
    is_la = level.eq(LA_LEVEL)
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
