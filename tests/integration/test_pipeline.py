"""The pipeline on tiny fixture notebooks: two reports (the second needs the first) and a
collection of pages with prepare and index hooks. Incremental runs, failures that keep the
published pages, output checks, collections and the command line."""

import json
import os
import shutil
import subprocess
import sys

import pytest
import yaml

from analysis.publish.scheduler import RunOptions, run
from analysis.settings import Settings
from tests.conftest import FIXTURES


@pytest.fixture
def project(tmp_path):
    """A copy of the fixture pipeline and an empty reports folder."""
    shutil.copytree(FIXTURES / "pipeline", tmp_path / "notebooks")
    return tmp_path


def _after_a_cold_run(tmp_path_factory, *names):
    """A fixture project after one cold run of ``names`` (made once per module and copied for
    each test that starts from it: the manifest keys on content, not on where the project is)."""
    root = tmp_path_factory.mktemp("cold")
    shutil.copytree(FIXTURES / "pipeline", root / "notebooks")
    assert _run(root, *names).exit_code == 0
    return root


@pytest.fixture(scope="module")
def _reports_cold(tmp_path_factory):
    return _after_a_cold_run(tmp_path_factory)


@pytest.fixture(scope="module")
def _pages_cold(tmp_path_factory):
    return _after_a_cold_run(tmp_path_factory, "pages")


@pytest.fixture
def reports_ran(tmp_path, _reports_cold):
    """A project whose two reports have run once, cold (what ``_run(project)`` leaves)."""
    shutil.copytree(_reports_cold, tmp_path, dirs_exist_ok=True)
    return tmp_path


@pytest.fixture
def pages_ran(tmp_path, _pages_cold):
    """A project whose collection has run once, cold (what ``_pages(project)`` leaves)."""
    shutil.copytree(_pages_cold, tmp_path, dirs_exist_ok=True)
    return tmp_path


def _settings(project):
    return Settings.default(raw_dir=project / "data" / "raw", processed_dir=project / "data" / "processed",
                            interim_dir=project / "data" / "interim", reports_dir=project / "reports")


def _run(project, *names, **options):
    opts = RunOptions(names=names or ("first", "second"),
                      config_path=project / "notebooks" / "pipeline.yaml",
                      jobs=1, settings=_settings(project), **options)
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
    assert (reports / "html" / "tables" / "first_squares.csv").read_text() == "i,square\n1,1\n2,4\n3,9\n"
    assert (reports / "html" / "tables" / "second_total.csv").read_text() == "total\n14\n"
    index = (reports / "html" / "index.html").read_text()
    assert 'href="first.html"' in index and 'href="second.html"' in index
    assert "add up to <strong>14</strong>" in index  # the summary-tagged cell's output
    manifest = json.loads((reports / "manifest.json").read_text())
    entry = manifest["publications"]["first"]["sets"][""]
    assert entry["parameters"] == {"n": 3, "fail": False}
    assert entry["reads"] == {}  # the fixture reports read no processed table
    assert set(entry["outputs"]) == {"html/tables/first_squares.csv", "html/first.html",
                                   "html/downloads/first.xlsx"}
    assert 'href="downloads/first.xlsx"' in (reports / "html" / "first.html").read_text()
    second = json.loads((reports / "manifest.json").read_text())["publications"]["second"]["sets"][""]
    assert "html/downloads/second.xlsx" in second["outputs"]
    assert all(len(sha) == 64 for sha in entry["outputs"].values())
    assert (reports / "executed" / "first.ipynb").is_file()
    assert not (reports / ".staging" / "first").exists()


def test_nothing_changed_means_nothing_runs(reports_ran):
    project = reports_ran
    page = _read(project, "html/second.html")
    result = _run(project)
    assert result.status == {"first": "up to date", "second": "up to date"}
    assert _read(project, "html/second.html") == page


def test_the_zip_is_written_again_only_when_the_site_changed(reports_ran):
    project = reports_ran
    zipped = project / "reports" / "site.zip"
    before = (zipped.stat().st_mtime_ns, zipped.read_bytes())
    assert _run(project).status == {"first": "up to date", "second": "up to date"}
    assert (zipped.stat().st_mtime_ns, zipped.read_bytes()) == before   # not even rewritten
    _set_params(project, n=4)
    _run(project)
    assert zipped.read_bytes() != before[1]
    zipped.unlink()
    _run(project)   # nothing changed, but the zip is missing
    assert zipped.is_file()


