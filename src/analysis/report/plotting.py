"""One figure style for every report, and deterministic saving of figures with their data.

``setup_style()`` sets matplotlib's rcParams once (font, sizes, colours, fixed SVG ids).
``chart()`` opens a figure whose title states the finding; ``finish()`` adds the source line;
``save_figure()`` writes PNG and SVG to ``reports/figures/`` and the data behind the chart as
CSV to ``reports/tables/``, byte-identical for identical inputs (no timestamps or software
versions embedded, fixed SVG hash salt), each file written atomically. ``render()`` shows a
chart on a page as :func:`chart_html`: the image with alt text from its title (the finding,
written from the data), a link to its CSV and the data as a table, collapsed.
"""

from __future__ import annotations

import base64
import contextlib
import html
import io
import os
import textwrap
from pathlib import Path

import matplotlib as mpl
import matplotlib.pyplot as plt
import pandas as pd

from analysis.files import atomic_write, write_csv, write_table_title
from analysis.report import columns, words
from analysis.settings import current

ROLE_COLOURS = {"England": "#0b0c0c", "LA": "#1d70b8", "Comparators": "#c35a00"}
"""Colours for the local view: England, the LA, and its comparator group (each at least 4.3:1
against white; England is also dashed wherever the three are drawn together)."""

PALETTE = ["#12436d", "#c35a00", "#28a197", "#801650", "#3d3d3d", "#a285d1", "#1d70b8", "#00703c",
           "#d4351c", "#b58840"]
"""Categorical palette: the Analysis Function's six (dark blue, orange darkened to 4.4:1,
turquoise, dark pink, dark grey, light purple), then GOV.UK blue, green, red and brown: every
colour at least 3:1 against white, the WCAG 2.2 minimum for graphics."""

MARKERS = ["o", "s", "^", "D", "v", "P", "X", "*", "h", "<"]
"""A marker per series, in :data:`PALETTE`'s order, so colour is never the only cue."""
HATCHES = ["", "///", "...", "xxx", "\\\\\\", "+++", "ooo", "---", "|||", "***"]
"""A fill pattern per category of a bar chart (the bars' markers), in :data:`PALETTE`'s order."""
OUTLINE = "#505a5f"
"""The edge of a bar whose fill is too light to stand out against white (under 3:1)."""


def bar_style(index: int, fill: str) -> dict:
    """How the ``index``-th category of a bar chart is drawn with ``fill``: its colour, its
    pattern (:data:`HATCHES`) in white on a dark fill and in near-black on a light one, and an
    :data:`OUTLINE` when the fill is lighter than 3:1 against white; matplotlib's ``bar`` and
    ``barh`` keywords."""
    ratio = contrast_with_white(fill)
    style = {"color": fill, "hatch": HATCHES[index % len(HATCHES)], "linewidth": 0,
             "hatchcolor": "white" if ratio >= 4.5 else "#0b0c0c"}
    if ratio < 3.0:
        style.update(edgecolor=OUTLINE, linewidth=0.6)
    return style


def contrast_with_white(colour: str) -> float:
    """The WCAG 2.2 contrast ratio of ``colour`` (#rrggbb) against white."""
    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(int(colour[i:i + 2], 16) / 255) for i in (1, 3, 5))
    return 1.05 / (0.2126 * r + 0.7152 * g + 0.0722 * b + 0.05)

PNG_DPI = 150
PAGE_DPI = 100
"""Resolution of a chart shown on a page (the PNG file in ``figures/`` has :data:`PNG_DPI`)."""
PAGE_COLOURS = 32
"""Colours a page's image may add by median cut to :data:`CHART_COLOURS` and their blends (the
site's weight budget: the file is about a third of a full-colour one)."""
PHONE_WIDTH = 3.6
"""Width (inches) of a chart's phone rendering: 360 pixels at :data:`PAGE_DPI`, shown nearly at
its drawn size on a phone (its 10-point text about 13 pixels high)."""
PHONE_PANEL_HEIGHT = 2.6
"""Height (inches) of each panel in a chart's phone rendering, panels one under another."""
LABELLED = 4
"""A panel with this many texts written on it (labels at the ends of lines) keeps its desk
height in :func:`phone_layout`, so the labels stay apart."""
PHONE_MEDIA = "(max-width: 40em)"
"""Screens narrower than this (a phone, or a desktop zoomed to 250% or more) get the phone
rendering of a chart."""
SVG_SALT = "send-evidence-base"
TABLE_ROWS = 80
"""A chart whose data have more rows than this links its CSV without a table on the page."""


