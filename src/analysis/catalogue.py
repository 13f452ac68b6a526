"""The catalogue of official source files (``catalogue.toml``, shipped as package data).

Each entry names one file exactly as its publisher released it: who published it, which release,
where to download it, and the sha256 of its official (uncompressed) content. The fetch layer
(:mod:`analysis.fetch`) and the table readers (:mod:`analysis.tables`) both work from it.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

REQUIRED_FIELDS = (
    "id", "file", "publisher", "publication", "release", "landing_page", "format", "years",
    "time_identifier", "geographic_levels", "licence", "sha256", "url_confidence",
)  # fmt: skip


@dataclass(frozen=True)
class Download:
    """One way to obtain a source file, tried in catalogue order.

    ``url`` is a direct file URL, or a zip when ``member`` is set. ``ees_publication`` and
    ``ees_release`` (with ``member``) stand for an EES "download all data" zip whose release
    version id is looked up at run time. ``official`` is False for a pinned carrier copy.
    """

    official: bool
    url: str | None = None
    member: str | None = None
    ees_publication: str | None = None
    ees_release: str | None = None

    def describe(self) -> str:
        where = self.url or f"EES {self.ees_publication}/{self.ees_release} (release zip)"
        member = f" [member {self.member}]" if self.member else ""
        kind = "official" if self.official else "pinned carrier copy, not the publisher"
        return f"{where}{member} ({kind})"


@dataclass(frozen=True)
class Source:
    """One catalogued source file. ``file`` is its path relative to ``data/raw`` and the mirror."""

    id: str
    file: str
    publisher: str
    publication: str
    release: str
    landing_page: str
    format: str
    years: str
    time_identifier: str
    geographic_levels: tuple[str, ...]
    licence: str
    sha256: str
    url_confidence: str
    release_date: str = ""
    mirror_only: bool = False
    note: str = ""
    downloads: tuple[Download, ...] = field(default_factory=tuple)


class CatalogueError(ValueError):
    """The catalogue file itself is malformed."""


def parse_catalogue(text: str, origin: str = "catalogue.toml") -> dict[str, Source]:
    """Parse catalogue TOML text into ``{id: Source}``, checking required fields and uniqueness."""
    data = tomllib.loads(text)
    sources: dict[str, Source] = {}
    files: set[str] = set()
    for i, raw in enumerate(data.get("source", []), start=1):
        missing = [f for f in REQUIRED_FIELDS if f not in raw]
        if missing:
            raise CatalogueError(f"{origin}: source #{i} ({raw.get('id', '?')}) lacks {missing}")
        if raw["id"] in sources:
            raise CatalogueError(f"{origin}: duplicate source id {raw['id']!r}")
        if raw["file"] in files:
            raise CatalogueError(f"{origin}: duplicate file {raw['file']!r}")
        if len(raw["sha256"]) != 64:
            raise CatalogueError(f"{origin}: source {raw['id']!r} has a malformed sha256")
        downloads = tuple(Download(**d) for d in raw.get("downloads", []))
        fields = {k: v for k, v in raw.items() if k != "downloads"}
        fields["geographic_levels"] = tuple(fields["geographic_levels"])
        sources[raw["id"]] = Source(downloads=downloads, **fields)
        files.add(raw["file"])
    return sources


@cache
def load_catalogue() -> dict[str, Source]:
    """The project's catalogue, ``{source id: Source}``, in catalogue order."""
    text = resources.files("analysis").joinpath("catalogue.toml").read_text(encoding="utf-8")
    return parse_catalogue(text)


def get_source(source_id: str) -> Source:
    """Look up one source by id, with a helpful error listing the known ids."""
    catalogue = load_catalogue()
    try:
        return catalogue[source_id]
    except KeyError:
        known = ", ".join(catalogue)
        raise KeyError(f"unknown source id {source_id!r}; known ids: {known}") from None
