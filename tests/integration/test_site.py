"""The published site from the real pipeline: pages, index, provenance, manifest, offline use."""

import json
import re

import pandas as pd
import pytest
from markupsafe import escape

from analysis.publish import config, manifest
from analysis.publish.pages import version
from analysis.report.words import header_words
from analysis.sources.catalogue import load_catalogue
from analysis.studies import finance
from analysis.tables.store import sources_of
from tests.integration.conftest import SAMPLE
from tests.integration.test_finance import PATH_COLUMNS
from tests.integration.test_forecast import COLUMNS

pytestmark = pytest.mark.integration

PIPELINE = config.load_pipeline()
EXTERNAL = re.compile(r"""<(?:script|link|img|iframe|source)\b[^>]*\b(?:src|href)=["']?(?:https?:)?//""",
                      re.IGNORECASE)


REPORTS = [p for p in PIPELINE.publications if not p.collection]


def test_every_report_has_a_page_linked_from_the_index(published_site):
    index = (published_site / "html" / "index.html").read_text()
    for pub in REPORTS:
        assert (published_site / "html" / f"{pub.name}.html").is_file()
        assert f'href="{pub.name}.html"' in index and str(escape(pub.title)) in index
    assert 'href="profiles/index.html"' in index


def _entry(published_site, name, key=""):
    return json.loads((published_site / "manifest.json").read_text())["publications"][name]["sets"][key]


def test_pages_list_exactly_the_files_behind_what_they_read(published_site):
    """Reads are recorded, not declared: the footer lists the source files of the tables the
    notebook's kernel loaded, and the manifest the same tables with their sha256."""
    for pub in REPORTS:
        page = (published_site / "html" / f"{pub.name}.html").read_text()
        assert not EXTERNAL.search(page), EXTERNAL.search(page).group(0)
        assert "require.min.js" not in page and "MathJax" not in page
        footer = page[page.index('id="provenance"'):]
        assert version(manifest.git_commit()) in footer
        reads = _entry(published_site, pub.name)["reads"]
        files = sources_of(reads, load_catalogue())
        assert files and re.findall(r"<code>([0-9a-f]{64})</code>", footer) == [f["sha256"] for f in files]
        for name in config.load_params(pub.params):   # each setting in words
            assert f'<th scope="row">{header_words(name)}</th>' in footer
        assert "pandas " in footer and "Run on " in footer
        assert "hl-ipython3" not in page  # code hidden by default
    assert set(_entry(published_site, "01_baseline_review")["reads"]) >= {
        "ehcp_caseload_age", "dsg_high_needs", "hn_benchmarking", "la_lookup"}
    assert "deprivation" in _entry(published_site, "03_demand_drivers")["reads"]
    assert "deprivation" not in _entry(published_site, "02_survey_analysis")["reads"]


def test_manifest_hashes_match_the_published_files(published_site):
    recorded = json.loads((published_site / "manifest.json").read_text())
    for name, publication in recorded["publications"].items():
        for entry in publication["sets"].values():
            assert entry["outputs"] == manifest.output_hashes(published_site, entry["outputs"]), name
    assert recorded["index"] == manifest.output_hashes(
        published_site, ["html/index.html", "html/about.html", "html/accessibility.html"])
    assert recorded["stylesheet"] == manifest.output_hashes(published_site, ["html/site.css"])


def test_the_site_is_light_a_profile_with_its_images_included(published_site):
    """Pages, images and the stylesheet (``html/`` less the files to download) weigh at most
    20 MB in all and a profile at most 200 KB with its images; no page inlines an image or a
    stylesheet."""
    html = published_site / "html"
    files = [p for p in html.rglob("*") if p.is_file()
             and p.relative_to(html).parts[0] not in ("tables", "figures", "downloads")]
    assert sum(p.stat().st_size for p in files) <= 20_000_000
    for page in (html / "profiles").glob("[0-9]*.html"):
        text = page.read_text(encoding="utf-8")
        images = re.findall(r'src="(img/[^"]+)"', text)
        weight = page.stat().st_size + sum((page.parent / i).stat().st_size for i in images)
        assert weight <= 200_000, f"{page.name}: {weight:,} bytes"
    for page in html.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "base64," not in text and "<style" not in text, page.name


def test_every_table_in_a_page_has_a_caption_and_every_region_a_name_of_its_own(published_site):
    """A screen reader lists a page's tables and regions by name: each table in ``<main>`` is
    captioned (the notebooks' ``captions`` metadata, a chart's title, a profile's indicator) and
    no two scrolling regions of a page share a name."""
    html = published_site / "html"
    pages = [*html.glob("*.html"), html / "profiles" / "index.html",
             *(html / "profiles" / f"{code}.html" for code in SAMPLE)]
    for page in pages:
        main = page.read_text(encoding="utf-8").split("<main", 1)[1].split("</main>", 1)[0]
        tables = re.findall(r"<table\b[^>]*>\s*(<caption>)?", main)
        assert all(tables), f"{page.name}: {tables.count('')} of {len(tables)} tables uncaptioned"
        regions = re.findall(r'<div (?=[^>]*role="region")[^>]*aria-label="([^"]+)"', main)
        repeated = sorted({r for r in regions if regions.count(r) > 1})
        assert not repeated, f"{page.name}: regions named alike: {repeated}"


