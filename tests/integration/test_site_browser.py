"""A real browser (Debian's headless Chromium driven by Playwright) opens the published site from
disk: the index and every report it links, with no console errors, every image loaded and no
request for anything but local files; and the site's zip, unpacked alone and served over HTTP on
loopback, with every link, image and download resolving. Needs /usr/bin/chromium (``make
browser`` installs it)."""

import functools
import http.server
import re
import threading
import urllib.request
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlparse

import pytest
from bs4 import BeautifulSoup

from analysis.publish.site import ZIP_NAME
from analysis.studies import themes
from tests.integration.conftest import SAMPLE

pytestmark = pytest.mark.integration

LOCAL_SCHEMES = {"file", "data", "about", "blob"}


def _visit(browser, url: str) -> dict:
    page = browser.new_page()
    seen = {"requests": [], "errors": []}
    page.on("request", lambda r: seen["requests"].append(r.url))
    page.on("console", lambda m: m.type == "error" and seen["errors"].append(m.text))
    page.on("pageerror", lambda e: seen["errors"].append(str(e)))
    page.on("requestfailed", lambda r: seen["errors"].append(f"failed: {r.url}"))
    page.goto(url, wait_until="load")
    seen["images"] = page.evaluate("Array.from(document.images).map("
                                   "i => ({src: i.src.slice(0, 40), ok: i.complete && i.naturalWidth > 0}))")
    seen["links"] = page.evaluate("Array.from(document.querySelectorAll('a[href]')).map(a => a.href)")
    seen["text"] = page.inner_text("body")
    page.close()
    return seen


def _check(seen: dict, url: str) -> None:
    outside = [u for u in seen["requests"] if urlparse(u).scheme not in LOCAL_SCHEMES]
    assert not outside, f"{url} requested {outside}"
    assert not seen["errors"], f"{url}: {seen['errors']}"
    broken = [i["src"] for i in seen["images"] if not i["ok"]]
    assert not broken, f"{url}: images did not load: {broken}"


def test_index_and_every_linked_report_render_offline(browser, published_site):
    index_url = (published_site / "html" / "index.html").as_uri()
    index = _visit(browser, index_url)
    _check(index, index_url)
    site_pages = ("/html/index.html", "/profiles/index.html", "/about.html", "/accessibility.html")
    linked = {u.split("#")[0] for u in index["links"] if u.startswith("file:")}
    downloads = [u for u in linked if not u.endswith(".html")]
    assert downloads and all(Path(urlparse(u).path).is_file() for u in downloads), downloads
    reports = sorted(u for u in linked if u.endswith(".html") and not u.endswith(site_pages))
    assert reports, "the index links no reports"
    for url in reports:
        assert Path(urlparse(url).path).is_file(), f"broken link on the index: {url}"
        seen = _visit(browser, url)
        _check(seen, url)
        assert seen["images"], f"{url} shows no figures"
        assert "Provenance" in seen["text"] and "Data sources" in seen["text"]
    for name in ("about.html", "accessibility.html"):
        url = (published_site / "html" / name).as_uri()
        seen = _visit(browser, url)
        _check(seen, url)
        assert "Contact" in seen["text"] or "contact" in seen["text"]


def test_profiles_index_and_every_profile_render_offline(browser, published_site):
    index_url = (published_site / "html" / "profiles" / "index.html").as_uri()
    index = _visit(browser, index_url)
    _check(index, index_url)
    linked = sorted({u.split("#")[0] for u in index["links"] if u.startswith("file:")})
    profiles = [u for u in linked if re.search(r"/profiles/[0-9]+\.html$", u)]
    assert len(profiles) == 153
    for url in linked:
        assert Path(urlparse(url).path).is_file(), f"broken link on the profiles index: {url}"
    panels = len(themes.load().indicators)
    for url in profiles:   # every profile read as a file; a sample in the browser (all share one script)
        page = BeautifulSoup(Path(urlparse(url).path).read_text(encoding="utf-8"), "html.parser")
        text = page.get_text(" ")
        charts = panels + (1 if "No published DSG balance" in text else 2)
        assert len(page.main.find_all("img")) == charts, (
            f"{url}: a panel per indicator, the demand outlook, the balance")
        assert all(word in text for word in ("Demand outlook", "High needs money", "All indicators",
                                             "Provenance"))
    for url in [u for u in profiles if re.search(r"/(" + "|".join(SAMPLE) + r")\.html$", u)]:
        seen = _visit(browser, url)
        _check(seen, url)
        assert len(seen["images"]) >= panels, url


