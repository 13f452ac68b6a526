"""Report pages and the index, rendered from small in-memory notebooks (no kernel needed)."""

import re

import nbformat
import pytest

from analysis.pipeline import publish

PROVENANCE = {
    "run_date": "2026-11-27", "commit": "abc123 + uncommitted changes",
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
    bundle = publish.synthetic_notice("a made-up sample")._repr_mimebundle_()
    return nbformat.v4.new_output("display_data", data=bundle)


def test_page_hides_code_and_has_no_external_scripts():
    page = publish.render_report(_notebook(), "A report", PROVENANCE)
    assert "secret_code_line" not in page
    assert "<title>A report</title>" in page
    assert not re.search(r"<script[^>]+src=", page)
    assert "cdnjs" not in page and "unpkg" not in page
    assert 'href="index.html"' in page


def test_page_shows_code_when_asked():
    assert "secret_code_line" in publish.render_report(_notebook(), "A report", PROVENANCE, show_code=True)


def test_footer_lists_provenance_escaped():
    page = publish.render_report(_notebook(), "A report", PROVENANCE)
    footer = page[page.index('id="provenance"'):]
    assert "Run on 2026-11-27 from commit <code>abc123 + uncommitted changes</code>" in footer
    assert '<code>la_code</code></th><td><code>"940"</code>' in footer  # text, quoted
    assert "<code>start_year</code></th><td><code>2014</code>" in footer
    assert "EHC plans &amp; statements" in footer and "f" * 64 in footer
    assert "python 3.11.7, pandas 3.0.0" in footer


def test_banner_only_when_the_notebook_declared_synthetic_data():
    assert "SYNTHETIC DATA" not in publish.render_report(_notebook(), "A report", PROVENANCE)
    page = publish.render_report(_notebook(_synthetic_output()), "A report", PROVENANCE)
    assert page.count('class="site-banner"') == 1 and "SYNTHETIC DATA: a made-up sample" in page
    assert publish.synthetic_reasons(_notebook(_synthetic_output())) == ["a made-up sample"]


def test_rendering_is_byte_identical():
    nb = _notebook(_synthetic_output())
    assert publish.render_report(nb, "A", PROVENANCE) == publish.render_report(nb, "A", PROVENANCE)


def test_summary_comes_from_cells_tagged_summary():
    assert publish.summary_html(_notebook()).strip() == "<ul>\n<li><strong>42</strong> plans</li>\n</ul>"


@pytest.mark.parametrize("synthetic", [[], ["a made-up sample"]])
def test_index_links_reports_and_escapes_text(synthetic):
    page = publish.render_index([{"name": "01_x", "title": "Costs <&> plans", "summary_html": "<p>ok</p>",
                                  "synthetic": synthetic, "run_date": "2026-11-27", "commit": "abc"}])
    assert '<a href="01_x.html">Costs &lt;&amp;&gt; plans</a>' in page
    assert "<p>ok</p>" in page
    assert ("SYNTHETIC DATA: a made-up sample" in page) == bool(synthetic)
