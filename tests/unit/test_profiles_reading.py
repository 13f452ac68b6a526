"""Generated wording and charts of a profile, on a small hand-made profile."""

import dataclasses
import re

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from analysis.studies import themes
from analysis.studies.profiles import LocalProfile, figures, page, reading
from analysis.studies.profiles import money as la_money
from analysis.studies.profiles.money import Money
from analysis.studies.profiles.outlook import Outlook, for_la

CATALOGUE = themes.parse("""
source: A guide.
themes:
  - id: t
    title: Theme
    key_messages:
      - {message: a, prompt: b}
      - {message: c, prompt: d}
      - {message: e, prompt: f}
    indicators:
      - {id: rate, reasoning: why, limits: what not}
      - {id: post, reasoning: why, limits: what not}
      - {id: share, reasoning: why, limits: what not}
    not_reached: Nothing.
    keywords: [word]
indicators:
  rate: {title: Plans issued on time, unit: "% of plans", polarity: higher, polarity_reason: r,
         source: s, years: y, period: calendar, decimals: 1}
  post: {title: DMO in post, unit: "% of LAs", polarity: higher, polarity_reason: r, source: s,
         years: y, period: census, decimals: 0, binary: true}
  share: {title: SEN support, unit: "% of pupils", polarity: neither, polarity_reason: r,
          source: s, years: y, period: academic, decimals: 1}
""")
NAN = float("nan")
ROWS = {
    "rate": dict(year=2024, value=46.44, symbol=pd.NA, england=46.43, neighbours=50.0,
                 neighbours_n=9, neighbours_of=10, rank=75, rank_n=150, quartile=2,
                 first_year=2019, first_value=60.0),
    "post": dict(year=2025, value=100.0, symbol=pd.NA, england=96.7, neighbours=90.0,
                 neighbours_n=10, neighbours_of=10, rank=NAN, rank_n=NAN, quartile=NAN,
                 first_year=2019, first_value=100.0),
    "share": dict(year=2023, value=NAN, symbol="x", england=14.2, neighbours=13.0,
                  neighbours_n=10, neighbours_of=10, rank=NAN, rank_n=150, quartile=NAN,
                  first_year=2016, first_value=11.0),
}


def _profile(name="Kent", rate_values=(60.0, 46.44)) -> LocalProfile:
    lines = {"rate": pd.DataFrame({"role": ["LA", "LA", "Neighbours"], "year": [2019, 2024, 2024],
                                   "value": [*rate_values, 50.0]}),
             "post": pd.DataFrame({"role": ["LA"], "year": [2025], "value": [100.0]})}
    england = {k: pd.DataFrame({"year": [2024], "value": [1.0]}) for k in ROWS}
    outlook, money = _outlook(), _money()
    return LocalProfile(code="886", name=name, region="South East", la_type="SC", note="",
                        comparators="Statistical neighbours (10)", basis="DfE list",
                        catalogue=CATALOGUE, summary=pd.DataFrame(ROWS).T, lines=lines,
                        england=england, outlook=outlook, demand=for_la(outlook, "886"),
                        money=money, finances=la_money.for_la(money, "886"))


def _money(path_code="886", supplied=None) -> Money:
    """Kent's block £700 a resident aged 2-18 in 2023-24 (neighbours £650, England £800); £20,000
    spent per plan in 2020-21 (England £21,500); balance -£50m at March 2022 (-4.0% of DSG
    income), projected -£80m (-£95m to -£66m) at March 2023."""
    rows = pd.DataFrame({"path_code": [path_code], "per_head": [700.0], "spend_per_plan": [20_000.0],
                         "balance": [-50e6], "balance_pct": [-4.0], "neighbours_per_head": [650.0],
                         "neighbours": [10], "england_per_head": [800.0],
                         "england_spend_per_plan": [21_500.0], "per_head_rank": [40], "per_head_of": [150],
                         "balance_pct_rank": [90], "balance_pct_of": [150]},
                        index=pd.Index(["886"], name="code"))
    nan = float("nan")
    path = pd.DataFrame({"area_code": path_code, "area_name": "Kent", "year": [2021, 2022, 2023],
                         "kind": ["published", "published", "projected"], "value_gbp": [-30e6, -50e6, -80e6],
                         "lower_gbp": [nan, nan, -95e6], "upper_gbp": [nan, nan, -66e6]})
    # written off at 31 March 2022: a -£50m deficit less a £45m grant; -£80m at March 2023 with
    # it (-8.0% of DSG income of £1bn), -£125m without (-12.5%)
    position = pd.DataFrame({"deficit_2022": [-50e6], "grant": [45e6], "balance_2023": [-80e6],
                             "balance_2023_lower": [-95e6], "balance_2023_upper": [-66e6],
                             "balance_2023_pct_of_dsg": [-8.0], "balance_2023_no_grant": [-125e6],
                             "balance_2023_no_grant_pct_of_dsg": [-12.5]}, index=[path_code])
    return Money(per_head_year=2024, outturn_year=2021, origin=2022, to_year=2023,
                 scenario="announced national totals", write_off_year=2022, write_off_share=0.9,
                 rows=rows, path=path, position=position,
                 supplied=pd.DataFrame(supplied or [], columns=["la_code", "measure", "figure", "value",
                                                                "row"]),
                 supplied_from="/somewhere/own.csv" if supplied else None)


