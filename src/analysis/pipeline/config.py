"""The pipeline config (``notebooks/pipeline.yaml``) and the parameter files it names.

The config lists the notebooks in order, each with its parameter files, the processed tables it
reads and the outputs it writes; see the comments at the top of ``notebooks/pipeline.yaml``.
Parameter files are YAML mappings. Codes and periods must be quoted so that they stay text
(``la_code: "940"``, not ``la_code: 940``, which YAML reads as a number and papermill would
inject as one): any parameter whose name ends in ``_code``, ``_codes`` or ``_period`` must be
text, a list of text, or null.
"""

from __future__ import annotations

import ast
import fnmatch
import json
from dataclasses import dataclass
from pathlib import Path

import yaml

from analysis.paths import PROJECT_ROOT

CONFIG_PATH = PROJECT_ROOT / "notebooks" / "pipeline.yaml"
RESERVED_PARAMETERS = ("output_dir",)
"""Parameters the pipeline sets itself: where the notebook writes figures/ and tables/."""

_TEXT_SUFFIXES = ("_code", "_codes", "_period")
_NOTEBOOK_KEYS = {"name", "title", "notebook", "params", "test_params", "tables", "outputs", "needs"}


class ConfigError(ValueError):
    """The pipeline config or a parameter file is invalid; the message names the file and key."""


@dataclass(frozen=True)
class NotebookSpec:
    """One notebook of the pipeline, with paths resolved to absolute ones."""

    name: str
    title: str
    notebook: Path
    params: Path | None
    test_params: Path | None
    tables: tuple[str, ...]
    outputs: tuple[str, ...]
    needs: tuple[str, ...]

    def produces(self, relative_path: str) -> bool:
        """Whether a path relative to reports/ (e.g. ``figures/x.png``) matches the outputs."""
        return any(fnmatch.fnmatchcase(relative_path, pattern) for pattern in self.outputs)


@dataclass(frozen=True)
class ProfilesSpec:
    """The local area profile notebook, rendered once per LA by ``python -m analysis profiles``
    (not by ``run``): its title (``{name}`` and ``{code}`` filled in), test parameters and the
    processed tables it reads."""

    title: str
    notebook: Path
    test_params: Path | None
    tables: tuple[str, ...]

    @property
    def name(self) -> str:
        return self.notebook.stem


@dataclass(frozen=True)
class Pipeline:
    """The whole config: kernel, per-cell timeout (seconds), the notebooks in order and the
    profile notebook (if any)."""

    path: Path
    kernel: str
    execution_timeout: int
    notebooks: tuple[NotebookSpec, ...]
    profiles: ProfilesSpec | None = None

    def get(self, name: str) -> NotebookSpec:
        """The notebook called ``name`` (the file name, with or without ``.ipynb``, also works)."""
        wanted = Path(name).name.removesuffix(".ipynb")
        for spec in self.notebooks:
            if wanted in (spec.name, spec.notebook.stem):
                return spec
        known = ", ".join(s.name for s in self.notebooks)
        raise ConfigError(f"{self.path}: no notebook called {name!r} (known: {known})")

    def select(self, names: list[str] | None) -> list[NotebookSpec]:
        """The named notebooks plus everything they need, in config order (default: all)."""
        if not names:
            return list(self.notebooks)
        wanted: set[str] = set()
        stack = [self.get(n).name for n in names]
        while stack:
            name = stack.pop()
            if name not in wanted:
                wanted.add(name)
                stack.extend(self.get(name).needs)
        return [s for s in self.notebooks if s.name in wanted]


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


def check_parameters(spec: NotebookSpec | ProfilesSpec, params: dict, source: Path | str) -> None:
    """Every parameter in ``params`` (read from ``source``) must be one the notebook declares."""
    declared = notebook_parameters(spec.notebook)
    unknown = [name for name in params if name not in declared]
    if unknown:
        raise ConfigError(f"{source}: {spec.name} has no parameter {', '.join(map(repr, unknown))} "
                          f"(its parameters: {', '.join(declared)})")


def _list_of_text(raw: dict, key: str, where: str) -> tuple[str, ...]:
    value = raw.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: {key!r} must be a list of text")
    return tuple(value)


def _spec(raw: object, n: int, root: Path, path: Path) -> NotebookSpec:
    where = f"{path}: notebooks[{n}]"
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: expected a mapping")
    unknown = set(raw) - _NOTEBOOK_KEYS
    if unknown:
        raise ConfigError(f"{where}: unknown keys {sorted(unknown)} (allowed: {sorted(_NOTEBOOK_KEYS)})")
    for key in ("name", "title", "notebook", "outputs"):
        if not raw.get(key):
            raise ConfigError(f"{where}: {key!r} is required")
    notebook = root / raw["notebook"]
    if not notebook.is_file():
        raise ConfigError(f"{where}: notebook {notebook} not found")
    optional = {key: root / raw[key] if raw.get(key) else None for key in ("params", "test_params")}
    for key, file in optional.items():
        if file is not None and not file.is_file():
            raise ConfigError(f"{where}: {key} file {file} not found")
    return NotebookSpec(name=str(raw["name"]), title=str(raw["title"]), notebook=notebook,
                        params=optional["params"], test_params=optional["test_params"],
                        tables=_list_of_text(raw, "tables", where),
                        outputs=_list_of_text(raw, "outputs", where),
                        needs=_list_of_text(raw, "needs", where))


def _profiles(raw: object, root: Path, path: Path) -> ProfilesSpec | None:
    if raw is None:
        return None
    where = f"{path}: profiles"
    if not isinstance(raw, dict) or set(raw) - {"title", "notebook", "test_params", "tables"}:
        raise ConfigError(f"{where}: expected a mapping of title, notebook, test_params, tables")
    for key in ("title", "notebook"):
        if not raw.get(key):
            raise ConfigError(f"{where}: {key!r} is required")
    notebook = root / raw["notebook"]
    test_params = root / raw["test_params"] if raw.get("test_params") else None
    for file in (notebook, test_params):
        if file is not None and not file.is_file():
            raise ConfigError(f"{where}: {file} not found")
    return ProfilesSpec(title=str(raw["title"]), notebook=notebook, test_params=test_params,
                        tables=_list_of_text(raw, "tables", where))


def load_pipeline(path: Path | str = CONFIG_PATH) -> Pipeline:
    """Read and check the pipeline config: unique names, known needs, no cycles."""
    path = Path(path).resolve()
    raw = _read_yaml(path)
    if not isinstance(raw, dict) or not isinstance(raw.get("notebooks"), list):
        raise ConfigError(f"{path}: expected a mapping with a 'notebooks' list")
    specs = tuple(_spec(item, n, path.parent, path) for n, item in enumerate(raw["notebooks"]))
    names = [s.name for s in specs]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise ConfigError(f"{path}: notebook names repeated: {repeated}")
    for position, spec in enumerate(specs):
        earlier = set(names[:position])
        for need in spec.needs:
            if need not in earlier:
                raise ConfigError(f"{path}: {spec.name} needs {need!r}, which is not listed before it")
    timeout = raw.get("execution_timeout", 600)
    if not isinstance(timeout, int) or timeout <= 0:
        raise ConfigError(f"{path}: execution_timeout must be a positive number of seconds")
    return Pipeline(path=path, kernel=str(raw.get("kernel", "python3")), execution_timeout=timeout,
                    notebooks=specs, profiles=_profiles(raw.get("profiles"), path.parent, path))
