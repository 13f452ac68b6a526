"""The profiles as a publication: the hooks ``notebooks/pipeline.yaml`` names for them.

:func:`parameter_sets` lists one page per LA with SEND duties in the latest year held;
:func:`prepare` builds every LA's indicators once, into the file the publishing layer hands to
each page's kernel (``settings.prepared``); :func:`index_table` gives the columns and rows of
the profiles' index page (every LA with the latest value of every indicator, sortable).
"""

from __future__ import annotations

import pickle
from pathlib import Path

import pandas as pd
from markupsafe import Markup

from analysis.files import atomic_write
from analysis.report.collection import (
    IndexCell,
    IndexColumn,
    IndexRow,
    IndexTable,
    PageSet,
    SheetTable,
    ThemeNote,
)
from analysis.series.store import SeriesStore
from analysis.studies import profiles
from analysis.studies.profiles import benchmarks, outlook, reading
from analysis.studies.profiles import money as la_money
from analysis.tables import store

INDEX_TITLE = "Local area SEND profiles"


def parameter_sets() -> list[PageSet]:
    """One page per LA: its key (the page name, the LA code), the notebook's parameters and the
    labels of its title (``name``, ``code``)."""
    las = benchmarks.profile_las(store.load("la_lookup"))
    return [PageSet(key=code, parameters={"la_code": code}, labels={"name": name, "code": code})
            for code, name in zip(las["code"], las["name"])]


def prepare(path: Path, parameters: dict) -> None:
    """Build every LA's indicators (:func:`analysis.studies.profiles.build`) into ``path``, with
    the LAs' own figures when the run's ``parameters`` name them (``local_figures``)."""
    built = profiles.build(SeriesStore(), parameters.get("local_figures"))
    atomic_write(path, lambda tmp: tmp.write_bytes(pickle.dumps(built)))


def index_table(prepared: Path, linked: list[str]) -> IndexTable:
    """The index page from the prepared indicators: a column per indicator (in theme order), a
    row per LA sorted by name (each cell as shown and as it sorts, "" when not available so those
    sort last; linked where the LA's page is in ``linked``), the intro and footnote, per theme
    why each indicator and its limits, what the data cannot show and the key messages as prompts
    (the same for every LA, so the profiles link to them), the spreadsheet of every indicator for
    every LA, the CSV of every profile chart's data (``chart_data``) and each LA's part of it
    (linked from its page), a summary for the site's index and what the parameter means."""
    built = pickle.loads(Path(prepared).read_bytes())
    catalogue = built.catalogue
    keys = [link.indicator for theme in catalogue.themes for link in theme.links]
    summary = built.summary.set_index(["code", "indicator"])
    columns = []
    for key in keys:
        meta = catalogue.indicators[key]
        year = summary.xs(key, level="indicator")["year"].iloc[0]
        columns.append(IndexColumn(id=key, title=meta.title, unit=meta.unit, when=reading.period(meta, year),
                                   theme=catalogue.theme_of(key).title))
    rows = []
    for la in built.las.itertuples():
        cells = []
        for key in keys:
            value = summary.loc[(la.code, key), "value"]
            meta = catalogue.indicators[key]
            text = reading.yes_no(value) if meta.binary else reading.number(value, meta.decimals)
            cells.append(IndexCell(text=text, sort="" if pd.isna(value) else repr(round(float(value), 6))))
        rows.append(IndexRow(code=la.code, name=la.name, region=la.region, la_type=la.la_type,
                             link=f"{la.code}.html" if la.code in linked else None, cells=tuple(cells)))
    rows.sort(key=lambda r: r.name)   # by name, as the index first shows them
    intro = [Markup(
        f"One page per local authority with SEND duties in the latest year held ({len(rows)} LAs): "
        "the six themes of effective local SEND practice read through official indicators, each "
        "against the LA's statistical neighbours and England, with rank, quartile, trend and "
        "whether higher is better. Click a column heading to sort by it (again to reverse); "
        "figures not available sort last and show as n/a."),
        Markup("Themes: {}").format(catalogue.source)]
    footnote = ("LA types: ILB/OLB inner/outer London borough, MD metropolitan district, SC shire "
                "county, UA unitary authority. Values for LAs changed by boundary reorganisations are "
                "for the combined area where the data cannot be split; each profile says so.")
    summary = (f"A profile of each of the {len(linked)} LAs with SEND duties: the six good-practice "
               "themes read through official indicators, against statistical neighbours and England.")
    chart_data, long = _chart_data(built, keys), _long(built, keys)
    about = (f"Every indicator of the local area SEND profiles for every LA ({len(rows)} LAs): the "
             "latest value, in one table across and in one table down with England, the statistical "
             "neighbours, the rank and the reason where a figure is not available.",
             "Themes: " + str(catalogue.source))
    tables = (SheetTable(title="The latest value of every indicator for every LA",
                         frame=_wide(built, columns, keys), measure="as each column header says",
                         source=SOURCE),
              SheetTable(title="Every indicator for every LA with England, its neighbours and its rank",
                         frame=long, measure="as the unit column says", source=SOURCE))
    notes = tuple(ThemeNote(id=f"why-{theme.id}", title=theme.title,
                            items=tuple((catalogue.indicators[link.indicator].title, link.reasoning,
                                         link.limits) for link in theme.links),
                            not_reached=theme.not_reached, messages=tuple(theme.key_messages))
                  for theme in catalogue.themes)
    return IndexTable(title=INDEX_TITLE, intro=tuple(intro), columns=tuple(columns), rows=tuple(rows),
                      footnote=footnote, summary=summary, notes=notes, workbook_about=about,
                      workbook_tables=tables, csv={"chart_data": chart_data},
                      page_csv=page_downloads(built, chart_data, long),
                      parameters={"la_code": "each LA in the table"})


