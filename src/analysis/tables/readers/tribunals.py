"""SEND Tribunal appeals and appeal rates by LA and calendar year (MoJ, re-published by DfE in the
EHC plans releases as a supporting file).

The file is a wide, presentation-style table: a title, a two-row header (calendar year, then
"Appeals registered", "Total Appealable Decisions", "SEND Tribunal Appeal Rate" under each
year), regional heading rows, LA rows with a DfE code, and footnotes. In it "-" means nil (the
rate beside it reads 0.00%), so "-" is read as zero with symbol "-". The rate is a percentage.

LA rows run from the header to the "England Total" line, which is read as the national row;
upper-case lines are region headings. The later "England total excluding suppressed" line
(2023-2024 only) is not read. LA names carry footnote digits ("Northamptonshire7"), which are
stripped. The printed 3-digit codes are not trusted: in the 2025 release held, Nottingham,
Nottinghamshire and Northamptonshire carry each other's codes (891, 928, 892 instead of 892,
891, 928), Central Bedfordshire and Cambridgeshire have theirs swapped (873, 823), and
Bournemouth and Poole (2014-2018) have none. Codes are therefore taken from the names through
the LA lookup; every printed code that disagrees must be listed in :data:`CODE_CORRECTIONS` (a
disagreement not listed there is an error; a release that corrects them reads as well). The
"Dorset" row holds the old county before 2019 and the new unitary Dorset after (footnote 6), so
its years before 2019 get code 835.

Reorganised LAs have rows in every year, filled with ".." (or left empty) in the years before
they were created or after they were abolished (footnotes 5-8). Such LA-years are not LAs that
year and are left out (:func:`_outside_lifetime`), so that stable-unit sums stay complete.
"""

from __future__ import annotations

import re

import pandas as pd

from analysis.errors import DataError
from analysis.tables.conventions import split_symbols, typed_long
from analysis.tables.geography import REORGANISED_LA_CODES
from analysis.tables.readers import SourceFile
from analysis.tables.readers.lookups import match_la_names
from analysis.vocabulary import LA_LEVEL, NATIONAL

MEASURES = {
    "appeals registered": "appeals_registered",
    "appeals": "appeals_registered",
    "total appealable decisions": "appealable_decisions",
    "send tribunal appeal rate": "appeal_rate_pct",
}
"""Column labels under each year (footnote digits and commas stripped) -> measure."""

IGNORED_LABEL_PREFIX = "in development:"
"""Experimental columns (2024: decisions and rate on a new method) that are not read."""

METHOD_CHANGE_NOTE = ("Appealable decisions from 2023 come from the person-level SEN2 collection "
                      "that began in 2022; the file warns that comparisons of 2023 and later with "
                      "earlier years need caution.")
"""The file's footnote 9, in our words: shown under every appeal-rate chart spanning 2023."""

CODE_CORRECTIONS = {"Nottingham": ("891", "892"), "Nottinghamshire": ("928", "891"),
                    "Northamptonshire": ("892", "928"), "Central Bedfordshire": ("873", "823"),
                    "Cambridgeshire": ("823", "873")}
"""LA name -> (code printed in the file, DfE code), checked on every read."""

OLD_DORSET = ("Dorset", 2019, "835")
"""(name, first year of the new LA, code of the LA the row holds before that year)."""


def _codes(names: pd.Series, printed: pd.Series, la_lookup: pd.DataFrame, where: str) -> pd.Series:
    latest = pd.Series(9999, index=names.index)  # a name reused over time -> its latest code
    codes = match_la_names(names, la_lookup, where=where, valid_in_year=latest)
    differ = codes.ne(printed) & printed.ne("")
    found = {n: (p, c) for n, p, c in zip(names[differ], printed[differ], codes[differ])}
    unexpected = {n: pc for n, pc in found.items() if CODE_CORRECTIONS.get(n) != pc}
    if unexpected:
        raise DataError(f"{where}: printed LA codes that disagree with the names: {unexpected}; "
                        f"only these are known: {CODE_CORRECTIONS}")
    return codes


REVISED_NOTE = ("From 2024 appealable decisions are counted on DfE's revised method (the annual "
                "reviews completed in the year, which SEN2 now collects, in place of the caseload "
                "at January), a smaller count: rates from 2024 are higher and not comparable with "
                "earlier years. DfE published 2024 on both methods; the series uses the revised one "
                "from 2024.")
