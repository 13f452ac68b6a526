"""Execute one parameter set of a publication and render its page, in a worker process.

Two executors behind one interface (:func:`run_task`): ``papermill`` starts a fresh kernel for
each parameter set (papermill's execution, error cells and metadata; right for a report), and
``warm`` keeps one kernel per worker and notebook for every set it is given (right for a page per
LA: imports, data and figures are set up once per kernel). Either way the parameters are
injected as papermill does, the run's settings are handed to the kernel before the first cell
(:func:`kernel_setup_code`, executed silently, so it takes no execution count),
and the executed notebook becomes a page in the set's staging folder, with a provenance footer
listing the source files behind the tables the set read.

Parallel kernels started from one process race for ports (papermill #511), so each worker
process starts its own; a kernel that fails to *start* is retried once. Progress (a message per
finished cell) goes to the queue given to :func:`init_worker`.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from analysis.files import atomic_write, read_table_title, write_table_title, write_text
from analysis.settings import Settings

KERNEL_ARGUMENTS = ["--IPKernelApp.log_level=ERROR", "--HistoryManager.enabled=False"]
"""Quieten the kernel's own start-up warnings (cell errors and output are unaffected), and keep
no input history: a kernel otherwise writes every cell to IPython's history database in a thread
of its own, about a twentieth of the time of a profile page (a page's outputs are unaffected)."""
EXECUTED = "executed.ipynb"
FAILED = "failed.ipynb"
PAGE = "page.html"
OUTPUTS = "outputs"
"""The staged outputs (``figures/``, ``tables/``) a notebook with ``output_dir`` writes."""
PAGE_FILES = "page_files"
"""The staged page's images (``img/NAME.png``), moved beside the page when it is published."""


@dataclass(frozen=True)
class Task:
    """One parameter set to execute and render (everything a worker needs, picklable)."""

    unit: str                 # "NAME" for a report, "NAME/KEY" for a collection page
    notebook: str
    parameters: dict          # injected into the notebook (output_dir included if it has one)
    shown_parameters: dict    # for the footer
    executor: str             # "papermill" or "warm"
    kernel: str
    timeout: int              # seconds per cell
    cwd: str
    settings: str             # Settings JSON, with this set's reads_file (and prepared)
    staging: str              # folder for page.html, executed.ipynb or failed.ipynb
    keep_executed: bool       # write the executed notebook as well as the page
    title: str
    page: str                 # where the page is published, relative to reports/ (html/...)
    provenance: dict          # run_date, commit, versions, command
    show_code: bool
    nav: tuple[tuple[str, str], ...]
    downloads: tuple[tuple[str, str], ...]   # (href from the page, text) linked at its top
    extra_reads: dict = field(default_factory=dict)   # tables read for it elsewhere (prepare)

    @property
    def collection(self) -> bool:
        """Whether it is one page of a collection (its unit is ``NAME/KEY``)."""
        return "/" in self.unit


@dataclass(frozen=True)
class Outcome:
    """What came of one task."""

    unit: str
    ok: bool
    seconds: float
    cells: int
    error: str | None = None
    reads: dict = field(default_factory=dict)
    summary_html: str = ""
    synthetic: tuple[str, ...] = ()


_worker: dict = {"progress": None, "kernels": {}}


def init_worker(queue) -> None:
    """Pool initializer: remember the progress queue, quieten papermill's logging, prepare the
    page exporter, and shut this worker's warm kernels down when it exits."""
    import atexit

    _worker["progress"] = queue
    logging.getLogger("papermill").setLevel(logging.WARNING)
    atexit.register(_stop_kernels)


def _report(*message) -> None:
    if _worker["progress"] is not None:
        _worker["progress"].put(message)


def _describe(exc: Exception) -> str:
    """A failure in words: the failing cell (``In [n]``, its first line) and the error."""
    from nbclient.exceptions import CellExecutionError
    from papermill.exceptions import PapermillExecutionError

    if isinstance(exc, PapermillExecutionError):
        first_line = next((line for line in exc.source.splitlines() if line.strip()), "")
        return f"cell In [{exc.exec_count}] (`{first_line.strip()}`) raised {exc.ename}: {exc.evalue}"
    if isinstance(exc, CellExecutionError):
        return f"{exc.ename}: {exc.evalue}"
    return f"{type(exc).__name__}: {exc}"


def _cell_failure(cell, count: int, exc: Exception) -> str:
    """A failing cell of a warm kernel in the same words as papermill's failures."""
    first_line = next((line for line in cell.source.splitlines() if line.strip()), "")
    return f"cell In [{count}] (`{first_line.strip()}`) raised {_describe(exc)}"


def _setup(client, code: str) -> None:
    """Run ``code`` silently in the client's kernel; raise if it fails."""
    reply = client.wait_for_reply(client.kc.execute(code, silent=True, store_history=False))
    if reply is None or reply["content"]["status"] != "ok":
        content = reply["content"] if reply else {}
        raise RuntimeError(f"the kernel could not take the run's settings: "
                           f"{content.get('ename', 'no reply')}: {content.get('evalue', '')}")


# -- papermill: a fresh kernel per parameter set ------------------------------------------------


def _papermill_engine(unit: str, counter: list[int], setup_code: str):
    """A papermill engine that hands the kernel the run's settings first and reports each
    finished cell (counting them in ``counter``)."""
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, logger

    class SetupClient(PapermillNotebookClient):
        def papermill_execute_cells(self):
            _setup(self, setup_code)
            super().papermill_execute_cells()

    class Engine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, log_output=False, stdout_file=None,
                                     stderr_file=None, start_timeout=60, execution_timeout=None,
                                     **kwargs):
            _report("start", unit, len(nb_man.nb.cells))
            finish = nb_man.cell_complete

            def cell_complete(cell, cell_index=None, **more):
                finish(cell, cell_index=cell_index, **more)
                counter[0] += 1
                _report("cell", unit, counter[0])

            nb_man.cell_complete = cell_complete
            unused = ("input_path", "timeout", "startup_timeout")
            kwargs = {k: v for k, v in kwargs.items() if k not in unused}
            return SetupClient(nb_man, timeout=execution_timeout, startup_timeout=start_timeout,
                               kernel_name=kernel_name, log=logger, log_output=log_output,
                               stdout_file=stdout_file, stderr_file=stderr_file, **kwargs).execute()

    return Engine


