"""Content hashes and the run manifest (``reports/manifest.json``) that decide what re-runs.

A parameter set's *key* is a sha256 over everything its results depend on: the notebook file,
its parameters, the package source (``src/analysis``, including the catalogue of sha256 pins and
the page template), the processed tables it read last time (their sha256 as built now) and the
outputs of the publications it needs. It re-runs when the key differs from the one recorded at
its last successful run, or when one of its recorded outputs is missing or changed on disk.
Timestamps play no part.

Kept free of pandas, papermill and nbconvert so that a run with nothing to do stays fast.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
from functools import partial
from pathlib import Path

from analysis.files import atomic_write, sha256_file
from analysis.settings import PROJECT_ROOT

PACKAGE_DIR = Path(__file__).resolve().parents[1]
MANIFEST_NAME = "manifest.json"
_SKIPPED_PARTS = {"__pycache__"}


def sha256_json(value: object) -> str:
    """The sha256 of a JSON-able value in canonical form (sorted keys, no spaces)."""
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def package_source_hash(package_dir: Path = PACKAGE_DIR) -> str:
    """One sha256 over every file of the package source (path and content), bytecode excluded."""
    digest = hashlib.sha256()
    for path in sorted(package_dir.rglob("*")):
        if path.is_file() and not _SKIPPED_PARTS & set(path.parts) and path.suffix != ".pyc":
            digest.update(path.relative_to(package_dir).as_posix().encode("utf-8") + b"\0")
            digest.update(sha256_file(path).encode("ascii"))
    return digest.hexdigest()


def output_hashes(reports_dir: Path, relative_paths) -> dict[str, str | None]:
    """``{path relative to reports/: sha256, or None when the file is missing}``."""
    result = {}
    for rel in sorted(relative_paths):
        path = reports_dir / rel
        result[rel] = sha256_file(path) if path.is_file() else None
    return result


def git_commit(root: Path = PROJECT_ROOT) -> str:
    """The checked-out commit, with "+ uncommitted changes" when tracked files differ from it.

    "not a git checkout" when git or the repository is absent.
    """
    def git(*args: str) -> str:
        return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True,
                              check=True).stdout.strip()
    try:
        commit = git("rev-parse", "HEAD")
        dirty = git("status", "--porcelain", "--untracked-files=no")
    except (OSError, subprocess.CalledProcessError):
        return "not a git checkout"
    return f"{commit} + uncommitted changes" if dirty else commit


def read_manifest(reports_dir: Path) -> dict:
    """The manifest of earlier runs, or an empty one (``{"publications": {}}``) before the first.
    A manifest from before publications (or not valid JSON) is set aside: everything re-runs."""
    path = reports_dir / MANIFEST_NAME
    if not path.is_file():
        return {"publications": {}}
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError:
        return {"publications": {}}
    if "publications" not in manifest:
        return {"publications": {}}
    return manifest


def write_manifest(reports_dir: Path, manifest: dict) -> None:
    """Write the manifest atomically, keys sorted, so a crash keeps the previous one."""
    text = json.dumps(manifest, indent=2, sort_keys=True) + "\n"
    atomic_write(reports_dir / MANIFEST_NAME, partial(Path.write_text, data=text, encoding="utf-8"))


def is_current(entry: dict | None, key: str, reports_dir: Path) -> bool:
    """Whether a parameter set's last successful run had this key and its outputs are untouched."""
    if not entry or entry.get("key") != key:
        return False
    recorded = entry.get("outputs", {})
    return output_hashes(reports_dir, recorded) == recorded
