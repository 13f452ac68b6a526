"""``make reproduce``: clean, run the whole pipeline twice, and compare what was published.

Each run starts from an empty ``data/processed/``, ``data/interim/`` and ``reports/`` (the raw
files stay: they are verified against their sha256 pins whenever a table is built) and calls
``python -m analysis run``, as ``make report`` does.
The sha256 of every figure (PNG, SVG), table (CSV and its JSON title), download (spreadsheet,
CSV), page (HTML, its images, the stylesheet) and the site's zip is compared between the two runs;
any difference fails with the list of files. Executed notebooks are not compared: they hold
execution timestamps by design. ``SOURCE_DATE_EPOCH`` is fixed for both runs so the date in the
provenance footers cannot differ if the runs straddle midnight.

The hashes of the second run are left in ``build/reproduce/SHA256SUMS``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time

from analysis.files import sha256_file
from analysis.settings import PROJECT_ROOT, Settings

DEFAULT = Settings.default()
PROCESSED_DIR, INTERIM_DIR, REPORTS_DIR = DEFAULT.processed_dir, DEFAULT.interim_dir, DEFAULT.reports_dir

COMPARED = ("html", "site.zip")
"""The site folder (figures, tables, downloads and pages) and its zip, under ``reports/``."""


def _clean() -> None:
    for folder in (PROCESSED_DIR, INTERIM_DIR, REPORTS_DIR):
        for child in folder.iterdir() if folder.is_dir() else []:
            if child.name != ".gitkeep":
                shutil.rmtree(child) if child.is_dir() else child.unlink()


def _run(env: dict) -> dict[str, str]:
    _clean()
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "analysis", "run"], check=True, env=env, cwd=PROJECT_ROOT)
    print(f"reproduce: run took {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return {path.relative_to(REPORTS_DIR).as_posix(): sha256_file(path)
            for name in COMPARED for path in _files(REPORTS_DIR / name)}


def _files(path):
    return [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())


def main() -> int:
    env = {**os.environ, "SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH", str(int(time.time())))}
    first = _run(env)
    second = _run(env)
    out = PROJECT_ROOT / "build" / "reproduce" / "SHA256SUMS"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("".join(f"{sha}  {rel}\n" for rel, sha in second.items()))
    differ = sorted(rel for rel in first.keys() | second.keys() if first.get(rel) != second.get(rel))
    if differ:
        print(f"reproduce: FAILED, {len(differ)} of {len(first.keys() | second.keys())} files differ "
              f"between two runs:", file=sys.stderr)
        for rel in differ:
            print(f"  {rel}: {first.get(rel, 'missing')[:12]} vs {second.get(rel, 'missing')[:12]}",
                  file=sys.stderr)
        return 1
    print(f"reproduce: OK, {len(second)} files ({', '.join(COMPARED)}) byte-identical across two clean "
          f"runs; hashes in {out.relative_to(PROJECT_ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
