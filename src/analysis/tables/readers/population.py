"""ONS mid-year population estimates (MYE2, persons) by LA and single year of age.

One row per area code x age x mid-year, for mid-2014 to mid-2022, every area ONS lists (UK,
countries, regions, counties, unitary authorities, districts). Age 90 means "90 and over".
Each year is on the geography of its own release: mid-2014 to mid-2017 on pre-2019 codes,
mid-2018 on April 2019 codes, mid-2019 on April 2020 codes, mid-2020/2021 on 2021 codes,
mid-2022 on 2023 codes. ``year`` is the mid-year (30 June); pair it with academic and
financial years through :func:`analysis.tables.conventions.population_year_for`.

The mid-2014 file is a third party's CSV export of the ONS sheet (mirror only; see catalogue).
"""

from __future__ import annotations

import re

import pandas as pd

from analysis.errors import DataError
from analysis.tables.conventions import split_symbols, sum_groups
from analysis.tables.readers import SourceFile

MAX_AGE = 90


def _persons_sheet(names: list[str], where: str) -> str:
    for name in names:
        clean = name.strip().lower()
        if clean.startswith("mye2") and ("all" in clean or "persons" in clean):
            return name
        if clean == "persons uk":
            return name
    raise DataError(f"{where}: no MYE2 persons sheet among {names}")


def tidy_mye2(raw: pd.DataFrame, *, year: int, where: str) -> pd.DataFrame:
    """Tidy one MYE2 persons table given with its header row somewhere inside ``raw``.

    The header row is found by content (first cell ``Code``), not by position: its place
    differs between releases.
    """
    first = raw.iloc[:, 0].astype("string").str.strip().str.lower()
    header_rows = raw.index[first.eq("code")]
    if len(header_rows) != 1:
        raise DataError(f"{where}: expected one header row starting 'Code', found {len(header_rows)}")
    h = header_rows[0]
    header = [str(v).strip() for v in raw.loc[h]]
    ages = {}
    for i, label in enumerate(header):
        number = re.fullmatch(r"(\d+)(\.0)?\+?", label)
        if number:
            ages[i] = int(number.group(1))
    if sorted(ages.values()) != list(range(MAX_AGE + 1)):
        raise DataError(f"{where}: age columns 0-{MAX_AGE} not all found in the header row")
    name_col = next(i for i, v in enumerate(header) if v.lower() == "name")
    geo_col = next((i for i, v in enumerate(header) if v.lower().startswith("geography")), None)
    body = raw.loc[h + 1:]
    codes = body.iloc[:, 0].astype("string").str.strip()
    body = body[codes.str.fullmatch(r"[A-Z]\d{8}").fillna(False)]
    columns = list(ages)
    cells = body.iloc[:, columns].set_axis([ages[i] for i in columns], axis=1)
    ids = pd.DataFrame({
        "area_code": body.iloc[:, 0].astype("string").str.strip(),
        "area_name": body.iloc[:, name_col].astype("string").str.strip(),
        "geography": (body.iloc[:, geo_col].astype("string").str.strip()
                      if geo_col is not None else pd.NA),
    })
    long = pd.concat([ids, cells], axis=1).melt(id_vars=list(ids.columns), var_name="age",
                                                value_name="cell")
    values, symbols = split_symbols(long["cell"].astype("string"), where=f"{where}, age columns")
    out = long.drop(columns="cell").assign(year=year, value=values, symbol=symbols)
    out = out[["area_code", "area_name", "geography", "year", "age", "value", "symbol"]]
    for column in ("area_code", "area_name", "geography", "symbol"):
        out[column] = out[column].astype("string")
    out["year"] = out["year"].astype("int64")
    out["age"] = out["age"].astype("int64")
    return out


def read_population(files: dict[str, list[SourceFile]]) -> pd.DataFrame:
    """Persons by area and single year of age, one mid-year per file (its vintage is the
    mid-year; see module doc)."""
    parts = []
    for file in files["vintages"]:
        year = int(file.vintage)
        path = file.path
        where = f"{path.name}"
        if path.suffix == ".csv":
            raw = pd.read_csv(path, header=None, dtype=str, keep_default_na=False)
        else:
            engine = "calamine"
            names = pd.ExcelFile(path, engine=engine).sheet_names
            sheet = _persons_sheet(names, where)
            raw = pd.read_excel(path, sheet_name=sheet, header=None, dtype=str, engine=engine)
            where = f"{path.name}, sheet {sheet!r}"
        parts.append(tidy_mye2(raw, year=year, where=where))
    out = pd.concat(parts, ignore_index=True)
    out["measure"] = pd.Series("persons", index=out.index, dtype="string")
    return out[["year", "area_code", "area_name", "geography", "age", "measure", "value",
                "symbol"]]


def population_aged(population: pd.DataFrame, low: int, high: int) -> pd.DataFrame:
    """Persons aged ``low`` to ``high`` inclusive per area and mid-year, column
    ``population_<low>_<high>``.

    Missing (symbol ``suppressed-part``) where any single year of age is missing.
    """
    ages = population[population["age"].between(low, high)]
    if not ages.groupby(["year", "area_code"])["age"].nunique().eq(high - low + 1).all():
        raise DataError(f"population_aged: some area-years lack single years of age {low}-{high}")
    totals = sum_groups(ages, ["year", "area_code", "area_name"])
    return totals.rename(columns={"value": f"population_{low}_{high}"})


def population_0_25(population: pd.DataFrame) -> pd.DataFrame:
    """Persons aged 0-25 per area and mid-year (the SEND age range)."""
    return population_aged(population, 0, 25)
