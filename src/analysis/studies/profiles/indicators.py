"""Every profile indicator as an area series, built once for England and every LA.

One builder per indicator id of ``themes.yaml`` (:data:`BUILDERS`). Count-based indicators are
ratio series on stable LA units (``num``/``den``/``per``; comparators pool counts); the SEN
support rate keeps each LA's published percentage (comparators take the median); yes/no
indicators are 100 (yes) or 0 (no) per LA under its own code (comparators and England give the
share of LAs answering yes). The year of a value is the end year of its period (see
``themes.yaml`` for each indicator's years).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analysis.errors import DataError
from analysis.series.area import count_series, pool, ratio_series
from analysis.series.calc import AREA_KEYS
from analysis.series.measures import LAIT_EXCLUSION_RATES, exclusion_counts, published_rates_after
from analysis.series.store import SeriesStore
from analysis.tables.conventions import sum_groups
from analysis.tables.geography import PREDECESSOR_OF
from analysis.vocabulary import ENGLAND, LA_LEVEL, POST16_AGE_GROUPS

ALL_REQUESTS = "All requests for EHC needs assessments"
ALL_ASSESSMENTS = "All EHC needs assessments"
ALL_CEASED = "All ceased EHC plans"
ROW_FILTERS = {
    "ehcp_requests": [("breakdown_topic", "==", ALL_REQUESTS)],
    "ehcp_assessments": [("breakdown_topic", "==", ALL_ASSESSMENTS)],
    "ehcp_ceased_plans": [("breakdown_topic", "==", ALL_CEASED)],
    "ehcp_residential": [("breakdown_topic", "==", "All residential placements")],
    "ehcp_work_based": [("breakdown_topic", "==", "All work based placements")],
}
"""The rows of the indicators' tables that are used (the rest are breakdowns by age, sex,
ethnicity or placement), read alone to save time and memory."""
SCHOOL_TYPES = {"primary": "state-funded primary", "secondary": "state-funded secondary",
                "special": "special"}
"""Profile name -> ``school_type`` of the exclusions table."""


@dataclass
class Context:
    """What the builders read: the named area series and processed tables (read with
    :data:`ROW_FILTERS`) of a series store."""

    series: SeriesStore
    built: dict = field(default_factory=dict)

    def table(self, table_id: str) -> pd.DataFrame:
        """A processed table, only the rows the indicators use (:data:`ROW_FILTERS`)."""
        return self.series.table(table_id, ROW_FILTERS.get(table_id))

    def once(self, key: str, build: Callable[[], pd.DataFrame]) -> pd.DataFrame:
        """``build()`` the first time ``key`` is asked for, the same frame after that."""
        if key not in self.built:
            self.built[key] = build()
        return self.built[key]


def held_years(series: pd.DataFrame) -> pd.DataFrame:
    """Drop the years in which no area has a value (e.g. a ratio whose numerator is published
    for fewer years than its denominator)."""
    years = series.loc[series["value"].notna(), "year"].unique()
    return series[series["year"].isin(years)].reset_index(drop=True)


def _category(series: pd.DataFrame, category: str) -> pd.DataFrame:
    rows = series[series["category"].eq(category)]
    if rows.empty:
        raise DataError(f"no rows of category {category!r}")
    return rows.drop(columns="category").reset_index(drop=True)


def binary_series(answers: pd.DataFrame, lookup: pd.DataFrame) -> pd.DataFrame:
    """A yes/no per LA and year as an area series: 100 for yes, 0 for no, missing (with the
    answer as ``symbol``) otherwise; England is the percentage of LAs answering, per year.

    ``answers`` has ``old_la_code``, ``year`` and ``answer`` (True, False or NA). LAs keep their
    own codes: a yes/no cannot be combined across a reorganisation.
    """
    names = lookup.drop_duplicates("old_la_code").set_index("old_la_code")["la_name"]
    unknown = sorted(set(answers["old_la_code"]) - set(names.index))
    if unknown:
        raise DataError(f"LA codes not in the LA lookup: {unknown}")
    answered = answers["answer"].notna()
    las = pd.DataFrame({
        "area_code": answers["old_la_code"].astype("string"),
        "area_name": answers["old_la_code"].map(names).astype("string"),
        "level": LA_LEVEL, "year": answers["year"].astype(int),
        "value": np.where(answered, answers["answer"].fillna(False).astype(float) * 100, np.nan),
        "symbol": answers["symbol"].where(~answered).astype("string"),
    })
    england = pool(las, las["area_code"].unique(), how="mean", **ENGLAND)
    return pd.concat([england[las.columns], las], ignore_index=True)


# --- builders: one per indicator ----------------------------------------------------------------


def _requests(ctx: Context, measure: str) -> pd.DataFrame:
    return count_series(ctx.table("ehcp_requests"), {"breakdown_topic": ALL_REQUESTS,
                                                      "measure": measure}, ctx.series.units)


def _ceased(ctx: Context, measures) -> pd.DataFrame:
    return count_series(ctx.table("ehcp_ceased_plans"), {"breakdown_topic": ALL_CEASED,
                                                          "measure": measures}, ctx.series.units)


def tribunal_appeal_rate(ctx: Context) -> pd.DataFrame:
    """Appeals registered per 100 appealable decisions (baseline series), 2014-2022."""
    return ctx.series["tribunal_rate"]


def mediation_rate(ctx: Context) -> pd.DataFrame:
    """Requests for assessment subject to mediation per 100 requests received (2023 on)."""
    return ratio_series(_requests(ctx, "mediation_related_request"),
                        _requests(ctx, "requests_received_in_year"), per=100)


def requests_refused(ctx: Context) -> pd.DataFrame:
    """Requests decided not to assess per 100 requests received in the year (2019 on). DfE's
    published ``request_not_assess_pc`` (2023 on) is the same ratio."""
    return ratio_series(_requests(ctx, "requests_decided_not_to_assess"),
                        _requests(ctx, "requests_received_in_year"), per=100)


def assessments_to_plan(ctx: Context) -> pd.DataFrame:
    """Assessments ending in a plan per 100 assessments decided (plan issued or not issued),
    2019 on. DfE's ``assess_issued_pc`` (2022 on) also counts withdrawn and unfinished ones."""
    table, units = ctx.table("ehcp_assessments"), ctx.series.units
    issued = count_series(table, {"breakdown_topic": ALL_ASSESSMENTS, "measure": "assess_issued"},
                          units)
    decided = count_series(table, {"breakdown_topic": ALL_ASSESSMENTS,
                                   "measure": ["assess_issued", "assess_not_issued"]}, units)
    return ratio_series(issued, decided, per=100)