SOURCE = ("DfE, ESFA, MoJ and Ofsted publications listed in the provenance of the profiles index; "
          "statistical neighbours from DfE's list")


def page_downloads(built, chart_data: pd.DataFrame, long: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Each LA's CSVs, linked from its page under the tables they hold, by name: ``CODE`` every
    year of its theme charts (its rows of ``chart_data``), ``CODE_indicators`` every indicator
    with England, neighbours and rank (its rows of ``long``), ``CODE_outlook`` its EHC plans
    published and forecast (January of each year), ``CODE_outlook_ages`` the forecast by age
    band and ``CODE_money`` its cumulative DSG balance at 31 March, published and projected (£,
    cash; its stable area's, ``area_code``, where its own is not published)."""
    out = {}
    by_code = {"": chart_data.groupby("la_code", sort=True),
               "_indicators": long.groupby("LA code", sort=True)}
    for suffix, groups in by_code.items():
        out.update({f"{code}{suffix}": rows for code, rows in groups})
    for code in sorted(built.las["code"]):
        demand = outlook.for_la(built.outlook, code)
        out[f"{code}_outlook"] = demand["totals"].rename(columns={"area_code": "la_code", "year": "january"})
        out[f"{code}_outlook_ages"] = demand["ages"].rename(columns={"area_code": "la_code",
                                                                     "year": "january"})
        path = la_money.for_la(built.money, code)["path"].rename(columns={"year": "march"})
        out[f"{code}_money"] = path.assign(la_code=code)[["la_code", *path.columns]]
    return dict(sorted(out.items()))


def _wide(built, columns: list[IndexColumn], keys: list[str]) -> pd.DataFrame:
    """One row per LA, one column per indicator (its latest value; yes/no as 100 or 0)."""
    values = built.summary.pivot(index="code", columns="indicator", values="value")[keys]
    las = built.las.set_index("code")[["name", "region", "la_type"]]
    frame = las.join(values).reset_index()
    frame.columns = (["LA code", "LA name", "Region", "LA type"]
                     + [f"{c.title} ({c.unit}, {c.when})" for c in columns])
    return frame


def _long(built, keys: list[str]) -> pd.DataFrame:
    """One row per LA and indicator: value, why it is missing, England, neighbours, rank."""
    catalogue = built.catalogue
    s = built.summary[built.summary["indicator"].isin(keys)].merge(
        built.las[["code", "name"]], on="code")
    s["order"] = s["indicator"].map({k: i for i, k in enumerate(keys)})
    s = s.sort_values(["code", "order"])
    meta = {k: catalogue.indicators[k] for k in keys}
    return pd.DataFrame({
        "LA code": s["code"], "LA name": s["name"],
        "Theme": s["indicator"].map(lambda k: catalogue.theme_of(k).title),
        "Indicator": s["indicator"].map(lambda k: meta[k].title),
        "Unit": s["indicator"].map(lambda k: meta[k].unit),
        "Year": s["year"], "Value": s["value"],
        "Why not available": [benchmarks.why_missing(sym) if pd.isna(v) else "[z]"
                              for v, sym in zip(s["value"], s["symbol"])],
        "England": s["england"], "Statistical neighbours": s["neighbours"],
        "Rank (1 = highest)": s["rank"], "LAs ranked": s.get("rank_n"),
        "Quartile (1 = highest)": s["quartile"]})


def _chart_data(built, keys: list[str]) -> pd.DataFrame:
    """The data behind every profile's theme charts: per LA, indicator and year, the LA's value,
    its statistical neighbours' pooled value and England's (n/a where not published)."""
    catalogue = built.catalogue
    lines = built.lines[built.lines["indicator"].isin(keys)]
    wide = lines.pivot_table(index=["code", "indicator", "year"], columns="role", values="value",
                             aggfunc="first").reset_index()
    for role in ("LA", "Neighbours"):
        if role not in wide:
            wide[role] = float("nan")
    england = pd.concat([frame.assign(indicator=key)[["indicator", "year", "value"]]
                         for key, frame in built.england.items() if key in keys])
    wide = wide.merge(england.rename(columns={"value": "England"}), on=["indicator", "year"], how="left")
    wide = wide.merge(built.las[["code", "name"]], on="code")
    wide["order"] = wide["indicator"].map({k: i for i, k in enumerate(keys)})
    wide = wide.sort_values(["code", "order", "year"])
    return pd.DataFrame({
        "la_code": wide["code"], "la_name": wide["name"],
        "theme": wide["indicator"].map(lambda k: catalogue.theme_of(k).title),
        "indicator": wide["indicator"].map(lambda k: catalogue.indicators[k].title),
        "unit": wide["indicator"].map(lambda k: catalogue.indicators[k].unit),
        "year": wide["year"].astype(int), "la_value": wide["LA"],
        "statistical_neighbours": wide["Neighbours"], "england": wide["England"]})
