"""HTML pages: a page per executed notebook, the site's ``index.html`` and a collection's index.

Notebook pages use nbconvert's ``lab`` template with its head replaced: no CDN scripts
(require.js, MathJax, mermaid, widgets) and none of JupyterLab's 240 KB of CSS, only a link to the
site's one stylesheet (:data:`STYLESHEET`, the rules the pages use), so pages render completely
from disk with no network; avoid LaTeX in markdown cells for that reason. Images are files, not
base64 (:func:`page_images`). Code is hidden unless asked for. Every page carries nav links, a
banner when the notebook showed :func:`analysis.report.display.synthetic_notice`, and a
provenance footer. Pages are byte-identical for identical executed outputs and provenance.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import html
import re
from functools import cache
from pathlib import Path

from analysis.publish.config import SITE, href
from analysis.report.collection import IndexTable
from analysis.report.display import SUMMARY_TAG, SYNTHETIC_MIME
from analysis.report.words import header_words, long_date

EMPTY_HEADER, EMPTY_CELL = "<th></th>", "<td></td>"
"""pandas writes the corner above a table's index as an empty header cell: on a page it is an
empty data cell, so a screen reader does not announce a header with no name."""

TEMPLATES = Path(__file__).resolve().parent / "templates"
CAPTIONS = "captions"
"""A code cell's metadata key: the captions of the tables it shows, in order (for a table whose
frame has no caption of its own, see :func:`analysis.report.words.captioned`)."""
UNCAPTIONED = re.compile(r'aria-label="Table">(<table class="people[^"]*">)')
"""How :func:`analysis.report.words.people_table` starts a table whose frame had no caption (its
region named "Table"), with the table's opening tag."""
NOTEBOOK_ONLY = "notebook-only"
"""Cells with this tag are for a reader in JupyterLab (how to change the parameters and re-run,
the sources the kernel read) and are left off the published page."""
STYLESHEET = "site.css"
"""The site's one stylesheet, at the root of ``html/``; every page links it."""
IMAGES = "img"
"""A page's images go in this folder beside it, named ``PAGE-SHA.EXT``."""
DATA_IMAGE = re.compile(r'(src|srcset)="data:image/(png|jpeg|webp);base64,([A-Za-z0-9+/=\s]+)"')
SITE_TITLE = "SEND high needs evidence base: reports"
SITE_DESCRIPTION = ("Independent analysis of official statistics on special educational needs and "
                    "disabilities (SEND) high needs in England, regenerated from the files DfE, ESFA, "
                    "ONS, Ofsted and MoJ publish; not official statistics. Each report ends with its "
                    "provenance: the data files with their sha256 and the software that made it.")
SITE_NAV = (("index.html", "All reports"),)
"""Links at the top of a report page: (relative href, text)."""


def _outputs(nb) -> list:
    return [out for cell in nb.cells if cell.cell_type == "code" for out in cell.get("outputs", [])]


def synthetic_reasons(nb) -> list[str]:
    """The reasons given by every synthetic notice shown in an executed notebook."""
    return [out["data"][SYNTHETIC_MIME]["reason"] for out in _outputs(nb)
            if SYNTHETIC_MIME in out.get("data", {})]


def summary_html(nb) -> str:
    """The report's summary for the index: the outputs of cells tagged ``summary`` as HTML."""
    from nbconvert.filters import markdown2html_mistune

    parts = []
    for cell in nb.cells:
        if cell.cell_type != "code" or SUMMARY_TAG not in cell.metadata.get("tags", []):
            continue
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if "text/markdown" in data:
                parts.append(markdown2html_mistune(data["text/markdown"]))
            elif "text/html" in data:
                parts.append(data["text/html"])
            elif "text/plain" in data:
                parts.append(f"<pre>{html.escape(data['text/plain'])}</pre>")
    return "\n".join(parts)


def setting_value(value) -> str:
    """A run's setting as a reader writes it: none given is "the notebook's default", a list
    is joined with commas, true and false are "yes" and "no"."""
    if value is None:
        return "the notebook's default"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        return ", ".join(map(setting_value, value)) or "none"
    if isinstance(value, dict):
        return "; ".join(f"{header_words(k)}: {setting_value(v)}" for k, v in value.items())
    return str(value)


def version(commit: str) -> str:
    """A run's commit as a reader sees it: the first 12 characters of its hash, any note after it
    kept ("24a74d70eea8 + uncommitted changes")."""
    return re.sub(r"^([0-9a-f]{12})[0-9a-f]+", r"\1", commit or "unknown")


