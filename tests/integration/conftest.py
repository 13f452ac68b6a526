"""The published site: the real pipeline run once per test session into a temporary folder."""

import os

import pytest

from analysis.pipeline.run import RunOptions, run


@pytest.fixture(scope="session")
def published_site(tmp_path_factory):
    """``reports/``-like folder from ``python -m analysis run`` with the default config."""
    if not os.environ.get("ANALYSIS_DATA_MIRROR"):
        pytest.fail("ANALYSIS_DATA_MIRROR is not set: the site tests need the data mirror")
    return _publish(tmp_path_factory.mktemp("reports"))


@pytest.fixture(scope="session")
def published_again(tmp_path_factory, published_site):
    """A second, independent run of the same pipeline, for reproducibility checks."""
    return _publish(tmp_path_factory.mktemp("reports_again"))


def _publish(reports):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # the same run date for every run
        result = run(RunOptions(reports_dir=reports))
    assert result.exit_code == 0, result.errors
    return reports
