"""The profile panels skip placing axis labels they do not have: the same pixels, less work."""

from types import SimpleNamespace

import numpy as np
import pytest

from analysis.studies.profiles import figures

SERIES = {"LA": (np.array([2021.0, 2022, 2023, 2024]), np.array([10.0, 12.5, 11.0, 14.0])),
          "Neighbours": (np.array([2021.0, 2022, 2023, 2024]), np.array([9.0, 9.5, 10.0, 11.0])),
          "England": (np.array([2020.0, 2021, 2022, 2023, 2024]), np.array([8.0, 8.5, 9.0, 9.5, 10.5]))}


@pytest.mark.parametrize("binary", [False, True])
def test_a_panel_drawn_without_placing_absent_labels_has_the_same_bytes(binary):
    skipped = figures._PanelFigure(SimpleNamespace(binary=binary))
    placed = figures._PanelFigure(SimpleNamespace(binary=binary))
    for axis in (placed.ax.xaxis, placed.ax.yaxis):
        del axis._update_label_position   # matplotlib's own method again
    assert "_update_label_position" not in vars(placed.ax.xaxis)
    assert skipped.draw(SERIES, True) == placed.draw(SERIES, True)
    assert skipped.draw(SERIES, False) == placed.draw(SERIES, False)


def test_an_axis_with_a_label_is_not_left_unplaced():
    panel = figures._PanelFigure(SimpleNamespace(binary=False))
    panel.ax.set_ylabel("EHC plans")
    with pytest.raises(ValueError, match="has a label"):
        figures.unlabelled(panel.ax.yaxis)
