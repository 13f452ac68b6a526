"""The site as one folder to host and one file to upload.

The site folder, ``reports/html`` (:data:`~analysis.publish.config.SITE`), holds every page and
everything a page links to: images, the stylesheet, ``tables/``, ``figures/`` and ``downloads/``.
Copied anywhere on its own, or served as it is, every link resolves. :func:`write_zip` packs it
into ``reports/site.zip`` (entries under ``html/``) with fixed dates and permissions, so the same
site gives a byte-identical zip.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from analysis.files import atomic_write
from analysis.publish.config import SITE

ZIP_NAME = "site.zip"
"""The zip of the site folder, under ``reports/`` (outside the folder it packs)."""
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)   # the earliest a zip entry can say: no run's clock in the file


def site_files(reports: Path) -> list[Path]:
    """Every file of the site folder, in name order (temporary files, named from a dot, left out)."""
    folder = reports / SITE
    return sorted(p for p in folder.rglob("*") if p.is_file()
                  and not any(part.startswith(".") for part in p.relative_to(folder).parts))


def write_zip(reports: Path) -> Path:
    """Write ``reports/site.zip`` from the site folder atomically; returns its path. Raises
    :class:`FileNotFoundError` naming the folder when there is no site to pack."""
    folder = reports / SITE
    files = site_files(reports)
    if not files:
        raise FileNotFoundError(f"{folder}: no site to pack (run the pipeline first)")

    def write(path: Path) -> None:
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for file in files:
                info = zipfile.ZipInfo(f"{SITE}/{file.relative_to(folder).as_posix()}", _ZIP_DATE)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                archive.writestr(info, file.read_bytes())

    return atomic_write(reports / ZIP_NAME, write)
