"""Figures are saved byte-identically, with their data, and the previous files survive a crash."""

import hashlib

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from analysis.report import plotting  # noqa: E402


def _draw():
    plotting.setup_style()
    fig, ax = plotting.chart("The finding", "what is measured")
    data = pd.DataFrame({"year": [2019, 2020], "value": [1.0, 2.5], "area_name": "England",
                         "role": "England"})
    plotting.area_lines(ax, data, colour_by="role")
    plotting.finish(fig, "DfE SEN2")
    return fig, data


def _digest(paths):
    return {k: hashlib.sha256(p.read_bytes()).hexdigest() for k, p in paths.items()}


def test_save_figure_is_byte_identical_and_writes_the_data(tmp_path):
    fig, data = _draw()
    first = _digest(plotting.save_figure(fig, "f", data, out_dir=tmp_path / "a"))
    fig, data = _draw()
    second = _digest(plotting.save_figure(fig, "f", data, out_dir=tmp_path / "b"))
    assert first == second
    csv = (tmp_path / "a/tables/f.csv").read_text()
    assert csv == "year,value,area_name,role\n2019,1.0,England,England\n2020,2.5,England,England\n"
    svg = (tmp_path / "a/figures/f.svg").read_text()
    assert "<dc:date>" not in svg and "Matplotlib v" not in svg


def test_failed_save_keeps_the_previous_file(tmp_path):
    fig, data = _draw()
    paths = plotting.save_figure(fig, "f", data, out_dir=tmp_path)
    before = paths["csv"].read_bytes()

    class Broken(pd.DataFrame):
        def to_csv(self, *args, **kwargs):
            raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        plotting.write_table(Broken(data), paths["csv"])
    assert paths["csv"].read_bytes() == before
    assert [p.name for p in paths["csv"].parent.iterdir()] == ["f.csv"]  # no temp left
