"""The catalogue of official source files (``catalogue.toml``, shipped as package data).

Each entry names one file exactly as its publisher released it: who published it, which release,
where to download it, and the sha256 of its official (uncompressed) content. The fetch layer
(:mod:`analysis.sources.fetch`) and the table readers (:mod:`analysis.tables`) both work from it.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

REQUIRED_FIELDS = (
    "id", "dataset", "vintage", "citation", "file", "publisher", "publication", "release",
    "landing_page", "format", "years", "time_identifier", "geographic_levels", "licence", "sha256",
    "url_confidence",
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
    dataset: str
    vintage: str
    citation: str
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
    sha256_variants: tuple[str, ...] = ()   # the same text with other bytes (a BOM, line ends)

    def accepts(self, sha256: str) -> bool:
        """Whether content with ``sha256`` is this file: its pin or one of its listed variants
        (a reconstructed copy and the official member may differ only in a byte order mark,
        line ends or non-breaking spaces; PROVENANCE lists each variant's hash)."""
        return sha256 == self.sha256 or sha256 in self.sha256_variants

    def pins(self) -> str:
        """The accepted hashes, for messages."""
        return " or ".join((self.sha256, *self.sha256_variants))


class CatalogueError(ValueError):
    """The catalogue file itself is malformed, or a dataset asked for is not in it."""


class Catalogue(dict):
    """``{source id: Source}`` in file order, with lookups by dataset."""

    def of(self, dataset: str) -> list[Source]:
        """Every vintage held of ``dataset``, oldest first."""
        found = sorted((s for s in self.values() if s.dataset == dataset), key=lambda s: s.vintage)
        if not found:
            known = ", ".join(sorted({s.dataset for s in self.values()}))
            raise CatalogueError(f"no source file of dataset {dataset!r} in the catalogue "
                                 f"(datasets: {known})")
        return found

    def latest(self, dataset: str) -> Source:
        """The latest vintage held of ``dataset``."""
        return self.of(dataset)[-1]

    def get_source(self, source_id: str) -> Source:
        """One source by id, with an error listing the known ids."""
        try:
            return self[source_id]
        except KeyError:
            raise KeyError(f"unknown source id {source_id!r}; known ids: {', '.join(self)}") from None


def parse_catalogue(text: str, origin: str = "catalogue.toml") -> Catalogue:
    """Parse catalogue TOML text, checking required fields, uniqueness and vintages."""
    data = tomllib.loads(text)
    sources = Catalogue()
    files: set[str] = set()
    vintages: set[tuple[str, str]] = set()
    for i, raw in enumerate(data.get("source", []), start=1):
        missing = [f for f in REQUIRED_FIELDS if f not in raw]
        if missing:
            raise CatalogueError(f"{origin}: source #{i} ({raw.get('id', '?')}) lacks {missing}")
        if raw["id"] in sources:
            raise CatalogueError(f"{origin}: duplicate source id {raw['id']!r}")
        if raw["file"] in files:
            raise CatalogueError(f"{origin}: duplicate file {raw['file']!r}")
        if (raw["dataset"], raw["vintage"]) in vintages:
            raise CatalogueError(f"{origin}: source {raw['id']!r} repeats vintage {raw['vintage']!r} "
                                 f"of dataset {raw['dataset']!r}")
        variants = raw.get("sha256_variants", [])
        if any(len(h) != 64 for h in [raw["sha256"], *variants]):
            raise CatalogueError(f"{origin}: source {raw['id']!r} has a malformed sha256")
        downloads = tuple(Download(**d) for d in raw.get("downloads", []))
        fields = {k: v for k, v in raw.items() if k != "downloads"}
        fields["geographic_levels"] = tuple(fields["geographic_levels"])
        fields["sha256_variants"] = tuple(variants)
        sources[raw["id"]] = Source(downloads=downloads, **fields)
        files.add(raw["file"])
        vintages.add((raw["dataset"], raw["vintage"]))
    return sources


PACKAGE_CATALOGUE = resources.files("analysis.sources").joinpath("catalogue.toml")


@cache
def load_catalogue(path: str | None = None) -> Catalogue:
    """A catalogue, ``{source id: Source}``, in file order: the package's, or the TOML file at
    ``path`` (a run can point at its own, see :class:`analysis.settings.Settings`)."""
    if path is None:
        return parse_catalogue(PACKAGE_CATALOGUE.read_text(encoding="utf-8"))
    return parse_catalogue(Path(path).read_text(encoding="utf-8"), origin=str(path))


def catalogue_for(settings) -> Catalogue:
    """The catalogue a run uses (``settings.catalogue``, else the package's)."""
    return load_catalogue(str(settings.catalogue) if settings.catalogue else None)


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def cite(sources) -> str:
    """A chart's source line for some source files: one citation per distinct ``citation``
    (in order of first appearance), each with its vintages as ``{releases}`` ("2025 release",
    "2022 and 2025 releases"), joined by "; "."""
    groups: dict[str, list[str]] = {}
    for source in sources:
        vintages = groups.setdefault(source.citation, [])
        if source.vintage not in vintages:
            vintages.append(source.vintage)
    parts = []
    for citation, vintages in groups.items():
        vintages = sorted(vintages)
        releases = _join(vintages) + (" releases" if len(vintages) > 1 else " release")
        parts.append(citation.format(releases=releases))
    return "; ".join(parts)
