"""Coding free-text answers to the six good-practice themes with a transparent keyword codebook
(the ``keywords`` of each theme in the shared themes file, :mod:`analysis.studies.themes`): the
codebook is shown in the report, and every coded answer lists the keywords that matched."""

from __future__ import annotations

import re

import pandas as pd

from analysis.studies import themes


def load_themes() -> tuple[dict, ...]:
    """The themes: dicts with ``id``, ``name`` (the theme's title) and ``keywords``."""
    return tuple({"id": t.id, "name": t.title, "keywords": list(t.keywords)} for t in themes.load().themes)


def _pattern(keyword: str) -> re.Pattern:
    stem = re.escape(keyword.rstrip("*")).replace(r"\ ", r"\s+")
    return re.compile(rf"\b{stem}" + (r"\w*" if keyword.endswith("*") else r"\b"), re.IGNORECASE)


def code_text(text: str | None) -> dict[str, list[str]]:
    """``{theme id: keywords found}`` for one answer (themes with no match left out)."""
    found = {}
    for theme in load_themes():
        hits = [k for k in theme["keywords"] if text and _pattern(k).search(text)]
        if hits:
            found[theme["id"]] = hits
    return found


def theme_counts(answers: pd.Series) -> pd.DataFrame:
    """Per theme: answers coded to it, their share of all non-empty answers, and the keywords
    that matched most often."""
    answered = answers.dropna()
    answered = answered[answered.str.strip().ne("")]
    coded = answered.map(code_text)
    rows = []
    for theme in load_themes():
        hits = [k for c in coded for k in c.get(theme["id"], [])]
        count = sum(theme["id"] in c for c in coded)
        top = pd.Series(hits, dtype="string").value_counts().head(3)
        rows.append({"theme": theme["name"], "answers": count,
                     "share": count / len(answered) if len(answered) else float("nan"),
                     "top_keywords": ", ".join(f"{k} ({n})" for k, n in top.items())})
    return pd.DataFrame(rows)


def keyword_table() -> pd.DataFrame:
    """The keyword codebook as a table, for the report."""
    return pd.DataFrame([{"theme": t["name"], "keywords": ", ".join(t["keywords"])} for t in load_themes()])
