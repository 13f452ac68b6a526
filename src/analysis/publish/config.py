"""The pipeline config (``notebooks/pipeline.yaml``): publications and their parameter files.

A *publication* is a notebook times a list of parameter sets. A report is one set (its ``params``
file); a collection names an ``each`` hook that returns the sets (one per LA for the profiles),
and may name a ``prepare`` hook that builds shared work once for every page and an ``index``
hook that gives its index page's table. Hooks are ``module:function`` names, imported only when
a run needs them. Output names derive from the publication and its parameters: a report's page
is ``html/NAME.html``, a collection's pages ``html/NAME/KEY.html``.

Parameter files are YAML mappings. Codes and periods must be quoted so that they stay text
(``la_code: "940"``, not ``la_code: 940``, which YAML reads as a number and papermill would
inject as one): any parameter whose name ends in ``_code``, ``_codes`` or ``_period`` must be
text, a list of text, or null.
"""

from __future__ import annotations

import ast
import importlib
import json
import posixpath
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

from analysis.errors import UsageError
from analysis.settings import PROJECT_ROOT, SITE

CONFIG_PATH = PROJECT_ROOT / "notebooks" / "pipeline.yaml"
RESERVED_PARAMETERS = ("output_dir",)
"""Parameters the pipeline sets itself: where the notebook writes figures/ and tables/."""
EXECUTORS = ("papermill", "warm")


def href(page: str, target: str) -> str:
    """The link from a page to another file of the site, both relative to ``reports/``
    (``href("html/profiles/886.html", "html/downloads/profiles.xlsx")`` is
    ``"../downloads/profiles.xlsx"``)."""
    return posixpath.relpath(target, posixpath.dirname(page))

_TEXT_SUFFIXES = ("_code", "_codes", "_period")
_KEYS = {"name", "title", "notebook", "params", "test_params", "needs", "each", "prepare", "index",
         "index_link", "executor"}


class ConfigError(UsageError):
    """The pipeline config or a parameter file is invalid; the message names the file and key."""


@dataclass(frozen=True)
class Publication:
    """One publication of the pipeline, with paths resolved. ``title`` may use the labels of a
    collection's parameter sets (``{name}``, ``{code}`` for the profiles)."""

    name: str
    title: str
    notebook: Path
    params: Path | None = None
    test_params: Path | None = None
    needs: tuple[str, ...] = ()
    each: str | None = None
    prepare: str | None = None
    index: str | None = None
    index_link: str = "All pages"
    executor: str = "papermill"

    @property
    def collection(self) -> bool:
        """Whether it publishes one page per parameter set (``each``) rather than one report."""
        return self.each is not None

    def workbook(self) -> str:
        """Where its spreadsheet of every table goes (relative to ``reports/``)."""
        return f"{SITE}/downloads/{self.name}.xlsx"

    def page(self, key: str | None) -> str:
        """The page of a parameter set, relative to the reports folder."""
        return f"{SITE}/{self.name}/{key}.html" if self.collection else f"{SITE}/{self.name}.html"


@dataclass(frozen=True)
class Pipeline:
    """The whole config: kernel, per-cell timeout (seconds), the publications in order and the
    site's contact (an email address or web page; empty until the publisher sets it)."""

    path: Path
    kernel: str
    execution_timeout: int
    publications: tuple[Publication, ...]
    contact: str = ""

    def get(self, name: str) -> Publication:
        """The publication called ``name`` (its notebook's file name, with or without
        ``.ipynb``, also works)."""
        wanted = Path(name).name.removesuffix(".ipynb")
        for pub in self.publications:
            if wanted in (pub.name, pub.notebook.stem):
                return pub
        known = ", ".join(p.name for p in self.publications)
        raise ConfigError(f"{self.path}: no publication called {name!r} (known: {known})")

    def select(self, names: list[str] | None) -> list[Publication]:
        """The named publications plus everything they need, in config order (default: all)."""
        if not names:
            return list(self.publications)
        wanted: set[str] = set()
        stack = [self.get(n).name for n in names]
        while stack:
            name = stack.pop()
            if name not in wanted:
                wanted.add(name)
                stack.extend(self.get(name).needs)
        return [p for p in self.publications if p.name in wanted]