FILTERS = {"long_date": long_date, "setting_name": header_words, "setting_value": setting_value,
           "version": version}
"""What the page templates may call on a value: dates and a run's settings in words."""


@cache
def _exporter(show_code: bool):
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    config = Config({"TagRemovePreprocessor": {"enabled": True, "remove_cell_tags": [NOTEBOOK_ONLY]}})
    exporter = HTMLExporter(template_name="analysis", extra_template_basedirs=[str(TEMPLATES)],
                            exclude_input=not show_code, exclude_input_prompt=True,
                            exclude_output_prompt=True, embed_images=True, config=config)
    for name, function in FILTERS.items():
        exporter.register_filter(name, function)
    return exporter


def prepare_exporter(show_code: bool) -> None:
    """Create the exporter and compile its template ahead of the first page (idempotent)."""
    _exporter(show_code).template  # noqa: B018 - compiling the template is the point


def read_notebook(path: Path):
    """An executed notebook (nbformat v4 node)."""
    import nbformat

    return nbformat.read(path, as_version=4)


def notebook_page(nb, title: str, provenance: dict, *, show_code: bool = False,
                  nav: tuple[tuple[str, str], ...] = SITE_NAV, root: str = "",
                  downloads: tuple[tuple[str, str], ...] = ()) -> str:
    """One executed notebook as an HTML page (images still inline: see :func:`page_images`).

    ``provenance`` holds ``run_date``, ``commit``, ``parameters``, ``sources`` (dicts with
    publisher, publication, release, file, sha256), ``versions`` and ``command`` (what made the
    page). ``root`` is the relative path from the page to the site's root (``""`` or ``"../"``);
    ``downloads`` are (href, text) links shown at the top of the page.
    """
    nb = copy.deepcopy(nb)
    nb.metadata["title"] = title
    for cell in nb.cells:  # papermill gives the cell it injects a random id; pages must not vary
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell["id"] = "injected-parameters"
        if cell.metadata.get(CAPTIONS):
            caption_tables(cell)
    site = {"root": root, "stylesheet": root + STYLESHEET, "synthetic": synthetic_reasons(nb),
            "provenance": provenance, "nav": nav, "downloads": downloads}
    body, _ = _exporter(show_code).from_notebook_node(nb, resources={"site": site})
    return typeset(with_contents(body.replace(EMPTY_HEADER, EMPTY_CELL)))


_SECTION = re.compile(r'<h2 id="([^"]+)">(.*?)<a class="anchor-link"', re.S)


def with_contents(page: str) -> str:
    """A report page with a contents list of its sections (the notebook's level-2 headings,
    each linkable) after its title; a page with fewer than three such sections is unchanged."""
    sections = _SECTION.findall(page)
    end = page.find("</h1>")
    if len(sections) < 3 or end < 0:
        return page
    items = "".join(f'<li><a href="#{anchor}">{text.strip()}</a></li>' for anchor, text in sections)
    nav = f'<nav class="contents" aria-label="Contents"><h2>Contents</h2><ol>{items}</ol></nav>'
    return page[:end + 5] + nav + page[end + 5:]


MINUS = "\u2212"
_SIGN = r"(?<![\w.,/\-])-(?=[£$]?\d)"
_NUMBER = re.compile(_SIGN + r"([£$]?\d[\d,]*(?:\.\d+)?(?:bn|m|k|%)?)")
_UNTOUCHED = re.compile(r"(<script\b.*?</script>|<style\b.*?</style>|<pre\b.*?</pre>|<code\b.*?</code>"
                        r"|<[^>]*>)", re.S | re.I)
_SPOKEN = re.compile(r'((?:alt|aria-label|title)=")([^"]*)(")')
_BLOCK = re.compile(r"<(script|style|pre|code)\b", re.I)


def _signed(match: re.Match) -> str:
    """A true minus for a number's sign; before "£", a word joiner (U+2060) keeps them on one
    line (a minus and a digit never part, a minus and "£" may)."""
    number = match.group(1)
    return MINUS + ("\u2060" if number[0] in "£$" else "") + number


_ISO_DATE = re.compile(r"(?<![\w-])(20\d\d-[01]\d-[0-3]\d)(?![\w-])")


