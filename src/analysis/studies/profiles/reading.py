"""Generated wording of a profile: one sentence per indicator and a short reading per theme.

Comparisons are made on the values rounded as shown (``decimals`` of the indicator), so the
words never contradict the numbers printed beside them. Rank 1 is the highest value; whether
that is good is said only where the indicator's polarity says so.
"""

from __future__ import annotations

import math

import pandas as pd

from analysis.series.calc import round_half_up
from analysis.studies.profiles.benchmarks import why_missing
from analysis.studies.themes import Indicator, Theme
from analysis.tables.conventions import year_label

QUARTER_WORDS = {1: "highest quarter", 2: "second-highest quarter", 3: "second-lowest quarter",
                 4: "lowest quarter"}


def number(value: float, decimals: int) -> str:
    """``value`` rounded half up to ``decimals`` with thousands separators; NaN -> "n/a"."""
    if pd.isna(value):
        return "n/a"
    return f"{round_half_up(value, decimals):,.{decimals}f}"


def compare(value: float, other: float, decimals: int) -> str:
    """"above", "below" or "the same as" ``other``, judged on the rounded values."""
    a, b = round_half_up(value, decimals), round_half_up(other, decimals)
    return "above" if a > b else "below" if a < b else "the same as"


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def rank_words(rank: int, of: int) -> str:
    """A rank as a person says it: "the highest of 150 LAs", "75th highest of 150 LAs", "the
    lowest of 150 LAs" (rank 1 = the highest value)."""
    if rank == 1:
        return f"the highest of {of} LAs"
    if rank == of:
        return f"the lowest of {of} LAs"
    return f"{ordinal(rank)} highest of {of} LAs"


def quarter_words(rank: int, of: int) -> str:
    """Which quarter of ``of`` LAs a rank falls in, as words, from "the highest quarter" (rank
    1 = the highest value) to "the lowest quarter": quartile ceil(4 x rank / of), as
    :func:`analysis.series.calc.rank_areas` numbers them."""
    return "the " + QUARTER_WORDS[min(4, math.ceil(4 * rank / of))]


def bar_position(rank: int, of: int) -> float:
    """Where a rank sits on a bar from the lowest value (0%) to the highest (100%)."""
    return 100.0 if of <= 1 else round(100 * (of - rank) / (of - 1), 1)


def in_sentence(title: str) -> str:
    """A title inside a sentence: first letter lower-cased unless it starts an acronym
    ("Plans in mainstream schools" -> "plans in ...", "SEND Tribunal" unchanged)."""
    return title if title[:2].isupper() else title[:1].lower() + title[1:]


def yes_no(value: float) -> str:
    """A yes/no indicator's LA value (100 or 0) in words."""
    return "n/a" if pd.isna(value) else "yes" if value >= 50 else "no"


def polarity_text(meta: Indicator) -> str:
    if meta.polarity == "neither":
        return f"Higher is neither better nor worse: {meta.polarity_reason}"
    return f"{meta.polarity.capitalize()} is better: {meta.polarity_reason}"


def period(meta: Indicator, year: int) -> str:
    """Words for the time of a value: the indicator's ``when`` if set, else the year label."""
    return meta.when or year_label(int(year), meta.period)


