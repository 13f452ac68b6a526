"""The baseline review's charts: each function returns ``(name, fig, data)`` for one chart.

Every chart has an England view and, when the :class:`View` has an LA, a local view showing
the LA against England and its comparator group. ``data`` is exactly what is plotted (the
"data behind the chart"), saved beside the figure by :func:`analysis.report.plotting.save_figure`.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

import matplotlib.pyplot as plt
import pandas as pd

from analysis.report import plotting
from analysis.series.calc import change_over_window, index_series, percent_text, rank_areas
from analysis.series.comparators import Comparators, LocalArea, local_view
from analysis.series.measures import dsg_years_by_file
from analysis.series.store import SeriesStore
from analysis.sources.catalogue import cite
from analysis.tables import breaks
from analysis.tables.conventions import year_label
from analysis.vocabulary import ENGLAND, LA_LEVEL, PLACEMENTS, REGIONAL

POPULATION_BASIS = " (ages 0-25, previous mid-year)"
"""What the rate charts take from the population estimates, after their source line."""


@dataclass(frozen=True)
class View:
    """What a report looks at: years, and optionally one LA with its comparators."""

    series: SeriesStore
    start_year: int
    end_year: int | None = None          # None: the latest year each series holds
    area: LocalArea | None = None
    group: Comparators | None = None

    @property
    def prefix(self) -> str:
        """File-name prefix of this view's outputs: ``baseline_england`` or ``baseline_la<code>``."""
        return "baseline_england" if self.area is None else f"baseline_la{self.area.requested}"

    @property
    def place(self) -> str:
        return "England" if self.area is None else self.area.name

    def window(self, series: pd.DataFrame) -> tuple[int, int]:
        """(first, last) years to show: ``start_year`` (or the first year held, if later) to
        ``end_year`` (or the latest year with an England value, if earlier)."""
        held = series.loc[series["area_code"].eq(ENGLAND["area_code"]) & series["value"].notna(),
                          "year"]
        last = int(held.max()) if self.end_year is None else min(self.end_year, int(held.max()))
        return max(self.start_year, int(held.min())), last

    def frame(self, series: pd.DataFrame, *, how: str = "sum", own: bool = False) -> pd.DataFrame:
        """England only, or England + the LA + its pooled comparators, within the window (and
        with ``own``, an LA made by a reorganisation's own rows, see :func:`local_view`)."""
        first, last = self.window(series)
        if self.area is None:
            rows = series[series["area_code"].eq(ENGLAND["area_code"])].assign(role="England")
        else:
            rows = local_view(series, self.area, self.group, how=how, own=own)
        return rows[rows["year"].between(first, last)].reset_index(drop=True)


def _latest(frame: pd.DataFrame, role: str = "England", category: str | None = None) -> tuple:
    """(year, value) of the latest non-missing value for ``role``; (None, NaN) if none."""
    rows = frame[frame["role"].eq(role) & frame["value"].notna()]
    if category is not None:
        rows = rows[rows["category"].eq(category)]
    if rows.empty:
        return None, float("nan")
    last = rows.loc[rows["year"].idxmax()]
    return int(last["year"]), float(last["value"])


def _index_growth(indexed: pd.DataFrame, last: int) -> dict[str, float]:
    """% growth to ``last`` per role, from an indexed frame (``index`` 100 = base year)."""
    at = indexed[indexed["year"].eq(last)].set_index("role")["index"]
    return (at - 100).to_dict()


def _gap_years(series: pd.DataFrame, kind: str) -> str:
    """Years after England's first value where it has none (labels, "" if none)."""
    england = series[series["area_code"].eq(ENGLAND["area_code"])]
    held = england.loc[england["value"].notna(), "year"]
    missing = england.loc[england["value"].isna() & england["year"].gt(held.min()), "year"]
    return ", ".join(year_label(int(y), kind) for y in sorted(missing))