def _read_executed(path: Path):
    """The executed notebook as written (pages render from the file, as a reader would open it)."""
    from analysis.publish.pages import read_notebook

    return read_notebook(path)


def _run_papermill(task: Task, setup_code: str):
    """Execute with papermill; returns ``(notebook, cells, error or None)``."""
    import papermill
    from papermill.engines import papermill_engines
    from papermill.exceptions import PapermillExecutionError

    executed = Path(task.staging) / EXECUTED
    for attempt in (1, 2):
        counter = [0]
        name = f"analysis-{task.unit}"
        papermill_engines.register(name, _papermill_engine(task.unit, counter, setup_code))
        try:
            papermill.execute_notebook(task.notebook, str(executed), parameters=task.parameters,
                                            kernel_name=task.kernel, engine_name=name,
                                            execution_timeout=task.timeout, cwd=task.cwd,
                                            progress_bar=False, extra_arguments=KERNEL_ARGUMENTS)
            return _read_executed(executed), counter[0], None
        except Exception as exc:  # noqa: BLE001 - every failure is reported, not raised
            never_ran = counter[0] == 0 and not isinstance(exc, PapermillExecutionError)
            if never_ran and attempt == 1:
                _report("retry", task.unit, _describe(exc))
                continue
            nb = papermill.iorw.load_notebook_node(str(executed)) if executed.is_file() else None
            return nb, counter[0], _describe(exc)
    raise AssertionError("unreachable")


# -- warm: one kernel per worker and notebook ---------------------------------------------------


def _start_kernel(task: Task):
    from jupyter_client.manager import KernelManager

    km = KernelManager(kernel_name=task.kernel)
    km.start_kernel(cwd=task.cwd, extra_arguments=KERNEL_ARGUMENTS)
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=120)
    return km, kc


