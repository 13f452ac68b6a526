"""What the profile notebook shows, as HTML display objects: the header, the summary at a
glance, one section per theme (small multiples, their data as tables, generated reading, one
sentence per indicator, and a link to the theme's key messages, reasons and limits on the
profiles index), the demand outlook, the high needs money and the table of every indicator.

HTML rather than markdown outputs: the page needs no markdown pass when 150 are rendered.
"""

from __future__ import annotations

import base64
import html
import re

import numpy as np
import pandas as pd
from IPython.display import HTML

from analysis.report import words
from analysis.series.calc import round_half_up
from analysis.studies.finance import reading as finance_reading
from analysis.studies.forecast import reading as forecast_reading
from analysis.studies.profiles import figures, reading
from analysis.studies.profiles.benchmarks import why_missing
from analysis.tables.conventions import year_label
from analysis.vocabulary import AGE_BANDS, LA_TYPES

PATH_SIZE = ' width="{}" height="{}"'.format(*(round(i * figures.DPI) for i in figures.PATH))
"""The demand outlook and balance images' drawn size, so a page keeps their room as it loads."""


def _table(frame: pd.DataFrame, caption: str) -> str:
    """A table of values already written for people (:func:`analysis.report.words.people_table`),
    captioned, in a region that scrolls by keyboard when wider than the page."""
    return words.people_table(words.captioned(frame, caption))


def _text(markdown_bold: str) -> str:
    """Escape text for HTML, turning ``**bold**`` into ``<strong>``."""
    return re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", html.escape(markdown_bold, quote=False))


KEY_INDICATORS = ("timeliness_20_weeks", "tribunal_appeal_rate")
"""The indicators a profile's key facts give beside England's."""


def key_facts(profile) -> str:
    """The answer first: EHC plans now and forecast with the range, the DSG balance when the
    statutory override ends with and without the grant, and the key indicators against England,
    as a short list (each fact says its date)."""
    facts = []
    held, ahead = _held_ahead(profile.demand["totals"])
    if len(held) and len(ahead):
        end = ahead.iloc[-1]
        facts.append(("EHC plans", f"{held.iloc[-1]:,.0f} in January {int(held.index.max())}; forecast "
                      f"{forecast_reading.thousands(end['value'])} by January {int(ahead.index.max())} "
                      f"(80% range {forecast_reading.thousands(end['lower_80'])} to "
                      f"{forecast_reading.thousands(end['upper_80'])})"))
    m, position = profile.money, profile.finances["position"]
    if position is not None:
        end = f"balance_{m.to_year}"
        facts.append((f"DSG balance at 31 March {m.to_year} (projected)",
                      f"{_balance(position[end], position[f'{end}_pct_of_dsg'])} after the High Needs "
                      f"Stability Grant; without the grant, "
                      f"{_balance(position[f'{end}_no_grant'], position[f'{end}_no_grant_pct_of_dsg'])}"))
    for key in [k for k in KEY_INDICATORS if k in profile.summary.index]:
        meta, row = profile.catalogue.indicators[key], profile.summary.loc[key]
        if pd.notna(row["value"]):
            when = reading.period(meta, row["year"])
            facts.append((meta.title, f"{_with_unit(row['value'], meta)} in {when}; "
                          f"England {_with_unit(row['england'], meta, short=True)}"))
    items = "".join(f"<dt>{html.escape(k)}</dt><dd>{html.escape(v)}</dd>" for k, v in facts)
    return (f'<section class="key-facts" aria-labelledby="key-facts"><h2 id="key-facts">Key facts</h2>'
            f"<dl>{items}</dl></section>")


def _balance(value: float, pct_of_dsg: float) -> str:
    """A DSG balance in words: "a deficit of about £149.4m (9.2% of DSG income)"; a balance not
    modelled is "not available", never a surplus."""
    if pd.isna(value):
        return "not available"
    kind = "a deficit" if value < 0 else "a surplus"
    return f"{kind} of about {finance_reading.money(abs(value))} ({abs(pct_of_dsg):.1f}% of DSG income)"


