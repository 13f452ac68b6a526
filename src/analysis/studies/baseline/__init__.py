"""Baseline review of published data: the research's claims regenerated and extended.

The area series come from :class:`analysis.series.store.SeriesStore`; the local view's LA and
comparators from :func:`local_area`; the research's claims in :mod:`.claims`, the charts in
:mod:`.figures` and the generated wording of findings in :mod:`.findings`.
"""

from __future__ import annotations

import pandas as pd

from analysis.series import comparators
from analysis.series.store import SeriesStore
from analysis.studies.baseline import claims


def local_area(series: SeriesStore, la_code: str | None, group: str | list[str]
               ) -> tuple[comparators.LocalArea | None, comparators.Comparators | None]:
    """The LA of a local view (None for England) and its comparator group: ``group`` is
    ``"statistical_neighbours"``, ``"region"`` or a list of LA codes."""
    if not la_code:
        return None, None
    area = comparators.resolve_la(la_code, series.units, series.lookup)
    return area, comparators.comparator_group(area, group, series.units, series.neighbours)


def research_claims(series: SeriesStore) -> pd.DataFrame:
    """The claims table for the nine claims of the research's phase 1 (see :mod:`.claims`)."""
    s = series
    exclusions_release = ", ".join(src.vintage for src in s.sources("exclusion_counts"))
    return claims.claims_table([
        claims.ehcp_growth(s["ehcp"]),
        claims.specialist_growth(s["specialist"]),
        claims.exclusions_growth(s["exclusion_counts"], release=exclusions_release),
        claims.s251_above_hnb(s["s251_totals"], s["hnb_after"]),
        claims.overspend_share(s["s251_totals"], s["hnb_after"]),
        claims.dsg_carry_forward(s["dsg_balance"], s["dsg_balance_gbp"]),
        claims.rebaselining(s["hnb"]),
        claims.adcs_survey(s["dsg_balance"]),
        claims.post16_share_claim(s["post16_share"]),
    ])