def setup_style() -> None:
    """Apply the report style to matplotlib (call once per session or notebook)."""
    mpl.rcParams.update({
        "font.family": "DejaVu Sans", "font.size": 10, "axes.titlesize": 12,
        "axes.titleweight": "bold", "axes.titlelocation": "left", "axes.labelsize": 10,
        "axes.spines.top": False, "axes.spines.right": False, "axes.grid": True,
        "axes.grid.axis": "y", "grid.color": "#dddddd", "grid.linewidth": 0.6,
        "axes.prop_cycle": mpl.cycler(color=PALETTE), "legend.frameon": False,
        "figure.figsize": (8, 4.5), "figure.dpi": 100, "savefig.bbox": "tight",
        "svg.hashsalt": SVG_SALT, "svg.fonttype": "path", "path.simplify": True,
    })


def chart(title: str, subtitle: str = "", *, size: tuple[float, float] = (8, 4.5), ncols: int = 1,
          nrows: int = 1):
    """A new figure titled with the finding (wrapped) and a subtitle saying what is measured.

    Returns ``(fig, ax)`` (or an array of axes when ``ncols`` or ``nrows`` > 1).
    """
    fig, ax = plt.subplots(nrows, ncols, figsize=size, layout="constrained")
    heading = "\n".join(textwrap.wrap(title, 80))
    fig.suptitle(heading, x=0.01, ha="left", fontsize=12, fontweight="bold")
    if subtitle and ncols == 1 and nrows == 1:
        ax.set_title(subtitle, fontsize=9.5, fontweight="normal", color="#505a5f", loc="left")
    elif subtitle:  # panels carry their own titles: the measure goes under the panels
        fig.supxlabel(subtitle, x=0.01, ha="left", fontsize=9.5, color="#505a5f")
    return fig, ax


def finish(fig, source: str, note: str = "") -> None:
    """Write the source line (and an optional note) under the chart."""
    text = "Source: " + source + (f"\nNote: {note}" if note else "")
    wrapped = "\n".join(textwrap.fill(line, 130) for line in text.splitlines())
    fig.text(0.01, -0.01, wrapped, ha="left", va="top", fontsize=7.5, color="#505a5f")


def mark_break(ax, year: int) -> None:
    """A dashed vertical line just before ``year`` on a year axis, labelled "series break"."""
    ax.axvline(year - 0.5, color="#505a5f", linestyle="--", linewidth=1)
    ax.annotate("series break", xy=(year - 0.5, 1), xycoords=("data", "axes fraction"),
                xytext=(2, -2), textcoords="offset points", ha="left", va="top", fontsize=7,
                color="#505a5f")


def area_lines(ax, frame: pd.DataFrame, *, y: str = "value", label: str = "area_name",
               colour_by: str | None = None) -> None:
    """One line per ``label`` over ``year``; ``colour_by="role"`` uses :data:`ROLE_COLOURS`."""
    for name, rows in frame.groupby(label, sort=False):
        rows = rows.sort_values("year")
        colour = ROLE_COLOURS.get(rows[colour_by].iloc[0]) if colour_by else None
        ax.plot(rows["year"], rows[y], marker="o", markersize=3, linewidth=2, label=name,
                color=colour)
    ax.xaxis.set_major_locator(mpl.ticker.MaxNLocator(nbins=6, integer=True))
    ax.legend(loc="best", fontsize=8.5)


