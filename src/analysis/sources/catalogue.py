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

RELEASE_FIELDS = ("publication", "release", "vintage", "landing_page", "licence")
"""Written once per release (``[[release]]``), never on one of its files."""
FILE_FIELDS = ("id", "dataset", "file", "format", "years", "time_identifier", "geographic_levels",
               "sha256")
"""Written on each file (``[[release.file]]``)."""
SHARED_FIELDS = ("publisher", "citation", "url_confidence", "release_date", "mirror_only", "note")
"""On the release for all its files, or on a file where its files differ (a file of another
publisher's figures that the release republishes names that publisher); publisher, citation and
url_confidence are required on one or the other."""
_OPTIONAL_FILE_FIELDS = ("member", "sha256_variants", "download")


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
    """Parse catalogue TOML text: ``[[release]]`` blocks, each with its release-level fields and
    downloads written once and its files listed under it (``[[release.file]]``). A file's
    downloads are its own (``[[release.file.download]]``), then the release's, each taking the
    file's ``member`` when the release download is a zip. Checks required fields, unknown keys,
    uniqueness and vintages; errors name the release and file."""
    data = tomllib.loads(text)
    unknown = set(data) - {"release"}
    if unknown:
        raise CatalogueError(f"{origin}: unknown top-level entries {sorted(unknown)} (expected [[release]])")
    sources = Catalogue()
    for i, release in enumerate(data.get("release", []), start=1):
        where = f"{origin}: release #{i} ({release.get('release', '?')})"
        _check_keys(where, release, {*RELEASE_FIELDS, *SHARED_FIELDS, "download", "file"},
                    required=RELEASE_FIELDS)
        level = {k: v for k, v in release.items() if k not in ("download", "file")}
        if not release.get("file"):
            raise CatalogueError(f"{where} lists no files")
        for raw in release["file"]:
            source = _source(f"{where}, file {raw.get('id', '?')}", level, raw, release.get("download", []))
            _check_unique(origin, sources, source)
            sources[source.id] = source
    return sources


def _check_keys(where: str, raw: dict, allowed: set, required) -> None:
    unknown = sorted(set(raw) - allowed)
    if unknown:
        raise CatalogueError(f"{where}: unknown fields {unknown}")
    missing = [f for f in required if f not in raw]
    if missing:
        raise CatalogueError(f"{where} lacks {missing}")


def _source(where: str, release: dict, raw: dict, release_downloads: list) -> Source:
    """One file of a release as a :class:`Source` (the release's fields, the file's over them)."""
    _check_keys(where, raw, {*FILE_FIELDS, *SHARED_FIELDS, *_OPTIONAL_FILE_FIELDS}, required=FILE_FIELDS)
    fields = {**release, **{k: v for k, v in raw.items() if k not in _OPTIONAL_FILE_FIELDS}}
    missing = [f for f in ("publisher", "citation", "url_confidence") if f not in fields]
    if missing:
        raise CatalogueError(f"{where} lacks {missing} (on the file or its release)")
    variants = tuple(raw.get("sha256_variants", []))
    if any(len(h) != 64 for h in [raw["sha256"], *variants]):
        raise CatalogueError(f"{where} has a malformed sha256")
    member = raw.get("member")
    downloads = (*(Download(**d) for d in raw.get("download", [])),
                 *(Download(**d, member=member) for d in release_downloads))
    fields["geographic_levels"] = tuple(fields["geographic_levels"])
    return Source(**fields, sha256_variants=variants, downloads=downloads)


def _check_unique(origin: str, sources: Catalogue, source: Source) -> None:
    """Ids and files are unique, and a dataset has one file per vintage."""
    if source.id in sources:
        raise CatalogueError(f"{origin}: duplicate source id {source.id!r}")
    if any(s.file == source.file for s in sources.values()):
        raise CatalogueError(f"{origin}: duplicate file {source.file!r}")
    if any((s.dataset, s.vintage) == (source.dataset, source.vintage) for s in sources.values()):
        raise CatalogueError(f"{origin}: source {source.id!r} repeats vintage {source.vintage!r} "
                             f"of dataset {source.dataset!r}")


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
