"""The pipeline on two tiny fixture notebooks (the second needs the first): incremental runs,
failures that keep the published pages, output checks and the command line."""

import json
import os
import shutil
import subprocess
import sys

import pytest
import yaml

from analysis.pipeline.run import RunOptions, run
from tests.conftest import FIXTURES


@pytest.fixture
def project(tmp_path):
    """A copy of the fixture pipeline and an empty reports folder."""
    shutil.copytree(FIXTURES / "pipeline", tmp_path / "notebooks")
    return tmp_path


def _run(project, *names, **options):
    opts = RunOptions(names=names, config_path=project / "notebooks" / "pipeline.yaml",
                      reports_dir=project / "reports", jobs=2, **options)
    return run(opts)


def _set_params(project, **params):
    path = project / "notebooks" / "params" / "first.yaml"
    path.write_text(yaml.safe_dump({"n": 3, "fail": False, **params}))


def _read(project, rel):
    return (project / "reports" / rel).read_bytes()


def test_cold_run_publishes_pages_index_outputs_and_manifest(project):
    result = _run(project)
    assert result.status == {"first": "ran", "second": "ran"} and result.exit_code == 0
    reports = project / "reports"
    assert (reports / "tables" / "first_squares.csv").read_text() == "i,square\n1,1\n2,4\n3,9\n"
    assert (reports / "tables" / "second_total.csv").read_text() == "total\n14\n"
    index = (reports / "html" / "index.html").read_text()
    assert 'href="first.html"' in index and 'href="second.html"' in index
    assert "add up to <strong>14</strong>" in index  # the summary-tagged cell's output
    manifest = json.loads((reports / "manifest.json").read_text())
    entry = manifest["notebooks"]["first"]
    assert entry["inputs"]["parameters"] == {"n": 3, "fail": False}
    assert set(entry["outputs"]) == {"tables/first_squares.csv", "html/first.html"}
    assert all(len(sha) == 64 for sha in entry["outputs"].values())
    assert (reports / "executed" / "first.ipynb").is_file()
    assert not (reports / ".staging" / "first").exists()


def test_nothing_changed_means_nothing_runs(project):
    _run(project)
    page = _read(project, "html/second.html")
    result = _run(project)
    assert result.status == {"first": "up to date", "second": "up to date"}
    assert _read(project, "html/second.html") == page


def test_a_changed_parameter_reruns_that_notebook_and_what_needs_changed_outputs(project):
    _run(project)
    _set_params(project, n=4)
    assert _run(project).status == {"first": "ran", "second": "ran"}
    assert (project / "reports" / "tables" / "second_total.csv").read_text() == "total\n30\n"
    # A change that leaves the first notebook's outputs identical does not re-run the second.
    notebook = project / "notebooks" / "first.ipynb"
    nb = json.loads(notebook.read_text())
    nb["cells"][0]["source"] = ["# First fixture report, retitled in markdown only"]
    notebook.write_text(json.dumps(nb))
    assert _run(project).status == {"first": "ran", "second": "up to date"}


def test_a_deleted_output_or_force_reruns(project):
    _run(project)
    (project / "reports" / "tables" / "second_total.csv").unlink()
    assert _run(project).status == {"first": "up to date", "second": "ran"}
    assert _run(project, force=True).status == {"first": "ran", "second": "ran"}


def test_showing_code_rerenders_without_executing(project):
    _run(project)
    assert "hl-ipython3" not in _read(project, "html/first.html").decode()  # hidden by default
    executed = _read(project, "executed/first.ipynb")
    result = _run(project, show_code=True)
    assert result.status == {"first": "re-rendered", "second": "re-rendered"}
    assert _read(project, "executed/first.ipynb") == executed
    page = _read(project, "html/first.html").decode()
    assert "hl-ipython3" in page and "deliberate failure for the pipeline tests" in page