def timeliness_20_weeks(ctx: Context) -> pd.DataFrame:
    """New plans issued within 20 weeks, % excluding exceptions (baseline series), 2015 on."""
    return ctx.series["timeliness"]


def ceased_needs_met(ctx: Context) -> pd.DataFrame:
    """Plans ceased because needs were met without a plan, % of all plans ceased (2022 on)."""
    return ratio_series(_ceased(ctx, "needs_met"), _ceased(ctx, "total_ceased"), per=100)


def ceased_into_work_or_he(ctx: Context) -> pd.DataFrame:
    """Plans ceased on moving into paid employment or higher education, % of all plans ceased."""
    return ratio_series(_ceased(ctx, ["employ", "he"]), _ceased(ctx, "total_ceased"), per=100)


def ehcp_rate(ctx: Context) -> pd.DataFrame:
    """EHC plans per 1,000 population aged 0-25 (baseline series)."""
    return ctx.series["ehcp_rate"]


def _share(group: str) -> Callable[[Context], pd.DataFrame]:
    def build(ctx: Context) -> pd.DataFrame:
        return _category(ctx.series["placement_shares"], group)

    build.__doc__ = f"% of EHC plans placed in {group.lower()} (baseline placement shares)."
    return build


def sen_support_rate(ctx: Context) -> pd.DataFrame:
    """% of pupils at SEN support, as published per LA (LAIT ``SEN_TotSENSuP``): not additive,
    so reorganised LAs keep their own codes and England is the published national figure."""
    return ctx.series["sen_support_rate"]