def _with_breaks(view: View, series: pd.DataFrame, keys, note: str = "", axes=()) -> str:
    """``note`` followed by the notes of the breaks (:mod:`analysis.tables.breaks`) the chart spans;
    each break is marked on the year ``axes`` given (see :func:`analysis.report.plotting.mark_break`)."""
    first, last = view.window(series)
    for found in breaks.spanned(keys, first, last):
        for ax in axes:
            plotting.mark_break(ax, found.year)
    return " ".join(t for t in (note, breaks.notes(keys, first, last)) if t)


SEN2_BREAK = ("sen2_person_level",)


def _subject(view: View) -> str:
    return "England" if view.area is None else view.area.name


def ehcp_count(view: View):
    """EHC plans plus statements: England count, or LA/England/comparators indexed to start."""
    series = view.series["ehcp"]
    first, last = view.window(series)
    data = view.frame(series)
    data = index_series(data.drop(columns="category", errors="ignore"), first)
    growth = _index_growth(data, last)
    if view.area is None:
        start_v = data.loc[data["year"].eq(first), "value"].item()
        end_v = data.loc[data["year"].eq(last), "value"].item()
        fig, ax = plotting.chart(
            f"EHC plans and statements in England rose from {start_v:,.0f} in January {first} to "
            f"{end_v:,.0f} in January {last}, up {percent_text(growth['England'])}",
            "Children and young people with an EHC plan or statement, January each year")
        ax.plot(data["year"], data["value"] / 1000, marker="o", color=plotting.ROLE_COLOURS["England"])
        ax.set_ylabel("thousands")
        ax.set_ylim(bottom=0)
    else:
        fig, ax = plotting.chart(
            f"EHC plans in {view.area.name} rose by {percent_text(growth['LA'])} from January "
            f"{first} to January {last}, against {percent_text(growth['England'])} in England",
            f"EHC plans and statements, January each year, index {first} = 100")
        plotting.area_lines(ax, data, y="index", colour_by="role")
        ax.set_ylabel(f"index, {first} = 100")
    plotting.finish(fig, view.series.cite("ehcp"), _with_breaks(
        view, series, SEN2_BREAK, view.area.note if view.area else "", [ax]))
    return f"{view.prefix}_ehcp_count", fig, data


def ehcp_rate(view: View):
    """EHC plans per 1,000 aged 0-25: England and regions, or LA/England/comparators."""
    series = view.series["ehcp_rate"]
    data = view.frame(series)
    year, value = _latest(data, "England")
    if view.area is None:
        first, last = view.window(series)
        regions = series[series["level"].eq(REGIONAL) & series["year"].between(first, last)]
        data = pd.concat([data, regions.assign(role="Region")], ignore_index=True)
        fig, ax = plotting.chart(
            f"By January {year} England had {value:.1f} EHC plans or statements per 1,000 "
            "residents aged 0-25", "Per 1,000 population aged 0-25; England (black) and regions")
        ends = []
        for region, rows in regions.groupby("area_name"):
            rows = rows.dropna(subset=["value"]).sort_values("year")
            ax.plot(rows["year"], rows["value"], color="#b1b4b6", linewidth=1)
            if not rows.empty:
                ends.append((region, rows["year"].iloc[-1], rows["value"].iloc[-1]))
        england = data[data["role"].eq("England")]
        ax.plot(england["year"], england["value"], color="black", linewidth=2.5, marker="o",
                label="England")
        ax.legend(fontsize=8.5)
        plotting.label_line_ends(ax, ends)
    else:
        _, la_value = _latest(data, "LA")
        fig, ax = plotting.chart(
            f"{view.area.name} had {la_value:.1f} EHC plans per 1,000 residents aged 0-25 in "
            f"January {year}, England {value:.1f}", "Per 1,000 population aged 0-25")
        plotting.area_lines(ax, data, colour_by="role")
    ax.set_ylabel("per 1,000 aged 0-25")
    plotting.finish(fig, view.series.cite("ehcp_rate") + POPULATION_BASIS, _with_breaks(
        view, series, ("population_census_2021", "sen2_person_level"), axes=[ax]))
    return f"{view.prefix}_ehcp_rate", fig, data


