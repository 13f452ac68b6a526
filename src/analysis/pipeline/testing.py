"""Notebooks with their test parameters, for ``pytest --nbval-lax`` (see ``make test``).

nbval executes a notebook as it finds it, so :func:`prepare` writes each pipeline notebook with
its ``test_params`` injected by papermill (not executed) and ``output_dir`` pointing inside the
destination folder, so that a test run never touches ``reports/``.
"""

from __future__ import annotations

from pathlib import Path

from analysis.pipeline import config


def prepare(dest: Path, config_path: Path = config.CONFIG_PATH) -> list[Path]:
    """Write ``DEST/NAME.ipynb`` for every notebook in the config; return the paths written."""
    import papermill

    pipeline = config.load_pipeline(config_path)
    dest = Path(dest).resolve()
    dest.mkdir(parents=True, exist_ok=True)
    written = []
    for spec in pipeline.notebooks:
        params = config.load_params(spec.test_params) if spec.test_params else {}
        if spec.test_params:
            config.check_parameters(spec, params, spec.test_params)
        target = dest / f"{spec.name}.ipynb"
        output_dir = dest / "outputs" / spec.name
        papermill.execute_notebook(str(spec.notebook), str(target), prepare_only=True,
                                   kernel_name=pipeline.kernel, progress_bar=False,
                                   parameters={**params, "output_dir": str(output_dir)})
        written.append(target)
    return written