def typeset(page: str) -> str:
    """A page's negative numbers as a reader should see them: a true minus sign (U+2212) for the
    hyphen-minus a formatter wrote before a number or a "£", never parted from it at a line's
    end, in text and in text alternatives (alt, aria-label, title); a date written 2021-11-18 in
    text as "18 November 2021"; code, scripts, styles and ranges such as 2021-22 are left as
    they are."""
    parts = _UNTOUCHED.split(page)
    for i, part in enumerate(parts):
        if i % 2 == 0:
            parts[i] = _NUMBER.sub(_signed, _ISO_DATE.sub(lambda m: long_date(m.group(1)), part))
        elif not _BLOCK.match(part):   # a single tag: its text alternatives
            parts[i] = _SPOKEN.sub(lambda m: m.group(1) + _NUMBER.sub(_signed, m.group(2)) + m.group(3),
                                   part)
    return "".join(parts)


def caption_tables(cell) -> None:
    """Give the tables a code cell shows without a caption of their own
    (:func:`analysis.report.words.people_table`) the captions in its metadata's :data:`CAPTIONS`
    list, in order, on the page (a chart's data table keeps its own)."""
    captions = list(cell.metadata[CAPTIONS])
    for out in cell.get("outputs", []):
        data = out.get("data", {})
        if "text/html" not in data:
            continue
        text = data["text/html"] if isinstance(data["text/html"], str) else "".join(data["text/html"])
        while captions and (found := UNCAPTIONED.search(text)):
            caption = html.escape(captions.pop(0))
            text = (text[:found.start()] + f'aria-label="{caption}">{found.group(1)}<caption>{caption}'
                    "</caption>" + text[found.end():])
        data["text/html"] = text


TABLE_CSV = re.compile(r'(?:<caption>([^<]*)</caption>(?:(?!<caption>).)*?)?<p class="table-download">'
                       r'<a href="tables/([^"]+)\.csv"', re.DOTALL)
"""A table's CSV linked under it (:func:`analysis.report.words.table_download`), with the
table's caption when it has one."""


def table_csvs(nb) -> dict[str, str]:
    """The tables an executed report publishes with their CSVs: the CSV's name (without
    ``.csv``) -> the table's caption, its own or its cell's metadata's (:func:`caption_tables`),
    or "" for none. Tables in :data:`NOTEBOOK_ONLY` cells are not published, so not listed."""
    found = {}
    for cell in copy.deepcopy(nb).cells:
        if NOTEBOOK_ONLY in cell.metadata.get("tags", []):
            continue
        if cell.metadata.get(CAPTIONS):
            caption_tables(cell)
        for out in cell.get("outputs", []):
            text = out.get("data", {}).get("text/html", "")
            text = text if isinstance(text, str) else "".join(text)
            found.update({name: html.unescape(caption) for caption, name in TABLE_CSV.findall(text)})
    return found


def page_images(page: str, stem: str) -> tuple[str, dict[str, bytes]]:
    """Move a page's base64 images out of it: returns the page with each ``src`` (and a
    ``<picture>`` source's ``srcset``) pointing at
    ``img/STEM-SHA.EXT`` and those files' contents by name (``img/...``). Names come from the
    image's bytes, so an unchanged image keeps its name and a page never shows another run's."""
    images: dict[str, bytes] = {}

    def to_file(match: re.Match) -> str:
        attribute, kind, data = match.group(1), match.group(2), base64.b64decode(match.group(3))
        name = f"{IMAGES}/{stem}-{hashlib.sha256(data).hexdigest()[:12]}.{kind}"
        images[name] = data
        return f'{attribute}="{html.escape(name)}"'

    return DATA_IMAGE.sub(to_file, page), images


def download_text(rel: str, *, collection: bool = False) -> str:
    """The link text of a download (``downloads/...``): a report's spreadsheet, a collection's,
    or a collection's CSV of its charts' data."""
    if rel.endswith(".csv"):
        return "Download the data behind every profile's charts (CSV)"
    return ("Download every indicator for every LA as a spreadsheet (XLSX)" if collection else
            "Download every table of this report as a spreadsheet (XLSX)")


def site_root(page: str) -> str:
    """The relative path from a page (``html/NAME.html``, ``html/COLLECTION/KEY.html``) to the
    site's root, ``html/``."""
    return "../" * (len(Path(page).parts) - 2)


def stylesheet() -> str:
    """The site's stylesheet (:data:`STYLESHEET`)."""
    return (TEMPLATES / STYLESHEET).read_text(encoding="utf-8")