def test_profiles_index_sorts_by_any_column(browser, published_site):
    page = browser.new_page()
    page.goto((published_site / "html" / "profiles" / "index.html").as_uri())
    names = page.evaluate("Array.from(document.querySelectorAll('#profiles tbody tr'))"
                          ".map(r => r.cells[0].textContent)")
    assert names == sorted(names), "the index opens sorted by name"
    column = "Requests for assessment refused"
    header = page.locator("#profiles th", has_text=column)
    position = page.locator("#profiles th").all_inner_texts().index(header.inner_text())

    def values():
        return page.evaluate(f"Array.from(document.querySelectorAll('#profiles tbody tr'))"
                             f".map(r => r.cells[{position}].dataset.sort)")

    for clicks, reverse in ((1, False), (2, True)):
        header.click()
        shown = values()
        filled = [float(v) for v in shown if v]
        assert filled == sorted(filled, reverse=reverse), f"click {clicks}"
        assert all(shown[:len(filled)]), "figures not available sort last"
        said = page.locator("#sorted").inner_text()
        assert said == f"Sorted by {column}, {'descending' if reverse else 'ascending'}", said
    page.locator("#profiles th", has_text="Region").click()
    regions = page.evaluate("Array.from(document.querySelectorAll('#profiles tbody tr'))"
                            ".map(r => r.cells[2].textContent)")
    assert regions == sorted(regions)
    page.close()


def test_pages_reflow_on_a_phone_with_alt_text_landmarks_and_working_downloads(browser, published_site):
    """At 320 px wide, with every collapsed data table opened, no page scrolls sideways (wide
    tables scroll inside themselves); every image has alt text of its own (not nbconvert's
    placeholder) and its data beside it (a table, or for a long one its CSV, in its figure or
    section); each page has one <main>; every link to a download (a chart's CSV, a spreadsheet)
    resolves to a file. Every page: a long LA name in a heading is enough to break the reflow
    of one profile."""
    html = published_site / "html"
    pages = [*sorted(html.glob("*.html")), *sorted((html / "profiles").glob("*.html"))]
    assert len(pages) > 153
    page = browser.new_page(viewport={"width": 320, "height": 800})
    for path in pages:
        page.goto(path.as_uri())
        seen = page.evaluate("""() => (document.querySelectorAll('details').forEach(d => d.open = true), {
            sideways: document.documentElement.scrollWidth - document.documentElement.clientWidth,
            main: document.querySelectorAll('main').length,
            alts: Array.from(document.images).map(i => i.alt),
            bare: Array.from(document.images)
                .filter(i => !(i.closest('figure.chart, section') || i.parentElement)
                    .querySelector('table, a[href$=".csv"]')).map(i => i.getAttribute('src')),
            csv: Array.from(document.querySelectorAll('a[href$=".csv"], a[href$=".xlsx"]'))
                .map(a => a.href)})""")
        assert seen["sideways"] <= 0, f"{path.name} scrolls sideways by {seen['sideways']} px at 320 px"
        assert seen["main"] == 1, f"{path.name}: {seen['main']} <main> elements"
        bad = [a for a in seen["alts"] if len(a) < 20 or a.startswith("No description")]
        assert not bad, f"{path.name}: images without alt text of their own: {bad}"
        assert not seen["bare"], f"{path.name}: charts without their data beside them: {seen['bare']}"
        missing = [u for u in seen["csv"] if not Path(urlparse(u).path).is_file()]
        assert not missing, f"{path.name}: downloads that do not resolve: {missing}"
    page.close()


def test_charts_keep_their_drawn_size_on_a_phone(browser, published_site):
    """Chart text is readable on a phone: at 390 px wide every image on a report and a profile is
    shown at no less than 85% of its drawn size (a report's chart through its phone rendering,
    its desk one on a wider screen)."""
    html = published_site / "html"
    pages = [*sorted(html.glob("0*.html")), *(html / "profiles" / f"{code}.html" for code in SAMPLE)]
    script = """() => Array.from(document.querySelectorAll('main img')).map(i => ({
        src: i.getAttribute('src'), chosen: i.currentSrc.split('/').pop(),
        drawn: i.naturalWidth, shown: i.getBoundingClientRect().width}))"""
    phone = browser.new_page(viewport={"width": 390, "height": 800})
    desk = browser.new_page(viewport={"width": 1280, "height": 800})
    for path in pages:
        phone.goto(path.as_uri())
        desk.goto(path.as_uri())
        images = phone.evaluate(script)
        assert images, f"{path.name}: no images"
        small = [(i["src"], i["drawn"], round(i["shown"])) for i in images if i["shown"] < 0.85 * i["drawn"]]
        assert not small, f"{path.name}: images shrunk below 85% of their drawn size at 390 px: {small}"
        if path.parent == html:
            assert all(i["chosen"] != i["src"].split("/").pop() for i in images), path.name
            assert all(i["chosen"] == i["src"].split("/").pop() for i in desk.evaluate(script)), path.name
    phone.close()
    desk.close()