def _outlook(ages=True, flags=None) -> Outlook:
    """Kent's plans: 1,000 and 1,100 published, forecast 1,200 and 1,300 (1,150-1,260 and
    1,180-1,420 at 80%); its shire-county type's backtest error 2.0% at 1 year, 6.0% at 2."""
    nan = float("nan")
    totals = pd.DataFrame({
        "area_code": "886", "year": [2024, 2025, 2026, 2027],
        "method": ["actual", "actual", "pooled", "pooled"], "value": [1000.0, 1100.0, 1200.0, 1300.0],
        "lower_80": [nan, nan, 1150.0, 1180.0], "upper_80": [nan, nan, 1260.0, 1420.0],
        "basis": "own series"})
    bands = pd.DataFrame({"area_code": "886", "year": [2026, 2026, 2027, 2027],
                          "age_group": ["Under 5", "Age 5 to 10"] * 2,
                          "value": [204.0, 996.0, 215.0, 1085.0]})
    accuracy = pd.DataFrame({"group": ["SC", "SC", "UA"], "horizon": [1, 2, 1],
                             "mdape": [2.0, 6.0, 9.0], "coverage_80": [70.0, 90.0, 10.0],
                             "n": [100, 90, 50]})
    return Outlook(origin=2025, backtest_from=2017, default="pooled", horizon=2, totals=totals,
                   ages=bands if ages else bands.iloc[:0], accuracy=accuracy,
                   flags=pd.DataFrame(flags or [], columns=["area_code", "year", "change_pct"]),
                   ages_until=2024)


@pytest.mark.parametrize("value, decimals, text", [
    (24.45, 1, "24.5"), (1234.5, 0, "1,235"), (NAN, 1, "n/a"), (0.125, 2, "0.13")])
def test_number_rounds_half_up_with_separators(value, decimals, text):
    assert reading.number(value, decimals) == text


def test_compare_on_the_values_as_shown():
    assert reading.compare(46.44, 46.43, 1) == "the same as"   # both 46.4 on the page
    assert reading.compare(46.44, 46.45, 1) == "below"         # 46.45 shows as 46.5
    assert reading.compare(46.46, 46.44, 1) == "above"
    assert reading.compare(1.0, 2.0, 0) == "below"


