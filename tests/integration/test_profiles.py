"""Every LA's profile from the real data: complete pages, working links, a no-op second run,
failures that leave the published profiles alone, and indicators against published figures.
(Pages rendered alone equal the full run's: see test_site.)"""

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from analysis.publish import config
from analysis.studies import profiles
from analysis.tables import store
from tests.integration.conftest import publish

pytestmark = pytest.mark.integration

PAGES = "html/profiles"
BOUNDARY_CHANGED = ("838", "839", "940", "941", "942", "943")
"""LAs created by the 2019, 2021 and 2023 reorganisations."""


@pytest.fixture(scope="module")
def built():
    return profiles.load()


def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def _index_rows(reports: Path) -> list[dict]:
    soup = _soup(reports / PAGES / "index.html")
    rows = []
    for tr in soup.select("#profiles tbody tr"):
        cells = tr.find_all("td")
        link = cells[0].find("a")
        rows.append({"code": cells[1].text, "type": cells[3].text,
                     "href": link["href"] if link else None})
    return rows


def test_every_la_with_send_duties_has_a_page_linked_from_the_index(published_site, built):
    rows = _index_rows(published_site)
    assert sorted(r["code"] for r in rows) == sorted(built.las["code"])
    names = built.las.set_index("code")["name"]
    assert [names[r["code"]] for r in rows] == sorted(names)   # the index opens sorted by name
    assert len(rows) == 153  # every LA with SEND duties in 2025 (SEN2 2025 release)
    for row in rows:
        assert row["href"] == f"{row['code']}.html"
        assert (published_site / PAGES / row["href"]).is_file()
    assert {r["type"] for r in rows} == {"ILB", "OLB", "MD", "SC", "UA"}


def test_every_link_on_every_page_resolves(published_site):
    pages = sorted((published_site / PAGES).glob("*.html"))
    site_index = published_site / "html" / "index.html"
    assert 'href="profiles/index.html"' in site_index.read_text(encoding="utf-8")
    for page in [*pages, site_index]:
        text = page.read_text(encoding="utf-8")
        ids = set(re.findall(r'id="([^"]+)"', text))
        for href in re.findall(r'<a [^>]*href="([^"]+)"', text):
            target, _, anchor = href.partition("#")
            if target:
                assert (page.parent / target).is_file(), f"{page.name}: {href}"
            else:
                assert anchor in ids, f"{page.name}: {href}"


def test_pages_need_nothing_from_the_network(published_site):
    for page in (published_site / PAGES).glob("*.html"):
        soup = _soup(page)
        assert not soup.find_all("script", src=True), page.name
        assert not [s for s in soup.find_all(["link", "img"])
                    if (s.get("href") or s.get("src") or "").startswith(("http:", "https:", "//"))]


def test_every_page_shows_every_indicator_or_says_why_not(published_site, built):
    titles = [m.title for m in built.catalogue.indicators.values()]
    for code in built.las["code"]:
        soup = _soup(published_site / PAGES / f"{code}.html")
        table = soup.find(id="all-indicators").find_next("table")
        values = {tr.find_all("td")[1].text: tr.find_all("td")[4].text
                  for tr in table.find("tbody").find_all("tr")}
        assert sorted(values) == sorted(titles), code
        for title, value in values.items():
            assert value.startswith("n/a: ") and len(value) > 10 or value in ("yes", "no") or \
                value.replace(",", "").replace(".", "").isdigit(), (code, title, value)
        with_path = not built.money.path[built.money.path["area_code"].eq(
            built.money.rows.loc[code, "path_code"])].empty
        # a panel per indicator + the demand outlook and, where a DSG balance is published, its path
        assert len(soup.find_all("img")) == len(titles) + 1 + with_path, code


