"""Everything that writes the site around the notebooks' pages, and the site as one file.

The site folder, ``reports/html`` (:data:`~analysis.settings.SITE`), holds every page and
everything a page links to: images, the stylesheet, ``tables/``, ``figures/`` and ``downloads/``.
Copied anywhere on its own, or served as it is, every link resolves. The scheduler
(:mod:`.scheduler`) plans, runs and promotes the notebooks; it calls the writers here for what
is not a notebook's page: the stylesheet, a report's spreadsheet, a collection's index page, its
spreadsheet and CSV downloads, the site's index and about pages, the links at the top of a page
(:func:`nav`, :func:`page_downloads`), and :func:`write_zip`, which packs the folder into
``reports/site.zip`` (entries under ``html/``) with fixed dates and permissions, so the same site
gives a byte-identical zip. Paths named ``rel`` are relative to ``reports/``.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from analysis.files import atomic_write, write_csv, write_table_title, write_text
from analysis.publish import config, manifest, pages, spreadsheet
from analysis.publish.config import SITE
from analysis.publish.manifest import PublicationRecord
from analysis.report import columns
from analysis.report.collection import IndexTable
from analysis.report.words import long_date

COMMAND = "python -m analysis run"
"""The command that publishes the site (named in a spreadsheet's cover and a page's provenance)."""
ZIP_NAME = "site.zip"
"""The zip of the site folder, under ``reports/`` (outside the folder it packs)."""
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)   # the earliest a zip entry can say: no run's clock in the file


# -- links at the top of a page ----------------------------------------------------------------
def nav(pub: config.Publication, pipeline: config.Pipeline) -> tuple[tuple[str, str], ...]:
    """Links at the top of a page: the site index and every collection's index (a collection's
    page: its own index first)."""
    if pub.collection:
        return (("index.html", pub.index_link), ("../index.html", "All reports"))
    return (("index.html", "All reports"), *collection_links(pipeline, ""))


def collection_links(pipeline: config.Pipeline, root: str) -> tuple[tuple[str, str], ...]:
    """A link to each collection's index from a page at ``root`` (relative to the site)."""
    return tuple((f"{root}{p.name}/index.html", p.index_link) for p in pipeline.publications
                 if p.collection)


def page_downloads(pub: config.Publication) -> tuple[tuple[str, str], ...]:
    """The downloads linked at the top of a page: a report's spreadsheet, a collection's."""
    return ((config.href(pub.page("key"), pub.workbook()),
             pages.download_text(pub.workbook(), collection=pub.collection)),)


# -- files beside the pages --------------------------------------------------------------------
def write_stylesheet(reports: Path) -> dict:
    """(Re)write ``html/site.css``, which every page links (an unchanged file is not rewritten);
    returns its hash for the manifest."""
    rel = f"{SITE}/{pages.STYLESHEET}"
    _write_changed(reports / rel, pages.stylesheet())
    return manifest.output_hashes(reports, [rel])


