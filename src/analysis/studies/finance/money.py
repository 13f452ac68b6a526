"""Funding and spending per LA and financial year (``finance_la.csv``): the high needs block
before and after deductions, the place funding ESFA pays directly (the deductions), total DSG,
the S251 outturn where held, spending with the deductions added back, the gap, and the
cumulative DSG balance in pounds; each per head aged 2-18 and 0-25 and per EHC plan.

Recoupment: S251 outturn is what the LA itself spent; the places ESFA funds directly in academies
and colleges are deducted from the high needs block before the LA receives it. So spending is
compared with the allocation *before* deductions after adding the deductions back to outturn
(:func:`gap`), which is the same number as outturn less the allocation after deductions.

Rows: every LA by its own code where its figures are published, the stable areas that combine
LAs across a reorganisation (level ``Stable area``), the regions and England. Money is cash.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.errors import DataError
from analysis.tables.geography import REORGANISED_UNITS
from analysis.vocabulary import ENGLAND, LA_LEVEL, NATIONAL, REGION_CODES, REGIONAL, SUCCESSOR_LEVEL

STABLE_AREA = "Stable area"
NOT_HELD = "not held"
"""Symbol of a year no file held publishes for the measure (e.g. outturn before 2020-21)."""
MONEY = ["hnb_before", "hnb_after", "deductions", "dsg_total", "outturn", "spend", "gap", "balance"]
"""The measures in pounds."""
PER = {"per_head_2_18": "population_2_18", "per_head_0_25": "population_0_25", "per_plan": "plans"}
"""The denominators of the per-head and per-plan measures."""
RATED = ["hnb_before", "spend", "gap", "balance"]
"""The measures shown per head and per plan."""


def gap(outturn, deductions, hnb_before):
    """High needs spending above the allocation, pounds: outturn plus the place funding ESFA
    paid directly, less the block before deductions (positive = spent more than allocated)."""
    return outturn + deductions - hnb_before


def area_rows(series: pd.DataFrame, measure: str) -> pd.DataFrame:
    """An area series as (area_code, level, year, measure, value, symbol): LAs by their own code
    (successor LAs' own rows), stable areas for the combined units, regions, England."""
    combined = set(REORGANISED_UNITS)
    rows = series[series["level"].isin([LA_LEVEL, SUCCESSOR_LEVEL, REGIONAL, NATIONAL])]
    level = rows["level"].replace({SUCCESSOR_LEVEL: LA_LEVEL}).where(
        ~rows["area_code"].isin(combined) | rows["level"].ne(LA_LEVEL), STABLE_AREA)
    return pd.DataFrame({"area_code": rows["area_code"], "area_name": rows["area_name"],
                         "level": level, "year": rows["year"], "measure": measure,
                         "value": rows["value"], "symbol": rows["symbol"]})


def own_code_rows(values: pd.DataFrame, lookup: pd.DataFrame, measure: str) -> pd.DataFrame:
    """Long rows (money.area_rows' layout) from per-LA ``values`` (code, year, value, by the
    LA's own code): the LAs, each stable area (its own row where published, else the sum of its
    current LAs when all are there), the regions and England (sums of their LAs)."""
    names = lookup.drop_duplicates("old_la_code", keep="last").set_index("old_la_code")
    las = values[~values["code"].isin(REORGANISED_UNITS)]   # an abolished LA is its stable area
    rows = [las.assign(area_name=las["code"].map(names["la_name"]), level=LA_LEVEL)]
    for unit, (name, member_sets) in REORGANISED_UNITS.items():
        members = values[values["code"].isin(member_sets[-1])].dropna(subset=["value"])
        complete = members.groupby("year")["code"].nunique().eq(len(member_sets[-1]))
        whole = members[members["year"].isin(complete[complete].index)]
        summed = whole.groupby("year", as_index=False)["value"].sum()
        own = values[values["code"].eq(unit)]
        summed = summed[~summed["year"].isin(own["year"])]
        rows.append(pd.concat([own, summed.assign(code=unit)]).assign(area_name=name,
                                                                      level=STABLE_AREA))
    region = values["code"].map(names["region_name"])
    regional = values.assign(region=region).groupby(["region", "year"], as_index=False)["value"].sum(
        min_count=1)
    rows.append(regional.assign(code=regional["region"], area_name=regional["region"], level=REGIONAL))
    england = values.groupby("year", as_index=False)["value"].sum(min_count=1)
    rows.append(england.assign(code=ENGLAND["area_code"], area_name=ENGLAND["area_name"], level=NATIONAL))
    out = pd.concat(rows, ignore_index=True).rename(columns={"code": "area_code"})
    return out.assign(measure=measure, symbol=pd.NA)[
        ["area_code", "area_name", "level", "year", "measure", "value", "symbol"]]


def table(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """The wide table from long parts (area_code, area_name, level, year, measure, value, symbol):
    the derived measures added (deductions, spend, gap, per head, per plan), one column per
    measure and one ``<measure>_symbol`` beside it saying why a value is missing."""
    long = pd.concat(parts, ignore_index=True)
    keys = ["area_code", "level", "year"]
    names = long.drop_duplicates(["area_code", "level"]).set_index(["area_code", "level"])["area_name"]
    if long.duplicated([*keys, "measure"]).any():
        raise DataError("finance: a measure repeats for some area, level and year")
    indexed = long.set_index([*keys, "measure"])
    v = indexed["value"].unstack("measure")
    symbols = indexed["symbol"].unstack("measure")
    v["deductions"] = v["hnb_before"] - v["hnb_after"]
    v["spend"] = v["outturn"] + v["deductions"]
    v["gap"] = gap(v["outturn"], v["deductions"], v["hnb_before"])
    for measure in RATED:
        for suffix, denominator in PER.items():
            v[f"{measure}_{suffix}"] = v[measure] / v[denominator].where(v[denominator] > 0)
    v = v[v[MONEY].notna().any(axis=1)]   # the financial years held, not every census year
    symbols = symbols.reindex(v.index)
    columns = [*MONEY, "balance_pct", *[f"{m}_{s}" for m in RATED for s in PER], *PER.values()]
    out = v.reindex(columns=columns).reset_index()
    out.insert(1, "area_name", [names.get((c, lv)) for c, lv in zip(out["area_code"], out["level"])])
    out["area_code"] = [REGION_CODES.get(c, c) if lv == REGIONAL else c
                        for c, lv in zip(out["area_code"], out["level"])]
    wide = out[["area_code", "area_name", "level", "year"]].copy()
    for column in columns:
        wide[column] = out[column]
        given = symbols[column].to_numpy() if column in symbols else np.full(len(out), None)
        wide[f"{column}_symbol"] = np.where(out[column].notna(), None,
                                            pd.Series(given).fillna(NOT_HELD).to_numpy())
    order = {LA_LEVEL: 0, STABLE_AREA: 1, REGIONAL: 2, NATIONAL: 3}
    return wide.sort_values(["level", "area_code", "year"], key=lambda s: s.map(order) if s.name == "level"
                            else s, kind="stable").reset_index(drop=True)
