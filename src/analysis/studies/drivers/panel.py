"""The LA x year panel for testing the research's drivers of demand, on stable LA areas.

Every variable is built from the processed tables through :mod:`analysis.series.measures`
(stable areas: reorganised LAs combined) and documented in :data:`VARIABLES` with its unit, source
and the named driver it stands for. :func:`build_panel` keeps the LA-years with every chosen
variable present and reports each LA-year it drops, with the variable and the reason: not
published for that year, suppressed in the source, a boundary change (a measure that cannot be
added up over merged LAs), or missing.

``year`` is the year a period ends (January census, academic year 2016/17 = 2017, financial year
2019-20 = 2020), so each row pairs the January census with the academic year ending that summer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.series.area import ratio_series
from analysis.series.store import SeriesStore
from analysis.tables.breaks import POPULATION_CENSUS_2021, SEN2_PERSON_LEVEL
from analysis.tables.geography import REORGANISED_UNITS, stable_unit
from analysis.vocabulary import LA_LEVEL

REFORM_YEAR = 2014
"""The Children and Families Act 2014 reforms began in September 2014."""


@dataclass(frozen=True)
class Variable:
    """One panel variable: how to build it (a long frame ``unit``, ``year``, ``value``,
    ``symbol``), its unit, source and the research's named driver it stands for."""

    name: str
    label: str
    unit: str
    source: str
    driver: str
    build: Callable[[SeriesStore], pd.DataFrame]
    time_invariant: bool = False
    terms: frozenset = frozenset()
    """The counts the variable is computed from (:data:`TERMS`), parts included: a driver that
    shares one with the outcome is mechanically related to it (see :func:`mechanical_link`)."""


def _las(series: pd.DataFrame, category: str | None = None) -> pd.DataFrame:
    rows = series[series["level"].eq(LA_LEVEL)]
    if category is not None:
        rows = rows[rows["category"].eq(category)]
    return rows.rename(columns={"area_code": "unit"})[["unit", "year", "value", "symbol"]]


BREAK_SYMBOL = "series break"
"""Symbol of a change measured across a break in the publisher's basis (:mod:`analysis.tables.breaks`)."""


def annual_growth(frame: pd.DataFrame, across=()) -> pd.DataFrame:
    """Percentage change on the previous year within each unit (missing when that year is
    missing or not the year before). A change into the year of a break in ``across`` (e.g. the
    Census 2021 rebasing of population) is not growth: missing, symbol :data:`BREAK_SYMBOL`."""
    frame = frame.sort_values(["unit", "year"]).copy()
    previous = frame.groupby("unit")["value"].shift(1)
    consecutive = frame.groupby("unit")["year"].diff().eq(1)
    frame["value"] = ((frame["value"] / previous - 1) * 100).where(consecutive)
    frame["symbol"] = frame["symbol"].where(frame["value"].isna() & frame["symbol"].notna(), pd.NA)
    at_break = frame["year"].isin([b.year for b in across])
    frame.loc[at_break, "value"] = np.nan
    frame.loc[at_break, "symbol"] = BREAK_SYMBOL
    return frame


