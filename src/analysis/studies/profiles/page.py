"""What the profile notebook shows, as HTML display objects: the header, one section per theme
(small multiples, generated reading, key messages as prompts, why each indicator and its
limits, what the data cannot reach) and the table of every indicator.

HTML rather than markdown outputs: the page needs no markdown pass when 150 are rendered.
"""

from __future__ import annotations

import base64
import html
import re

import pandas as pd
from IPython.display import HTML

from analysis.studies.profiles import figures, reading
from analysis.studies.profiles.benchmarks import why_missing
from analysis.vocabulary import LA_TYPES


def _text(markdown_bold: str) -> str:
    """Escape text for HTML, turning ``**bold**`` into ``<strong>``."""
    return re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", html.escape(markdown_bold, quote=False))


def header(profile) -> HTML:
    """Title, area facts, the comparator group and how to read the page."""
    contents = "".join(f'<li><a href="#{t.id}">{html.escape(t.title)}</a></li>'
                       for t in profile.catalogue.themes)
    note = f'<p class="profile-note">{_text(profile.note)}</p>' if profile.note else ""
    return HTML(
        f'<h1 id="top">{html.escape(profile.name)} ({profile.code}): local SEND profile</h1>'
        f"<p>{html.escape(profile.region)}; "
        f"{html.escape(LA_TYPES.get(profile.la_type, profile.la_type))}. Compared with "
        f"England and its {html.escape(profile.comparators.lower())}: {html.escape(profile.basis)}."
        f"</p>{note}"
        f"<p>{len(profile.catalogue.themes)} themes of effective local SEND practice, each read "
        "through the official indicators "
        "that speak to it. Each chart shows the LA, its statistical neighbours pooled, and England "
        "over the years published; rank 1 is the highest value among LAs. Where a figure is not "
        "available the reason is given. The key messages are prompts for local discussion: the "
        f"data cannot answer them.</p><p>Themes: {html.escape(profile.catalogue.source)}</p>"
        f"<ol>{contents}<li><a href=\"#all-indicators\">All indicators</a></li></ol>")


def theme_section(profile, theme_id: str) -> HTML:
    """One theme: chart, reading, indicator sentences, prompts, reasoning and limits."""
    theme = next(t for t in profile.catalogue.themes if t.id == theme_id)
    number = [t.id for t in profile.catalogue.themes].index(theme_id) + 1
    metas = profile.catalogue.indicators
    png = base64.b64encode(figures.theme_png(profile, theme)).decode("ascii")
    alt = f"Charts of the {theme.title.lower()} indicators for {profile.name}"
    sentences = "".join(
        f"<li>{_text(reading.indicator_sentence(profile.summary.loc[k], metas[k], profile.name))}"
        f" <em>{html.escape(reading.polarity_text(metas[k]))}</em></li>"
        for k in (link.indicator for link in theme.links))
    prompts = "".join(f"<li><strong>{html.escape(m['message'])}</strong> "
                      f"{html.escape(m['prompt'])}</li>" for m in theme.key_messages)
    links = "".join(f"<li><strong>{html.escape(metas[k.indicator].title)}.</strong> "
                    f"{html.escape(k.reasoning)} <em>Limits:</em> {html.escape(k.limits)}</li>"
                    for k in theme.links)
    return HTML(
        f'<section class="profile-theme"><h2 id="{theme.id}">{number}. {html.escape(theme.title)}</h2>'
        f'<img src="data:image/png;base64,{png}" alt="{html.escape(alt)}">'
        f"<p>{_text(reading.theme_reading(theme, profile.summary, metas, profile.name))}</p>"
        f"<ul>{sentences}</ul>"
        f"<h3>Key messages, as prompts for discussion</h3><ul>{prompts}</ul>"
        f"<h3>Why these indicators, and their limits</h3><ul>{links}</ul>"
        f"<p><strong>What the data cannot show:</strong> {html.escape(theme.not_reached)}</p>"
        '<p><a href="#top">Back to the top</a></p></section>')


def indicator_table(profile) -> pd.DataFrame:
    """Every indicator of the profile: theme, latest value (or why not available), England,
    neighbours, rank, quartile and polarity; values as shown on the page."""
    metas = profile.catalogue.indicators
    rows = []
    for theme in profile.catalogue.themes:
        for link in theme.links:
            meta, row = metas[link.indicator], profile.summary.loc[link.indicator]
            d = meta.decimals
            shown = pd.notna(row["value"])
            rows.append({
                "Theme": theme.title, "Indicator": meta.title, "Unit": meta.unit,
                "Year": reading.period(meta, row["year"]),
                "Value": (reading.yes_no(row["value"]) if meta.binary
                          else reading.number(row["value"], d)) if shown
                else f"n/a: {why_missing(row['symbol'])}",
                "England": reading.number(row["england"], d),
                "Neighbours": reading.number(row["neighbours"], d),
                "Rank": (f"{int(row['rank'])} of {int(row['rank_n'])}" if pd.notna(row["rank"])
                         else "not ranked" if meta.binary else "n/a"),
                "Quartile": int(row["quartile"]) if pd.notna(row["quartile"]) else "",
                "Higher is": {"higher": "better", "lower": "worse", "neither": "neither"}[meta.polarity],
            })
    return pd.DataFrame(rows)


def indicator_table_html(profile) -> HTML:
    table = indicator_table(profile).to_html(index=False, border=0, classes="profile-table")
    return HTML(f'<h2 id="all-indicators">All indicators</h2>{table}'
                "<p>Quartile 1 = the highest quarter of LAs. Yes/no indicators are 100 (yes) or 0 (no) "
                "for the LA and the % of LAs answering yes for England and the neighbours.</p>")
