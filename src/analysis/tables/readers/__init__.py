"""One reader module per source family; each turns raw official files into a tidy table.

A reader receives its files by role (``files["current"]``, ``files["vintages"]``...) as
:class:`SourceFile` values: the path and the catalogue entry. It reads what the file holds
(years, vintages from ``file.vintage``) and never names a release or a source id, so the next
release of a dataset with the same layout reads without a change here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from analysis.sources.catalogue import Source


@dataclass(frozen=True)
class SourceFile:
    """A verified raw file and its catalogue entry."""

    path: Path
    source: Source

    @property
    def name(self) -> str:
        """The file name, for messages."""
        return self.path.name

    @property
    def vintage(self) -> str:
        return self.source.vintage