def _with_unit(value: float, meta, short: bool = False) -> str:
    """An indicator's figure with its unit: "33.3% of new plans (excluding exceptions)", "12.7
    appeals per 100 appealable decisions"; ``short``, for a figure beside one given in full:
    "46.4%", "6.6"."""
    number = reading.number(value, meta.decimals)
    if meta.unit.startswith("%"):
        return f"{number}%" if short else f"{number}{meta.unit}"
    return number if short else f"{number} {meta.unit}"


def _neighbour_links(profile) -> str:
    """The LA's statistical neighbours by name, each linked to its own profile (an area formed
    by a boundary change, which has no page of its own, is named without a link)."""
    if not profile.neighbours:
        return ""
    links = [f'<a href="{code}.html">{html.escape(name)}</a>' if has_page else html.escape(name)
             for code, name, has_page in profile.neighbours]
    return f"<p>Its statistical neighbours: {', '.join(links)}.</p>"


def header(profile) -> HTML:
    """Title, the key facts, area facts, the comparator group and how to read the page."""
    contents = "".join(f'<li><a href="#{t.id}">{html.escape(t.title)}</a></li>'
                       for t in profile.catalogue.themes)
    note = f'<p class="profile-note">{_text(profile.note)}</p>' if profile.note else ""
    return HTML(
        f'<h1 id="top">{html.escape(profile.name)} ({profile.code}): local SEND profile</h1>'
        + key_facts(profile) +
        f"<p>{html.escape(profile.region)}; "
        f"{html.escape(LA_TYPES.get(profile.la_type, profile.la_type))}. Compared with "
        f"England and its {html.escape(profile.comparators.lower())}: {html.escape(profile.basis)}."
        f"</p>{note}" + _neighbour_links(profile) +
        f"<ol><li><a href=\"#at-a-glance\">At a glance</a></li>{contents}"
        "<li><a href=\"#demand-outlook\">Demand outlook</a></li>"
        "<li><a href=\"#high-needs-money\">High needs money</a></li>"
        "<li><a href=\"#all-indicators\">All indicators</a></li>"
        "<li><a href=\"#how-to-read\">How to read this profile</a></li></ol>")


def how_to_read(profile) -> str:
    """What the profile is and how to read it: the method, at the end of the page."""
    return (
        '<h2 id="how-to-read">How to read this profile</h2>'
        f"<p>{len(profile.catalogue.themes)} themes of effective local practice for children and young "
        "people with special educational needs and disabilities (SEND), each read through the "
        "official indicators that speak to it. Each chart shows the local authority (LA), its "
        "statistical neighbours pooled, and England over the years published; rank 1 is the highest "
        "value among LAs. Where a figure is not available the reason is given. Each theme links to "
        "its key messages, prompts for local discussion that the data cannot answer, on the profiles "
        "index. Figures describe; they do not explain: read them with their limits and local "
        "knowledge.</p>"
        f"<p>Themes: {html.escape(profile.catalogue.source)}</p>")


CHART_DATA = "../downloads/profiles_chart_data.csv"
"""Every profile chart's data, written with the profiles index (from a profile page)."""
PAGE_DATA = "../downloads/profiles/{code}.csv"
"""One LA's part of :data:`CHART_DATA` (every year of its charts), written with the index; its
other tables' data are beside it as ``CODE_indicators``, ``CODE_outlook``, ``CODE_outlook_ages``
and ``CODE_money`` (:func:`analysis.studies.profiles.publication.page_downloads`)."""


def _download(key: str, text: str) -> str:
    """A link under a table to its data, one of the LA's CSVs (:data:`PAGE_DATA`, ``key`` in
    place of the code)."""
    return (f'<p class="table-download"><a href="{PAGE_DATA.format(code=key)}">{html.escape(text)}</a> '
            "(CSV)</p>")


