"""Area series built from the processed tables: one function per published measure.

Every function returns an area series (see :mod:`analysis.baseline.calc`): England, the nine
regions and every LA, one row per area and ``year`` (the end year of the period: January
census year for SEN2 caseloads, calendar year for new plans and tribunals, academic year for
exclusions, financial year for DSG). LAs are put on stable units first
(:func:`analysis.geography.harmonise_la`), so Dorset/BCP, Northamptonshire and Cumbria have
one unbroken series each. Regions are sums of their LAs (with the LA-to-region lookup) so that
every table is treated alike; England is the published national row where the table has one,
else the sum of its LAs. A sum with any part missing is missing (``symbol`` says why).
"""

from __future__ import annotations

import pandas as pd

from analysis.baseline.calc import AREA_KEYS, ratio
from analysis.conventions import DataError, sum_groups
from analysis.geography import REORGANISED_UNITS, SUCCESSOR_LAS, harmonise_la
from analysis.readers.population import population_aged

ENGLAND = {"area_code": "E92000001", "area_name": "England", "level": "National"}
LA_LEVEL = "Local authority"
SUCCESSOR_LEVEL = "Successor local authority"
"""Level of the rows that keep an LA made by a reorganisation (:data:`SUCCESSOR_LAS`) under its
own code, in the years its own figures are published, beside the stable unit's ``LA_LEVEL``
row. Regions, England and pooled groups use ``LA_LEVEL`` rows only, so nothing counts twice;
an LA's latest figure, rank and comparison use its own row where there is one (the stable unit
serves trends across the boundary change)."""

NO_AGE_SPLIT = "no age breakdown"
"""Symbol of a year whose plans are published without an age breakdown (January 2023)."""

POST16_AGE_GROUPS = ("Age 16 to 19", "Age 20 to 25")
"""SEN2 age bands counted as "aged 16 or over" (ages at 31 August before the census)."""

PLACEMENTS: dict[str, list[tuple[str, str]]] = {
    "Mainstream schools": [("Mainstream school", "Total")],
    "Maintained and academy special schools": [
        ("Special school", "Special - LA maintained"), ("Special school", "Special - Academy"),
        ("Special school", "Hospital School"),
        ("Special school", "Special - Academy/free"), ("Special school", "Special - Free school"),
    ],
    "Independent and non-maintained special schools": [
        ("Special school", "Special - Independent"), ("Special school", "Special - Non-maintained"),
    ],
    "FE colleges and other post-16": [
        ("Further education", "General FE and tertiary colleges/HE"),
        ("Further education", "Other FE"), ("Further education", "Sixth form college"),
        ("Further education", "UKRLP registered provider"),
    ],
    "Specialist post-16 institutions": [
        ("Further education", "Specialist post-16 institutions"),
        ("Further education", "Independent specialist providers"),
    ],
}  # fmt: skip
"""Placement groups of the SEN2 ``setting_group``/``setting`` pairs (EHC plans + statements).
Settings absent in a year (e.g. "Other FE" after 2022) simply add nothing that year. Hospital
schools are counted with maintained and academy special schools in every year: the 2025
release (January 2023 on) has no hospital column and counts them there."""

SPECIALIST_SETTINGS: list[tuple[str, str]] = [
    ("Special school", "Total"),
    ("Further education", "Specialist post-16 institutions"),
    ("Further education", "Independent specialist providers"),
]
""""Special schools and specialist colleges" as the research counted them: every special
school (maintained, academy, free, independent, non-maintained, hospital) plus specialist
post-16 institutions (called independent specialist providers in 2015)."""


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
    out["level"] = "Regional"
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
    national = rows[rows["geographic_level"].eq("National")]
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
    without an age breakdown (January 2023 in the 2025 release) are missing.
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


def new_plans(history: pd.DataFrame, new_plans_table: pd.DataFrame, units: pd.DataFrame
              ) -> pd.DataFrame:
    """New statements plus EHC plans made in each calendar year, the caseload's definition in
    every year: the 2022 release (``total``, age ``Total``) for 2015-2018 (27,923 in England in
    2015: 24,654 plans and 3,269 statements) and the 2025 release (``new_ehc_plans``) from 2019,
    when no statements were made. 2014 is left out: plans began in September 2014. Counts."""
    early = count_series(history[history["year"].between(2015, 2018)],
                         {"age_group": "Total", "measure": "total"}, units)
    late = count_series(new_plans_table, {"breakdown_topic": "New EHC plans",
                                          "measure": "new_ehc_plans"}, units)
    return pd.concat([early, late], ignore_index=True)


def timeliness_20_weeks(timeliness: pd.DataFrame, mi: pd.DataFrame, units: pd.DataFrame
                        ) -> pd.DataFrame:
    """Percentage of new EHC plans issued within 20 weeks, excluding exception cases, per
    calendar year: SEN2 management information for 2015-2018, the 2025 release from 2019."""
    mi = mi[mi["year"].between(2015, 2018)]
    num = pd.concat([count_series(mi, {"measure": "NoExc20weekEHC"}, units),
                     count_series(timeliness, {"breakdown_topic": "All EHC plans issued",
                                               "measure": "plans_issued_20_weeks_ex"}, units)])
    den = pd.concat([count_series(mi, {"measure": "TotNoExcEHC"}, units),
                     count_series(timeliness, {"breakdown_topic": "All EHC plans issued",
                                               "measure": "plans_issued_den_ex"}, units)])
    return ratio_series(num, den, per=100)


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
    out.loc[level.eq("National"), "area_code"] = ENGLAND["area_code"]
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
    out.loc[out["level"].eq("National"), "area_name"] = ENGLAND["area_name"]
    out.loc[out["level"].eq("Regional"), "area_name"] = out["area_code"]
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
    """DSG high needs block allocation per financial year, pounds (before deductions for
    academy and FE places funded directly by ESFA, unless ``measure`` says otherwise)."""
    return count_series(dsg, {"measure": measure}, units)


def dsg_balance(balance: pd.DataFrame, units: pd.DataFrame) -> pd.DataFrame:
    """Cumulative DSG balance at the end of each financial year as % of DSG income (negative =
    deficit), DfE-derived from S251 outturn. Not additive: regions are the published regional
    rows, England the published national row, and reorganised LAs keep their own codes."""
    series = count_series(balance, {"measure": "cumulative_balance_pct_of_income"}, units,
                          additive=False)
    published = balance[balance["geographic_level"].eq("Regional")]
    regions = published.assign(area_code=published["region_name"],
                               area_name=published["region_name"], level="Regional")
    return pd.concat([series, regions[series.columns]], ignore_index=True)


def population_by_la(population: pd.DataFrame, crosswalk: pd.DataFrame,
                          units: pd.DataFrame, ages: tuple[int, int] = (0, 25)) -> pd.DataFrame:
    """Population aged 0-25 (or ``ages``, inclusive) from the ONS mid-year estimates as an area
    series, ``year`` = the January census / academic / financial year it is paired with (mid-2021
    -> 2022, see :func:`analysis.conventions.population_year_for`).

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
        geographic_level="National", old_la_code=pd.NA, measure=measure)
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
    see :func:`analysis.readers.hn_benchmarking.section_years`). One row per LA
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