def test_every_report_table_has_its_csv_beside_it_and_a_titled_sheet(published_site):
    """Each table a report shows (other than a chart's, whose CSV is linked from the chart) is
    followed by a link to its CSV, which exists, whose title (the table's caption) heads its
    sheet in the report's spreadsheet and whose rows are the table's."""
    from bs4 import BeautifulSoup
    from openpyxl import load_workbook

    reports = [p for p in (published_site / "html").glob("0*.html")]
    assert len(reports) == 5
    for page in reports:
        main = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").main
        tables = [t for t in main.find_all("table") if not t.find_parent(["figure", "details"])]
        assert tables, page.name
        book = load_workbook(published_site / "html" / "downloads" / f"{page.stem}.xlsx", read_only=True)
        titles = {ws["A1"].value for ws in book.worksheets}
        for table in tables:
            link = table.find_parent("div", class_="table-wrap").find_next_sibling("p")
            assert link is not None and link.get("class") == ["table-download"], (
                f"{page.name}: no CSV under {table.caption.get_text()!r}")
            csv = published_site / "html" / link.a["href"]
            assert csv.resolve().is_file(), f"{page.name}: {link.a['href']} missing"
            rows = len(table.tbody.find_all("tr"))
            assert f"(CSV, {rows:,} rows)" in link.get_text()
            assert json.loads(csv.with_suffix(".json").read_text())["title"] == table.caption.get_text()
            assert table.caption.get_text() in titles, f"{page.name}: no sheet titled {table.caption}"


def test_no_workbook_stores_a_number_as_text(published_site):
    """Every table sheet of every spreadsheet read with openpyxl: no cell outside a column of
    codes holds a number written as text ("-£4.12bn", "35%", "2015"): an analyst can sum it."""
    from openpyxl import load_workbook

    from analysis.publish.spreadsheet import HEADER_ROW
    from analysis.report.words import read_number

    books = sorted((published_site / "html" / "downloads").glob("*.xlsx"))
    assert len(books) == 6
    found = []
    for path in books:
        book = load_workbook(path, read_only=True)
        for sheet in (ws for ws in book.worksheets if ws.title.startswith("Table_")):
            rows = sheet.iter_rows(min_row=HEADER_ROW, values_only=True)
            headers = next(rows)
            for row in rows:
                found += [f"{path.name} {sheet.title} {header!r}: {value!r}"
                          for header, value in zip(headers, row)
                          if isinstance(value, str) and "code" not in str(header).lower()
                          and read_number(value) is not None]
    assert not found, f"{len(found)} numbers stored as text, first: {found[:10]}"


def test_every_profile_table_has_the_las_csv_beside_it(published_site):
    """Each table of a profile (at a glance, the outlook, the balance, every indicator; the
    theme charts' tables are followed by their CSV after the collapsed tables) has a CSV of the
    LA's own linked under it, which exists and holds that LA's rows."""
    from bs4 import BeautifulSoup

    for code in SAMPLE:
        page = published_site / "html" / "profiles" / f"{code}.html"
        main = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").main
        tables = [t for t in main.find_all("table") if not t.find_parent("details")]
        assert len(tables) >= 3, code
        for table in [*tables, *(d for d in main.find_all("details", class_="chart-data"))]:
            after = table if table.name == "details" else table.find_parent("div", class_="table-wrap")
            link = after.find_next_sibling("p")
            assert link is not None and link.a["href"].startswith(f"../downloads/profiles/{code}"), (
                f"{code}: no CSV of its own under {table.get_text()[:60]!r}")
            csv = (page.parent / link.a["href"]).resolve()
            assert csv.is_file() and f"\n{code}," in csv.read_text(encoding="utf-8"), csv


def test_the_synthetic_survey_report_says_so_everywhere(published_site):
    page = (published_site / "html" / "02_survey_analysis.html").read_text()
    assert page.count('class="site-banner"') == 1 and "SYNTHETIC DATA: SYNTHETIC sample (n=73" in page
    index = (published_site / "html" / "index.html").read_text()
    assert index.count('class="site-banner"') == 1
    survey_outputs = [p.name for folder in ("figures", "tables")
                      for p in (published_site / "html" / folder).glob("survey_*")]
    assert survey_outputs and all("SYNTHETIC" in name for name in survey_outputs)
    assert "SYNTHETIC" not in (published_site / "html" / "01_baseline_review.html").read_text()


