"""Pre-commit guard: refuse official data, extracts of it, build outputs and large files.

Usage: ``python scripts/check_no_data.py FILE...`` (pre-commit passes the staged files).
Official files are fetched by ``python -m analysis data fetch``, never committed; hand-made
fixtures for tests belong under ``tests/fixtures/``. Exit 1 naming each refused file and why.
"""

from __future__ import annotations

import sys
from pathlib import Path, PurePosixPath

BUILD_FOLDERS = ("data/raw/", "data/processed/", "reports/", "build/")
DATA_SUFFIXES = {".csv", ".xlsx", ".xls", ".ods", ".parquet", ".zip", ".gz", ".feather"}
ALLOWED_FOLDERS = ("tests/fixtures/", "src/analysis/data/")
ALLOWED_NAMES = {".gitkeep"}
MAX_BYTES = 500_000


def problem(path: str) -> str | None:
    """Why ``path`` (relative to the repository root) may not be committed, or None."""
    posix = PurePosixPath(path).as_posix()
    if PurePosixPath(posix).name in ALLOWED_NAMES:
        return None
    if posix.startswith(BUILD_FOLDERS):
        return "a build output (data/raw, data/processed, reports and build are generated)"
    file = Path(path)
    if file.is_file() and file.stat().st_size > MAX_BYTES:
        return f"larger than {MAX_BYTES:,} bytes"
    if PurePosixPath(posix).suffix.lower() in DATA_SUFFIXES and not posix.startswith(ALLOWED_FOLDERS):
        return "a data file outside tests/fixtures (official data is fetched, not committed)"
    return None


def main(paths: list[str]) -> int:
    refused = {p: why for p in paths if (why := problem(p))}
    for path, why in refused.items():
        print(f"{path}: refused, {why}", file=sys.stderr)
    return 1 if refused else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
