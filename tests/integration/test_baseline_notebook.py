"""The baseline review on the data mirror: England's page as published, and the local view for
LAs of different types (a county split in 2021, a London borough, a metropolitan district, a
unitary merged in 2019), each chart and the key facts built as the notebook builds them. The
notebook itself runs in the published site (England) and under nbval (a county's local view)."""

import os

import matplotlib
import pandas as pd
import pytest

from analysis.publish.config import load_params
from analysis.series.store import SeriesStore
from analysis.settings import PROJECT_ROOT
from analysis.studies import baseline
from analysis.studies.baseline import figures, findings

matplotlib.use("Agg")
WINDOW = load_params(PROJECT_ROOT / "notebooks" / "params" / "01_baseline_review.yaml")
"""The published run's parameters: its years are the window of every local view here."""
CHARTS = ["ehcp_count", "ehcp_rate", "post16_share", "placements", "new_plans_timeliness",
          "exclusions", "tribunals", "hnb", "dsg_balance", "la_growth"]

pytestmark = pytest.mark.integration


@pytest.fixture(autouse=True)
def _needs_mirror():
    if not os.environ.get("ANALYSIS_DATA_MIRROR"):
        pytest.fail("ANALYSIS_DATA_MIRROR is not set: integration tests need the data mirror")


@pytest.fixture(scope="module")
def series(data_settings) -> SeriesStore:
    return SeriesStore()


def test_england_claims_table(published_site):
    out = published_site / "html"
    claims = pd.read_csv(out / "tables" / "baseline_england_claims.csv").set_index("claim_id")
    assert list(claims.index) == [f"C{i}" for i in range(1, 10)]
    for claim_id in ("C1", "C2", "C3", "C9"):
        assert claims.loc[claim_id, "status"] == "reproduced", claims.loc[claim_id].to_dict()
    # Same rounded percentage as the research: 35% and 24%.
    assert round(claims.loc["C1", "computed_value"]) == 35
    assert round(claims.loc["C2", "computed_value"]) == 24
    assert claims.loc["C1", "start_value"] == 237111 and claims.loc["C1", "end_value"] == 319819
    untestable = claims[claims["status"].eq("not testable with the data held")].index
    assert list(untestable) == ["C4", "C5", "C6", "C7", "C8"]
    assert claims.loc[untestable, "note"].str.len().gt(40).all()
    for chart in CHARTS:
        assert (out / "figures" / f"baseline_england_{chart}.png").stat().st_size > 10_000
        assert (out / "figures" / f"baseline_england_{chart}.svg").exists()
        assert (out / "tables" / f"baseline_england_{chart}.csv").exists()


@pytest.mark.parametrize("la_code,comparators", [
    ("940", "statistical_neighbours"),  # North Northamptonshire: reported as Northamptonshire
    ("202", "region"),                  # Camden, a London borough
    ("373", ["372", "384"]),            # Sheffield, a metropolitan district, chosen comparators
    ("838", "statistical_neighbours"),  # Dorset unitary (2019): with BCP as one stable area
])
def test_local_view_runs_for_las_of_each_type(series, la_code, comparators):
    area, group = baseline.local_area(series, la_code, comparators)
    view = figures.View(series, WINDOW["start_year"], WINDOW["end_year"], area, group)
    charts = {}
    for chart in figures.ALL:
        name, fig, data = chart(view)
        figures.close(fig)
        charts[name.removeprefix(f"{view.prefix}_")] = data
    assert sorted(charts) == sorted(CHARTS)
    for chart, data in charts.items():
        if chart != "la_growth":
            assert {"England", "LA"} <= set(data["role"]), chart
            assert "Comparators" in set(data["role"]), chart
    points = findings.local_findings(figures.local_measures(view), area.name)
    assert len(points) >= 5 and all(area.name in p or "England" in p for p in points), points
