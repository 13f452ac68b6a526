"""Where the project keeps its files, whatever the current working directory.

Papermill runs notebooks in the invoker's cwd and nbval in the notebook's folder, so every
path is resolved from the project root (the folder holding ``pyproject.toml``), found by
walking up from this file; ``ANALYSIS_PROJECT_ROOT`` overrides it.
"""

from __future__ import annotations

import os
from pathlib import Path

MIRROR_ENV = "ANALYSIS_DATA_MIRROR"
"""Environment variable naming a local folder laid out like ``../shared/data``."""


def _find_root() -> Path:
    override = os.environ.get("ANALYSIS_PROJECT_ROOT")
    if override:
        return Path(override).resolve()
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "pyproject.toml").is_file():
            return parent
    # Installed without a source tree: work in the current directory.
    return Path.cwd().resolve()


PROJECT_ROOT = _find_root()
DATA_DIR = PROJECT_ROOT / "data"
RAW_DIR = DATA_DIR / "raw"
PROCESSED_DIR = DATA_DIR / "processed"
REPORTS_ENV = "ANALYSIS_REPORTS_DIR"
REPORTS_DIR = Path(os.environ.get(REPORTS_ENV) or PROJECT_ROOT / "reports").resolve()
"""Published outputs; ``ANALYSIS_REPORTS_DIR`` overrides it (the pipeline sets it for its kernels,
so a notebook reads the outputs of the notebooks it needs from wherever the run publishes)."""


def mirror_dir(explicit: str | os.PathLike | None = None) -> Path | None:
    """The local data mirror: ``explicit`` if given, else ``$ANALYSIS_DATA_MIRROR``, else None."""
    value = explicit if explicit is not None else os.environ.get(MIRROR_ENV)
    if not value:
        return None
    return Path(value).expanduser().resolve()
