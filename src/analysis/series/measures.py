"""The named measures: one function per published measure, each an area series (see
:mod:`analysis.series.area`) built from processed tables. :mod:`analysis.series.store` names them
and says which tables each reads.
"""

from __future__ import annotations

import pandas as pd

from analysis.errors import DataError
from analysis.series.area import count_series, england_values, ratio_series
from analysis.tables.conventions import sum_groups
from analysis.tables.geography import REORGANISED_UNITS, SUCCESSOR_LAS
from analysis.tables.readers.population import population_aged
from analysis.vocabulary import (
    ENGLAND,
    LA_LEVEL,
    NATIONAL,
    PLACEMENTS,
    POST16_AGE_GROUPS,
    REGIONAL,
    SPECIALIST_SETTINGS,
    SUCCESSOR_LEVEL,
)

NO_AGE_SPLIT = "no age breakdown"
"""Symbol of a year whose plans are published without an age breakdown (January 2023)."""


# --- the measures ------------------------------------------------------------------------------


def ehcp_caseload(caseload_age: pd.DataFrame, units: pd.DataFrame) -> pd.DataFrame:
    """EHC plans plus statements in January of each year (SEN2 ``ehcp_caseload_age``, age
    ``Total``, measure ``total``), 2010 onward. Count of children and young people."""
    return count_series(caseload_age, {"age_group": "Total", "measure": "total"}, units)


def ehcp_by_age(caseload_age: pd.DataFrame, units: pd.DataFrame) -> pd.DataFrame:
    """EHC plans plus statements in January by SEN2 age band (``category``). Counts."""
    ages = [a for a in caseload_age["age_group"].unique() if a != "Total"]
    return count_series(caseload_age, {"age_group": ages, "measure": "total"}, units,
                        category="age_group")


def post16_share(caseload_age: pd.DataFrame, units: pd.DataFrame) -> pd.DataFrame:
    """Percentage of EHC plans plus statements held by young people aged 16 or over: age bands
    16-19 and 20-25 over the sum of all age bands (the plans with an age), January of each year.

    The base is the age breakdown's own total in every year and for every area, England
    included: in January 2024 two LAs returned a total but no ages (DfE data guidance), so the
    published all-ages total is not the base of the age bands. Before January 2015 SEN2 has no
    20-25 band (statements did not extend past 19), so those years count 16-19 only. Years
    without an age breakdown (January 2023) are missing.
    """
    bands = [a for a in caseload_age["age_group"].unique() if a != "Total"]
    num = count_series(caseload_age, {"age_group": list(POST16_AGE_GROUPS), "measure": "total"},
                       units)
    den = count_series(caseload_age, {"age_group": bands, "measure": "total"}, units)
    share = ratio_series(num, den, per=100)
    total = count_series(caseload_age, {"age_group": "Total", "measure": "total"}, units)
    no_ages = total[~total["year"].isin(share["year"])].assign(
        num=float("nan"), den=float("nan"), per=100.0, value=float("nan"), symbol=NO_AGE_SPLIT)
    return pd.concat([share, no_ages[share.columns]], ignore_index=True)


def _with_pairs(caseload_setting: pd.DataFrame) -> pd.DataFrame:
    """The setting table with a ``pair`` column "setting_group | setting" to select on."""
    pair = caseload_setting["setting_group"] + " | " + caseload_setting["setting"]
    return caseload_setting.assign(pair=pair)


def _settings_count(with_pairs: pd.DataFrame, settings, units) -> pd.DataFrame:
    wanted = [f"{group} | {setting}" for group, setting in settings]
    return count_series(with_pairs, {"pair": wanted, "measure": "total"}, units)


def placements(caseload_setting: pd.DataFrame, units: pd.DataFrame) -> pd.DataFrame:
    """EHC plans plus statements in January by placement group (``category``, see
    :data:`PLACEMENTS`). Counts."""
    with_pairs = _with_pairs(caseload_setting)
    parts = [_settings_count(with_pairs, settings, units).assign(category=group)
             for group, settings in PLACEMENTS.items()]
    return pd.concat(parts, ignore_index=True)


