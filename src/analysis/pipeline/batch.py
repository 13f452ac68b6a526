"""Execute one notebook for many parameter sets and publish a page for each, with warm kernels.

For a notebook rendered many times (the local area profiles: one per LA), starting a kernel,
importing the libraries and loading the data for every page costs far more than the page. Here
each worker process keeps one kernel for all its pages: per page, the parameters are injected as
papermill would (:func:`papermill.parameterize.parameterize_notebook`), the cells are executed in
the warm kernel with execution counts numbered from 1 (so a page does not depend on what the
kernel ran before), and the page is rendered in the worker by :func:`.publish.render_report`.
Pages go to a staging folder; failures keep their partial notebook. Worker processes import
only what executing and rendering need.
"""

from __future__ import annotations

import copy
import os
import time
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from analysis.files import atomic_write


@dataclass(frozen=True)
class BatchJob:
    """What every worker needs, sent once when it starts."""

    notebook: object            # the notebook (nbformat node read by papermill), unexecuted
    kernel: str
    timeout: int                # seconds per cell
    cwd: str                    # the kernels' working folder
    env: dict                   # extra environment variables for the kernels
    warm_up: str                # code run once in each new kernel (imports)
    staging: str                # folder for the pages: KEY.html
    failed_dir: str             # folder for KEY.failed.ipynb
    provenance: dict            # for the footer, without parameters
    show_code: bool
    nav: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Page:
    """One page to render: file name ``key``.html, the notebook's parameters and the title."""

    key: str
    parameters: dict
    title: str


_worker: dict = {}


def _start_kernel(job: BatchJob):
    from jupyter_client.manager import KernelManager

    from analysis.pipeline.execute import KERNEL_ARGUMENTS

    km = KernelManager(kernel_name=job.kernel)
    km.start_kernel(cwd=job.cwd, extra_arguments=KERNEL_ARGUMENTS, env={**os.environ, **job.env})
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=120)
    if job.warm_up:
        kc.execute_interactive(job.warm_up, timeout=300)
    return km, kc


def _stop_kernel() -> None:
    _worker["kc"].stop_channels()
    _worker["km"].shutdown_kernel(now=True)


def init_worker(job: BatchJob) -> None:
    """Pool initializer: start this worker's kernel and compile the page template."""
    import atexit

    from analysis.pipeline import publish

    _worker["job"] = job
    _worker["km"], _worker["kc"] = _start_kernel(job)
    publish.prepare_exporter(job.show_code)
    atexit.register(_stop_kernel)


def _execute(nb, job: BatchJob) -> None:
    """Run every code cell of ``nb`` in the worker's kernel, numbering executions from 1."""
    from nbclient import NotebookClient

    client = NotebookClient(nb, km=_worker["km"], kernel_name=job.kernel, timeout=job.timeout,
                            record_timing=False, resources={"metadata": {"path": job.cwd}})
    client.kc = _worker["kc"]
    count = 0
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        count += 1
        client.execute_cell(cell, index, execution_count=count)
        for output in cell.outputs:
            if "execution_count" in output:
                output["execution_count"] = count


def render_page(page: Page) -> tuple[str, str | None, float]:
    """Execute and publish one page into the staging folder; returns ``(key, error or None,
    seconds)``. A kernel that died is replaced for the next page."""
    import nbformat
    from nbclient.exceptions import CellExecutionError, DeadKernelError
    from papermill.parameterize import parameterize_notebook

    from analysis.pipeline import publish

    job: BatchJob = _worker["job"]
    started = time.perf_counter()
    nb = parameterize_notebook(copy.deepcopy(job.notebook), page.parameters,
                               kernel_name=job.kernel, language="python")
    try:
        _execute(nb, job)
    except (CellExecutionError, DeadKernelError, TimeoutError) as exc:
        if isinstance(exc, DeadKernelError):
            _worker["km"], _worker["kc"] = _start_kernel(job)
        failed = Path(job.failed_dir) / f"{page.key}.failed.ipynb"
        failed.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(failed, partial(nbformat.write, nb))
        lines = str(exc).strip().splitlines()
        message = f"{type(exc).__name__}: {lines[-1] if lines else ''} (partial notebook: {failed})"
        return page.key, message, time.perf_counter() - started
    html = publish.render_report(nb, page.title, {**job.provenance, "parameters": page.parameters},
                                 show_code=job.show_code, nav=job.nav)
    atomic_write(Path(job.staging) / f"{page.key}.html",
                 partial(Path.write_text, data=html, encoding="utf-8"))
    return page.key, None, time.perf_counter() - started


@contextmanager
def pool(jobs: int, job: BatchJob):
    """``jobs`` worker processes (spawned), each with its own kernel starting at once.

    Leaving the block normally lets the workers exit and shut their kernels down; on an error
    the workers are terminated and their kernels, which watch their parent, exit too.
    """
    import multiprocessing

    workers = multiprocessing.get_context("spawn").Pool(jobs, initializer=init_worker,
                                                        initargs=(job,))
    try:
        yield workers
    except BaseException:
        workers.terminate()
        raise
    workers.close()
    workers.join()
