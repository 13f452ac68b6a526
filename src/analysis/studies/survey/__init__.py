"""The LA high needs survey: codebook, returns files, validation, a synthetic sample, scale-up,
projection, representativeness and coding of free text.

Modules: :mod:`.codebook` (questions), :mod:`.money` (typed amounts), :mod:`.returns`
(template, loaders), :mod:`.validate` (cleaning and the per-cell report), :mod:`.frame` (the LAs
and the sampling frame with auxiliaries), :mod:`.synthetic` (SYNTHETIC returns calibrated to the
published interim aggregates), :mod:`.summaries`, :mod:`.estimators`, :mod:`.projection`,
:mod:`.response`, :mod:`.themes` and :mod:`.figures`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.settings import PROJECT_ROOT
from analysis.studies.survey import frame, returns, synthetic, validate
from analysis.studies.survey.codebook import Codebook, fy_end_year, load_codebook
from analysis.tables import store


@dataclass
class Survey:
    """Raw and cleaned returns, the codebook, the frame and whether the returns are synthetic."""

    codebook: Codebook
    raw: pd.DataFrame
    cleaned: validate.CleanedReturns
    frame: pd.DataFrame
    la_frame: pd.DataFrame   # the LAs of the survey's last year (see frame.la_frame)
    synthetic: bool
    source: str


def load(survey_path: str | Path | None = None, mapping_path: str | Path | None = None, *,
         years=None, n: int = 73, seed: int = 2018) -> Survey:
    """Load, validate and clean returns: a filled template (CSV/XLSX), a platform export with a
    mapping file, or, when ``survey_path`` is None, the SYNTHETIC sample for ``n`` and ``seed``.
    A file whose name contains SYNTHETIC is treated as synthetic too. Relative paths are taken from
    the project root (so a notebook finds them wherever it runs)."""
    codebook = load_codebook(years)
    areas = frame.sampling_frame(codebook.years)
    if survey_path is None:
        raw, is_synthetic = synthetic.synthesise(codebook, n=n, seed=seed, sampling_frame=areas), True
        source = f"SYNTHETIC sample (n={n}, seed={seed})"
    else:
        path = Path(survey_path) if Path(survey_path).is_absolute() else PROJECT_ROOT / survey_path
        mapping_path = mapping_path and (Path(mapping_path) if Path(mapping_path).is_absolute()
                                         else PROJECT_ROOT / mapping_path)
        raw = (returns.load_export(path, Path(mapping_path), codebook) if mapping_path
               else returns.load_template(path, codebook))
        is_synthetic, source = "SYNTHETIC" in path.name.upper(), path.name
    las = frame.survey_las(store.load("la_lookup"), codebook.years)
    cleaned = validate.clean_returns(raw, codebook, las)
    la_frame = frame.la_frame(areas, las, fy_end_year(codebook.years[-1]))
    return Survey(codebook=codebook, raw=raw, cleaned=cleaned, frame=areas, la_frame=la_frame,
                  synthetic=is_synthetic, source=source)
