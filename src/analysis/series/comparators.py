"""The local view: one LA (on its stable unit) against England and a comparator group."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.series.area import pool
from analysis.tables.geography import stable_unit
from analysis.vocabulary import COMPARATORS, ENGLAND, LA_LEVEL, SUCCESSOR_LEVEL

COMPARATOR_KINDS = ("statistical_neighbours", "region")


@dataclass(frozen=True)
class LocalArea:
    """The LA a report is about, resolved to the stable unit its time series use."""

    requested: str   # the 3-digit code asked for
    code: str        # stable unit code used in every series
    name: str        # name of the stable unit
    note: str        # why the unit differs from the request, or ""


@dataclass(frozen=True)
class Comparators:
    """A group of LAs (stable unit codes) to compare with, and how it was chosen."""

    codes: tuple[str, ...]
    label: str       # e.g. "Statistical neighbours (10)"
    basis: str       # one sentence on how the group was chosen


def resolve_la(la_code: str, units: pd.DataFrame, lookup: pd.DataFrame) -> LocalArea:
    """Check a 3-digit DfE LA code and map it to its stable unit.

    A code created or merged by a reorganisation (e.g. 940 North Northamptonshire) is reported
    on its unit (928 Northamptonshire), because its own series starts only at the split.
    """
    code = str(la_code).strip()
    known = lookup.set_index("old_la_code")["la_name"]
    if code not in known.index:
        raise ValueError(f"la_code {la_code!r} is not a DfE 3-digit LA code in the LA lookup "
                         "(see the la_lookup table)")
    unit = stable_unit(code)
    name = units.set_index("area_code").loc[unit, "area_name"]
    note = "" if unit == code else (
        f"{known[code]} ({code}) was formed by a boundary change. Its latest figures, and their "
        "comparison with England and other LAs, are its own wherever the source publishes them; "
        f"trends and charts across the change are for {name} ({unit}), the combined area, "
        "since figures before and after the change are only comparable for it.")
    return LocalArea(requested=code, code=unit, name=name, note=note)


def comparator_group(area: LocalArea, comparators, units: pd.DataFrame,
                     neighbours: pd.DataFrame) -> Comparators:
    """The comparator LAs for ``area``.

    ``comparators`` is ``"statistical_neighbours"`` (the DfE children's services statistical
    neighbours of the LA in the latest list that includes it or a predecessor, mapped to stable
    units), ``"region"`` (every other LA in its region) or a list of 3-digit LA codes.
    """
    if isinstance(comparators, str) and comparators == "statistical_neighbours":
        codes, basis = _neighbours(area, neighbours)
        label = f"Statistical neighbours ({len(codes)})"
    elif isinstance(comparators, str) and comparators == "region":
        region = units.set_index("area_code").loc[area.code, "region_name"]
        codes = [c for c in units.loc[units["region_name"].eq(region), "area_code"] if c != area.code]
        label, basis = f"Rest of {region} ({len(codes)})", f"the other LAs in {region}"
    elif isinstance(comparators, list | tuple) and comparators:
        unknown = [c for c in comparators if str(c) not in set(units["area_code"]) and
                   stable_unit(str(c)) not in set(units["area_code"])]
        if unknown:
            raise ValueError(f"comparators: unknown LA codes {unknown}")
        codes = [c for c in dict.fromkeys(stable_unit(str(c)) for c in comparators)
                 if c != area.code]
        label, basis = f"Chosen comparators ({len(codes)})", "LAs chosen in the parameters"
    else:
        raise ValueError(f"comparators must be one of {COMPARATOR_KINDS} or a list of LA codes, "
                         f"not {comparators!r}")
    if not codes:
        raise ValueError(f"no comparator LAs for {area.name}")
    return Comparators(codes=tuple(codes), label=label, basis=basis)


def _neighbours(area: LocalArea, neighbours: pd.DataFrame) -> tuple[list[str], str]:
    """The requested LA's own list if it has one, else the lists of its unit's members."""
    listed = neighbours[neighbours["old_la_code"].eq(area.requested)]
    if listed.empty:
        members = {c for c in neighbours["old_la_code"].unique() if stable_unit(c) == area.code}
        listed = neighbours[neighbours["old_la_code"].isin(members)]
    if listed.empty:
        raise ValueError(f"{area.name} has no statistical neighbours in the lists held")
    version = listed["version"].max()
    latest = listed[listed["version"].eq(version)].sort_values(["old_la_code", "rank"])
    codes = [c for c in dict.fromkeys(latest["neighbour_la_code"].map(stable_unit))
             if c != area.code]
    owners = ", ".join(sorted(latest["old_la_code"].unique()))
    return codes, f"DfE statistical neighbours list {version} for LA {owners}"


def local_view(series: pd.DataFrame, area: LocalArea, group: Comparators, *,
               how: str = "sum", own: bool = False) -> pd.DataFrame:
    """England, the LA and its comparator group (pooled, see :func:`~.series.pool`) from one
    area series, with a ``role`` column (``England``, ``LA``, ``Comparators``).

    The LA is its stable unit, or the requested LA itself where the series keeps reorganised
    LAs apart (non-additive measures); comparators absent from the series are left out and
    the group's name says how many remain. With ``own=True`` an LA made by a reorganisation
    also gets its own rows (role ``LA own``) in the years the source publishes them.
    """
    england = series[series["area_code"].eq(ENGLAND["area_code"])].assign(role="England")
    is_la = series["level"].eq(LA_LEVEL)
    # Series of non-additive measures keep reorganised LAs under their own codes.
    code = area.code if (is_la & series["area_code"].eq(area.code)).any() else area.requested
    la = series[is_la & series["area_code"].eq(code)]
    if la.empty:
        raise ValueError(f"{area.name} ({area.code}) is not in this series")
    present = [c for c in group.codes if c in set(series["area_code"])]
    if not present:
        raise ValueError(f"none of the comparators of {area.name} is in this series")
    label = group.label if len(present) == len(group.codes) else (
        f"{group.label}: {len(present)} in this data")
    comps = pool(series, present, area_code="comparators", area_name=label,
                 level=COMPARATORS, how=how).assign(role="Comparators")
    parts = [england, la.assign(role="LA"), comps]
    if own and code != area.requested:
        parts.append(series[series["level"].eq(SUCCESSOR_LEVEL)
                            & series["area_code"].eq(area.requested)].assign(role="LA own"))
    return pd.concat(parts, ignore_index=True)