def _log(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.assign(value=np.log(frame["value"].where(frame["value"] > 0)))


def _new_plans_per_1000(inputs: SeriesStore) -> pd.DataFrame:
    return _las(ratio_series(inputs["new_plans"], inputs["population_0_25"], per=1000))


def _placements_per_1000(inputs: SeriesStore, group: str) -> pd.DataFrame:
    placements = inputs["placements"]
    rows = placements[placements["category"].eq(group)].drop(columns="category")
    return _las(ratio_series(rows, inputs["population_0_25"], per=1000))


def _sen_support(inputs: SeriesStore) -> pd.DataFrame:
    return _las(inputs["sen_support_rate"])


def idaci_by_unit(deprivation: pd.DataFrame, crosswalk: pd.DataFrame) -> pd.DataFrame:
    """IDACI 2019 average score per stable area (``year`` NaN: time-invariant). Areas made of
    several LAs (Dorset and BCP) are missing with symbol ``boundary change``: the index is
    published for each LA and cannot be averaged without the LSOA populations."""
    idaci = deprivation[deprivation["domain"].eq("IDACI") & deprivation["measure"].eq("average_score")]
    codes = crosswalk.drop_duplicates("new_la_code").set_index("new_la_code")["old_la_code"]
    frame = idaci.assign(unit=idaci["new_la_code"].map(codes).map(stable_unit)).dropna(subset=["unit"])
    multi = frame.groupby("unit")["value"].transform("size").gt(1)
    frame.loc[multi, "value"] = np.nan
    frame.loc[multi, "symbol"] = "boundary change"
    return frame.drop_duplicates("unit")[["unit", "value", "symbol"]].assign(year=np.nan)


def _idaci(inputs: SeriesStore) -> pd.DataFrame:
    return idaci_by_unit(inputs.tables.load("deprivation"), inputs.crosswalk)


def _hnb_per_head(inputs: SeriesStore) -> pd.DataFrame:
    return _las(ratio_series(inputs["hnb"], inputs["population_2_18"], per=1))


def _reform_years(inputs: SeriesStore) -> pd.DataFrame:
    frame = _las(inputs["ehcp"])
    return frame.assign(value=(frame["year"] - REFORM_YEAR - 1).clip(lower=0).astype(float), symbol=pd.NA)


TERMS = {
    "ehcp": "EHC plan counts (all plans, or a part of them)",
    "population": "the population aged 0-25 (or a part of it)",
    "new_plans": "new EHC plans",
}
"""Counts that variables are built from, in words (see :attr:`Variable.terms`)."""

EHCP, POP, NEW = frozenset({"ehcp"}), frozenset({"population"}), frozenset({"new_plans"})


def mechanical_link(driver: str, outcome: str) -> str:
    """Why a regression of ``outcome`` on ``driver`` is partly mechanical (they are computed from
    a common count, e.g. a share of plans whose denominator is the outcome's numerator), or ""."""
    shared = get_variable(driver).terms & get_variable(outcome).terms
    if not shared:
        return ""
    words = " and ".join(TERMS[t] for t in sorted(shared))
    return (f"{get_variable(driver).label} and {get_variable(outcome).label} are both computed "
            f"from {words}, so their association is partly arithmetic, not evidence of a driver")


SEN2 = "DfE SEN2 (EHC plans)"
VARIABLES: dict[str, Variable] = {v.name: v for v in (
    # outcomes
    Variable("ehcp_per_1000", "EHC plans per 1,000 aged 0-25", "plans per 1,000", f"{SEN2}; ONS MYE",
             "outcome", lambda i: _las(i["ehcp_rate"]), terms=EHCP | POP),
    Variable("log_ehcp_per_1000", "log of EHC plans per 1,000 aged 0-25", "log points", f"{SEN2}; ONS MYE",
             "outcome", lambda i: _log(_las(i["ehcp_rate"])), terms=EHCP | POP),
    Variable("ehcp_growth", "annual growth in EHC plans", "% a year", SEN2, "outcome",
             lambda i: annual_growth(_las(i["ehcp"]), [SEN2_PERSON_LEVEL]), terms=EHCP),
    Variable("new_plans_per_1000", "new EHC plans per 1,000 aged 0-25", "plans per 1,000",
             f"{SEN2} new plans; ONS MYE", "outcome", _new_plans_per_1000, terms=NEW | POP),
    # drivers
    Variable("pop_growth_0_25", "growth of the population aged 0-25", "% a year", "ONS mid-year estimates",
             "1. population",
             lambda i: annual_growth(_las(i["population_0_25"]), [POPULATION_CENSUS_2021]),
             terms=POP),
    Variable("post16_share", "share of EHC plans for ages 16-25", "percentage points", SEN2,
             "3. post-16 responsibility", lambda i: _las(i["post16_share"]), terms=EHCP),
    Variable("perm_excl_rate", "permanent exclusions per 10,000 pupils", "per 10,000 pupils",
             "DfE exclusions statistics", "exclusions (linked pressure)",
             lambda i: _las(i["exclusion_rates"], "Total")),
    Variable("special_share", "share of EHC plans in maintained and academy special schools",
             "percentage points", SEN2, "special school capacity (linked pressure)",
             lambda i: _las(i["placement_shares"], "Maintained and academy special schools"),
             terms=EHCP),
    Variable("inmss_share", "share of EHC plans in independent and non-maintained special schools",
             "percentage points", SEN2, "INMSS placements (linked pressure)",
             lambda i: _las(i["placement_shares"], "Independent and non-maintained special schools"),
             terms=EHCP),
    Variable("special_per_1000", "EHC plans in maintained and academy special schools per 1,000 aged 0-25",
             "plans per 1,000", f"{SEN2}; ONS MYE", "special school capacity (linked pressure)",
             lambda i: _placements_per_1000(i, "Maintained and academy special schools"),
             terms=EHCP | POP),
    Variable("inmss_per_1000", "EHC plans in independent and non-maintained special schools per "
             "1,000 aged 0-25", "plans per 1,000", f"{SEN2}; ONS MYE",
             "INMSS placements (linked pressure)",
             lambda i: _placements_per_1000(i, "Independent and non-maintained special schools"),
             terms=EHCP | POP),
    Variable("tribunal_rate", "SEND Tribunal appeals per 100 appealable decisions", "appeals per 100",
             "MoJ / DfE tribunal statistics", "2. raised expectations (proxy)",
             lambda i: _las(i["tribunal_rate"]), terms=EHCP),
    Variable("sen_support_rate", "pupils with SEN support", "% of pupils", "DfE LAIT (school census)",
             "4-6. accountability, curriculum, core funding (weak proxy: needs met without a plan)",
             _sen_support),
    Variable("idaci", "IDACI 2019 average score", "score (0-1)", "MHCLG English indices of deprivation 2019",
             "context: deprivation", _idaci, time_invariant=True),
    Variable("hnb_per_head", "high needs block per person aged 2-18", "£ per person", "ESFA DSG; ONS MYE",
             "funding (held from 2019-20)", _hnb_per_head, terms=POP),
    Variable("reform_years", "years since the 2014 reforms", "years", "Children and Families Act 2014",
             "2. raised expectations (timing)", _reform_years),
)}
OUTCOMES = ("ehcp_per_1000", "log_ehcp_per_1000", "ehcp_growth", "new_plans_per_1000")


def get_variable(name: str) -> Variable:
    """A panel variable by name, with the known names in the error."""
    try:
        return VARIABLES[name]
    except KeyError:
        raise KeyError(f"unknown panel variable {name!r}; use one of {sorted(VARIABLES)}") from None


@dataclass
class Panel:
    """``data``: one row per kept LA-year (``unit``, ``unit_name``, ``region_name``, ``year``, the
    variables); ``dropped``: one row per dropped LA-year and missing variable with its reason."""

    data: pd.DataFrame
    dropped: pd.DataFrame
    variables: tuple[str, ...]
    lags: dict


def _reason(symbol, year: int, published_years: set, unit: str) -> str:
    """Why one variable is missing for one LA-year."""
    has_symbol = isinstance(symbol, str) and bool(symbol)
    if year not in published_years:
        return "not published for this year"
    if has_symbol and symbol == BREAK_SYMBOL:
        return "change across a break in the publisher's basis (not counted as change)"
    if (has_symbol and symbol == "boundary change") or (unit in REORGANISED_UNITS and not has_symbol):
        return "boundary change"
    if has_symbol:
        return f"suppressed or not available in the source ({symbol})"
    return "missing"


def build_panel(inputs: SeriesStore, variables, years: tuple[int, int], lags: dict | None = None) -> Panel:
    """The panel of ``variables`` (names in :data:`VARIABLES`) for ``years`` (first, last,
    inclusive), with ``lags`` ({variable: years}) applied within each unit before rows are kept."""
    lags = dict(lags or {})
    first, last = years
    units = inputs.units.rename(columns={"area_code": "unit", "area_name": "unit_name"})
    grid = pd.MultiIndex.from_product([units["unit"], range(first, last + 1)], names=["unit", "year"])
    panel = pd.DataFrame(index=grid).reset_index()
    symbols = {}
    published = {}
    for name in variables:
        var = get_variable(name)
        frame = var.build(inputs)
        if var.time_invariant:
            values = frame.set_index("unit")
            panel[name] = panel["unit"].map(values["value"])
            symbols[name] = panel["unit"].map(values["symbol"])
            published[name] = set(range(first, last + 1))
            continue
        lag = int(lags.get(name, 0))
        frame = frame.assign(year=frame["year"] + lag)
        merged = panel[["unit", "year"]].merge(frame, on=["unit", "year"], how="left")
        panel[name] = merged["value"].to_numpy(float)
        symbols[name] = merged["symbol"]
        published[name] = set(frame.loc[frame["value"].notna(), "year"].astype(int))
    missing = panel[list(variables)].isna()
    rows = []
    for name in variables:
        for idx in panel.index[missing[name]]:
            unit, year = panel.at[idx, "unit"], int(panel.at[idx, "year"])
            rows.append({"unit": unit, "year": year, "variable": name,
                         "reason": _reason(symbols[name].iloc[idx], year, published[name], unit)})
    dropped = pd.DataFrame(rows, columns=["unit", "year", "variable", "reason"])
    kept = panel[~missing.any(axis=1)].merge(units[["unit", "unit_name", "region_name"]], on="unit",
                                             how="left")
    columns = ["unit", "unit_name", "region_name", "year", *variables]
    return Panel(data=kept[columns].reset_index(drop=True), dropped=dropped, variables=tuple(variables),
                 lags=lags)


def drop_summary(panel: Panel) -> pd.DataFrame:
    """Dropped LA-years counted by variable and reason."""
    return (panel.dropped.groupby(["variable", "reason"]).size().rename("la_years").reset_index()
            .sort_values(["variable", "la_years"], ascending=[True, False]))
