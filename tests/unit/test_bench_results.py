"""``make bench`` ends with one table: each figure, its plain alternative and ratio, its goal."""

import sys

from analysis.settings import PROJECT_ROOT

sys.path.insert(0, str(PROJECT_ROOT / "scripts"))
import bench_results  # noqa: E402


def test_the_table_gives_each_ratio_and_whether_each_goal_is_met():
    rows = [{"figure": "profiles cold", "value": 80.0, "unit": "s", "plain": 2000.0,
             "plain_what": "loop", "goal": 60.0},
            {"figure": "site", "value": 18.5, "unit": "MB", "plain": None, "plain_what": "", "goal": 20.0},
            {"figure": "no-op", "value": 0.5, "unit": "s", "plain": None, "plain_what": "", "goal": None}]
    header, cold, site, noop = bench_results.table(rows)
    assert "2,000.00 s (loop)" in cold and "25.00x; goal 60 s: NOT MET" in cold
    assert site.rstrip().endswith("goal 20 MB: met") and "18.50 MB" in site
    assert noop.split()[-2:] == ["0.50", "s"]


def test_recorded_figures_are_appended_one_a_line(tmp_path, monkeypatch):
    monkeypatch.setattr(bench_results, "RESULTS", tmp_path / "results.jsonl")
    bench_results.record("a", 1.0)
    bench_results.record("b", 2.0, plain=4.0, plain_what="plain")
    lines = (tmp_path / "results.jsonl").read_text().splitlines()
    assert len(lines) == 2 and '"plain": 4.0' in lines[1]
