"""``make test`` runs on two workers: every module that reads the published site must be listed,
so that one worker publishes it once and runs them all."""

import re

from analysis.settings import PROJECT_ROOT
from tests.conftest import SITE_MODULES


def test_every_module_that_reads_the_published_site_is_listed():
    readers = sorted(p.relative_to(PROJECT_ROOT).as_posix()
                     for p in (PROJECT_ROOT / "tests" / "integration").glob("test_*.py")
                     if re.search(r"\bpublished_site\b", p.read_text(encoding="utf-8")))
    assert readers == sorted(SITE_MODULES)
