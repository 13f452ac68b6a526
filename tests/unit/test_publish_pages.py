"""Report pages and the index, rendered from small in-memory notebooks (no kernel needed)."""

import base64
import hashlib
import re

import nbformat
import pandas as pd
import pytest
from bs4 import BeautifulSoup

from analysis.publish import pages
from analysis.report import words
from analysis.report.collection import IndexCell, IndexColumn, IndexRow, IndexTable, ThemeNote
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
    assert "Run on 27 November 2026 from version abc123 + uncommitted changes of the project" in footer
    assert '<th scope="row">LA code</th><td>940</td>' in footer  # settings in words, not code
    assert '<th scope="row">Start year</th><td>2014</td>' in footer
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
    assert 'class="find-area"' not in page   # no pages listed: no search box


def test_the_home_page_opens_with_find_your_area():
    page = pages.site_index_page([{"name": "01_x", "title": "X", "summary_html": "", "synthetic": [],
                                   "run_date": "2026-12-02", "commit": "abc"}],
                                 [{"name": "profiles", "title": "P", "summary": "s", "count": 2,
                                   "run_date": "2026-12-02", "commit": "abc", "command": "c",
                                   "pages": [("886", "Kent (886)"), ("202", "Camden (202)")]}])
    assert '<option value="Kent (886)" data-key="886"></option>' in page
    assert page.index('class="find-area"') < page.index('id="01_x"')   # before the reports
    assert 'action="profiles/index.html"' in page   # without scripts: the searchable index


def test_the_site_index_links_each_publications_downloads():
    page = pages.site_index_page(
        [{"name": "01_x", "title": "X", "summary_html": "", "synthetic": [], "run_date": "2026-12-02",
          "commit": "abc", "downloads": ["html/downloads/01_x.xlsx"]}],
        [{"name": "profiles", "title": "P", "summary": "s", "count": 1, "run_date": "2026-12-02",
          "commit": "abc", "command": "c", "downloads": ["html/downloads/profiles.xlsx",
                                                        "html/downloads/profiles_chart_data.csv"]}])
    assert ('<a href="downloads/01_x.xlsx">Download every table of this report as a spreadsheet '
            "(XLSX)") in page   # inside the site folder, beside the index
    assert 'href="downloads/profiles.xlsx"' in page
    assert 'href="downloads/profiles_chart_data.csv"' in page


def test_a_collection_index_is_a_sortable_table_with_links_and_a_footer():
    table = IndexTable(
        title="Pages", intro=("Intro <b>",), footnote="Note.", summary="s", parameters={"key": "each page"},
        columns=(IndexColumn(id="x", title="X", unit="%", when="2025", theme="T"),),
        rows=(IndexRow(code="a", name="Area A", region="R", la_type="UA", link="a.html",
                       cells=(IndexCell(text="1.0", sort="1.0"),)),
              IndexRow(code="b", name="Area B", region="R", la_type="UA", link=None,
                       cells=(IndexCell(text="n/a", sort=""),))),
        notes=(ThemeNote(id="why-t", title="T", items=(("X", "Why.", "Limits."),)),))
    page = pages.collection_index_page(table, PROVENANCE, downloads=[("../b.xlsx", "Download B")])
    assert '<a href="a.html">Area A</a>' in page and ">Area B<" in page
    assert '<h3 id="why-t">T</h3>' in page and "<strong>X.</strong> Why." in page
    assert '<a href="../b.xlsx">Download B</a>' in page
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


def test_a_page_links_the_one_stylesheet_and_carries_none_of_its_own():
    page = pages.notebook_page(_notebook(), "A report", PROVENANCE, root="../")
    assert re.search(r'<link href="\.\./site\.css" rel="stylesheet"/?>', page)
    assert "<style" not in page.split("<body")[0]
    assert len(page) < 20_000   # JupyterLab's stylesheet alone is 240 KB
    assert 'href="../about.html"' in page and 'href="../accessibility.html"' in page


def test_the_stylesheet_holds_rules_for_what_the_pages_use():
    css = pages.stylesheet()
    for selector in ("figure.chart", ".table-wrap", "table.profiles", ".site-footer", ":focus-visible",
                     "@media print", ".glance-bar", "a.anchor-link", ".table-download"):
        assert selector in css, selector
    assert not re.search(r"font-size:\s*\d+px", css)   # text follows the browser's size


@pytest.mark.parametrize(("page", "root"), [("html/01_report.html", ""),
                                            ("html/profiles/886.html", "../")])
def test_site_root_from_a_page(page, root):
    assert pages.site_root(page) == root