def test_a_changed_parameter_reruns_that_notebook_and_what_needs_changed_outputs(reports_ran):
    project = reports_ran
    _set_params(project, n=4)
    assert _run(project).status == {"first": "ran", "second": "ran"}
    assert (project / "reports" / "html" / "tables" / "second_total.csv").read_text() == "total\n30\n"
    # A change that leaves the first notebook's outputs identical does not re-run the second.
    notebook = project / "notebooks" / "first.ipynb"
    nb = json.loads(notebook.read_text())
    nb["cells"][0]["source"] = ["# First fixture report, retitled in markdown only"]
    notebook.write_text(json.dumps(nb))
    assert _run(project).status == {"first": "ran", "second": "up to date"}


def test_a_deleted_output_or_force_reruns(reports_ran):
    project = reports_ran
    (project / "reports" / "html" / "tables" / "second_total.csv").unlink()
    assert _run(project).status == {"first": "up to date", "second": "ran"}
    assert _run(project, force=True).status == {"first": "ran", "second": "ran"}


def test_showing_code_rerenders_without_executing(reports_ran):
    project = reports_ran
    assert "hl-ipython3" not in _read(project, "html/first.html").decode()  # hidden by default
    executed = _read(project, "executed/first.ipynb")
    result = _run(project, show_code=True)
    assert result.status == {"first": "re-rendered", "second": "re-rendered"}
    assert _read(project, "executed/first.ipynb") == executed
    page = _read(project, "html/first.html").decode()
    assert "hl-ipython3" in page and "deliberate failure for the pipeline tests" in page


def test_a_failing_cell_is_named_and_the_published_page_is_kept(reports_ran):
    project = reports_ran
    before = {rel: _read(project, rel) for rel in
              ("html/first.html", "html/second.html", "html/tables/first_squares.csv", "html/index.html")}
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
    assert "deliberate failure" in manifest["publications"]["first"]["last_failure"]["errors"]["first"]
    # Fixed: the next run re-runs it and removes the failed notebook.
    _set_params(project, n=5)
    assert _run(project).status == {"first": "ran", "second": "ran"}
    assert not (project / "reports" / "executed" / "first.failed.ipynb").exists()


def test_an_output_another_publication_publishes_fails_the_second_writer(project):
    _run(project, "first")
    second = project / "notebooks" / "second.ipynb"
    second.write_text(second.read_text().replace("second_total.csv", "first_squares.csv"))
    result = _run(project, "second")
    assert result.status == {"first": "up to date", "second": "failed"}
    assert "html/tables/first_squares.csv (also written by first)" in result.errors["second"]
    assert (project / "reports" / "html" / "tables" / "first_squares.csv").read_text().startswith("i,square")


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
                           str(project / "reports"), "--data-dir", str(project / "data"), *args],
                          capture_output=True, text=True, timeout=300, env=env)


def test_command_line_exit_codes_and_messages(project):
    ok = _cli(project, "first", "--jobs", "1")
    assert ok.returncode == 0, ok.stderr
    assert "first: ran in" in ok.stderr
    (project / "override.yaml").write_text("fail: true\n")
    failed = _cli(project, "first", "--params", str(project / "override.yaml"))
    assert failed.returncode == 1
    assert "FAILED first: cell In [6]" in failed.stderr
    assert "first.failed.ipynb" in failed.stderr
    (project / "bad.yaml").write_text("colour: blue\n")
    bad = _cli(project, "first", "--params", str(project / "bad.yaml"))
    assert bad.returncode == 2
    assert "first has no parameter 'colour' (its parameters: n, fail, output_dir)" in bad.stderr
    unknown = _cli(project, "third")
    assert unknown.returncode == 2 and "no publication called 'third'" in unknown.stderr
    only = _cli(project, "first", "--only", "a")
    assert only.returncode == 2 and "--only picks pages of a collection" in only.stderr


def test_a_second_run_on_the_same_reports_is_refused_while_one_holds_the_lock(project):
    from filelock import FileLock

    from analysis.publish.scheduler import RunInProgress

    (project / "reports").mkdir()
    with FileLock(project / "reports" / ".run.lock"):
        with pytest.raises(RunInProgress, match="another pipeline run is publishing into"):
            _run(project)
    assert _run(project, "first").status == {"first": "ran"}


# -- collections: one notebook, a page per parameter set ----------------------------------------


def _pages(project, **options):
    return _run(project, "pages", **options)


def _calls(project):
    return (project / "prepare_calls.txt").read_text()