def label_line_ends(ax, ends: list[tuple[str, float, float]], *, gap: float = 0.035) -> None:
    """Write each line's label just right of its last point, ``ends`` = (label, x, y); labels
    closer than ``gap`` (a fraction of the y range) are pushed apart so none overlap."""
    if not ends:
        return
    low, high = ax.get_ylim()
    step = gap * (high - low)
    placed: list[float] = []
    for label, x, y in sorted(ends, key=lambda e: e[2]):
        y_text = max(y, placed[-1] + step) if placed else y
        placed.append(y_text)
        ax.annotate(label, (x, y), xytext=(x + 0.1, y_text), textcoords="data", fontsize=7,
                    color="#505a5f", va="center", ha="left", annotation_clip=False)


def save_figure(fig, name: str, data: pd.DataFrame, *, out_dir: str | Path | None = None
                ) -> dict[str, Path]:
    """Save ``fig`` as ``figures/<name>.png`` and ``.svg`` and ``data`` as ``tables/<name>.csv``
    under ``out_dir`` (default: the current settings' site folder). Returns the three paths."""
    root = Path(out_dir) if out_dir is not None else current().site_dir
    paths = {"png": root / "figures" / f"{name}.png", "svg": root / "figures" / f"{name}.svg",
             "csv": root / "tables" / f"{name}.csv"}
    with mpl.rc_context({"svg.hashsalt": SVG_SALT}):
        atomic_write(paths["png"], lambda p: fig.savefig(p, format="png", dpi=PNG_DPI,
                                                         metadata={"Software": None}))
        atomic_write(paths["svg"], lambda p: fig.savefig(p, format="svg",
                                                         metadata={"Date": None, "Creator": None}))
    write_table(data, paths["csv"], **chart_metadata(fig))
    return paths


def _one_line(text: str) -> str:
    """A figure's (wrapped) text on one line."""
    return " ".join(text.split())


def chart_metadata(fig) -> dict[str, str]:
    """What a chart's data table is called in a spreadsheet: its title (the finding), the
    measure (its subtitle) and its source line, read from the figure."""
    measure = fig.get_supxlabel() if len(fig.axes) > 1 else (fig.axes[0].get_title(loc="left")
                                                              if fig.axes else "")
    source = next((_one_line(t.get_text()) for t in fig.texts if t.get_text().startswith("Source: ")), "")
    source = source.removeprefix("Source: ").split(" Note: ")[0]
    return {"title": _one_line(fig.get_suptitle()), "measure": _one_line(measure), "source": source}


def _blends(colours: list[str]) -> list[int]:
    """Each colour and its blends with white at 60% and 30% strength (anti-aliased edges, light
    fills), plus white, as a flat RGB list."""
    flat = [255, 255, 255]
    for colour in colours:
        rgb = [int(colour[k:k + 2], 16) for k in (1, 3, 5)]
        for strength in (1.0, 0.6, 0.3):
            flat += [round(255 - (255 - c) * strength) for c in rgb]
    return flat


CHART_COLOURS = [*PALETTE, *ROLE_COLOURS.values(), "#505a5f", "#b1b4b6", "#dddddd", "#d4351c"]
"""Colours the charts draw with (palette, roles, text and grid greys, the "not available" red):
kept exactly in a page's image, with their blends with white."""