TABLE_YEARS = 6
"""A theme's data tables give each indicator's latest this many years; its chart may reach
further back, and every year is in the LA's CSV (:data:`PAGE_DATA`), linked under the tables.
Measured (3 profiles rendered both ways): every year adds 6.8 KB a profile, 1.04 MB over 153,
which would take the site from 19.0 MB to just over its 20 MB budget
(``scripts/site_weight.py``); the tables are plain (no ``scope``, ``thead``: simple tables whose
first row and column are headers) for the same reason."""


def _table_value(value: float, meta, role: str) -> str:
    """One cell of a theme's data table: a yes/no indicator is the LA's answer and, for its
    neighbours and England, the % of LAs answering yes."""
    if meta.binary and role == "LA":
        return reading.yes_no(value)
    return reading.number(value, meta.decimals)


def _table_caption(meta, name: str, shown: int, held: int) -> str:
    """An indicator's table caption: title, unit (a yes/no's in words), January for a census
    and how many of the years held the table gives."""
    unit = (f"{name}: yes or no; neighbours and England: % of LAs answering yes" if meta.binary
            else meta.unit)
    when = ", January of each year" if meta.period == "census" else ""
    cut = f", the latest {shown} of {held} years" if shown < held else ""
    return f"{meta.title} ({unit}{when}{cut})"


def _table_year(year: int, meta) -> str:
    """A row of a theme's data table: the indicator's ``when`` if set (one inspection
    framework), a census's year alone (its caption says January), else the year's label."""
    return meta.when or (str(year) if meta.period == "census" else year_label(year, meta.period))


def panel_alt(profile, meta, series: figures.Series) -> str:
    """An indicator's panel in words, from the values drawn (``series``, one indicator of
    :func:`figures.theme_lines`): for the LA, its neighbours and England the first and the latest
    value; the years between are in the table beside it."""
    said = []
    for role, label in (("LA", profile.name), ("Neighbours", "statistical neighbours"),
                        ("England", "England")):
        years, values = series[role]
        years = years[~np.isnan(values)]
        values = values[~np.isnan(values)]
        if not len(values):
            said.append(f"{label}: no figure")
            continue
        text = f"{label} {_table_value(values[0], meta, role)} in {reading.period(meta, years[0])}"
        if len(values) > 1:
            text += f" to {_table_value(values[-1], meta, role)} in {reading.period(meta, years[-1])}"
        said.append(text)
    return f"Chart of {meta.title} ({meta.unit}): {'; '.join(said)}."


def _key(name: str) -> str:
    """What each line of a theme's panels is: the colour, line and marker drawn, then the name
    (the marks are hidden from screen readers; the text alternatives name each line)."""
    drawn = {"LA": "━●━", "Neighbours": "━■━", "England": "╌•╌"}
    names = {"LA": name, "Neighbours": "statistical neighbours", "England": "England"}
    keys = " ".join(f'<span class="key"><span aria-hidden="true" style="color:'
                    f'{figures.STYLE[role]["color"]}">{drawn[role]}</span> {html.escape(names[role])}</span>'
                    for role in figures.ROLES[::-1])
    return f'<p class="chart-key">Lines: {keys}</p>'