def placement_shares(placements_series: pd.DataFrame, setting_total: pd.DataFrame) -> pd.DataFrame:
    """Percentage of all EHC plans plus statements in each placement group
    (``placements_series`` = :func:`placements`), January, over the placement table's own total
    (``setting_total`` = :func:`placement_total`): one base in every year, since the age and
    establishment files' totals differ in some years (January 2016 and 2018)."""
    return ratio_series(placements_series, setting_total, per=100)


def placement_total(caseload_setting: pd.DataFrame, units: pd.DataFrame) -> pd.DataFrame:
    """All EHC plans plus statements in the placement table (``Total | Total``), January."""
    return _settings_count(_with_pairs(caseload_setting), [("Total", "Total")], units)


def specialist_placements(caseload_setting: pd.DataFrame, units: pd.DataFrame) -> pd.DataFrame:
    """EHC plans plus statements in special schools and specialist colleges, January
    (see :data:`SPECIALIST_SETTINGS`). Counts."""
    return _settings_count(_with_pairs(caseload_setting), SPECIALIST_SETTINGS, units)


FIRST_PLAN_YEAR = 2015
"""The first whole calendar year of EHC plans (they began in September 2014)."""


def _before(history: pd.DataFrame, current: pd.DataFrame) -> pd.DataFrame:
    """Rows of a history table from :data:`FIRST_PLAN_YEAR` to the year before the current
    table's first year (2015-2018 with the files held)."""
    return history[history["year"].between(FIRST_PLAN_YEAR, int(current["year"].min()) - 1)]


def new_plans(history: pd.DataFrame, new_plans_table: pd.DataFrame, units: pd.DataFrame
              ) -> pd.DataFrame:
    """New statements plus EHC plans made in each calendar year, the caseload's definition in
    every year: the history file (``total``, age ``Total``) from 2015 until the current file
    starts (27,923 in England in 2015: 24,654 plans and 3,269 statements), then the current
    file (``new_ehc_plans``), from when no statements were made. 2014 is left out: plans began
    in September 2014. Counts."""
    late = count_series(new_plans_table, {"breakdown_topic": "New EHC plans",
                                          "measure": "new_ehc_plans"}, units)
    early = count_series(_before(history, new_plans_table),
                         {"age_group": "Total", "measure": "total"}, units)
    return pd.concat([early, late], ignore_index=True)


def timeliness_20_weeks(timeliness: pd.DataFrame, mi: pd.DataFrame, units: pd.DataFrame
                        ) -> pd.DataFrame:
    """Percentage of new EHC plans issued within 20 weeks, excluding exception cases, per
    calendar year: SEN2 management information from 2015 until the current timeliness file
    starts, then that file."""
    mi = _before(mi, timeliness)
    num = pd.concat([count_series(mi, {"measure": "NoExc20weekEHC"}, units),
                     count_series(timeliness, {"breakdown_topic": "All EHC plans issued",
                                               "measure": "plans_issued_20_weeks_ex"}, units)])
    den = pd.concat([count_series(mi, {"measure": "TotNoExcEHC"}, units),
                     count_series(timeliness, {"breakdown_topic": "All EHC plans issued",
                                               "measure": "plans_issued_den_ex"}, units)])
    return ratio_series(num, den, per=100)


def dsg_years_by_file(dsg: pd.DataFrame) -> dict[str, list[int]]:
    """``{file name: financial years (end year) taken from it}`` of the ``dsg_high_needs`` table."""
    pairs = dsg[["source_file", "year"]].drop_duplicates().sort_values("year")
    return {f: [int(y) for y in rows["year"]] for f, rows in pairs.groupby("source_file", sort=True)}


EXCLUSIONS_FIRST_YEAR = 2010
"""Exclusion series start in 2009/10: earlier years hold LAs abolished in April 2009
(Bedfordshire 820, Cheshire 875) that the LA lookup, built from SEN2 (2010 on), lacks."""