@pytest.mark.parametrize("n, text", [(1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"), (11, "11th"),
                                     (12, "12th"), (13, "13th"), (21, "21st"), (112, "112th")])
def test_ordinal(n, text):
    assert reading.ordinal(n) == text


def test_titles_in_sentences_keep_acronyms():
    assert reading.in_sentence("SEND Tribunal appeal rate") == "SEND Tribunal appeal rate"
    assert reading.in_sentence("Plans in mainstream schools") == "plans in mainstream schools"


def test_sentence_of_a_shown_indicator():
    text = reading.indicator_sentence(pd.Series(ROWS["rate"]), CATALOGUE.indicators["rate"], "Kent")
    assert text == ("**Plans issued on time**: 46.4 (% of plans) in 2024, the same as England (46.4) "
                    "and below its statistical neighbours (50.0, 9 of 10 with a figure). "
                    "75th highest of 150 LAs (second-highest quarter). Down from 60.0 in 2019.")


def test_sentence_of_a_flagged_return_says_why_it_is_not_ranked():
    row = pd.Series({**ROWS["rate"], "rank": float("nan"), "flagged": True})
    text = reading.indicator_sentence(row, CATALOGUE.indicators["rate"], "Kent")
    assert ("below its statistical neighbours (50.0, 9 of 10 with a figure). Not ranked: the "
            "data-quality screen flags Kent's count of EHC plans in 2024 as implausible") in text
    assert "highest of" not in text


def test_sentence_of_a_missing_indicator_gives_the_reason():
    text = reading.indicator_sentence(pd.Series(ROWS["share"]), CATALOGUE.indicators["share"], "Kent")
    assert text == ("**SEN support**: not available for Kent in 2022/23 (not available or "
                    "suppressed). England: 14.2.")


def test_sentence_of_a_yes_no_indicator():
    text = reading.indicator_sentence(pd.Series(ROWS["post"]), CATALOGUE.indicators["post"], "Kent")
    assert text.startswith("**DMO in post**: yes (January 2025); 97% of LAs in England and 90%")


def test_theme_reading_sorts_indicators_with_a_direction():
    summary = pd.DataFrame(ROWS).T
    text = reading.theme_reading(CATALOGUE.themes[0], summary, CATALOGUE.indicators, "Kent")
    assert text.startswith("2 of 3 indicators in this theme have a figure for Kent.")
    assert "Better than England (or yes where yes is better) on: DMO in post." in text
    assert "Worse than England" not in text   # 46.44 and 46.43 are the same as shown


def test_polarity_is_stated():
    assert reading.polarity_text(CATALOGUE.indicators["share"]).startswith(
        "Higher is neither better nor worse")
    assert reading.polarity_text(CATALOGUE.indicators["rate"]).startswith("Higher is better")


def test_indicator_table_marks_what_is_not_available():
    table = page.indicator_table(_profile()).set_index("Indicator")
    assert table.loc["SEN support", "Value"] == "n/a: not available or suppressed"
    assert table.loc["DMO in post", "Value"] == "yes"
    assert table.loc["DMO in post", "Rank"] == "not ranked"
    assert table.loc["Plans issued on time", "Rank"] == "75 of 150"


def _panels(profile):
    theme = CATALOGUE.themes[0]
    return figures.panel_images(profile, theme, figures.theme_lines(profile, theme))


def test_theme_panels_depend_only_on_the_la_drawn():
    first = _panels(_profile())
    _panels(_profile("Other", (10.0, 90.0)))   # reuse the figures
    again = _panels(_profile())
    figures._PANELS.clear()
    fresh = _panels(_profile())
    assert list(first) == ["rate", "post", "share"]   # one panel per indicator, in theme order
    assert first == again == fresh
    assert all(image[:4] == b"RIFF" and image[8:12] == b"WEBP" for image in first.values())
    other = _panels(_profile("Other", (10.0, 90.0)))
    assert other["rate"] != first["rate"] and other["post"] == first["post"]


def test_demand_outlook_reads_the_forecast_its_interval_and_its_types_accuracy():
    text = page.demand_outlook(_profile()).data
    assert ("Kent had 1,100 EHC plans in January 2025; on the default method they reach about 1,300 "
            "by January 2027 (+18%), with an 80% interval of 1,180 to 1,420.") in text
    assert ("One year ahead, half of the forecasts for LAs of its type (shire county) were within "
            "2.0% of the outcome, and 2 years ahead within 6.0%; 8 in 10 outcomes fell inside the "
            "80% range.") in text
    assert "data-quality screen" not in text
    assert "The latest age split published is for January 2024; the shares are projected" in text
    assert "(shire county)" in text and "9.0%" not in text   # its own type's accuracy only
    assert ('alt="EHC plans in Kent: 1,100 in January 2025, forecast 1,300 in January 2027 '
            '(80% interval 1,180 to 1,420)"') in text
    table = BeautifulSoup(text, "html.parser").find("table")   # the table beside the chart
    rows = [[cell.get_text() for cell in row.find_all("td")] for row in table.find_all("tr")[1:]]
    assert rows == [["2024", "published", "1,000", ""], ["2025", "published", "1,100", ""],
                    ["2026", "forecast", "1,200", "1,150 to 1,260"],
                    ["2027", "forecast", "1,300", "1,180 to 1,420"]]
    assert '<th scope="col">Under 5</th>' in text and "1,090" in text   # 1,085 to the nearest 10, half up
    assert _downloads_under_tables(text) == ["886_outlook.csv", "886_outlook_ages.csv"]


def _downloads_under_tables(text: str) -> list[str]:
    """The CSV linked right under each table of a section (``[]`` for a table without one)."""
    soup = BeautifulSoup(text, "html.parser")
    links = [t.find_parent("div", class_="table-wrap").find_next_sibling("p") for t in soup.find_all("table")]
    return [p.a["href"].removeprefix("../downloads/profiles/") for p in links
            if p is not None and p.get("class") == ["table-download"]]


def test_demand_outlook_says_when_the_latest_count_is_suppressed():
    profile = _profile()
    outlook = dataclasses.replace(_outlook(), origin=2026)   # Kent's plans held to January 2025
    late = LocalProfile(**{**vars(profile), "outlook": outlook, "demand": for_la(outlook, "886")})
    text = BeautifulSoup(page.demand_outlook(late).data, "html.parser").get_text()
    assert ("Kent's count for January 2026 is not published (suppressed), so its forecast runs from "
            "January 2025.") in text
    assert "not published (suppressed)" not in BeautifulSoup(page.demand_outlook(profile).data,
                                                             "html.parser").get_text()


def test_demand_outlook_says_when_the_forecast_starts_from_a_screened_value():
    profile = _profile()
    outlook = _outlook(flags=[{"area_code": "886", "year": 2024, "change_pct": -56.0}])
    flagged = LocalProfile(**{**vars(profile), "outlook": outlook, "demand": for_la(outlook, "886")})
    text = BeautifulSoup(page.demand_outlook(flagged).data, "html.parser").get_text()
    assert ("The data-quality screen flags Kent's return for January 2024 (-56% in a year) as "
            "implausible: the forecast's growth uses the last plausible value") in text


def test_demand_outlook_says_when_there_is_no_age_breakdown_or_no_series():
    profile = _profile()
    no_ages = LocalProfile(**{**vars(profile), "outlook": _outlook(ages=False),
                              "demand": for_la(_outlook(ages=False), "886")})
    assert "No age breakdown is published for this LA" in page.demand_outlook(no_ages).data
    elsewhere = LocalProfile(**{**vars(profile), "demand": for_la(profile.outlook, "999")})
    assert "No forecast for Kent" in page.demand_outlook(elsewhere).data


def test_high_needs_money_reads_pounds_per_head_per_plan_and_the_path():
    text = page.high_needs_money(_profile()).data
    words = BeautifulSoup(text, "html.parser").get_text()
    assert ("In 2023-24 Kent's high needs block (before the place funding ESFA pays directly) was £700 "
            "per resident aged 2-18, against £650 for its statistical neighbours combined and £800 for "
            "England.") in words
    assert "it spent £20,000 on high needs per EHC plan" in words and "£21,500 for England" in words
    assert "-£50.0m at 31 March 2022" in words and "projected at about -£80.0m at 31 March 2023" in words
    assert words.index("At 31 March 2023, when the statutory override ends, Kent is projected to hold a "
                       "deficit of about £80.0m (8.0% of its DSG income; 80% interval -£95.0m to "
                       "-£66.0m), after a High Needs Stability Grant of about £45.0m against an "
                       "estimated balance of -£50.0m at 31 March 2022. Without the grant it would be "
                       "a deficit of about £125.0m (12.5% of DSG income).") < words.index("In 2023-24 Kent")
    assert "Its balance published for 31 March 2022 was -4.0% of its DSG income." in words
    assert "gave itself" not in words
    assert ('alt="Cumulative DSG balance of Kent: -£50.0m at 31 March 2022, projected -£80.0m at 31 '
            'March 2023 (80% interval -£95.0m to -£66.0m)"') in text
    table = BeautifulSoup(text, "html.parser").find("table")   # the table beside the chart
    rows = [[cell.get_text() for cell in row.find_all("td")] for row in table.find_all("tr")[1:]]
    assert rows == [["2021", "published", "-£30.0m", ""], ["2022", "published", "-£50.0m", ""],
                    ["2023", "projected", "-£80.0m", "-£95.0m to -£66.0m"]]
    assert _downloads_under_tables(text) == ["886_money.csv"]


def test_high_needs_money_says_whose_path_a_successor_la_is_shown():
    profile = _profile()
    money = _money(path_code="999")
    shown = LocalProfile(**{**vars(profile), "money": money, "finances": la_money.for_la(money, "886")})
    assert "the path is for Kent (999) as a whole" in page.high_needs_money(shown).data


@pytest.mark.parametrize("rank, text", [(1, "the highest of 150 LAs"), (2, "2nd highest of 150 LAs"),
                                        (150, "the lowest of 150 LAs"), (111, "111th highest of 150 LAs")])
def test_ranks_are_written_as_a_person_would(rank, text):
    assert reading.rank_words(rank, 150) == text


@pytest.mark.parametrize(("rank", "of", "words"), [
    (1, 150, "the highest quarter"), (37, 150, "the highest quarter"),
    (38, 150, "the second-highest quarter"), (75, 150, "the second-highest quarter"),
    (76, 150, "the second-lowest quarter"), (113, 150, "the lowest quarter"),
    (150, 150, "the lowest quarter")])
def test_quarters_in_words(rank, of, words):
    assert reading.quarter_words(rank, of) == words


@pytest.mark.parametrize(("rank", "of", "position"), [(1, 151, 100.0), (151, 151, 0.0),
                                                      (76, 151, 50.0), (1, 1, 100.0)])
def test_a_rank_sits_on_a_bar_from_lowest_to_highest(rank, of, position):
    assert reading.bar_position(rank, of) == position


def test_glance_words_count_better_and_worse():
    assert reading.glance_words(3, 5, ["a", "b"], []) == (
        "3 of 5 indicators have a figure: better than England on 2, worse on none.")
    assert reading.glance_words(0, 4, [], []) == "None of its 4 indicators has a figure."
    assert reading.glance_words(2, 2, [], []).endswith("none with a clear direction differs from England.")


def test_at_a_glance_comes_with_words_and_bars_that_say_the_same():
    html = page.at_a_glance(_profile()).data
    assert '<h2 id="at-a-glance">' in html and "<caption>" in html
    bars = re.findall(r'role="img" aria-label="([^"]+)"', html)
    assert bars and all("quarter" in b for b in bars)
    assert html.count('<th scope="row">') == len(CATALOGUE.themes) + 2   # themes, demand, money
    assert ("High needs block per resident aged 2-18, 2023-24: 40th highest of 150 LAs "
            "(the second-highest quarter)") in html
    assert "a deficit of 4.0% of its DSG income" in html
    assert _downloads_under_tables(html) == ["886_indicators.csv"]
    assert _downloads_under_tables(page.indicator_table_html(_profile()).data) == ["886_indicators.csv"]


def _table_rows(table) -> list[list[str]]:
    return [[cell.get_text() for cell in row.find_all(["th", "td"])] for row in table.find_all("tr")]


def test_theme_tables_give_the_charts_data_by_year_for_the_la_its_neighbours_and_england():
    profile, theme = _profile(), CATALOGUE.themes[0]
    soup = BeautifulSoup(page.theme_tables(profile, theme, figures.theme_lines(profile, theme)),
                         "html.parser")
    tables = soup.find_all("table")
    assert [t.caption.get_text() for t in tables] == [
        "Plans issued on time (% of plans)",
        "DMO in post (Kent: yes or no; neighbours and England: % of LAs answering yes, January of "
        "each year)",
        "SEN support (% of pupils)"]
    assert _table_rows(tables[0]) == [["Year", "Kent", "Neighbours", "England"],
                                      ["2019", "60.0", "n/a", "n/a"],
                                      ["2024", "46.4", "50.0", "1.0"]]
    # a yes/no: the LA's answer; England the % of LAs with yes; a census year without "January"
    assert _table_rows(tables[1])[1:] == [["2024", "n/a", "n/a", "1"], ["2025", "yes", "n/a", "n/a"]]
    assert _table_rows(tables[2])[1:] == [["2023/24", "n/a", "n/a", "1.0"]]   # England only


def test_theme_tables_keep_the_latest_years_and_say_how_many_are_held():
    years = list(range(2015, 2025))
    lines = {"rate": pd.DataFrame({"role": "LA", "year": years, "value": [float(y - 2000) for y in years]})}
    profile = LocalProfile(**{**vars(_profile()), "lines": lines})
    lines = figures.theme_lines(profile, CATALOGUE.themes[0])
    table = BeautifulSoup(page.theme_tables(profile, CATALOGUE.themes[0], lines), "html.parser").find("table")
    assert page.TABLE_YEARS == 6
    assert table.caption.get_text() == "Plans issued on time (% of plans, the latest 6 of 10 years)"
    assert [row[:2] for row in _table_rows(table)[1:]] == [[str(y), f"{y - 2000}.0"] for y in years[-6:]]


def test_a_theme_section_has_a_panel_per_indicator_its_data_collapsed_and_a_link_to_the_notes():
    section = BeautifulSoup(page.theme_section(_profile(), "t").data, "html.parser")
    panels = section.find_all("figure", class_="panel")
    assert [p.figcaption.strong.get_text() for p in panels] == ["Plans issued on time", "DMO in post",
                                                                "SEN support"]
    assert panels[0].img["width"] == "232" and panels[0].img["height"] == "160"
    assert section.find(class_="chart-key").get_text() == (
        "Lines: ━●━ Kent ━■━ statistical neighbours ╌•╌ England")
    details = section.find("details")
    assert details.find_previous_sibling().get("class") == ["panels"] and "open" not in details.attrs
    assert len(details.find_all("table")) == 3
    own = details.find_next_sibling("p").find_all("a")   # every year, as CSV, under the tables
    assert [a["href"] for a in own] == ["../downloads/profiles/886.csv",
                                        "../downloads/profiles_chart_data.csv"]
    assert own[0].get_text() == "Download every year of the data behind Kent's charts"
    assert section.find("a", href="index.html#why-t")
    assert "Nothing." not in section.get_text()   # what the data cannot show: on the index


def test_a_panels_text_alternative_gives_each_lines_first_and_latest_value():
    profile, theme = _profile(), CATALOGUE.themes[0]
    lines = figures.theme_lines(profile, theme)
    metas = CATALOGUE.indicators
    assert page.panel_alt(profile, metas["rate"], lines["rate"]) == (
        "Chart of Plans issued on time (% of plans): Kent 60.0 in 2019 to 46.4 in 2024; statistical "
        "neighbours 50.0 in 2024; England 1.0 in 2024.")
    assert page.panel_alt(profile, metas["post"], lines["post"]) == (
        "Chart of DMO in post (% of LAs): Kent yes in January 2025; statistical neighbours: no figure; "
        "England 1 in January 2024.")


def test_high_needs_money_names_the_figures_the_la_gave_itself():
    profile = _profile()
    money = _money(supplied=[{"la_code": "886", "measure": "balance", "value": -60e6, "row": "row 2",
                              "figure": "cumulative DSG balance at 31 March 2022"}])
    shown = LocalProfile(**{**vars(profile), "money": money, "finances": la_money.for_la(money, "886")})
    words = BeautifulSoup(page.high_needs_money(shown).data, "html.parser").get_text()
    assert ("This section uses figures Kent gave itself, which DfE has not published: cumulative DSG "
            "balance at 31 March 2022 (-£60.0m).") in words
    assert "own.csv" not in words   # the file is named in the provenance, not the prose


def test_the_profile_opens_with_key_facts():
    text = BeautifulSoup(page.header(_profile()).data, "html.parser")
    box = text.find("section", class_="key-facts")
    facts = dict(zip([dt.get_text() for dt in box.find_all("dt")],
                     [dd.get_text() for dd in box.find_all("dd")]))
    assert facts["EHC plans"] == ("1,100 in January 2025; forecast 1,300 by January 2027 (80% range 1,180 "
                                  "to 1,420)")
    assert facts["DSG balance at 31 March 2023 (projected)"] == (
        "a deficit of about £80.0m (8.0% of DSG income) after the High Needs Stability Grant; without "
        "the grant, a deficit of about £125.0m (12.5% of DSG income)")
    assert str(text).index("key-facts") < str(text).index("Compared with")


def test_the_statistical_neighbours_are_named_and_linked_to_their_profiles():
    profile = dataclasses.replace(_profile(), neighbours=[("316", "Newham", True),
                                                          ("909", "Cumbria", False)])
    text = page.header(profile).data
    assert ('<p>Its statistical neighbours: <a href="316.html">Newham</a>, Cumbria.</p>') in text
    assert "statistical neighbours:" not in page.header(_profile()).data   # none listed: no line


def test_the_method_prose_comes_after_the_answers():
    head, end = page.header(_profile()).data, page.indicator_table_html(_profile()).data
    assert "Figures describe; they do not explain" not in head and 'href="#how-to-read"' in head
    assert end.index('id="all-indicators"') < end.index('id="how-to-read"')
    assert "Figures describe; they do not explain" in end


def test_a_balance_not_modelled_is_not_available_never_a_surplus():
    assert page._balance(float("nan"), float("nan")) == "not available"
    assert page._balance(-80e6, -8.0) == "a deficit of about £80.0m (8.0% of DSG income)"
