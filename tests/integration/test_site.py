"""The published site from the real pipeline: pages, index, provenance, manifest, offline use."""

import json
import re

import pytest
from markupsafe import escape

from analysis import tables
from analysis.pipeline import config, state

pytestmark = pytest.mark.integration

PIPELINE = config.load_pipeline()
EXTERNAL = re.compile(r"""<(?:script|link|img|iframe|source)\b[^>]*\b(?:src|href)=["']?(?:https?:)?//""",
                      re.IGNORECASE)


def test_every_notebook_has_a_page_linked_from_the_index(published_site):
    index = (published_site / "html" / "index.html").read_text()
    for spec in PIPELINE.notebooks:
        assert (published_site / "html" / f"{spec.name}.html").is_file()
        assert f'href="{spec.name}.html"' in index and str(escape(spec.title)) in index


def test_pages_carry_provenance_and_load_nothing_from_the_network(published_site):
    for spec in PIPELINE.notebooks:
        page = (published_site / "html" / f"{spec.name}.html").read_text()
        assert not EXTERNAL.search(page), EXTERNAL.search(page).group(0)
        assert "require.min.js" not in page and "MathJax" not in page
        footer = page[page.index('id="provenance"'):]
        assert state.git_commit()[:40] in footer
        for source in tables.sources_of(spec.tables):
            assert source["sha256"] in footer and source["release"] in footer
        for name in config.load_params(spec.params):
            assert f"<code>{name}</code>" in footer
        assert "pandas " in footer and "Run on " in footer
        assert "hl-ipython3" not in page  # code hidden by default


def test_manifest_hashes_match_the_published_files(published_site):
    manifest = json.loads((published_site / "manifest.json").read_text())
    for spec in PIPELINE.notebooks:
        entry = manifest["notebooks"][spec.name]
        assert entry["outputs"] == state.output_hashes(published_site, entry["outputs"])
        assert set(entry["inputs"]["tables"]) == set(spec.tables)
        assert all(spec.produces(rel) for rel in entry["outputs"] if not rel.startswith("html/"))
    assert manifest["index"] == state.output_hashes(published_site, ["html/index.html"])


def test_config_tables_match_what_the_notebooks_read():
    from analysis import baseline, drivers, survey

    assert set(PIPELINE.get("01_baseline_review").tables) == set(baseline.TABLES_USED)
    assert set(PIPELINE.get("02_survey_analysis").tables) == set(survey.TABLES_USED)
    assert set(PIPELINE.get("03_demand_drivers").tables) == set(drivers.TABLES_USED)


def test_the_synthetic_survey_report_says_so_everywhere(published_site):
    page = (published_site / "html" / "02_survey_analysis.html").read_text()
    assert page.count('class="site-banner"') == 1 and "SYNTHETIC DATA: SYNTHETIC sample (n=73" in page
    index = (published_site / "html" / "index.html").read_text()
    assert index.count('class="site-banner"') == 1
    survey_outputs = [p.name for folder in ("figures", "tables")
                      for p in (published_site / folder).glob("survey_*")]
    assert survey_outputs and all("SYNTHETIC" in name for name in survey_outputs)
    assert "SYNTHETIC" not in (published_site / "html" / "01_baseline_review.html").read_text()


def test_a_second_run_publishes_byte_identical_figures_tables_and_pages(published_site, published_again):
    def hashes(root):
        return {p.relative_to(root).as_posix(): state.sha256_file(p)
                for folder in ("figures", "tables", "html") for p in sorted((root / folder).rglob("*"))}

    first, second = hashes(published_site), hashes(published_again)
    assert len(first) > 30
    assert first == second, sorted(k for k in first if first[k] != second.get(k))
