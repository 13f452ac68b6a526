"""Area series: the long frames every study builds on, and the machinery to make them.

An *area series* has one row per area and ``year`` (the end year of the period, see
:mod:`analysis.tables.conventions`): ``area_code``, ``area_name``, ``level`` (see
:mod:`analysis.vocabulary`), ``year``, ``value``, ``symbol`` (why a value is missing), and
``num``/``den``/``per`` for ratios (``value = num / den * per``) so groups can be pooled by
summing counts. LAs are put on stable units first (:func:`analysis.tables.geography.harmonise_la`),
so Dorset/BCP, Northamptonshire and Cumbria have one unbroken series each; regions are sums of
their LAs; England is the published national row where the table has one, else the sum of its
LAs. A sum with any part missing is missing (``symbol`` says why).
"""

from __future__ import annotations

import pandas as pd

from analysis.errors import DataError
from analysis.series.calc import AREA_KEYS, ratio
from analysis.tables.conventions import sum_groups
from analysis.tables.geography import REORGANISED_UNITS, SUCCESSOR_LAS, harmonise_la
from analysis.vocabulary import ENGLAND, LA_LEVEL, NATIONAL, REGIONAL, SUCCESSOR_LEVEL

# --- geography helpers -------------------------------------------------------------------------


def la_units(lookup: pd.DataFrame) -> pd.DataFrame:
    """One row per stable LA unit: ``area_code`` (unit code), ``area_name``, ``region_name``."""
    units = lookup.assign(area_code=lookup["stable_unit"].astype("string"))
    units = units.sort_values(["area_code", "last_year"]).drop_duplicates("area_code", keep="last")
    names = {code: name for code, (name, _) in REORGANISED_UNITS.items()}
    units["area_name"] = [names.get(c, n) for c, n in zip(units["area_code"], units["la_name"])]
    return units[["area_code", "area_name", "region_name"]].reset_index(drop=True)


def england_values(series: pd.DataFrame, category: str | None = None) -> pd.Series:
    """England's non-missing values of an area series (one ``category``), indexed by year."""
    rows = series[series["area_code"].eq(ENGLAND["area_code"]) & series["value"].notna()]
    if category is not None:
        rows = rows[rows["category"].eq(category)]
    return rows.set_index("year")["value"].sort_index()


def _complete_sums(frame: pd.DataFrame, keys: list[str], by: list[str]) -> pd.DataFrame:
    """sum_groups over ``by + keys``, also missing (``incomplete``) where an area seen in other
    years of its ``by`` group is absent.

    The expected areas are those appearing in any year (per ``by`` group and category, if any):
    an LA with no special schools has no "special" rows at all and is not expected there.
    """
    summed = sum_groups(frame, by + keys)
    per = by + (["category"] if "category" in keys else [])
    if per:
        expected = frame.groupby(per, sort=True)["area_code"].nunique().rename("_expected").reset_index()
        members = summed[per].merge(expected, on=per, how="left")["_expected"].to_numpy()
    else:
        members = frame["area_code"].nunique()
    counts = frame.groupby(by + keys, dropna=False, sort=True).size().to_numpy()
    short = counts < members
    summed.loc[short, "value"] = float("nan")
    summed.loc[short, "symbol"] = "incomplete"
    return summed


def _pooled(series: pd.DataFrame, las: pd.DataFrame, how: str, by: list[str]) -> pd.DataFrame:
    """The LA rows ``las`` of an area series combined per ``by`` group, year (and category)."""
    keys = by + ["year"] + (["category"] if "category" in series.columns else [])
    if how in ("median", "mean"):
        out = las.groupby(keys, sort=True)["value"].agg(how).reset_index()
        out["symbol"] = pd.Series(pd.NA, index=out.index, dtype="string")
        return out
    if how != "sum":
        raise ValueError(f"how must be 'sum', 'median' or 'mean', not {how!r}")
    parts = ["num", "den"] if "num" in series.columns else ["value"]
    out = None
    for part in parts:
        summed = _complete_sums(las.assign(value=las[part]), keys[len(by):], by)
        summed = summed.rename(columns={"value": part, "symbol": f"symbol_{part}"})
        out = summed if out is None else out.merge(summed, on=keys, how="outer")
    if "num" in series.columns:
        per = series["per"].iloc[0]
        out["per"] = per
        out["value"] = ratio(out["num"], out["den"], per)
        out["symbol"] = out["symbol_num"].fillna(out["symbol_den"])
    else:
        out["symbol"] = out.pop("symbol_value")
    return out.drop(columns=[c for c in out.columns if c.startswith("symbol_")])


def pool(series: pd.DataFrame, codes, *, area_code: str, area_name: str, level: str,
         how: str = "sum") -> pd.DataFrame:
    """Combine the LAs ``codes`` of an area series into one area, per year (and category).

    ``how="sum"`` adds counts (and, for ratio series, numerators and denominators, then
    recomputes the ratio): a year where any of the LAs is missing or absent is missing.
    ``how="median"`` takes the median of the LAs' values (for measures that cannot be added,
    such as a balance as % of income), over the LAs with a value that year; ``how="mean"``
    their mean likewise (of 0/100 yes/no values: the percentage of LAs answering yes).
    """
    codes = list(dict.fromkeys(str(c) for c in codes))
    las = series[series["level"].eq(LA_LEVEL) & series["area_code"].isin(codes)]
    unknown = sorted(set(codes) - set(las["area_code"]))
    if unknown:
        raise KeyError(f"pool {area_name!r}: LA codes not in the series: {unknown}")
    out = _pooled(series, las, how, [])
    out["area_code"], out["area_name"], out["level"] = area_code, area_name, level
    return out[[c for c in series.columns if c in out.columns]]


