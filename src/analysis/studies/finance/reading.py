"""The finance study in words: amounts for prose and sentences generated from the numbers."""

from __future__ import annotations

import pandas as pd

from analysis.series.calc import round_half_up
from analysis.tables.conventions import year_label

WOULD_GIVE = {
    "outturn": "DfE's S251 outturn (LA and school expenditure)",
    "balance": "DfE's cumulative DSG balances, derived from each year's S251 outturn",
    "population": "ONS mid-year population estimates",
    "allocation": "ESFA's DSG allocations",
}
"""The publication that would fill a money measure's missing years, by kind of measure."""


def money(value: float) -> str:
    """Pounds for prose: "-£1.16bn", "£806m", "-£12.3m", "£950k" (a minus sign for a deficit)."""
    if value != value:
        return "n/a"
    sign, v = ("-" if value < 0 else ""), abs(value)
    if v >= 1e9:
        return f"{sign}£{round_half_up(v / 1e9, 2):,.2f}bn"
    if v >= 1e6:
        return f"{sign}£{round_half_up(v / 1e6, 1):,.1f}m"
    if v >= 1e3:
        return f"{sign}£{round_half_up(v / 1e3, 0):,.0f}k"
    return f"{sign}£{round_half_up(v, 0):,.0f}"


def path_sentence(name: str, rows: pd.DataFrame, scenario: str, label: str, to_year: int) -> str:
    """An area's latest published (or LA-supplied) balance and its balance at ``to_year``."""
    mine = rows[rows["scenario"].eq(scenario)].set_index("year")
    held = mine[mine["kind"].isin(["published", "supplied by the LA"])]
    last, end = held.iloc[-1], mine.loc[to_year]
    whose = "published" if last["kind"] == "published" else "as the LA gave it"
    return (f"{name}'s cumulative DSG balance was {money(last['value_gbp'])} at 31 March "
            f"{int(held.index.max())} ({whose}); on {label}, with costs growing with its plans, it "
            f"is {end['kind']} at about {money(end['value_gbp'])} at 31 March {to_year} (80% "
            f"interval {money(end['lower_gbp'])} to {money(end['upper_gbp'])}).")


def position_sentence(name: str, row: pd.Series, write_off_year: int, to_year: int) -> str:
    """An LA's (or England's) position at the end of the override with and without the grant,
    in pounds and as a share of DSG income, from its ``finance_2028`` row."""
    end, w = to_year, write_off_year
    b, nb = row[f"balance_{end}"], row[f"balance_{end}_no_grant"]
    state, state_without = ("a deficit" if v < 0 else "a surplus" for v in (b, nb))
    grant = (f"a High Needs Stability Grant of about {money(row['grant'])} against an estimated "
             f"balance of {money(row[f'deficit_{w}'])} at 31 March {w}" if row["grant"] > 0 else
             f"no High Needs Stability Grant (estimated in surplus at 31 March {w})"
             if row[f"deficit_{w}"] >= 0 else "no High Needs Stability Grant (this scenario leaves it out)")
    return (f"At 31 March {end}, when the statutory override ends, {name} is projected to hold "
            f"{state} of about {money(abs(b))} ({abs(row[f'balance_{end}_pct_of_dsg']):.1f}% of its "
            f"DSG income; 80% interval {money(row[f'balance_{end}_lower'])} to "
            f"{money(row[f'balance_{end}_upper'])}), after {grant}. Without the grant it would be "
            f"{state_without} of about {money(abs(nb))} "
            f"({abs(row[f'balance_{end}_no_grant_pct_of_dsg']):.1f}% of DSG income).")


def supplied_sentence(name: str, rows: pd.DataFrame) -> str:
    """Which figures an LA gave itself (``rows``: measure, figure in words, value), in words;
    "" when it gave none."""
    if rows.empty:
        return ""
    given = [f"{r.figure} ({f'{r.value:,.0f}' if r.measure == 'plans' else money(r.value)})"
             for r in rows.itertuples()]
    return (f"This section uses figures {name} gave itself, which DfE has not published: "
            f"{'; '.join(given)}. Its path restarts from the latest of them.")


