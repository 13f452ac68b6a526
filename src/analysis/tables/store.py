"""The table store: the only way studies load processed tables.

``load(table_id)`` returns a processed table, building it first when it is missing or stale
(:mod:`.build`), after checking the parquet file against the sha256 in its build record: a file
that no longer matches (truncated, edited) is rebuilt, with a warning naming it, and if it still
does not match the load fails with :class:`~analysis.tables.build.TableError` naming the file.
Tables are read once per store and shared (copy-on-write: changing one does not change the next).

Every table handed out is recorded with its sha256 (:attr:`TableStore.reads`); when the
settings name a ``reads_file`` the record is written there after each load, which is how the
publishing layer learns exactly what a notebook read, for the manifest and the provenance footer.
There is one store per :class:`~analysis.settings.Settings` value; :func:`load` uses the current.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

import pandas as pd

from analysis.files import sha256_file, write_text
from analysis.settings import Settings, current
from analysis.sources.catalogue import Catalogue, Source, catalogue_for
from analysis.tables import build
from analysis.tables.definitions import TABLES, get_table
from analysis.tables.state import read_state, table_path

log = logging.getLogger(__name__)


class TableStore:
    """Processed tables for one :class:`Settings`: built on demand, verified, memoised, recorded."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.catalogue: Catalogue = catalogue_for(settings)
        self.reads: dict[str, str] = {}
        self._verified: dict[str, str] = {}
        self._frames: dict[tuple[str, str], pd.DataFrame] = {}

    def load(self, table_id: str, *, filters: list[tuple] | None = None) -> pd.DataFrame:
        """A processed table; ``filters`` (pyarrow's form, e.g. ``[("measure", "==", "total")]``)
        reads only the matching rows of a table far larger than the part needed."""
        get_table(table_id)
        sha = self._verify(table_id)
        key = (table_id, repr(filters))
        if key not in self._frames:
            self._frames[key] = pd.read_parquet(table_path(table_id, self.settings.processed_dir),
                                                filters=filters)
        self._record(table_id, sha)
        return self._frames[key].copy(deep=False)

    def _verify(self, table_id: str) -> str:
        """Build the table if stale; check the file against its record (once per store)."""
        if table_id in self._verified:
            return self._verified[table_id]
        processed = self.settings.processed_dir
        state = read_state(processed)
        if not build.is_current(table_id, state, self.settings):
            build.build([table_id], settings=self.settings, quiet=True)
            state = read_state(processed)
        path = table_path(table_id, processed)
        recorded = state[table_id].get("sha256")
        actual = sha256_file(path)
        if actual != recorded:
            log.warning("%s does not match its build record (sha256 %s, recorded %s): rebuilding it",
                        path, actual[:12], (recorded or "none")[:12])
            build.build([table_id], force=True, settings=self.settings, quiet=True)
            recorded = read_state(processed)[table_id].get("sha256")
            actual = sha256_file(path)
            if actual != recorded:
                raise build.TableError(f"{path}: still does not match its build record after a "
                                       "rebuild; delete it and build again")
        self._verified[table_id] = actual
        return actual

    def _record(self, table_id: str, sha: str) -> None:
        if self.reads.get(table_id) == sha:
            return
        self.reads[table_id] = sha
        if self.settings.reads_file is not None:
            write_text(self.settings.reads_file, json.dumps(self.reads, indent=1, sort_keys=True) + "\n")

    def sources_behind(self, table_ids: Iterable[str]) -> list[Source]:
        """The catalogue entries behind some tables, in catalogue order (for source lines, see
        :func:`analysis.sources.catalogue.cite`)."""
        ids = {s.id for t in table_ids for s in TABLES[t].source_list(self.catalogue)}
        return [s for s in self.catalogue.values() if s.id in ids]

    def sources_read(self) -> pd.DataFrame:
        """The official files behind the tables read so far: publisher, publication, release,
        file name and sha256, one row per file, in catalogue order."""
        return pd.DataFrame(sources_of(self.reads, self.catalogue),
                            columns=["source", "publisher", "publication", "release", "file", "sha256"])


def sources_of(table_ids: Iterable[str], catalogue: Catalogue) -> list[dict]:
    """The source files of some tables (as the catalogue resolves them), in catalogue order:
    one dict per file with its id, publisher, publication, release, file name and sha256."""
    ids = {s.id for t in table_ids for s in TABLES[t].source_list(catalogue)}
    return [{"source": s.id, "publisher": s.publisher, "publication": s.publication,
             "release": s.release, "file": s.file.rsplit("/", 1)[-1], "sha256": s.sha256}
            for s in catalogue.values() if s.id in ids]


_stores: dict[Settings, TableStore] = {}


def current_store() -> TableStore:
    """The store of the current settings (:func:`analysis.settings.current`)."""
    settings = current()
    if settings not in _stores:
        _stores[settings] = TableStore(settings)
    return _stores[settings]


@contextmanager
def bind(table_store: TableStore) -> Iterator[TableStore]:
    """``with bind(store):`` make ``store`` the current store for its settings in a block (so a
    caller can see exactly what the code in the block read)."""
    previous = _stores.get(table_store.settings)
    _stores[table_store.settings] = table_store
    try:
        yield table_store
    finally:
        if previous is None:
            del _stores[table_store.settings]
        else:
            _stores[table_store.settings] = previous


def load(table_id: str, *, filters: list[tuple] | None = None) -> pd.DataFrame:
    """A processed table from the current store (see :meth:`TableStore.load`)."""
    return current_store().load(table_id, filters=filters)


def sources_read() -> pd.DataFrame:
    """The source files behind every table the current store has handed out."""
    return current_store().sources_read()
