"""Tables and summary sentences from cleaned returns, on a two-LA example computed by hand."""

import pandas as pd

from analysis.studies.survey import codebook as cb
from analysis.studies.survey import findings, summaries
from analysis.studies.survey.validate import CleanedReturns

BOOK = cb.load_codebook(["2015-16", "2016-17"])


def _values():
    values = pd.DataFrame({q: [None, None] for q in BOOK.ids}, index=["A", "B"]).astype(object)
    values.insert(1, "unit_code", ["202", "373"])
    values.update(pd.DataFrame({
        "hnb_allocation_2015_16": [10e6, 20e6], "hn_expenditure_2015_16": [12e6, 21e6],
        "hnb_allocation_2016_17": [10e6, 20e6], "hn_expenditure_2016_17": [13e6, 25e6],
        "topup_schools_block_2015_16": [1e6, 0.5e6], "topup_reserves_2015_16": [1e6, None],
        "topup_schools_block_2016_17": [2e6, 3e6], "pressure_post16": [5, 3],
        "pressure_population": [1, None],
    }, index=["A", "B"]))
    numeric = [q for q in BOOK.ids if q not in ("la_code", "actions", "comments")]
    values[numeric] = values[numeric].astype(float)
    return values


def test_gap_is_spend_less_allocation():
    gap = summaries.gap(_values(), BOOK)
    assert gap.loc["202"].tolist() == [2e6, 3e6] and gap.loc["373"].tolist() == [1e6, 5e6]


def test_inputs_by_source_totals_and_respondents():
    table = summaries.inputs_by_source(_values(), BOOK).set_index(["year", "source"])
    assert table.loc[("2015-16", "Schools block transfer"), "total_gbp_m"] == 1.5
    assert table.loc[("2015-16", "Draw-down on reserves"), "respondents"] == 1
    assert table.loc[("2016-17", "Early years block"), "total_gbp_m"] == 0


def test_allocation_and_spend():
    row = summaries.allocation_and_spend(_values(), BOOK).set_index("year").loc["2016-17"]
    assert (row["allocation_gbp_m"], row["spend_gbp_m"], row["gap_gbp_m"]) == (30, 38, 8)
    assert row["gap_per_la_gbp_m"] == 4 and row["respondents"] == 2


def test_pressure_ratings_shares():
    table = summaries.pressure_ratings(_values(), BOOK)
    post16 = table[table["pressure"].eq("post16")].set_index("rating")
    assert post16.loc[5, "share"] == 0.5 and post16.loc[3, "share"] == 0.5 and post16.loc[1, "share"] == 0
    assert post16["mean"].iloc[0] == 4
    assert table[table["pressure"].eq("population")]["respondents"].iloc[0] == 1
    assert "curriculum" not in set(table["pressure"])  # nobody answered it


def test_summary_sentences_use_the_tables():
    values = _values()
    report = pd.DataFrame({"status": ["ok", "cleaned", "invalid"], "message": ["", "", "x"]})
    cleaned = CleanedReturns(values=values, report=report, excluded=pd.DataFrame({"response_id": ["C"]}))
    scale = pd.DataFrame({"year": ["2016-17"], "method": ["ratio_hnb"], "estimate": [250e6],
                          "lower_95": [200e6], "upper_95": [300e6]})
    projection = pd.DataFrame({"year": ["2017-18"], "scenario": ["linear trend"], "value": [275.4e6]})
    points = findings.summary_points(3, cleaned, summaries.inputs_by_source(values, BOOK),
                                     summaries.allocation_and_spend(values, BOOK), scale, "ratio_hnb",
                                     projection)
    assert points[0] == ("3 returns loaded, 2 used (1 left out for an unusable LA code); 1 answers cleaned, "
                         "1 invalid, 0 flagged as inconsistent.")
    assert "£5m at the peak (2016-17) and £5m in 2016-17" in points[1]
    assert "In 2016-17 the 2 respondents spent £8m more" in points[2] and "£4.0m per LA" in points[2]
    assert "about £250m (95% interval £200m to £300m)" in points[3]
    assert points[4] == "On its linear trend the national gap would be about £275m by 2017-18."


def test_the_pressure_ratings_are_told_apart_by_pattern_as_well_as_colour():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from analysis.studies.survey import figures

    table = summaries.pressure_ratings(_values(), BOOK)
    _, fig, _ = figures.pressures(table, synthetic=True)
    ax = fig.axes[0]
    handles, labels = ax.get_legend_handles_labels()
    hatches = [h.patches[0].get_hatch() or "" for h in handles]
    assert len(labels) == 5 and len(set(hatches)) == 5   # one pattern per rating
    grey = handles[2].patches[0]                         # 3 moderate: light grey, outlined
    assert grey.get_linewidth() > 0 and matplotlib.colors.to_hex(grey.get_edgecolor()) == "#505a5f"
    plt.close(fig)
