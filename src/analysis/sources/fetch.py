"""Fetch the catalogued source files into ``data/raw/`` and verify them by sha256.

Order of attempts for each file: an existing verified copy in the raw folder; the local mirror
(``settings.mirror``: ``--mirror DIR`` or ``$ANALYSIS_DATA_MIRROR``, laid out like ``../shared/data``, where
``NAME.csv.gz`` stands for ``NAME.csv``); then each catalogued download in turn (official
publisher URLs first, pinned carrier copies last).

Guarantees:
- nothing unverified is ever placed at a file's final path: content is written to a temporary
  name in the target folder, hashed, and renamed only when it matches the pin;
- an existing file that does not match its pin is reported and left alone, never re-downloaded
  over;
- every failure names the file, and where relevant the URL, the expected and the actual hash,
  and the landing page plus the exact path to place a hand-downloaded copy.
"""

from __future__ import annotations

import gzip
import logging
import os
import shutil
import sys
import tempfile
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from analysis.errors import EXIT_HASH, EXIT_MANUAL, EXIT_NETWORK, EXIT_OK, AnalysisError
from analysis.files import atomic_write, sha256_file
from analysis.settings import Settings, current
from analysis.sources.catalogue import Download, Source, catalogue_for

log = logging.getLogger(__name__)

EES_API_ENV = "ANALYSIS_EES_API"
EES_API_DEFAULT = "https://content.explore-education-statistics.service.gov.uk"
TIMEOUT_SECONDS = 60

class FetchError(AnalysisError):
    """A source file could not be made available. ``exit_code`` says which kind of failure."""

    exit_code = 1


class ManualDownloadRequired(FetchError):
    """No download route is known (or the file is mirror-only): a person must place the file."""

    exit_code = EXIT_MANUAL


class HashMismatch(FetchError):
    """Content does not match the catalogue's sha256 pin."""

    exit_code = EXIT_HASH


class NetworkError(FetchError):
    """Every download route failed on the network."""

    exit_code = EXIT_NETWORK


def raw_path(source: Source, raw_dir: Path) -> Path:
    """Where a source file lives once fetched."""
    return Path(raw_dir) / source.file


def _size(path: Path) -> str:
    return f"{path.stat().st_size / 1e6:.1f} MB"


@dataclass
class FetchReport:
    """What a fetch run did: ``{source id: how}`` for successes, ``{source id: error}`` for failures."""

    done: dict[str, str] = field(default_factory=dict)
    failed: dict[str, FetchError] = field(default_factory=dict)

    @property
    def exit_code(self) -> int:
        codes = {err.exit_code for err in self.failed.values()}
        for code in (EXIT_HASH, EXIT_NETWORK, EXIT_MANUAL):
            if code in codes:
                return code
        return EXIT_OK if not codes else min(codes)


class _Placer:
    """Writes a candidate file under a temporary name beside ``dest``, verifies, then renames."""

    def __init__(self, source: Source, dest: Path):
        self.source = source
        self.dest = dest

    def place(self, write: Callable[[Path], None], origin: str) -> None:
        atomic_write(self.dest, partial(self._write_verified, write, origin))

    def _write_verified(self, write: Callable[[Path], None], origin: str, tmp: Path) -> None:
        write(tmp)
        actual = sha256_file(tmp)
        if not self.source.accepts(actual):
            raise HashMismatch(
                f"{self.source.file}: content from {origin} has sha256 {actual}, but the "
                f"catalogue pins {self.source.pins()} (source {self.source.id!r}). The file "
                "was not used."
            )


