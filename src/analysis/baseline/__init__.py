"""Baseline review of published data: the research's claims regenerated and extended.

``load_inputs()`` reads the processed tables once and builds every area series the baseline
notebook uses; the calculations live in :mod:`.calc`, the series in :mod:`.series`, the local
view in :mod:`.compare`, the research's claims in :mod:`.claims` and the generated wording of
findings in :mod:`.findings`.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis import data
from analysis.baseline import claims, series
from analysis.geography import ons_crosswalk

TABLES_USED = (
    "la_lookup", "statistical_neighbours", "ehcp_caseload_age", "ehcp_caseload_setting",
    "ehcp_mi", "ehcp_new_plans", "ehcp_timeliness", "exclusions", "tribunal_appeals",
    "dsg_high_needs", "dsg_cumulative_balance", "hn_benchmarking", "population",
)
"""The processed tables the baseline review reads."""


@dataclass
class Inputs:
    """Everything the baseline review reads, as area series (see :mod:`.calc`)."""

    lookup: pd.DataFrame
    units: pd.DataFrame
    neighbours: pd.DataFrame
    series: dict[str, pd.DataFrame]
    s251: pd.DataFrame


def load_inputs() -> Inputs:
    """Load the processed tables (building them if needed) and build every area series."""
    lookup = data.load(TABLES_USED[0])
    units = series.la_units(lookup)
    age = data.load("ehcp_caseload_age")
    setting = data.load("ehcp_caseload_setting")
    mi = data.load("ehcp_mi")
    dsg = data.load("dsg_high_needs")
    exclusions = data.load("exclusions")
    population = series.population_by_la(
        data.load("population"), ons_crosswalk(age, lookup), units)
    ehcp = series.ehcp_caseload(age, units)
    placements = series.placements(setting, units)
    built = {
        "ehcp": ehcp,
        "ehcp_by_age": series.ehcp_by_age(age, units),
        "post16_share": series.post16_share(age, units, ehcp),
        "population_0_25": population,
        "ehcp_rate": series.ehcp_rate_per_1000(ehcp, population),
        "placements": placements,
        "placement_shares": series.placement_shares(placements, ehcp),
        "specialist": series.specialist_placements(setting, units),
        "new_plans": series.new_plans(data.load("ehcp_new_plans"), mi, units),
        "timeliness": series.timeliness_20_weeks(data.load("ehcp_timeliness"), mi, units),
        "exclusion_counts": series.exclusion_counts(exclusions, units),
        "exclusion_rates": series.exclusion_rates(exclusions, units),
        "tribunal_rate": series.tribunal_appeal_rate(data.load("tribunal_appeals"), units),
        "hnb": series.hnb_allocation(dsg, units),
        "hnb_after": series.hnb_allocation(dsg, units, "hnb_after_deductions"),
        "dsg_balance": series.dsg_balance(data.load("dsg_cumulative_balance"), units),
    }
    return Inputs(lookup=lookup, units=units, neighbours=data.load("statistical_neighbours"),
                  series=built, s251=series.s251_high_needs_totals(data.load("hn_benchmarking")))


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
