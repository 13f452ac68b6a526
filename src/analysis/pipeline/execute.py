"""Execute one notebook with papermill, in a worker process of the pipeline.

Each notebook runs in its own kernel, started by its own worker process (parallel kernels started
from one process race for ports: papermill #511). A kernel that fails to *start* is retried once;
a failing *cell* is reported with its execution count, first source line and error.
Progress (one message per finished cell) goes to the queue given to :func:`init_worker`.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

_progress = None
KERNEL_ARGUMENTS = ["--IPKernelApp.log_level=ERROR"]
"""Quieten the kernel's own start-up warnings (cell errors and output are unaffected)."""


@dataclass(frozen=True)
class Outcome:
    """What came of executing one notebook."""

    name: str
    ok: bool
    seconds: float
    cells: int
    error: str | None = None


def init_worker(queue) -> None:
    """Pool initializer: remember the progress queue and quieten papermill's info logging."""
    global _progress
    _progress = queue
    logging.getLogger("papermill").setLevel(logging.WARNING)


def _report(*message) -> None:
    if _progress is not None:
        _progress.put(message)


def _engine(name: str, counter: list[int]):
    """A papermill engine that reports each finished cell (and counts them in ``counter``)."""
    from papermill.engines import NBClientEngine

    class ReportingEngine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, **kwargs):
            total = len(nb_man.nb.cells)
            _report("start", name, total)
            finish = nb_man.cell_complete

            def cell_complete(cell, cell_index=None, **more):
                finish(cell, cell_index=cell_index, **more)
                counter[0] += 1
                _report("cell", name, counter[0])

            nb_man.cell_complete = cell_complete
            return super().execute_managed_notebook(nb_man, kernel_name, **kwargs)

    return ReportingEngine


def _describe(exc: Exception) -> str:
    from papermill.exceptions import PapermillExecutionError

    if isinstance(exc, PapermillExecutionError):
        first_line = next((line for line in exc.source.splitlines() if line.strip()), "")
        return (f"cell In [{exc.exec_count}] (`{first_line.strip()}`) raised "
                f"{exc.ename}: {exc.evalue}")
    return f"{type(exc).__name__}: {exc}"


def execute(name: str, notebook: str, output: str, parameters: dict, kernel: str,
            timeout: int, cwd: str) -> Outcome:
    """Run ``notebook`` with ``parameters`` into ``output`` (the partial notebook on failure)."""
    import papermill
    from papermill.engines import papermill_engines
    from papermill.exceptions import PapermillExecutionError

    started = time.perf_counter()
    attempts = 0
    while True:
        attempts += 1
        counter = [0]
        engine_name = f"analysis-{name}"
        papermill_engines.register(engine_name, _engine(name, counter))
        try:
            papermill.execute_notebook(notebook, output, parameters=parameters, kernel_name=kernel,
                                       engine_name=engine_name, execution_timeout=timeout,
                                       cwd=cwd, progress_bar=False, extra_arguments=KERNEL_ARGUMENTS)
        except Exception as exc:  # noqa: BLE001 - every failure is reported, not raised
            kernel_never_ran = counter[0] == 0 and not isinstance(exc, PapermillExecutionError)
            if kernel_never_ran and attempts == 1:
                _report("retry", name, _describe(exc))
                continue
            return Outcome(name, False, time.perf_counter() - started, counter[0], _describe(exc))
        return Outcome(name, True, time.perf_counter() - started, counter[0])
