"""The package's layers, as the folder tree shows them, kept honest: a lower layer never imports
a higher one, only the command line imports the publishing layer, and no notebook does."""

import ast
import json
from pathlib import Path

import pytest

from analysis.settings import PROJECT_ROOT

PACKAGE = PROJECT_ROOT / "src" / "analysis"
CORE = ("settings", "errors", "vocabulary", "files")
ORDER = ["core", "sources", "tables", "series", "report", "studies", "publish", "cli"]
ALLOWED = {
    "core": {"core"},
    "sources": {"core", "sources"},
    "tables": {"core", "sources", "tables"},
    "series": {"core", "sources", "tables", "series"},
    "report": {"core", "sources", "tables", "report"},
    "studies": {"core", "sources", "tables", "series", "report", "studies"},
    "publish": {"core", "sources", "tables", "report", "publish"},
    "cli": set(ORDER),
}
"""What each layer may import. Report helpers sit below the studies: they draw and display for
any study and know none. The publishing layer reaches a study only through the hooks its config
names (imported by name at run time), never by an import statement."""


def layer_of(module: str) -> str:
    parts = module.split(".")
    if parts[0] != "analysis":
        raise ValueError(module)
    if len(parts) == 1 or parts[1] in CORE:
        return "core"
    if parts[1] in ("cli", "__main__"):
        return "cli"
    if parts[1] in ORDER:
        return parts[1]
    raise AssertionError(f"{module} belongs to no layer: put it in one of {ORDER} or the core {CORE}")


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        out[".".join(p for p in parts if p != "__init__")] = path
    return out


def imported(source: str, module: str) -> set[str]:
    """The ``analysis`` modules a piece of code imports (at any depth, e.g. inside functions);
    ``from analysis import x`` counts as ``analysis.x``."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.split(".")[0] == "analysis"}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "analysis":
                found |= {f"analysis.{a.name}" for a in node.names}
            elif node.module.split(".")[0] == "analysis":
                found.add(node.module)
    return found


MODULES = _modules()


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_module_imports_a_layer_above_its_own(module):
    own = layer_of(module)
    for target in imported(MODULES[module].read_text(encoding="utf-8"), module):
        assert layer_of(target) in ALLOWED[own], (
            f"{module} ({own}) imports {target} ({layer_of(target)}); {own} may import only "
            f"{sorted(ALLOWED[own])}")


def test_only_the_command_line_imports_the_publishing_layer():
    importers = {m for m, p in MODULES.items() if layer_of(m) != "publish"
                 and any(layer_of(t) == "publish" for t in imported(p.read_text(encoding="utf-8"), m))}
    assert importers == {"analysis.cli"}


@pytest.mark.parametrize("notebook", sorted((PROJECT_ROOT / "notebooks").glob("*.ipynb")),
                         ids=lambda p: p.name)
def test_no_notebook_imports_the_publishing_layer(notebook):
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    assert not [t for t in imported(code, notebook.name) if layer_of(t) in ("publish", "cli")]


def test_the_checker_catches_an_upward_import():
    """The test can fail: a table module importing a study is refused."""
    assert layer_of("analysis.studies.baseline") == "studies"
    upward = imported("def f():\n    from analysis.studies import baseline\n", "x")
    assert {layer_of(t) for t in upward} - ALLOWED["tables"] == {"studies"}
    assert imported("from analysis import settings, vocabulary", "x") == {
        "analysis.settings", "analysis.vocabulary"}


def test_the_core_names_no_higher_layer_even_in_code_it_writes():
    """The core (settings, errors, vocabulary, files) neither imports a higher layer nor writes
    code that does (the kernel's setup statement lives with the executors, not in settings)."""
    import re

    higher = re.compile(r"analysis\.(?:" + "|".join(ORDER[1:]) + r")\b")
    found = [f"{name}.py: {m.group(0)}" for name in CORE
             for m in higher.finditer((PACKAGE / f"{name}.py").read_text(encoding="utf-8"))]
    assert not found, found


def test_finance_reads_no_survey_helper():
    """Money typed by people and financial-year labels are shared conventions (``tables``),
    not the survey's: finance imports nothing from the survey study."""
    found = {name: sorted(m for m in imported(path.read_text(encoding="utf-8"), name)
                          if m.startswith("analysis.studies.survey"))
             for name, path in _modules().items() if name.startswith("analysis.studies.finance")}
    assert not any(found.values()), found


STUDY_NEEDS = {"finance": {"forecast"}, "profiles": {"finance", "forecast", "themes"},
               "survey": {"themes"}}
"""The studies a study may take results from (finance needs the demand forecast; the profiles
show every study's figures for one LA); a measure two studies share lives in ``series``."""


def test_a_study_takes_another_studys_results_only_where_declared():
    found = []
    for name, path in _modules().items():
        parts = name.split(".")
        if len(parts) < 3 or parts[1] != "studies":
            continue
        study = parts[2]
        for module in _study_imports(path.read_text(encoding="utf-8")):
            other = module.split(".")[2]
            if other and other not in (study, "parameters") and other not in STUDY_NEEDS.get(study, set()):
                found.append(f"{name} imports {module}")
    assert not found, found


def _study_imports(source: str) -> set[str]:
    """The ``analysis.studies.X...`` modules a piece of code imports, ``from analysis.studies
    import finance`` counting as ``analysis.studies.finance``."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found |= {node.module} if node.module != "analysis.studies" else {
                f"analysis.studies.{a.name}" for a in node.names}
    return {m for m in found if m.startswith("analysis.studies.")}
