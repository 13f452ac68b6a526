"""Tables and numbers written for people: one place for how a column name, a number, a missing
value and a p-value look on a published page (and, for headers, in a spreadsheet).

:func:`people_table` is what every DataFrame a report shows becomes (a notebook's last
expression included, once :func:`use_people_tables` has run in its kernel): no index column
unless the index means something, headers in words, thousands separators, "n/a" for a missing
value with the reason under the table (the study's, see :func:`explained`, or else the general
one), "none" in a symbol column where the figure came with no symbol, p-values as a person writes
them, nothing cut short, and a caption when the frame has one (``frame.attrs["caption"]``, see
:func:`captioned`).
"""

from __future__ import annotations

import datetime as dt
import html
import math
import re
from pathlib import Path

import pandas as pd

from analysis.files import write_csv, write_table_title
from analysis.report import columns

WORDS = {"la": "LA", "las": "LAs", "ehcp": "EHCP", "ehc": "EHC", "dsg": "DSG", "hnb": "HNB",
         "sen": "SEN", "send": "SEND", "sen2": "SEN2", "gbp": "(£)", "pct": "(%)", "esfa": "ESFA",
         "ons": "ONS", "dfe": "DfE", "s251": "S251", "mdape": "MdAPE", "mape": "MAPE", "mase": "MASE",
         "mae": "MAE", "pp": "(percentage points)", "vif": "VIF", "twfe": "TWFE", "id": "ID",
         "fe": "FE", "ci": "CI", "se": "SE", "obr": "OBR", "ifs": "IFS", "nao": "NAO", "lga": "LGA",
         "r2": "R²", "sha256": "sha256", "std": "standard", "n": "number"}
"""Words of a column name written as a reader would see them."""
MISSING = "n/a"
MISSING_NOTE = ("n/a: no figure here: not published for that year or area, suppressed or not "
                "returned, or not applicable to the row. It never stands for zero.")
"""Said under a table that has an n/a, unless the study says why in its own words
(:func:`explained`)."""
NO_SYMBOL = "none"
"""A symbol column's cell where the figure came with no symbol (it was published as it is)."""
P_VALUE_COLUMNS = ("p_value", "p", "pvalue")
PLAIN = re.compile(r"year|origin|code|january|march|^from$|^to$|^unit$", re.IGNORECASE)
"""Columns whose whole numbers are labels, not quantities: no thousands separator (2024, 886)."""


def header_words(column) -> str:
    """A column name in words: ``ehcp_per_1000`` -> "EHCP per 1000", ``value_gbp`` ->
    "Value (£)", ``coverage_80`` -> "Coverage 80"; names already in words keep their case."""
    if not isinstance(column, str):
        if isinstance(column, tuple):
            return ", ".join(h for h in map(header_words, column) if h)
        return str(column)
    if "_" not in column and column != column.lower():
        return column
    words = [WORDS.get(w.lower(), w) for w in re.split(r"[_\s]+", column) if w]
    text = " ".join(words) or column
    return text[:1].upper() + text[1:]


def long_date(iso: str) -> str:
    """A date as GOV.UK writes it: "2026-12-07" -> "7 December 2026" (anything else as given)."""
    try:
        day = dt.date.fromisoformat(str(iso))
    except ValueError:
        return str(iso)
    return f"{day.day} {day:%B %Y}"