def test_every_page_has_a_demand_outlook_to_2031_with_its_table(published_site, built):
    for code in built.las["code"]:
        soup = _soup(published_site / PAGES / f"{code}.html")
        section = soup.find(id="demand-outlook").parent
        name = built.las.set_index("code").loc[code, "name"]
        assert section.find("img")["alt"].startswith(f"EHC plans in {name}: "), code
        rows = [[td.text for td in tr.find_all("td")] for tr in section.find("table").find_all("tr")[1:]]
        # from January 2026 (Lewisham, Isle of Wight: suppressed then, so from 2025, one year more)
        first = "2026" if code in ("209", "921") else "2027"
        forecast_years = [r[0] for r in rows if r[1] == "forecast"]
        assert forecast_years == [str(y) for y in range(int(first), 2032)], code
        assert all(" to " in r[3] for r in rows if r[1] == "forecast"), code
        assert "by January 2031" in section.get_text() and "80% interval" in section.get_text(), code


def test_every_page_has_high_needs_money_with_its_path_to_march_2028(published_site, built):
    no_balance = []
    for code in built.las["code"]:
        soup = _soup(published_site / PAGES / f"{code}.html")
        section = soup.find(id="high-needs-money").parent
        text = section.get_text()
        assert "per resident aged 2-18" in text and "per EHC plan" in text, code
        if "No published DSG balance" in text:
            no_balance.append(code)
            continue
        assert section.find("img")["alt"].startswith("Cumulative DSG balance of "), code
        rows = [[td.text for td in tr.find_all("td")] for tr in section.find("table").find_all("tr")[1:]]
        assert rows[-1][0] == "2028" and rows[-1][1] == "projected", code
        assert all(cell.startswith(("£", "\u2212\u2060£")) for cell in (r[2] for r in rows)), code
    assert no_balance == ["201", "420"]   # City of London, Isles of Scilly: no balance published
    cumberland = _soup(published_site / PAGES / "942.html").get_text()
    assert "the path is for Cumbria (909) as a whole" in cumberland


def test_boundary_change_las_say_so_and_show_every_indicator(published_site):
    for code in BOUNDARY_CHANGED:
        text = _soup(published_site / PAGES / f"{code}.html").get_text()
        assert "was formed by a boundary change" in text, code
    text = _soup(published_site / PAGES / "940.html").get_text()
    assert "trends and charts across the change are for Northamptonshire (928)" in text
    # its own latest figures, not the combined area's: North Northamptonshire's own 2024
    # 20-week timeliness (17.2%), ranked among the LAs of that year
    assert "New plans issued within 20 weeks" in text and "17.2" in text
    dorset = _soup(published_site / PAGES / "838.html").get_text()
    assert "returned no usable figure" in dorset   # Dorset 2024: 0 beside a withheld percentage


def test_a_second_full_run_with_nothing_changed_does_nothing(published_site, data_settings):
    before = {p.name: p.stat().st_mtime_ns for p in (published_site / PAGES).iterdir()}
    result = publish(data_settings, published_site)
    assert set(result.status.values()) == {"up to date"} and not result.pages.get("profiles")
    assert before == {p.name: p.stat().st_mtime_ns for p in (published_site / PAGES).iterdir()}


def test_a_failing_profile_leaves_the_published_pages_as_they_were(published_site, data_settings,
                                                                     tmp_path):
    pub = config.load_pipeline().get("profiles")
    notebook = json.loads(pub.notebook.read_text(encoding="utf-8"))
    notebook["cells"][1]["source"] = 'raise RuntimeError(f"no profile for {la_code}")'
    (tmp_path / pub.notebook.name).write_text(json.dumps(notebook), encoding="utf-8")
    raw = yaml.safe_load(config.CONFIG_PATH.read_text(encoding="utf-8"))
    raw["publications"] = [{**p, "test_params": None} for p in raw["publications"] if p["name"] == "profiles"]
    (tmp_path / "pipeline.yaml").write_text(yaml.safe_dump(raw), encoding="utf-8")
    reports = tmp_path / "reports"
    shutil.copytree(published_site, reports)
    before = (reports / PAGES / "202.html").read_bytes()

    result = publish(data_settings, reports, only=("202",), jobs=1, config_path=tmp_path / "pipeline.yaml")

    assert result.exit_code == 1 and "no profile for 202" in result.errors["profiles/202"]
    assert (reports / PAGES / "202.html").read_bytes() == before
    assert (reports / "executed" / "profiles" / "202.failed.ipynb").is_file()
    assert not (reports / ".staging" / "profiles").exists()