def test_a_collection_publishes_a_page_per_set_an_index_and_a_site_entry(project):
    result = _pages(project)
    assert result.status == {"pages": "ran"} and result.pages == {"pages": 3}
    html = project / "reports" / "html"
    for key in "abc":
        page = (html / "pages" / f"{key}.html").read_text()
        assert f"Page <strong>{key}</strong> of shared work." in page
        assert f"<title>Fixture page {key.upper()}</title>" in page
        assert '<a href="index.html">All fixture pages</a>' in page
    assert 'href="a.html"' in (html / "pages" / "index.html").read_text()
    assert "3 fixture pages." in (html / "index.html").read_text()
    for key in "abc":   # each page's own CSV, written with the index and kept in its outputs
        own = project / "reports" / "html" / "downloads" / "pages" / f"{key}.csv"
        assert own.read_text(encoding="utf-8") == (
            f"\ufeffkey,value\n{key},{ord(key)}\n")   # with a byte order mark, for Excel
    outputs = json.loads((project / "reports" / "manifest.json").read_text())
    assert "html/downloads/pages/b.csv" in json.dumps(outputs)
    assert "pages/b.csv" not in (html / "index.html").read_text()   # linked from its page only
    assert not (project / "reports" / "executed" / "pages").exists()  # pages keep no notebook
    assert _calls(project) == "x"
    interim = list((project / "data" / "interim").glob("pages-*.pickle"))
    assert len(interim) == 1   # the shared work, named by its inputs' hash


def test_an_unchanged_collection_does_nothing_and_reuses_its_shared_work(pages_ran):
    project = pages_ran
    before = _read(project, "html/pages/b.html")
    assert _pages(project).status == {"pages": "up to date"}
    assert _pages(project, force=True).status == {"pages": "ran"}
    assert _calls(project) == "x"   # forced pages, but the prepared file is still current
    assert _read(project, "html/pages/b.html") == before


def test_only_renders_the_pages_asked_for_and_the_index_keeps_the_others(pages_ran):
    project = pages_ran
    notebook = project / "notebooks" / "page.ipynb"
    notebook.write_text(notebook.read_text().replace("Page **{key}**", "Leaf **{key}**"))
    result = _pages(project, only=("b",))
    assert result.pages == {"pages": 1}
    assert "Leaf <strong>b</strong>" in _read(project, "html/pages/b.html").decode()
    assert "Page <strong>a</strong>" in _read(project, "html/pages/a.html").decode()
    index = _read(project, "html/pages/index.html").decode()
    assert 'href="a.html"' in index and 'href="c.html"' in index
    with pytest.raises(Exception, match=r"--only: z not pages of pages \(its keys: a, b, c\)"):
        _pages(project, only=("z",))


def test_a_failing_page_keeps_every_published_page_and_the_partial_notebook(pages_ran):
    project = pages_ran
    before = {k: _read(project, f"html/pages/{k}.html") for k in "abc"}
    (project / "override.yaml").write_text('fail_on: "b"\n')
    result = _pages(project, params_file=project / "override.yaml")
    assert result.exit_code == 1 and result.status == {"pages": "failed"}
    assert "deliberate failure of page b" in result.errors["pages/b"]
    assert {k: _read(project, f"html/pages/{k}.html") for k in "abc"} == before
    assert (project / "reports" / "executed" / "pages" / "b.failed.ipynb").is_file()


def test_a_set_the_hook_no_longer_lists_loses_its_page_on_a_full_run(pages_ran):
    project = pages_ran
    (project / "keys.txt").write_text("a c\n")   # not a table: only --force asks the hook again
    assert _pages(project).status == {"pages": "up to date"}
    assert _pages(project, force=True).status == {"pages": "ran"}
    assert not (project / "reports" / "html" / "pages" / "b.html").exists()
    assert 'href="b.html"' not in _read(project, "html/pages/index.html").decode()
    downloads = project / "reports" / "html" / "downloads" / "pages"
    assert sorted(p.name for p in downloads.glob("*.csv")) == ["a.csv", "c.csv"]   # b's CSV goes too


def test_a_file_of_figures_given_for_every_page_reaches_the_shared_work_and_the_footer(pages_ran):
    import hashlib
    project = pages_ran
    own = project / "notebooks" / "own.csv"
    own.write_text("la_code,measure,period,value\n")
    (project / "override.yaml").write_text('extra_file: "own.csv"\n')
    result = _pages(project, params_file=project / "override.yaml")
    assert result.status == {"pages": "ran"} and _calls(project) == "xx"
    page = _read(project, "html/pages/b.html").decode()
    assert f"Page <strong>b</strong> of shared work with extra_file={own.resolve()}." in page
    assert "Figures supplied for this run" in page
    assert hashlib.sha256(own.read_bytes()).hexdigest() in page
    assert _pages(project, params_file=project / "override.yaml").status == {"pages": "up to date"}
    own.write_text("la_code,measure,period,value\n886,balance,2025-03-31,-1\n")   # new figures
    assert _pages(project, params_file=project / "override.yaml").status == {"pages": "ran"}
    assert _calls(project) == "xxx"
    (project / "override.yaml").write_text('extra_file: "missing.csv"\n')
    with pytest.raises(Exception, match=r"override.yaml: parameter 'extra_file': 'missing.csv' is not"):
        _pages(project, params_file=project / "override.yaml")
