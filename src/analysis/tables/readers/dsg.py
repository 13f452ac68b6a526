"""Dedicated schools grant (ESFA): high needs block allocations and DfE's DSG balance series.

``dsg_high_needs``: high needs block by LA and financial year 2019-20 to 2023-24, in pounds
(cash), each year from its latest publication held (see :func:`read_dsg_high_needs`).
Measures: ``hnb_before_deductions`` (column
[C]: before academy recoupment and the deductions for high needs places funded directly by
ESFA) and ``hnb_after_deductions`` (column [H]); plus ``dsg_total_before_deductions`` ([E]) and
``dsg_total_after_deductions`` ([J]). The 2019-20 sheet is in GBP million and is converted.

``dsg_hn_deductions``: the high needs place deductions of the full ESFA workbooks (2020-21 to
2023-24) by LA, institution type and place type: ``deduction`` (pounds taken off the block for
places ESFA funds directly) and ``places``.

``dsg_cumulative_balance``: DSG cumulative balance as a per cent of DSG income, 2019-20 to
2021-22 (DfE, derived from the S251 outturn). Negative = deficit.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from analysis.errors import DataError
from analysis.tables.conventions import period_end_year, split_symbols, typed_long
from analysis.tables.readers import SourceFile
from analysis.tables.readers.lookups import match_la_names
from analysis.vocabulary import ENGLISH_REGIONS, LA_LEVEL, NATIONAL, REGIONAL

REGIONS = {r.lower(): r for r in ENGLISH_REGIONS}
LA_TYPE_SUBTOTALS = {"metropolitan authorities", "unitary authorities", "upper tier authorities"}
"""Subtotal rows by LA type in the summary sheets: not carried (recomputable from LA rows)."""

SUMMARY_COLUMNS = {  # ESFA column letter -> measure
    "[C]": "hnb_before_deductions", "[E]": "dsg_total_before_deductions",
    "[H]": "hnb_after_deductions", "[J]": "dsg_total_after_deductions",
}  # fmt: skip


def _unit_multiplier(headers: list[str], where: str) -> float:
    text = " ".join(h for h in headers if h)
    if "£ million" in text or "£m" in text:
        return 1e6
    if "£s" in text or "(£)" in text:
        return 1.0
    raise DataError(f"{where}: cannot tell the money unit from the headers")


def _summary_sheet(sheet: pd.DataFrame, fy: str, where: str) -> list[pd.DataFrame]:
    """The four measures of one ESFA LA summary sheet (one financial year ``fy``), long."""
    letters = [str(v).strip() for v in sheet.iloc[2]]
    headers = [str(v) for v in sheet.iloc[1] if pd.notna(v)]
    multiplier = _unit_multiplier(headers, where)
    first = sheet.iloc[:, 0].astype("string").str.strip().replace("", pd.NA)
    body = sheet[first.notna()].iloc[1:]  # row 0 is the title; rows 1-3 are headers
    label = body.iloc[:, 0].astype("string").str.strip()
    lowered = label.str.lower()
    unknown = sorted(set(label[~(label.str.fullmatch(r"\d{3}") | lowered.eq("england")
                                 | lowered.isin(list(REGIONS))
                                 | lowered.isin(LA_TYPE_SUBTOTALS))]))
    if unknown:
        raise DataError(f"{where}: unrecognised row labels {unknown}")
    # London appears twice (in the LA-type block and the region block): keep one row,
    # after checking the two are the same figures.
    body = body[~lowered.isin(LA_TYPE_SUBTOTALS)]
    repeated = body.iloc[:, 0].astype("string").str.strip().str.lower().duplicated(keep=False)
    if body[repeated].iloc[:, 2:].drop_duplicates().shape[0] > 1:
        raise DataError(f"{where}: rows {sorted(set(label[repeated]))} repeat with different "
                        "figures")
    body = body[~body.iloc[:, 0].astype("string").str.strip().str.lower().duplicated()]
    label = body.iloc[:, 0].astype("string").str.strip()
    is_la = label.str.fullmatch(r"\d{3}")
    is_england = label.str.upper().eq("ENGLAND")
    level = pd.Series(REGIONAL, index=body.index, dtype="string")
    level[is_la] = LA_LEVEL
    level[is_england] = NATIONAL
    region = label.str.lower().map(REGIONS).astype("string")
    base = pd.DataFrame({
        "time_period": fy, "time_identifier": "Financial year", "geographic_level": level,
        "old_la_code": label.where(is_la),
        "la_name": body.iloc[:, 1].astype("string").str.strip().where(is_la),
        "region_name": region.where(level.eq(REGIONAL)),
        "year": period_end_year(fy, "Financial year"),
    })
    parts = []
    for letter, measure in SUMMARY_COLUMNS.items():
        if letter not in letters:
            raise DataError(f"{where}: column {letter} not found in the letter row")
        values, symbols = split_symbols(body.iloc[:, letters.index(letter)],
                                        where=f"{where}, column {letter}")
        parts.append(base.assign(measure=measure, value=values * multiplier, symbol=symbols))
    return parts


def read_dsg_high_needs(files: dict) -> pd.DataFrame:
    """High needs block and total DSG by LA/region/England and financial year, in pounds.

    Each year comes from its latest publication held: the full ESFA workbook of that year
    (``files["workbooks"]``, one per financial year, its vintage; published 15-16 months after
    the year began, with the final place deductions) where held, else DfE's amalgamation of the
    earlier March summary sheets (``files["summary"]``). Column ``source_file`` names the file of
    every row.
    """
    path = files["summary"].path
    sheets = pd.read_excel(path, sheet_name=None, header=None, engine="calamine")
    found: dict[str, tuple[list[pd.DataFrame], str]] = {}
    for name, sheet in sheets.items():
        match = re.fullmatch(r"Allocations_(\d{2})(\d{2})", name)
        if match:
            fy = f"20{match.group(1)}{match.group(2)}"
            found[fy] = (_summary_sheet(sheet, fy, f"{Path(path).name}, sheet {name}"),
                         Path(path).name)
    if not found:
        raise DataError(f"{path}: no Allocations_YYYY sheets found")
    for file in files["workbooks"]:
        workbook = file.path
        match = re.fullmatch(r"(\d{4})-(\d{2})", file.vintage)
        if not match:
            raise DataError(f"{file.name}: vintage {file.vintage!r} is not a financial year like 2020-21")
        fy = f"{match.group(1)}{match.group(2)}"
        where = f"{Path(workbook).name}, sheet Allocations_summary"
        # odf: calamine cannot open these workbooks ("Cannot detect file format").
        sheet = pd.read_excel(workbook, sheet_name="Allocations_summary", header=None,
                              engine="odf")
        title = str(sheet.iloc[0, 0])
        if f"{match.group(1)} to 20{match.group(2)}" not in title:
            raise DataError(f"{where}: title {title!r} is not for financial year {fy}")
        found[fy] = (_summary_sheet(sheet, fy, where), Path(workbook).name)
    parts = [part.assign(source_file=found[fy][1]) for fy in sorted(found) for part in found[fy][0]]
    return typed_long(pd.concat(parts, ignore_index=True))


DEDUCTION_INSTITUTIONS = {  # the sheet's institution headings (start) -> the name kept
    "Mainstream academies": "Mainstream academies", "Special academies": "Special academies",
    "Special free schools": "Special free schools",
    "Alternative provision (AP) academies": "AP academies and free schools",
    "Hospital Academies": "Hospital academies", "16-19 academies": "16-19 academies and free schools",
    "Further education (FE)": "FE and independent learning providers",
}  # fmt: skip


def _deductions_sheet(sheet: pd.DataFrame, fy: str, where: str) -> pd.DataFrame:
    """One workbook's High_needs_deductions sheet, long: per LA and England, each institution
    type's and place type's deduction (pounds) and places (the later of the two periods, i.e.
    the academic year's places)."""
    institutions = sheet.iloc[0].astype("string").ffill()
    place_types = sheet.iloc[1].astype("string").ffill()
    periods = sheet.iloc[2].astype("string").fillna("")
    label = sheet.iloc[:, 0].astype("string").str.strip().fillna("")
    body = sheet[label.str.fullmatch(r"\d{3}") | label.str.upper().eq("ENGLAND")]
    total_col = [i for i, v in enumerate(sheet.iloc[0].astype("string").fillna(""))
                 if v.startswith("Total deduction")]
    if len(total_col) != 1:
        raise DataError(f"{where}: no single 'Total deduction' column")
    parts, summed = [], pd.Series(0.0, index=body.index)
    codes = body.iloc[:, 0].astype("string").str.strip()
    is_la = codes.str.fullmatch(r"\d{3}")
    base = pd.DataFrame({
        "time_period": fy, "time_identifier": "Financial year",
        "geographic_level": is_la.map({True: LA_LEVEL, False: NATIONAL}),
        "old_la_code": codes.where(is_la), "la_name": body.iloc[:, 1].astype("string").where(is_la),
        "region_name": pd.NA, "year": period_end_year(fy, "Financial year")})
    for col in range(2, total_col[0]):
        heading = institutions.iat[col]
        name = next((v for k, v in DEDUCTION_INSTITUTIONS.items() if heading.startswith(k)), None)
        if name is None:
            raise DataError(f"{where}: unknown institution heading {heading!r} (column {col + 1})")
        period = periods.iat[col]
        if "deduction" in period.lower():
            measure = "deduction"
        elif col + 1 < total_col[0] and "deduction" in periods.iat[col + 1].lower():
            measure = "places"      # the later period: the academic year's places
        else:
            continue
        values, symbols = split_symbols(body.iloc[:, col], where=f"{where}, column {col + 1}")
        if measure == "deduction":
            summed = summed + values.fillna(0)
        parts.append(base.assign(institution=name, place_type=place_types.iat[col].strip(),
                                 measure=measure, value=values, symbol=symbols))
    total, _ = split_symbols(body.iloc[:, total_col[0]], where=f"{where}, total column")
    off = (summed - total).abs() > 2   # pounds: the sheet's own rounding
    if off.any():
        raise DataError(f"{where}: deductions do not add up to the total for rows "
                        f"{sorted(codes[off])}")
    return pd.concat(parts, ignore_index=True)


def read_dsg_hn_deductions(files: dict) -> pd.DataFrame:
    """High needs place deductions by LA, institution type and place type, financial years of
    the full ESFA workbooks held (2020-21 to 2023-24): ``deduction`` in pounds (places ESFA funds
    directly, taken off the high needs block) and ``places`` (the academic year's places)."""
    parts = []
    for file in files["workbooks"]:
        match = re.fullmatch(r"(\d{4})-(\d{2})", file.vintage)
        if not match:
            raise DataError(f"{file.name}: vintage {file.vintage!r} is not a financial year like 2020-21")
        sheet = pd.read_excel(file.path, sheet_name="High_needs_deductions", header=None, engine="odf")
        parts.append(_deductions_sheet(sheet, f"{match.group(1)}{match.group(2)}",
                                       f"{file.name}, sheet High_needs_deductions").assign(
            source_file=file.name))
    return typed_long(pd.concat(parts, ignore_index=True))


def read_dsg_cumulative_balance(files: dict[str, SourceFile], la_lookup: pd.DataFrame) -> pd.DataFrame:
    """DSG cumulative balance as % of DSG income, England/regions/LAs, FY 2019-20 to 2021-22."""
    where = "dsg_cumulative_balance_pct_2019-20_to_2021-22_derived.xlsx"
    raw = pd.read_excel(files["file"].path, dtype=str, engine="calamine")
    raw = raw.rename(columns={"DSG cumulative balance as a % of the total income": "balance_pct"})
    years = raw["time_period"].map(lambda p: period_end_year(p, "Financial year"))
    is_la = raw["geographic_level"].eq(LA_LEVEL)
    codes = pd.Series(pd.NA, index=raw.index, dtype="string")
    codes[is_la] = match_la_names(raw.loc[is_la, "la_name"], la_lookup, where=where,
                                  valid_in_year=years[is_la])
    values, symbols = split_symbols(raw["balance_pct"], where=f"{where}, column balance_pct")
    out = pd.DataFrame({
        "time_period": raw["time_period"], "time_identifier": "Financial year",
        "geographic_level": raw["geographic_level"], "old_la_code": codes,
        "la_name": raw["la_name"], "region_name": raw["region_name"],
        "year": years.astype("int64"), "measure": "cumulative_balance_pct_of_income",
        "value": values, "symbol": symbols,
    })
    out.loc[out["geographic_level"].eq(NATIONAL), "region_name"] = pd.NA
    return typed_long(out)
