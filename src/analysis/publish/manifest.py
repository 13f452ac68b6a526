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
from dataclasses import asdict, dataclass, field
from functools import partial
from pathlib import Path

from analysis.files import atomic_write, sha256_file
from analysis.report.collection import PageSet
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


@dataclass
class SetRecord:
    """A parameter set's last successful run: its page ``title``, whether code was shown, the
    ``key`` of its inputs, the tables it read (``{table: sha256}``), its ``parameters``, the files
    it published (``{path under reports/: sha256}``), the run's date and commit, how long it took
    (``seconds``) and how many ``cells`` ran, the summary shown on the site's index and the
    synthetic data it used (a banner says so)."""

    title: str
    show_code: bool
    key: str
    reads: dict[str, str | None]
    parameters: dict
    outputs: dict[str, str | None]
    run_date: str
    commit: str
    seconds: float
    cells: int
    summary_html: str = ""
    synthetic: list[str] = field(default_factory=list)


@dataclass
class EachRecord:
    """A collection's pages as its ``each`` hook last gave them, the tables the hook read and the
    key (package and those tables) under which they are reused."""

    sets: list[PageSet]
    reads: dict[str, str | None]
    key: str


@dataclass
class PreparedRecord:
    """A collection's shared work: the tables its ``prepare`` hook read and the file it wrote
    (under ``data/interim``)."""

    reads: dict[str, str | None]
    file: str


@dataclass
class IndexRecord:
    """A collection's index page as last written: its title and summary for the site's index,
    how many pages it links, the run's date and commit and the files written with their hashes."""

    title: str
    summary: str
    count: int
    run_date: str
    commit: str
    outputs: dict[str, str | None]


@dataclass
class Failure:
    """A publication's last failed run: its date and the error of each failed unit."""

    date: str
    errors: dict[str, str]


@dataclass
class PublicationRecord:
    """What the manifest keeps of one publication: its title, each parameter set's last
    successful run (by key; "" for a report), and for a collection its pages, shared work and
    index; its last failure, if any."""

    title: str = ""
    sets: dict[str, SetRecord] = field(default_factory=dict)
    each: EachRecord | None = None
    prepared: PreparedRecord | None = None
    index: IndexRecord | None = None
    last_failure: Failure | None = None

    @classmethod
    def from_json(cls, raw: dict) -> PublicationRecord:
        each = raw.get("each")
        return cls(title=raw.get("title", ""),
                   sets={k: SetRecord(**v) for k, v in raw.get("sets", {}).items()},
                   each=EachRecord(sets=[PageSet(**p) for p in each["sets"]], reads=each["reads"],
                                   key=each["key"]) if each else None,
                   prepared=PreparedRecord(**raw["prepared"]) if raw.get("prepared") else None,
                   index=IndexRecord(**raw["index"]) if raw.get("index") else None,
                   last_failure=Failure(**raw["last_failure"]) if raw.get("last_failure") else None)


@dataclass
class Manifest:
    """The run manifest: every publication's record, the hashes of the stylesheet and of the
    site's own pages (``index``), what the last run did (``last_run``) and the key of the site
    the zip holds (``site_zip``)."""

    publications: dict[str, PublicationRecord] = field(default_factory=dict)
    stylesheet: dict[str, str | None] = field(default_factory=dict)
    index: dict[str, str | None] = field(default_factory=dict)
    last_run: dict = field(default_factory=dict)
    site_zip: str = ""   # the key of the site the zip was last written from (see site_key)

    def site_key(self) -> str:
        """One hash over every published file's recorded hash: the zip is written again only
        when it changes (or the zip is missing)."""
        outputs = {**self.stylesheet, **self.index}
        for record in self.publications.values():
            for item in record.sets.values():
                outputs.update(item.outputs)
            if record.index:
                outputs.update(record.index.outputs)
        return sha256_json(outputs)

    def to_json(self) -> str:
        """The manifest as JSON text (keys sorted; a publication's absent parts left out)."""
        value = asdict(self)
        value["publications"] = {name: {k: v for k, v in record.items() if v is not None}
                                 for name, record in value["publications"].items()}
        return json.dumps(value, indent=2, sort_keys=True) + "\n"


def read_manifest(reports_dir: Path) -> Manifest:
    """The manifest of earlier runs, or an empty one before the first. A manifest of another
    shape (an older version's, or not valid JSON) is set aside: everything re-runs."""
    path = reports_dir / MANIFEST_NAME
    if not path.is_file():
        return Manifest()
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return Manifest(publications={name: PublicationRecord.from_json(record)
                                      for name, record in raw["publications"].items()},
                        stylesheet=raw.get("stylesheet", {}), index=raw.get("index", {}),
                        last_run=raw.get("last_run", {}), site_zip=raw.get("site_zip", ""))
    except (json.JSONDecodeError, KeyError, TypeError, AttributeError):
        return Manifest()


def write_manifest(reports_dir: Path, manifest: Manifest) -> None:
    """Write the manifest atomically, keys sorted, so a crash keeps the previous one."""
    text = manifest.to_json()
    atomic_write(reports_dir / MANIFEST_NAME, partial(Path.write_text, data=text, encoding="utf-8"))


def is_current(record: SetRecord | None, key: str, reports_dir: Path) -> bool:
    """Whether a parameter set's last successful run had this key and its outputs are untouched."""
    if record is None or record.key != key:
        return False
    return output_hashes(reports_dir, record.outputs) == record.outputs