def number(value, *, decimals: int | None = None) -> str:
    """A number for a table: thousands separators; whole numbers without decimals (1072.0 ->
    "1,072"); otherwise ``decimals`` places, or by default at most four, trailing zeros dropped,
    and none from 1,000 up; a missing value is "n/a"."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return MISSING
    if isinstance(value, bool):
        return "yes" if value else "no"
    if decimals is not None:
        return f"{value:,.{decimals}f}"
    if float(value).is_integer() or abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:,.4f}".rstrip("0").rstrip(".")


def p_value(p) -> str:
    """A p-value as a person writes it: "< 0.001" below 0.001, else three places."""
    if p is None or (isinstance(p, float) and math.isnan(p)):
        return MISSING
    return "< 0.001" if p < 0.001 else f"{p:.3f}"


def captioned(frame: pd.DataFrame, caption: str) -> pd.DataFrame:
    """``frame`` with a caption for its table on the page (kept in ``frame.attrs``)."""
    out = frame.copy()
    out.attrs["caption"] = caption
    return out


def explained(frame: pd.DataFrame, why: str) -> pd.DataFrame:
    """``frame`` with the reason for its n/a cells, said under its table in place of
    :data:`MISSING_NOTE` (kept in ``frame.attrs``; ``why`` follows "n/a: ")."""
    out = frame.copy()
    out.attrs["missing"] = f"{MISSING}: {why}"
    return out


def _cell(value, column) -> str:
    name = header_words(column) if not isinstance(column, str) else column
    if re.search(r"(^|[ _])symbol$", name.lower()):
        return NO_SYMBOL if pd.isna(value) else str(value)
    if name.lower() in P_VALUE_COLUMNS:
        return p_value(value)
    if PLAIN.search(name) and isinstance(value, (int, float)) and not isinstance(value, bool) \
            and not pd.isna(value) and float(value).is_integer():
        return str(int(value))
    if isinstance(value, (int, float)) or value is None or value is pd.NA:
        return number(value)
    if hasattr(value, "item"):   # numpy scalars
        return _cell(value.item(), column)
    return MISSING if pd.isna(value) else str(value)


def scroll_region(inner: str, label: str) -> str:
    """``inner`` (a table) in a region named ``label`` that scrolls sideways by keyboard when it
    is wider than the page (a phone), so the page itself never does."""
    return (f'<div class="table-wrap" tabindex="0" role="region" aria-label="{html.escape(label)}">'
            f"{inner}</div>")


def _shown(frame: pd.DataFrame) -> pd.DataFrame:
    """A frame's columns as its table shows them: a meaningful index (not 0, 1, 2...) first."""
    return frame if isinstance(frame.index, pd.RangeIndex) else frame.reset_index()


TEXT_COLUMNS = 12
"""Columns a table can mark as text (``t2`` ... ``t12``: the stylesheet left-aligns them; the first
column always is)."""
_NUMBER_LIKE = re.compile(r"^\(?[-\u2212+]?[£$]?[\d,]+(\.\d+)?(%|bn|m|k)?\)?$|^n/a\b|^$")


def _is_text(column: pd.Series) -> bool:
    """Whether a column reads as text (left-aligned): not numbers, and not numbers already
    formatted as text ("1,090", "-£1.2m", "4.0%", "n/a")."""
    if pd.api.types.is_bool_dtype(column):
        return True
    if pd.api.types.is_numeric_dtype(column):
        return False
    return not all(_NUMBER_LIKE.match(str(v).strip()) for v in column.dropna())


def people_table(frame: pd.DataFrame) -> str:
    """A DataFrame as an HTML table for people (see the module's docstring), wrapped in a region
    that scrolls by keyboard when it is wider than the page."""
    shown = _shown(frame)
    caption = frame.attrs.get("caption", "")
    text = [_is_text(shown[c]) for c in shown.columns]   # text left-aligned, numbers right
    head = "".join(f'<th scope="col">{html.escape(header_words(c))}</th>' for c in shown.columns)
    rows = []
    for values in shown.itertuples(index=False, name=None) if len(shown.columns) else ():
        cells = [html.escape(_cell(v, c)) for v, c in zip(values, shown.columns)]
        first = 'th scope="row"' if not isinstance(frame.index, pd.RangeIndex) else "td"
        rows.append(f"<tr><{first}>{cells[0]}</{first.split()[0]}>"
                    + "".join(f"<td>{c}</td>" for c in cells[1:])
                    + "</tr>")
    title = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    note = (f'<p class="table-note">{html.escape(frame.attrs.get("missing", MISSING_NOTE))}</p>'
            if any(f">{MISSING}</t" in row for row in rows) else "")
    marks = "".join(f" t{i}" for i, t in enumerate(text, start=1) if t and 1 < i <= TEXT_COLUMNS)
    return scroll_region(f'<table class="people{marks}">{title}<thead><tr>{head}</tr></thead>'
                         f'<tbody>{"".join(rows)}</tbody></table>{note}', caption or "Table")


WRITTEN_NUMBER = re.compile(r"^(?P<sign>[-\u2212+]?)(?P<pound>£?)(?P<digits>\d[\d,]*(?:\.\d+)?)"
                            r"(?P<scale>bn|m|k)?(?P<percent>%?)$")
