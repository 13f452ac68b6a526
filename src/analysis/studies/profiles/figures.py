"""A theme's indicators as small multiples: one panel image per indicator (the LA, its statistical
neighbours and England over every year held), as image bytes
(:func:`analysis.report.plotting.page_image`); the page gives each its title, its key and its
table in HTML, so the text is the page's own and the panels wrap to the width of the screen.

Drawn for speed (about 150 profiles x 26 indicators in one run): each indicator's figure is made
once per process and only the data, limits and ticks change from one LA to the next. Figures
are made without pyplot, so a notebook's inline backend never shows or keeps them. Every draw
sets all that varies, so the bytes depend only on the LA's data, not on which LA was drawn
before (tests compare a batch with fresh runs).
"""

from __future__ import annotations

from contextlib import contextmanager

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from analysis.report.plotting import ROLE_COLOURS, page_image
from analysis.studies.themes import Theme

PANEL = (2.9, 2.0)   # inches (width, height): 232 x 160 pixels, shown at that size
PATH = (4.4, 3.0)
"""Inches (width, height) of the demand outlook and balance charts: 352 x 240 pixels, shown at that
size on a desk and on a phone alike (text 10 and 9 points, 11 and 10 pixels high)."""
DPI = 80
DRAWN = [*ROLE_COLOURS.values(), "#505a5f", "#dddddd", "#d4351c"]
"""The colours a profile chart draws with (roles, axis and grid greys, the "not available" red):
its image keeps them exactly, with their blends with white, and adds none."""
ROLES = ("England", "Neighbours", "LA")   # drawing order: the LA on top
STYLE = {"LA": dict(color=ROLE_COLOURS["LA"], lw=2.2, marker="o", ms=3.5, zorder=3),
         "Neighbours": dict(color=ROLE_COLOURS["Comparators"], lw=1.6, marker="s", ms=3, zorder=2),
         "England": dict(color=ROLE_COLOURS["England"], lw=1.2, ls="--", marker=".", ms=4, zorder=1)}


Series = dict[str, tuple[np.ndarray, np.ndarray]]
"""Role -> (years, values), sorted by year."""


def _by_role(frame: pd.DataFrame) -> Series:
    order = np.argsort(frame["year"].to_numpy(float), kind="stable")
    roles = frame["role"].to_numpy()[order]
    years, values = frame["year"].to_numpy(float)[order], frame["value"].to_numpy(float)[order]
    return {role: (years[roles == role], values[roles == role]) for role in ROLES}


def theme_lines(profile, theme: Theme) -> dict[str, Series]:
    """Per indicator of ``theme``: the years and values of the LA, its neighbours and England."""
    empty = pd.DataFrame({"role": [], "year": [], "value": []})
    out = {}
    for link in theme.links:
        own = _by_role(profile.lines.get(link.indicator, empty))
        england = profile.england[link.indicator].sort_values("year", kind="stable")
        own["England"] = (england["year"].to_numpy(float), england["value"].to_numpy(float))
        out[link.indicator] = own
    return out


class _PanelFigure:
    """One indicator's panel, reused for every LA."""

    def __init__(self, meta):
        self.fig = Figure(figsize=PANEL, dpi=DPI)
        self.ax = ax = self.fig.subplots()
        ax.tick_params(labelsize=8.5)   # title and unit are the page's text, above the panel
        ax.spines[["top", "right"]].set_visible(False)
        ax.grid(axis="y", color="#dddddd", lw=0.5)
        ax.yaxis.set_major_locator(MaxNLocator(4))
        # a yes/no is a mark per year (the LA: 0 or 100; the others: the share saying yes),
        # not a line, which would read as a level moving between years
        style = {role: {**STYLE[role], "ls": "none"} if meta.binary else STYLE[role] for role in ROLES}
        self.lines = {role: ax.plot([], [], **style[role])[0] for role in ROLES}
        self.missing = ax.text(0.5, 0.97, "Not available for this LA", transform=ax.transAxes,
                               ha="center", va="top", fontsize=8, color="#d4351c", zorder=4,
                               bbox=dict(facecolor="white", edgecolor="#d4351c", lw=0.8))
        self.fig.subplots_adjust(left=0.16, right=0.97, bottom=0.14, top=0.95)
        for axis in (ax.xaxis, ax.yaxis):
            unlabelled(axis)

    def draw(self, series: Series, available: bool) -> bytes:
        for role, line in self.lines.items():
            line.set_data(*series[role])
        _limits(self.ax, series)
        self.missing.set_visible(not available)
        with unhinted():
            return page_image(self.fig, DPI, 0, DRAWN, crop=False)


