"""The finance study's assumptions (``assumptions.yaml``, package data), read and checked.

Every year, rate, scenario and mapping the deficit path uses is in that file; :func:`load`
returns them as :class:`Assumptions` and refuses a file with a missing, unknown or malformed
key, naming it. :func:`with_options` applies a notebook's choices, checked the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path

import yaml

from analysis.errors import UsageError
from analysis.studies.parameters import check_keys
from analysis.tables.conventions import year_label

SCENARIO_KINDS = {
    "national_totals": {"label": str, "kind": str, "write_off": bool, "totals": dict},
    "real_terms": {"label": str, "kind": str, "write_off": bool},
    "cash_trend": {"label": str, "kind": str, "write_off": bool, "window": list},
}
"""The allocation scenarios the path knows, with the keys each needs."""


class AssumptionsError(UsageError):
    """The finance assumptions are incomplete or wrong; the message names the key."""


@dataclass(frozen=True)
class Assumptions:
    origin: int
    to_year: int
    backtest_origin: int
    cost_inflation: float
    gdp_deflator: float
    uncertainty: dict
    local_balance_limit: float
    settlement: dict
    scenario: str
    scenarios: dict
    thresholds_pct: tuple[float, ...]
    placement_groups: dict
    source: str = "assumptions.yaml"


_SHAPE = {"origin": int, "to_year": int, "backtest_origin": int, "cost_inflation": float,
          "gdp_deflator": float, "uncertainty": dict, "local_balance_limit": float, "settlement": dict,
          "scenario": str, "scenarios": dict, "thresholds_pct": list, "placement_groups": dict}
_UNCERTAINTY = {"cost_inflation_sd": float, "allocation_sd": float, "draws": int, "seed": int}
_SETTLEMENT = {"write_off_year": int, "write_off_share": float, "central_funding_from": int,
               "sources": list, "not_settled": list}
_GROUP = {"outturn": list, "deductions": list, "plans": list}


def _check_scenario(name: str, raw: object, a: dict, source: str) -> None:
    where = f"{source}: scenarios: {name}"
    kind = raw.get("kind") if isinstance(raw, dict) else None
    if kind not in SCENARIO_KINDS:
        raise AssumptionsError(f"{where}: 'kind' must be one of {sorted(SCENARIO_KINDS)}, not {kind!r}")
    check_keys(raw, SCENARIO_KINDS[kind], where, AssumptionsError)
    if kind == "national_totals":
        years = sorted(raw["totals"])
        last = a["settlement"]["central_funding_from"]
        if not years or years != list(range(years[0], last + 1)):
            raise AssumptionsError(f"{where}: 'totals' must give every year to {last}, not {years}")
        for year, total in raw["totals"].items():
            check_keys(total, {"value": float, "announced": bool, "source": str},
                       f"{where}: totals: {year}", AssumptionsError)
    if kind == "cash_trend" and not (len(raw["window"]) == 2 and raw["window"][0] < raw["window"][1]):
        raise AssumptionsError(f"{where}: 'window' must be [first, last], first < last")


def parse(text: str, source: str = "assumptions.yaml") -> Assumptions:
    """Check and read the assumptions file's text."""
    raw = yaml.safe_load(text)
    check_keys(raw, _SHAPE, source, AssumptionsError)
    check_keys(raw["uncertainty"], _UNCERTAINTY, f"{source}: uncertainty", AssumptionsError)
    check_keys(raw["settlement"], _SETTLEMENT, f"{source}: settlement", AssumptionsError)
    if not raw["backtest_origin"] < raw["origin"] < raw["to_year"]:
        raise AssumptionsError(f"{source}: years must run backtest_origin < origin < to_year")
    settlement = raw["settlement"]
    if not (raw["origin"] < settlement["write_off_year"] <= raw["to_year"]
            < settlement["central_funding_from"] and 0 < settlement["write_off_share"] <= 1):
        raise AssumptionsError(f"{source}: settlement: write_off_year must fall after origin and by "
                               "to_year, central_funding_from after to_year, and write_off_share be a "
                               "share (0.9 = 90%)")
    for name, scenario in raw["scenarios"].items():
        _check_scenario(name, scenario, raw, source)
    if raw["scenario"] not in raw["scenarios"]:
        raise AssumptionsError(f"{source}: 'scenario' {raw['scenario']!r} is not among the "
                               f"scenarios {sorted(raw['scenarios'])}")
    for group, lines in raw["placement_groups"].items():
        check_keys(lines, _GROUP, f"{source}: placement_groups: {group}", AssumptionsError)
    if not 0 < raw["local_balance_limit"] <= 5:
        raise AssumptionsError(f"{source}: 'local_balance_limit' is a share of DSG income (1.0 = all of "
                               f"it), not {raw['local_balance_limit']!r}")
    for key in ("cost_inflation", "gdp_deflator"):
        if not -0.1 < raw[key] < 0.5:
            raise AssumptionsError(f"{source}: {key!r} is a rate or share (0.0223 = 2.23%), not {raw[key]!r}")
    return Assumptions(**{**raw, "thresholds_pct": tuple(raw["thresholds_pct"]), "source": source})


