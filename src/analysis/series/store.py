"""The series store: named area series, each declaring the tables it reads, built on demand.

``SeriesStore()["ehcp"]`` builds the EHC plan series (and only what it needs) from the table
store the first time it is asked for and returns the same frame after that. :data:`SERIES`
names every series with its tables; :meth:`SeriesStore.cite` writes a chart's source line from
the catalogue entries behind them. The LA lookup, the stable units and the statistical
neighbours are properties.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

import pandas as pd

from analysis.series import area, measures, screen
from analysis.sources.catalogue import Source, cite
from analysis.tables import store as table_store
from analysis.tables.geography import ons_crosswalk


@dataclass(frozen=True)
class SeriesDef:
    """A named series: the processed tables of its measure (``tables``: cited under a chart),
    how it is built, and the lookups that place its rows in areas (``geography``: the LA lookup
    by default, read but not cited). :attr:`reads` is every table it may read."""

    tables: tuple[str, ...]
    build: Callable[[SeriesStore], pd.DataFrame]
    description: str
    geography: tuple[str, ...] = ("la_lookup",)

    @property
    def reads(self) -> tuple[str, ...]:
        """Every processed table building it may read (its own and those of the series it uses)."""
        return tuple(dict.fromkeys((*self.tables, *self.geography)))


ROWS_USED = {
    "ehcp_caseload_age": [("measure", "==", "total")],
    "ehcp_caseload_setting": [("measure", "==", "total")],
    "ehcp_timeliness": [("breakdown_topic", "==", "All EHC plans issued")],
}
"""The only rows of these tables any series reads (EHC plans plus statements; all plans issued),
read alone: the rest are splits and percentages (about 150 MB in memory)."""

AGE, SETTING = "ehcp_caseload_age", "ehcp_caseload_setting"
CROSSWALK = ("la_lookup", AGE)
"""The tables the ONS-to-DfE crosswalk is read from (population series place rows with it)."""

SERIES: dict[str, SeriesDef] = {
    "ehcp": SeriesDef((AGE,), lambda s: measures.ehcp_caseload(s.table(AGE), s.units),
                      "EHC plans and statements in January"),
    "ehcp_flags": SeriesDef((AGE, "la_lookup"), lambda s: s.ehcp_screen[0],
                            "EHC plans: one-year changes flagged by the data-quality screen"),
    "ehcp_screened": SeriesDef((AGE, "la_lookup"), lambda s: s.ehcp_screen[1],
                               "EHC plans and statements in January, flagged returns replaced by the "
                               "last plausible value grown with the region (for models and ranks)"),
    "ehcp_by_age": SeriesDef((AGE,), lambda s: measures.ehcp_by_age(s.table(AGE), s.units),
                             "EHC plans and statements by age band"),
    "post16_share": SeriesDef((AGE,), lambda s: measures.post16_share(s.table(AGE), s.units),
                              "% of plans held by those aged 16-25"),
    "population_0_25": SeriesDef(("population",), lambda s: measures.population_by_la(
        s.table("population"), s.crosswalk, s.units), "ONS population aged 0-25",
        geography=CROSSWALK),
    "ehcp_rate": SeriesDef((AGE, "population"), lambda s: measures.ehcp_rate_per_1000(
        s["ehcp"], s["population_0_25"]), "EHC plans per 1,000 aged 0-25"),
    "placements": SeriesDef((SETTING,), lambda s: measures.placements(s.table(SETTING), s.units),
                            "EHC plans by placement group"),
    "placement_total": SeriesDef((SETTING,), lambda s: measures.placement_total(
        s.table(SETTING), s.units), "EHC plans with a placement recorded"),
    "placement_shares": SeriesDef((SETTING,), lambda s: measures.placement_shares(
        s["placements"], s["placement_total"]), "% of EHC plans by placement group"),
    "specialist": SeriesDef((SETTING,), lambda s: measures.specialist_placements(
        s.table(SETTING), s.units), "EHC plans in special schools and specialist colleges"),
    "new_plans": SeriesDef(("ehcp_new_plans_history", "ehcp_new_plans"), lambda s: measures.new_plans(
        s.table("ehcp_new_plans_history"), s.table("ehcp_new_plans"), s.units),
        "New EHC plans (and statements) made in the calendar year"),
    "timeliness": SeriesDef(("ehcp_timeliness", "ehcp_mi"), lambda s: measures.timeliness_20_weeks(
        s.table("ehcp_timeliness"), s.table("ehcp_mi"), s.units),
        "% of new plans issued within 20 weeks, excluding exceptions"),
    "exclusion_counts": SeriesDef(("exclusions",), lambda s: measures.exclusion_counts(
        s.table("exclusions"), s.units), "Permanent exclusions by school type"),
    "exclusion_rates": SeriesDef(("exclusions", "lait_indicators"), lambda s: measures.exclusion_rates(
        s.table("exclusions"), s.units, lait=s.table("lait_indicators")),
        "Permanent exclusions per 10,000 pupils by school type"),
    "tribunal_rate": SeriesDef(("tribunal_appeals",), lambda s: measures.tribunal_appeal_rate(
        s.table("tribunal_appeals"), s.units), "SEND Tribunal appeals per 100 appealable decisions"),
    "hnb": SeriesDef(("dsg_high_needs",), lambda s: measures.hnb_allocation(
        s.table("dsg_high_needs"), s.units), "High needs block before deductions, pounds"),
    "hnb_after": SeriesDef(("dsg_high_needs",), lambda s: measures.hnb_allocation(
        s.table("dsg_high_needs"), s.units, "hnb_after_deductions"),
        "High needs block after deductions, pounds"),
    "dsg_total": SeriesDef(("dsg_high_needs",), lambda s: measures.hnb_allocation(
        s.table("dsg_high_needs"), s.units, "dsg_total_before_deductions"),
        "Total DSG before deductions and academy recoupment, pounds"),
    "population_2_18": SeriesDef(("population",), lambda s: measures.population_by_la(
        s.table("population"), s.crosswalk, s.units, ages=(2, 18)), "ONS population aged 2-18",
        geography=CROSSWALK),
    "dsg_balance": SeriesDef(("dsg_cumulative_balance",), lambda s: measures.dsg_balance(
        s.table("dsg_cumulative_balance"), s.units), "Cumulative DSG balance, % of DSG income"),
    "sen_support_rate": SeriesDef(("lait_indicators",), lambda s: measures.sen_support_rate(
        s.table("lait_indicators"), s.units), "% of pupils at SEN support, as published per LA (LAIT)"),
    "dsg_balance_gbp": SeriesDef(
        ("dsg_cumulative_balance", "dsg_high_needs"),
        lambda s: measures.dsg_balance_pounds(s["dsg_balance"], s["dsg_total"]),
        "Cumulative DSG balance per LA (own code) at 31 March, pounds (not an area series: one row "
        "per LA and year)"),
    "s251_totals": SeriesDef(("hn_benchmarking",), lambda s: measures.s251_high_needs_totals(
        s.table("hn_benchmarking")), "S251 high needs budget and outturn per LA, pounds (not an "
        "area series: one row per LA)"),
}
"""Every named series: its tables, builder and what it measures."""


class SeriesStore:
    """Area series built on demand from the current table store (or ``tables``), once each."""

    def __init__(self, tables: table_store.TableStore | None = None):
        self.tables = tables or table_store.current_store()
        self._built: dict[str, pd.DataFrame] = {}

    def table(self, table_id: str, filters: list[tuple] | None = None) -> pd.DataFrame:
        """A processed table, read with ``filters`` or, by default, the rows series use
        (:data:`ROWS_USED`)."""
        return self.tables.load(table_id, filters=filters if filters is not None
                                else ROWS_USED.get(table_id))

    def __getitem__(self, name: str) -> pd.DataFrame:
        if name not in self._built:
            if name not in SERIES:
                raise KeyError(f"unknown series {name!r}; choose from {', '.join(SERIES)}")
            self._built[name] = SERIES[name].build(self)
        return self._built[name]

    @cached_property
    def lookup(self) -> pd.DataFrame:
        """The LA lookup table (every DfE LA code seen in SEN2)."""
        return self.tables.load("la_lookup")

    @cached_property
    def units(self) -> pd.DataFrame:
        """One row per stable LA unit (:func:`analysis.series.area.la_units`)."""
        return area.la_units(self.lookup)

    @cached_property
    def ehcp_screen(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """The data-quality screen of the EHC plan series, run once: (flags, screened series)."""
        return screen.screen(self["ehcp"], self.regions)

    @property
    def regions(self) -> pd.Series:
        """Stable unit or LA code -> its region's name."""
        lookup = self.lookup.drop_duplicates("old_la_code", keep="last").set_index("old_la_code")
        both = pd.concat([lookup["region_name"], self.units.set_index("area_code")["region_name"]])
        return both[~both.index.duplicated(keep="first")]

    @cached_property
    def neighbours(self) -> pd.DataFrame:
        """DfE statistical neighbours, every version held."""
        return self.tables.load("statistical_neighbours")

    @cached_property
    def crosswalk(self) -> pd.DataFrame:
        """ONS code -> DfE code pairs seen in SEN2 (:func:`analysis.tables.geography.ons_crosswalk`)."""
        return ons_crosswalk(self.table(AGE), self.lookup)

    def sources(self, *names: str) -> list[Source]:
        """The catalogue entries behind the named series, in catalogue order."""
        return self.tables.sources_behind(t for n in names for t in SERIES[n].tables)

    def cite(self, *names: str) -> str:
        """A chart's source line for the named series (:func:`analysis.sources.catalogue.cite`)."""
        return cite(self.sources(*names))
