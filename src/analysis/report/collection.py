"""What a collection's hooks give the publishing layer (see ``notebooks/pipeline.yaml``): its
pages (:class:`PageSet`, from the ``each`` hook) and its index page (:class:`IndexTable`, from
the ``index`` hook), with the rows, cells and spreadsheet tables they hold. Typed, so a hook and
the site writer agree on every field; below the studies, so a study can build them without
importing the publishing layer.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd


@dataclass(frozen=True)
class PageSet:
    """One page of a collection: ``key`` (its file name, e.g. an LA code), the notebook's
    ``parameters`` and the ``labels`` its title is formatted with (e.g. ``name``, ``code``)."""

    key: str
    parameters: dict
    labels: dict

    def label(self) -> str:
        """How "find your area" lists the page: "Kent (886)" from its name and code labels, else
        its key."""
        name = self.labels.get("name")
        return f"{name} ({self.labels.get('code', self.key)})" if name else str(self.key)


@dataclass(frozen=True)
class SheetTable:
    """One table for a spreadsheet's sheet: its title (the finding or what it holds), the data,
    the unit or measure it is in, its source and the CSV it is published as."""

    title: str
    frame: pd.DataFrame
    measure: str = ""
    source: str = ""
    csv: str = ""


@dataclass(frozen=True)
class IndexColumn:
    """A column of the index table: one indicator, its ``unit`` and period (``when``, in words)
    and the ``theme`` it belongs to (shown on hover)."""

    id: str
    title: str
    unit: str
    when: str
    theme: str


@dataclass(frozen=True)
class IndexCell:
    """A value as shown (``text``) and how it sorts (``sort``: the number as text, or "" when
    not available, so it sorts last)."""

    text: str
    sort: str


@dataclass(frozen=True)
class IndexRow:
    """One page's row: the area's code, name, region and type, the link to its page (None when
    it has none) and a cell per column."""

    code: str
    name: str
    region: str
    la_type: str
    link: str | None
    cells: tuple[IndexCell, ...] = ()


@dataclass(frozen=True)
class ThemeNote:
    """What the index page says of one theme: each indicator as (title, why, its limits), what
    the data cannot show and the key messages (each with ``message`` and ``prompt``)."""

    id: str
    title: str
    items: tuple[tuple[str, str, str], ...]
    not_reached: str = ""
    messages: tuple = ()


@dataclass(frozen=True)
class IndexTable:
    """A collection's index page and downloads: ``title``, ``intro`` paragraphs, the sortable
    table (``columns``, ``rows``), ``footnote``, per-theme ``notes``, a ``summary`` for the
    site's index, what the collection's parameter means (``parameters``), the spreadsheet
    (``workbook_about`` paragraphs and ``workbook_tables``; none when empty), the collection's
    CSV downloads (``csv``, by name) and each page's (``page_csv``, by key)."""

    title: str
    intro: tuple
    columns: tuple[IndexColumn, ...]
    rows: tuple[IndexRow, ...]
    footnote: str
    summary: str
    parameters: dict
    notes: tuple[ThemeNote, ...] = ()
    workbook_about: tuple[str, ...] = ()
    workbook_tables: tuple[SheetTable, ...] = ()
    csv: dict[str, pd.DataFrame] = field(default_factory=dict)
    page_csv: dict[str, pd.DataFrame] = field(default_factory=dict)