def theme_tables(profile, theme, lines: dict[str, figures.Series]) -> str:
    """The data behind a theme's charts (``lines``, :func:`figures.theme_lines`: the values
    drawn) for people: per indicator a captioned table of its latest :data:`TABLE_YEARS` years, one row a
    year (:func:`_table_year`), columns the LA, its statistical neighbours and England; "n/a"
    where there is no figure for that year."""
    head = f"<tr><th>Year</th><th>{html.escape(profile.name)}</th><th>Neighbours</th><th>England</th></tr>"
    tables = []
    for key, series in lines.items():
        meta = profile.catalogue.indicators[key]
        by_year: dict[int, dict[str, float]] = {}
        for role, (years, values) in series.items():
            for year, value in zip(years, values):
                by_year.setdefault(int(year), {})[role] = value
        shown = sorted(by_year)[-TABLE_YEARS:]
        rows = "".join(
            f"<tr><th>{_table_year(year, meta)}</th>"
            + "".join(f"<td>{_table_value(by_year[year].get(role, float('nan')), meta, role)}</td>"
                      for role in figures.ROLES[::-1]) + "</tr>"
            for year in shown)
        caption = html.escape(_table_caption(meta, profile.name, len(shown), len(by_year)))
        tables.append(f"<table><caption>{caption}</caption>{head}{rows}</table>")
    return "".join(tables)


def _bar(marks: list[tuple[str, int, int]]) -> str:
    """A bar from the lowest LA (left) to the highest (right) in quarters, with a mark for each
    ``(label, rank, of)``; its text alternative lists them (each rank is also in its theme's
    sentences, so the marks carry no tooltip of their own)."""
    if not marks:
        return "not ranked"
    said = [f"{t}: {reading.rank_words(r, n)} ({reading.quarter_words(r, n)})" for t, r, n in marks]
    spans = "".join(f'<span style="left:{reading.bar_position(r, n)}%"></span>' for _, r, n in marks)
    label = "; ".join(said)
    return f'<span class="glance-bar" role="img" aria-label="{html.escape(label)}">{spans}</span>'


def at_a_glance(profile) -> HTML:
    """The summary first: for each theme, the indicators better and worse than England and a bar
    of the LA's ranks in quarters; then its demand outlook and its money in a sentence each."""
    metas, summary = profile.catalogue.indicators, profile.summary
    rows = []
    for theme in profile.catalogue.themes:
        standing = reading.glance_words(*reading.theme_standing(theme, summary, metas))
        marks = [(metas[k].title, int(summary.loc[k, "rank"]), int(summary.loc[k, "rank_n"]))
                 for k in (link.indicator for link in theme.links)
                 if not metas[k].binary and pd.notna(summary.loc[k, "rank"])]
        rows.append((theme.id, theme.title, standing, _bar(marks)))
    totals = profile.demand["totals"]
    held, ahead = _held_ahead(totals)
    demand = (forecast_reading.outlook_sentence(profile.name, held, ahead, totals["basis"].iloc[-1])
              if len(held) and len(ahead) else "No forecast: its EHC plans are not published as a series.")
    rows.append(("demand-outlook", "Demand outlook", demand, "not ranked"))
    f, m = profile.finances["figures"], profile.money
    money = [f"High needs block {_pounds(f['per_head'])} per resident aged 2-18 in "
             f"{year_label(m.per_head_year, 'financial')} (England {_pounds(f['england_per_head'])})."]
    marks = []
    if pd.notna(f["per_head_rank"]):
        marks.append((f"High needs block per resident aged 2-18, {year_label(m.per_head_year, 'financial')}",
                      int(f["per_head_rank"]), int(f["per_head_of"])))
    if pd.notna(f["balance_pct"]):
        state = "a deficit" if f["balance_pct"] < 0 else "a surplus"
        money.append(f"DSG balance at 31 March {m.origin}: {state} of {abs(f['balance_pct']):.1f}% of "
                     "its DSG income.")
        marks.append((f"DSG balance as a share of DSG income, 31 March {m.origin} (highest = largest "
                      "surplus)", int(f["balance_pct_rank"]), int(f["balance_pct_of"])))
    rows.append(("high-needs-money", "High needs money", " ".join(money), _bar(marks)))
    body = "".join(f'<tr><th scope="row"><a href="#{i}">{html.escape(t)}</a></th>'
                   f"<td class=\"text\">{html.escape(w)}</td><td class=\"text\">{b}</td></tr>"
                   for i, t, w, b in rows)
    return HTML(
        '<section class="profile-glance"><h2 id="at-a-glance">At a glance</h2>'
        f"<p>Where {html.escape(profile.name)} stands on each theme, on demand and on money. Each bar "
        "runs from the lowest LA (left) to the highest (right) in four quarters; a mark is one of its "
        "indicators, whose rank each theme gives in words (yes/no indicators are not ranked). "
        "Higher is not always better: each theme says which way is.</p>"
        + words.scroll_region(
            f'<table class="glance"><caption>{html.escape(profile.name)} at a glance</caption>'
            "<thead><tr><th>Theme</th><th>Where it stands</th><th>Rank among LAs, lowest to highest"
            f"</th></tr></thead><tbody>{body}</tbody></table>", "At a glance")
        + _download(f"{profile.code}_indicators", f"Download every indicator for {profile.name} with "
                    "England, its neighbours and its rank")
        + "</section>")


