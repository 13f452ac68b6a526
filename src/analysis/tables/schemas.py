"""Validation of processed tables: types, unique keys, value ranges, LA rows adding up.

Every table is checked before it is written; a failure raises :class:`TableValidationError`
naming the table and the offending rows, and nothing is written. pandera is imported when a table
is checked, not with this module: every kernel that reads tables imports the table store, which
imports this module, and pandera takes about 0.3 s to import.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from analysis.errors import DataError
from analysis.vocabulary import LA_LEVEL, NATIONAL

if TYPE_CHECKING:
    import pandera.pandas as pa

# Codes and labels that must be text, whatever the table.
TEXT_COLUMNS = (
    "time_period", "time_identifier", "geographic_level", "country_code", "region_code",
    "region_name", "old_la_code", "new_la_code", "la_name", "measure", "symbol",
)  # fmt: skip


class TableValidationError(DataError):
    """A processed table broke its schema. The message names the table and the rows."""


def _schema(table_id: str, columns: list[str], keys: tuple[str, ...], nonnegative: bool,
            long: bool) -> pa.DataFrameSchema:
    import pandera.pandas as pa

    specs: dict[str, pa.Column] = {}
    for column in columns:
        if column in TEXT_COLUMNS:
            specs[column] = pa.Column("string", nullable=column not in ("measure",))
    if "year" in columns:
        specs["year"] = pa.Column("int64", pa.Check.in_range(1990, 2100))
    if long:
        checks = [pa.Check.ge(0)] if nonnegative else []
        specs["value"] = pa.Column("float64", checks, nullable=True)
    frame_checks = []
    if long:
        frame_checks.append(pa.Check(
            lambda df: ~(df["value"].isna() & df["symbol"].isna()),
            element_wise=False, error="a missing value must carry a symbol saying why"))
    return pa.DataFrameSchema(specs, checks=frame_checks, unique=list(keys) or None,
                              name=table_id, strict=False, coerce=False)


def validate(table_id: str, frame: pd.DataFrame, *, keys: tuple[str, ...],
             nonnegative: bool = True) -> pd.DataFrame:
    """Check a processed table's schema; return it unchanged or raise TableValidationError."""
    import pandera.pandas as pa

    missing = [k for k in keys if k not in frame.columns]
    if missing:
        raise TableValidationError(f"table {table_id!r}: key columns {missing} absent")
    long = {"value", "symbol"} <= set(frame.columns)
    schema = _schema(table_id, list(frame.columns), keys, nonnegative, long)
    try:
        schema.validate(frame, lazy=True)
    except (pa.errors.SchemaErrors, pa.errors.SchemaError) as exc:
        cases = getattr(exc, "failure_cases", None)
        detail = cases.head(10).to_string() if cases is not None else str(exc)
        raise TableValidationError(f"table {table_id!r} failed validation:\n{detail}") from exc
    return frame


def additivity_failures(frame: pd.DataFrame, *, measures: list[str], dims: list[str],
                        rel_tol: float = 0.0, abs_tol: float = 0.5) -> pd.DataFrame:
    """Cells where the LA rows do not add up to the national row.

    Compared per ``year`` x ``dims`` x measure, only where every LA value is present (a
    suppressed LA cell makes the sum unknowable, so that cell is skipped, not failed).
    Returns the failing cells with ``la_sum`` and ``national``; empty when all add up. A
    measure-year with LA rows but no national row to compare with counts as a failure too.
    """
    keys = ["year", *dims, "measure"]
    rows = frame[frame["measure"].isin(measures)]
    la = rows[rows["geographic_level"].eq(LA_LEVEL)]
    national = rows[rows["geographic_level"].eq(NATIONAL)].set_index(keys)["value"]
    grouped = la.groupby(keys, dropna=False)["value"]
    complete = grouped.count().eq(grouped.size())
    sums = grouped.sum()[complete].rename("la_sum")
    joined = sums.to_frame().join(national.rename("national"), how="left")
    has_national_row = joined.index.isin(national.index)
    joined = joined[~has_national_row | joined["national"].notna()]  # suppressed: skip
    diff = (joined["la_sum"] - joined["national"]).abs()
    bad = ~(diff <= (abs_tol + rel_tol * joined["national"].abs()))
    return joined[bad].reset_index()
