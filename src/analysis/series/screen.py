"""The data-quality screen: an LA's one-year change far outside both its own history and its
peers' changes that year is flagged, so no model takes it as a base.

:func:`screen` walks each LA's series year by year. The change into a year (log of this year's
value over the last plausible one, per year between them) is flagged when all three hold:

- it is more than :data:`OWN_LIMIT` robust deviations from the LA's own earlier changes (at
  least :data:`MIN_HISTORY` of them; median, and the median absolute deviation scaled to a
  standard deviation, at least :data:`FLOOR`);
- it is more than :data:`PEER_LIMIT` robust deviations from every LA's change that year;
- it is a change of at least :data:`MIN_CHANGE` (log) and :data:`MIN_COUNT` in number, so a
  small LA's noise (the Isles of Scilly's handful of plans) is left alone.

Only data up to the year judged are used (earlier changes, every LA's change that year, the
region's growth to it), so a forecast cut at any origin sees no later year through the screen.
A flagged value is kept as published and listed; the screened series carries in its place the
last plausible value grown by the LA's region since then (its ``screened`` column says so), and
the next year's change is measured from that, so a return that recovers is not flagged too.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.vocabulary import LA_LEVEL, REGIONAL, SUCCESSOR_LEVEL

OWN_LIMIT = 5.0
PEER_LIMIT = 5.0
FLOOR = 0.05
MIN_HISTORY = 3
"""Earlier yearly changes an LA needs before its own history can call a change unusual."""
MIN_CHANGE = float(np.log(1.5))
"""A change of at least half again (or a fall to two thirds) before anything is flagged."""
MIN_COUNT = 50
"""A change of at least this many (plans) before anything is flagged."""
MAD_SCALE = 1.4826
"""Median absolute deviation to standard deviation, for normal data."""

FLAG_COLUMNS = ["area_code", "area_name", "level", "year", "published", "last_plausible",
                "last_plausible_year", "change_pct", "own_median_pct", "own_score", "peers_median_pct",
                "peer_score", "replacement"]


def rule() -> str:
    """The screen's test in words, with its thresholds."""
    return (f"a one-year rise of at least {np.expm1(MIN_CHANGE) * 100:.0f}% (or a fall to "
            f"{np.exp(-MIN_CHANGE) * 100:.0f}% or less), of at least {MIN_COUNT} plans, that "
            f"is more than {OWN_LIMIT:g} robust standard deviations from the LA's own earlier yearly "
            f"changes and more than {PEER_LIMIT:g} from every LA's change that year is flagged; a "
            "flagged value is kept as published but not used as a model's base (the last plausible "
            "value, grown with the LA's region since, stands in its place), nor ranked or pooled "
            "into other LAs' neighbours in the profiles")


def _robust(values: np.ndarray) -> tuple[float, float]:
    values = values[np.isfinite(values)]
    if len(values) == 0:
        return np.nan, np.nan
    median = float(np.median(values))
    return median, float(MAD_SCALE * np.median(np.abs(values - median)))


def screen(series: pd.DataFrame, regions: pd.Series) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(flags, screened series) for an area series (area_code, area_name, level, year, value,
    ...); ``regions``: LA code -> region name (the series' regional rows give the growth a
    replacement is carried by). LA and successor LA rows are screened; regions and England are
    left as published (see :data:`FLAG_COLUMNS` for the flags' columns)."""
    las = series[series["level"].isin([LA_LEVEL, SUCCESSOR_LEVEL])]
    wide = las.pivot_table(index=["area_code", "level"], columns="year", values="value")
    changes = np.log(wide).diff(axis=1)
    peers = changes.xs(LA_LEVEL, level="level")
    peer_stats = {y: _robust(peers[y].to_numpy()) for y in peers.columns}
    region_totals = series[series["level"].eq(REGIONAL)].pivot_table(
        index="area_code", columns="year", values="value")
    names = series.drop_duplicates(["area_code", "level"]).set_index(["area_code", "level"])["area_name"]
    flags, screened = [], wide.copy()
    for (code, level), row in wide.iterrows():
        own_changes = changes.loc[(code, level)].to_numpy()
        last_year, last_value = None, None
        for year, value in row.items():
            if not np.isfinite(value):
                continue
            if last_year is None:
                last_year, last_value = year, value
                continue
            change = np.log(value / last_value) / (year - last_year)
            earlier = own_changes[np.array([y < year for y in row.index])]
            earlier = earlier[np.isfinite(earlier)]
            own_median, own_sd = _robust(earlier) if len(earlier) >= MIN_HISTORY else (np.nan, np.nan)
            peer_median, peer_sd = peer_stats.get(year, (np.nan, np.nan))
            own_score = abs(change - own_median) / max(own_sd, FLOOR) if np.isfinite(own_median) else 0.0
            # (no history to judge by: never flagged)
            peer_score = abs(change - peer_median) / max(peer_sd, FLOOR) if np.isfinite(peer_median) else 0.0
            if (own_score > OWN_LIMIT and peer_score > PEER_LIMIT and abs(change) >= MIN_CHANGE
                    and abs(value - last_value) >= MIN_COUNT):
                region = regions.get(code)
                growth = (region_totals.loc[region, year] / region_totals.loc[region, last_year]
                          if region in region_totals.index else 1.0)
                replacement = last_value * growth
                screened.loc[(code, level), year] = replacement
                flags.append({"area_code": code, "area_name": names[(code, level)], "level": level,
                              "year": year, "published": value, "last_plausible": last_value,
                              "last_plausible_year": last_year, "change_pct": np.expm1(change) * 100,
                              "own_median_pct": np.expm1(own_median) * 100, "own_score": own_score,
                              "peers_median_pct": np.expm1(peer_median) * 100, "peer_score": peer_score,
                              "replacement": replacement})
                last_value, last_year = replacement, year
                continue
            last_year, last_value = year, value
    flag_frame = pd.DataFrame(flags, columns=FLAG_COLUMNS)
    long = screened.stack().rename("screened_value").reset_index()
    out = series.merge(long, on=["area_code", "level", "year"], how="left")
    changed = out["screened_value"].notna() & out["screened_value"].ne(out["value"])
    out = out.assign(value=out["screened_value"].where(changed, out["value"]), screened=changed)
    return flag_frame, out.drop(columns="screened_value")
