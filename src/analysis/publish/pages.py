"""HTML pages: a page per executed notebook, the site's ``index.html`` and a collection's index.

Notebook pages use nbconvert's ``lab`` template with its CDN scripts removed (require.js,
MathJax, mermaid, widgets), so they render completely from disk with no network; avoid LaTeX in
markdown cells for that reason. Code is hidden unless asked for. Every page carries nav links, a
banner when the notebook showed :func:`analysis.report.display.synthetic_notice`, and a
provenance footer. Pages are byte-identical for identical executed outputs and provenance.
"""

from __future__ import annotations

import copy
import html
from functools import cache
from pathlib import Path

from analysis.report.display import SUMMARY_TAG, SYNTHETIC_MIME

EMPTY_HEADER, EMPTY_CELL = "<th></th>", "<td></td>"
"""pandas writes the corner above a table's index as an empty header cell: on a page it is an
empty data cell, so a screen reader does not announce a header with no name."""

TEMPLATES = Path(__file__).resolve().parent / "templates"
SITE_TITLE = "SEND high needs evidence base: reports"
SITE_DESCRIPTION = ("Reports regenerated from the official published statistics (DfE, ESFA, ONS) by "
                    "<code>python -m analysis run</code>. Each report ends with its provenance: commit, "
                    "parameters, data files with their sha256, and software versions.")
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


@cache
def _exporter(show_code: bool):
    from nbconvert import HTMLExporter

    return HTMLExporter(template_name="analysis", extra_template_basedirs=[str(TEMPLATES)],
                        exclude_input=not show_code, exclude_input_prompt=True,
                        exclude_output_prompt=True, embed_images=True)


def prepare_exporter(show_code: bool) -> None:
    """Create the exporter and compile its template ahead of the first page (idempotent)."""
    _exporter(show_code).template  # noqa: B018 - compiling the template is the point


def read_notebook(path: Path):
    """An executed notebook (nbformat v4 node)."""
    import nbformat

    return nbformat.read(path, as_version=4)


def notebook_page(nb, title: str, provenance: dict, *, show_code: bool = False,
                  nav: tuple[tuple[str, str], ...] = SITE_NAV) -> str:
    """One executed notebook as an HTML page.

    ``provenance`` holds ``run_date``, ``commit``, ``parameters``, ``sources`` (dicts with
    publisher, publication, release, file, sha256), ``versions`` and ``command`` (what made the
    page).
    """
    nb = copy.deepcopy(nb)
    nb.metadata["title"] = title
    for cell in nb.cells:  # papermill gives the cell it injects a random id; pages must not vary
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell["id"] = "injected-parameters"
    site = {"css": _css(), "synthetic": synthetic_reasons(nb), "provenance": provenance,
            "nav": nav}
    body, _ = _exporter(show_code).from_notebook_node(nb, resources={"site": site})
    return body.replace(EMPTY_HEADER, EMPTY_CELL)



@cache
def _css() -> str:
    return (TEMPLATES / "_site.css").read_text(encoding="utf-8")


def _template_page(template: str, **context) -> str:
    """A site page (not a notebook) from a jinja template in ``templates/``, with the site CSS
    as ``css``."""
    import jinja2

    loader = jinja2.FileSystemLoader([str(TEMPLATES), str(TEMPLATES / "analysis")])
    env = jinja2.Environment(loader=loader, autoescape=True, keep_trailing_newline=True)
    return env.get_template(template).render(css=_css(), **context)


def site_index_page(reports: list[dict], collections: list[dict]) -> str:
    """The site's ``index.html``: each report's title, link, summary, banner and run details,
    then each collection's link, description and run details.

    ``reports`` are dicts with ``name``, ``title``, ``summary_html``, ``synthetic``, ``run_date``
    and ``commit``, in the pipeline's order; ``collections`` dicts with ``name``, ``title``,
    ``summary``, ``count``, ``run_date``, ``commit`` and ``command``.
    """
    return _template_page("site_index.html.j2", title=SITE_TITLE, description=SITE_DESCRIPTION,
                          reports=reports, collections=collections)


def collection_index_page(table: dict, provenance: dict) -> str:
    """A collection's ``index.html``: the table its ``index`` hook gave (``title``, ``intro``
    paragraphs, ``columns``, ``rows``, ``footnote``) in a table the reader can sort by any column,
    and the provenance footer."""
    return _template_page("collection_index.html.j2", **table,
                          provenance={**provenance, "parameters": table["parameters"]})


def package_versions() -> dict[str, str]:
    """Versions of Python and the packages that shape the results, for the footer."""
    import platform
    from importlib import metadata

    names = ("analysis", "pandas", "numpy", "matplotlib", "seaborn", "statsmodels", "pyarrow",
             "papermill", "nbconvert", "ipykernel")
    return {"python": platform.python_version(), **{n: metadata.version(n) for n in names}}