class _Downloader:
    """HTTP downloads for one fetch run, with zips cached so each is downloaded once."""

    def __init__(self, progressbar: bool):
        self.progressbar = progressbar
        self._zips: dict[str, Path] = {}
        self._tmpdir = tempfile.TemporaryDirectory(prefix="analysis-fetch-")

    def close(self) -> None:
        self._tmpdir.cleanup()

    def get(self, url: str, output: Path) -> None:
        """Download ``url`` to ``output``; raise NetworkError naming the URL on failure."""
        import pooch  # imported lazily: only network fetches need it

        downloader = pooch.HTTPDownloader(progressbar=self.progressbar, timeout=TIMEOUT_SECONDS)
        try:
            downloader(url, str(output), None)
        except Exception as exc:  # requests raises many types; all mean "this URL failed"
            raise NetworkError(f"download failed: {url}: {exc}") from exc

    def ees_zip_url(self, download: Download) -> str:
        """Resolve the current release version of an EES release to its "download all" zip."""
        import requests

        base = os.environ.get(EES_API_ENV, EES_API_DEFAULT).rstrip("/")
        url = (f"{base}/api/publications/{download.ees_publication}/releases/"
               f"{download.ees_release}/version-summary")
        try:
            response = requests.get(url, timeout=TIMEOUT_SECONDS)
            response.raise_for_status()
            version_id = response.json()["id"]
        except Exception as exc:
            raise NetworkError(f"EES release lookup failed: {url}: {exc}") from exc
        return f"{base}/api/releases/{version_id}/files"

    def zip_member(self, url: str, member: str, output: Path) -> None:
        if url not in self._zips:
            path = Path(self._tmpdir.name) / f"zip{len(self._zips)}.zip"
            self.get(url, path)
            self._zips[url] = path
        try:
            with zipfile.ZipFile(self._zips[url]) as archive, archive.open(member) as src:
                with open(output, "wb") as dst:
                    shutil.copyfileobj(src, dst)
        except KeyError:
            raise NetworkError(f"{url}: the zip has no member {member!r}") from None
        except zipfile.BadZipFile as exc:
            raise NetworkError(f"{url}: not a valid zip ({exc})") from exc

    def fetch(self, download: Download, output: Path) -> str:
        """Write one download's content to ``output``; return a description of the origin."""
        url = download.url
        if download.ees_publication:
            url = self.ees_zip_url(download)
        if download.member:
            self.zip_member(url, download.member, output)
            return f"{url} [member {download.member}]"
        self.get(url, output)
        return url


def _manual_message(source: Source, dest: Path, reasons: list[str]) -> str:
    lines = [f"{source.file} (source {source.id!r}) could not be fetched."]
    lines += [f"  - {r}" for r in reasons]
    lines.append(f"  Download it by hand from the landing page {source.landing_page}")
    lines.append(f"  ({source.publisher}: {source.publication}, {source.release}) and save it as")
    lines.append(f"  {dest}")
    lines.append(f"  Its sha256 must be {source.pins()}.")
    if source.note:
        lines.append(f"  Note: {source.note}")
    return "\n".join(lines)


def _mirror_candidate(source: Source, mirror: Path) -> tuple[Path, bool] | None:
    """The mirror's copy of a source: ``(path, gzipped)`` or None."""
    plain = mirror / source.file
    if plain.is_file():
        return plain, False
    gz = mirror / (source.file + ".gz")
    if gz.is_file():
        return gz, True
    return None


def _copy_from(path: Path, gzipped: bool) -> Callable[[Path], None]:
    def write(tmp: Path) -> None:
        opener = gzip.open if gzipped else open
        with opener(path, "rb") as src, open(tmp, "wb") as dst:
            shutil.copyfileobj(src, dst)

    return write


def _download_to(downloader: _Downloader, download: Download, origins: list[str],
                 tmp: Path) -> None:
    origins.append(downloader.fetch(download, tmp))


