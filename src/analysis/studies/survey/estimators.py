"""National totals from survey respondents, with seeded bootstrap 95% intervals.

Notation: U is the frame of N stable areas (:func:`analysis.studies.survey.frame.sampling_frame`), s the n
respondents with a value of y (e.g. an LA's high needs gap, pounds).

* ``expansion``: N / n * sum_s y (every area like the average respondent).
* ``ratio_*``: X_U * sum_s y / sum_s x, with an auxiliary x known for every area (high needs block
  allocation 2019-20, population aged 2-18 or 0-25): areas are scaled by size. Areas without x are
  left out of X_U and s (the table's note names them).
* ``poststrat_*``: sum over strata h of N_h * mean_{s_h} y (LA type or region): corrects for
  respondents over- or under-representing a stratum. A stratum with no respondents takes the mean
  of all respondents (named in the note).

Intervals: percentile bootstrap over respondents (within strata for post-stratification),
``n_bootstrap`` resamples from ``numpy.random.default_rng(seed)``, so identical for the same seed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Method:
    """One estimator: ``kind`` (expansion, ratio, poststrat) with its auxiliary or strata column."""

    name: str
    kind: str
    column: str | None
    label: str


METHODS = {m.name: m for m in (
    Method("expansion", "expansion", None, "Simple expansion (N/n)"),
    Method("ratio_hnb", "ratio", "hnb_2019_20", "Ratio to high needs block allocation 2019-20"),
    Method("ratio_pop_2_18", "ratio", "population_2_18", "Ratio to population aged 2-18"),
    Method("ratio_pop_0_25", "ratio", "population_0_25", "Ratio to population aged 0-25"),
    Method("poststrat_la_type", "poststrat", "la_type", "Post-stratified by LA type"),
    Method("poststrat_region", "poststrat", "region_name", "Post-stratified by region"),
)}


AUXILIARIES = {"hnb_2019_20": "high needs block allocation for 2019-20",
               "population_2_18": "population aged 2-18", "population_0_25": "population aged 0-25"}
"""The figure each ratio estimator scales by, in words (for notes on a page)."""


def get_method(name: str) -> Method:
    """A method by name, with the known names in the error."""
    try:
        return METHODS[name]
    except KeyError:
        raise KeyError(f"unknown scale-up method {name!r}; use one of {sorted(METHODS)}") from None


def expansion(y: np.ndarray, n_frame: int) -> float:
    """N / n * sum(y)."""
    return n_frame / len(y) * y.sum()


def ratio(y: np.ndarray, x: np.ndarray, x_total: float) -> float:
    """X_U * sum(y) / sum(x)."""
    return x_total * y.sum() / x.sum()


def poststratified(y: np.ndarray, strata: np.ndarray, frame_counts: pd.Series) -> float:
    """sum_h N_h * mean(y in h); strata without respondents take the overall mean."""
    means = pd.Series(y).groupby(strata).mean()
    return float(sum(count * means.get(h, y.mean()) for h, count in frame_counts.items()))


def _prepared(y: pd.Series, frame: pd.DataFrame, method: Method) -> tuple[pd.DataFrame, pd.DataFrame, str]:
    """Respondents (y plus the method's column) and the frame rows the method can use, and a note."""
    data = frame.set_index("unit_code").join(y.rename("y"), how="inner").dropna(subset=["y"])
    usable = frame
    note = ""
    if method.kind == "ratio":
        lacking = frame.loc[frame[method.column].isna(), "unit_code"].tolist()
        if lacking:
            note = f"areas without a {AUXILIARIES[method.column]} left out: {', '.join(lacking)}"
        usable = frame.dropna(subset=[method.column])
        data = data.dropna(subset=[method.column])
    if method.kind == "poststrat":
        empty = sorted(set(frame[method.column]) - set(data[method.column]))
        if empty:
            note = f"strata without respondents (overall mean used): {', '.join(map(str, empty))}"
    return data, usable, note


def _estimate(data: pd.DataFrame, usable: pd.DataFrame, method: Method) -> float:
    y = data["y"].to_numpy(float)
    if method.kind == "expansion":
        return expansion(y, len(usable))
    if method.kind == "ratio":
        return ratio(y, data[method.column].to_numpy(float), float(usable[method.column].sum()))
    return poststratified(y, data[method.column].to_numpy(), usable[method.column].value_counts())


def _bootstrap(data: pd.DataFrame, usable: pd.DataFrame, method: Method, n_bootstrap: int,
               rng: np.random.Generator) -> np.ndarray:
    """The estimator on ``n_bootstrap`` resamples of the respondents (vectorised: one row each)."""
    y = data["y"].to_numpy(float)
    if method.kind != "poststrat":
        picks = rng.integers(0, len(y), (n_bootstrap, len(y)))
        if method.kind == "expansion":
            return len(usable) / len(y) * y[picks].sum(axis=1)
        x = data[method.column].to_numpy(float)
        return float(usable[method.column].sum()) * y[picks].sum(axis=1) / x[picks].sum(axis=1)
    strata = data[method.column].to_numpy()
    counts = usable[method.column].value_counts()
    total = np.zeros(n_bootstrap)
    for h in sorted(set(strata)):
        y_h = y[strata == h]
        total += counts.get(h, 0) * y_h[rng.integers(0, len(y_h), (n_bootstrap, len(y_h)))].mean(axis=1)
    empty = [h for h in counts.index if h not in set(strata)]
    if empty:  # strata without respondents take the overall mean of each resample
        total += counts[empty].sum() * y[rng.integers(0, len(y), (n_bootstrap, len(y)))].mean(axis=1)
    return total


def estimate(y: pd.Series, frame: pd.DataFrame, method_name: str, *, n_bootstrap: int = 1000,
             seed: int = 2018) -> dict:
    """National total of ``y`` (indexed by respondents' ``unit_code``) with a bootstrap 95%
    interval: a dict with method, label, estimate, lower_95, upper_95, respondents, frame_areas,
    note."""
    method = get_method(method_name)
    data, usable, note = _prepared(y, frame, method)
    if data.empty:
        raise ValueError(f"{method_name}: no respondents with a value")
    draws = _bootstrap(data, usable, method, n_bootstrap, np.random.default_rng(seed))
    lower, upper = np.percentile(draws, [2.5, 97.5]) if n_bootstrap else (np.nan, np.nan)
    return {"method": method.name, "label": method.label, "estimate": _estimate(data, usable, method),
            "lower_95": float(lower), "upper_95": float(upper), "respondents": len(data),
            "frame_areas": len(usable), "note": note}


def scale_up(values: pd.DataFrame, frame: pd.DataFrame, methods, *, n_bootstrap: int,
             seed: int) -> pd.DataFrame:
    """Every method for every column of ``values`` (index ``unit_code``; columns e.g. years):
    one row per column and method, with the column's name as ``year``."""
    rows = [{"year": column, **estimate(values[column], frame, m, n_bootstrap=n_bootstrap, seed=seed)}
            for column in values.columns for m in methods]
    return pd.DataFrame(rows)


def preferred(table: pd.DataFrame) -> tuple[str, str]:
    """The method with the narrowest interval relative to its estimate, on average over years, and a
    sentence saying why it is preferred."""
    relative = (table["upper_95"] - table["lower_95"]) / table["estimate"].abs()
    width = relative.groupby(table["method"]).mean()
    best = width.idxmin()
    ranked = "; ".join(f"{METHODS[m].label} {w:.0%}" for m, w in width.sort_values().items())
    return best, (f"Prefer the estimator '{METHODS[best].label}': its 95% interval is the narrowest "
                  f"relative to the estimate (average width: {ranked}). A ratio estimator wins when "
                  "the measure grows with the auxiliary's size; post-stratification only corrects "
                  "the mix of LA types or regions among respondents, not their size.")


def against_published(y: pd.Series, frames: dict[str, pd.DataFrame], published_total: float
                      ) -> pd.DataFrame:
    """Each estimator on each frame (``frames``: name -> frame) against a published scale-up
    ``published_total`` of the same respondents' total of ``y`` (pounds): the estimate, its
    difference from the published figure, the multiplier it applies (estimate / respondents'
    total) beside the published one, and, for ratio estimators, the respondents' share of the
    auxiliary beside the share the published figure implies (respondents' total / published).
    Sorted by distance from the published figure; no bootstrap."""
    total = float(y.dropna().sum())
    rows = []
    for frame_name, frame in frames.items():
        for name in METHODS:
            method = get_method(name)
            data, usable, _ = _prepared(y, frame, method)
            value = _estimate(data, usable, method)
            share = (float(data[method.column].sum()) / float(usable[method.column].sum())
                     if method.kind == "ratio" else float("nan"))
            rows.append({"frame": frame_name, "frame_areas": len(usable),
                         "respondents": len(data), "method": name,
                         "label": method.label, "estimate": value,
                         "published": published_total, "difference": value - published_total,
                         "multiplier": value / total, "published_multiplier": published_total / total,
                         "respondents_share_of_auxiliary": share,
                         "implied_share": total / published_total})
    table = pd.DataFrame(rows)
    order = table["difference"].abs().sort_values(kind="stable").index
    return table.loc[order].reset_index(drop=True)