def backtest_sentence(scored: pd.DataFrame) -> str:
    """How close the path came, run one year from the backtest origin, to the balances published,
    beside the plain alternative of repeating each LA's last change."""
    origin = int(scored["origin"].iloc[0])
    error, plain = scored["error_pct_of_dsg"], scored["repeated_error_pct_of_dsg"]
    better = "less" if plain.abs().median() < error.abs().median() else "more"
    return (f"Run from 31 March {origin} with the demand forecast of January {origin} (and the "
            f"{origin}-{(origin + 1) % 100:02d} spending known, the only outturn held), the path's "
            f"balance for 31 March {origin + 1} was out by a median {error.abs().median():.2f}% of "
            f"DSG income across {len(scored)} LAs (mean error {error.mean():+.2f}%: positive = "
            f"balances projected too high), and {scored['inside_80'].mean() * 100:.0f}% of the "
            "published balances fell inside the 80% interval. Repeating each LA's last published "
            f"change was out by a median {plain.abs().median():.2f}% ({better} than the path) with a "
            f"mean error of {plain.mean():+.2f}%. That is all the balances held can test: no balance "
            f"after 31 March {origin + 1} is published in the files held, so the years after it, the "
            "cost forecast and the write-off cannot be checked against outcomes here.")


def estimate_comparison(estimates: pd.DataFrame, path: pd.DataFrame, scenario: str) -> pd.DataFrame:
    """Each published estimate beside this project's England balance on ``scenario`` for the
    same 31 March: net of the LAs in surplus (with the 80% interval) and the sum of the deficits
    alone (the basis of most published figures), with the difference from the net figure."""
    rows = path[path["scenario"].eq(scenario)]
    england = rows[rows["level"].eq("National")].set_index("year")
    las = rows[rows["level"].eq("Local authority")]
    deficits = las[las["value_gbp"].lt(0)].groupby("year")["value_gbp"].sum()
    out = estimates.copy()
    out["this_project_net"] = out["year"].map(england["value_gbp"])
    out["this_project_lower"] = out["year"].map(england["lower_gbp"])
    out["this_project_upper"] = out["year"].map(england["upper_gbp"])
    out["this_project_deficits_only"] = out["year"].map(deficits)
    out["difference_net"] = out["this_project_net"] - out["value"]
    return out


def formatted(frame: pd.DataFrame, pounds=(), exact=(), counts=(), percents=()) -> pd.DataFrame:
    """A copy for display: ``pounds`` columns as money (£1.16bn, £12.3m), ``exact`` as whole
    pounds (£9,716), ``counts`` with thousands separators, ``percents`` to one decimal place,
    missing values as "n/a"."""
    out = frame.copy()
    for column in pounds:
        out[column] = out[column].map(money)
    for column in exact:
        out[column] = out[column].map(lambda v: "n/a" if pd.isna(v) else f"£{round_half_up(v, 0):,.0f}")
    for column in counts:
        out[column] = out[column].map(lambda v: "n/a" if pd.isna(v) else f"{v:,.0f}")
    for column in percents:
        out[column] = out[column].map(lambda v: "n/a" if pd.isna(v) else f"{round_half_up(v, 1):.1f}%")
    return out


def threshold_counts(flagged: pd.DataFrame, thresholds) -> pd.DataFrame:
    """How many LAs' projected deficits pass each threshold (``flagged``: one row per LA with its
    ``deficit_pct_of_dsg``); an LA past 20% is counted at 5% and 10% too."""
    return pd.DataFrame({"Projected deficit": [f"more than {t:g}% of DSG income" for t in thresholds],
                         "LAs": [int(flagged["deficit_pct_of_dsg"].gt(t).sum()) for t in thresholds]})


def backtest_table(scored: pd.DataFrame) -> pd.DataFrame:
    """The backtest's errors (percentage points of DSG income) for the path and for repeating
    the last change: median absolute, mean, and the middle 50% of errors."""
    rows = []
    for name, column in (("The path", "error_pct_of_dsg"),
                         ("Last change repeated", "repeated_error_pct_of_dsg")):
        error = scored[column]
        rows.append({"Projection": name, "LAs": len(error),
                     "Median absolute error": f"{error.abs().median():.2f}%",
                     "Mean error": f"{error.mean():+.2f}%",
                     "Middle half of errors":
                         f"{error.quantile(0.25):+.2f}% to {error.quantile(0.75):+.2f}%"})
    return pd.DataFrame(rows)