def _read_yaml(path: Path) -> object:
    try:
        with open(path, encoding="utf-8") as handle:
            return yaml.safe_load(handle)
    except FileNotFoundError:
        raise ConfigError(f"{path}: file not found") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML: {exc}") from None


def _is_text(value: object) -> bool:
    if value is None or isinstance(value, str):
        return True
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def load_params(path: Path | str) -> dict:
    """A parameter file as a dict, checked: a mapping, no reserved names, codes and periods text."""
    path = Path(path)
    params = _read_yaml(path)
    if params is None:
        return {}
    if not isinstance(params, dict):
        raise ConfigError(f"{path}: expected a mapping of parameter names to values")
    for name, value in params.items():
        if name in RESERVED_PARAMETERS:
            raise ConfigError(f"{path}: parameter {name!r} is set by the pipeline; remove it")
        if str(name).endswith(_TEXT_SUFFIXES) and not _is_text(value):
            raise ConfigError(f"{path}: parameter {name!r} is {value!r} ({type(value).__name__}); "
                              f"codes and periods must be quoted text, e.g. {name}: \"{value}\"")
    return params


FILE_SUFFIXES = ("_figures", "_file")
"""A parameter whose name ends so names a file of figures given for the run (an LA's own, say):
a path, absolute or relative to the notebooks' folder (where notebooks run). The run hashes it
(a changed file re-runs what uses it) and each page's provenance names it."""


def given_files(params: dict, base: Path, source: Path | str) -> dict[str, Path]:
    """The files ``params`` names (see :data:`FILE_SUFFIXES`), by parameter, resolved against
    ``base``; a named file that does not exist is refused, naming ``source`` and the parameter."""
    out = {}
    for name, value in sorted(params.items()):
        if not str(name).endswith(FILE_SUFFIXES) or value is None:
            continue
        path = (Path(base) / str(value)).resolve()
        if not isinstance(value, str) or not path.is_file():
            raise ConfigError(f"{source}: parameter {name!r}: {value!r} is not a file (a path, "
                              f"absolute or relative to {base})")
        out[name] = path
    return out


