"""Benchmarks of every indicator for every profiled LA, computed in one pass per indicator.

For each LA and indicator: the value in the latest year the indicator holds, the first year
the LA has a value (for the trend), England, the LA's statistical neighbours pooled as the
indicator says (counts summed, or the median / mean of their values), the LA's rank among all
LAs that year (1 = highest value) and its quartile (1 = the highest quarter). A missing value
keeps the reason (suppressed, not published, boundary change...).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.series.calc import rank_areas, ratio
from analysis.series.comparators import comparator_group, resolve_la
from analysis.series.measures import NO_AGE_SPLIT, RATE_ONLY
from analysis.tables.conventions import NON_RETURN, NON_RETURN_PART, SUPPRESSION_SYMBOLS
from analysis.tables.geography import stable_unit
from analysis.vocabulary import ENGLAND, LA_LEVEL, SUCCESSOR_LEVEL

MISSING_REASONS = {
    "incomplete": "part of the combined area has no figure",
    "suppressed-part": "a part of the figure is suppressed",
    "not in source": "not published for this LA and year",
    "Not returned": "the LA did not return this item",
    NON_RETURN: "the LA returned no usable figure (a 0 beside a withheld percentage)",
    NON_RETURN_PART: "a part of the combined area returned no usable figure",
    NO_AGE_SPLIT: "no age breakdown is published for this year",
    RATE_ONLY: "published only as LA rates, which cannot be combined across the boundary change",
    "no LA data": "this data has no figure for this LA",
}
"""Symbols this project gives to missing values (the publishers' own are in
:data:`analysis.tables.conventions.SUPPRESSION_SYMBOLS`)."""


def why_missing(symbol) -> str:
    """Words for the symbol of a missing value."""
    if symbol is None or pd.isna(symbol):
        return "no figure in the data"
    text = str(symbol)
    return MISSING_REASONS.get(text) or SUPPRESSION_SYMBOLS.get(text.lower()) or f"shown as {text!r}"


def profile_las(lookup: pd.DataFrame) -> pd.DataFrame:
    """The LAs with SEND duties in the latest year of the LA lookup: ``code``, ``name``,
    ``region``, ``la_type`` and the stable ``unit`` their additive series are kept on, sorted
    by code."""
    latest = lookup[lookup["last_year"].eq(lookup["last_year"].max())]
    las = pd.DataFrame({"code": latest["old_la_code"].astype(str), "name": latest["la_name"],
                        "region": latest["region_name"], "la_type": latest["la_type"]})
    las["unit"] = las["code"].map(stable_unit)
    return las.sort_values("code").reset_index(drop=True)


def comparators(las: pd.DataFrame, units: pd.DataFrame, lookup: pd.DataFrame,
                neighbours: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Each LA's statistical neighbours (stable unit codes).

    Returns ``(groups, pairs)``: ``groups`` has per LA ``code``, ``note`` (when shown on a
    combined unit), ``label`` and ``basis`` of the group; ``pairs`` one row per LA ``code`` and
    neighbour ``member``.
    """
    groups, pairs = [], []
    for code in las["code"]:
        area = resolve_la(code, units, lookup)
        group = comparator_group(area, "statistical_neighbours", units, neighbours)
        groups.append({"code": code, "note": area.note, "label": group.label, "basis": group.basis})
        pairs.extend({"code": code, "member": member} for member in group.codes)
    return pd.DataFrame(groups), pd.DataFrame(pairs)


def _series_codes(series_las: pd.DataFrame, las: pd.DataFrame) -> pd.Series:
    """The code each LA has in a series: its own where present, else its stable unit, else NA."""
    present = set(series_las["area_code"])
    own = las["code"].where(las["code"].isin(present))
    return own.fillna(las["unit"].where(las["unit"].isin(present))).astype("string")


def pool_neighbours(la_rows: pd.DataFrame, pairs: pd.DataFrame, how: str) -> pd.DataFrame:
    """Each LA's neighbours combined per year, over the neighbours with a figure that year:
    counts summed then divided (``how="sum"``, ratio series), or the ``median`` / ``mean`` of
    their values. Returns ``code``, ``year``, ``value`` and ``n`` (neighbours with a figure).

    A neighbour is matched to the rows of the series whose stable unit it is, so a reorganised
    neighbour counts through its successor LAs in a series that keeps them apart.
    """
    members = la_rows.assign(member=la_rows["area_code"].map(stable_unit))
    grouped = pairs.merge(members, on="member")
    grouped = grouped[grouped["value"].notna()]
    by = grouped.groupby(["code", "year"], sort=True)
    if how == "sum":
        out = by.agg(num=("num", "sum"), den=("den", "sum"), n=("member", "nunique")).reset_index()
        out["value"] = ratio(out["num"], out["den"], la_rows["per"].iloc[0])
    elif how in ("median", "mean"):
        out = by.agg(value=("value", how), n=("member", "nunique")).reset_index()
    else:
        raise ValueError(f"how must be 'sum', 'median' or 'mean', not {how!r}")
    return out[["code", "year", "value", "n"]]