def test_no_page_shows_a_hyphen_for_a_minus_sign(published_site):
    """Every negative number a reader sees has a true minus (U+2212), in text and alt text."""
    from bs4 import BeautifulSoup
    hyphen = re.compile(r"(?<![\w.,/\-])-[£$]?\d")
    pages = sorted((published_site / "html").rglob("*.html"))
    assert len(pages) > 150
    found = {}
    for path in pages:
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for hidden in soup(["script", "style", "code", "pre"]):
            hidden.decompose()
        texts = [soup.get_text(" ")] + [img.get("alt", "") for img in soup.find_all("img")]
        hits = [m.group(0) for t in texts for m in hyphen.finditer(t)]
        if hits:
            found[path.name] = hits[:3]
    assert not found, found
    assert "\u2212\u2060£" in (published_site / "html" / "profiles" / "886.html").read_text(encoding="utf-8")


def test_every_page_links_the_profiles_in_its_navigation(published_site):
    html = published_site / "html"
    for path in [*sorted(html.glob("*.html")), html / "profiles" / "886.html"]:
        nav = re.search(r'<nav\b[^>]*class="site-nav".*?</nav>', path.read_text(encoding="utf-8"),
                        re.S).group(0)
        assert "profiles/index.html" in nav or 'href="index.html">All LA profiles' in nav, path.name


CODE_LIKE = re.compile(r"\b[a-z][a-z0-9]*_[a-z0-9_]+\b|\b[\w-]+\.(?:csv|xlsx|py|yaml|ipynb|toml|json)\b"
                       r"|\b20\d\d-\d\d-\d\d\b")
"""Text from the code on a page: a snake_case name, a file name or an ISO date."""


def test_no_page_shows_code_outside_its_provenance(published_site):
    """Every page's text above its provenance footer (which names the official files and their
    sha256 on purpose): no code element, snake_case name, file name or ISO date."""
    from bs4 import BeautifulSoup

    html = published_site / "html"
    found = []
    for path in [*sorted(html.glob("*.html")), *sorted((html / "profiles").glob("*.html"))]:
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for footer in soup.find_all("footer"):
            footer.decompose()
        found += [f"{path.name}: <code>{c.get_text()}</code>" for c in soup.find_all("code")]
        found += [f"{path.name}: {m}" for m in sorted(set(CODE_LIKE.findall(soup.get_text(" "))))]
    assert not found, "\n".join(found[:30])


def test_the_notebook_publishes_the_finance_tables(published_site):
    tables = published_site / "html" / "tables"
    la = pd.read_csv(tables / "finance_la.csv", dtype={"area_code": str})
    assert {"area_code", "area_name", "level", "year", "hnb_before", "hnb_before_symbol", "balance",
            "balance_symbol", "gap", "gap_symbol", "spend_per_plan"} <= set(la.columns)
    assert set(la.loc[la["gap"].isna() & la["level"].eq("National"), "gap_symbol"]) == {"not held"}
    path = pd.read_csv(tables / "finance_deficit_path.csv", dtype={"area_code": str})
    assert list(path.columns) == [*PATH_COLUMNS[:1], "ons_code", *PATH_COLUMNS[1:]]
    assert path["year"].max() == 2028
    labels = {s["label"] for s in finance.assumptions.load().scenarios.values()}
    assert set(path["scenario"]) == labels   # scenarios in words, not codes
    position = pd.read_csv(tables / "finance_2028.csv", dtype={"area_code": str})
    assert {"deficit_2026", "grant", "balance_2028", "balance_2028_lower", "balance_2028_no_grant",
            "balance_2028_pct_of_dsg", "start_basis"} <= set(position.columns)
    assert position["area_code"].nunique() >= 149
    research = pd.read_csv(tables / "finance_research_projections.csv")
    assert {"projection", "research", "outcome_measure", "outcome", "outcome_source"} <= set(research.columns)
    page = (published_site / "html" / "06_high_needs_finance.html").read_text()
    assert "High needs money" in page and "31 March 2028" in page and "£" in page
    profile = (published_site / "html" / "profiles" / "886.html").read_text()
    assert 'id="high-needs-money"' in profile and "Kent's cumulative DSG balance" in profile
    assert "when the statutory override ends, Kent is projected to hold" in profile


def test_the_notebook_publishes_the_forecast_tables(published_site):
    tables = published_site / "html" / "tables"
    table = pd.read_csv(tables / "forecast_ehcp.csv", dtype={"area_code": str})
    assert list(table.columns[:len(COLUMNS) + 1]) == [*COLUMNS[:1], "ons_code", *COLUMNS[1:]]
    assert table.loc[table["area_code"].eq("886"), "ons_code"].unique().tolist() == ["E10000016"]   # Kent
    assert "pooled and recent growth averaged" in set(table["method"])   # methods in words
    scores = pd.read_csv(tables / "forecast_backtest.csv")
    assert {"mdape", "mape", "bias_pct", "mase", "coverage_80", "coverage_95"} <= set(scores.columns)
    for name in ("forecast_ehcp_age", "forecast_placements", "forecast_jumps", "forecast_published",
                 "forecast_research_2018"):
        assert (tables / f"{name}.csv").is_file(), name
    page = (published_site / "html" / "05_demand_forecast.html").read_text()
    assert "Demand forecast" in page and "The default is" in page