def unlabelled(axis) -> None:
    """Skip the measuring an axis does for a label it does not have. On every draw matplotlib
    measures every tick label to place the axis label (of this axis and its siblings) and the
    offset text (such as "1e6"): about a third of drawing a panel. With no label text the label
    is not placed, and the tick labels are measured only when the axis has an offset to show;
    what is drawn is the same, pixel for pixel (tests compare, with and without an offset). For
    a figure drawn at its own size: a tight crop measures the tick labels the same way."""
    if axis.label.get_text():
        raise ValueError("unlabelled: the axis has a label, which must be placed")
    axis._update_label_position = lambda renderer: None
    measure = axis._get_ticklabel_bboxes
    axis._get_ticklabel_bboxes = lambda ticks, renderer: (
        measure(ticks, renderer) if axis.major.formatter.get_offset() else ([], []))


@contextmanager
def unhinted():
    """Draw text unhinted (about a fifth faster, the same look at this size): sets and restores
    the one setting, where ``matplotlib.rc_context`` copies every setting (a millisecond a draw)."""
    before = mpl.rcParams["text.hinting"]
    mpl.rcParams["text.hinting"] = "no_hinting"
    try:
        yield
    finally:
        mpl.rcParams["text.hinting"] = before


def _limits(ax, series: Series) -> None:
    """Axis limits and year ticks from the panel's data alone."""
    years = np.unique(np.concatenate([x for x, _ in series.values()]))
    years = years[~np.isnan(years)].astype(int)
    values = np.concatenate([y for _, y in series.values()])
    values = values[~np.isnan(values)]
    if len(years):
        ticks = years[::-1][::max(1, len(years) // 4)][::-1]
        ax.set_xticks(ticks, [f"{y % 100:02d}" if len(years) > 4 else str(y) for y in ticks])
        ax.set_xlim(years[0] - 0.5, years[-1] + 0.5)
    else:
        ax.set_xticks([])
        ax.set_xlim(0, 1)
    low, high = (min(0.0, values.min()), values.max()) if len(values) else (0.0, 1.0)
    pad = (high - low) * 0.08 or 1.0
    ax.set_ylim(low, high + pad)


_PANELS: dict[str, _PanelFigure] = {}
"""Indicator id -> its reusable panel, for this process."""


def panel_images(profile, theme: Theme, lines: dict[str, Series]) -> dict[str, bytes]:
    """Per indicator of ``theme``: its panel for one LA as image bytes
    (:func:`analysis.report.plotting.page_image`); ``lines`` from :func:`theme_lines`."""
    images = {}
    for key, series in lines.items():
        if key not in _PANELS:
            _PANELS[key] = _PanelFigure(profile.catalogue.indicators[key])
        available = bool(pd.notna(profile.summary.loc[key, "value"]))
        images[key] = _PANELS[key].draw(series, available)
    return images


class _PathFigure:
    """A series published, then projected with its 80% interval (the demand outlook's plans, the
    money section's balance); one figure per kind and process, its data replaced for each LA."""

    def __init__(self, ylabel: str, ahead_label: str, band_label: str, legend_loc: str,
                 zero_line: bool):
        self.fig = Figure(figsize=PATH, dpi=DPI)
        self.ax = ax = self.fig.subplots()
        self.held = ax.plot([], [], color=ROLE_COLOURS["England"], lw=2, marker="o", ms=3,
                            label="published")[0]
        self.ahead = ax.plot([], [], color=ROLE_COLOURS["LA"], lw=2, marker="o", ms=3,
                             label=ahead_label)[0]
        self.band = None
        if zero_line:
            ax.axhline(0, color="#505a5f", lw=0.8)
        ax.set_ylabel(ylabel, fontsize=10)
        unlabelled(ax.xaxis)
        ax.tick_params(labelsize=10)
        ax.spines[["top", "right"]].set_visible(False)
        ax.grid(axis="y", color="#dddddd", lw=0.5)
        ax.legend(handles=[self.held, self.ahead,
                           mpl.patches.Patch(color=ROLE_COLOURS["LA"], alpha=0.25, label=band_label)],
                  loc=legend_loc, fontsize=9, frameon=False)
        self.fig.subplots_adjust(left=0.19, right=0.97, bottom=0.11, top=0.97)

    def draw(self, held: tuple, ahead: tuple, xlim: tuple, ylim: tuple) -> bytes:
        """``held``: (years, values); ``ahead``: (years, values, lower, upper), arrays."""
        self.held.set_data(*held)
        self.ahead.set_data(*ahead[:2])
        if self.band is not None:
            self.band.remove()
        self.band = self.ax.fill_between(ahead[0], ahead[2], ahead[3], color=ROLE_COLOURS["LA"],
                                         alpha=0.25, lw=0)
        self.ax.set_xlim(*xlim)
        self.ax.set_ylim(*ylim)
        self.ax.yaxis.set_major_formatter(mpl.ticker.FuncFormatter(lambda v, _: f"{v:,.0f}"))
        with unhinted():
            return page_image(self.fig, DPI, 0, DRAWN, crop=False)


_PATHS: dict[str, _PathFigure] = {}
"""Kind ("outlook", "money") -> its reusable figure, for this process."""


def _path_figure(kind: str) -> _PathFigure:
    if kind not in _PATHS:
        _PATHS[kind] = (_PathFigure("EHC plans", "forecast (default method)", "80% interval",
                                    "upper left", zero_line=False) if kind == "outlook" else
                        _PathFigure("£ million", "estimated, then projected (default scenario)",
                                    "80% interval", "lower left", zero_line=True))
    return _PATHS[kind]


def _arrays(frame: pd.DataFrame, *columns: str, scale: float = 1.0) -> tuple:
    return tuple(frame[c].to_numpy(float) / (scale if c != "year" else 1.0) for c in columns)


def outlook_image(totals: pd.DataFrame) -> bytes:
    """One LA's demand outlook chart as image bytes (:func:`analysis.report.plotting.page_image`;
    ``totals``: its rows of the outlook): plans
    held, the default forecast from the last January held, and its 80% interval."""
    held = totals[totals["method"].eq("actual")].sort_values("year")
    ahead = totals[~totals["method"].eq("actual")].sort_values("year")
    if len(held) and len(ahead):   # the forecast line starts at the last January held
        ahead = pd.concat([held.tail(1).assign(lower_80=held["value"].iloc[-1],
                                               upper_80=held["value"].iloc[-1]), ahead])
    values = pd.concat([held["value"], ahead["upper_80"]]).dropna()
    years = pd.concat([held["year"], ahead["year"]])
    return _path_figure("outlook").draw(
        _arrays(held, "year", "value"), _arrays(ahead, "year", "value", "lower_80", "upper_80"),
        (years.min() - 0.5, years.max() + 0.5), (0, (values.max() if len(values) else 1) * 1.08))


def money_image(path: pd.DataFrame) -> bytes:
    """One LA's DSG balance path as image bytes (:func:`analysis.report.plotting.page_image`;
    ``path``: its rows of the money section), £
    million: published, then projected on the default scenario with its 80% interval."""
    rows = path.sort_values("year")
    held = rows[rows["lower_gbp"].isna()]   # published (or supplied): no interval
    ahead = pd.concat([held.tail(1), rows[rows["lower_gbp"].notna()]])
    scale = 1e6
    values = pd.concat([rows["value_gbp"], rows["lower_gbp"], rows["upper_gbp"], pd.Series([0.0])]) / scale
    pad = (values.max() - values.min()) * 0.08 or 1.0
    return _path_figure("money").draw(
        _arrays(held, "year", "value_gbp", scale=scale),
        _arrays(ahead, "year", "value_gbp", "lower_gbp", "upper_gbp", scale=scale),
        (rows["year"].min() - 0.5, rows["year"].max() + 0.5), (values.min() - pad, values.max() + pad))
