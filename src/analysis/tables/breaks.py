"""Breaks in the basis of a published series: one place that names them and words them.

A chart or trend that spans a break says so under it (:func:`notes`); a panel that measures
change across a break drops that change (see :mod:`analysis.studies.drivers.panel`). Years are the
project's ``year`` key (the end year of the period, see :mod:`analysis.tables.conventions`).
"""

from __future__ import annotations

from dataclasses import dataclass

from analysis.tables.readers.tribunals import METHOD_CHANGE_NOTE, REVISED_NOTE


@dataclass(frozen=True)
class Break:
    """A change in a publisher's basis: values from ``year`` on are not like those before."""

    key: str
    year: int
    note: str


SEN2_PERSON_LEVEL = Break(
    "sen2_person_level", 2023,
    "SEN2 became a person-level collection in January 2023 (aggregate LA returns before); DfE's "
    "data guidance says the time series breaks there, so changes across January 2023 mix real "
    "change with the new method.")

POPULATION_CENSUS_2021 = Break(
    "population_census_2021", 2022,
    "Population estimates from mid-2021 (paired with January 2022) are based on Census 2021; the "
    "mid-2014 to mid-2020 estimates held are not rebased to it, so rates per head step at January "
    "2022 (England's 0-25 population falls 2.1% on paper). ONS's rebased mid-2011 to mid-2022 "
    "series would close the break; only its 2011 and 2022 columns are held.")

TRIBUNAL_DECISIONS_2023 = Break("tribunal_decisions_2023", 2023, METHOD_CHANGE_NOTE)

TRIBUNAL_DECISIONS_2024 = Break("tribunal_decisions_2024", 2024, REVISED_NOTE)

BREAKS = {b.key: b for b in (SEN2_PERSON_LEVEL, POPULATION_CENSUS_2021, TRIBUNAL_DECISIONS_2023,
                             TRIBUNAL_DECISIONS_2024)}
"""Every break, by key."""


def spanned(breaks, first: int, last: int) -> list[Break]:
    """The ``breaks`` (objects or keys) that fall inside a window: ``first < year <= last``."""
    found = [BREAKS[b] if isinstance(b, str) else b for b in breaks]
    return [b for b in found if first < b.year <= last]


def notes(breaks, first: int, last: int) -> str:
    """The notes of the ``breaks`` a chart from ``first`` to ``last`` spans, as one text."""
    return " ".join(b.note for b in spanned(breaks, first, last))
