"""The published site: the real pipeline run once per test session into a temporary folder."""

import os

import pytest

from analysis.pipeline.run import RunOptions, run

EPOCH = "1700000000"
"""The run date of every test run (SOURCE_DATE_EPOCH), so runs can be compared byte for byte."""


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
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)  # the same run date for every run
        result = run(RunOptions(reports_dir=reports))
    assert result.exit_code == 0, result.errors
    return reports



def render_profiles(reports, **options):
    """``python -m analysis profiles`` (as a function) into ``reports`` on a fixed run date."""
    from analysis.profiles.render import ProfileOptions, render

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        return render(ProfileOptions(reports_dir=reports, **options))


@pytest.fixture(scope="session")
def published_profiles(tmp_path_factory):
    """``reports/``-like folder with every LA's profile, from one full profiles run."""
    if not os.environ.get("ANALYSIS_DATA_MIRROR"):
        pytest.fail("ANALYSIS_DATA_MIRROR is not set: the profile tests need the data mirror")
    reports = tmp_path_factory.mktemp("profiles")
    result = render_profiles(reports)
    assert result.exit_code == 0, result.errors
    return reports