def fetch_source(source: Source, *, raw_dir: Path, mirror: Path | None = None,
                 downloader: _Downloader | None = None) -> str:
    """Make one source file present and verified in ``raw_dir``; return how it got there."""
    dest = raw_path(source, raw_dir)
    if dest.exists():
        actual = sha256_file(dest)
        if source.accepts(actual):
            return "already present, verified"
        raise HashMismatch(
            f"{dest}: existing file has sha256 {actual}, but the catalogue pins {source.pins()} "
            f"(source {source.id!r}). It was not used and not replaced: inspect it, delete it, "
            "and fetch again."
        )
    placer = _Placer(source, dest)
    reasons: list[str] = []
    if mirror is not None:
        found = _mirror_candidate(source, mirror)
        if found:
            path, gzipped = found
            placer.place(_copy_from(path, gzipped), f"mirror file {path}")
            return f"copied from mirror{' (gunzipped)' if gzipped else ''}, {_size(dest)}"
        reasons.append(f"not in the mirror {mirror} (looked for {source.file} and .gz)")
    if source.mirror_only:
        reasons.append("this file is mirror-only: no official download exists")
        raise ManualDownloadRequired(_manual_message(source, dest, reasons))
    if not source.downloads:
        reasons.append("no direct download URL is known")
        raise ManualDownloadRequired(_manual_message(source, dest, reasons))
    own = downloader is None
    downloader = downloader or _Downloader(progressbar=sys.stderr.isatty())
    errors: list[FetchError] = []
    try:
        for download in source.downloads:
            try:
                origins: list[str] = []
                placer.place(partial(_download_to, downloader, download, origins),
                             download.describe())
                return f"downloaded from {origins[-1]}, {_size(dest)}"
            except (NetworkError, HashMismatch) as exc:
                errors.append(exc)
                log.info(f"    {source.id}: {download.describe()} failed, trying next route")
    finally:
        if own:
            downloader.close()
    reasons += [str(e) for e in errors]
    message = _manual_message(source, dest, reasons)
    if errors and all(isinstance(e, HashMismatch) for e in errors):
        raise HashMismatch(message)
    raise NetworkError(message)


def select_sources(ids: Iterable[str] | None, settings: Settings | None = None) -> list[Source]:
    """The catalogued sources named by ``ids`` (all when ``ids`` is empty or None)."""
    catalogue = catalogue_for(settings or current())
    ids = list(ids or [])
    return [catalogue.get_source(i) for i in ids] if ids else list(catalogue.values())


def fetch(ids: Iterable[str] | None = None, *, settings: Settings | None = None) -> FetchReport:
    """Fetch and verify the named sources (default: all) into ``settings.raw_dir`` from
    ``settings.mirror`` or the publishers, logging progress (one line per file).

    Every source is attempted; failures are collected in the report rather than stopping the run.
    """
    settings = settings or current()
    sources = select_sources(ids, settings)
    raw_dir, mirror_path = settings.raw_dir, settings.mirror
    if mirror_path is not None and not mirror_path.is_dir():
        raise ManualDownloadRequired(f"data mirror {mirror_path} is not a folder")
    report = FetchReport()
    downloader = _Downloader(progressbar=sys.stderr.isatty())
    try:
        for n, source in enumerate(sources, start=1):
            prefix = f"[{n}/{len(sources)}] {source.id}"
            try:
                how = fetch_source(source, raw_dir=raw_dir, mirror=mirror_path,
                                   downloader=downloader)
                report.done[source.id] = how
                log.info(f"{prefix}: {how}")
            except FetchError as exc:
                report.failed[source.id] = exc
                log.info(f"{prefix}: FAILED\n{exc}")
    finally:
        downloader.close()
    return report


@dataclass
class VerifyReport:
    """Result of :func:`verify`: verified ids, mismatches, catalogued files not present, strays."""

    ok: list[str] = field(default_factory=list)
    mismatched: dict[str, str] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return EXIT_HASH if self.mismatched else EXIT_OK


def verify(settings: Settings | None = None) -> VerifyReport:
    """Re-hash every catalogued file present in ``settings.raw_dir`` (no network). Reports,
    never deletes."""
    settings = settings or current()
    raw_dir = settings.raw_dir
    report = VerifyReport()
    catalogued = set()
    for source in catalogue_for(settings).values():
        path = raw_path(source, raw_dir)
        catalogued.add(path.resolve())
        if not path.exists():
            report.missing.append(source.id)
            continue
        actual = sha256_file(path)
        if source.accepts(actual):
            report.ok.append(source.id)
        else:
            report.mismatched[source.id] = (
                f"{path}: sha256 {actual}, catalogue pins {source.pins()}"
            )
    if raw_dir.is_dir():
        for path in sorted(raw_dir.rglob("*")):
            if path.is_file() and path.resolve() not in catalogued and path.name != ".gitkeep":
                report.unknown.append(str(path.relative_to(raw_dir)))
    return report