def exclusion_counts(exclusions: pd.DataFrame, units: pd.DataFrame,
                     measure: str = "perm_excl") -> pd.DataFrame:
    """Permanent exclusions (or another count ``measure``) by school type (``category``), per
    academic year from 2009/10 (see :data:`EXCLUSIONS_FIRST_YEAR`)."""
    recent = exclusions[exclusions["year"] >= EXCLUSIONS_FIRST_YEAR]
    return count_series(recent, {"measure": measure}, units, category="school_type")


def exclusion_rates(exclusions: pd.DataFrame, units: pd.DataFrame,
                    measure: str = "perm_excl", lait: pd.DataFrame | None = None) -> pd.DataFrame:
    """Permanent exclusions (or ``suspension``) per 10,000 pupils by school type
    (``category``), per academic year from 2009/10: exclusions over pupil headcount in the same
    schools (DfE publishes the same ratio per 100 pupils). With ``lait``, permanent exclusions
    go on to the later years LAIT publishes as rates (2023/24), see
    :func:`published_rates_after`."""
    rates = ratio_series(exclusion_counts(exclusions, units, measure),
                         exclusion_counts(exclusions, units, "headcount"), per=10_000)
    if lait is None or measure != "perm_excl":
        return rates
    later = published_rates_after(rates, lait, LAIT_EXCLUSION_RATES, units, per=10_000)
    return pd.concat([rates, later], ignore_index=True)


LAIT_EXCLUSION_RATES = {"TotPermEx": "Total", "PriPermEx": "state-funded primary",
                        "SecPermEx": "state-funded secondary", "SpecPermEx": "special"}
"""LAIT permanent exclusion rates (% of pupils) -> ``school_type`` of the exclusions table."""

RATE_ONLY = "rate only"
"""Symbol of a combined area in a year published only as LA rates, which cannot be combined."""


def published_rates_after(series: pd.DataFrame, lait: pd.DataFrame, measures: dict[str, str],
                          units: pd.DataFrame, per: float) -> pd.DataFrame:
    """Rows of a ratio series (``per`` = its scale) for the years after England's last value,
    from rates published per 100 in LAIT (``measures``: LAIT measure -> ``category``).

    England and regions are the published rows; LAs keep their own codes (successor LAs at
    :data:`SUCCESSOR_LEVEL`), and a stable unit combining reorganised LAs has no figure (symbol
    :data:`RATE_ONLY`). ``num`` and ``den`` are missing: no counts are published.
    """
    last = int(england_values(series).index.max())
    rows = lait[lait["measure"].isin(list(measures)) & lait["year"].gt(last)]
    if rows.empty:
        return series.iloc[:0]
    rows = rows.assign(category=rows["measure"].map(measures), value=rows["value"] * per / 100)
    regions = {r.lower(): r for r in units["region_name"].dropna().unique()}
    level = rows["geographic_level"]
    out = pd.DataFrame({
        "area_code": rows["old_la_code"].where(level.eq(LA_LEVEL),
                                               rows["region_name"].str.lower().map(regions)),
        "level": level, "year": rows["year"], "category": rows["category"],
        "value": rows["value"], "symbol": rows["symbol"]})
    out.loc[level.eq(NATIONAL), "area_code"] = ENGLAND["area_code"]
    out = out.dropna(subset=["area_code"])
    names = units.set_index("area_code")["area_name"]
    successor = out["area_code"].isin(list(SUCCESSOR_LAS)) & out["level"].eq(LA_LEVEL)
    out.loc[successor, "level"] = SUCCESSOR_LEVEL
    out = out[~out["level"].eq(LA_LEVEL) | out["area_code"].isin(names.index)]
    combined = [u for u in REORGANISED_UNITS if u in names.index]
    gaps = out[out["area_code"].eq(ENGLAND["area_code"])][["year", "category"]].assign(
        level=LA_LEVEL, value=float("nan"), symbol=RATE_ONLY)
    gaps = pd.concat([gaps.assign(area_code=u) for u in combined], ignore_index=True)
    out = pd.concat([out[~out["area_code"].isin(combined)], gaps], ignore_index=True)
    out["area_name"] = out["area_code"].map(names).fillna(out["area_code"].map(SUCCESSOR_LAS))
    out.loc[out["level"].eq(NATIONAL), "area_name"] = ENGLAND["area_name"]
    out.loc[out["level"].eq(REGIONAL), "area_name"] = out["area_code"]
    out = out.assign(num=float("nan"), den=float("nan"), per=float(per))
    return out[series.columns].astype({"symbol": "string"})


