"""Shared test helpers, and how ``pytest -n 2 --dist loadfile`` shares the work out."""

from pathlib import Path

import pytest

from analysis.sources.catalogue import Source
from analysis.tables.readers import SourceFile

FIXTURES = Path(__file__).parent / "fixtures"
SITE_MODULES = tuple(f"tests/integration/test_{name}.py" for name in (
    "baseline_notebook", "profiles", "site", "site_browser"))
"""The modules that read the published site most: one worker publishes it and runs them, while
the other runs the rest (a module elsewhere that reads the site waits for it, and reuses it)."""
AFTER_PIPELINE = tuple(f"tests/integration/test_{name}.py" for name in ("reproducible", "site_axe"))
"""Modules that read the published site but are slow themselves (a second publication, axe):
they run after the pipeline tests, on the other worker, by when the site is published. Left in
their own scopes, xdist (which hands out the scopes with the most tests first) leaves these
one-test modules to the end, on whichever worker is free: the site's, the later one."""


@pytest.hookimpl(tryfirst=True)
def pytest_xdist_make_scheduler(config, log):
    """With ``--dist loadfile``, a file's tests go to one worker, the files of
    :data:`SITE_MODULES` all to the same one, and those of :data:`AFTER_PIPELINE` with the
    pipeline tests."""
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class SiteScheduling(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            scope = super()._split_scope(nodeid)
            if scope in AFTER_PIPELINE:
                return "tests/integration/test_pipeline.py"
            return "published_site" if scope in SITE_MODULES else scope

    return SiteScheduling(config, log)


def source_file(path, vintage: str = "2025", dataset: str = "test") -> SourceFile:
    """A reader's input: ``path`` with a minimal catalogue entry of the given vintage."""
    source = Source(id=f"{dataset}_{vintage}", dataset=dataset, vintage=vintage, citation="Test",
                    file=Path(path).name, publisher="Test", publication="Test", release=vintage,
                    landing_page="https://example.invalid", format="csv", years="", time_identifier="",
                    geographic_levels=(), licence="OGL-3.0", sha256="0" * 64, url_confidence="none")
    return SourceFile(Path(path), source)
