"""The profile panels skip placing axis labels they do not have, and measuring tick labels for an
offset they do not show: the same pixels, less work."""

from types import SimpleNamespace

import matplotlib as mpl
import numpy as np
import pytest

from analysis.studies.profiles import figures

SERIES = {"LA": (np.array([2021.0, 2022, 2023, 2024]), np.array([10.0, 12.5, 11.0, 14.0])),
          "Neighbours": (np.array([2021.0, 2022, 2023, 2024]), np.array([9.0, 9.5, 10.0, 11.0])),
          "England": (np.array([2020.0, 2021, 2022, 2023, 2024]), np.array([8.0, 8.5, 9.0, 9.5, 10.5]))}


def _placed(binary: bool) -> figures._PanelFigure:
    panel = figures._PanelFigure(SimpleNamespace(binary=binary))
    for axis in (panel.ax.xaxis, panel.ax.yaxis):
        del axis._update_label_position, axis._get_ticklabel_bboxes   # matplotlib's own again
    assert "_get_ticklabel_bboxes" not in vars(panel.ax.yaxis)
    return panel


@pytest.mark.parametrize("binary", [False, True])
def test_a_panel_drawn_without_placing_absent_labels_has_the_same_bytes(binary):
    skipped, placed = figures._PanelFigure(SimpleNamespace(binary=binary)), _placed(binary)
    assert skipped.draw(SERIES, True) == placed.draw(SERIES, True)
    assert skipped.draw(SERIES, False) == placed.draw(SERIES, False)


def _path(placed: bool) -> figures._PathFigure:
    path = figures._PathFigure("EHC plans", "forecast", "80% interval", "upper left", zero_line=False)
    if placed:
        del path.ax.xaxis._update_label_position, path.ax.xaxis._get_ticklabel_bboxes
    return path


def _draw_far_from_zero(path: figures._PathFigure) -> bytes:
    """Years far from zero and close together: the x axis shows them from an offset ("+1e5"),
    placed below the tick labels it must measure."""
    years = np.arange(100_000.0, 100_006.0)
    held = (years[:4], np.array([10.0, 11, 12, 13]))
    ahead = (years[3:], np.array([13.0, 14, 15]), np.array([12.0, 12.5, 13]), np.array([14.0, 15.5, 17]))
    return path.draw(held, ahead, (years[0] - 0.5, years[-1] + 0.5), (0, 20))


def test_an_axis_with_an_offset_still_measures_its_tick_labels():
    skipped = _path(placed=False)
    image = _draw_far_from_zero(skipped)
    assert skipped.ax.xaxis.major.formatter.get_offset()   # the case is one with an offset
    assert image == _draw_far_from_zero(_path(placed=True))
    never = _path(placed=False)   # measuring never: the offset lands elsewhere
    never.ax.xaxis._get_ticklabel_bboxes = lambda ticks, renderer: ([], [])
    assert _draw_far_from_zero(never) != image


def test_drawing_leaves_the_text_setting_as_it_was():
    before = mpl.rcParams["text.hinting"]
    figures._PanelFigure(SimpleNamespace(binary=False)).draw(SERIES, True)
    assert mpl.rcParams["text.hinting"] == before != "no_hinting"


def test_an_axis_with_a_label_is_not_left_unplaced():
    panel = figures._PanelFigure(SimpleNamespace(binary=False))
    panel.ax.set_ylabel("EHC plans")
    with pytest.raises(ValueError, match="has a label"):
        figures.unlabelled(panel.ax.yaxis)