def _exclusions(measure: str, school_type: str, per: int) -> Callable[[Context], pd.DataFrame]:
    def build(ctx: Context) -> pd.DataFrame:
        table, units = ctx.table("exclusions"), ctx.series.units
        pupils = ctx.once("headcount", lambda: exclusion_counts(table, units, "headcount"))
        counts = (ctx.series["exclusion_counts"] if measure == "perm_excl"
                  else ctx.once(measure, lambda: exclusion_counts(table, units, measure)))
        rates = ratio_series(counts, pupils, per=per)
        if measure == "perm_excl":
            later = published_rates_after(rates, ctx.table("lait_indicators"),
                                          LAIT_EXCLUSION_RATES, units, per=per)
            rates = pd.concat([rates, later], ignore_index=True)
        return _category(rates, SCHOOL_TYPES[school_type])

    build.__doc__ = (f"{measure} per {per:,} pupils in {school_type} schools, academic years "
                     "from 2009/10" + (" (later years as LAIT rates)." if measure == "perm_excl"
                                       else "."))
    return build


def residential_rate(ctx: Context) -> pd.DataFrame:
    """Residential placements (38-51 weeks plus 52 weeks a year) per 1,000 EHC plans, January
    2019 on. The published total ``Res_tot`` is not the sum of its parts in January 2023, so the
    parts are added."""
    res = count_series(ctx.table("ehcp_residential"), {
        "breakdown_topic": "All residential placements", "measure": ["Res_3851", "Res_52"]},
        ctx.series.units)
    return ratio_series(res, ctx.series["ehcp"], per=1000)


def post16_share(ctx: Context) -> pd.DataFrame:
    """% of EHC plans held by young people aged 16 or over (baseline series)."""
    return ctx.series["post16_share"]


def work_based_rate(ctx: Context) -> pd.DataFrame:
    """Work-based placements (supported internships, apprenticeships, traineeships) per 1,000
    EHC plans of young people aged 16-25, January 2025."""
    wbp = count_series(ctx.table("ehcp_work_based"), {
        "breakdown_topic": "All work based placements", "measure": "open_wbp"}, ctx.series.units)
    by_age = ctx.series["ehcp_by_age"]
    plans = sum_groups(by_age[by_age["category"].isin(POST16_AGE_GROUPS)], AREA_KEYS + ["year"])
    return ratio_series(wbp, plans, per=1000)


def wsoa_required(ctx: Context) -> pd.DataFrame:
    """Whether the area SEND inspection (2016-2022 framework) required a written statement of
    action, for every LA of the latest year: its own inspection, or, for an LA formed by a
    reorganisation and not inspected itself, the inspection of the area it came from
    (:data:`analysis.tables.geography.PREDECESSOR_OF`: Dorset and Northamptonshire from the Ofsted
    file's notes, Cumbria from its rows). All are dated to the last year a report was published
    (2022), the position at the end of the framework. An LA inspected twice would raise."""
    inspections = ctx.table("area_send_inspections")
    lookup = ctx.series.lookup
    codes = lookup.drop_duplicates("new_la_code").set_index("new_la_code")["old_la_code"]
    unmatched = sorted(set(inspections["new_la_code"]) - set(codes.index))
    if unmatched:
        raise DataError(f"area_send_inspections: ONS codes not in the LA lookup: {unmatched}")
    outcome = inspections["inspection_outcome_written_statement_of_action_required"]
    inspected = pd.DataFrame({
        "old_la_code": inspections["new_la_code"].map(codes),
        "answer": outcome.map({"Yes": True, "No": False}).astype("boolean"), "symbol": outcome})
    twice = inspected.loc[inspected["old_la_code"].duplicated(), "old_la_code"]
    if not twice.empty:
        raise DataError(f"area_send_inspections: LAs inspected more than once: {sorted(twice)}")
    current = lookup.loc[lookup["last_year"].eq(lookup["last_year"].max()), "old_la_code"]
    own = inspected.set_index("old_la_code")
    rows = []
    for code in current:
        source = code if code in own.index else PREDECESSOR_OF.get(code)
        if source in own.index:
            rows.append({"old_la_code": code, **own.loc[source].to_dict()})
    answers = pd.DataFrame(rows).assign(year=int(inspections["inspection_publication_date"]
                                                 .dt.year.max()))
    return binary_series(answers, lookup)