def theme_section(profile, theme_id: str) -> HTML:
    """One theme: charts, their data as tables (collapsed), reading, indicator sentences and a
    link to the theme's key messages, why these indicators, their limits and what the data
    cannot show (the same for every LA, on the profiles index)."""
    theme = next(t for t in profile.catalogue.themes if t.id == theme_id)
    number = [t.id for t in profile.catalogue.themes].index(theme_id) + 1
    metas = profile.catalogue.indicators
    lines = figures.theme_lines(profile, theme)
    width, height = (round(inches * figures.DPI) for inches in figures.PANEL)
    panels = "".join(
        f'<figure class="panel"><figcaption><strong>{html.escape(metas[key].title)}</strong> '
        f'<span class="unit">{html.escape(metas[key].unit)}</span></figcaption>'
        f'<img src="data:image/webp;base64,{base64.b64encode(image).decode("ascii")}" '
        f'alt="{html.escape(panel_alt(profile, metas[key], lines[key]))}" width="{width}" '
        f'height="{height}"></figure>'
        for key, image in figures.panel_images(profile, theme, lines).items())
    sentences = "".join(
        f"<li>{_text(reading.indicator_sentence(profile.summary.loc[k], metas[k], profile.name))}"
        f" <em>{html.escape(reading.polarity_text(metas[k]))}</em></li>"
        for k in (link.indicator for link in theme.links))
    return HTML(
        f'<section class="profile-theme"><h2 id="{theme.id}">{number}. {html.escape(theme.title)}</h2>'
        f'{_key(profile.name)}<div class="panels">{panels}</div>'
        '<details class="chart-data"><summary>The data behind these charts as tables</summary>'
        + words.scroll_region(f'<div class="tables">{theme_tables(profile, theme, lines)}</div>',
                              f"The data behind the charts of {theme.title.lower()}") +
        '<p class="table-note">n/a: no figure that year.</p></details>'
        f'<p><a href="{PAGE_DATA.format(code=profile.code)}">Download every year of the data behind '
        f"{html.escape(profile.name)}'s charts</a> (CSV, every theme), or "
        f'<a href="{CHART_DATA}">every year for every LA</a> (CSV, large); the profiles spreadsheet '
        "has the latest values.</p>"
        f"<p>{_text(reading.theme_reading(theme, profile.summary, metas, profile.name))}</p>"
        f"<ul>{sentences}</ul>"
        f'<p><a href="index.html#why-{theme.id}">The key messages to discuss, why these indicators, '
        "their limits and what the data cannot show</a> (the same for every LA: on the profiles "
        "index)</p>"
        '<p><a href="#top">Back to the top</a></p></section>')


def _held_ahead(totals: pd.DataFrame) -> tuple[pd.Series, pd.DataFrame]:
    """An LA's EHC plans published (by January) and its forecast rows (by January)."""
    actual = totals["method"].eq("actual")
    return totals[actual].set_index("year")["value"], totals[~actual].set_index("year")


