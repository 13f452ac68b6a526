"""One place where every benchmark records its figures, and the table ``make bench`` prints at the
end of its run: each figure with the plain alternative it is measured against and the ratio (how
many times faster or lighter), or its goal.

A benchmark calls :func:`record`; results go to ``$BENCH_RESULTS`` (default
``build/bench/results.jsonl``, which ``make bench`` empties first), one JSON object a line.
``python scripts/bench_results.py`` prints the table of what was recorded.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from analysis.settings import PROJECT_ROOT

RESULTS = Path(os.environ.get("BENCH_RESULTS", PROJECT_ROOT / "build" / "bench" / "results.jsonl"))


def record(figure: str, value: float, unit: str = "s", *, plain: float | None = None,
           plain_what: str = "", goal: float | None = None) -> None:
    """Append one measured figure: its ``value`` in ``unit``; ``plain``, the same work done the
    plain way (what ``plain_what`` names), in the same unit; ``goal``, the most it may be."""
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    with RESULTS.open("a", encoding="utf-8") as out:
        out.write(json.dumps({"figure": figure, "value": value, "unit": unit, "plain": plain,
                              "plain_what": plain_what, "goal": goal}) + "\n")


def table(rows: list[dict]) -> list[str]:
    """The recorded figures as lines of a table: figure, value, the plain alternative and the
    ratio (plain / value), and the goal and whether it is met."""
    lines = [f"{'figure':<52} {'measured':>11} {'plain alternative':>34} {'ratio or goal':>16}"]
    for r in rows:
        measured = f"{r['value']:,.2f} {r['unit']}"
        plain = f"{r['plain']:,.2f} {r['unit']} ({r['plain_what']})" if r["plain"] else ""
        judged = [f"{r['plain'] / r['value']:.2f}x"] if r["plain"] else []
        if r["goal"] is not None:
            met = "met" if r["value"] <= r["goal"] else "NOT MET"
            judged.append(f"goal {r['goal']:g} {r['unit']}: {met}")
        lines.append(f"{r['figure']:<52} {measured:>11} {plain:>34} {'; '.join(judged):>16}")
    return lines


def main() -> int:
    if not RESULTS.is_file():
        raise SystemExit(f"{RESULTS}: no benchmark results (run `make bench`)")
    rows = [json.loads(line) for line in RESULTS.read_text(encoding="utf-8").splitlines() if line]
    print("\n".join(table(rows)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
