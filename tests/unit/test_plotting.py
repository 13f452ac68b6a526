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
    csv = (tmp_path / "a/tables/f.csv").read_text(encoding="utf-8")
    assert csv == "\ufeffyear,value,area_name,role\n2019,1.0,England,England\n2020,2.5,England,England\n"
    svg = (tmp_path / "a/figures/f.svg").read_text()
    assert "<dc:date>" not in svg and "Matplotlib v" not in svg


def test_a_charts_table_is_titled_for_its_spreadsheet_from_the_figure(tmp_path):
    fig, ax = plotting.chart("Plans rose by a third", "EHC plans, January")
    ax.plot([2020, 2021], [1.0, 2.0])
    plotting.finish(fig, "DfE, SEN2, 2025 release")
    plotting.save_figure(fig, "t", pd.DataFrame({"year": [2020, 2021], "value": [1.0, 2.0]}),
                         out_dir=tmp_path)
    plt.close(fig)
    meta = json.loads((tmp_path / "tables/t.json").read_text())
    assert {k: meta[k] for k in ("title", "measure", "source")} == {
        "title": "Plans rose by a third", "measure": "EHC plans, January",
        "source": "DfE, SEN2, 2025 release"}
    assert [(c["name"], c["unit"]) for c in meta["columns"]] == [("year", "year"),
                                                                 ("value", "EHC plans, January")]