def demand_outlook(profile) -> HTML:
    """The LA's EHC plans held and forecast by the default method with the 80% interval, the
    forecast by age band, and how accurate that method has been for LAs of its type."""
    o, totals, ages = profile.outlook, profile.demand["totals"], profile.demand["ages"]
    held, ahead = _held_ahead(totals)
    if held.empty or ahead.empty:
        return HTML('<section class="profile-theme"><h2 id="demand-outlook">Demand outlook</h2>'
                    f"<p>No forecast for {html.escape(profile.name)}: its EHC plans are not published "
                    "as a series.</p></section>")
    basis = totals["basis"].iloc[-1]
    sentence = forecast_reading.outlook_sentence(profile.name, held, ahead, basis)
    image = base64.b64encode(figures.outlook_image(totals)).decode("ascii")
    alt = (f"EHC plans in {profile.name}: {held.iloc[-1]:,.0f} in January {int(held.index.max())}, "
           f"forecast {ahead['value'].iloc[-1]:,.0f} in January {int(ahead.index.max())} (80% interval "
           f"{ahead['lower_80'].iloc[-1]:,.0f} to {ahead['upper_80'].iloc[-1]:,.0f})")
    shown = pd.concat([held.rename("value").to_frame().assign(kind="published"),
                       ahead[["value", "lower_80", "upper_80"]].assign(kind="forecast")]).tail(
        len(ahead) + 3)
    totals_table = pd.DataFrame({
        "January": shown.index.astype(int), "Figure": shown["kind"],
        "EHC plans": [f"{v:,.0f}" for v in shown["value"]],
        "80% interval": [f"{lo:,.0f} to {hi:,.0f}" if k == "forecast" else ""
                         for lo, hi, k in zip(shown["lower_80"], shown["upper_80"], shown["kind"])],
    })
    bands = ages.dropna(subset=["value"]).pivot_table(index="year", columns="age_group", values="value")
    order = [b for b in AGE_BANDS if b in bands.columns]
    band_table = (_table(bands[order].rename(columns=str).rename_axis("January").map(
        lambda v: "n/a" if pd.isna(v) else f"{round_half_up(v, -1):,.0f}"), "Forecast EHC plans by age band")
        + _download(f"{profile.code}_outlook_ages", f"Download {profile.name}'s forecast by age band")
        if order else
        "<p>No age breakdown is published for this LA, so the forecast is not split by age.</p>")
    kind = LA_TYPES.get(profile.la_type, profile.la_type)
    mine = o.accuracy[o.accuracy["group"].eq(profile.la_type)].set_index("horizon")
    accuracy = (f"Backtested from every January since {o.backtest_from} on the data of the time: "
                + forecast_reading.accuracy_words(mine.loc[1, "mdape"], mine.loc[o.horizon, "mdape"],
                                                  o.horizon, mine["coverage_80"].mean(),
                                                  f"the forecasts for LAs of its type ({kind})")
                if len(mine) else "")
    if int(held.index.max()) < o.origin:
        sentence += (f" {profile.name}'s count for January {o.origin} is not published (suppressed), "
                     f"so its forecast runs from January {int(held.index.max())}.")
    flagged = profile.demand.get("flags", pd.DataFrame())
    if len(flagged):
        years = ", ".join(f"January {int(y)} ({c:+.0f}% in a year)" for y, c in
                          zip(flagged["year"], flagged["change_pct"]))
        sentence += (f" The data-quality screen flags {profile.name}'s return for {years} as "
                     "implausible: the forecast's growth uses the last plausible value grown with "
                     "its region in its place, while the tables show the figure as published.")
    return HTML(
        '<section class="profile-theme"><h2 id="demand-outlook">Demand outlook</h2>'
        f"<p>{html.escape(sentence)}</p>"
        f'<img src="data:image/webp;base64,{image}" alt="{html.escape(alt)}"{PATH_SIZE}>'
        f"<h3>EHC plans published and forecast</h3>"
        f"{_table(totals_table, f'EHC plans in {profile.name}, published and forecast')}"
        + _download(f"{profile.code}_outlook", f"Download {profile.name}'s EHC plans published and "
                    "forecast, every year")
        + f"<p>{html.escape(accuracy)} The method ({html.escape(forecast_reading.METHOD_NAMES[o.default])}) "
        'and its backtests are in the <a href="../05_demand_forecast.html">demand forecast report</a>; '
        "forecasts carry on past trends and do "
        "not know about policy changes.</p>"
        f"<h3>Forecast by age band (the default forecast split by projected age shares)</h3>"
        + (f"<p>The latest age split published is for January {o.ages_until}; the shares are "
           "projected from it.</p>" if o.ages_until is not None and o.ages_until < o.origin else "")
        + f"{band_table}"
        '<p><a href="#top">Back to the top</a></p></section>')