def post16(view: View):
    """Share of EHC plans held by those aged 16-25."""
    series = view.series["post16_share"]
    data = view.frame(series)
    role = "LA" if view.area else "England"
    year, value = _latest(data, role)
    count = data.loc[data["role"].eq(role) & data["year"].eq(year), "num"].sum()
    fig, ax = plotting.chart(
        f"{percent_text(value)} of EHC plans in {_subject(view)} ({count:,.0f}) were held by "
        f"young people aged 16-25 in January {year}",
        "Share of EHC plans and statements, aged 16-25 (%)")
    plotting.area_lines(ax, data, colour_by="role")
    ax.set_ylabel("%")
    ax.set_ylim(bottom=0)
    gaps = _gap_years(series, "census")
    plotting.finish(fig, view.series.cite("post16_share"), _with_breaks(
        view, series, SEN2_BREAK, "Before January 2015 there was no 20-25 age band."
        + (f" No age breakdown is published for {gaps}." if gaps else "")
        + " Shares are of the plans with an age recorded.", [ax]))
    return f"{view.prefix}_post16_share", fig, data


def _panels(view: View, series: pd.DataFrame, categories: list[str], title: str,
            subtitle: str, ylabel: str, source: str, note: str = "", how: str = "sum",
            break_keys=()):
    data = view.frame(series, how=how)
    data = data[data["category"].isin(categories)]
    ncols = len(categories)
    fig, axes = plotting.chart(title, subtitle, size=(min(3.2 * ncols, 13), 4), ncols=ncols)
    for ax, category in zip(axes, categories):
        rows = data[data["category"].eq(category)]
        plotting.area_lines(ax, rows, colour_by="role")
        ax.set_title("\n".join(_wrap(category)), fontsize=9, loc="left", fontweight="bold")
        ax.set_ylim(bottom=0)
        if ax is not axes[0]:
            ax.get_legend().remove()
    axes[0].set_ylabel(ylabel)
    plotting.finish(fig, source, _with_breaks(view, series, break_keys, note, axes))
    return data, fig


def _wrap(text: str, width: int = 26) -> list[str]:
    return textwrap.wrap(text, width)


def placements(view: View):
    """Share of EHC plans by placement group, small multiples."""
    series = view.series["placement_shares"]
    data_all = view.frame(series)
    year, special = _latest(data_all, "LA" if view.area else "England",
                            "Maintained and academy special schools")
    _, inmss = _latest(data_all, "LA" if view.area else "England",
                       "Independent and non-maintained special schools")
    counts = data_all[data_all["role"].eq("LA" if view.area else "England")
                      & data_all["year"].eq(year)].set_index("category")["num"]
    data, fig = _panels(
        view, series, list(PLACEMENTS),
        f"In January {year}, {percent_text(special)} of EHC plans in {_subject(view)} "
        f"({counts.get('Maintained and academy special schools', float('nan')):,.0f}) were in "
        f"maintained or academy special schools and {percent_text(inmss)} "
        f"({counts.get('Independent and non-maintained special schools', float('nan')):,.0f}) in "
        "independent or non-maintained special schools",
        "Share of all EHC plans and statements by placement (%)", "%",
        view.series.cite("placement_shares"),
        "FE and specialist post-16 placements are recorded from January 2015.",
        break_keys=SEN2_BREAK)
    return f"{view.prefix}_placements", fig, data


