"""What each placement group cost in the outturn year: S251 high needs outturn lines, with the
place funding ESFA paid directly (the high needs deductions) added back, over the plans in that
placement (:func:`group_costs`, :func:`unit_costs`).

The high needs benchmarking workbook lays the outturn out as a total per line and an "of which"
split by phase: place funding (special schools, PRUs and AP), top-ups to maintained schools,
academies and colleges (suffix ``(1)``) and to non-maintained and independent ones (``(2)``),
each net of income, then SEN support, AP, hospital education and therapies. Its plan counts by
placement are SEN2 January of the outturn year.
"""

from __future__ import annotations

import pandas as pd

from analysis.errors import DataError

OUTTURN = "Section 251 outturn"
TOP_UP_TOTALS = {"(1)": "Top up funding (maintained", "(2)": "Top up funding (non-maintained"}
PLACE_TOTAL = "Place funding"
PLACE_PARTS = ("Special schools and academies", "PRUs and AP academies")
"""The place funding lines that make up its total (mainstream place lines are "of which"
memoranda not in the total: checked by :func:`outturn_lines`)."""
OTHER = "Other high needs spending"
"""What no placement group takes: AP and PRUs, hospital education, SEN support, therapies."""
AP_PLACES = ("AP", "alternative provision", "Hospital")
"""Deduction place types that fund AP or hospital places, not SEN placements: "other"."""


def outturn_lines(benchmarking: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """The outturn block per LA, one row per line (``line``: the workbook's line label, e.g.
    ``Primary (1)``), pounds, with the outturn year; top-up phase lines scaled so they add up to
    their net total (income shared out in proportion). Raises :class:`DataError` naming the LA
    where the lines do not make up the totals."""
    rows = benchmarking[benchmarking["measure"].str.startswith(f"{OUTTURN} | ")]
    years = rows["year"].unique()
    if len(years) != 1:
        raise DataError(f"hn_benchmarking: the outturn block spans years {sorted(years)}")
    lines = rows.assign(line=rows["measure"].str.split(" | ", regex=False).str[1])
    wide = lines.pivot_table(index="old_la_code", columns="line", values="value", aggfunc="first")
    place = wide[[c for c in PLACE_PARTS]].sum(axis=1, min_count=1)
    total = wide[_one(wide, PLACE_TOTAL)]
    _check(place, total, "place funding lines", wide.index)
    out = {c: wide[c] for c in [*PLACE_PARTS, *_others(wide)]}
    for family, prefix in TOP_UP_TOTALS.items():
        net = wide[_one(wide, prefix)]
        phases = [c for c in wide.columns if c.endswith(f" {family}") and not c.startswith("Income")]
        gross = wide[phases].sum(axis=1, min_count=1)
        _check(gross - wide[f"Income {family}"], net, f"top-up lines {family}", wide.index)
        scale = (net / gross).where(gross != 0, 0.0)
        out.update({c: wide[c] * scale for c in phases})
    frame = pd.DataFrame(out).rename_axis(columns="line").stack().rename("value").reset_index()
    return frame, int(years[0])


def _one(wide: pd.DataFrame, prefix: str) -> str:
    found = [c for c in wide.columns if c.startswith(prefix)]
    if len(found) != 1:
        raise DataError(f"hn_benchmarking: expected one outturn line starting {prefix!r}, found {found}")
    return found[0]


def _others(wide: pd.DataFrame) -> list[str]:
    """The service lines outside place funding and top-ups."""
    return [_one(wide, p) for p in ("SEN support", "Alternative provision services",
                                    "Hospital education services", "Therapies")]


def _check(parts: pd.Series, total: pd.Series, what: str, las) -> None:
    off = (parts - total).abs() > 1.0
    if off.any():
        raise DataError(f"hn_benchmarking: {what} do not make up their total for LAs "
                        f"{sorted(las[off.to_numpy()])}")


def group_costs(lines: pd.DataFrame, deductions: pd.DataFrame, groups: dict) -> pd.DataFrame:
    """Per LA and placement group (plus :data:`OTHER`): ``outturn`` (the group's S251 lines),
    ``deductions`` (place funding ESFA paid directly for its institutions in the same year) and
    ``cost`` (their sum), pounds. ``groups``: the assumptions' ``placement_groups``. Every
    outturn line and deduction not claimed by a group is other spending."""
    claimed_lines = {line: g for g, spec in groups.items() for line in spec["outturn"]}
    claimed_inst = {inst: g for g, spec in groups.items() for inst in spec["deductions"]}
    unknown = sorted(set(claimed_lines) - set(lines["line"]))
    if unknown:
        raise DataError(f"assumptions: placement_groups name outturn lines not in the workbook: {unknown}")
    spent = lines.assign(group=lines["line"].map(claimed_lines).fillna(OTHER))
    cut = deductions[deductions["measure"].eq("deduction")]
    sen = ~cut["place_type"].str.contains("|".join(AP_PLACES), case=False, regex=True)
    paid = cut.assign(group=cut["institution"].map(claimed_inst).where(sen).fillna(OTHER))
    outturn = spent.groupby(["old_la_code", "group"])["value"].sum().rename("outturn")
    direct = paid.groupby(["old_la_code", "group"])["value"].sum().rename("deductions")
    out = pd.concat([outturn, direct], axis=1).reset_index()
    out = out[out["old_la_code"].isin(lines["old_la_code"].unique())]
    out[["outturn", "deductions"]] = out[["outturn", "deductions"]].fillna(0.0)
    return out.assign(cost=out["outturn"] + out["deductions"]).sort_values(
        ["old_la_code", "group"]).reset_index(drop=True)


def unit_costs(costs: pd.DataFrame, plans: pd.DataFrame) -> pd.DataFrame:
    """Cost per EHC plan by placement group: ``cost`` over ``plans`` (the plans in that
    placement, ``plans`` frame: old_la_code, group, plans), pounds; NaN where no plans.
    Other spending has no placement, so no unit cost."""
    merged = costs.merge(plans, on=["old_la_code", "group"], how="left")
    per_plan = (merged["cost"] / merged["plans"]).where(merged["plans"] > 0)
    return merged.assign(per_plan=per_plan)


def england_unit_costs(costs: pd.DataFrame) -> pd.DataFrame:
    """England's outturn, deductions, cost and plans by placement group (sums of the LAs) and
    the cost per plan (none for other spending, which has no placement)."""
    by_group = costs.groupby("group")[["outturn", "deductions", "cost", "plans"]].sum(min_count=1)
    per_plan = (by_group["cost"] / by_group["plans"]).where(by_group.index != OTHER)
    return by_group.assign(per_plan=per_plan).reset_index()
