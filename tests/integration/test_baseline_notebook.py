"""The baseline notebook, run with papermill against the data mirror, for England and for LAs
of different types (a county split in 2021, a London borough, a metropolitan district, a
unitary merged in 2019)."""

import os

import pandas as pd
import pytest

from analysis.settings import PROJECT_ROOT
from tests.integration.conftest import execute_notebook

NOTEBOOK = PROJECT_ROOT / "notebooks" / "01_baseline_review.ipynb"
CHARTS = ["ehcp_count", "ehcp_rate", "post16_share", "placements", "new_plans_timeliness",
          "exclusions", "tribunals", "hnb", "dsg_balance", "la_growth"]

pytestmark = pytest.mark.integration


@pytest.fixture(autouse=True)
def _needs_mirror():
    if not os.environ.get("ANALYSIS_DATA_MIRROR"):
        pytest.fail("ANALYSIS_DATA_MIRROR is not set: integration tests need the data mirror")


def _run(tmp_path, data_settings, **parameters):
    execute_notebook(NOTEBOOK, tmp_path / "out.ipynb", data_settings, output_dir=str(tmp_path),
                     **parameters)
    return tmp_path


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
def test_local_view_runs_for_las_of_each_type(tmp_path, data_settings, la_code, comparators):
    out = _run(tmp_path, data_settings, la_code=la_code, comparators=comparators)
    for chart in CHARTS:
        data = pd.read_csv(out / "tables" / f"baseline_la{la_code}_{chart}.csv")
        if chart != "la_growth":
            assert {"England", "LA"} <= set(data["role"]), chart
            assert "Comparators" in set(data["role"]), chart