def high_needs_money(profile) -> HTML:
    """The LA's high needs block per resident aged 2-18 against its neighbours and England, its
    spending per EHC plan, and its cumulative DSG balance with the path to the end of the
    statutory override, in words, a chart and a table."""
    m, f, path = profile.money, profile.finances["figures"], profile.finances["path"]
    sentences = [
        f"In {year_label(m.per_head_year, 'financial')} {profile.name}'s high needs block (before "
        f"the place funding ESFA pays directly) was {_pounds(f['per_head'])} per resident aged 2-18, against "
        f"{_pounds(f['neighbours_per_head'])} for its statistical neighbours combined and "
        f"{_pounds(f['england_per_head'])} for England.",
        f"In {year_label(m.outturn_year, 'financial')}, the one year whose S251 outturn is held, it spent "
        f"{_pounds(f['spend_per_plan'])} on high needs per EHC plan (with the place funding ESFA paid "
        f"directly), against {_pounds(f['england_spend_per_plan'])} for England."]
    if path.empty:
        return HTML('<section class="profile-theme"><h2 id="high-needs-money">High needs money</h2>'
                    + "".join(f"<p>{html.escape(t)}</p>" for t in sentences)
                    + "<p>No published DSG balance, so no path.</p></section>")
    note = ("" if f["path_code"] == profile.code else
            f" Its balance is not published apart from the LA it was formed from: the path is for "
            f"{path['area_name'].iloc[0]} ({f['path_code']}) as a whole.")
    position = profile.finances["position"]
    lead = ([finance_reading.position_sentence(path["area_name"].iloc[0], position, m.write_off_year,
                                               m.to_year) + note
             + " It assumes the LA's local SEND reform plan is approved, allocations as announced "
             "(then held in cash), costs growing with its plans and with inflation, and no safety "
             "valve payments (not modelled)."] if position is not None else [])
    sentences = lead + [t for t in [finance_reading.supplied_sentence(
        path["area_name"].iloc[0], profile.finances["supplied"])] if t] + sentences
    sentences.append(finance_reading.path_sentence(
        path["area_name"].iloc[0], path.assign(scenario="default"), "default", m.scenario, m.to_year)
        + (f" Its balance published for 31 March {m.origin} was {f['balance_pct']:.1f}% of its DSG "
           "income." if
           pd.notna(f["balance_pct"]) else "") + note)
    image = base64.b64encode(figures.money_image(path)).decode("ascii")
    end = path[path["year"].eq(m.to_year)].iloc[0]
    alt = (f"Cumulative DSG balance of {path['area_name'].iloc[0]}: "
           f"{finance_reading.money(path.loc[path['lower_gbp'].isna(), 'value_gbp'].iloc[-1])} at 31 March "
           f"{int(path.loc[path['lower_gbp'].isna(), 'year'].iloc[-1])}, "
           f"{end['kind']} {finance_reading.money(end['value_gbp'])} at 31 March {m.to_year} "
           f"(80% interval {finance_reading.money(end['lower_gbp'])} to "
           f"{finance_reading.money(end['upper_gbp'])})")
    table = pd.DataFrame({
        "31 March": path["year"].astype(int), "Figure": path["kind"],
        "Balance": path["value_gbp"].map(finance_reading.money),
        "80% interval": [f"{finance_reading.money(lo)} to {finance_reading.money(hi)}" if pd.notna(lo)
                         else "" for lo, hi in zip(path["lower_gbp"], path["upper_gbp"])],
    })
    return HTML(
        '<section class="profile-theme"><h2 id="high-needs-money">High needs money</h2>'
        + "".join(f"<p>{html.escape(t)}</p>" for t in sentences)
        + f'<img src="data:image/webp;base64,{image}" alt="{html.escape(alt)}"{PATH_SIZE}>'
        f"<h3>Cumulative DSG balance (negative = deficit), published, estimated and projected</h3>"
        f"{_table(table, 'Cumulative DSG balance at 31 March, published, estimated and projected')}"
        + _download(f"{profile.code}_money", f"Download the DSG balance of {profile.name}, published "
                    "and projected")
        + "<p>The path adds each year's high needs block (as published, then "
        f"{html.escape(m.scenario)}), takes off the cost of its plans by placement, and carries "
        f"on what else has moved its balance; at 31 March {m.write_off_year} {m.write_off_share:.0%} "
        "of a deficit is taken off. The interval carries the demand forecast's uncertainty, what "
        "else moves balances, cost growth and allocations not yet announced, drawn for every LA "
        "together. Method, "
        'scenarios and accuracy: <a href="../06_high_needs_finance.html">high needs finance '
        "report</a>.</p>"
        '<p><a href="#top">Back to the top</a></p></section>')