def current_las(series: pd.DataFrame) -> pd.DataFrame:
    """The LA rows of a series as the LAs of each year were: a stable unit's row is replaced by
    its successor LAs' own rows (:data:`SUCCESSOR_LEVEL`) in the years they have them. Returned
    at ``LA_LEVEL``; used for latest values, ranks and neighbours."""
    las = series[series["level"].eq(LA_LEVEL)]
    own = series[series["level"].eq(SUCCESSOR_LEVEL)]
    if own.empty:
        return las
    replaced = pd.MultiIndex.from_arrays([own["area_code"].map(stable_unit), own["year"]])
    keep = ~pd.MultiIndex.from_arrays([las["area_code"], las["year"]]).isin(replaced)
    return pd.concat([las[keep], own.assign(level=LA_LEVEL)], ignore_index=True)


def benchmark(series: pd.DataFrame, las: pd.DataFrame, pairs: pd.DataFrame, how: str, *,
              ranked: bool = True, flagged: pd.DataFrame | None = None,
              since: int | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One indicator for every LA in ``las``. ``flagged``: LA-years (``area_code``, ``year``)
    the data-quality screen flags; their values are shown (``flagged`` is True in the summary)
    but not ranked and not pooled into any LA's neighbours. ``since``: the first year of the
    indicator's current definition; the trend (first and last values) starts there.

    Returns ``(summary, lines)``: ``summary`` one row per LA ``code`` with ``series_code`` (the
    code of the latest value: the LA's own wherever the source publishes it, else its stable
    unit) with its ``num`` and ``den`` (the counts behind a ratio, NaN otherwise),
    ``trend_code`` (the code of the trend and chart line: the stable unit for additive
    series), ``year`` (the latest year held), ``value``, ``symbol``, ``england``,
    ``neighbours`` (with ``neighbours_n`` of ``neighbours_of`` having a figure, see
    :func:`pool_neighbours`), ``rank``, ``rank_n``, ``quartile`` (among the LAs of that year,
    see :func:`current_las`), ``first_year`` and ``first_value``, ``trend_year`` and
    ``trend_value`` (the first and last values of the trend line); ``lines`` the
    LA's trend and its neighbours' values in every year held (``code``, ``role``, ``year``,
    ``value``).
    """
    la_rows = series[series["level"].eq(LA_LEVEL)]
    current = current_las(series)
    year = int(current.loc[current["value"].notna(), "year"].max())
    latest_rows = current[current["year"].eq(year)]
    latest_code = _series_codes(latest_rows, las).fillna(_series_codes(current, las))
    codes = las[["code"]].assign(series_code=latest_code,
                                 trend_code=_series_codes(la_rows, las))
    trend = codes.merge(la_rows[["area_code", "year", "value", "symbol"]],
                        left_on="trend_code", right_on="area_code", how="inner")
    counts = [c for c in ("num", "den") if c in latest_rows.columns]
    latest_own = codes.merge(latest_rows[["area_code", "value", "symbol", *counts]],
                             left_on="series_code", right_on="area_code", how="inner"
                             ).set_index("code")

    if flagged is not None and len(flagged):
        marked = pd.MultiIndex.from_arrays([current["area_code"], current["year"]]).isin(
            pd.MultiIndex.from_frame(flagged[["area_code", "year"]]))
    else:
        marked = np.zeros(len(current), dtype=bool)
    usable = current[~marked]
    pooled = pool_neighbours(usable, pairs, how)

    england = series[series["area_code"].eq(ENGLAND["area_code"])].set_index("year")["value"]
    valued = trend[trend["value"].notna() & trend["year"].ge(since or 0)].sort_values("year")
    last = valued.drop_duplicates("code", keep="last").set_index("code")
    valued = valued.drop_duplicates("code")
    summary = codes.assign(year=year)
    summary["value"] = summary["code"].map(latest_own["value"])
    summary["symbol"] = summary["code"].map(latest_own["symbol"]).astype("string")
    for column in ("num", "den"):
        summary[column] = (summary["code"].map(latest_own[column]) if column in counts
                           else float("nan"))
    summary.loc[summary["series_code"].isna(), "symbol"] = "no LA data"
    summary.loc[summary["value"].isna() & summary["symbol"].isna(), "symbol"] = "not in source"
    summary["england"] = england.get(year, float("nan"))
    latest_pooled = pooled[pooled["year"].eq(year)].set_index("code")
    summary["neighbours"] = summary["code"].map(latest_pooled["value"])
    summary["neighbours_n"] = summary["code"].map(latest_pooled["n"]).fillna(0).astype(int)
    summary["neighbours_of"] = summary["code"].map(pairs.groupby("code").size()).fillna(0).astype(int)
    summary["flagged"] = summary["series_code"].isin(set(current.loc[marked & current["year"].eq(year),
                                                                       "area_code"]))
    if ranked:
        ranked_rows = usable[usable["year"].eq(year)]
        rank = rank_areas(ranked_rows, "value").set_index("area_code")
        summary["rank"] = summary["series_code"].map(rank["rank"])
        summary["quartile"] = summary["series_code"].map(rank["quartile"])
        summary["rank_n"] = int(ranked_rows["value"].notna().sum())
    else:
        summary[["rank", "rank_n", "quartile"]] = float("nan")
    summary["first_year"] = summary["code"].map(valued.set_index("code")["year"])
    summary["first_value"] = summary["code"].map(valued.set_index("code")["value"])
    summary["trend_year"] = summary["code"].map(last["year"])
    summary["trend_value"] = summary["code"].map(last["value"])

    lines = pd.concat([trend[["code", "year", "value"]].assign(role="LA"),
                       pooled[["code", "year", "value"]].assign(role="Neighbours")],
                      ignore_index=True)
    return summary, lines[["code", "role", "year", "value"]]
