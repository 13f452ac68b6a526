"""LA lookup (codes, names, regions, types) and DfE children's services statistical neighbours.

``la_lookup`` has one row per DfE 3-digit LA code that appears in the SEN2 EHC plan returns
(2010-2025), so it includes codes retired by reorganisations: ``first_year``/``last_year`` give
the January censuses in which the code reported, ``new_la_code`` the latest ONS code used for
it, ``stable_unit`` the unit :func:`analysis.tables.geography.harmonise_la` maps it to, and ``la_type``
(from DfE's LAIT code list: OLB/ILB outer/inner London borough, MD metropolitan district,
UA unitary authority, SC shire county) where LAIT lists the code.
"""

from __future__ import annotations

import re

import pandas as pd

from analysis.errors import DataError
from analysis.tables.conventions import end_years, read_ees_csv
from analysis.tables.geography import stable_unit
from analysis.tables.readers import SourceFile
from analysis.vocabulary import LA_LEVEL

# Spellings of LA names in older or non-EES files that do not normalise to the SEN2 name.
NAME_OVERRIDES: dict[str, str] = {
    # Counties abolished in the 2009 local government reorganisation (before SEN2 2010).
    "bedfordshire (pre lgr 2009)": "820",
    "cheshire (pre lgr 2009)": "875",
}


def normalise_name(name: str) -> str:
    """Fold an LA name for matching: case, '&', punctuation, 'City of'/'County of' noise."""
    text = str(name).lower().replace("&", " and ")
    text = re.sub(r"[^a-z ]+", " ", text)
    words = [w for w in text.split() if w not in {"and", "the", "of", "city", "county", "upon",
                                                  "council", "borough", "royal"}]
    return " ".join(words)


def match_la_names(names: pd.Series, lookup: pd.DataFrame, *, where: str,
                   valid_in_year: pd.Series | None = None) -> pd.Series:
    """Map LA names to DfE 3-digit codes through normalised names plus ``NAME_OVERRIDES``.

    ``lookup`` is the ``la_lookup`` table. When a normalised name fits several codes (a code
    retired and reused under one name) ``valid_in_year`` (end year per row) picks the code in
    use that year. Raises :class:`DataError` listing every name that cannot be matched.
    """
    table = lookup.assign(_key=lookup["la_name"].map(normalise_name))
    overrides = {normalise_name(k): v for k, v in NAME_OVERRIDES.items()}
    years = valid_in_year if valid_in_year is not None else pd.Series(0, index=names.index)
    pairs = pd.DataFrame({"name": names, "year": years})
    found: dict[tuple, object] = {}
    for name, year in pairs.drop_duplicates().itertuples(index=False):
        key = normalise_name(name)
        if key in overrides:
            found[(name, year)] = overrides[key]
            continue
        hits = table[table["_key"] == key]
        if len(hits) > 1 and valid_in_year is not None:
            # The code in use that year; before or after every span, the nearest one.
            gap = (hits["first_year"] - year).clip(lower=0) + (year - hits["last_year"]).clip(lower=0)
            hits = hits[gap == gap.min()]
        found[(name, year)] = hits["old_la_code"].iloc[0] if len(hits) == 1 else pd.NA
    codes = pd.Series([found[(n, y)] for n, y in zip(pairs["name"], pairs["year"])],
                      index=names.index, dtype="string")
    unmatched = sorted(set(names[codes.isna()]))
    if unmatched:
        raise DataError(f"{where}: LA names with no code: {unmatched}; add them to NAME_OVERRIDES")
    return codes


def read_la_lookup(files: dict[str, SourceFile]) -> pd.DataFrame:
    """One row per DfE LA code seen in SEN2 (the history and current caseload files: January
    2010 to the latest year held), with names, regions, ONS code and type (LAIT code list)."""
    frames = []
    for file in (files["history"], files["current"]):
        frame = read_ees_csv(file.path, where=file.name)
        frame = frame[frame["geographic_level"] == LA_LEVEL]
        year = end_years(frame["time_period"], frame["time_identifier"])
        frames.append(frame.assign(_year=year)[
            ["old_la_code", "new_la_code", "la_name", "region_code", "region_name", "_year"]])
    seen = pd.concat(frames).sort_values(["old_la_code", "_year"], kind="stable")
    latest = seen.groupby("old_la_code").tail(1).set_index("old_la_code")
    span = seen.groupby("old_la_code")["_year"].agg(["min", "max"])
    out = latest.drop(columns="_year").join(span).reset_index()
    out = out.rename(columns={"min": "first_year", "max": "last_year"})
    lait = pd.read_excel(files["types"].path, dtype=str, engine="calamine")
    lait.columns = [c.strip() for c in lait.columns]
    lait = lait.rename(columns={"LA Number": "old_la_code", "Type": "la_type",
                                "Region": "lait_region"})[["old_la_code", "la_type", "lait_region"]]
    out = out.merge(lait, on="old_la_code", how="left", validate="one_to_one")
    out["stable_unit"] = out["old_la_code"].map(stable_unit)
    for column in out.columns:
        if column not in ("first_year", "last_year"):
            out[column] = out[column].astype("string")
    return out.sort_values("old_la_code", kind="stable").reset_index(drop=True)


def read_statistical_neighbours(files: dict[str, list[SourceFile]]) -> pd.DataFrame:
    """DfE statistical neighbours, long: one row per version (every vintage held: "2021-04" on
    pre-2023 boundaries, "2025-05"...), LA and rank 1-10.

    Columns: ``version`` (the file's vintage), ``old_la_code``, ``la_name``, ``rank``,
    ``neighbour_la_code``, ``closeness`` (DfE's words).
    """
    parts = []
    for file in files["vintages"]:
        source_id, version = file.name, file.vintage
        raw = pd.read_excel(file.path, header=None, dtype=str, engine="calamine")
        header_row = raw.index[raw.iloc[:, 0].astype("string").str.strip() == "LA num"]
        if len(header_row) != 1:
            raise DataError(f"{source_id}: cannot find the 'LA num' header row")
        body = raw.iloc[header_row[0] + 1:]
        body = body[body.iloc[:, 0].astype("string").str.fullmatch(r"\d{3}").fillna(False)]
        header = [str(h).strip() for h in raw.iloc[header_row[0]]]
        sn_cols = [i for i, h in enumerate(header) if re.fullmatch(r"SN\d+", h)]
        if len(sn_cols) != 10:
            raise DataError(f"{source_id}: expected 10 neighbour columns, found {len(sn_cols)}")
        for i in sn_cols:
            parts.append(pd.DataFrame({
                "version": version,
                "old_la_code": body.iloc[:, 0].str.strip(),
                "la_name": body.iloc[:, 1].str.strip(),
                "rank": int(header[i][2:]),
                "neighbour_la_code": body.iloc[:, i].str.strip(),
                "closeness": body.iloc[:, i + 1].str.strip(),
            }))
    out = pd.concat(parts, ignore_index=True)
    for column in out.columns:
        if column != "rank":
            out[column] = out[column].astype("string")
    out["rank"] = out["rank"].astype("int64")
    return out.sort_values(["version", "old_la_code", "rank"], kind="stable").reset_index(drop=True)
