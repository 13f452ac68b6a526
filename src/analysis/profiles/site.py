"""The index page of the profiles: every LA with its region, type and the latest value of every
indicator, in a table the reader can sort by any column (a few lines of inline script; the page
works offline)."""

from __future__ import annotations

import pandas as pd

from analysis.pipeline import publish
from analysis.profiles import reading

TITLE = "Local area SEND profiles"


def index_rows(built, linked: list[str]) -> tuple[list[dict], list[dict]]:
    """Columns (one per indicator, in theme order) and rows (one per LA) of the index table.

    Each cell has ``text`` (as shown) and ``sort`` (the number, or "" when not available, so
    those sort last); ``link`` is set for LAs whose page is published.
    """
    catalogue = built.catalogue
    keys = [link.indicator for theme in catalogue.themes for link in theme.links]
    summary = built.summary.set_index(["code", "indicator"])
    columns = []
    for key in keys:
        meta = catalogue.indicators[key]
        year = summary.xs(key, level="indicator")["year"].iloc[0]
        columns.append({"id": key, "title": meta.title, "unit": meta.unit,
                        "when": reading.period(meta, year), "theme": catalogue.theme_of(key).title})
    rows = []
    for la in built.las.itertuples():
        cells = []
        for key in keys:
            value = summary.loc[(la.code, key), "value"]
            meta = catalogue.indicators[key]
            text = reading.yes_no(value) if meta.binary else reading.number(value, meta.decimals)
            cells.append({"text": text,
                          "sort": "" if pd.isna(value) else repr(round(float(value), 6))})
        rows.append({"code": la.code, "name": la.name, "region": la.region, "la_type": la.la_type,
                     "link": f"{la.code}.html" if la.code in linked else None, "cells": cells})
    return columns, rows


def render_index(built, linked: list[str], provenance: dict) -> str:
    """The profiles' ``index.html``: links to the ``linked`` LA pages (codes) and the table."""
    columns, rows = index_rows(built, linked)
    return publish.render_page("profiles_index.html.j2", title=TITLE, columns=columns, rows=rows,
                               provenance={**provenance, "parameters": {"la_code": "each LA in the table"}},
                               source=built.catalogue.source)