def test_images_leave_the_page_as_files_named_by_page_and_content():
    png = base64.b64encode(b"\x89PNG fake bytes").decode()
    other = base64.b64encode(b"RIFF....WEBP other").decode()
    page = (f'<img src="data:image/png;base64,{png}" alt="a"><p>text</p>'
            f'<img alt="b" src="data:image/webp;base64,{other}">')
    out, images = pages.page_images(page, "886")
    sha = hashlib.sha256(b"\x89PNG fake bytes").hexdigest()[:12]
    assert f'src="img/886-{sha}.png"' in out and "base64" not in out
    assert images[f"img/886-{sha}.png"] == b"\x89PNG fake bytes"
    assert sorted(images) == sorted(re.findall(r'src="(img/[^"]+)"', out))
    assert [n.rsplit(".", 1)[1] for n in sorted(images, key=out.index)] == ["png", "webp"]


def test_a_pictures_phone_source_leaves_the_page_as_a_file_too():
    phone, desk = (base64.b64encode(b).decode() for b in (b"RIFF phone", b"RIFF desk"))
    page = (f'<picture><source media="(max-width: 40em)" srcset="data:image/webp;base64,{phone}">'
            f'<img src="data:image/webp;base64,{desk}" alt="a"></picture>')
    out, images = pages.page_images(page, "01_baseline_review")
    sha = hashlib.sha256(b"RIFF phone").hexdigest()[:12]
    assert f'srcset="img/01_baseline_review-{sha}.webp"' in out and "base64" not in out
    assert sorted(images.values()) == [b"RIFF desk", b"RIFF phone"]


def test_a_collection_page_names_the_index_for_its_shared_sources():
    provenance = {**PROVENANCE, "shared_sources": 34, "sources": []}
    page = pages.notebook_page(_notebook(), "A profile", provenance, root="../")
    assert "The 34 files listed with their sha256" in page and 'href="index.html#provenance"' in page
    assert "No official data files" not in page


def _catalogue():
    from analysis.sources.catalogue import load_catalogue

    return load_catalogue()


@pytest.mark.parametrize(("contact", "shown"), [
    ("", "No contact has been set"),
    ("send-data@example.org", '<a href="mailto:send-data@example.org">'),
    ("https://example.org/contact", '<a href="https://example.org/contact">')])
def test_site_pages_give_release_date_contact_licence_and_how_to_rerun(contact, shown):
    written = pages.site_pages(release_date="2026-12-02", commit="abc123", contact=contact,
                               catalogue=_catalogue())
    about, statement = written["about.html"], written["accessibility.html"]
    assert shown in about and shown in statement
    assert "2 December 2026" in about and "2 December 2026" in statement
    assert "Open Government Licence v3.0" in about
    assert "rebuild these pages" in about and "runs the tests" in about and "<code>" not in about
    assert "WCAG" in statement and "Equality Advisory and Support Service" in statement
    assert about.count("<main") == statement.count("<main") == 1


def test_source_publications_group_releases_under_their_publication():
    rows = pages.source_publications(_catalogue())
    ehcp = next(r for r in rows if r["publication"] == "Education, health and care plans")
    assert "Reporting year 2022" in ehcp["releases"] and "Reporting year 2025" in ehcp["releases"]
    assert ehcp["licence"] == "Open Government Licence v3.0"
    assert len({(r["publisher"], r["publication"]) for r in rows}) == len(rows)


def test_captions_from_a_cells_metadata_go_to_its_uncaptioned_tables_in_order():
    from analysis.report import words

    chart_table = words.people_table(words.captioned(pd.DataFrame({"a": [1]}), "The data behind the chart"))
    outputs = [nbformat.v4.new_output("display_data", data={"text/html": chart_table}),
               nbformat.v4.new_output("execute_result", execution_count=1,
                                      data={"text/html": words.people_table(pd.DataFrame({"b": [2]}))})]
    nb = _notebook(*outputs)
    nb.cells[-1].metadata["captions"] = ["The model's coefficients"]
    page = pages.notebook_page(nb, "A report", PROVENANCE)
    assert page.count("<caption>The data behind the chart</caption>") == 1
    assert '<caption>The model\'s coefficients</caption>' in page or \
        "<caption>The model&#x27;s coefficients</caption>" in page
    assert 'aria-label="Table"' not in page