def tribunal_appeal_rate(tribunals: pd.DataFrame, units: pd.DataFrame) -> pd.DataFrame:
    """SEND Tribunal appeals registered per 100 appealable decisions, per calendar year (MoJ
    figures republished by DfE). England and regions are sums of LAs. Years without
    appealable decisions in the file (2023 onward) are missing."""
    num = count_series(tribunals, {"measure": "appeals_registered"}, units)
    den = count_series(tribunals, {"measure": "appealable_decisions"}, units)
    return ratio_series(num, den, per=100)


def hnb_allocation(dsg: pd.DataFrame, units: pd.DataFrame,
                   measure: str = "hnb_before_deductions") -> pd.DataFrame:
    """A DSG allocation per financial year, pounds: the high needs block before deductions
    for academy and FE places funded directly by ESFA, or the ``dsg_high_needs`` ``measure``
    named (the block after deductions, total DSG before or after)."""
    return count_series(dsg, {"measure": measure}, units)


def dsg_balance(balance: pd.DataFrame, units: pd.DataFrame) -> pd.DataFrame:
    """Cumulative DSG balance at the end of each financial year as % of DSG income (negative =
    deficit), DfE-derived from S251 outturn. Not additive: regions are the published regional
    rows, England the published national row, and reorganised LAs keep their own codes."""
    series = count_series(balance, {"measure": "cumulative_balance_pct_of_income"}, units,
                          additive=False)
    published = balance[balance["geographic_level"].eq(REGIONAL)]
    regions = published.assign(area_code=published["region_name"],
                               area_name=published["region_name"], level=REGIONAL)
    return pd.concat([series, regions[series.columns]], ignore_index=True)


def sen_support_rate(lait: pd.DataFrame, units: pd.DataFrame) -> pd.DataFrame:
    """% of pupils at SEN support, as published per LA (LAIT ``SEN_TotSENSuP``): not additive,
    so reorganised LAs keep their own codes and England is the published national figure."""
    return count_series(lait, {"measure": "SEN_TotSENSuP"}, units, additive=False)


def own_code_rows(series: pd.DataFrame) -> pd.DataFrame:
    """An area series' LA rows by the LAs' own codes (successor LAs' own rows; the stable unit's
    row where it is itself an LA that year): code, year, value."""
    rows = series[series["level"].isin([LA_LEVEL, SUCCESSOR_LEVEL])]
    return rows.rename(columns={"area_code": "code"})[["code", "year", "value"]]


def dsg_balance_pounds(balance_pct: pd.DataFrame, dsg_total: pd.DataFrame) -> pd.DataFrame:
    """Per LA (own code) and 31 March: the cumulative DSG balance in pounds (negative = deficit),
    from the balance as % of DSG income (the ``dsg_balance`` series) and the total DSG of the
    same financial year (``dsg_total``). An LA with a balance and no total is a data error."""
    pct = balance_pct[balance_pct["level"].eq(LA_LEVEL)].rename(columns={"area_code": "code"})
    total = own_code_rows(dsg_total).drop_duplicates(["code", "year"], keep="last")
    merged = pct[["code", "year", "value"]].merge(total, on=["code", "year"], how="left",
                                                  suffixes=("_pct", "_total"))
    missing = merged[merged["value_total"].isna() & merged["value_pct"].notna()]
    if len(missing):
        raise DataError("DSG balance in pounds: no DSG total for the balances of "
                        f"{sorted(set(missing['code']))}")
    pounds = merged["value_pct"] / 100 * merged["value_total"]
    return merged.assign(value=pounds)[["code", "year", "value"]]