def _write_changed(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` unless the file already holds it (its time stays as it was)."""
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_text(path, text)


def write_report_workbook(reports: Path, pub: config.Publication, title: str, csvs: list[str],
                          run: dict, contact: str) -> str:
    """Write a report's spreadsheet from the CSV tables it published (``csvs``, each with its
    title, measure and source written beside it as JSON); ``run`` is the run's provenance
    (``run_date``, ``commit``). Returns its path."""
    tables = [spreadsheet.published_table(reports / rel, rel.removeprefix(f"{SITE}/"))
              for rel in sorted(csvs)]
    about = [f"Every table published with the report \"{title}\", one per sheet.",
             f"Run on {long_date(run['run_date'])} from commit {run['commit']} by {COMMAND}: the "
             "report's provenance lists the source files and their sha256.",
             "Each table is also published as a CSV file (named on the Contents sheet)."]
    rel = pub.workbook()
    spreadsheet.write_workbook(reports / rel, title=f"{title}: tables", about=about, tables=tables,
                               release_date=run["run_date"], contact=contact)
    return rel


def write_collection_index(reports: Path, pub: config.Publication, table: IndexTable, provenance: dict,
                           csvs: dict, contact: str) -> list[str]:
    """Write a collection's index page from the table its ``index`` hook gave, with its
    spreadsheet (when the table has workbook tables) and its CSV downloads (``csvs``:
    ``NAME_KEY.csv`` for the collection, listed on the index; ``NAME/KEY.csv`` for a page, linked
    from that page), each CSV's columns described beside it. Returns the files written."""
    rel = f"{SITE}/{pub.name}/index.html"
    books = [_collection_workbook(reports, pub, table, provenance, contact)] if table.workbook_tables else []
    written = [_download(reports, f"{SITE}/downloads/{name}", frame) for name, frame in csvs.items()]
    books += [w for w in written if w.count("/") == 2]
    write_text(reports / rel, pages.collection_index_page(
        table, provenance, downloads=[(config.href(rel, b), pages.download_text(b, collection=True))
                                      for b in books]))
    return [rel, *books, *[w for w in written if w.count("/") == 3]]


def _collection_workbook(reports: Path, pub: config.Publication, table: IndexTable, provenance: dict,
                         contact: str) -> str:
    """Write the spreadsheet a collection's index hook described; returns its path."""
    rel = pub.workbook()
    about = [*table.workbook_about, f"Run on {long_date(provenance['run_date'])} from commit "
             f"{provenance['commit']} by {COMMAND}: the index page's provenance lists the source "
             "files and their sha256."]
    spreadsheet.write_workbook(
        reports / rel, title=f"{table.title}: every indicator for every LA", about=about,
        release_date=provenance["run_date"], contact=contact, tables=list(table.workbook_tables))
    return rel


def _download(reports: Path, rel: str, frame) -> str:
    """Write a CSV download rounded by unit with its columns described in the JSON beside it
    (the ONS codes are added before, where the table store is bound); returns ``rel``."""
    frame = columns.rounded(frame)
    write_table_title(reports / rel, title="", columns=columns.describe(frame))
    write_csv(frame, reports / rel)
    return rel


def with_ons_codes(frames: dict) -> dict:
    """Each frame with the ONS code beside its DfE code (read from the bound table store)."""
    return {name: columns.with_ons_codes(frame) for name, frame in frames.items()}


# -- the site's own pages ----------------------------------------------------------------------
def write_site_index(reports: Path, pipeline: config.Pipeline, records: dict[str, PublicationRecord],
                     catalogue) -> dict | None:
    """(Re)write ``html/index.html`` and the about and accessibility pages from the manifest's
    publication ``records`` (an unchanged page is not rewritten); returns their hashes, or None
    when nothing is published yet."""
    reports_listed, collections = [], []
    for pub in pipeline.publications:
        record = records.get(pub.name, PublicationRecord())
        if pub.collection and record.index:
            # the collection's own downloads; each page's (downloads/NAME/KEY.csv) is on its page
            index = record.index
            sets = record.each.sets if record.each else []
            collections.append({"name": pub.name, "command": COMMAND, "title": index.title,
                                "summary": index.summary, "count": index.count,
                                "run_date": index.run_date, "commit": index.commit,
                                "pages": [(s.key, s.label()) for s in sets if s.key in record.sets],
                                "downloads": [r for r in index.outputs
                                              if r.startswith(f"{SITE}/downloads/") and r.count("/") == 2]})
        elif not pub.collection and "" in record.sets:
            s = record.sets[""]
            reports_listed.append({"name": pub.name, "title": s.title, "summary_html": s.summary_html,
                                   "synthetic": s.synthetic, "run_date": s.run_date, "commit": s.commit,
                                   "downloads": [r for r in s.outputs if r.startswith(f"{SITE}/downloads/")]})
    if not reports_listed and not collections:
        return None
    latest = max([*reports_listed, *collections], key=lambda e: e["run_date"])
    links = collection_links(pipeline, "")
    written = {"index.html": pages.site_index_page(reports_listed, collections, nav=links),
               **pages.site_pages(release_date=latest["run_date"], commit=latest["commit"],
                                  contact=pipeline.contact, catalogue=catalogue, nav=links)}
    for name, page in written.items():
        _write_changed(reports / SITE / name, page)
    return manifest.output_hashes(reports, [f"{SITE}/{n}" for n in written])


# -- the site as one file ----------------------------------------------------------------------
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
