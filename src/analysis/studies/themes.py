"""The six good-practice themes, the indicators linked to them and the keywords that code free
text to them (``themes.yaml``, package data): one file for the profiles and the survey.

:func:`load` reads and checks the file: every theme has three key messages with a prompt, every
link names a defined indicator with its reasoning and limits, every indicator is linked to a
theme and states its unit, source, years and polarity (``higher``/``lower`` is better, or
``neither``) with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

from analysis.tables import breaks

POLARITIES = ("higher", "lower", "neither")
INDICATOR_FIELDS = ("title", "unit", "polarity", "polarity_reason", "source", "years", "period",
                    "decimals")
PERIODS = ("calendar", "academic", "census")


@dataclass(frozen=True)
class Indicator:
    """What one indicator measures and how to read it (see ``themes.yaml``)."""

    id: str
    title: str
    unit: str
    polarity: str          # "higher" or "lower" (is better), or "neither"
    polarity_reason: str
    source: str
    years: str             # what the year of a value means
    period: str            # kind of year for labels (analysis.tables.conventions.year_label)
    decimals: int
    binary: bool = False   # a yes/no per LA, shown as 100/0; groups give the % of LAs with yes
    when: str = ""         # words for the time of every value, where a year label would mislead
    comparable_from: int | None = None   # first year of the current definition: trends start there


@dataclass(frozen=True)
class Link:
    """Why an indicator speaks to a theme, and what it cannot say."""

    indicator: str
    reasoning: str
    limits: str


@dataclass(frozen=True)
class Theme:
    id: str
    title: str
    key_messages: tuple[dict, ...]   # {"message": ..., "prompt": ...}
    links: tuple[Link, ...]
    not_reached: str
    keywords: tuple[str, ...]        # codes survey free text (see analysis.studies.survey.themes)


@dataclass(frozen=True)
class Catalogue:
    source: str
    themes: tuple[Theme, ...]
    indicators: dict[str, Indicator]

    def theme_of(self, indicator_id: str) -> Theme:
        return next(t for t in self.themes if any(k.indicator == indicator_id for k in t.links))


class ThemesError(ValueError):
    """``themes.yaml`` is incomplete or inconsistent (the message names the entry)."""


def _indicator(key: str, raw: dict) -> Indicator:
    missing = [f for f in INDICATOR_FIELDS if raw.get(f) in (None, "")]
    if missing:
        raise ThemesError(f"themes.yaml: indicator {key!r} lacks {missing}")
    if raw["polarity"] not in POLARITIES:
        raise ThemesError(f"themes.yaml: indicator {key!r} polarity {raw['polarity']!r} is not one "
                          f"of {POLARITIES}")
    if raw["period"] not in PERIODS:
        raise ThemesError(f"themes.yaml: indicator {key!r} period {raw['period']!r} is not one "
                          f"of {PERIODS}")
    unknown = set(raw) - set(INDICATOR_FIELDS) - {"binary", "when", "comparable_from"}
    if unknown:
        raise ThemesError(f"themes.yaml: indicator {key!r} has unknown fields {sorted(unknown)}")
    if "comparable_from" in raw:   # a break's key: the year comes from the one place breaks are named
        if raw["comparable_from"] not in breaks.BREAKS:
            raise ThemesError(f"themes.yaml: indicator {key!r} comparable_from {raw['comparable_from']!r} "
                              f"is not a break (one of {', '.join(breaks.BREAKS)})")
        raw = {**raw, "comparable_from": breaks.BREAKS[raw["comparable_from"]].year}
    return Indicator(id=key, **raw)


def _theme(raw: dict, indicators: dict) -> Theme:
    where = f"themes.yaml: theme {raw.get('id')!r}"
    messages = raw.get("key_messages") or []
    if len(messages) != 3 or any(not m.get("message") or not m.get("prompt") for m in messages):
        raise ThemesError(f"{where} needs three key messages, each with a message and a prompt")
    links = []
    for item in raw.get("indicators") or []:
        if item.get("id") not in indicators:
            raise ThemesError(f"{where} links an undefined indicator {item.get('id')!r}")
        if not item.get("reasoning") or not item.get("limits"):
            raise ThemesError(f"{where}, indicator {item['id']!r}: reasoning and limits are required")
        links.append(Link(item["id"], item["reasoning"].strip(), item["limits"].strip()))
    if not links or not raw.get("not_reached"):
        raise ThemesError(f"{where} needs at least one indicator and a 'not_reached' statement")
    keywords = raw.get("keywords") or []
    if not keywords or not all(isinstance(k, str) and k.strip() for k in keywords):
        raise ThemesError(f"{where} needs a list of keywords (for coding survey free text)")
    return Theme(id=raw["id"], title=raw["title"], key_messages=tuple(messages), links=tuple(links),
                 not_reached=" ".join(raw["not_reached"].split()), keywords=tuple(keywords))


def parse(text: str) -> Catalogue:
    """Check and read the themes file's text (see the module docstring for the rules)."""
    raw = yaml.safe_load(text)
    indicators = {k: _indicator(k, v) for k, v in raw["indicators"].items()}
    themes = tuple(_theme(t, indicators) for t in raw["themes"])
    linked = [link.indicator for t in themes for link in t.links]
    twice = sorted({i for i in linked if linked.count(i) > 1})
    unlinked = sorted(set(indicators) - set(linked))
    if twice or unlinked:
        raise ThemesError(f"themes.yaml: each indicator belongs to one theme; linked twice: "
                          f"{twice}, not linked: {unlinked}")
    return Catalogue(source=" ".join(raw["source"].split()), themes=themes, indicators=indicators)


@cache
def load() -> Catalogue:
    """The package's themes and indicators."""
    return parse(resources.files("analysis.studies").joinpath("themes.yaml").read_text("utf-8"))