def test_failed_save_keeps_the_previous_file(tmp_path, monkeypatch):
    fig, data = _draw()
    paths = plotting.save_figure(fig, "f", data, out_dir=tmp_path)
    before = paths["csv"].read_bytes()

    def broken(self, *args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(pd.DataFrame, "to_csv", broken)
    with pytest.raises(OSError, match="disk full"):
        plotting.write_table(data, paths["csv"])
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
    assert soup.a["href"] == "tables/ehcp_trend.csv" and "2 rows" in soup.a.text
    assert soup.details.table.caption.text == "The data behind the chart: A finding"
    long = pd.DataFrame({"year": range(plotting.TABLE_ROWS + 1), "value": 1.0})
    soup = BeautifulSoup(plotting.chart_html("long", fig, long), "html.parser")
    assert soup.details is None and "in the CSV linked below it" in soup.img["alt"]
    assert plotting.chart_html("ehcp_trend", fig, short) == plotting.chart_html("ehcp_trend", fig, short)
    plt.close(fig)


def test_chart_html_gives_narrow_screens_the_phone_rendering():
    fig, data = _draw()
    soup = BeautifulSoup(plotting.chart_html("ehcp_trend", fig, data), "html.parser")
    source, img = soup.picture.source, soup.picture.img
    assert source["media"] == "(max-width: 40em)"
    assert source["srcset"].startswith("data:image/webp;base64,") and source["srcset"] != img["src"]
    assert soup.picture.find_all("img") == [img] and img["alt"].startswith("Chart: The finding")
    plt.close(fig)


def _image_size(data: bytes) -> tuple[int, int]:
    import io

    from PIL import Image

    return Image.open(io.BytesIO(data)).size


def _panels(ncols: int = 3):
    plotting.setup_style()
    fig, axes = plotting.chart("A finding long enough that it has to wrap to fit a phone's width",
                               "what is measured in every panel", size=(3.2 * ncols, 4), ncols=ncols)
    for k, ax in enumerate(axes):
        ax.plot([2015, 2020, 2025], [k, k + 1, k + 3], label="England")
        ax.set_title(f"Panel {k}", loc="left")
    axes[0].legend()
    plotting.finish(fig, "DfE SEN2, a source line that is long enough to need wrapping on a phone",
                    "a note that also has to be wrapped to the phone's width when laid out")
    return fig, axes


def test_phone_layout_puts_the_figure_back_as_it_was():
    fig, axes = _panels()
    def where():
        return [tuple(round(v, 9) for v in ax.get_position().bounds) for ax in axes]

    before = plotting.page_image(fig), fig.get_suptitle(), where()
    with plotting.phone_layout(fig):
        assert fig.get_size_inches()[0] == plotting.PHONE_WIDTH
    fig.draw_without_rendering()
    assert (plotting.page_image(fig), fig.get_suptitle(), where()) == before
    assert axes[0].get_legend().get_visible() and len(axes[0].get_legend().get_texts()) == 1
    plt.close(fig)


def test_phone_layout_stacks_panels_in_a_phone_wide_image():
    fig, axes = _panels()
    desk_width, _ = _image_size(plotting.page_image(fig))
    with plotting.phone_layout(fig):
        width, height = _image_size(plotting.page_image(fig))
        boxes = [ax.get_position() for ax in axes]
        title_lines = fig.get_suptitle().count("\n") + 1
    assert desk_width > 800 and width <= 400 and height > 3 * 2.6 * 100
    assert [round(b.x0, 3) for b in boxes] == [round(boxes[0].x0, 3)] * 3   # one column
    assert boxes[0].y0 > boxes[1].y0 > boxes[2].y0                      # first on top
    assert title_lines >= 2
    plt.close(fig)


def test_phone_layout_moves_a_legend_under_its_panel():
    plotting.setup_style()
    fig, ax = plotting.chart("A finding", "A measure")
    for k in range(3):
        ax.plot([2015, 2020, 2025], [k, k + 1, k + 2], label=f"series number {k} with a long name")
    ax.legend(loc="upper left")
    ax.set_xlabel("year")
    with plotting.phone_layout(fig):
        plotting.page_image(fig)
        legend = ax.get_legend().get_window_extent()
        label = ax.xaxis.label.get_window_extent()
        assert legend.y1 <= label.y0 and legend.x1 <= fig.bbox.width
    assert ax.get_legend().get_window_extent().y0 > ax.bbox.y0     # back inside on the desk
    plt.close(fig)


def test_phone_layout_wraps_long_category_labels_and_keeps_whole_year_ticks():
    plotting.setup_style()
    fig, ax = plotting.chart("A finding", "A measure")
    names = ["Independent and non-maintained special schools", "Mainstream schools"]
    ax.barh(names, [51.1, 9.8])
    with plotting.phone_layout(fig):
        labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["Independent and\nnon-maintained\nspecial schools", "Mainstream schools"]
    assert [t.get_text() for t in ax.get_yticklabels()] == names
    plt.close(fig)
    fig, ax = plotting.chart("A finding", "A measure")
    ax.plot(range(2014, 2026), range(12))
    with plotting.phone_layout(fig):
        ticks = [t for t in ax.get_xticks() if 2014 <= t <= 2025]
    assert ticks and all(float(t).is_integer() for t in ticks)
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
    assert len(set(plotting.HATCHES)) == len(plotting.PALETTE)


@pytest.mark.parametrize(("fill", "hatch_colour", "edge"), [
    ("#12436d", "white", None),           # dark blue, 10:1: white pattern, no outline needed
    ("#28a197", "#0b0c0c", None),         # turquoise, 3.2:1: dark pattern
    ("#d9d9d9", "#0b0c0c", "#505a5f")])   # light grey, 1.4:1: dark pattern and an outline
def test_a_bar_category_has_a_pattern_and_a_light_one_an_outline(fill, hatch_colour, edge):
    assert plotting.contrast_with_white(fill) == pytest.approx(_contrast_with_white(fill), abs=0.01)
    style = plotting.bar_style(3, fill)
    assert style["hatch"] == "xxx" and style["hatchcolor"] == hatch_colour and style["color"] == fill
    assert style.get("edgecolor") == edge
    assert plotting.bar_style(0, fill)["hatch"] == ""   # the first category is plain


def test_phone_layout_keeps_the_desk_height_of_a_panel_with_labels_on_its_lines():
    plotting.setup_style()
    fig, ax = plotting.chart("A finding", "A measure")
    ends = []
    for k in range(6):
        ax.plot([2015, 2020], [k, k + 0.1], label=f"line {k}")
        ends.append((f"line {k}", 2020, k + 0.1))
    plotting.label_line_ends(ax, ends)
    plotting.page_image(fig)   # laid out on the desk first, as chart_html does
    desk = ax.get_position().height * fig.get_size_inches()[1]
    with plotting.phone_layout(fig):
        fig.draw_without_rendering()
        phone = ax.get_position().height * fig.get_size_inches()[1]
    assert desk > plotting.PHONE_PANEL_HEIGHT and phone >= 0.95 * desk
    plt.close(fig)


def test_a_chart_links_its_data_where_the_run_wrote_it(tmp_path, monkeypatch):
    from analysis.report import words
    monkeypatch.chdir(tmp_path / "..")
    monkeypatch.setattr(words, "PUBLISHING", False)
    assert plotting.data_href("f", tmp_path / "out") == f"{tmp_path.name}/out/tables/f.csv"   # by hand
    monkeypatch.setattr(words, "PUBLISHING", True)
    assert plotting.data_href("f", tmp_path / "out") == "tables/f.csv"   # a published page


def test_a_notebook_run_by_hand_writes_to_the_scratch_folder_not_reports():
    from analysis import settings
    assert settings.notebook_output(None) == settings.PROJECT_ROOT / "build" / "scratch"
    assert settings.notebook_output("/tmp/x").as_posix() == "/tmp/x"