def notebook_parameters(notebook: Path) -> tuple[str, ...]:
    """The names assigned in a notebook's cell tagged ``parameters`` (read, not executed)."""
    try:
        cells = json.loads(Path(notebook).read_text(encoding="utf-8"))["cells"]
    except (OSError, ValueError, KeyError) as exc:
        raise ConfigError(f"{notebook}: not a readable notebook ({exc})") from None
    tagged = [c for c in cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    if len(tagged) != 1:
        raise ConfigError(f"{notebook}: expected exactly one cell tagged 'parameters', found {len(tagged)}")
    source = "".join(tagged[0]["source"])
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        raise ConfigError(f"{notebook}: the parameters cell is not valid Python ({exc})") from None
    return tuple(target.id for node in tree.body if isinstance(node, ast.Assign | ast.AnnAssign)
                 for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
                 if isinstance(target, ast.Name))


def check_parameters(pub: Publication, params: dict, source: Path | str) -> None:
    """Every parameter in ``params`` (read from ``source``) must be one the notebook declares."""
    declared = notebook_parameters(pub.notebook)
    unknown = [name for name in params if name not in declared]
    if unknown:
        raise ConfigError(f"{source}: {pub.name} has no parameter {', '.join(map(repr, unknown))} "
                          f"(its parameters: {', '.join(declared)})")


def hook(reference: str) -> Callable:
    """The function a config names as ``module:function``."""
    module, _, function = reference.partition(":")
    try:
        return getattr(importlib.import_module(module), function)
    except (ImportError, AttributeError) as exc:
        raise ConfigError(f"hook {reference!r} cannot be imported ({exc})") from None


def _text(raw: dict, key: str, where: str) -> str | None:
    value = raw.get(key)
    if value is not None and not isinstance(value, str):
        raise ConfigError(f"{where}: {key!r} must be text")
    return value


def _publication(raw: object, n: int, root: Path, path: Path) -> Publication:
    where = f"{path}: publications[{n}]"
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: expected a mapping")
    unknown = set(raw) - _KEYS
    if unknown:
        raise ConfigError(f"{where}: unknown keys {sorted(unknown)} (allowed: {sorted(_KEYS)})")
    for key in ("name", "title", "notebook"):
        if not raw.get(key):
            raise ConfigError(f"{where}: {key!r} is required")
    notebook = root / raw["notebook"]
    if not notebook.is_file():
        raise ConfigError(f"{where}: notebook {notebook} not found")
    files = {key: root / raw[key] if raw.get(key) else None for key in ("params", "test_params")}
    for key, file in files.items():
        if file is not None and not file.is_file():
            raise ConfigError(f"{where}: {key} file {file} not found")
    needs = raw.get("needs") or []
    if not isinstance(needs, list) or not all(isinstance(v, str) for v in needs):
        raise ConfigError(f"{where}: 'needs' must be a list of publication names")
    hooks = {key: _text(raw, key, where) for key in ("each", "prepare", "index")}
    for key, value in hooks.items():
        if value is not None and ":" not in value:
            raise ConfigError(f"{where}: {key!r} must name a function as module:function, not {value!r}")
    if (hooks["prepare"] or hooks["index"]) and not hooks["each"]:
        raise ConfigError(f"{where}: 'prepare' and 'index' are for collections (with 'each')")
    if hooks["each"] and files["params"]:
        raise ConfigError(f"{where}: a collection takes its parameters from 'each', not a params file")
    executor = raw.get("executor") or ("warm" if hooks["each"] else "papermill")
    if executor not in EXECUTORS:
        raise ConfigError(f"{where}: executor {executor!r} is not one of {EXECUTORS}")
    link = _text(raw, "index_link", where)
    if link and not hooks["each"]:
        raise ConfigError(f"{where}: 'index_link' is for collections (with 'each')")
    return Publication(name=str(raw["name"]), title=str(raw["title"]), notebook=notebook,
                       params=files["params"], test_params=files["test_params"], needs=tuple(needs),
                       executor=executor, index_link=link or "All pages", **hooks)


def load_pipeline(path: Path | str = CONFIG_PATH) -> Pipeline:
    """Read and check the pipeline config: unique names, known needs listed earlier, hooks."""
    path = Path(path).resolve()
    raw = _read_yaml(path)
    if not isinstance(raw, dict) or not isinstance(raw.get("publications"), list):
        raise ConfigError(f"{path}: expected a mapping with a 'publications' list")
    pubs = tuple(_publication(item, n, path.parent, path) for n, item in enumerate(raw["publications"]))
    names = [p.name for p in pubs]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise ConfigError(f"{path}: publication names repeated: {repeated}")
    for position, pub in enumerate(pubs):
        earlier = set(names[:position])
        for need in pub.needs:
            if need not in earlier:
                raise ConfigError(f"{path}: {pub.name} needs {need!r}, which is not listed before it")
    timeout = raw.get("execution_timeout", 600)
    if not isinstance(timeout, int) or timeout <= 0:
        raise ConfigError(f"{path}: execution_timeout must be a positive number of seconds")
    unknown = set(raw) - {"kernel", "execution_timeout", "publications", "site"}
    if unknown:
        raise ConfigError(f"{path}: unknown keys {sorted(unknown)}")
    site = raw.get("site") or {}
    if not isinstance(site, dict) or set(site) - {"contact"} or not isinstance(site.get("contact", ""), str):
        raise ConfigError(f"{path}: site must be a mapping with an optional 'contact' text "
                          "(an email address or web page)")
    return Pipeline(path=path, kernel=str(raw.get("kernel", "python3")), execution_timeout=timeout,
                    publications=pubs, contact=site.get("contact", "").strip())
