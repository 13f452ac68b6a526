"""The command line's exit codes and messages for the bad-input cases a user can act on."""

import os
import subprocess
import sys

import pytest


def run(args, tmp_path, mirror):
    env = {**os.environ, "ANALYSIS_DATA_MIRROR": mirror}
    return subprocess.run([sys.executable, "-m", "analysis", "data", *args, "--data-dir",
                           str(tmp_path / "data")], env=env, capture_output=True, text=True, timeout=120)


def test_unknown_source_id_is_a_usage_error(tmp_path):
    result = run(["fetch", "no_such_source"], tmp_path, str(tmp_path))
    assert result.returncode == 2
    assert "unknown source id 'no_such_source'" in result.stderr


def test_tampered_mirror_file_exits_4_and_places_nothing(tmp_path):
    mirror = tmp_path / "mirror"
    (mirror / "ehcp").mkdir(parents=True)
    (mirror / "ehcp/ehcp_2025release_sen2_dmo_dco.csv").write_text("tampered\n")
    result = run(["fetch", "ehcp_r25_dmo_dco"], tmp_path, str(mirror))
    assert result.returncode == 4, result.stderr
    assert "65c51c55233db65bbfb6036e3454d13201a9c51e87cdf341807ee79dff0749bc" in result.stderr
    assert not (tmp_path / "data/raw/ehcp/ehcp_2025release_sen2_dmo_dco.csv").exists()


def test_mirror_only_file_missing_from_mirror_exits_3_with_instructions(tmp_path):
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    result = run(["fetch", "population_mid2014"], tmp_path, str(mirror))
    assert result.returncode == 3, result.stderr
    assert "mirror-only" in result.stderr
    assert "https://www.ons.gov.uk/" in result.stderr
    assert str(tmp_path / "data/raw/population/ons_mye_mid2014") in result.stderr


@pytest.mark.integration
def test_verify_reports_a_file_changed_after_fetch(tmp_path):
    raw = tmp_path / "data/raw/ehcp"
    raw.mkdir(parents=True)
    (raw / "ehcp_2025release_sen2_dmo_dco.csv").write_text("edited\n")
    result = run(["verify"], tmp_path, str(tmp_path))
    assert result.returncode == 4
    assert "MISMATCH" in result.stdout and "ehcp_2025release_sen2_dmo_dco.csv" in result.stdout
