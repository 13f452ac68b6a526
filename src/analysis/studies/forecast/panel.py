"""The forecast's data: EHC plans in January as arrays, one row per area and one column per year.

Areas are the stable LA units (reorganised LAs combined, so every series runs unbroken), the
nine regions and England, in that order. For each: the total (statements plus EHC plans), the
SEN2 age bands and the placement groups with the placement table's own total. Successor LAs'
own series (Dorset, BCP, North and West Northamptonshire, Cumberland, Westmorland and Furness)
are kept apart for the LA-level outputs. Missing values are NaN, never zero.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from analysis.series.store import SeriesStore
from analysis.tables.geography import REORGANISED_UNITS, SUCCESSOR_LAS, stable_unit
from analysis.vocabulary import ENGLAND, LA_LEVEL, NATIONAL, REGION_CODES, REGIONAL, SUCCESSOR_LEVEL

STABLE_AREA = "Stable area"
"""Level of a reorganised area combined across a boundary change (e.g. "928" Northamptonshire)."""


@dataclass(frozen=True)
class Panel:
    """EHC plans by area and January. ``totals[i, j]`` is area ``codes[i]`` in ``years[j]``;
    ``ages[i, b, j]`` the plans in age band ``bands[b]``; ``placements[g][i, j]`` in placement
    group ``g``, over ``placement_total``."""

    years: np.ndarray
    codes: list[str]            # stable unit codes, region names, then England's GSS code
    names: list[str]
    levels: list[str]           # LA_LEVEL, REGIONAL or NATIONAL
    regions: list[str | None]   # the region of each LA (None for regions and England)
    la_types: list[str | None]
    totals: np.ndarray
    bands: tuple[str, ...]
    ages: np.ndarray
    placements: dict[str, np.ndarray]
    placement_total: np.ndarray
    successors: pd.DataFrame    # code, name, unit, year, value: successor LAs' own totals
    current: pd.DataFrame       # code, name, unit, region, la_type: LAs with SEND duties now
    published: np.ndarray | None = None   # totals as published (``totals`` is screened)

    @property
    def la_rows(self) -> np.ndarray:
        """Row positions of the LA (stable unit) areas."""
        return np.flatnonzero(np.array(self.levels) == LA_LEVEL)

    def until(self, year: int) -> Panel:
        """The panel as it stood in January ``year``: every later column dropped."""
        keep = self.years <= year
        return replace(self, years=self.years[keep], totals=self.totals[:, keep],
                       published=None if self.published is None else self.published[:, keep],
                       ages=self.ages[..., keep], placement_total=self.placement_total[:, keep],
                       placements={g: v[:, keep] for g, v in self.placements.items()},
                       successors=self.successors[self.successors["year"] <= year])

    def column(self, year: int) -> int:
        return int(np.searchsorted(self.years, year))

    def gss(self, i: int) -> str:
        """The area's code as published: 3-digit DfE codes for LAs and stable areas, GSS codes
        for regions and England."""
        return REGION_CODES[self.codes[i]] if self.levels[i] == REGIONAL else self.codes[i]


def _wide(series: pd.DataFrame, codes: list[str], years: np.ndarray) -> np.ndarray:
    frame = series.pivot_table(index="area_code", columns="year", values="value", aggfunc="first",
                               dropna=False)
    return frame.reindex(index=codes, columns=years).to_numpy(dtype=float)


def _screened(values: np.ndarray, totals: np.ndarray, published: np.ndarray) -> np.ndarray:
    """A breakdown (areas x [parts x] years) where the data-quality screen replaced a total:
    that year's published breakdown is the same return, so it is replaced by the last year's
    with a published total, scaled to the screened total."""
    out = values.copy()
    replaced = np.isfinite(totals) & np.isfinite(published) & (totals != published)
    for i, j in zip(*np.nonzero(replaced)):
        before = [k for k in range(j) if not replaced[i, k] and np.isfinite(totals[i, k])]
        if before:
            out[i, ..., j] = values[i, ..., before[-1]] * totals[i, j] / totals[i, before[-1]]
    return out


def build_panel(series: SeriesStore, bands: tuple[str, ...], groups: dict[str, list[str]]) -> Panel:
    """The panel from the named area series (``ehcp_screened``, ``ehcp_by_age``, ``placements``,
    ``placement_total``) of a series store. Totals are screened (:mod:`analysis.series.screen`):
    a flagged return is replaced, and so are its age and placement splits."""
    ehcp = series["ehcp_screened"]
    published_totals = series["ehcp"]
    main = ehcp[ehcp["level"].isin([LA_LEVEL, REGIONAL, NATIONAL])]
    years = np.arange(int(main["year"].min()), int(main["year"].max()) + 1)
    units = series.units.set_index("area_code")
    lookup = series.lookup
    latest = lookup[lookup["last_year"].eq(lookup["last_year"].max())]
    la_codes = sorted(main.loc[main["level"].eq(LA_LEVEL), "area_code"].unique())
    region_names = sorted(main.loc[main["level"].eq(REGIONAL), "area_code"].unique(),
                          key=list(REGION_CODES).index)
    codes = la_codes + region_names + [ENGLAND["area_code"]]
    unit_types = latest.assign(unit=latest["old_la_code"].map(stable_unit)).groupby("unit")["la_type"].first()
    names = [units.loc[c, "area_name"] for c in la_codes] + region_names + [ENGLAND["area_name"]]
    levels = [LA_LEVEL] * len(la_codes) + [REGIONAL] * len(region_names) + [NATIONAL]
    regions = [units.loc[c, "region_name"] for c in la_codes] + [None] * (len(region_names) + 1)
    la_types = [unit_types.get(c) for c in la_codes] + [None] * (len(region_names) + 1)
    by_age = series["ehcp_by_age"]
    ages = np.stack([_wide(by_age[by_age["category"].eq(b)], codes, years) for b in bands], axis=1)
    placed = series["placements"]
    placements = {group: np.sum([_wide(placed[placed["category"].eq(p)], codes, years) for p in parts],
                                axis=0) for group, parts in groups.items()}   # NaN if a part is
    own = ehcp[ehcp["level"].eq(SUCCESSOR_LEVEL)]
    successors = own.assign(code=own["area_code"], name=own["area_name"],
                            unit=own["area_code"].map(stable_unit))[["code", "name", "unit", "year", "value"]]
    current = pd.DataFrame({
        "code": latest["old_la_code"].astype(str), "name": latest["la_name"].astype(str),
        "unit": latest["old_la_code"].map(stable_unit).astype(str),
        "region": latest["region_name"].astype(str), "la_type": latest["la_type"].astype(str),
    }).sort_values("code").reset_index(drop=True)
    totals = _wide(main, codes, years)
    published = _wide(published_totals[published_totals["level"].isin([LA_LEVEL, REGIONAL, NATIONAL])],
                      codes, years)
    return Panel(years=years, codes=codes, names=names, levels=levels, regions=regions,
                 la_types=la_types, totals=totals, bands=tuple(bands),
                 ages=_screened(ages, totals, published),
                 placements={g: _screened(v, totals, published) for g, v in placements.items()},
                 placement_total=_screened(_wide(series["placement_total"], codes, years), totals,
                                           published),
                 successors=successors.reset_index(drop=True), current=current, published=published)


def successor_units() -> dict[str, str]:
    """Successor LA code -> the stable area it is part of."""
    return {code: stable_unit(code) for code in SUCCESSOR_LAS}


def combined_units() -> dict[str, str]:
    """Stable areas that combine LAs across a boundary change -> their names."""
    return {code: name for code, (name, _) in REORGANISED_UNITS.items()}