def _thresholds_sentence(counts: list[int], thresholds, projected: int, to_year: int, label: str) -> str:
    """"Of the 150 LAs with a path, by 31 March 2028 on ... 124 are projected to have a deficit
    of more than 5% of their DSG income (109 more than 10%, 75 more than 20%)."""
    more = ", ".join(f"{n} more than {t:g}%" for t, n in zip(thresholds[1:], counts[1:]))
    return (f"Of the {projected} LAs with a path, by 31 March {to_year} on {label} {counts[0]} are "
            f"projected to have a deficit of more than {thresholds[0]:g}% of their DSG income"
            + (f" ({more})." if more else "."))


def summary(fin, label: str) -> list[str]:
    """The report's summary sentences: England's path, the outturn year's gap, the LAs past the
    thresholds, and the backtest."""
    from analysis.tables.conventions import year_label

    a = fin.assumptions
    england = fin.path[fin.path["level"].eq("National")]
    totals = fin.la[fin.la["level"].eq("National")].set_index("year").loc[fin.outturn_year]
    counts = threshold_counts(fin.flagged, a.thresholds_pct)
    ends = fin.path[fin.path["level"].eq("Local authority") & fin.path["scenario"].eq(a.scenario)
                    & fin.path["year"].eq(a.to_year)]
    projected = int(ends["value_gbp"].notna().sum())
    net = fin.position[fin.position["part"].eq("net")].iloc[0]
    deficits = fin.position[fin.position["part"].str.startswith("LAs in deficit")].iloc[0]
    end, w = a.to_year, a.settlement["write_off_year"]
    return [
        f"At 31 March {end}, when the statutory override ends, LAs' DSG balances in England are "
        f"projected to sum to about {money(net[f'balance_{end}'])} (80% interval "
        f"{money(net[f'balance_{end}_lower'])} to {money(net[f'balance_{end}_upper'])}), the deficits "
        f"alone to {money(deficits[f'balance_{end}'])}, after the High Needs Stability Grant writes "
        f"off {a.settlement['write_off_share']:.0%} of each deficit at 31 March {w} (about "
        f"{money(net['grant'])}). Without the grant "
        f"the sum would be about {money(net[f'balance_{end}_no_grant'])}.",
        path_sentence("England", england, a.scenario, label, a.to_year),
        f"In {year_label(fin.outturn_year, 'financial')}, the only year whose S251 outturn is held, "
        f"LAs spent {money(totals['spend'])} on high needs (with the place funding ESFA paid "
        f"directly) against a high needs block of {money(totals['hnb_before'])}: a gap of "
        f"{money(totals['gap'])}.",
        _thresholds_sentence(counts["LAs"].tolist(), a.thresholds_pct, projected, a.to_year, label),
        backtest_sentence(fin.backtest)]


def _would_give(column: str) -> str:
    if column.startswith(("outturn", "spend", "gap")):
        return WOULD_GIVE["outturn"]
    if column.startswith("balance"):
        return WOULD_GIVE["balance"]
    if "per_head" in column or column.startswith("population"):
        return WOULD_GIVE["population"]
    return WOULD_GIVE["allocation"]


def _years(years) -> str:
    """Financial years ending in March of ``years`` as a reader writes them: "2020-21",
    "2019-20 to 2021-22" (consecutive), "2019-20, 2021-22"."""
    years = sorted(int(y) for y in years)
    if len(years) > 1 and years[-1] - years[0] == len(years) - 1:
        return f"{year_label(years[0], 'financial')} to {year_label(years[-1], 'financial')}"
    return ", ".join(year_label(y, "financial") for y in years)


def missing_note(rows: pd.DataFrame, labels: dict[str, str]) -> str:
    """Why a money-by-year table has n/a (``rows``: one area's rows of ``finance_la``, indexed by
    financial year ending in March; ``labels``: column -> its row label): for each measure with a
    year not held, the years held and the publication that would give the rest, for
    :func:`analysis.report.words.explained`."""
    said: dict[tuple[str, str], list[str]] = {}
    for column, label in labels.items():
        held = rows.index[rows[column].notna()]
        if len(held) < len(rows):
            key = (_years(held) if len(held) else "no year", _would_give(column))
            said.setdefault(key, []).append(label)
    parts = [f"{'; '.join(names)}: held for {years} only; the other years are in {source}, which "
             "this project does not hold" for (years, source), names in said.items()]
    return "no figure in the files this project holds, never zero. " + ". ".join(parts) + "."