def page_image(fig, dpi: float = PAGE_DPI, colours: int = PAGE_COLOURS,
               drawn: list[str] = CHART_COLOURS, *, crop: bool = True) -> bytes:
    """A figure as an image for a page, in few colours: the colours it is ``drawn`` with and their
    blends with white exactly, plus ``colours`` more chosen by median cut for anything else (a
    colour map, a blend of two lines; 0 for none); no dithering. Encoded as lossless WebP (a fifth
    smaller than the same pixels as PNG; every current browser shows it). The same figure gives
    the same bytes. ``crop=False`` takes the figure's own size and resolution as they are (its
    ``dpi`` must be ``dpi``): the canvas's pixels, with no PNG encoded and decoded on the way
    (about a quarter of the time of a small figure); otherwise the figure is saved as the
    report style says (cropped to its contents)."""
    import numpy as np
    from PIL import Image

    if crop:
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
        image = Image.open(buffer).convert("RGB")
    else:
        if fig.dpi != dpi:
            raise ValueError(f"page_image(crop=False): the figure is at {fig.dpi} dpi, not {dpi}")
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
        canvas.draw()
        image = Image.fromarray(np.asarray(canvas.buffer_rgba())[..., :3])
    palette = _blends(drawn)
    if colours:
        adaptive = image.quantize(colors=colours, method=Image.Quantize.MEDIANCUT,
                                  dither=Image.Dither.NONE).getpalette()[:3 * colours]
        palette += adaptive
    palette = palette[:768]
    holder = Image.new("P", (1, 1))
    holder.putpalette(palette + palette[:3] * (256 - len(palette) // 3))
    quantized = image.quantize(palette=holder, dither=Image.Dither.NONE)
    out = io.BytesIO()
    quantized.convert("RGB").save(out, format="WEBP", lossless=True, quality=100, method=1)
    return out.getvalue()


def _unwrap(text: str) -> str:
    """Text wrapped by :func:`chart` or :func:`finish` back to its lines as written: one line,
    or the source and its note."""
    parts = text.replace("-\n", "-").replace("\nNote: ", "\0Note: ").split("\0")
    return "\n".join(" ".join(part.split()) for part in parts)


def _fill(text: str, points: float, size: float) -> str:
    """``text`` re-wrapped to ``points`` wide at font ``size`` (a character taken as 0.6 of it)."""
    chars = max(12, int(points / (0.6 * size)))
    return "\n".join(textwrap.fill(line, chars) for line in _unwrap(text).splitlines())


def _overlap(labels) -> bool:
    """Whether any two drawn tick labels overlap."""
    boxes = [t.get_window_extent() for t in labels if t.get_visible() and t.get_text()]
    return any(a.overlaps(b) for a, b in zip(boxes, boxes[1:]))


def _legend_below(ax, legend, entries: list[str]):
    """A copy of ``legend`` (its labels as ``entries``) under ``ax``'s x labels, in place of it:
    placed in points below the axes, so the layout can move the axes without it overlapping."""
    fig = ax.figure
    fig.draw_without_rendering()
    legend.set_visible(False)
    below = (ax.bbox.y0 - ax.get_tightbbox().y0) * 72 / fig.dpi + 4
    legend.set_visible(True)
    anchor = ax.transAxes + mpl.transforms.ScaledTranslation(0, -below / 72, fig.dpi_scale_trans)
    return ax.legend(handles=legend.legend_handles, labels=entries, loc="upper left",
                     bbox_to_anchor=(0, 0), bbox_transform=anchor, borderaxespad=0,
                     fontsize=legend.get_texts()[0].get_fontsize(), frameon=False)


@contextlib.contextmanager
def phone_layout(fig):
    """Lay ``fig`` out for a phone while the block runs, then put it back as it was.

    The figure becomes :data:`PHONE_WIDTH` inches wide with its panels one under another, each
    :data:`PHONE_PANEL_HEIGHT` high, or more: 0.3 inches a line for many category labels, the
    desk's height for a panel with labels on its lines (:data:`LABELLED`). Its title, subtitle,
    panel titles, x axis labels, source line, legends and long category labels are re-wrapped to
    fit; each legend moves under its panel (on a narrow chart it would cover the data); an x
    axis whose ticks were whole numbers (years) keeps whole-number ticks; x labels that would
    overlap are turned 30 degrees."""
    grid = fig.axes[0].get_subplotspec().get_gridspec()
    panels = [ax for ax in fig.axes if ax.get_subplotspec() is not None
              and ax.get_subplotspec().get_gridspec() is grid]
    # matplotlib keeps the suptitle and the left-hand titles as private attributes: setting them
    # through suptitle() or set_title() would reset their font, colour and place.
    inside = [fig._suptitle, fig._supxlabel, *(ax.title for ax in panels),
              *(ax._left_title for ax in panels)]
    inside = [t for t in inside if t is not None and t.get_text()]
    axis_labels = [ax.xaxis.label for ax in panels if ax.xaxis.label.get_text()]
    texts = list(dict.fromkeys([*inside, *fig.texts, *axis_labels]))   # fig.texts: suptitle too
    saved_size, saved_texts = fig.get_size_inches().copy(), [t.get_text() for t in texts]
    # labels written at the ends of lines (label_line_ends) were spaced for the desk's axes:
    # such a panel keeps that height, and a little more for its titles
    labelled = [ax.get_position().height * saved_size[1] + 0.6 for ax in panels
                if len(ax.texts) >= LABELLED]
    saved_specs = [ax.get_subplotspec() for ax in panels]
    saved_y = [(ax.yaxis.get_major_locator(), ax.yaxis.get_major_formatter()) for ax in panels]
    moved, below, whole, turned = [], [], [], []
    try:
        width = PHONE_WIDTH * 72
        for t in texts:
            t.set_text(_fill(t.get_text(), width, t.get_fontsize()))
        label_lines, legend_lines = 0, 0
        for ax in panels:
            labels = ax.get_yticklabels()
            if any(len(t.get_text()) * 0.6 * t.get_fontsize() > 0.45 * width for t in labels):
                wrapped = [_fill(t.get_text(), 0.45 * width, t.get_fontsize()) for t in labels]
                ax.set_yticks(ax.get_yticks(), wrapped)
                label_lines = max(label_lines, sum(w.count("\n") + 1 for w in wrapped))
        if len(panels) > 1:
            column = fig.add_gridspec(len(panels), 1)
            for row, ax in enumerate(panels):
                ax.set_subplotspec(column[row, 0])
        for ax in panels:
            if (legend := ax.get_legend()) is not None:
                size = legend.get_texts()[0].get_fontsize()
                entries = [_fill(t.get_text(), 0.6 * width, size) for t in legend.get_texts()]
                moved.append((ax, legend, entries))
                legend_lines += sum(e.count("\n") + 1 for e in entries)
            if (ax.xaxis.get_major_formatter().__class__ is mpl.ticker.ScalarFormatter
                    and all(float(t).is_integer() for t in ax.get_xticks())):
                whole.append((ax, ax.xaxis.get_major_locator()))
                ax.xaxis.set_major_locator(mpl.ticker.MaxNLocator(5, integer=True, steps=[1, 2, 5, 10]))
        lines = sum(t.get_text().count("\n") + 1 for t in inside) + legend_lines
        panel = max(PHONE_PANEL_HEIGHT, 0.3 * label_lines, *labelled)
        fig.set_size_inches(PHONE_WIDTH, panel * len(panels) + 0.22 * lines)
        fig.draw_without_rendering()
        for ax in panels:   # a panel's titles start at its left edge, not the figure's
            room = (fig.bbox.width - ax.bbox.x0) * 72 / fig.dpi
            for t in (ax.title, ax._left_title):
                t.set_text(_fill(t.get_text(), room, t.get_fontsize()))
            label = ax.xaxis.label
            label.set_text(_fill(label.get_text(), ax.bbox.width * 72 / fig.dpi, label.get_fontsize()))
            if _overlap(ax.get_xticklabels()):
                turned.append(ax)
                ax.tick_params(axis="x", labelrotation=30)
                for t in ax.get_xticklabels():
                    t.set_horizontalalignment("right")
        below = [_legend_below(ax, legend, entries) for ax, legend, entries in moved]
        yield fig
    finally:
        for copy, (ax, legend, _) in zip(below, moved):
            copy.remove()
            ax.legend_ = legend
        for ax, locator in whole:
            ax.xaxis.set_major_locator(locator)
        for t, text in zip(texts, saved_texts):
            t.set_text(text)
        for ax, spec, (locator, formatter) in zip(panels, saved_specs, saved_y):
            ax.set_subplotspec(spec)
            ax.yaxis.set_major_locator(locator)
            ax.yaxis.set_major_formatter(formatter)
        for ax in turned:  # only labels that did not overlap on the desk layout are turned
            ax.tick_params(axis="x", labelrotation=0)
            for t in ax.get_xticklabels():
                t.set_horizontalalignment("center")
        fig.set_size_inches(saved_size)


def alt_text(fig) -> str:
    """The chart in words for a screen reader: its title (the finding, written from the data by
    the function that drew it), what it measures (the subtitle) and, for small multiples, the
    panels' titles."""
    def clean(text: str) -> str:
        return _one_line(text).rstrip(".")

    titles = [clean(ax.get_title(loc="left") or ax.get_title()) for ax in fig.axes]
    titles = [t for t in titles if t]
    parts = [clean(fig.get_suptitle())]
    if len(fig.axes) == 1:
        parts += titles
    else:
        parts.append(clean(fig.get_supxlabel()))
        if titles:
            parts.append("Panels: " + "; ".join(titles))
    return "Chart: " + ". ".join(p for p in parts if p) + "."


def data_table_html(data: pd.DataFrame, title: str) -> str:
    """The data behind a chart as a table for people (:func:`analysis.report.words.people_table`:
    headers in words, thousands separators, "n/a" for a missing value, no index), captioned with
    the chart's ``title``, so each table on a page is named apart."""
    return words.people_table(words.captioned(data, f"The data behind the chart: {title}"))


def data_href(name: str, out_dir: str | Path | None) -> str:
    """Where a chart's page links its data: ``tables/NAME.csv`` beside a published report's
    page, or, in a notebook run by hand, the CSV it wrote, relative to the notebook's folder."""
    if words.PUBLISHING or out_dir is None:
        return f"tables/{name}.csv"
    return Path(os.path.relpath(Path(out_dir) / "tables" / f"{name}.csv")).as_posix()


def chart_html(name: str, fig, data: pd.DataFrame, href: str | None = None) -> str:
    """A chart for a published page: the image (:func:`page_image`), drawn again in
    :func:`phone_layout` for narrow screens, with :func:`alt_text`, a link
    to the data behind it (``tables/NAME.csv``, beside the report's page) and, when it has at
    most :data:`TABLE_ROWS` rows, the data as a table, collapsed."""
    image = base64.b64encode(page_image(fig)).decode("ascii")
    with phone_layout(fig):
        phone = base64.b64encode(page_image(fig)).decode("ascii")
    rows = len(data)
    where = "in the table below it" if rows <= TABLE_ROWS else "in the CSV linked below it"
    alt = f"{alt_text(fig)} The data are {where}."
    link = (f'<a href="{html.escape(href or f"tables/{name}.csv")}">Download the data behind this '
            f"chart (CSV, {rows:,} rows)</a>")
    if rows <= TABLE_ROWS:
        table = ("<details><summary>The data behind this chart as a table</summary>"
                 f"{data_table_html(data, chart_metadata(fig)['title'] or name)}</details>")
    else:
        table = f"<p>The data ({rows:,} rows) are too long to show here: download the CSV.</p>"
    return (f'<figure class="chart" id="chart-{html.escape(name)}">'
            f'<picture><source media="{PHONE_MEDIA}" srcset="data:image/webp;base64,{phone}">'
            f'<img src="data:image/webp;base64,{image}" alt="{html.escape(alt)}"></picture>'
            f"<figcaption>{link}</figcaption>{table}</figure>")


def render(chart: tuple, out_dir: str | Path | None = None) -> str:
    """Save a chart ``(name, figure, data)`` with :func:`save_figure`, show it as
    :func:`chart_html` and free it; returns its name. For notebooks."""
    from IPython.display import HTML, display

    name, fig, data = chart
    save_figure(fig, name, data, out_dir=out_dir)
    display(HTML(chart_html(name, fig, data, data_href(name, out_dir))))
    plt.close(fig)
    return name


def write_table(frame: pd.DataFrame, path: str | Path, *, title: str = "", measure: str = "",
                source: str = "") -> Path:
    """Write a table as CSV (UTF-8, ``\\n`` line ends, no index) atomically, with the ONS code
    beside a DfE LA code (:func:`analysis.report.columns.with_ons_codes`) and figures rounded by
    unit (:func:`analysis.report.columns.rounded`), and ``NAME.json``
    beside it: its ``title``, ``measure`` and ``source`` (which title the table's sheet in the
    report's spreadsheet) and each column's meaning and unit."""
    frame = columns.rounded(columns.with_ons_codes(frame), measure)
    write_table_title(path, title=title, measure=measure, source=source,
                      columns=columns.describe(frame, measure))
    return write_csv(frame, path)
