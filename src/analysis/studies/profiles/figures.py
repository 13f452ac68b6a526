"""Small multiples of a theme's indicators: the LA, its statistical neighbours and England over
every year held, one panel per indicator, as image bytes (:func:`analysis.report.plotting.page_image`).

Drawn for speed (about 150 profiles x 6 themes in one run): each theme's figure, panels,
titles and legend are made once per process and only the data, limits, ticks and the LA's name
change from one LA to the next. Figures are made without pyplot, so a notebook's inline
backend never shows or keeps them. Every draw sets all that varies, so the PNG bytes depend only
on the LA's data, not on which LA was drawn before (tests compare a batch with fresh runs).
"""

from __future__ import annotations

import textwrap

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator

from analysis.report.plotting import ROLE_COLOURS, page_image
from analysis.studies.themes import Catalogue, Theme

NCOLS = 4
PANEL = (2.9, 2.3)   # inches per panel (width, height)
LEGEND_SPACE = 0.35  # inches for the legend above the panels
TITLE_SPACE = 0.4    # inches for two lines of panel title
DPI = 80
DRAWN = [*ROLE_COLOURS.values(), "#505a5f", "#dddddd", "#d4351c"]
"""The colours a profile chart draws with (roles, axis and grid greys, the "not available" red):
its image keeps them exactly, with their blends with white, and adds none."""
TEXT = {"text.hinting": "no_hinting"}
"""Unhinted text draws about a fifth faster and looks the same at this size."""
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


