"""Where a run reads and writes: one explicit :class:`Settings` value, passed to whatever needs it.

The defaults are the project's own folders (``data/raw``, ``data/processed``, ``data/interim``,
``reports``), found from the project root (the folder holding ``pyproject.toml``), and the data
mirror named by ``$ANALYSIS_DATA_MIRROR``, read when :meth:`Settings.default` is called, never at
import. The command line builds a value from its options; the publishing layer hands it to every
kernel it starts (:func:`use`, called before the notebook's first cell), so a run and the tests
can point anywhere. Notebooks and studies ask :func:`current`.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path

MIRROR_ENV = "ANALYSIS_DATA_MIRROR"
SITE = "html"
"""The folder under the reports folder that a publisher hosts: every page and everything a page
links to (its images, the stylesheet, ``tables/``, ``figures/`` and ``downloads/``)."""
"""Environment variable naming a local folder laid out like ``../shared/data`` (user-facing)."""


def _find_root() -> Path:
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "pyproject.toml").is_file():
            return parent
    return Path.cwd().resolve()  # installed without a source tree: work in the current folder


PROJECT_ROOT = _find_root()
"""The checkout: the folder holding ``pyproject.toml`` (found from this file, not the cwd)."""


@dataclass(frozen=True)
class Settings:
    """The folders of one run. ``mirror`` is a local folder laid out like ``../shared/data``;
    ``catalogue`` a catalogue TOML to use instead of the package's (e.g. with a release not yet
    committed); ``reads_file``, when set, is where the table store records every table it hands
    out (the publishing layer reads it back); ``prepared`` is a file of shared work that a
    publication built once for all its pages (see ``prepare:`` in the pipeline config)."""

    raw_dir: Path
    processed_dir: Path
    interim_dir: Path
    reports_dir: Path
    mirror: Path | None = None
    catalogue: Path | None = None
    reads_file: Path | None = None
    prepared: Path | None = None

    @classmethod
    def default(cls, **changes) -> Settings:
        """The project's folders and ``$ANALYSIS_DATA_MIRROR``, with ``changes`` applied (a
        value of None keeps the default, except for ``mirror``, where None means no mirror)."""
        data = PROJECT_ROOT / "data"
        mirror = os.environ.get(MIRROR_ENV)
        base = cls(raw_dir=data / "raw", processed_dir=data / "processed", interim_dir=data / "interim",
                   reports_dir=PROJECT_ROOT / "reports",
                   mirror=Path(mirror).expanduser().resolve() if mirror else None)
        return base.with_(**changes)

    @property
    def site_dir(self) -> Path:
        """The site folder (:data:`SITE` under ``reports_dir``)."""
        return self.reports_dir / SITE

    def with_(self, **changes) -> Settings:
        """A copy with ``changes``; paths are made absolute (None keeps a folder as it is)."""
        clean = {}
        for name, value in changes.items():
            if value is None and name not in OPTIONAL:
                continue
            clean[name] = Path(value).expanduser().resolve() if value is not None else None
        return replace(self, **clean)

    def to_json(self) -> str:
        return json.dumps({k: str(v) if v is not None else None for k, v in asdict(self).items()},
                          sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Settings:
        raw = json.loads(text)
        names = {f.name for f in fields(cls)}
        return cls(**{k: Path(v) if v is not None else None for k, v in raw.items() if k in names})


OPTIONAL = ("mirror", "catalogue", "reads_file", "prepared")
"""Fields where None is a value (no mirror, the package's catalogue...), not "keep"."""

_active: Settings | None = None


def current() -> Settings:
    """The settings in use: the last :func:`use`\\ d, else :meth:`Settings.default`."""
    return _active if _active is not None else Settings.default()


def use(settings: Settings | None) -> Settings | None:
    """Make ``settings`` the current ones (None: back to the defaults); returns the previous."""
    global _active
    previous, _active = _active, settings
    return previous


@contextmanager
def using(settings: Settings) -> Iterator[Settings]:
    """``with using(settings):`` run a block with ``settings`` current, then restore."""
    previous = use(settings)
    try:
        yield settings
    finally:
        use(previous)


SCRATCH = Path("build") / "scratch"
"""Where a notebook run by hand in JupyterLab writes its figures and tables (under the project),
so it never touches the published ``reports/``; a pipeline run always passes its own folder."""


def notebook_output(output_dir: str | Path | None) -> Path:
    """The folder a notebook writes its ``figures/`` and ``tables/`` into: ``output_dir`` when
    given (the pipeline's staging folder), else the project's scratch folder (:data:`SCRATCH`)."""
    return Path(output_dir) if output_dir is not None else PROJECT_ROOT / SCRATCH


def run_date() -> str:
    """Today's date (UTC, ISO), or the date of ``$SOURCE_DATE_EPOCH`` when that is set.

    Reports show the date their notebook was executed, and a projection calls a 31 March before
    it estimated, after it projected; a fixed ``SOURCE_DATE_EPOCH`` makes two runs on different
    days give identical pages (see ``make reproduce``).
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = (dt.datetime.fromtimestamp(int(epoch), dt.UTC) if epoch
              else dt.datetime.now(dt.UTC))
    return moment.date().isoformat()