def _pounds(value: float) -> str:
    return "n/a (no figure for this LA)" if pd.isna(value) else f"£{round_half_up(value, 0):,.0f}"


def indicator_table(profile) -> pd.DataFrame:
    """Every indicator of the profile: theme, latest value (or why not available), England,
    neighbours, rank, quartile and polarity; values as shown on the page."""
    metas = profile.catalogue.indicators
    rows = []
    for theme in profile.catalogue.themes:
        for link in theme.links:
            meta, row = metas[link.indicator], profile.summary.loc[link.indicator]
            d = meta.decimals
            shown = pd.notna(row["value"])
            rows.append({
                "Theme": theme.title, "Indicator": meta.title, "Unit": meta.unit,
                "Year": reading.period(meta, row["year"]),
                "Value": (reading.yes_no(row["value"]) if meta.binary
                          else reading.number(row["value"], d)) if shown
                else f"n/a: {why_missing(row['symbol'])}",
                "England": reading.number(row["england"], d),
                "Neighbours": reading.number(row["neighbours"], d),
                "Rank": (f"{int(row['rank'])} of {int(row['rank_n'])}" if pd.notna(row["rank"])
                         else "not ranked: return flagged" if row.get("flagged", False)
                         else "not ranked" if meta.binary else "n/a"),
                "Quartile": int(row["quartile"]) if pd.notna(row["quartile"]) else "",
                "Higher is": {"higher": "better", "lower": "worse", "neither": "neither"}[meta.polarity],
            })
    return pd.DataFrame(rows)


def indicator_table_html(profile) -> HTML:
    return HTML(f'<h2 id="all-indicators">All indicators</h2>'
                f"{_table(indicator_table(profile), f'Every indicator for {profile.name}')}"
                + _download(f"{profile.code}_indicators", f"Download every indicator for {profile.name} "
                            "with England, its neighbours and its rank") +
                "<p>Quartile 1 = the highest quarter of LAs. Yes/no indicators are 100 (yes) or 0 (no) "
                "for the LA and the % of LAs answering yes for England and the neighbours.</p>"
                + how_to_read(profile))