def new_plans_and_timeliness(view: View):
    """New EHC plans (index) and % issued within 20 weeks, two panels."""
    new = view.frame(view.series["new_plans"])
    first = int(new["year"].min())
    new = index_series(new, first)
    timely = view.frame(view.series["timeliness"])
    role = "LA" if view.area else "England"
    year, share = _latest(timely, role)
    fig, (left, right) = plotting.chart(
        f"In {year}, {percent_text(share)} of new EHC plans in {_subject(view)} were issued "
        "within the 20-week limit", "", size=(11, 4.2), ncols=2)
    plotting.area_lines(left, new, y="index", colour_by="role")
    left.set_title(f"New EHC plans made in the year, index {first} = 100", fontsize=9.5, loc="left")
    plotting.area_lines(right, timely, colour_by="role")
    right.set_title("Issued within 20 weeks, excluding exceptions (%)", fontsize=9.5, loc="left")
    right.set_ylim(0, 100)
    right.get_legend().remove()
    mi_to = int(view.series.table("ehcp_timeliness")["year"].min()) - 1
    source = f"{view.series.cite('new_plans', 'timeliness')} (management information to {mi_to})"
    plotting.finish(fig, source, _with_breaks(
        view, view.series["new_plans"], SEN2_BREAK,
        "Calendar years; EHC plans began in September 2014.", [left, right]))
    data = pd.concat([new.assign(measure=f"new EHC plans, index {first} = 100"),
                      timely.assign(measure="% issued within 20 weeks, excluding exceptions")],
                     ignore_index=True)
    return f"{view.prefix}_new_plans_timeliness", fig, data


def exclusions(view: View):
    """Permanent exclusion rate by school type, small multiples."""
    series = view.series["exclusion_rates"]
    categories = ["Total", "state-funded primary", "state-funded secondary", "special"]
    data_all = view.frame(series)
    role = "LA" if view.area else "England"
    year, rate = _latest(data_all, role, "Total")
    england = series[series["area_code"].eq(ENGLAND["area_code"]) & series["value"].notna()]
    rate_only = ", ".join(year_label(int(y), "academic")
                          for y in sorted(england.loc[england["num"].isna(), "year"].unique()))
    counted = year_label(int(england.loc[england["num"].notna(), "year"].max()), "academic")
    source = (f"{cite(view.series.tables.sources_behind(['exclusions']))} (counts to {counted})"
              + (f"; {cite(view.series.tables.sources_behind(['lait_indicators']))} (rates for "
                 f"{rate_only})" if rate_only else ""))
    data, fig = _panels(
        view, series, categories,
        f"Permanent exclusions in {_subject(view)} were {rate:.0f} per 10,000 pupils in "
        f"{year_label(year, 'academic')}", "Permanent exclusions per 10,000 pupils, by school type",
        "per 10,000 pupils", source, "Rates fell in 2019/20 and 2020/21 when schools closed "
                                       "during the pandemic." + (
            f" {rate_only} is published as rates only, so combined areas and comparator groups "
            "have no figure for it." if rate_only else ""))
    return f"{view.prefix}_exclusions", fig, data


def tribunals(view: View):
    """SEND Tribunal appeals per 100 appealable decisions."""
    series = view.series["tribunal_rate"]
    data = view.frame(series)
    role = "LA" if view.area else "England"
    year, rate = _latest(data, role)
    fig, ax = plotting.chart(
        f"In {year}, {rate:.1f} appeals were registered with the SEND Tribunal in "
        f"{_subject(view)} for every 100 appealable decisions",
        "SEND Tribunal appeals registered per 100 appealable decisions")
    plotting.area_lines(ax, data, colour_by="role")
    ax.set_ylim(bottom=0)
    gaps = _gap_years(series, "calendar")
    plotting.finish(fig, view.series.cite("tribunal_rate"), _with_breaks(
        view, series, ("tribunal_decisions_2023", "tribunal_decisions_2024"),
        f"No appealable decisions are published for {gaps}." if gaps else "", [ax]))
    return f"{view.prefix}_tribunals", fig, data


