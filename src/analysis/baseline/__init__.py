"""Baseline review of published data: the research's claims regenerated and extended.

``load_inputs()`` reads the processed tables once and builds every area series the baseline
notebook uses; the calculations live in :mod:`.calc`, the series in :mod:`.series`, the local
view in :mod:`.compare`, the research's claims in :mod:`.claims` and the generated wording of
findings in :mod:`.findings`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import pandas as pd

from analysis import data
from analysis.baseline import claims, series
from analysis.geography import ons_crosswalk

TABLES_USED = (
    "la_lookup", "statistical_neighbours", "ehcp_caseload_age", "ehcp_caseload_setting",
    "ehcp_mi", "ehcp_new_plans_history", "ehcp_new_plans", "ehcp_timeliness", "exclusions",
    "tribunal_appeals",
    "dsg_high_needs", "dsg_cumulative_balance", "hn_benchmarking", "population",
    "lait_indicators",
)
"""The processed tables the baseline review reads."""


@dataclass
class Inputs:
    """Everything the baseline review reads, as area series (see :mod:`.calc`)."""

    lookup: pd.DataFrame
    units: pd.DataFrame
    neighbours: pd.DataFrame
    series: dict[str, pd.DataFrame]
    s251: pd.DataFrame | None   # None when load_inputs was asked for named series only


SERIES = ("ehcp", "ehcp_by_age", "post16_share", "population_0_25", "ehcp_rate", "placements",
          "placement_total", "placement_shares", "specialist", "new_plans", "timeliness", "exclusion_counts",
          "exclusion_rates", "tribunal_rate", "hnb", "hnb_after", "dsg_balance")
"""The area series :func:`load_inputs` builds, by name."""


ROWS_USED = {
    "ehcp_caseload_age": [("measure", "==", "total")],
    "ehcp_caseload_setting": [("measure", "==", "total")],
    "ehcp_timeliness": [("breakdown_topic", "==", "All EHC plans issued")],
}
"""The only rows of these tables any series reads (EHC plans plus statements; all plans issued),
read alone: the rest are splits and percentages (about 150 MB in memory)."""


def load_inputs(names: tuple[str, ...] = SERIES) -> Inputs:
    """Load the processed tables (building them if needed) and build the area series ``names``
    (default: all of :data:`SERIES`, and the S251 totals), each table read and each series
    built once."""
    unknown = sorted(set(names) - set(SERIES))
    if unknown:
        raise ValueError(f"unknown series {unknown}; choose from {SERIES}")
    lookup = data.load(TABLES_USED[0])
    units = series.la_units(lookup)

    @cache
    def table(table_id: str) -> pd.DataFrame:
        return data.load(table_id, filters=ROWS_USED.get(table_id))

    builders = {
        "ehcp": lambda: series.ehcp_caseload(table("ehcp_caseload_age"), units),
        "ehcp_by_age": lambda: series.ehcp_by_age(table("ehcp_caseload_age"), units),
        "post16_share": lambda: series.post16_share(table("ehcp_caseload_age"), units),
        "population_0_25": lambda: series.population_by_la(
            table("population"), ons_crosswalk(table("ehcp_caseload_age"), lookup), units),
        "ehcp_rate": lambda: series.ehcp_rate_per_1000(get("ehcp"), get("population_0_25")),
        "placements": lambda: series.placements(table("ehcp_caseload_setting"), units),
        "placement_total": lambda: series.placement_total(table("ehcp_caseload_setting"), units),
        "placement_shares": lambda: series.placement_shares(get("placements"),
                                                            get("placement_total")),
        "specialist": lambda: series.specialist_placements(table("ehcp_caseload_setting"), units),
        "new_plans": lambda: series.new_plans(table("ehcp_new_plans_history"),
                                                 table("ehcp_new_plans"), units),
        "timeliness": lambda: series.timeliness_20_weeks(table("ehcp_timeliness"),
                                                         table("ehcp_mi"), units),
        "exclusion_counts": lambda: series.exclusion_counts(table("exclusions"), units),
        "exclusion_rates": lambda: series.exclusion_rates(table("exclusions"), units,
                                                          lait=table("lait_indicators")),
        "tribunal_rate": lambda: series.tribunal_appeal_rate(table("tribunal_appeals"), units),
        "hnb": lambda: series.hnb_allocation(table("dsg_high_needs"), units),
        "hnb_after": lambda: series.hnb_allocation(table("dsg_high_needs"), units,
                                                   "hnb_after_deductions"),
        "dsg_balance": lambda: series.dsg_balance(table("dsg_cumulative_balance"), units),
    }
    built: dict[str, pd.DataFrame] = {}

    def get(name: str) -> pd.DataFrame:
        if name not in built:
            built[name] = builders[name]()
        return built[name]

    for name in names:
        get(name)
    s251 = (series.s251_high_needs_totals(table("hn_benchmarking")) if set(names) == set(SERIES)
            else None)
    return Inputs(lookup=lookup, units=units, neighbours=table("statistical_neighbours"),
                  series={n: built[n] for n in SERIES if n in built}, s251=s251)


def research_claims(inputs: Inputs) -> pd.DataFrame:
    """The claims table for the nine claims of the research's phase 1 (see :mod:`.claims`)."""
    s = inputs.series
    return claims.claims_table([
        claims.ehcp_growth(s["ehcp"]),
        claims.specialist_growth(s["specialist"]),
        claims.exclusions_growth(s["exclusion_counts"]),
        claims.s251_above_hnb(inputs.s251, s["hnb_after"]),
        claims.overspend_share(inputs.s251, s["hnb_after"]),
        claims.dsg_carry_forward(s["dsg_balance"]),
        claims.rebaselining(s["hnb"]),
        claims.adcs_survey(s["dsg_balance"]),
        claims.post16_share_claim(s["post16_share"]),
    ])


def sources_used() -> pd.DataFrame:
    """The official files behind the baseline review: publisher, publication, release, file
    name and sha256, one row per source file, in catalogue order of the tables used."""
    return pd.DataFrame(data.sources_of(TABLES_USED))
