"""Report pages and the index, rendered from small in-memory notebooks (no kernel needed)."""

import re

import nbformat
import pytest

from analysis.publish import pages
from analysis.report.display import synthetic_notice

PROVENANCE = {
    "command": "python -m analysis run", "run_date": "2026-11-27", "commit": "abc123 + uncommitted changes",
    "parameters": {"la_code": "940", "start_year": 2014},
    "sources": [{"publisher": "DfE", "publication": "EHC plans & statements", "release": "2025",
                 "file": "sen2.csv", "sha256": "f" * 64}],
    "versions": {"python": "3.11.7", "pandas": "3.0.0"},
}


def _notebook(*extra_outputs):
    nb = nbformat.v4.new_notebook()
    summary = nbformat.v4.new_code_cell("display(Markdown('...'))", metadata={"tags": ["summary"]})
    summary.outputs = [nbformat.v4.new_output("display_data", data={"text/markdown": "- **42** plans"})]
    code = nbformat.v4.new_code_cell("secret_code_line = 1")
    code.outputs = list(extra_outputs)
    nb.cells = [nbformat.v4.new_markdown_cell("# Title\n\nSome text."), summary, code]
    return nb


def _synthetic_output():
    bundle = synthetic_notice("a made-up sample")._repr_mimebundle_()
    return nbformat.v4.new_output("display_data", data=bundle)


def test_page_hides_code_and_has_no_external_scripts():
    page = pages.notebook_page(_notebook(), "A report", PROVENANCE)
    assert "secret_code_line" not in page
    assert "<title>A report</title>" in page
    assert not re.search(r"<script[^>]+src=", page)
    assert "cdnjs" not in page and "unpkg" not in page
    assert 'href="index.html"' in page


def test_page_shows_code_when_asked():
    assert "secret_code_line" in pages.notebook_page(_notebook(), "A report", PROVENANCE, show_code=True)


def test_footer_lists_provenance_escaped():
    page = pages.notebook_page(_notebook(), "A report", PROVENANCE)
    footer = page[page.index('id="provenance"'):]
    assert "Run on 2026-11-27 from commit <code>abc123 + uncommitted changes</code>" in footer
    assert '<code>la_code</code></th><td><code>"940"</code>' in footer  # text, quoted
    assert "<code>start_year</code></th><td><code>2014</code>" in footer
    assert "EHC plans &amp; statements" in footer and "f" * 64 in footer
    assert "python 3.11.7, pandas 3.0.0" in footer


def test_banner_only_when_the_notebook_declared_synthetic_data():
    assert "SYNTHETIC DATA" not in pages.notebook_page(_notebook(), "A report", PROVENANCE)
    page = pages.notebook_page(_notebook(_synthetic_output()), "A report", PROVENANCE)
    assert page.count('class="site-banner"') == 1 and "SYNTHETIC DATA: a made-up sample" in page
    assert pages.synthetic_reasons(_notebook(_synthetic_output())) == ["a made-up sample"]


def test_rendering_is_byte_identical():
    nb = _notebook(_synthetic_output())
    assert pages.notebook_page(nb, "A", PROVENANCE) == pages.notebook_page(nb, "A", PROVENANCE)


def test_summary_comes_from_cells_tagged_summary():
    assert pages.summary_html(_notebook()).strip() == "<ul>\n<li><strong>42</strong> plans</li>\n</ul>"


@pytest.mark.parametrize("synthetic", [[], ["a made-up sample"]])
def test_index_links_reports_and_escapes_text(synthetic):
    page = pages.site_index_page([{"name": "01_x", "title": "Costs <&> plans", "summary_html": "<p>ok</p>",
                                   "synthetic": synthetic, "run_date": "2026-11-27", "commit": "abc"}], [])
    assert '<a href="01_x.html">Costs &lt;&amp;&gt; plans</a>' in page
    assert "<p>ok</p>" in page
    assert ("SYNTHETIC DATA: a made-up sample" in page) == bool(synthetic)


def test_the_site_index_lists_collections_with_their_count_and_link():
    page = pages.site_index_page([], [{"name": "profiles", "title": "Local area SEND profiles",
                                       "summary": "A profile of each of the 3 LAs.", "count": 3,
                                       "run_date": "2026-11-27", "commit": "abc",
                                       "command": "python -m analysis run"}])
    assert '<a href="profiles/index.html">Local area SEND profiles</a>' in page
    assert "A profile of each of the 3 LAs." in page


def test_a_collection_index_is_a_sortable_table_with_links_and_a_footer():
    table = {"title": "Pages", "intro": ["Intro <b>"], "footnote": "Note.", "summary": "s",
             "parameters": {"key": "each page"},
             "columns": [{"id": "x", "title": "X", "unit": "%", "when": "2025", "theme": "T"}],
             "rows": [{"code": "a", "name": "Area A", "region": "R", "la_type": "UA", "link": "a.html",
                       "cells": [{"text": "1.0", "sort": "1.0"}]},
                      {"code": "b", "name": "Area B", "region": "R", "la_type": "UA", "link": None,
                       "cells": [{"text": "n/a", "sort": ""}]}]}
    page = pages.collection_index_page(table, PROVENANCE)
    assert '<a href="a.html">Area A</a>' in page and ">Area B<" in page
    assert "Intro &lt;b&gt;" in page and 'data-sort="1.0"' in page
    assert "each page" in page and 'id="provenance"' in page


def test_a_tables_empty_corner_is_no_header_and_wide_footer_tables_scroll_by_keyboard():
    table = ("<table><thead><tr><th></th><th>2024</th></tr></thead>"
             "<tbody><tr><th>England</th><td>1</td></tr></tbody></table>")
    output = nbformat.v4.new_output("display_data", data={"text/html": table})
    page = pages.notebook_page(_notebook(output), "A report", PROVENANCE)
    assert "<th></th>" not in page and "<td></td><th>2024</th>" in page and "<th>England</th>" in page
    footer = page[page.index('id="provenance"'):]
    assert footer.count('class="table-wrap" role="region" tabindex="0"') == 2   # attributes sorted
    assert 'role="alert"' not in page
