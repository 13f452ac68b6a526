"""Validate and clean raw survey returns, with a report line for every response and question.

Statuses in the report (``status`` column):

* ``ok``: used as typed. ``cleaned``: used after a cleaning rule (``rule`` names it, e.g. a
  money rule of :mod:`.money`, or ``percent sign``). ``missing``: not answered (blank, n/a,
  don't know: ``rule`` says which); an error too when the question is required.
* ``invalid``: not used: unparseable, out of the codebook's range, negative where not allowed,
  not an allowed value; ``message`` says why.
* ``inconsistent``: used, but checked against other answers and found wanting: top-up sources
  adding up to more than the reported gap (spend less allocation) plus a tolerance.
* For ``la_code``: ``invalid`` when the code is not an LA with SEND duties during the survey's
  years, or a second response names the same LA (or the same stable area after a boundary
  change). Such responses are *excluded* from the analysis and listed in ``excluded``; nothing is
  dropped without a line saying so.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.studies.survey.codebook import TOPUP_SOURCES, Codebook, Question, question_id
from analysis.studies.survey.returns import RESPONSE_ID
from analysis.tables.amounts import MISSING_FLAGS, parse_money

REPORT_COLUMNS = ["response_id", "la_code", "question_id", "raw", "value", "status", "rule", "message"]


@dataclass
class CleanedReturns:
    """``values``: one row per usable response (index ``response_id``), typed columns per question
    plus ``unit_code`` (stable area) and ``la_name``; ``report``: one row per response and question;
    ``excluded``: responses left out, with the reason."""

    values: pd.DataFrame
    report: pd.DataFrame
    excluded: pd.DataFrame

    def problems(self) -> pd.DataFrame:
        """Report rows needing attention: invalid, inconsistent, or required but missing."""
        r = self.report
        return r[r["status"].isin(["invalid", "inconsistent"]) | r["message"].str.startswith("required")]


def _number(text: str, question: Question) -> tuple[float | None, str, str, str]:
    """(value, status, rule, message) for integer, percent and rating answers."""
    stripped = text.strip()
    rule = ""
    if question.type == "percent" and stripped.endswith("%"):
        stripped, rule = stripped[:-1].strip(), "percent sign"
    if question.type == "integer" and "," in stripped:
        stripped, rule = stripped.replace(",", ""), "thousands commas"
    try:
        value = float(stripped)
    except ValueError:
        return None, "invalid", "unparseable", f"{text!r} is not a number"
    if question.type in ("integer", "rating") and not value.is_integer():
        return None, "invalid", "not whole", f"{text!r} is not a whole number"
    return value, "cleaned" if rule else "ok", rule, ""


def _check_range(value: float, question: Question) -> str:
    if question.values is not None and question.type == "rating" and value not in question.values:
        return f"{value:g} is not one of {list(question.values)}"
    if question.min is not None and value < question.min:
        return f"{value:,.0f} is below the allowed minimum {question.min:,.0f}" + \
            (" (negative amounts are not allowed here)" if value < 0 <= question.min else "")
    if question.max is not None and value > question.max:
        return f"{value:,.0f} is above the allowed maximum {question.max:,.0f}"
    return ""


def clean_answer(text: str, question: Question) -> tuple[object, str, str, str]:
    """One answer: (value or None, status, rule, message), by the question's type and range."""
    text = "" if text is None or text is pd.NA else str(text)
    if question.type in ("text", "la_code"):
        value = text.strip()
        return (value or None), ("ok" if value else "missing"), ("" if value else "blank"), ""
    if question.type == "multi_select":
        chosen = [v.strip() for v in text.split(";") if v.strip()]
        unknown = [v for v in chosen if v not in question.values]
        if unknown:
            return None, "invalid", "unknown option", f"not among the allowed values: {unknown}"
        return ("; ".join(chosen) or None), ("ok" if chosen else "missing"), ("" if chosen else "blank"), ""
    if question.type == "money":
        money = parse_money(text)
        if money.flag in MISSING_FLAGS:
            if money.flag == "unparseable":
                return None, "invalid", money.flag, f"{text!r} is not an amount of money"
            return None, "missing", money.flag, ""
        value, status, rule = money.value, ("ok" if money.flag == "ok" else "cleaned"), money.flag
        if rule == "ok":
            rule = ""
    else:
        if not text.strip():
            return None, "missing", "blank", ""
        value, status, rule, message = _number(text, question)
        if value is None:
            return None, status, rule, message
    problem = _check_range(value, question)
    if problem:
        return None, "invalid", "out of range", problem
    return value, status, rule, ""