def hnb(view: View):
    """High needs block allocation: England in £bn, or LA/England/comparators indexed."""
    series = view.series["hnb"]
    first, last = view.window(series)
    data = index_series(view.frame(series), first)
    growth = _index_growth(data, last)
    if view.area is None:
        fig, ax = plotting.chart(
            f"England's high needs block grew {percent_text(growth['England'])} from "
            f"{year_label(first, 'financial')} to {year_label(last, 'financial')}",
            "DSG high needs block allocation before deductions, £ billion, cash terms")
        ax.bar([year_label(y, "financial") for y in data["year"]], data["value"] / 1e9,
               color=plotting.PALETTE[0])
        ax.set_ylabel("£ billion (cash)")
    else:
        fig, ax = plotting.chart(
            f"{view.area.name}'s high needs block grew {percent_text(growth['LA'])} from "
            f"{year_label(first, 'financial')} to {year_label(last, 'financial')}, England "
            f"{percent_text(growth['England'])}",
            "DSG high needs block before deductions, cash terms, index "
            f"{year_label(first, 'financial')} = 100")
        plotting.area_lines(ax, data, y="index", colour_by="role")
        ax.set_ylabel("index")
    plotting.finish(fig, _dsg_source(view), "Year = financial year ending in March of the year shown.")
    return f"{view.prefix}_hnb", fig, data


def _dsg_source(view: View) -> str:
    """The DSG source line: each year's file, read from the table (the March summary sheets
    amalgamated by DfE for years with no full allocations workbook held)."""
    by_file = dsg_years_by_file(view.series.table("dsg_high_needs"))
    summary = next(s for s in view.series.sources("hnb") if s.dataset == "dsg_allocations_summary")
    years = ", ".join(year_label(y, "financial") for y in by_file.get(summary.file.rsplit("/", 1)[-1], []))
    return (f"{view.series.cite('hnb')}, each year from its latest publication held ({years}: "
            "DfE's amalgamation of the March summary sheets; later years: the year's full "
            "allocations workbook)")


def dsg_deficits(view: View):
    """Cumulative DSG balance as % of income: LA spread with England, or the local view."""
    series = view.series["dsg_balance"]
    data = view.frame(series, how="median")
    year, value = _latest(data, "England")
    if view.area is None:
        las = series[series["level"].eq(LA_LEVEL)]
        share = 100 * las[las["year"].eq(year)]["value"].dropna().lt(0).mean()
        fig, ax = plotting.chart(
            f"By {year_label(year, 'financial')} {percent_text(share)} of LAs had a cumulative DSG "
            f"deficit; England's balance was {value:.1f}% of DSG income",
            "Cumulative DSG balance at year end, % of DSG income (each dot an LA)")
        years = sorted(las["year"].unique())
        for i, y in enumerate(years):
            vals = las.loc[las["year"].eq(y), "value"].dropna().sort_values()
            offsets = (pd.Series(range(len(vals))) % 7 - 3) * 0.04
            ax.scatter(i + offsets.to_numpy(), vals, s=8, color="#b1b4b6")
        ax.plot(range(len(years)), [data.loc[data["year"].eq(y), "value"].item() for y in years],
                color="black", marker="o", linewidth=2, label="England")
        ax.set_xticks(range(len(years)), [year_label(y, "financial") for y in years])
        ax.legend(fontsize=8.5)
        data = pd.concat([data, las.assign(role="LA")], ignore_index=True)
    else:
        la_year, la_value = _latest(data, "LA")
        name = data.loc[data["role"].eq("LA"), "area_name"].iloc[0]
        finding = (f"No cumulative DSG balance is published for {name}" if la_year is None else
                   f"{name}'s cumulative DSG balance was {la_value:.1f}% of DSG income in "
                   f"{year_label(la_year, 'financial')}")
        fig, ax = plotting.chart(f"{finding}; England {value:.1f}% in {year_label(year, 'financial')}",
                                 "Cumulative DSG balance, % of DSG income (comparators: median)")
        plotting.area_lines(ax, data, colour_by="role")
    ax.axhline(0, color="#505a5f", linewidth=0.8)
    ax.set_ylabel("% of DSG income")
    plotting.finish(fig, view.series.cite("dsg_balance"), "Negative = deficit.")
    return f"{view.prefix}_dsg_balance", fig, data