def test_a_failing_cell_is_named_and_the_published_page_is_kept(project):
    _run(project)
    before = {rel: _read(project, rel) for rel in
              ("html/first.html", "html/second.html", "tables/first_squares.csv", "html/index.html")}
    _set_params(project, n=5, fail=True)
    result = _run(project)
    assert result.exit_code == 1
    assert result.status == {"first": "failed", "second": "skipped"}
    message = result.errors["first"]
    assert "In [6]" in message and "if fail:" in message
    assert "ValueError: deliberate failure for the pipeline tests" in message
    assert "needs first, which failed" in result.errors["second"]
    for rel, content in before.items():
        assert _read(project, rel) == content, f"{rel} changed after a failed run"
    partial = json.loads(_read(project, "executed/first.failed.ipynb"))
    assert partial["metadata"]["papermill"]["exception"] is True
    manifest = json.loads(_read(project, "manifest.json"))
    assert "deliberate failure" in manifest["notebooks"]["first"]["last_failure"]["error"]
    # Fixed: the next run re-runs it and removes the failed notebook.
    _set_params(project, n=5)
    assert _run(project).status == {"first": "ran", "second": "ran"}
    assert not (project / "reports" / "executed" / "first.failed.ipynb").exists()


def test_undeclared_outputs_fail_the_notebook(project):
    config = project / "notebooks" / "pipeline.yaml"
    config.write_text(config.read_text().replace('["tables/first_*"]', '["tables/other_*"]'))
    result = _run(project, "first")
    assert result.status == {"first": "failed"}
    assert "tables/first_squares.csv" in result.errors["first"]
    assert "tables/other_*" in result.errors["first"]
    assert not (project / "reports" / "tables" / "first_squares.csv").exists()


def test_synthetic_notice_adds_a_banner(project):
    params = project / "notebooks" / "params" / "second.yaml"
    params.write_text("synthetic: true\n")
    config = project / "notebooks" / "pipeline.yaml"
    config.write_text(config.read_text().replace(
        "notebook: second.ipynb", "notebook: second.ipynb\n    params: params/second.yaml"))
    _run(project)
    page = _read(project, "html/second.html").decode()
    assert "SYNTHETIC DATA: made-up numbers for a test" in page
    assert "SYNTHETIC DATA" not in _read(project, "html/first.html").decode()
    assert "SYNTHETIC DATA: made-up numbers for a test" in _read(project, "html/index.html").decode()


def _cli(project, *args):
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    return subprocess.run([sys.executable, "-m", "analysis", "run", "--config",
                           str(project / "notebooks" / "pipeline.yaml"), "--reports-dir",
                           str(project / "reports"), *args],
                          capture_output=True, text=True, timeout=300, env=env)


def test_command_line_exit_codes_and_messages(project):
    ok = _cli(project, "first", "--jobs", "1")
    assert ok.returncode == 0, ok.stderr
    assert "[1/1] first: ran in" in ok.stderr
    (project / "override.yaml").write_text("fail: true\n")
    failed = _cli(project, "first", "--params", str(project / "override.yaml"))
    assert failed.returncode == 1
    assert "first: FAILED: cell In [6]" in failed.stderr
    assert "first.failed.ipynb" in failed.stderr
    (project / "bad.yaml").write_text("colour: blue\n")
    bad = _cli(project, "first", "--params", str(project / "bad.yaml"))
    assert bad.returncode == 2
    assert "first has no parameter 'colour' (its parameters: n, fail, output_dir)" in bad.stderr
    unknown = _cli(project, "third")
    assert unknown.returncode == 2 and "no notebook called 'third'" in unknown.stderr


def test_a_second_run_on_the_same_reports_is_refused_while_one_holds_the_lock(project):
    from filelock import FileLock

    from analysis.pipeline.run import RunInProgress

    (project / "reports").mkdir()
    with FileLock(project / "reports" / ".run.lock"):
        with pytest.raises(RunInProgress, match="another pipeline run is publishing into"):
            _run(project)
    assert _run(project, "first").status == {"first": "ran"}
