"""Weigh a published site: what a reader's browser loads (the pages of ``html/``, their images, the
one stylesheet) in all, and each profile with its images, against the budget (all pages at most
20 MB, a profile at most 200 KB). The files a reader may download (``html/tables/``,
``html/figures/``, ``html/downloads/``) are reported beside it, not counted in it.

Usage: ``python scripts/site_weight.py [REPORTS_DIR]`` (default ``reports/``, as ``make report``
leaves it); ``make bench`` runs it, and :mod:`bench_profiles` reports the same for its run.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

SITE_BUDGET = 20_000_000
PROFILE_BUDGET = 200_000


DOWNLOADS = ("tables", "figures", "downloads")
"""Folders of the site that hold files to download, not pages."""


def _files(folder: Path, leave_out: tuple[str, ...] = ()) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()
            and p.relative_to(folder).parts[0] not in leave_out] if folder.is_dir() else []


def _size(folder: Path, leave_out: tuple[str, ...] = ()) -> int:
    return sum(p.stat().st_size for p in _files(folder, leave_out))


def profile_weights(html: Path) -> dict[str, int]:
    """Bytes of each profile page with the images it shows, by LA code."""
    weights = {}
    for page in sorted((html / "profiles").glob("[0-9]*.html")):
        images = re.findall(r'src="(img/[^"]+)"', page.read_text(encoding="utf-8"))
        weights[page.stem] = page.stat().st_size + sum((page.parent / i).stat().st_size for i in images)
    return weights


def weigh(reports: Path) -> list[str]:
    """Lines describing the weight of the site under ``reports``."""
    html = reports / "html"
    total = _size(html, DOWNLOADS)
    lines = [f"pages (html/): {total / 1e6:.2f} MB in {len(_files(html, DOWNLOADS)):,} "
             f"files (budget {SITE_BUDGET / 1e6:.0f} MB: {'within' if total <= SITE_BUDGET else 'OVER'})"]
    weights = profile_weights(html)
    if weights:
        code, heaviest = max(weights.items(), key=lambda kv: kv[1])
        mean = sum(weights.values()) / len(weights)
        lines.append(f"profiles: {len(weights)} pages with their images, mean {mean / 1e3:.0f} KB, "
                     f"heaviest {heaviest / 1e3:.0f} KB ({code}) (budget {PROFILE_BUDGET / 1e3:.0f} KB: "
                     f"{'within' if heaviest <= PROFILE_BUDGET else 'OVER'})")
    for page in sorted(html.glob("*.html")):
        images = re.findall(r'src="(img/[^"]+)"', page.read_text(encoding="utf-8"))
        weight = page.stat().st_size + sum((html / i).stat().st_size for i in images)
        lines.append(f"  {page.name}: {weight / 1e3:.0f} KB with {len(images)} images")
    lines.append("downloads beside them: " + ", ".join(f"{name}/ {_size(html / name) / 1e6:.1f} MB"
                                                      for name in DOWNLOADS))
    zipped = reports / "site.zip"
    if zipped.is_file():
        lines.append(f"the site as one zip: {zipped.stat().st_size / 1e6:.1f} MB")
    return lines


def main() -> int:
    reports = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("reports")
    if not (reports / "html").is_dir():
        raise SystemExit(f"{reports / 'html'} not found: run `make report` first, or name a reports folder")
    print("\n".join(weigh(reports)))
    from bench_results import record

    record("site: the pages a reader loads", _size(reports / "html", DOWNLOADS) / 1e6, "MB",
           goal=SITE_BUDGET / 1e6)
    return 0


if __name__ == "__main__":
    sys.exit(main())
