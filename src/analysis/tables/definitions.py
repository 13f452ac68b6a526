"""The processed tables: what each is built from (datasets, by role), how, and its checks.

A table names its inputs by role and dataset, never by release: :class:`Latest` takes the latest
vintage of a dataset held in the catalogue, :class:`Every` every vintage. Adding the next release
of a dataset is therefore a catalogue entry; the table picks it up (and, through its content key,
rebuilds).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from analysis.sources.catalogue import Catalogue, Source
from analysis.tables import conventions, geography, schemas
from analysis.tables.readers import (
    deprivation,
    dsg,
    ehcp,
    exclusions,
    hn_benchmarking,
    lait,
    lookups,
    ofsted,
    population,
    tribunals,
)


@dataclass(frozen=True)
class Latest:
    """The latest vintage held of ``dataset``: the reader gets one file."""

    dataset: str

    def resolve(self, catalogue: Catalogue) -> Source:
        return catalogue.latest(self.dataset)


@dataclass(frozen=True)
class IfHeld(Latest):
    """The latest vintage of ``dataset`` if the catalogue has one; else the role is left out
    (a reader adds what it gives only when it is there)."""

    def resolve(self, catalogue: Catalogue) -> Source | None:
        return catalogue.latest(self.dataset) if any(
            s.dataset == self.dataset for s in catalogue.values()) else None


@dataclass(frozen=True)
class Every:
    """Every vintage held of ``dataset``, oldest first: the reader gets a list of files."""

    dataset: str

    def resolve(self, catalogue: Catalogue) -> list[Source]:
        return catalogue.of(self.dataset)


@dataclass(frozen=True)
class Table:
    """One processed table: its inputs by role, reader, unique key and checks."""

    id: str
    description: str
    inputs: dict[str, Latest | Every]
    reader: Callable[..., pd.DataFrame]
    keys: tuple[str, ...]
    uses_la_lookup: bool = False
    nonnegative: bool = True
    additive: dict = field(default_factory=dict)  # measures/dims/tolerances for the LA=national check

    def sources(self, catalogue: Catalogue) -> dict[str, Source | list[Source]]:
        """``{role: Source or [Source, ...]}`` as the catalogue resolves them now."""
        resolved = {role: spec.resolve(catalogue) for role, spec in self.inputs.items()}
        return {role: source for role, source in resolved.items() if source is not None}

    def source_list(self, catalogue: Catalogue) -> list[Source]:
        """Every source file the table is built from, in role order."""
        out = []
        for resolved in self.sources(catalogue).values():
            out.extend(resolved if isinstance(resolved, list) else [resolved])
        return out

    def code_modules(self) -> list[str]:
        modules = [inspect.getmodule(self.reader), conventions, geography, schemas]
        if self.uses_la_lookup:
            modules.append(lookups)
        return sorted({inspect.getsourcefile(m) for m in modules})


def _one(dataset: str) -> dict[str, Latest]:
    return {"file": Latest(dataset)}


def _caseload(history: str) -> dict[str, Latest]:
    return {"history": Latest(history), "current": Latest("ehcp_caseload")}


EES_KEYS = ("year", "geographic_level", "region_name", "old_la_code", "new_la_code")
BREAKDOWN_KEYS = (*EES_KEYS, "breakdown_topic", "breakdown", "measure")

TABLES: dict[str, Table] = {t.id: t for t in [
    Table("la_lookup", "DfE LA codes seen in SEN2, with names, region, ONS code, type, stable unit",
          {**_caseload("sen2_age_caseload"), "types": Latest("lait_la_code_list")},
          lookups.read_la_lookup, ("old_la_code",)),
    Table("statistical_neighbours", "DfE statistical neighbours, every version held, long",
          {"vintages": Every("statistical_neighbours")},
          lookups.read_statistical_neighbours, ("version", "old_la_code", "rank")),
    Table("ehcp_caseload_age", "Statements + EHC plans by age band, January each year",
          {**_caseload("sen2_age_caseload"), "next_total": IfHeld("ehcp_phase_transfers")},
          ehcp.read_caseload_age,
          (*EES_KEYS, "age_group", "measure"),
          additive={"measures": ["total", "ehc_plans", "statements"], "dims": ["age_group"]}),
    Table("ehcp_caseload_setting", "Statements + EHC plans by placement, January each year",
          _caseload("sen2_establishment_caseload"), ehcp.read_caseload_setting,
          (*EES_KEYS, "setting_group", "setting", "measure"),
          additive={"measures": ["total"], "dims": ["setting_group", "setting"]}),
    Table("ehcp_new_plans_history", "New statements + EHC plans by age band (aggregate return years)",
          _one("sen2_age_new_plans"), ehcp.read_new_plans_history,
          (*EES_KEYS, "age_group", "measure")),
    Table("ehcp_new_plans", "New EHC plans by placement and breakdown",
          _one("ehcp_new_plans"), ehcp.read_breakdowns, BREAKDOWN_KEYS),
    Table("ehcp_requests", "Requests for EHC needs assessment",
          _one("ehcp_requests"), ehcp.read_breakdowns, BREAKDOWN_KEYS),
    Table("ehcp_assessments", "EHC needs assessments and outcomes",
          _one("ehcp_assessments"), ehcp.read_breakdowns, BREAKDOWN_KEYS),
    Table("ehcp_timeliness", "EHC plans issued within 20 weeks",
          _one("ehcp_timeliness_20_week"), ehcp.read_breakdowns, BREAKDOWN_KEYS),
    Table("ehcp_ceased_plans", "EHC plans ceased, by reason",
          _one("ehcp_ceased_plans"), ehcp.read_breakdowns, BREAKDOWN_KEYS),
    Table("ehcp_needs", "Primary need of all EHC plans",
          _one("ehcp_needs_all_plans"), ehcp.read_breakdowns, BREAKDOWN_KEYS),
    Table("ehcp_needs_new_plans", "Primary need of new EHC plans",
          _one("ehcp_needs_new_plans"), ehcp.read_breakdowns, BREAKDOWN_KEYS),
    Table("ehcp_residential", "EHC plans in residential settings",
          _one("ehcp_residential_settings"), ehcp.read_breakdowns, BREAKDOWN_KEYS),
    Table("ehcp_work_based", "EHC plans in work-based placements",
          _one("ehcp_work_based_placements"), ehcp.read_breakdowns, BREAKDOWN_KEYS),
    Table("ehcp_personal_budgets", "EHC plans with a personal budget",
          _one("ehcp_personal_budgets"), ehcp.read_breakdowns, BREAKDOWN_KEYS),
    Table("ehcp_mi", "SEN2 management information (assessments, timeliness, appeals)",
          _one("sen2_management_information"), ehcp.read_mi, (*EES_KEYS, "measure")),
    Table("ehcp_dmo_dco", "Designated medical/clinical/social care officer by LA",
          _one("sen2_designated_officers"), ehcp.read_dmo_dco, (*EES_KEYS, "measure")),
    Table("tribunal_appeals", "SEND Tribunal appeals and appeal rate by LA",
          {"file": Latest("send_tribunal_appeal_rates"),
           "revised": IfHeld("send_appealable_decisions_rate")}, tribunals.read_tribunals,
          ("year", "geographic_level", "old_la_code", "measure"), uses_la_lookup=True),
    Table("exclusions", "Permanent exclusions and suspensions by LA and school type",
          _one("exclusions_national_region_la"), exclusions.read_exclusions,
          (*EES_KEYS, "school_type", "measure"),
          additive={"measures": ["perm_excl", "suspension", "headcount"], "dims": ["school_type"],
                    "rel_tol": 0.002, "abs_tol": 6.0}),
    Table("exclusions_reasons", "Exclusions by reason, LA and school type (SFR35/2017 extract)",
          _one("sfr35_exclusions_la_reasons"), exclusions.read_exclusions_reasons,
          ("year", "geographic_level", "region_name", "old_la_code", "school_type", "measure"),
          uses_la_lookup=True),
    Table("dsg_high_needs", "DSG high needs block (and total DSG) by LA and financial year, pounds",
          {"summary": Latest("dsg_allocations_summary"), "workbooks": Every("dsg_allocations_workbook")},
          dsg.read_dsg_high_needs, (*EES_KEYS, "measure"),
          additive={"measures": ["hnb_before_deductions", "hnb_after_deductions"], "dims": [],
                    "rel_tol": 1e-6, "abs_tol": 1000.0}),
    Table("dsg_hn_deductions", "High needs place deductions by LA, institution and place type, pounds",
          {"workbooks": Every("dsg_allocations_workbook")}, dsg.read_dsg_hn_deductions,
          (*EES_KEYS, "institution", "place_type", "measure"),
          additive={"measures": ["deduction", "places"], "dims": ["institution", "place_type"],
                    "rel_tol": 1e-6, "abs_tol": 2.0}),
    Table("dsg_cumulative_balance", "DSG cumulative balance, % of DSG income, by financial year",
          _one("dsg_cumulative_balance_share"), dsg.read_dsg_cumulative_balance,
          (*EES_KEYS, "measure"), uses_la_lookup=True, nonnegative=False),
    Table("hn_benchmarking", "High needs benchmarking: S251 budget and outturn and LA figures",
          _one("high_needs_benchmarking"), hn_benchmarking.read_hn_benchmarking,
          ("old_la_code", "measure"), nonnegative=False),
    Table("population", "ONS mid-year population by area and single year of age",
          {"vintages": Every("ons_mid_year_estimates")}, population.read_population,
          ("year", "area_code", "age", "measure")),
    Table("deprivation", "IoD2019 summaries (IMD, IDACI and other domains) by upper-tier LA",
          _one("indices_of_deprivation_utla"), deprivation.read_deprivation,
          ("new_la_code", "domain", "measure"), nonnegative=False),
    Table("area_send_inspections", "Ofsted/CQC area SEND inspection outcomes",
          _one("area_send_inspections"), ofsted.read_area_send_inspections, ("new_la_code",)),
    Table("lait_indicators", "Selected LAIT indicators (SEN rates, exclusions, S251 per head)",
          _one("lait_indicators"), lait.read_lait, (*EES_KEYS, "measure"), nonnegative=False),
]}
"""Every processed table, by id."""


def get_table(table_id: str) -> Table:
    try:
        return TABLES[table_id]
    except KeyError:
        raise KeyError(f"unknown table {table_id!r}; known tables: {', '.join(TABLES)}") from None
