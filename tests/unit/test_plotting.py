"""Figures are saved byte-identically, with their data, and the previous files survive a crash."""

import hashlib
import json

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from bs4 import BeautifulSoup  # noqa: E402

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


def test_a_charts_table_is_titled_for_its_spreadsheet_from_the_figure(tmp_path):
    fig, ax = plotting.chart("Plans rose by a third", "EHC plans, January")
    ax.plot([2020, 2021], [1.0, 2.0])
    plotting.finish(fig, "DfE, SEN2, 2025 release")
    plotting.save_figure(fig, "t", pd.DataFrame({"year": [2020, 2021], "value": [1.0, 2.0]}),
                         out_dir=tmp_path)
    plt.close(fig)
    assert json.loads((tmp_path / "tables/t.json").read_text()) == {
        "title": "Plans rose by a third", "measure": "EHC plans, January",
        "source": "DfE, SEN2, 2025 release"}


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
    assert sorted(p.name for p in paths["csv"].parent.iterdir()) == ["f.csv", "f.json"]  # no temp left


def test_alt_text_gives_the_finding_and_what_is_measured():
    plotting.setup_style()
    fig, ax = plotting.chart("EHC plans rose 120% from 2015 to 2025", "EHC plans, England, January")
    assert plotting.alt_text(fig) == ("Chart: EHC plans rose 120% from 2015 to 2025. EHC plans, England, "
                                      "January.")
    plt.close(fig)
    fig, axes = plotting.chart("Two measures moved apart", "per 1,000 aged 0-25", ncols=2)
    axes[0].set_title("New plans")
    axes[1].set_title("Plans held")
    assert plotting.alt_text(fig) == ("Chart: Two measures moved apart. per 1,000 aged 0-25. Panels: "
                                      "New plans; Plans held.")
    plt.close(fig)


def test_data_table_is_for_people():
    data = pd.DataFrame({"area_code": ["E92000001"] * 2, "year": [2015, 2025],
                         "value": [240183.0, 638745.0], "share_pct": [1.23456, float("nan")]})
    soup = BeautifulSoup(plotting.data_table_html(data, "Plans doubled"), "html.parser")
    assert [th.text for th in soup.find_all("th")] == ["Area code", "Year", "Value", "Share (%)"]
    assert soup.caption.text == "The data behind the chart: Plans doubled"
    assert soup.find(role="region")["aria-label"] == "The data behind the chart: Plans doubled"
    assert [td.text for td in soup.find_all("tr")[2].find_all("td")] == ["E92000001", "2025", "638,745",
                                                                         "n/a"]
    assert soup.find_all("tr")[1].find_all("td")[3].text == "1.2346"


def test_chart_html_has_alt_text_a_csv_link_and_a_table_only_when_short():
    fig, ax = plotting.chart("A finding", "A measure")
    ax.plot([2020, 2021], [1.0, 2.0])
    short = pd.DataFrame({"year": [2020, 2021], "value": [1.0, 2.0]})
    soup = BeautifulSoup(plotting.chart_html("ehcp_trend", fig, short), "html.parser")
    assert soup.img["alt"] == "Chart: A finding. A measure. The data are in the table below it."
    assert soup.a["href"] == "../tables/ehcp_trend.csv" and "2 rows" in soup.a.text
    assert soup.details.table.caption.text == "The data behind the chart: A finding"
    long = pd.DataFrame({"year": range(plotting.TABLE_ROWS + 1), "value": 1.0})
    soup = BeautifulSoup(plotting.chart_html("long", fig, long), "html.parser")
    assert soup.details is None and "in the CSV linked below it" in soup.img["alt"]
    assert plotting.chart_html("ehcp_trend", fig, short) == plotting.chart_html("ehcp_trend", fig, short)
    plt.close(fig)


def _contrast_with_white(colour: str) -> float:
    """WCAG 2.2 contrast ratio of ``colour`` (#rrggbb) against white."""
    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(int(colour[i:i + 2], 16) / 255) for i in (1, 3, 5))
    return 1.05 / (0.2126 * r + 0.7152 * g + 0.0722 * b + 0.05)


def test_every_chart_colour_stands_out_against_white():
    assert _contrast_with_white("#f47738") == pytest.approx(2.78, abs=0.01)   # the old orange fails
    for colour in [*plotting.PALETTE, *plotting.ROLE_COLOURS.values()]:
        assert _contrast_with_white(colour) >= 3.0, colour
    assert len(set(plotting.MARKERS)) == len(plotting.PALETTE)