class _ThemeFigure:
    """A theme's figure with one panel per indicator, reused for every LA."""

    def __init__(self, theme: Theme, catalogue: Catalogue):
        self.keys = [link.indicator for link in theme.links]
        # at least three columns wide, so the legend above the panels always fits
        nrows, ncols = -(-len(self.keys) // NCOLS), max(3, min(NCOLS, len(self.keys)))
        height = PANEL[1] * nrows + LEGEND_SPACE + TITLE_SPACE
        width = PANEL[0] * ncols
        self.fig = Figure(figsize=(width, height), dpi=DPI)
        axes = self.fig.subplots(nrows, ncols, squeeze=False).flat
        for ax in axes[len(self.keys):]:
            ax.set_visible(False)
        self.axes, self.lines, self.missing = list(axes[:len(self.keys)]), [], []
        for ax, key in zip(self.axes, self.keys):
            meta = catalogue.indicators[key]
            # a fixed title position spares matplotlib measuring every axis to place it
            ax.set_title("\n".join(textwrap.wrap(meta.title, 30)), fontsize=8.5, loc="left",
                         fontweight="bold", y=1.02)
            ax.set_ylabel("\n".join(textwrap.wrap(meta.unit, 26)), fontsize=7)
            ax.yaxis.set_label_coords(-0.2, 0.5)  # fixed: no measuring of tick labels to place it
            ax.tick_params(labelsize=7)
            ax.spines[["top", "right"]].set_visible(False)
            ax.grid(axis="y", color="#dddddd", lw=0.5)
            ax.yaxis.set_major_locator(MaxNLocator(4))
            # a yes/no is a mark per year (the LA: 0 or 100; the others: the share saying yes),
            # not a line, which would read as a level moving between years
            style = {role: {**STYLE[role], "ls": "none"} if meta.binary else STYLE[role] for role in ROLES}
            self.lines.append({role: ax.plot([], [], **style[role])[0] for role in ROLES})
            self.missing.append(ax.text(
                0.5, 0.97, "Not available for this LA", transform=ax.transAxes, ha="center",
                va="top", fontsize=8, color="#d4351c", zorder=4,
                bbox=dict(facecolor="white", edgecolor="#d4351c", lw=0.8)))
        handles = [Line2D([], [], **STYLE[role]) for role in ("LA", "Neighbours", "England")]
        self.legend = self.fig.legend(handles, ["LA", "Statistical neighbours", "England"],
                                      loc="upper left", ncols=3, fontsize=8, frameon=False,
                                      bbox_to_anchor=(0.01, 1.0))
        self.fig.subplots_adjust(left=0.8 / width, right=0.99, bottom=0.3 / height,
                                 top=1 - (LEGEND_SPACE + TITLE_SPACE) / height,
                                 wspace=0.42, hspace=0.65)

    def draw(self, la_name: str, lines: dict[str, Series], available: dict[str, bool]) -> bytes:
        self.legend.get_texts()[0].set_text(la_name)
        for ax, key, artists, missing in zip(self.axes, self.keys, self.lines, self.missing):
            for role, line in artists.items():
                line.set_data(*lines[key][role])
            _limits(ax, lines[key])
            missing.set_visible(not available[key])
        with mpl.rc_context(TEXT):
            return page_image(self.fig, DPI, 0, DRAWN, crop=False)


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


_FIGURES: dict[str, _ThemeFigure] = {}
"""Theme id -> its reusable figure, for this process."""


def _figure(theme: Theme, catalogue: Catalogue) -> _ThemeFigure:
    if theme.id not in _FIGURES:
        _FIGURES[theme.id] = _ThemeFigure(theme, catalogue)
    return _FIGURES[theme.id]


def theme_image(profile, theme: Theme) -> bytes:
    """The theme's small multiples for one LA as image bytes (:func:`analysis.report.plotting.page_image`)."""
    available = {link.indicator: bool(pd.notna(profile.summary.loc[link.indicator, "value"]))
                 for link in theme.links}
    return _figure(theme, profile.catalogue).draw(profile.name, theme_lines(profile, theme),
                                                  available)


class _PathFigure:
    """A series published, then projected with its 80% interval (the demand outlook's plans, the
    money section's balance); one figure per kind and process, its data replaced for each LA."""

    def __init__(self, ylabel: str, ahead_label: str, band_label: str, legend_loc: str,
                 zero_line: bool):
        self.fig = Figure(figsize=(6.0, 2.7), dpi=DPI)
        self.ax = ax = self.fig.subplots()
        self.held = ax.plot([], [], color=ROLE_COLOURS["England"], lw=2, marker="o", ms=3,
                            label="published")[0]
        self.ahead = ax.plot([], [], color=ROLE_COLOURS["LA"], lw=2, marker="o", ms=3,
                             label=ahead_label)[0]
        self.band = None
        if zero_line:
            ax.axhline(0, color="#505a5f", lw=0.8)
        ax.set_ylabel(ylabel, fontsize=7)
        ax.tick_params(labelsize=7)
        ax.spines[["top", "right"]].set_visible(False)
        ax.grid(axis="y", color="#dddddd", lw=0.5)
        ax.legend(handles=[self.held, self.ahead,
                           mpl.patches.Patch(color=ROLE_COLOURS["LA"], alpha=0.25, label=band_label)],
                  loc=legend_loc, fontsize=7, frameon=False)
        self.fig.subplots_adjust(left=0.13, right=0.98, bottom=0.12, top=0.95)

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
        with mpl.rc_context(TEXT):
            return page_image(self.fig, DPI, 0, DRAWN, crop=False)


_PATHS: dict[str, _PathFigure] = {}
"""Kind ("outlook", "money") -> its reusable figure, for this process."""


def _path_figure(kind: str) -> _PathFigure:
    if kind not in _PATHS:
        _PATHS[kind] = (_PathFigure("EHC plans", "forecast (default method)", "80% interval",
                                    "upper left", zero_line=False) if kind == "outlook" else
                        _PathFigure("£ million", "projected (default scenario)", "80% interval (demand)",
                                    "lower left", zero_line=True))
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
    held = rows[rows["kind"].eq("actual")]
    ahead = pd.concat([held.tail(1), rows[rows["kind"].eq("projected")]])
    scale = 1e6
    values = pd.concat([rows["value_gbp"], rows["lower_gbp"], rows["upper_gbp"], pd.Series([0.0])]) / scale
    pad = (values.max() - values.min()) * 0.08 or 1.0
    return _path_figure("money").draw(
        _arrays(held, "year", "value_gbp", scale=scale),
        _arrays(ahead, "year", "value_gbp", "lower_gbp", "upper_gbp", scale=scale),
        (rows["year"].min() - 0.5, rows["year"].max() + 0.5), (values.min() - pad, values.max() + pad))
