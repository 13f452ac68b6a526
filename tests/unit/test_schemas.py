import pandas as pd
import pytest

from analysis.tables.schemas import TableValidationError, additivity_failures, validate


def _table(rows):
    frame = pd.DataFrame(rows, columns=["geographic_level", "old_la_code", "year", "measure",
                                        "value", "symbol"])
    for c in ("geographic_level", "old_la_code", "measure", "symbol"):
        frame[c] = frame[c].astype("string")
    frame["year"] = frame["year"].astype("int64")
    frame["value"] = frame["value"].astype("float64")
    return frame


KEYS = ("geographic_level", "old_la_code", "year", "measure")


def test_valid_table_passes():
    table = _table([("National", None, 2022, "n", 3.0, None), ("Local authority", "201", 2022,
                                                                 "n", None, "x")])
    assert validate("t", table, keys=KEYS) is table


@pytest.mark.parametrize("bad_row", [
    ("Local authority", "201", 2022, "n", 1.0, None),   # duplicate key
    ("Local authority", "202", 2022, "n", None, None),  # missing value without a symbol
    ("Local authority", "203", 2022, "n", -1.0, None),  # negative count
    ("Local authority", "204", 1850, "n", 1.0, None),   # impossible year
])
def test_invalid_rows_are_rejected(bad_row):
    table = _table([("Local authority", "201", 2022, "n", 1.0, None), bad_row])
    with pytest.raises(TableValidationError, match="table 't'"):
        validate("t", table, keys=KEYS)


def test_additivity_flags_only_real_mismatches():
    table = _table([
        ("National", None, 2021, "n", 10.0, None),
        ("Local authority", "201", 2021, "n", 4.0, None),
        ("Local authority", "202", 2021, "n", 6.0, None),
        ("National", None, 2022, "n", 10.0, None),
        ("Local authority", "201", 2022, "n", 4.0, None),
        ("Local authority", "202", 2022, "n", 9.0, None),   # 13 != 10
        ("National", None, 2023, "n", 10.0, None),
        ("Local authority", "201", 2023, "n", None, "c"),   # unknowable: skipped
        ("Local authority", "202", 2023, "n", 9.0, None),
        ("Local authority", "201", 2024, "n", 1.0, None),   # no national row: failure
    ])
    failures = additivity_failures(table, measures=["n"], dims=[])
    assert failures["year"].tolist() == [2022, 2024]


def test_reading_tables_does_not_import_pandera():
    """A kernel that only reads tables (every page's) does not pay for pandera's import; the
    first table checked imports it."""
    import subprocess
    import sys

    code = ("import sys, analysis.tables.store, analysis.report.words\n"
            "assert 'pandera' not in sys.modules, 'pandera imported'\n"
            "import pandas as pd\n"
            "from analysis.tables import schemas\n"
            "schemas.validate('t', pd.DataFrame({'year': [2020]}), keys=('year',))\n"
            "assert 'pandera' in sys.modules\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
