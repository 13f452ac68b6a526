"""The pre-commit hooks: local only (no network), and the repository already passes them."""

import shlex
import subprocess
import sys

import pytest
import yaml

from analysis.settings import PROJECT_ROOT

CONFIG = yaml.safe_load((PROJECT_ROOT / ".pre-commit-config.yaml").read_text())
HOOKS = {hook["id"]: hook for repo in CONFIG["repos"] for hook in repo["hooks"]}
GUARD = PROJECT_ROOT / "scripts" / "check_no_data.py"


def test_hooks_are_local_and_cover_lint_stripping_and_data():
    assert [repo["repo"] for repo in CONFIG["repos"]] == ["local"]
    assert set(HOOKS) == {"ruff", "nbstripout", "no-data-files"}
    assert all(hook["language"] == "system" for hook in HOOKS.values())


def _tracked(pattern: str) -> list[str]:
    out = subprocess.run(["git", "-C", str(PROJECT_ROOT), "ls-files", pattern], capture_output=True,
                         text=True, check=True).stdout
    return out.split()


@pytest.mark.parametrize("path", _tracked("*.ipynb"))
def test_committed_notebooks_are_already_stripped(path):
    entry = shlex.split(HOOKS["nbstripout"]["entry"])
    command = [sys.executable, "-m", "nbstripout", *entry[1:], "--textconv"]
    original = (PROJECT_ROOT / path).read_text()
    stripped = subprocess.run(command + [str(PROJECT_ROOT / path)], capture_output=True, text=True,
                              check=True).stdout
    assert stripped == original, f"{path} changes under the nbstripout hook: run it before committing"


def _guard(*paths, cwd=PROJECT_ROOT):
    return subprocess.run([sys.executable, str(GUARD), *paths], capture_output=True, text=True, cwd=cwd)


@pytest.mark.parametrize("path,reason", [
    ("data/raw/sen2.csv", "a build output"),
    ("reports/html/index.html", "a build output"),
    ("notebooks/extract.csv", "a data file outside tests/fixtures"),
    ("src/analysis/population.XLSX", "a data file outside tests/fixtures"),
])
def test_guard_refuses_data_and_outputs(path, reason):
    result = _guard(path)
    assert result.returncode == 1
    assert f"{path}: refused, {reason}" in result.stderr


def test_guard_refuses_large_files(tmp_path):
    (tmp_path / "big.py").write_bytes(b"#" * 600_000)
    result = _guard("big.py", cwd=tmp_path)
    assert result.returncode == 1 and "larger than 500,000 bytes" in result.stderr


def test_guard_passes_every_tracked_file():
    result = _guard(*_tracked("*"))
    assert result.returncode == 0, result.stderr
