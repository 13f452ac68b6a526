"""The summary of findings, worded from computed values (no number is typed by hand)."""

from __future__ import annotations

import pandas as pd

from analysis.series.area import england_values as _england
from analysis.series.calc import change_over_window, percent_text
from analysis.studies.baseline.claims import NOT_TESTABLE, REPRODUCED
from analysis.tables.conventions import year_label
from analysis.vocabulary import ENGLAND, LA_LEVEL


def claims_sentence(claims: pd.DataFrame) -> str:
    """How many of the research's claims were reproduced, differ, or cannot be tested."""
    testable = claims[claims["status"].ne(NOT_TESTABLE)]
    done = testable[testable["status"].eq(REPRODUCED)]
    differs = testable[testable["status"].ne(REPRODUCED)]
    text = (f"Of the research's {len(claims)} claims from published data, {len(testable)} can be "
            f"tested with the data held and {len(done)} of them are reproduced "
            f"({', '.join(done['claim_id'])})")
    if len(differs):
        text += f"; {', '.join(differs['claim_id'])} differ"
    untested = claims[claims["status"].eq(NOT_TESTABLE)]
    return text + (f". The other {len(untested)} ({', '.join(untested['claim_id'])}) need S251, "
                   "DSG or survey data not held; the nearest tests the data allow are in the "
                   "claims table.")


def national_findings(series, start_year: int) -> list[str]:
    """Sentences on England from ``start_year`` to the latest year of each series (``series``:
    a :class:`analysis.series.store.SeriesStore`, or any mapping of series names to frames)."""
    ehcp = _england(series["ehcp"])
    last = int(ehcp.index.max())
    start = max(start_year, int(ehcp.index.min()))
    rate = _england(series["ehcp_rate"])
    post16 = _england(series["post16_share"])
    special_group, inmss_group = ("Maintained and academy special schools",
                                  "Independent and non-maintained special schools")
    special = _england(series["placement_shares"], special_group)
    inmss = _england(series["placement_shares"], inmss_group)
    special_n = _england(series["placements"], special_group)
    inmss_n = _england(series["placements"], inmss_group)
    post16_n = _england_counts(series["post16_share"])
    timely = _england(series["timeliness"])
    excl = _england(series["exclusion_rates"], "Total")
    tribunal = _england(series["tribunal_rate"])
    hnb = _england(series["hnb"])
    growth = change_over_window(series["ehcp"], start, last)
    las = growth[growth["level"].eq(LA_LEVEL)]["pct_change"].dropna()
    return [
        f"EHC plans and statements in England rose from {ehcp[start]:,.0f} in January {start} to "
        f"{ehcp[last]:,.0f} in January {last} ({percent_text(100 * (ehcp[last] / ehcp[start] - 1))}); "
        f"the rise was faster than {percent_text(100 * las.lt(100 * (ehcp[last] / ehcp[start] - 1)).mean())} "
        f"of LAs' own (LA median {percent_text(las.median())}).",
        f"Per 1,000 residents aged 0-25 the rate went from {rate.iloc[0]:.1f} (January "
        f"{rate.index[0]}) to {rate.iloc[-1]:.1f} (January {rate.index[-1]}, the latest year with "
        "population estimates held).",
        f"Young people aged 16-25 held {percent_text(post16.iloc[-1])} of plans in January "
        f"{post16.index[-1]} ({post16_n.iloc[-1]:,.0f} plans; January {start}: "
        f"{percent_text(post16.get(start))}, {post16_n.get(start, float('nan')):,.0f}).",
        f"The share of plans in maintained and academy special schools fell from "
        f"{percent_text(special.get(start))} to {percent_text(special.iloc[-1])} from January "
        f"{start} to January {special.index[-1]}, while the number of those plans "
        f"{_rose(special_n.get(start), special_n.iloc[-1])}: plans grew faster elsewhere. "
        f"Independent and non-maintained special schools held {percent_text(inmss.iloc[-1])} "
        f"({inmss_n.iloc[-1]:,.0f} plans).",
        f"{percent_text(timely.iloc[-1])} of new plans were issued within 20 weeks in "
        f"{timely.index[-1]} (peak {percent_text(timely.max())} in {timely.idxmax()}).",
        f"Permanent exclusions reached {excl.iloc[-1]:.0f} per 10,000 pupils in "
        f"{year_label(int(excl.index[-1]), 'academic')}, against {excl.get(start, float('nan')):.0f} in "
        f"{year_label(start, 'academic')}.",
        f"SEND Tribunal appeals rose to {tribunal.iloc[-1]:.1f} per 100 appealable decisions in "
        f"{tribunal.index[-1]} ({tribunal.iloc[0]:.1f} in {tribunal.index[0]}).",
        f"The high needs block was £{hnb.iloc[-1] / 1e9:.2f}bn in "
        f"{year_label(int(hnb.index[-1]), 'financial')}, "
        f"{percent_text(100 * (hnb.iloc[-1] / hnb.iloc[0] - 1))} more than in "
        f"{year_label(int(hnb.index[0]), 'financial')} in cash terms (not adjusted for inflation).",
    ]


def _england_counts(ratio: pd.DataFrame) -> pd.Series:
    """England's numerators of a ratio series (e.g. the plans behind a share), by year."""
    rows = ratio[ratio["area_code"].eq(ENGLAND["area_code"]) & ratio["num"].notna()]
    return rows.set_index("year")["num"].sort_index()


def _rose(start: float, end: float) -> str:
    """ "rose from 90,000 to 155,000 (+72%)" or "fell from ..." for two counts."""
    verb, word = ("rose", "up") if end >= start else ("fell", "down")
    return (f"{verb} from {start:,.0f} to {end:,.0f} "
            f"({word} {percent_text(abs(100 * (end / start - 1)))})")


def local_findings(view_frames: dict[str, tuple[pd.DataFrame, str]], name: str) -> list[str]:
    """Sentences comparing the LA with England and its comparators on the latest values of
    each local-view frame: ``{label: (frame with role/year/value, year kind)}``, the year kind
    as in :func:`analysis.tables.conventions.year_label` (``census``, ``academic``, ...). An LA made by
    a reorganisation is given its own figure (role ``LA own``) before the combined area's."""
    sentences = []
    for label, (frame, kind) in view_frames.items():
        latest = frame[frame["value"].notna()]
        la = latest[latest["role"].eq("LA")]
        if la.empty:
            sentences.append(f"{label}: no figure for {name}.")
            continue
        own = latest[latest["role"].eq("LA own")]
        year = int(la["year"].max())
        at = latest[latest["year"].eq(year)].set_index("role")["value"]
        parts = [f"{name} {at['LA']:.1f}"]
        if not own.empty and int(own["year"].max()) == year:
            own_name = own["area_name"].iloc[0]
            parts = [f"{own_name} {at['LA own']:.1f} (its own figure)",
                     f"{name}, the combined area, {at['LA']:.1f}"]
        if "England" in at:
            parts.append(f"England {at['England']:.1f}")
        if "Comparators" in at:
            parts.append(f"comparators {at['Comparators']:.1f}")
        sentences.append(f"{label} ({year_label(year, kind)}): " + ", ".join(parts) + ".")
    return sentences