def indicator_sentence(row: pd.Series, meta: Indicator, name: str) -> str:
    """One indicator for one LA: value, England, neighbours, rank and trend, or why it is not
    available. ``row`` is the LA's row of the profile summary."""
    d = meta.decimals
    when = period(meta, row["year"])
    if pd.isna(row["value"]):
        return (f"**{meta.title}**: not available for {name} in {when} "
                f"({why_missing(row['symbol'])}). England: {number(row['england'], d)}.")
    if meta.binary:
        return (f"**{meta.title}**: {yes_no(row['value'])} ({when}); "
                f"{number(row['england'], 0)}% of LAs in England and "
                f"{number(row['neighbours'], 0)}% of its statistical neighbours with a figure "
                f"({row['neighbours_n']} of {row['neighbours_of']}).")
    counts = ""
    if meta.unit.startswith("%") and pd.notna(row.get("num")) and pd.notna(row.get("den")):
        counts = f", {number(row['num'], 0)} of {number(row['den'], 0)}"
    parts = [f"**{meta.title}**: {number(row['value'], d)} ({meta.unit}{counts}) in {when}"]
    refs = []
    if pd.notna(row["england"]):
        refs.append(f"{compare(row['value'], row['england'], d)} England "
                    f"({number(row['england'], d)})")
    if pd.notna(row["neighbours"]):
        some = ("" if row["neighbours_n"] == row["neighbours_of"]
                else f", {row['neighbours_n']} of {row['neighbours_of']} with a figure")
        refs.append(f"{compare(row['value'], row['neighbours'], d)} its statistical neighbours "
                    f"({number(row['neighbours'], d)}{some})")
    text = parts[0] + (", " + " and ".join(refs) if refs else "") + "."
    if row.get("flagged", False):
        text += (f" Not ranked: the data-quality screen flags {name}'s count of EHC plans in "
                 f"{when} as implausible (a one-year change far outside its own history and "
                 "other LAs' that year), so it is shown as published but not compared.")
    elif pd.notna(row["rank"]):
        rank = rank_words(int(row["rank"]), int(row["rank_n"]))
        text += (f" {rank[:1].upper()}{rank[1:]} "
                 f"({QUARTER_WORDS[int(row['quartile'])]}).")
    own_latest = row.get("series_code") != row.get("trend_code")
    if own_latest and pd.notna(row["first_year"]) and row["first_year"] < row["trend_year"]:
        move = compare(row["trend_value"], row["first_value"], d)
        trend = {"above": "up", "below": "down", "the same as": "unchanged"}[move]
        text += (f" Across the boundary change, the combined area's figure is {trend} from "
                 f"{number(row['first_value'], d)} in {period(meta, row['first_year'])} to "
                 f"{number(row['trend_value'], d)} in {period(meta, row['trend_year'])}.")
    elif pd.notna(row["first_year"]) and row["first_year"] < row["year"]:
        move = compare(row["value"], row["first_value"], d)
        trend = {"above": "Up", "below": "Down", "the same as": "Unchanged"}[move]
        text += f" {trend} from {number(row['first_value'], d)} in {period(meta, row['first_year'])}."
    elif pd.notna(row["first_year"]):
        text += " First year published, so no trend yet."
    if meta.comparable_from is not None and pd.notna(row["first_year"]):
        text += (f" The publisher's method changed in {period(meta, meta.comparable_from)}, so the "
                 "trend starts there.")
    return text


def theme_reading(theme: Theme, summary: pd.DataFrame, indicators: dict[str, Indicator],
                  name: str) -> str:
    """A short paragraph for one theme: how many indicators have a figure, and where the LA
    sits on those where higher or lower is clearly better."""
    shown, total, better, worse = theme_standing(theme, summary, indicators)
    text = [f"{shown} of {total} indicators in this theme have a figure for {name}."]
    if better:
        text.append(f"Better than England (or yes where yes is better) on: {'; '.join(better)}.")
    if worse:
        text.append(f"Worse than England (or no where yes is better) on: {'; '.join(worse)}.")
    if not better and not worse:
        text.append("None of its indicators with a clear direction differs from England.")
    return " ".join(text)


def theme_standing(theme: Theme, summary: pd.DataFrame, indicators: dict[str, Indicator]
                   ) -> tuple[int, int, list[str], list[str]]:
    """How many of a theme's indicators have a figure, how many it has, and the titles (in a
    sentence) of those where the LA is better and worse than England (indicators with a clear
    direction; a yes/no is better or worse by itself)."""
    rows = summary.loc[[link.indicator for link in theme.links]]
    shown = rows[rows["value"].notna()]
    better, worse = [], []
    for key, row in shown.iterrows():
        meta = indicators[key]
        if meta.polarity == "neither" or pd.isna(row["england"]):
            continue
        if meta.binary:  # a yes/no is good or not by itself, whatever the share of LAs
            side = "above" if row["value"] >= 50 else "below"
        else:
            side = compare(row["value"], row["england"], meta.decimals)
        if side != "the same as":
            good = (side == "above") == (meta.polarity == "higher")
            (better if good else worse).append(in_sentence(meta.title))
    return len(shown), len(rows), better, worse


def glance_words(shown: int, total: int, better: list[str], worse: list[str]) -> str:
    """A theme in one sentence for the summary: indicators better and worse than England."""
    if not shown:
        return f"None of its {total} indicators has a figure."
    counted = f"{shown} of {total} indicators have a figure"
    if not better and not worse:
        return f"{counted}; none with a clear direction differs from England."
    def count(titles: list[str]) -> str:
        return str(len(titles)) if titles else "none"

    return f"{counted}: better than England on {count(better)}, worse on {count(worse)}."
