"""environment.yml (for conda users) must list exactly the dependencies of pyproject.toml."""

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = set(project["dependencies"]) | set(project["optional-dependencies"]["dev"])
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    listed = {d for d in pip_section if not d.startswith("-e")}
    assert listed == wanted, {"only in environment.yml": listed - wanted,
                              "only in pyproject.toml": wanted - listed}
    python = next(d for d in env["dependencies"] if isinstance(d, str) and d.startswith("python"))
    assert python.split("=")[1] in {"3.11", "3.12", "3.13"}


def _canonical(name: str) -> str:
    """A distribution name as pip compares them (PEP 503): pre_commit == pre-commit."""
    return re.sub(r"[-_.]+", "-", name.strip()).lower()


def test_lock_pins_every_direct_dependency():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    names = {_canonical(d.split(">")[0].split("<")[0].split("=")[0])
             for d in project["dependencies"] + project["optional-dependencies"]["dev"]}
    locked = {_canonical(line.split("==")[0]) for line in (ROOT / "requirements.lock").read_text()
              .splitlines() if "==" in line}
    assert names <= locked, names - locked
