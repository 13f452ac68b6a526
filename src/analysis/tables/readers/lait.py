"""DfE Local Authority Interactive Tool (LAIT): the LA indicators the analyses use.

LAIT is a long table of about 430 indicators. Only those in :data:`INDICATORS` become the
``lait_indicators`` table (add to the dict to carry more). LAIT marks missing figures with "-".
Years are parsed from LAIT's labels: ``2016`` (calendar / January census), ``2015/16``
(academic), ``2016-17 (OT)`` (financial, outturn).
"""

from __future__ import annotations

import re

import pandas as pd

from analysis.errors import DataError
from analysis.tables.conventions import end_years, split_symbols, typed_long
from analysis.tables.readers import SourceFile
from analysis.vocabulary import LA_LEVEL, NATIONAL, REGIONAL

INDICATORS = {
    "SEN_TotStat": "Pupils with a statement or EHC plan, % of all pupils (January census)",
    "SEN_TotSENSuP": "Pupils on SEN support, % of all pupils (January census)",
    "SEN_CASES_JAN": "EHC plans maintained by the LA (January)",
    "SEN_INIT_REQ": "Initial requests for an EHC needs assessment (calendar year)",
    "SEN_EHC_All_20wks": "EHC plans issued within 20 weeks, % (calendar year)",
    "SEN_AppealableDec": "SEND Tribunal appeal rate, % of appealable decisions",
    "TotPermEx": "Permanent exclusions, % of pupils, all schools",
    "PriPermEx": "Permanent exclusions, % of pupils, primary",
    "SecPermEx": "Permanent exclusions, % of pupils, secondary",
    "SpecPermEx": "Permanent exclusions, % of pupils, special",
    "TotFixedEx": "Suspensions, % of pupils, all schools",
    "SENFinance": "S251 outturn: SEN expenditure per head (children's services)",
    "C&YPExpenditure": "S251 outturn: children and young people's services expenditure per head",
}
ENGLAND_CODE = "970"
REGION_CODES = {str(c) for c in range(980, 991)}


def _period(label: str) -> tuple[str, str]:
    text = re.sub(r"\s*\(.*\)$", "", str(label)).strip()
    if re.fullmatch(r"\d{4}", text):
        return text, "Calendar year"
    if re.fullmatch(r"\d{4}/\d{2}", text):
        return text.replace("/", ""), "Academic year"
    if re.fullmatch(r"\d{4}-\d{2}", text):
        return text.replace("-", ""), "Financial year"
    raise DataError(f"LAIT: unrecognised Years label {label!r}")


def read_lait(files: dict[str, SourceFile]) -> pd.DataFrame:
    """Selected LAIT indicators by LA / region / England and year, long format."""
    where = files["file"].name
    raw = pd.read_parquet(files["file"].path)
    raw = raw[raw["Short Desc"].isin(list(INDICATORS))].reset_index(drop=True)
    missing = sorted(set(INDICATORS) - set(raw["Short Desc"]))
    if missing:
        raise DataError(f"{where}: indicators not found: {missing}")
    number = raw["LA Number"]
    if number.isna().any():
        raise DataError(f"{where}: rows without 'LA Number' at {list(raw.index[number.isna()][:5])}")
    code = number.astype("int64").astype(str).str.zfill(3)
    level = pd.Series(LA_LEVEL, index=raw.index, dtype="string")
    level[code.eq(ENGLAND_CODE)] = NATIONAL
    level[code.isin(REGION_CODES)] = REGIONAL
    periods = raw["Years"].map(_period)
    time_period = periods.map(lambda p: p[0])
    ident = periods.map(lambda p: p[1])
    values, symbols = split_symbols(raw["Values"], where=f"{where}, column 'Values'")
    out = pd.DataFrame({
        "time_period": time_period, "time_identifier": ident, "geographic_level": level,
        "old_la_code": code.where(level.eq(LA_LEVEL)),
        "la_name": raw["LA and Regions"].where(level.eq(LA_LEVEL)),
        "region_name": raw["LA and Regions"].where(level.eq(REGIONAL), raw["Region"])
        .where(~level.eq(NATIONAL)),
        "year": end_years(time_period, ident),
        "measure": raw["Short Desc"], "value": values, "symbol": symbols,
    })
    return typed_long(out)
