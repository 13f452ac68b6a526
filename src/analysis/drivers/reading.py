"""Plain-language reading of a fitted driver model, generated from its coefficient table.

Each driver gets one sentence: the direction, the size in the variable's own units, and whether
the 95% interval excludes zero. The caution that these are associations, and what the data cannot
separate, is part of the reading, not an afterthought.
"""

from __future__ import annotations

import pandas as pd

from analysis.drivers.panel import get_variable

ALPHA = 0.05

CAUTIONS = (
    "These are associations across LAs and years, not causal effects: an LA where plans grow for "
    "other reasons can also change on a driver (e.g. a rising share of plans for ages 16-25 is partly "
    "a result of plans being kept on past 16).",
    "Shares of plans by placement fall mechanically when plans grow faster elsewhere: a negative "
    "coefficient on the special-school share can mean growth in mainstream, not that special places "
    "reduce demand.",
    "Raised expectations after 2014 and school accountability, curriculum and core funding pressure "
    "have no direct LA-level measure here. The tribunal appeal rate stands in for expectations "
    "(families contesting decisions), and the SEN support rate is at best a weak proxy for how far "
    "mainstream schools meet needs without a plan. The reforms reached every LA at once, so with year "
    "effects their timing cannot be told apart from any other national change.",
)


def _size(coefficient: float, unit: str, outcome_label: str, outcome_unit: str) -> str:
    return (f"1 more ({unit}) goes with {coefficient:+,.3g} ({outcome_unit}) in {outcome_label}")


def driver_sentences(table: pd.DataFrame, outcome: str, spec: str) -> list[str]:
    """One sentence per driver from a coefficient table (see ``models.TABLE_COLUMNS``)."""
    out = get_variable(outcome)
    within = {"twfe": "within an LA, relative to the year's change everywhere",
              "la_fe": "within an LA over time",
              "long_difference": "across LAs, the driver's starting level against the change"}[spec]
    sentences = []
    for row in table.itertuples():
        var = get_variable(row.term)
        significant = row.p_value < ALPHA
        verdict = (f"the 95% interval ({row.lower_95:,.3g} to {row.upper_95:,.3g}) excludes zero"
                   if significant else f"but the 95% interval ({row.lower_95:,.3g} to {row.upper_95:,.3g}) "
                   "includes zero: no clear association")
        sentences.append(f"**{var.label[0].upper()}{var.label[1:]}** ({var.driver}): {within}, "
                         f"{_size(row.coefficient, var.unit, out.label, out.unit)}; {verdict} "
                         f"(p = {row.p_value:.3f}).")
    return sentences


def robustness_sentence(robustness: pd.DataFrame) -> str:
    """Which drivers keep a clear association (and its sign) in every robustness check."""
    main = robustness[robustness["check"].eq("main specification")].set_index("term")
    steady, fragile = [], []
    for term, row in main.iterrows():
        rows = robustness[robustness["term"].eq(term)]
        same = ((rows["p_value"] < ALPHA) & (rows["coefficient"] * row["coefficient"] > 0)).all()
        if row["p_value"] < ALPHA:
            (steady if same else fragile).append(get_variable(term).label)
    parts = []
    if steady:
        parts.append(f"Clear in every check, with the same sign: {', '.join(steady)}.")
    if fragile:
        parts.append(f"Clear in the main model but not in every check: {', '.join(fragile)}.")
    return " ".join(parts) or "No driver has a clear association in the main model."