def test_unknown_la_codes_are_refused_with_the_valid_ones_listed(data_settings, tmp_path):
    with pytest.raises(config.ConfigError, match=r"--only: 999 not pages of profiles \(its keys: 201, 202"):
        publish(data_settings, tmp_path, names=("profiles",), only=("999",), jobs=1)


def test_england_figures_agree_with_the_published_ones(built):
    """DfE publishes some of the ratios the profiles compute from counts."""
    england = {k: v.set_index("year")["value"] for k, v in built.england.items()}
    requests = store.load("ehcp_requests", filters=[("geographic_level", "==", "National")])
    published = requests[requests["measure"].eq("request_not_assess_pc")
                         & requests["breakdown_topic"].eq("All requests for EHC needs assessments")]
    for year, value in published.set_index("year")["value"].dropna().items():  # 2023 on
        assert round(england["requests_refused"][year], 1) == value, year
    tribunals = store.load("tribunal_appeals", filters=[("geographic_level", "==", "National")])
    rate = tribunals[tribunals["measure"].eq("appeal_rate_pct")].set_index("year")["value"]
    for year in england["tribunal_appeal_rate"].index:
        assert abs(england["tribunal_appeal_rate"][year] - rate[year]) < 0.05, year


def test_every_la_and_indicator_has_a_value_or_a_reason(built):
    summary = built.summary
    assert len(summary) == len(built.las) * len(built.catalogue.indicators)
    missing = summary[summary["value"].isna()]
    assert missing["symbol"].notna().all()
    assert summary["rank"].dropna().between(1, summary["rank_n"].max()).all()
    assert set(summary["quartile"].dropna()) == {1, 2, 3, 4}


def test_newhams_flagged_2025_return_is_shown_but_not_ranked(built, published_site):
    s = built.summary.set_index(["code", "indicator"])
    newham = s.loc["316"]
    caseload = newham[newham["year"].eq(2025) & newham.index.isin(["mainstream_share", "special_share"])]
    assert len(caseload) == 2 and caseload["flagged"].all() and caseload["rank"].isna().all()
    assert s.loc[("886", "mainstream_share"), "rank_n"] == 150   # 151 LAs less Newham
    page = _soup(published_site / "html" / "profiles" / "316.html").get_text(" ")
    assert "the data-quality screen flags Newham's count of EHC plans in" in page


def test_a_profile_opens_with_its_key_facts(published_site):
    soup = _soup(published_site / PAGES / "886.html")
    box = soup.find("section", class_="key-facts")
    terms = [dt.get_text() for dt in box.find_all("dt")]
    assert terms == ["EHC plans", "DSG balance at 31 March 2028 (projected)",
                     "New plans issued within 20 weeks", "SEND Tribunal appeal rate"]
    timely, appeals = (dd.get_text() for dd in box.find_all("dd")[2:])
    assert re.fullmatch(r"\d+\.\d% of new plans \(excluding exceptions\) in \d{4}; England \d+\.\d%",
                        timely), timely
    assert re.fullmatch(r"\d+\.\d appeals per 100 appealable decisions in \d{4}; England \d+\.\d",
                        appeals), appeals
    assert str(soup).index("key-facts") < str(soup).index('id="at-a-glance"')


def test_a_profile_names_its_statistical_neighbours_each_linked(published_site):
    soup = _soup(published_site / PAGES / "886.html")
    line = next(p for p in soup.find_all("p") if p.get_text().startswith("Its statistical neighbours:"))
    links = [a["href"] for a in line.find_all("a")]
    assert len(links) == 10 and "881.html" in links   # Kent's ten DfE neighbours, Essex among them
    assert all((published_site / PAGES / href).is_file() for href in links)
