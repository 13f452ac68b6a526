"""The "High needs money" of every LA's profile: its high needs block per resident aged 2-18
against its statistical neighbours and England, its spending per EHC plan, and its cumulative
DSG balance with the path to the end of the statutory override (from the finance study,
:mod:`analysis.studies.finance`, on its default scenario)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.series.calc import rank_areas
from analysis.studies import finance
from analysis.studies.finance import local
from analysis.studies.finance.money import STABLE_AREA
from analysis.vocabulary import ENGLAND, LA_LEVEL


@dataclass(frozen=True, eq=False)
class Money:
    """What every profile's money section needs from one finance run."""

    per_head_year: int       # the financial year of the allocations per head shown
    outturn_year: int        # the S251 outturn year (spending per plan)
    origin: int              # the last 31 March with a published balance
    to_year: int
    scenario: str            # the default scenario's label
    write_off_year: int      # the 31 March whose deficit the High Needs Stability Grant writes off
    write_off_share: float   # the share of a deficit it writes off
    rows: pd.DataFrame       # per profiled LA code: its figures, its neighbours' and England's
    path: pd.DataFrame       # the default scenario's path: area_code, year, kind, value, lower, upper
    position: pd.DataFrame   # per path code: its finance_2028 row (with and without the grant)
    supplied: pd.DataFrame   # the LAs' own figures used: la_code, measure, figure (words), value, row
    supplied_from: str | None   # the file they came from (resolved), None for public figures only


def _per_head(pool: pd.DataFrame, codes: list[str]) -> float:
    """Allocations before deductions over residents aged 2-18, pooled over those of ``codes``
    in ``pool`` (one year's rows with both figures, indexed by area code)."""
    rows = pool.loc[pool.index.intersection(codes)]
    return rows["hnb_before"].sum() / rows["population_2_18"].sum() if len(rows) else float("nan")


def _at(values: pd.Series, codes, year: int) -> list[float]:
    """``values`` (indexed by area code and year) for each of ``codes`` in ``year``; NaN where
    not held."""
    return values.reindex(pd.MultiIndex.from_arrays([list(codes), [year] * len(codes)])).tolist()


def build(fin: finance.Finance, las: pd.DataFrame, pairs: pd.DataFrame) -> Money:
    """Every profiled LA's money figures (``las``: their ``code``; ``pairs``: code, member, its
    statistical neighbours by stable unit code)."""
    la = fin.la
    year = int(la.loc[la["hnb_before_per_head_2_18"].notna() & la["level"].eq(LA_LEVEL), "year"].max())
    england = la[la["area_code"].eq(ENGLAND["area_code"])].set_index("year")
    own = la[la["level"].isin([LA_LEVEL, STABLE_AREA])].set_index(["area_code", "year"])
    origin, outturn = fin.assumptions.origin, fin.outturn_year
    path_codes = fin.path_codes(las["code"])
    rows = pd.DataFrame({"path_code": path_codes}, index=pd.Index(las["code"], name="code"))
    rows["per_head"] = _at(own["hnb_before_per_head_2_18"], rows.index, year)
    rows["spend_per_plan"] = _at(own["spend_per_plan"], rows.index, outturn)
    # the balance is the path's area's: an LA's own, or its stable area's where it has none
    balances = la.drop_duplicates(["area_code", "year"], keep="last").set_index(["area_code", "year"])
    rows["balance"] = _at(balances["balance"], path_codes, origin)
    rows["balance_pct"] = _at(balances["balance_pct"], path_codes, origin)
    members = pairs.groupby("code")["member"].agg(list)
    pool = own.xs(year, level="year").dropna(subset=["hnb_before", "population_2_18"])
    rows["neighbours_per_head"] = [_per_head(pool, members.get(code, [])) for code in rows.index]
    rows["neighbours"] = [len(members.get(code, [])) for code in rows.index]
    for column in ("per_head", "balance_pct"):   # rank 1 = the highest, among the profiled LAs
        rows[f"{column}_rank"] = rank_areas(rows, column)["rank"]
        rows[f"{column}_of"] = int(rows[column].notna().sum())
    rows["england_per_head"] = england.loc[year, "hnb_before_per_head_2_18"]
    rows["england_spend_per_plan"] = england.loc[outturn, "spend_per_plan"]
    a = fin.assumptions
    path = fin.path[fin.path["scenario"].eq(a.scenario) & fin.path["level"].eq(LA_LEVEL)]
    position = fin.position[fin.position["part"].eq("the LA")].set_index("area_code")
    return Money(per_head_year=year, outturn_year=fin.outturn_year, origin=a.origin, to_year=a.to_year,
                 scenario=a.scenarios[a.scenario]["label"],
                 write_off_year=a.settlement["write_off_year"],
                 write_off_share=a.settlement["write_off_share"], rows=rows, position=position,
                 supplied=_supplied(fin), supplied_from=(str(Path(fin.supplied.source).resolve())
                                                         if fin.supplied is not None else None),
                 path=path[["area_code", "area_name", "year", "kind", "value_gbp", "lower_gbp",
                            "upper_gbp"]].reset_index(drop=True))


def _supplied(fin: finance.Finance) -> pd.DataFrame:
    """The figures the LAs gave (their own balances, allocations, plans or spending), in words."""
    columns = ["la_code", "measure", "figure", "value", "row"]
    if fin.supplied is None:
        return pd.DataFrame(columns=columns)
    r = fin.supplied.rows
    return pd.DataFrame({"la_code": r["la_code"], "measure": r["measure"],
                         "figure": [local.described(m, y) for m, y in zip(r["measure"], r["year"])],
                         "value": r["value"], "row": r["row"]})[columns]


def for_la(money: Money, code: str) -> dict:
    """One LA's part: its figures, its path (its own, or its stable area's), its position at
    the end of the override and the figures it supplied itself (none for public figures only)."""
    row = money.rows.loc[code]
    position = (money.position.loc[row["path_code"]] if row["path_code"] in money.position.index
                else None)
    return {"figures": row, "path": money.path[money.path["area_code"].eq(row["path_code"])],
            "position": position,
            "supplied": money.supplied[money.supplied["la_code"].eq(row["path_code"])]}