def add_regions(series: pd.DataFrame, units: pd.DataFrame, *, how: str = "sum") -> pd.DataFrame:
    """Append one row per region and year pooled from the series' LAs (see :func:`pool`), all
    regions in one grouped pass."""
    region_of = units.drop_duplicates("area_code").set_index("area_code")["region_name"]
    las = series[series["level"].eq(LA_LEVEL)]
    las = las.assign(_region=las["area_code"].map(region_of)).dropna(subset=["_region"])
    out = _pooled(series, las, how, ["_region"])
    out["area_code"] = out["area_name"] = out.pop("_region")
    out["level"] = REGIONAL
    return pd.concat([series, out[[c for c in series.columns if c in out.columns]]], ignore_index=True)


# --- building series from processed tables -----------------------------------------------------


def _select(table: pd.DataFrame, select: dict) -> pd.DataFrame:
    mask = pd.Series(True, index=table.index)
    for column, wanted in select.items():
        if column not in table.columns:
            raise KeyError(f"column {column!r} not in the table")
        values = wanted if isinstance(wanted, list | tuple | set) else [wanted]
        mask &= table[column].isin(values)
    rows = table[mask]
    if rows.empty:
        raise DataError(f"no rows match {select}")
    return rows


def count_series(table: pd.DataFrame, select: dict, units: pd.DataFrame, *,
                 category: str | None = None, additive: bool = True) -> pd.DataFrame:
    """An area series of the rows of ``table`` matching ``select`` ({column: value(s)}).

    Rows matching several values of a column (e.g. two age bands) are summed per area and year;
    ``category`` keeps one column as the series' ``category``. Additive measures are put on
    stable LA units by summing and get regions summed from their LAs (successor LAs also keep
    their own rows, level :data:`SUCCESSOR_LEVEL`); non-additive ones
    (``additive=False``, e.g. a percentage) keep each LA's own code and name, since a
    reorganised unit's value cannot be derived, and get no regions (add published ones).
    """
    rows = _select(table, select)
    dims = [c for c in rows.columns if c not in set(AREA_KEYS) | {
        "time_period", "time_identifier", "geographic_level", "country_code", "region_code",
        "region_name", "old_la_code", "new_la_code", "la_name", "year", "value", "symbol"}]
    where = [c for c in ("geographic_level", "region_name", "old_la_code") if c in rows.columns]
    if rows.duplicated([*where, "year", *dims]).any():
        raise DataError(f"rows matching {select} repeat for some area and year")
    keep = ["geographic_level", "old_la_code", "la_name", "year", "value", "symbol"]
    rows = rows[keep + ([category] if category else [])].rename(columns={category: "category"}
                                                                if category else {})
    keys = ["year"] + (["category"] if category else [])
    national = rows[rows["geographic_level"].eq(NATIONAL)]
    las = rows[rows["geographic_level"].eq(LA_LEVEL)].copy()
    own = None
    if additive:
        las = sum_groups(las, ["old_la_code", *keys]).assign(geographic_level=LA_LEVEL)
        own = las[las["old_la_code"].isin(list(SUCCESSOR_LAS))].rename(
            columns={"old_la_code": "area_code"})
        own = own.assign(area_name=own["area_code"].map(SUCCESSOR_LAS), level=SUCCESSOR_LEVEL)
        las = harmonise_la(las.assign(new_la_code=pd.NA, la_name=pd.NA))
        las = las.rename(columns={"old_la_code": "area_code"}).drop(columns="la_name").merge(
            units[["area_code", "area_name"]], on="area_code", how="left")
    else:
        las = las.rename(columns={"old_la_code": "area_code", "la_name": "area_name"})
    unnamed = las.loc[las["area_name"].isna(), "area_code"].unique()
    if len(unnamed):
        raise DataError(f"LA codes not in the LA lookup: {sorted(unnamed)}")
    las["level"] = LA_LEVEL
    columns = AREA_KEYS + keys + ["value", "symbol"]
    series = las[columns]
    if national.empty:
        england = pool(series, series["area_code"].unique(), how="sum", **ENGLAND)
    else:
        england = sum_groups(national, keys).assign(**ENGLAND)
    if additive:
        series = add_regions(series, units)
    parts = [england[columns], series] + ([own[columns]] if own is not None and len(own) else [])
    out = pd.concat(parts, ignore_index=True)
    out["symbol"] = out["symbol"].astype("string")
    return out.sort_values(["level", "area_code", *keys], kind="stable").reset_index(drop=True)


def ratio_series(num: pd.DataFrame, den: pd.DataFrame, per: float) -> pd.DataFrame:
    """Combine two count series into a ratio series: ``value = num / den * per``.

    Every area and year of either part is kept: one missing on either side gives a missing
    ratio (symbol ``not in source`` unless the part had its own symbol). A ``category`` held
    only by ``num`` is divided by the ``den`` total of the same area and year.
    """
    keys = AREA_KEYS + ["year"] + (["category"] if "category" in num.columns else [])
    den_keys = [k for k in keys if k in den.columns]
    merged = num[keys + ["value", "symbol"]].rename(columns={"value": "num", "symbol": "sn"}).merge(
        den[den_keys + ["value", "symbol"]].rename(columns={"value": "den", "symbol": "sd"}),
        on=den_keys, how="outer" if den_keys == keys else "left")
    merged["per"] = float(per)
    merged["value"] = ratio(merged["num"], merged["den"], per)
    merged["symbol"] = merged["sn"].fillna(merged["sd"]).astype("string")
    merged.loc[merged["value"].isna() & merged["symbol"].isna(), "symbol"] = "not in source"
    return merged.drop(columns=["sn", "sd"]).reset_index(drop=True)