def test_a_reports_published_tables_are_paired_with_their_csvs_by_caption(tmp_path):
    from analysis.report import plotting, words

    chart = plotting.data_table_html(pd.DataFrame({"a": [1]}), "A finding")
    own = words.captioned(pd.DataFrame({"b": [2]}), "Its own caption")
    outputs = [nbformat.v4.new_output("display_data", data={"text/html": (
                   '<figure><figcaption><a href="tables/chart.csv">CSV</a></figcaption>' + chart)}),
               nbformat.v4.new_output("display_data", data={"text/html": (
                   words.people_table(own) + words.table_download(own, tmp_path, "r_table_01"))}),
               nbformat.v4.new_output("display_data", data={"text/html": (
                   words.people_table(pd.DataFrame({"c": [3, 4]}))
                   + words.table_download(pd.DataFrame({"c": [3, 4]}), tmp_path, "r_table_02"))})]
    nb = _notebook(*outputs)
    nb.cells[-1].metadata["captions"] = ["From the metadata's list"]
    lab_only = nbformat.v4.new_code_cell("sources", metadata={"tags": [pages.NOTEBOOK_ONLY]})
    lab_only.outputs = [nbformat.v4.new_output("display_data", data={"text/html": (
        words.people_table(own) + words.table_download(own, tmp_path, "r_table_03"))})]
    nb.cells.append(lab_only)
    assert pages.table_csvs(nb) == {"r_table_01": "Its own caption",
                                    "r_table_02": "From the metadata's list"}
    assert "<caption>" not in "".join(nb.cells[-2].outputs[2].data["text/html"])   # nb left as it was
    assert (tmp_path / "r_table_02.csv").read_text(encoding="utf-8") == "\ufeffC\n3\n4\n"


def test_negative_numbers_get_a_true_minus_joined_to_the_pound_and_nothing_else_changes():
    from analysis.publish.pages import typeset
    page = ('<p>Balance -£1.16bn (-4.0% of income), 2021-22, ages 16-25, 2026-12-07.</p>'
            '<td>-12</td><img alt="falls to -£50.0m" src="a-1.webp">'
            '<script>var x = -1;</script><code>x = -1</code>')
    out = typeset(page)
    assert ('<p>Balance \u2212\u2060£1.16bn (\u22124.0% of income), 2021-22, ages 16-25, '
            '7 December 2026.</p><td>\u221212</td>') in out   # a date for people
    assert 'alt="falls to \u2212\u2060£50.0m" src="a-1.webp"' in out
    assert out.endswith('<script>var x = -1;</script><code>x = -1</code>')


def test_a_report_gets_a_contents_list_of_its_sections():
    section = '<h2 id="{0}">{0}<a class="anchor-link" href="#{0}">&#182;</a></h2>'
    page = ('<h1 id="T">T<a class="anchor-link" href="#T">&#182;</a></h1>'
            + "".join(section.format(s) for s in ("Summary", "Method", "Accuracy")))
    out = pages.with_contents(page)
    assert out.index('<nav class="contents"') < out.index('<h2 id="Summary">')
    assert '<li><a href="#Accuracy">Accuracy</a></li>' in out
    assert pages.with_contents(page.replace(section.format("Accuracy"), "")) == page.replace(
        section.format("Accuracy"), "")   # two sections: no list


def test_a_table_with_text_columns_takes_its_caption_from_the_metadata():
    frame = pd.DataFrame({"n": [1, 2], "region": ["London", "North East"]})
    cell = nbformat.v4.new_code_cell("frame", metadata={pages.CAPTIONS: ["Regions counted"]})
    cell.outputs = [nbformat.v4.new_output("display_data", data={"text/html": words.people_table(frame)})]
    pages.caption_tables(cell)
    shown = cell.outputs[0].data["text/html"]
    assert '<table class="people t2"><caption>Regions counted</caption>' in shown
    assert 'aria-label="Regions counted"' in shown


def test_a_reports_summary_is_its_key_facts_box():
    page = pages.notebook_page(_notebook(), "A report", PROVENANCE)
    box = BeautifulSoup(page, "html.parser").select("div.cell.key-facts")
    assert len(box) == 1 and "42" in box[0].get_text()   # the cell tagged summary, and only it


def test_a_version_is_a_short_hash_that_keeps_its_note():
    assert pages.version("24a74d70eea8ec12f37b9669e312f72539d4dcff + uncommitted changes") == (
        "24a74d70eea8 + uncommitted changes")
    assert pages.version("24a74d70eea8ec12f37b9669e312f72539d4dcff") == "24a74d70eea8"


def test_a_runs_settings_read_as_words():
    assert pages.header_words("la_code") == "LA code"
    assert [pages.setting_value(v) for v in (None, True, ["886", "940"], 2.5, "announced")] == [
        "the notebook's default", "yes", "886, 940", "2.5", "announced"]


def test_a_date_in_text_is_written_as_people_write_it_but_ranges_and_names_are_not():
    page = ('<p>Allocations published 2021-11-18; 2021-22; file dsg_2021-11-18.xlsx</p>'
            '<a href="x-2021-11-18.csv">data</a><code>2026-12-07</code>')
    assert pages.typeset(page) == ('<p>Allocations published 18 November 2021; 2021-22; file '
                                   'dsg_2021-11-18.xlsx</p><a href="x-2021-11-18.csv">data</a>'
                                   '<code>2026-12-07</code>')