"""The 2026 release's footnote 5 and the change it makes, in our words: shown under every
appeal-rate chart spanning 2024."""


def read_tribunals(files: dict[str, SourceFile], la_lookup: pd.DataFrame) -> pd.DataFrame:
    """Appeals registered, appealable decisions and appeal rate by LA and calendar year: the
    history file (``file``, old method) to the year before the ``revised`` file's first (the
    2026 release's 2024-2025 file, appealable decisions on the revised method), then that."""
    old = _read_wide(files["file"], la_lookup)
    if "revised" not in files:
        return old
    revised = _read_wide(files["revised"], la_lookup)
    first = int(revised["year"].min())
    return typed_long(pd.concat([old[old["year"] < first], revised], ignore_index=True))


def _read_wide(file: SourceFile, la_lookup: pd.DataFrame) -> pd.DataFrame:
    """One wide appeal-rate file: the row of labels (the one naming "Total Appealable
    Decisions") under a row of years, then regions and LAs down to "England Total"."""
    path, where = file.path, file.name
    raw = pd.read_csv(path, header=None, dtype=str, encoding="utf-8-sig", keep_default_na=False)
    lowered = raw.apply(lambda c: c.str.strip().str.lower())
    named = lowered.apply(lambda c: c.str.startswith("total appealable decisions")).any(axis=1)
    label_rows = raw.index[named]
    if len(label_rows) != 1 or label_rows[0] == 0:
        raise DataError(f"{where}: cannot find the one header row naming 'Total Appealable Decisions' "
                        "under a row of years")
    h = label_rows[0] - 1
    years = raw.loc[h].str.strip().replace("", pd.NA).ffill()
    labels = raw.loc[h + 1].str.strip().str.lower().str.replace(r"[\d,]+$", "", regex=True)
    body = raw.loc[h + 2:]
    end = body.index[body.iloc[:, 0].str.strip().str.fullmatch(r"England Total[\d,]*")]
    if len(end) != 1:
        raise DataError(f"{where}: cannot find the one 'England Total' line that ends the LA rows")
    england = body.loc[end]
    body = body.loc[: end[0] - 1]
    label = body.iloc[:, 0].str.strip()
    body = body[label.ne("") & label.ne(label.str.upper())]
    names = body.iloc[:, 0].str.strip().str.replace(r"(?<=[a-z])\d+$", "", regex=True)
    codes = _codes(names, body.iloc[:, 1].str.strip(), la_lookup, where)
    codes = pd.concat([pd.Series([pd.NA], index=england.index, dtype="string"), codes])
    levels = [NATIONAL] + [LA_LEVEL] * len(body)
    names = pd.concat([pd.Series([pd.NA], index=england.index, dtype="string"), names])
    body = pd.concat([england, body])
    parts = []
    for i in range(2, raw.shape[1]):
        year, label = years[i], labels[i]
        if label in ("", "old la code") or label.startswith(IGNORED_LABEL_PREFIX):
            continue
        if pd.isna(year) or not re.fullmatch(r"\d{4}", str(year)) or label not in MEASURES:
            raise DataError(f"{where}: column {i} header {raw.loc[h + 1, i]!r} under year "
                            f"{year!r} is not one of {sorted(MEASURES)}")
        values, symbols = split_symbols(body.iloc[:, i], where=f"{where}, column {i}", nil=True)
        parts.append(pd.DataFrame({
            "time_period": str(year), "time_identifier": "Calendar year",
            "geographic_level": levels,
            "old_la_code": codes.mask(names.eq(OLD_DORSET[0]).fillna(False) & (int(year) < OLD_DORSET[1]),
                                      OLD_DORSET[2]),
            "la_name": names,
            "year": int(year), "measure": MEASURES[label], "value": values, "symbol": symbols,
        }))
    if not parts:
        raise DataError(f"{where}: no year/measure columns recognised")
    out = pd.concat(parts, ignore_index=True)
    return typed_long(out[~_outside_lifetime(out)])


def _outside_lifetime(frame: pd.DataFrame) -> pd.Series:
    """Rows of a reorganised LA in a year where its cells are all ".." or empty (no such LA)."""
    groups = [frame["old_la_code"], frame["year"]]
    all_empty = frame["symbol"].isin(["..", "blank"]).groupby(groups).transform("all")
    return frame["old_la_code"].isin(REORGANISED_LA_CODES) & all_empty