def test_profiles_index_finds_an_la_by_name_or_code(browser, published_site):
    page = browser.new_page()
    page.goto((published_site / "html" / "profiles" / "index.html").as_uri())

    def visible():
        return page.evaluate("Array.from(document.querySelectorAll('#profiles tbody tr'))"
                             ".filter(r => !r.hidden).map(r => r.cells[1].textContent)")

    page.locator("#find").fill("kent")
    assert visible() == ["886"]
    assert page.inner_text("#found") == "1 of 153 local authorities shown"
    page.locator("#find").fill("94")
    assert sorted(visible()) == ["940", "941", "942", "943"]
    page.locator("#find").fill("")
    assert len(visible()) == 153 and page.inner_text("#found") == ""
    page.close()


def test_the_home_page_finds_an_area_by_name_or_code(browser, published_site):
    page = browser.new_page()
    for typed, code in (("Kent", "886"), ("940", "940")):
        page.goto((published_site / "html" / "index.html").as_uri())
        box = page.get_by_label("Find your area: type a local authority's name or code")
        box.fill(typed)
        box.press("Enter")
        page.wait_for_url(f"**/profiles/{code}.html")
        assert page.locator("section.key-facts").count() == 1
    page.close()


def test_the_provenance_footer_is_open_on_a_desk_and_collapsed_on_a_phone(browser, published_site):
    report = (published_site / "html" / "05_demand_forecast.html").as_uri()
    for width, is_open in ((1280, True), (390, False)):
        page = browser.new_page(viewport={"width": width, "height": 800})
        page.goto(report)
        assert page.evaluate("document.querySelector('details.provenance').open") is is_open, width
        page.close()


class _Links(HTMLParser):
    """Every ``href`` and ``src`` (and ``srcset`` URL) of a page."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.found.append(value)
            elif name == "srcset" and value:
                self.found += [part.split()[0] for part in value.split(",") if part.strip()]


@pytest.fixture(scope="module")
def hosted(published_site, tmp_path_factory):
    """The site's zip unpacked into an empty folder and served from there alone over HTTP on
    loopback (nothing beside it to lean on); yields ``(root URL, folder)``."""
    folder = tmp_path_factory.mktemp("hosted")
    with zipfile.ZipFile(published_site / ZIP_NAME) as archive:
        archive.extractall(folder)
    site = folder / "html"
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/", site
    server.shutdown()


def test_the_zip_holds_exactly_the_site_folder(published_site):
    with zipfile.ZipFile(published_site / ZIP_NAME) as archive:
        packed = {name.removeprefix("html/") for name in archive.namelist()}
    folder = published_site / "html"
    assert packed == {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def test_the_hosted_folder_alone_resolves_every_link_image_and_download(hosted):
    """Every page of the served folder, every local ``href``/``src`` on it fetched over HTTP:
    none fails (a page linking outside the folder, as ``../downloads/`` once did, fails here)."""
    root, site = hosted
    pages = sorted(site.rglob("*.html"))
    targets: dict[str, str] = {}
    for path in pages:
        url = urljoin(root, path.relative_to(site).as_posix())
        links = _Links()
        links.feed(path.read_text(encoding="utf-8"))
        for ref in links.found:
            target = urldefrag(urljoin(url, ref)).url
            if target.startswith(root):
                targets.setdefault(target, url)
            else:
                assert urlparse(target).scheme in ("https", "mailto", "data"), f"{url} links {ref}"
    downloads = [t for t in targets if t.endswith((".csv", ".xlsx", ".svg", ".png"))]
    assert len(downloads) > 800, "the pages link their downloads"
    broken = []
    for target, page in sorted(targets.items()):
        try:
            with urllib.request.urlopen(target) as answer:
                answer.read(1)
        except OSError as exc:
            broken.append(f"{target} (on {page}): {exc}")
    assert not broken, "\n".join(broken[:20])


def test_the_hosted_pages_load_in_a_browser_with_every_image(browser, hosted):
    root, site = hosted
    urls = [root + name for name in ("index.html", "about.html", "profiles/index.html",
                                     *(p.name for p in sorted(site.glob("0*.html"))),
                                     *(f"profiles/{code}.html" for code in SAMPLE))]
    for url in urls:
        seen = _visit(browser, url)
        outside = [u for u in seen["requests"] if not u.startswith((root, "data:"))]
        assert not outside, f"{url} requested {outside}"
        assert not seen["errors"], f"{url}: {seen['errors']}"
        assert all(i["ok"] for i in seen["images"]), f"{url}: images did not load"