def la_growth(view: View):
    """Distribution of LA growth in EHC plans over the window, with the fastest growers."""
    series = view.series["ehcp"]
    first, last = view.window(series)
    growth = change_over_window(series, first, last)
    las = rank_areas(growth[growth["level"].eq(LA_LEVEL)], "pct_change")
    england = growth.loc[growth["area_code"].eq(ENGLAND["area_code"]), "pct_change"].item()
    top = las.nsmallest(10, "rank")
    spread = "grew in every LA" if las["pct_change"].dropna().gt(0).all() else "changed"
    fig, ax = plotting.chart(
        f"EHC plans {spread} from January {first} to {last}: by a median of "
        f"{percent_text(las['pct_change'].median())}, fastest in {top.iloc[0]['area_name']} "
        f"({percent_text(top.iloc[0]['pct_change'])})",
        f"LAs by % change in EHC plans and statements, January {first} to {last}")
    ax.hist(las["pct_change"].dropna(), bins=30, color="#b1b4b6")
    ax.axvline(england, color="black", linewidth=2, label=f"England {percent_text(england)}")
    if view.area is not None:
        la = las.loc[las["area_code"].eq(view.area.code)].iloc[0]
        ax.axvline(la["pct_change"], color=plotting.ROLE_COLOURS["LA"], linewidth=2,
                   label=f"{view.area.name} {percent_text(la['pct_change'])} "
                         f"(rank {la['rank']} of {las['rank'].notna().sum()})")
    ax.set_xlabel("% change")
    ax.set_ylabel("number of LAs")
    ax.legend(fontsize=8.5)
    plotting.finish(fig, view.series.cite("ehcp"), _with_breaks(
        view, series, SEN2_BREAK, "Reorganised LAs are combined into stable areas."))
    return f"{view.prefix}_la_growth", fig, las


ALL = (ehcp_count, ehcp_rate, post16, placements, new_plans_and_timeliness, exclusions,
       tribunals, hnb, dsg_deficits, la_growth)
"""Every chart of the baseline review, in report order."""


def close(fig) -> None:
    """Release a figure's memory after it has been shown and saved."""
    plt.close(fig)


def local_measures(view: View) -> dict[str, tuple[pd.DataFrame, str]]:
    """The headline measures of the local view: ``{label: (local-view frame, year kind)}``."""
    s = view.series
    special = "Maintained and academy special schools"
    inmss = "Independent and non-maintained special schools"
    chosen = [
        ("EHC plans per 1,000 aged 0-25", s["ehcp_rate"], None, "census", "sum"),
        ("% of plans held by those aged 16-25", s["post16_share"], None, "census", "sum"),
        (f"% of plans in {special.lower()}", s["placement_shares"], special, "census", "sum"),
        (f"% of plans in {inmss.lower()}", s["placement_shares"], inmss, "census", "sum"),
        ("% of new plans issued within 20 weeks", s["timeliness"], None, "calendar", "sum"),
        ("Permanent exclusions per 10,000 pupils", s["exclusion_rates"], "Total", "academic", "sum"),
        ("Tribunal appeals per 100 appealable decisions", s["tribunal_rate"], None, "calendar", "sum"),
        ("Cumulative DSG balance, % of DSG income (comparators: median)", s["dsg_balance"], None,
         "financial", "median"),
    ]
    out = {}
    for label, series, category, kind, how in chosen:
        frame = view.frame(series, how=how, own=True)
        if category is not None:
            frame = frame[frame["category"].eq(category)]
        out[label] = (frame, kind)
    return out


def render(chart_fn, view: View, out_dir=None) -> tuple[str, pd.DataFrame]:
    """Draw one chart, save it with its data (see :func:`analysis.report.plotting.save_figure`),
    display it inline, and free it. Returns the chart's name and data."""
    name, fig, data = chart_fn(view)
    plotting.render((name, fig, data), out_dir)
    return name, data