def _template_page(template: str, root: str = "", **context) -> str:
    """A site page (not a notebook) from a jinja template in ``templates/``; ``root`` is the
    relative path from the page to the site's root."""
    import jinja2

    loader = jinja2.FileSystemLoader([str(TEMPLATES), str(TEMPLATES / "analysis")])
    env = jinja2.Environment(loader=loader, autoescape=True, keep_trailing_newline=True)
    env.filters.update(FILTERS)
    return typeset(env.get_template(template).render(stylesheet=root + STYLESHEET, **context))


def site_index_page(reports: list[dict], collections: list[dict],
                    nav: tuple[tuple[str, str], ...] = ()) -> str:
    """The site's ``index.html``: each report's title, link, summary, banner and run details,
    then each collection's link, description and run details.

    ``reports`` are dicts with ``name``, ``title``, ``summary_html``, ``synthetic``, ``run_date``,
    ``commit`` and ``downloads`` (paths under ``reports/``), in the pipeline's order;
    ``collections`` dicts with ``name``, ``title``, ``summary``, ``count``, ``run_date``,
    ``commit``, ``command`` and ``downloads``.
    """
    def linked(entries: list[dict], collection: bool) -> list[dict]:
        return [{**e, "downloads": [(href(f"{SITE}/index.html", rel),
                                     download_text(rel, collection=collection))
                                    for rel in e.get("downloads", [])]} for e in entries]

    return _template_page("site_index.html.j2", title=SITE_TITLE, description=SITE_DESCRIPTION,
                          reports=linked(reports, False), collections=linked(collections, True),
                          nav=list(nav))


def collection_index_page(table: IndexTable, provenance: dict, downloads: list[tuple[str, str]]) -> str:
    """A collection's ``index.html``: the table its ``index`` hook gave (title, intro paragraphs,
    columns, rows, footnote, notes) in a table the reader can sort by any column, the
    ``downloads`` linked under its intro (``(href, text)``) and the provenance footer."""
    return _template_page("collection_index.html.j2", root="../", title=table.title, intro=table.intro,
                          columns=table.columns, rows=table.rows, footnote=table.footnote,
                          notes=table.notes, downloads=downloads,
                          provenance={**provenance, "parameters": table.parameters})


LICENCES = {"OGL-3.0": ("Open Government Licence v3.0",
                        "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/")}
"""Licence identifiers used in the catalogue: (name, the licence's page)."""


def source_publications(catalogue) -> list[dict]:
    """The catalogue's sources as publications for a reader: publisher, publication, the releases
    used (in catalogue order), the latest release's landing page and the licence's name."""
    grouped: dict[tuple[str, str], dict] = {}
    for source in catalogue.values():
        entry = grouped.setdefault((source.publisher, source.publication),
                                   {"publisher": source.publisher, "publication": source.publication,
                                    "releases": [], "landing_page": "", "licence": ""})
        if source.release not in entry["releases"]:
            entry["releases"].append(source.release)
        entry["landing_page"] = source.landing_page or entry["landing_page"]
        entry["licence"] = LICENCES.get(source.licence, (source.licence, ""))[0]
    return [{**e, "releases": "; ".join(e["releases"])} for e in grouped.values()]


def site_pages(*, release_date: str, commit: str, contact: str, catalogue,
               nav: tuple[tuple[str, str], ...] = ()) -> dict[str, str]:
    """The site's own pages, ``{file name: HTML}``: ``about.html`` (how to use and cite: release
    date, contact, the data's licence, how to re-run) and ``accessibility.html`` (the statement).
    ``contact`` is an email address or web page ("" says none has been set)."""
    licences = [{"name": name, "url": url} for name, url in
                sorted({LICENCES.get(s.licence, (s.licence, "")) for s in catalogue.values()})]
    context = {"release_date": release_date, "commit": commit, "contact": contact,
               "nav": [("index.html", "All reports"), *nav]}
    return {"about.html": _template_page("about.html.j2", licences=licences,
                                         sources=source_publications(catalogue), **context),
            "accessibility.html": _template_page("accessibility.html.j2", **context)}


def package_versions() -> dict[str, str]:
    """Versions of Python and the packages that shape the results, for the footer."""
    import platform
    from importlib import metadata

    names = ("analysis", "pandas", "numpy", "matplotlib", "seaborn", "statsmodels", "pyarrow",
             "papermill", "nbconvert", "ipykernel")
    return {"python": platform.python_version(), **{n: metadata.version(n) for n in names}}
