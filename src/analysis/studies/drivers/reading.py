"""Plain-language reading of a fitted driver model, generated from its coefficient table.

Each driver gets one sentence: the direction, the size in the variable's own units, and whether
the 95% interval excludes zero. The caution that these are associations, and what the data cannot
separate, is part of the reading, not an afterthought.
"""

from __future__ import annotations

import pandas as pd

from analysis.studies.drivers.panel import VARIABLES, get_variable, mechanical_link

ALPHA = 0.05

CAUTIONS = (
    "These are associations across LAs and years, not causal effects: an LA where plans grow for "
    "other reasons can also change on a driver (e.g. a rising share of plans for ages 16-25 is partly "
    "a result of plans being kept on past 16).",
    "A driver computed from a count the outcome also uses is mechanically related to it and is not "
    "read as a driver: shares of plans by placement or age have all EHC plans, the outcome's "
    "numerator, as their denominator (special-school plans rise with all plans at an elasticity "
    "near 0.5, so their share falls as plans grow); the tribunal appeal rate's appealable decisions "
    "include the plans held in January; population growth is the rate's denominator moving.",
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
    sentences, demoted = [], []
    for row in table.itertuples():
        var = get_variable(row.term)
        significant = row.p_value < ALPHA
        verdict = (f"the 95% interval ({row.lower_95:,.3g} to {row.upper_95:,.3g}) excludes zero"
                   if significant else f"but the 95% interval ({row.lower_95:,.3g} to {row.upper_95:,.3g}) "
                   "includes zero: no clear association")
        link = mechanical_link(row.term, outcome)
        text = (f"**{var.label[0].upper()}{var.label[1:]}** ({var.driver}): {within}, "
                f"{_size(row.coefficient, var.unit, out.label, out.unit)}; {verdict} "
                f"({p_text(row.p_value)}).")
        if link:
            demoted.append(text + f" *Mechanical, not read as a driver: {link}.*")
        else:
            sentences.append(text)
    return sentences + demoted


NAMED = ("term", "variable")
"""Columns of a driver table that hold variable names."""


def labelled(table: pd.DataFrame) -> pd.DataFrame:
    """A driver table as a page shows it: the variables in its ``term`` or ``variable`` column
    by their labels ("pop_growth_0_25" -> "growth of the population aged 0-25")."""
    out = table.copy()
    for column in [c for c in NAMED if c in out.columns]:
        out[column] = out[column].map(lambda name: get_variable(name).label if name in VARIABLES else name)
    return out


def model_in_words(outcome: str, drivers, spec: str, years: tuple[int, int] | None = None) -> str:
    """The model a formula states, in words: "EHC plans per 1,000 aged 0-25 against growth of the
    population aged 0-25 and ..., with a fixed effect for each LA and each year"; a long
    difference names its first and last year (``years``) when given."""
    labels = [get_variable(d).label for d in drivers]
    against = ", ".join(labels[:-1]) + (" and " if len(labels) > 1 else "") + labels[-1] if labels else ""
    target = get_variable(outcome).label
    if spec == "long_difference":
        span = f"from {years[0]} to {years[1]}" if years else "over the years"
        return f"the change in {target} {span} against each LA's starting level of {against}"
    effects = {"twfe": "with a fixed effect for each LA and each year",
               "la_fe": "with a fixed effect for each LA"}
    return f"{target} against {against}, {effects[spec]}"


def p_text(p: float) -> str:
    """A p-value as a person writes it: "p < 0.001" rather than "p = 0.000"."""
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


def robustness_sentence(robustness: pd.DataFrame, outcome: str) -> str:
    """Which drivers keep a clear association (and its sign) in every robustness check, drivers
    with a mechanical link to ``outcome`` (:func:`~.panel.mechanical_link`) reported apart."""
    main = robustness[robustness["check"].eq("main specification")].set_index("term")
    steady, fragile, mechanical = [], [], []
    for term, row in main.iterrows():
        rows = robustness[robustness["term"].eq(term)]
        same = ((rows["p_value"] < ALPHA) & (rows["coefficient"] * row["coefficient"] > 0)).all()
        label = get_variable(term).label
        if mechanical_link(term, outcome):
            mechanical.append(label)
        elif row["p_value"] < ALPHA:
            (steady if same else fragile).append(label)
    parts = []
    if steady:
        parts.append(f"Results that survive (clear in every check, with the same sign, and not "
                     f"computed from the outcome's counts): {', '.join(steady)}.")
    if fragile:
        parts.append(f"Clear in the main model but not in every check: {', '.join(fragile)}.")
    if not steady and not fragile:
        parts.append("No driver free of a mechanical link to the outcome has a clear association "
                     "in the main model.")
    if mechanical:
        parts.append(f"Not read as drivers, because they are computed from counts the outcome "
                     f"also uses (see the cautions): {', '.join(mechanical)}.")
    return " ".join(parts)