def notebook_imports(notebook: str) -> str:
    """The top-level import statements of a notebook's code cells, as one block of code (what a
    warm kernel can run before the first page: imports have no effect but loading modules)."""
    import ast

    from papermill.iorw import load_notebook_node

    lines = []
    for cell in load_notebook_node(notebook).cells:
        if cell.cell_type != "code":
            continue
        try:
            tree = ast.parse(cell.source)
        except SyntaxError:
            continue
        lines += [ast.unparse(node) for node in tree.body if isinstance(node, ast.Import | ast.ImportFrom)]
    return "\n".join(dict.fromkeys(lines))


def warm_up(task: Task) -> None:
    """Start this worker's kernel for the task's notebook (if it has none) and run the notebook's
    imports in it, so the first page does not wait for them (called while shared work is
    prepared)."""
    if task.notebook in _worker["kernels"]:
        return
    from nbclient import NotebookClient
    from papermill.iorw import load_notebook_node

    km, kc = _worker["kernels"][task.notebook] = _start_kernel(task)
    client = NotebookClient(load_notebook_node(task.notebook), km=km, kernel_name=task.kernel,
                            timeout=task.timeout)
    client.kc = kc
    _setup(client, notebook_imports(task.notebook))


def _stop_kernels() -> None:
    for km, kc in _worker["kernels"].values():
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    _worker["kernels"].clear()


def _run_warm(task: Task, setup_code: str):
    """Execute in this worker's kernel for the notebook, numbering executions from 1 (so a page
    does not depend on what the kernel ran before); a kernel that died is replaced."""
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, DeadKernelError
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    if task.notebook not in _worker["kernels"]:
        _worker["kernels"][task.notebook] = _start_kernel(task)
    km, kc = _worker["kernels"][task.notebook]
    nb = parameterize_notebook(load_notebook_node(task.notebook), task.parameters,
                               kernel_name=task.kernel, language="python")
    client = NotebookClient(nb, km=km, kernel_name=task.kernel, timeout=task.timeout,
                            record_timing=False, resources={"metadata": {"path": task.cwd}})
    client.kc = kc
    count = 0
    try:
        _setup(client, setup_code)
    except RuntimeError as exc:
        return nb, count, _describe(exc)
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        count += 1
        try:
            client.execute_cell(cell, index, execution_count=count)
        except (CellExecutionError, DeadKernelError, TimeoutError) as exc:
            if isinstance(exc, DeadKernelError):
                del _worker["kernels"][task.notebook]
            return nb, count, _cell_failure(cell, count, exc)
        for output in cell.outputs:
            if "execution_count" in output:
                output["execution_count"] = count
    return nb, count, None


def kernel_setup_code(settings: Settings, tables: str | None = None, stem: str = "") -> str:
    """The statement a publishing executor runs in a kernel, before the notebook, to hand it
    ``settings`` and show its tables for people (:func:`analysis.report.words.use_people_tables`;
    with ``tables``, a report's staged ``tables/`` folder, each table is also written there as
    CSV named from ``stem`` and linked under it), silently: it takes no execution count and
    leaves no output."""
    return ("import analysis.settings as _analysis_settings\n"
            f"_analysis_settings.use(_analysis_settings.Settings.from_json({settings.to_json()!r}))\n"
            "import analysis.report.words as _analysis_words\n"
            f"_analysis_words.use_people_tables({tables!r}, {stem!r})\n"
            "del _analysis_settings, _analysis_words")


# -- the interface --------------------------------------------------------------------------------


