"""Notebooks with their test parameters, for ``pytest --nbval-lax`` (see ``make test``).

nbval executes a notebook as it finds it, so :func:`prepare` writes each publication's notebook
with its ``test_params`` injected by papermill (not executed), ``output_dir`` (where a notebook
has one) inside the destination folder, and a first cell handing the kernel the given settings
(:func:`analysis.publish.executors.kernel_setup_code`), so a test run reads and writes only where it is
told and never touches ``reports/``.
"""

from __future__ import annotations

from pathlib import Path

from analysis.publish import config
from analysis.publish.executors import kernel_setup_code
from analysis.settings import Settings

SETUP_TAG = "analysis-settings"


def prepare(dest: Path, settings: Settings, config_path: Path = config.CONFIG_PATH) -> list[Path]:
    """Write ``DEST/NAME.ipynb`` for every publication in the config; return the paths written."""
    import nbformat
    import papermill

    pipeline = config.load_pipeline(config_path)
    dest = Path(dest).resolve()
    dest.mkdir(parents=True, exist_ok=True)
    written = []
    for pub in pipeline.publications:
        params = config.load_params(pub.test_params) if pub.test_params else {}
        if pub.test_params:
            config.check_parameters(pub, params, pub.test_params)
        if "output_dir" in config.notebook_parameters(pub.notebook):
            params["output_dir"] = str(dest / "outputs" / pub.name)
        target = dest / f"{pub.name}.ipynb"
        nb = papermill.execute_notebook(str(pub.notebook), str(target), prepare_only=True,
                                        kernel_name=pipeline.kernel, progress_bar=False,
                                        parameters=params)
        setup = nbformat.v4.new_code_cell(kernel_setup_code(settings), metadata={"tags": [SETUP_TAG]})
        nb.cells.insert(0, setup)
        nbformat.write(nb, target)
        written.append(target)
    return written