def load(path: str | Path | None = None) -> Assumptions:
    """The package's assumptions, or those in the file at ``path``."""
    if path is None:
        return parse(resources.files("analysis.studies.finance").joinpath("assumptions.yaml")
                     .read_text(encoding="utf-8"))
    return parse(Path(path).read_text(encoding="utf-8"), source=str(path))


def with_options(a: Assumptions, *, scenario: str | None = None, cost_inflation: float | None = None,
                 to_year: int | None = None) -> Assumptions:
    """The assumptions with a notebook's choices (None keeps the file's), checked like the file."""
    changes = {}
    if scenario is not None:
        if scenario not in a.scenarios:
            raise AssumptionsError(f"scenario {scenario!r} not among {sorted(a.scenarios)}")
        changes["scenario"] = scenario
    if cost_inflation is not None:
        if not -0.1 < float(cost_inflation) < 0.5:
            raise AssumptionsError(f"cost_inflation {cost_inflation!r} is a yearly rate (0.03 = 3%)")
        changes["cost_inflation"] = float(cost_inflation)
    if to_year is not None:
        earliest = a.settlement["write_off_year"]
        if not earliest <= int(to_year) <= a.to_year:
            raise AssumptionsError(f"to_year {to_year!r} must be from {earliest} (the write-off) to "
                                   f"{a.to_year} (the last year every scenario covers)")
        changes["to_year"] = int(to_year)
    return replace(a, **changes)


LABELS = {
    "origin": "Last 31 March with a published DSG balance",
    "to_year": "End of the path: 31 March of",
    "backtest_origin": "One-year check: from 31 March",
    "cost_inflation": "Cost inflation a year", "gdp_deflator": "GDP deflator a year (real terms)",
    "local_balance_limit": "An LA's own balance is refused above this share of its DSG income",
    "scenario": "Default scenario", "thresholds_pct": "Deficits reported past (% of DSG income)",
    "uncertainty.cost_inflation_sd": "Uncertainty: spread of cost inflation (a year)",
    "uncertainty.allocation_sd": "Uncertainty: spread of allocations not yet announced",
    "uncertainty.draws": "Uncertainty: simulated draws", "uncertainty.seed": "Uncertainty: random seed",
    "settlement.write_off_year": "High Needs Stability Grant: deficits written off at 31 March",
    "settlement.write_off_share": "High Needs Stability Grant: share of a deficit written off",
    "settlement.central_funding_from": "SEND funded centrally from",
}
"""Each scalar assumption in words, for the report (a test checks every key has one)."""
_SHARES = {"cost_inflation", "gdp_deflator", "local_balance_limit", "uncertainty.cost_inflation_sd",
           "uncertainty.allocation_sd", "settlement.write_off_share"}


def _shown(name: str, value, a: Assumptions) -> str:
    if name in _SHARES:
        return f"{value:.2%}".replace(".00%", "%")
    if name == "scenario":
        return a.scenarios[value]["label"]
    if name == "settlement.central_funding_from":
        return year_label(value, "financial")
    return ", ".join(map(str, value)) if isinstance(value, (list, tuple)) else str(value)


def as_table(a: Assumptions) -> list[dict]:
    """Every assumption in words for the report: (assumption, value, source), the scenarios'
    totals and the settlement with their sources, and what the settlement leaves open."""
    rows = []
    for key, value in a.__dict__.items():
        if key in ("source", "scenarios", "placement_groups", "uncertainty", "settlement"):
            continue
        rows.append({"assumption": LABELS[key], "value": _shown(key, value, a), "source": ""})
    for block in ("uncertainty", "settlement"):
        for key, value in getattr(a, block).items():
            name = f"{block}.{key}"
            if key == "sources":
                rows += [{"assumption": "The settlement", "value": "", "source": v} for v in value]
            elif key == "not_settled":
                rows += [{"assumption": "Not settled", "value": v, "source": ""} for v in value]
            else:
                rows.append({"assumption": LABELS[name], "value": _shown(name, value, a), "source": ""})
    for scenario in a.scenarios.values():
        write_off = "with the write-off" if scenario.get("write_off") else "without the write-off"
        window = ("; trend over " + " to ".join(year_label(y, "financial") for y in scenario["window"])
                  if "window" in scenario else "")
        rows.append({"assumption": f"Scenario: {scenario['label']}", "value": write_off + window,
                     "source": ""})
        for year, total in scenario.get("totals", {}).items():
            when = year_label(year, "financial")
            rows.append({"assumption": f"Scenario {scenario['label']}: high needs total {when}",
                         "value": f"£{total['value'] / 1e9:,.1f}bn "
                                  f"({'announced' if total['announced'] else 'not announced'})",
                         "source": total["source"]})
    for group, spec in a.placement_groups.items():
        rows.append({"assumption": f"Placement group: {group}", "source": "",
                     "value": "; ".join(f"{k}: {', '.join(v) or 'none'}" for k, v in spec.items())})
    return rows