def _designated(ctx: Context, measures: list[str]) -> pd.DataFrame:
    """Yes when any of ``measures`` (SEN2 designated officer questions) is "Yes", no when all
    answered are "No" or "Recruiting", missing where none was answered."""
    table = ctx.table("ehcp_dmo_dco")
    rows = table[table["measure"].isin(measures)]
    answered = rows["answer"].isin(["Yes", "No", "Recruiting"])
    rows = rows.assign(yes=rows["answer"].eq("Yes"), answered=answered)
    per = rows.groupby(["old_la_code", "year"], sort=True).agg(
        yes=("yes", "any"), answered=("answered", "any"), symbol=("answer", "last")).reset_index()
    per["answer"] = per["yes"].astype("boolean").where(per["answered"], pd.NA)
    return binary_series(per[["old_la_code", "year", "answer", "symbol"]], ctx.series.lookup)


def dmo_or_dco(ctx: Context) -> pd.DataFrame:
    """A designated medical officer or a designated clinical officer in post, January."""
    return _designated(ctx, ["des_med_off", "des_clin_off"])


def dsco_in_post(ctx: Context) -> pd.DataFrame:
    """A designated social care officer in post, January (collected from 2025; earlier years are
    "n/a" in the file and so missing)."""
    return held_years(_designated(ctx, ["des_so_care_off"]))


BUILDERS: dict[str, Callable[[Context], pd.DataFrame]] = {
    "tribunal_appeal_rate": tribunal_appeal_rate,
    "mediation_rate": mediation_rate,
    "wsoa_required": wsoa_required,
    "dmo_or_dco": dmo_or_dco,
    "dsco_in_post": dsco_in_post,
    "ehcp_rate": ehcp_rate,
    "requests_refused": requests_refused,
    "assessments_to_plan": assessments_to_plan,
    "timeliness_20_weeks": timeliness_20_weeks,
    "ceased_needs_met": ceased_needs_met,
    "mainstream_share": _share("Mainstream schools"),
    "sen_support_rate": sen_support_rate,
    **{f"perm_excl_{t}": _exclusions("perm_excl", t, 10_000) for t in SCHOOL_TYPES},
    **{f"suspension_{t}": _exclusions("suspension", t, 100) for t in SCHOOL_TYPES},
    "special_share": _share("Maintained and academy special schools"),
    "inmss_share": _share("Independent and non-maintained special schools"),
    "residential_rate": residential_rate,
    "post16_share": post16_share,
    "fe_share": _share("FE colleges and other post-16"),
    "specialist_post16_share": _share("Specialist post-16 institutions"),
    "work_based_rate": work_based_rate,
    "ceased_into_work_or_he": ceased_into_work_or_he,
}
"""Indicator id (as in ``themes.yaml``) -> builder."""

CASELOAD = frozenset({"ehcp_rate", "mainstream_share", "special_share", "inmss_share", "residential_rate",
                      "post16_share", "fe_share", "specialist_post16_share", "work_based_rate"})
"""The indicators built from the January caseload of EHC plans, which the data-quality screen
judges (:mod:`analysis.series.screen`): a flagged LA-year of these is shown but neither ranked
nor pooled into its neighbours' figure."""

POOLING = {"sen_support_rate": "median"}
"""How comparators are combined where not by summing counts (yes/no indicators: ``mean``)."""


def build_all(ctx: Context, ids) -> dict[str, pd.DataFrame]:
    """Every indicator in ``ids``: area series (``AREA_KEYS``, ``year``, ``value``, ``symbol``,
    and ``num``/``den``/``per`` for ratios), keeping only the years in which some area has a
    value."""
    out = {}
    for indicator in ids:
        series = held_years(BUILDERS[indicator](ctx))
        out[indicator] = series.drop(columns=[c for c in ("category",) if c in series.columns])
    return out
