"""Integration tests on the real data: every test reads and writes in temporary folders.

The data mirror (``ANALYSIS_DATA_MIRROR``, e.g. ../shared/data) is required: without it these
tests fail rather than skip, so CI can never pass without having checked the real data. One
session's settings (raw, processed and interim folders under a temporary directory) are made
current for every integration test, so nothing touches the checkout's ``data/`` or ``reports/``.

Run in parallel (``pytest -n 2 --dist loadfile``, as ``make test`` does), the workers share one
data folder (the table builder locks it, so each table is built once) and one published site
(published once, under a lock, by whichever worker asks first); the modules that read it most run
on one worker (``tests/conftest.py``), the rest of the work on the other. ``ANALYSIS_TEST_DATA``
names the data folder instead, so a later step (nbval) reuses the tables built here.
"""

import os
import shutil
from pathlib import Path

import pytest

from analysis import settings
from analysis.publish.executors import kernel_setup_code
from analysis.publish.scheduler import RunOptions, run
from analysis.settings import Settings

TEST_DATA_ENV = "ANALYSIS_TEST_DATA"
"""Names the data folder the integration tests build into (default: a temporary one)."""
EPOCH = "1700000000"
"""The run date of every test run (SOURCE_DATE_EPOCH), so runs can be compared byte for byte."""
SAMPLE = ("202", "886", "940")
"""Profile pages rendered again alone: an inner London borough, a shire county, a successor LA."""


@pytest.fixture(scope="session")
def mirror() -> Path:
    value = os.environ.get(settings.MIRROR_ENV)
    if not value or not Path(value).is_dir():
        pytest.fail(f"{settings.MIRROR_ENV} must name the data mirror (e.g. ../shared/data); got "
                    f"{value!r}. `make test` sets it when ../shared/data exists.")
    return Path(value)


def _data_root(tmp_path_factory) -> Path:
    """The session's data folder: ``ANALYSIS_TEST_DATA``, else one under the session's temporary
    folder that every xdist worker shares."""
    named = os.environ.get(TEST_DATA_ENV)
    if named:
        return Path(named).resolve()
    return _session_root(tmp_path_factory) / "data"


def _session_root(tmp_path_factory) -> Path:
    """The session's temporary folder, the same for every xdist worker (their own folders are
    below it)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@pytest.fixture(scope="session", autouse=True)
def data_settings(tmp_path_factory, mirror) -> Settings:
    """The session's folders, current for every integration test."""
    root = _data_root(tmp_path_factory)
    session = Settings.default(raw_dir=root / "raw", processed_dir=root / "processed",
                               interim_dir=root / "interim",
                               reports_dir=tmp_path_factory.mktemp("reports-unused"), mirror=mirror)
    previous = settings.use(session)
    yield session
    settings.use(previous)


def publish(data_settings: Settings, reports: Path, **options):
    """``python -m analysis run`` (as a function) into ``reports`` on a fixed run date."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        result = run(RunOptions(settings=data_settings.with_(reports_dir=reports), **options))
    return result


def _published_once(tmp_path_factory, name: str, data_settings: Settings, **options) -> Path:
    """A ``reports/``-like folder published once per test session, whichever worker asks first:
    the others wait on its lock and reuse it (a marker beside it says the run finished)."""
    from filelock import FileLock

    root = _session_root(tmp_path_factory) / "published"
    root.mkdir(exist_ok=True)
    reports, done = root / name, root / f"{name}.done"
    with FileLock(str(root / f"{name}.lock")):
        if not done.is_file():
            shutil.rmtree(reports, ignore_errors=True)
            result = publish(data_settings, reports, **options)
            assert result.exit_code == 0, result.errors
            done.touch()
    return reports


@pytest.fixture(scope="session")
def published_site(tmp_path_factory, data_settings):
    """``reports/``-like folder from one full run: the reports and every LA's profile."""
    return _published_once(tmp_path_factory, "reports", data_settings)


@pytest.fixture(scope="session")
def published_again(tmp_path_factory, data_settings, published_site):
    """A second, independent run into a new folder, after the first: the reports and a sample of
    profiles alone (``--only``), for reproducibility and batch = single checks."""
    return _published_once(tmp_path_factory, "reports_again", data_settings, only=SAMPLE)


def execute_notebook(notebook: Path, out: Path, data_settings: Settings, **parameters) -> None:
    """Run a notebook with papermill as a user would, its kernel handed the session's settings
    first (a setup cell, as ``python -m analysis test-notebooks`` writes)."""
    import nbformat
    import papermill

    nb = nbformat.read(notebook, as_version=4)
    nb.cells.insert(0, nbformat.v4.new_code_cell(kernel_setup_code(data_settings)))
    staged = out.with_suffix(".in.ipynb")
    nbformat.write(nb, staged)
    papermill.execute_notebook(str(staged), str(out), kernel_name="python3", cwd=str(notebook.parent),
                               progress_bar=False, parameters=parameters)


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Flags that keep Chromium from calling home (updates, sync, field trials) on a closed network.
FLAGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--disable-default-apps"]


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium (driven by Playwright), one per worker."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).is_file():
        pytest.fail(f"{CHROMIUM} not found: install Debian's chromium (make browser)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()
