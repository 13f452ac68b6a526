"""The synthetic sample against the published aggregates, the sampling frame, and the survey
command line (needs the data mirror)."""

import os
import subprocess
import sys

import pandas as pd
import pytest

from analysis.studies import survey
from analysis.studies.survey import codebook, frame, summaries, synthetic
from analysis.tables import store

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def sample():
    if not os.environ.get("ANALYSIS_DATA_MIRROR"):
        pytest.fail("ANALYSIS_DATA_MIRROR is not set: integration tests need the data mirror")
    return survey.load(seed=2018)


def test_synthetic_totals_reproduce_the_published_interim_chart(sample):
    check = synthetic.calibration_check(summaries.inputs_by_source(sample.cleaned.values, sample.codebook))
    parts = check[check["source"].ne("Total")]
    assert len(parts) == 16 and parts["difference_gbp_m"].abs().max() < 1e-9  # exact, to the pound
    totals = check[check["source"].eq("Total")].set_index("year")["difference_gbp_m"]
    assert totals.abs().max() <= 1  # the chart's own totals are rounded (2017-18: 116 vs 117)
    # the published figures themselves, from the research brief
    published = parts.set_index(["year", "source"])["published_gbp_m"]
    assert published[("2016-17", "Schools block transfer")] == 82


def test_synthetic_sample_is_identical_for_a_seed_and_labelled(sample):
    book = codebook.load_codebook()
    again = synthetic.synthesise(book, n=73, seed=2018)
    assert again.equals(sample.raw)
    assert not synthetic.synthesise(book, n=73, seed=2019).equals(sample.raw)
    assert sample.synthetic and "SYNTHETIC" in sample.source
    assert sample.raw["response_id"].str.startswith("SYNTHETIC-").all()


def test_synthetic_respondents_are_real_whole_area_las(sample):
    las = frame.survey_las(store.load("la_lookup"), sample.codebook.years).set_index("old_la_code")
    codes = sample.cleaned.values["la_code"]
    assert len(codes) == 73 and codes.is_unique
    assert las.loc[codes, "whole_area"].all()
    assert sample.cleaned.excluded.empty and sample.cleaned.problems().empty


def test_synthetic_plans_are_the_published_counts(sample):
    age = store.load("ehcp_caseload_age")
    row = sample.cleaned.values.iloc[0]
    published = age[age["old_la_code"].eq(row["la_code"]) & age["year"].eq(2019) & age["measure"].eq("total")
                    & age["age_group"].eq("Age 16 to 19")]["value"].item()
    assert row["ehcp_age_16_19_2018_19"] == published


def test_frame_has_every_stable_area_once():
    areas = frame.sampling_frame(codebook.load_codebook().years)
    assert areas["unit_code"].is_unique and len(areas) == 150
    assert areas["population_0_25"].notna().all() and areas["hnb_2019_20"].notna().sum() == 148


def _cli(*args, cwd):
    return subprocess.run([sys.executable, "-m", "analysis", "survey", *args], capture_output=True,
                          text=True, cwd=cwd, timeout=300)


def test_cli_template_and_synthesise(tmp_path):
    result = _cli("template", "--out", str(tmp_path), "--years", "2017-18", "2018-19", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    header = pd.read_csv(tmp_path / "survey_template.csv").columns
    assert "hnb_allocation_2018_19" in header and "hnb_allocation_2015_16" not in header
    out = tmp_path / "SYNTHETIC_small.csv"
    result = _cli("synthesise", "--n", "5", "--seed", "1", "--out", str(out), cwd=tmp_path)
    assert result.returncode == 0 and len(pd.read_csv(out)) == 5
    refused = _cli("synthesise", "--out", str(tmp_path / "returns.csv"), cwd=tmp_path)
    assert refused.returncode == 2 and "must say SYNTHETIC" in refused.stderr
    too_many = _cli("synthesise", "--n", "500", cwd=tmp_path)
    assert too_many.returncode == 2 and "n must be between 1 and" in too_many.stderr


def test_export_fixture_loads_with_its_problems_reported():
    fixture = survey.load("tests/fixtures/survey/export.csv", "tests/fixtures/survey/export_mapping.yaml")
    assert not fixture.synthetic
    assert sorted(fixture.cleaned.excluded["response_id"]) == ["R1", "R7", "R8", "R9"]
    assert list(fixture.cleaned.values.index) == ["R2", "R3", "R4", "R5", "R6"]
    problems = fixture.cleaned.problems()
    assert {"unparseable", "out of range", "unknown option"} <= set(problems["rule"])
    assert "inconsistent" in set(problems["status"])
