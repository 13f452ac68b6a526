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
import html
import io
import json
import textwrap
from pathlib import Path

import matplotlib as mpl
import matplotlib.pyplot as plt
import pandas as pd

from analysis.files import atomic_write
from analysis.report import words
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

PNG_DPI = 150
PAGE_DPI = 100
"""Resolution of a chart shown on a page (the PNG file in ``figures/`` has :data:`PNG_DPI`)."""
PAGE_COLOURS = 32
"""Colours a page's image may add by median cut to :data:`CHART_COLOURS` and their blends (the
site's weight budget: the file is about a third of a full-colour one)."""
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
    under ``out_dir`` (default: the current settings' reports folder). Returns the three paths."""
    root = Path(out_dir) if out_dir is not None else current().reports_dir
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


def chart_html(name: str, fig, data: pd.DataFrame) -> str:
    """A chart for a published page: the image (:func:`page_image`) with :func:`alt_text`, a link
    to the data behind it (``../tables/NAME.csv``, beside the report's page) and, when it has at
    most :data:`TABLE_ROWS` rows, the data as a table, collapsed."""
    image = base64.b64encode(page_image(fig)).decode("ascii")
    rows = len(data)
    where = "in the table below it" if rows <= TABLE_ROWS else "in the CSV linked below it"
    alt = f"{alt_text(fig)} The data are {where}."
    link = (f'<a href="../tables/{html.escape(name)}.csv">Download the data behind this chart '
            f"(CSV, {rows:,} rows)</a>")
    if rows <= TABLE_ROWS:
        table = ("<details><summary>The data behind this chart as a table</summary>"
                 f"{data_table_html(data, chart_metadata(fig)['title'] or name)}</details>")
    else:
        table = f"<p>The data ({rows:,} rows) are too long to show here: download the CSV.</p>"
    return (f'<figure class="chart" id="chart-{html.escape(name)}">'
            f'<img src="data:image/webp;base64,{image}" alt="{html.escape(alt)}">'
            f"<figcaption>{link}</figcaption>{table}</figure>")


def render(chart: tuple, out_dir: str | Path | None = None) -> str:
    """Save a chart ``(name, figure, data)`` with :func:`save_figure`, show it as
    :func:`chart_html` and free it; returns its name. For notebooks."""
    from IPython.display import HTML, display

    name, fig, data = chart
    save_figure(fig, name, data, out_dir=out_dir)
    display(HTML(chart_html(name, fig, data)))
    plt.close(fig)
    return name


def write_table(frame: pd.DataFrame, path: str | Path, *, title: str = "", measure: str = "",
                source: str = "") -> Path:
    """Write a table as CSV (UTF-8, ``\\n`` line ends, no index) atomically; with a ``title``
    (and its ``measure`` and ``source``) also ``NAME.json`` beside it, which the report's
    spreadsheet uses to title the table's sheet."""
    path = Path(path)
    if title:
        meta = {"title": title, "measure": measure, "source": source}
        atomic_write(path.with_suffix(".json"), lambda p: p.write_text(
            json.dumps(meta, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"))
    return atomic_write(path, lambda p: frame.to_csv(p, index=False, lineterminator="\n"))