def population_by_la(population: pd.DataFrame, crosswalk: pd.DataFrame,
                          units: pd.DataFrame, ages: tuple[int, int] = (0, 25)) -> pd.DataFrame:
    """Population aged 0-25 (or ``ages``, inclusive) from the ONS mid-year estimates as an area
    series, ``year`` = the January census / academic / financial year it is paired with (mid-2021
    -> 2022, see :func:`analysis.tables.conventions.population_year_for`).

    ``crosswalk`` maps ONS codes to DfE 3-digit codes (``new_la_code``, ``old_la_code``); every
    LA must match exactly one ONS area per mid-year.
    """
    measure = f"population_{ages[0]}_{ages[1]}"
    young = population_aged(population, *ages).rename(columns={measure: "value"})
    young["year"] = young["year"] + 1
    cw = crosswalk[["new_la_code", "old_la_code"]].dropna().drop_duplicates()
    las = young.merge(cw, left_on="area_code", right_on="new_la_code", how="inner")
    twice = las[las.duplicated(["year", "old_la_code"], keep=False)]
    if not twice.empty:
        raise DataError("population: LAs matched by more than one ONS area: "
                        f"{sorted(set(twice['old_la_code']))}")
    las = las.assign(geographic_level=LA_LEVEL, measure=measure)
    national = young[young["area_code"].eq(ENGLAND["area_code"])].assign(
        geographic_level=NATIONAL, old_la_code=pd.NA, measure=measure)
    frame = pd.concat([national, las], ignore_index=True).assign(la_name=pd.NA)
    return count_series(frame, {"measure": measure}, units)


def ehcp_rate_per_1000(ehcp: pd.DataFrame, population_0_25: pd.DataFrame) -> pd.DataFrame:
    """EHC plans plus statements in January (``ehcp`` = :func:`ehcp_caseload`) per 1,000
    residents aged 0-25 at the previous mid-year. Years are those with population held (January
    2015-2023)."""
    return ratio_series(ehcp, population_0_25, per=1000)


S251_LINES = (
    "Place funding", "Top up funding (maintained", "Top up funding (non-maintained",
    "SEN support and inclusion services", "Alternative provision services",
    "Hospital education services", "Therapies and other health related services",
)
"""The S251 high needs lines whose sum is an LA's total high needs budget or outturn (top-up
lines are net of income), as laid out in the DfE high needs benchmarking tool."""


def s251_high_needs_totals(benchmarking: pd.DataFrame) -> pd.DataFrame:
    """Total S251 high needs ``budget`` and ``outturn`` per LA, pounds, from the high needs
    benchmarking table: the sum of :data:`S251_LINES`, with ``budget_year`` and
    ``outturn_year`` (financial-year ends: the file's budget is 2021-22, its outturn 2020-21,
    see :func:`analysis.tables.readers.hn_benchmarking.section_years`). One row per LA
    (``old_la_code``, ``la_name``); an LA with any line missing gets NaN for that total."""
    out = None
    for kind in ("budget", "outturn"):
        parts = []
        for line in S251_LINES:
            prefix = f"Section 251 {kind} | {line}"
            names = [m for m in benchmarking["measure"].unique() if m.startswith(prefix)]
            if len(names) != 1:
                raise DataError(f"hn_benchmarking: expected one measure starting {prefix!r}, "
                                f"found {names}")
            parts.append(benchmarking[benchmarking["measure"].eq(names[0])])
        lines = pd.concat(parts)
        years = lines["year"].unique()
        if len(years) != 1:
            raise DataError(f"hn_benchmarking: S251 {kind} lines span years {sorted(years)}")
        total = sum_groups(lines, ["old_la_code", "la_name"]).rename(
            columns={"value": kind, "symbol": f"{kind}_symbol"}).assign(
            **{f"{kind}_year": int(years[0])})
        out = total if out is None else out.merge(total, on=["old_la_code", "la_name"])
    return out