def run_task(task: Task) -> Outcome:
    """Execute ``task`` and write its page (and executed notebook) into its staging folder; on
    failure write the partial notebook as ``failed.ipynb`` there and return the error."""
    import nbformat

    from analysis.publish import pages

    started = time.perf_counter()
    settings = Settings.from_json(task.settings)
    if settings.reads_file is not None:
        settings.reads_file.unlink(missing_ok=True)
    staging = Path(task.staging)
    tables = None if task.collection else str(staging / OUTPUTS / "tables")
    setup_code = kernel_setup_code(settings, tables, Path(task.page).stem)
    run = _run_warm if task.executor == "warm" else _run_papermill
    nb, cells, error = run(task, setup_code)
    if error is not None:
        executed = staging / EXECUTED
        if nb is not None:
            atomic_write(staging / FAILED, partial(nbformat.write, nb))
        executed.unlink(missing_ok=True)
        return Outcome(task.unit, False, time.perf_counter() - started, cells, error)
    if task.keep_executed and task.executor == "warm":
        atomic_write(staging / EXECUTED, partial(nbformat.write, nb))
    elif not task.keep_executed:
        (staging / EXECUTED).unlink(missing_ok=True)
    if tables is not None:
        _file_tables(nb, Path(tables), Path(task.page).stem)
    reads = {**task.extra_reads, **_reads(settings)}
    provenance = {**task.provenance, "parameters": task.shown_parameters,
                  **page_sources(reads, task.extra_reads if task.collection else {}, settings)}
    pages.prepare_exporter(task.show_code)
    write_page(staging / PAGE, staging / PAGE_FILES, task.page,
               pages.notebook_page(nb, task.title, provenance, show_code=task.show_code,
                                   nav=task.nav, root=pages.site_root(task.page),
                                   downloads=_published_downloads(task)))
    return Outcome(task.unit, True, time.perf_counter() - started, cells, reads=reads,
                   summary_html=pages.summary_html(nb), synthetic=tuple(pages.synthetic_reasons(nb)))


def _file_tables(nb, tables: Path, stem: str) -> None:
    """Keep the CSVs of the tables a report's page shows (:func:`analysis.report.words.
    table_download`), each titled by the table's caption in ``NAME.json`` beside it (its sheet's
    title in the report's spreadsheet; a chart's CSV has one from
    :func:`analysis.report.plotting.write_table`); delete those of tables shown only in
    JupyterLab (cells the page leaves out)."""
    from analysis.publish import pages

    published = pages.table_csvs(nb)
    for path in sorted(tables.glob(f"{stem}_table_*.csv")):
        caption = published.get(path.stem)
        if caption is None:
            path.unlink()
        elif caption:
            write_table_title(path, **{**read_table_title(path), "title": caption})


def _published_downloads(task: Task) -> tuple[tuple[str, str], ...]:
    """The task's download links, less a report's spreadsheet when it published no table (its
    workbook is made from its tables)."""
    if task.collection:   # its index always gives a workbook
        return task.downloads
    tables = Path(task.staging) / OUTPUTS / "tables"
    return task.downloads if tables.is_dir() and any(tables.glob("*.csv")) else ()


def write_page(path: Path, folder: Path, page: str, html: str) -> list[str]:
    """Write a page to ``path`` with its images as files under ``folder`` (each atomically, the
    page last); returns the images' paths relative to ``folder``, as they are named in the page.
    ``page`` is where the page is published (its name names the images)."""
    from analysis.publish import pages

    html, images = pages.page_images(html, Path(page).stem)
    for name, data in images.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        atomic_write(folder / name, lambda tmp, data=data: tmp.write_bytes(data))
    write_text(path, html)
    return sorted(images)


def _reads(settings: Settings) -> dict:
    path = settings.reads_file
    return json.loads(path.read_text()) if path is not None and path.is_file() else {}


def page_sources(reads: dict, shared: dict, settings: Settings) -> dict:
    """A page's ``sources`` for its footer. A collection's page names the files of its
    collection's ``shared`` reads (listed in its index's footer) by count as ``shared_sources``
    and lists only the files it read besides them: 153 profiles do not repeat one table."""
    listed = {s["sha256"] for s in sources_for_reads(shared, settings)}
    sources = [s for s in sources_for_reads(reads, settings) if s["sha256"] not in listed]
    return {"sources": sources, **({"shared_sources": len(listed)} if listed else {})}


def sources_for_reads(reads: dict, settings: Settings) -> list[dict]:
    """The source files behind the tables read, for a footer (see
    :func:`analysis.tables.store.sources_of`)."""
    from analysis.sources.catalogue import catalogue_for
    from analysis.tables.store import sources_of

    return sources_of(reads, catalogue_for(settings))


def worker_pool(jobs: int):
    """``jobs`` spawned worker processes and the queue they report progress on."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    return ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=init_worker,
                               initargs=(queue,)), queue