"""A number written for reading: "-£4.12bn", "£564.1m", "35%", "+0.01%", "78,365", "2.5"."""
_SCALES = {"bn": 1e9, "m": 1e6, "k": 1e3, None: 1.0}


def read_number(text) -> tuple[float, str] | None:
    """A number written for reading, read back as ``(value, unit)``: "-£4.12bn" ->
    ``(-4120000000.0, "£")`` (pounds), "35%" -> ``(35.0, "%")`` (percent, not a fraction),
    "78,365" -> ``(78365.0, "")``; None for anything else (words, codes such as "E09000001").
    A value read back is only as precise as it was written."""
    found = WRITTEN_NUMBER.match(str(text).strip())
    if not found or (found["scale"] and not found["pound"]):
        return None
    value = float(found["digits"].replace(",", "")) * _SCALES[found["scale"]]
    value = -value if found["sign"] in ("-", "\u2212") else value
    return value, "£" if found["pound"] else "%" if found["percent"] else ""


def download_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A shown table as its CSV holds it: a meaningful index as its first columns, headers in
    words, and numbers as numbers. A column of numbers written for reading ("-£4.12bn",
    "35.0%", "n/a") becomes numbers in pounds or percent, its header saying which; a column
    named as codes keeps its text; a column mixing words and numbers stays text. Figures are
    rounded by unit (:func:`analysis.report.columns.rounded`)."""
    shown = _shown(frame)
    shown = shown.set_axis([header_words(c) for c in shown.columns], axis=1)
    out = {}
    for column in shown.columns:
        values = shown[column]
        if not pd.api.types.is_numeric_dtype(values) and "code" not in column.lower():
            read = [None if pd.isna(v) or v == MISSING else read_number(v) for v in values]
            units = {r[1] for r in read if r is not None}
            written = [v for v, r in zip(values, read) if r is None and not (pd.isna(v) or v == MISSING)]
            if units and len(units) == 1 and not written:
                unit = units.pop()
                values = pd.Series([r[0] if r else math.nan for r in read], index=values.index)
                column = column if not unit or f"({unit}" in column else f"{column} ({unit})"
        out[column] = values
    return columns.rounded(pd.DataFrame(out, index=shown.index))


def table_download(frame: pd.DataFrame, tables: Path, name: str) -> str:
    """Write ``frame`` as it is shown (:func:`people_table`: a meaningful index as its first
    columns), numbers as numbers (:func:`download_frame`), to ``tables/NAME.csv`` atomically,
    and return the link to it for under its table (``tables/NAME.csv``, beside a report's page)."""
    shown = columns.with_ons_codes(download_frame(frame))
    path = Path(tables) / f"{name}.csv"
    write_table_title(path, title=frame.attrs.get("caption", ""), columns=columns.describe(shown))
    write_csv(shown, path)
    return (f'<p class="table-download"><a href="tables/{html.escape(name)}.csv">Download this '
            f"table (CSV, {len(shown):,} rows)</a></p>")


class _PublishedTables:
    """The formatter of a report's published run: each DataFrame shown becomes a
    :func:`people_table` with its CSV (``STEM_table_NN.csv``, NN counting the tables in the order
    the notebook shows them) written to the run's ``tables/`` and linked under it."""

    def __init__(self, tables: str, stem: str):
        self.tables, self.stem, self.shown = Path(tables), stem, 0

    def __call__(self, frame: pd.DataFrame) -> str:
        self.shown += 1
        name = f"{self.stem}_table_{self.shown:02d}"
        return people_table(frame) + table_download(frame, self.tables, name)


PUBLISHING = False
"""Whether this kernel is a report's publishing run (set by :func:`use_people_tables`): its
pages link a chart's data as ``tables/NAME.csv``; a notebook run by hand links the file it
wrote, relative to the notebook."""


def use_people_tables(tables: str | None = None, stem: str = "") -> None:
    """Show every DataFrame in this IPython kernel as :func:`people_table` (a notebook's
    published run calls it before the first cell); with ``tables`` (a report's ``tables/``
    folder) each is also written there as a CSV named from ``stem`` and linked under its table."""
    from IPython import get_ipython

    global PUBLISHING
    PUBLISHING = tables is not None
    shell = get_ipython()
    if shell is not None:
        formatter = people_table if tables is None else _PublishedTables(tables, stem)
        shell.display_formatter.formatters["text/html"].for_type(pd.DataFrame, formatter)
