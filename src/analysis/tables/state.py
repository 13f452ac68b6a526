"""The build records of the processed tables (``_build_state.json``), readable without pandas.

One record per table: ``key`` (the content hash of its inputs, see :func:`.build.input_key`),
``sha256`` of the parquet file written, ``rows`` and ``years``. The publishing layer reads them
to tell, cheaply, whether a table a page read last time has changed.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from analysis.files import atomic_write

log = logging.getLogger(__name__)

STATE_FILE = "_build_state.json"


def read_state(processed_dir: Path) -> dict:
    """The build records, ``{table id: {"key", "sha256", "rows", "years"}}`` ({} before any)."""
    path = Path(processed_dir) / STATE_FILE
    if not path.exists():
        return {}
    try:
        return json.loads(path.read_text())
    except json.JSONDecodeError:
        log.warning("%s is not valid JSON: every table will be rebuilt", path)
        return {}


def write_state(processed_dir: Path, state: dict) -> None:
    text = json.dumps(state, indent=2, sort_keys=True) + "\n"
    atomic_write(Path(processed_dir) / STATE_FILE, lambda p: p.write_text(text))


def table_path(table_id: str, processed_dir: Path) -> Path:
    """Where a processed table's parquet file lives."""
    return Path(processed_dir) / f"{table_id}.parquet"


def table_shas(processed_dir: Path) -> dict[str, str | None]:
    """``{table id: sha256 of its parquet file as last built}``."""
    return {t: e.get("sha256") for t, e in read_state(processed_dir).items()}
