"""Files: atomic writes (a crash mid-write leaves the previous file intact), content hashes, and
a published table's files: its CSV and the title file beside it."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path


def atomic_write(path: str | os.PathLike, write: Callable[[Path], None]) -> Path:
    """Call ``write(tmp)`` on a temporary file beside ``path``, then rename it onto ``path``.

    The temporary file is removed if ``write`` fails, so ``path`` is either the old or the new
    content, never a partial one. The file gets the usual permissions (0666 less the umask),
    not the owner-only ones of a temporary file. Returns ``path``.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        write(Path(tmp))
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    finally:
        Path(tmp).unlink(missing_ok=True)
    return path


def write_text(path: str | os.PathLike, text: str) -> Path:
    """Write ``text`` (UTF-8) to ``path`` atomically, see :func:`atomic_write`."""
    return atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def write_csv(frame, path: str | os.PathLike) -> Path:
    """Write a DataFrame as a published CSV atomically: UTF-8 with a byte order mark (so Excel
    opens "£" and names correctly), ``\\n`` line ends, no index."""
    return atomic_write(path, lambda tmp: frame.to_csv(tmp, index=False, lineterminator="\n",
                                                        encoding="utf-8-sig"))


def write_table_title(csv: str | os.PathLike, *, title: str, measure: str = "",
                      source: str = "", columns: list[dict] | None = None) -> Path:
    """Write ``NAME.json`` beside a published ``NAME.csv``: the table's title, the unit or measure
    it is in, its source (which its sheet in a spreadsheet takes, :func:`read_table_title`) and
    its ``columns`` described (each a dict of name, meaning and unit)."""
    meta = json.dumps({"title": title, "measure": measure, "source": source, "columns": columns or []},
                      ensure_ascii=False, indent=1)
    return write_text(Path(csv).with_suffix(".json"), meta + "\n")


def read_table_title(csv: str | os.PathLike) -> dict:
    """The title, measure and source written beside a published CSV (:func:`write_table_title`),
    or ``{}`` when it has none."""
    path = Path(csv).with_suffix(".json")
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def sha256_file(path: str | os.PathLike, chunk: int = 1 << 20) -> str:
    """The sha256 of a file's bytes, as 64 hex digits."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
