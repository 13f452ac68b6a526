"""axe-core on the published pages in headless Chromium (``make browser`` installs both): its own
module, so that it runs on the worker that did not publish the site, after the pipeline tests
(``tests/conftest.py``)."""

import pytest

from analysis.settings import PROJECT_ROOT
from tests.integration.conftest import SAMPLE

pytestmark = pytest.mark.integration

AXE = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa",
                                                     "wcag22aa", "best-practice"]},
               "resultTypes": ["violations"]}
"""Every rule of those tags runs; only violations are detailed (axe lists the elements of passes
and of checks needing review too unless told not to: a third of the time without them)."""
AXE_BEST_PRACTICE = {"region", "landmark-one-main", "empty-table-header"}
"""The best-practice rules that fail the test besides every WCAG A and AA rule."""


def test_axe_finds_no_wcag_a_or_aa_violation(browser, published_site):
    """axe-core (installed from npm by ``make test``) on every report page, the indexes and a
    sample of profiles, their collapsed data tables opened: no WCAG 2.2 A or AA violation and
    none of :data:`AXE_BEST_PRACTICE`."""
    if not AXE.is_file():
        pytest.fail(f"{AXE} not found: `make browser` installs axe-core with npm ci")
    script = AXE.read_text(encoding="utf-8")
    html = published_site / "html"
    pages = [*sorted(html.glob("*.html")), html / "profiles" / "index.html",
             *(html / "profiles" / f"{code}.html" for code in SAMPLE)]
    found = []
    for width in (1280, 390):   # a desk and a phone (target size, reflow)
        page = browser.new_page(viewport={"width": width, "height": 800})
        for path in pages:
            page.goto(path.as_uri())
            page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")
            page.add_script_tag(content=script)
            result = page.evaluate("async (options) => await axe.run(document, options)", AXE_OPTIONS)
            for v in result["violations"]:
                wcag = any(t.startswith("wcag") for t in v["tags"])
                if wcag or v["id"] in AXE_BEST_PRACTICE:
                    found.append(f"{width} px, {path.relative_to(html)}: {v['id']} ({v['impact']}, "
                                 f"{len(v['nodes'])} elements, first {v['nodes'][0]['target']})")
        page.close()
    assert not found, "\n".join(found)
