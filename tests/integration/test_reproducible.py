"""A second run of the pipeline, into a new folder, publishes the same bytes as the first: the
reports again and a sample of profiles alone. Its own module, so that it runs on the worker that
did not publish the site, after the pipeline tests (``tests/conftest.py``)."""

import pytest

from analysis.publish import manifest
from tests.integration.conftest import SAMPLE

pytestmark = pytest.mark.integration


def test_a_second_run_publishes_byte_identical_figures_tables_and_pages(published_site, published_again):
    """The second run renders the reports and a sample of profiles alone (``--only``): every file
    it wrote equals the full run's, so a page does not depend on what else was rendered (the two
    index pages differ only in how many profiles they link)."""
    def hashes(root):
        return {p.relative_to(root).as_posix(): manifest.sha256_file(p)
                for p in sorted((root / "html").rglob("*"))
                if p.is_file()}

    first, second = hashes(published_site), hashes(published_again)
    assert len(second) > 30 and {f"html/profiles/{c}.html" for c in SAMPLE} <= set(second)
    indexes = {"html/index.html", "html/profiles/index.html"}
    different = sorted(k for k in second if k not in indexes and first.get(k) != second[k])
    assert not different, different
