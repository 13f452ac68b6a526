"""Notebooks with their test parameters, for ``pytest --nbval-lax`` (see ``make test``).

nbval executes a notebook as it finds it, so :func:`prepare` writes each pipeline notebook with
its ``test_params`` injected by papermill (not executed) and ``output_dir`` pointing inside the
destination folder, so that a test run never touches ``reports/``; the profile notebook (which
writes no files) gets its test parameters only.
"""

from __future__ import annotations

from pathlib import Path

from analysis.pipeline import config


def prepare(dest: Path, config_path: Path = config.CONFIG_PATH) -> list[Path]:
    """Write ``DEST/NAME.ipynb`` for every notebook in the config (the profile notebook
    included); return the paths written."""
    import papermill

    pipeline = config.load_pipeline(config_path)
    dest = Path(dest).resolve()
    dest.mkdir(parents=True, exist_ok=True)
    written = []
    specs = list(pipeline.notebooks) + ([pipeline.profiles] if pipeline.profiles else [])
    for spec in specs:
        params = config.load_params(spec.test_params) if spec.test_params else {}
        if spec.test_params:
            config.check_parameters(spec, params, spec.test_params)
        if spec is not pipeline.profiles:
            params["output_dir"] = str(dest / "outputs" / spec.name)
        target = dest / f"{spec.name}.ipynb"
        papermill.execute_notebook(str(spec.notebook), str(target), prepare_only=True,
                                   kernel_name=pipeline.kernel, progress_bar=False,
                                   parameters=params)
        written.append(target)
    return written