def _la_checks(codes: pd.Series, las: pd.DataFrame, years: tuple[str, ...]) -> dict[str, str]:
    """{response_id: why its LA code is unusable}."""
    known = dict(zip(las["old_la_code"], las["stable_unit"], strict=True))
    partial = set(las.loc[~las["whole_area"], "old_la_code"])
    problems = {}
    for rid, code in codes.items():
        if pd.isna(code):
            problems[rid] = "no LA code (required)"
        elif code not in known:
            problems[rid] = (f"{code!r} is not the DfE code of an LA with SEND duties in "
                             f"{years[0]} to {years[-1]}")
        elif code in partial:
            members = sorted(las.loc[las["stable_unit"].eq(known[code]), "old_la_code"])
            problems[rid] = (f"LA {code} is part of stable area {known[code]} (with {', '.join(members)}), "
                             "whose published data cover the whole area: merge those LAs' returns into one")
    units = codes[~codes.index.isin(problems)].map(known)
    for unit, group in units.groupby(units):
        if len(group) > 1:
            names = ", ".join(f"{rid} ({codes[rid]})" for rid in group.index)
            for rid in group.index:
                problems[rid] = (f"responses {names} are for the same LA or stable area {unit}: "
                                 "keep or merge one return per area")
    return problems


def _topup_checks(values: pd.DataFrame, codebook: Codebook) -> dict[tuple[str, str], str]:
    """{(response_id, question_id): message} where top-ups exceed the gap plus the tolerance."""
    tol = codebook.topup_tolerance
    flagged = {}
    for year in codebook.years:
        spend = values[question_id("hn_expenditure", year)]
        gap = spend - values[question_id("hnb_allocation", year)]
        ids = [question_id(s, year) for s in TOPUP_SOURCES]
        topups = values[ids].sum(axis=1, min_count=1)
        allowed = gap + np.maximum(tol["pounds"], tol["share_of_spend"] * spend)
        over = topups > allowed
        for rid in values.index[over.fillna(False)]:
            message = (f"top-ups in {year} add up to £{topups[rid]:,.0f}, more than the gap "
                       f"(spend less allocation) of £{gap[rid]:,.0f} plus the tolerance")
            for qid in ids:
                flagged[(rid, qid)] = message
    return flagged


def clean_returns(raw: pd.DataFrame, codebook: Codebook, las: pd.DataFrame) -> CleanedReturns:
    """Clean every answer, check LA codes and top-ups, and report on every cell.

    ``las``: the LAs with SEND duties during the survey's years, columns ``old_la_code``,
    ``la_name``, ``stable_unit`` and ``whole_area`` (see :func:`analysis.studies.survey.frame.survey_las`).
    """
    rows, values = [], {}
    for _, response in raw.iterrows():
        rid = response[RESPONSE_ID]
        cleaned = {}
        for question in codebook.questions:
            typed = response[question.id]
            value, status, rule, message = clean_answer(typed, question)
            if status == "missing" and question.required:
                message = "required, but not answered"
            cleaned[question.id] = value
            typed = "" if typed is pd.NA else typed
            rows.append([rid, None, question.id, typed, value, status, rule, message])
        values[rid] = cleaned
    report = pd.DataFrame(rows, columns=REPORT_COLUMNS)
    wide = pd.DataFrame.from_dict(values, orient="index")
    wide.index.name = RESPONSE_ID
    report["la_code"] = report["response_id"].map(wide["la_code"])
    numeric = [q.id for q in codebook.questions if q.type in ("money", "integer", "percent", "rating")]
    wide[numeric] = wide[numeric].astype(float)

    la_problems = _la_checks(wide["la_code"], las, codebook.years)
    is_la = report["question_id"].eq("la_code")
    for rid, message in la_problems.items():
        hit = is_la & report["response_id"].eq(rid)
        report.loc[hit, ["status", "message"]] = ["invalid", message]
    for (rid, qid), message in _topup_checks(wide, codebook).items():
        hit = report["response_id"].eq(rid) & report["question_id"].eq(qid)
        report.loc[hit & report["value"].notna(), ["status", "message"]] = ["inconsistent", message]

    excluded = pd.DataFrame({"response_id": list(la_problems),
                             "la_code": [wide.at[r, "la_code"] for r in la_problems],
                             "reason": list(la_problems.values())})
    usable = wide.drop(index=list(la_problems))
    lookup = las.set_index("old_la_code")
    usable.insert(1, "unit_code", usable["la_code"].map(lookup["stable_unit"]))
    usable.insert(2, "la_name", usable["la_code"].map(lookup["la_name"]))
    return CleanedReturns(values=usable, report=report, excluded=excluded)
