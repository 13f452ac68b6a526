"""The forecast's assumptions (``assumptions.yaml``, package data), read and checked.

Every window, grid, threshold and rule the forecast uses is in that file; :func:`load` returns
them as :class:`Assumptions` and refuses a file with a missing, unknown or malformed key, naming it.
A notebook or a test can pass its own file (``load(path)``).
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import yaml

from analysis.errors import UsageError
from analysis.studies.parameters import check_keys
from analysis.vocabulary import AGE_BANDS

METHODS = ("naive", "last_growth", "drift", "damped", "pooled", "cohort", "combined")


class AssumptionsError(UsageError):
    """The assumptions file is incomplete or wrong; the message names the key."""


@dataclass(frozen=True)
class Assumptions:
    fit_from: int
    horizon: int
    backtest_origins: tuple[int, int]
    methods: tuple[str, ...]
    combined: tuple[str, ...]
    baselines: tuple[str, ...]
    drift: dict
    damped: dict
    pooled: dict
    cohort: dict
    intervals: dict
    default_rule: str
    default_bar: dict
    research_2018: dict
    successor_min_years: int
    jumps: dict
    placements: dict
    source: str = "assumptions.yaml"


_SHAPE = {
    "fit_from": int, "horizon": int, "backtest_origins": list, "methods": list, "combined": list,
    "baselines": list, "drift": dict,
    "damped": dict, "pooled": dict, "cohort": dict, "intervals": dict, "default_rule": str,
    "default_bar": dict,
    "research_2018": dict, "successor_min_years": int, "jumps": dict, "placements": dict,
}
_NESTED = {
    "drift": {"window": int, "min_window": int},
    "damped": {"alpha": list, "beta": list, "phi": list},
    "pooled": {"window": int, "min_window": int},
    "cohort": {"window": int, "widths": list},
    "intervals": {"levels": list, "min_errors": int, "min_origins_aggregate": int},
    "research_2018": {"origin": int, "trend_from": int},
    "default_bar": {"reference": str, "margin_1_year": float},
    "jumps": {"min_change": float, "mads": float},
    "placements": {"groups": dict, "other": str, "trend_window": int, "trend_damping": float},
}


def parse(text: str, source: str = "assumptions.yaml") -> Assumptions:
    """Check and read the assumptions file's text."""
    raw = yaml.safe_load(text)
    check_keys(raw, _SHAPE, source, AssumptionsError)
    for key, shape in _NESTED.items():
        check_keys(raw[key], shape, f"{source}: {key}", AssumptionsError)
    first, last = raw["backtest_origins"] if len(raw["backtest_origins"]) == 2 else (None, None)
    if first is None or not first < last:
        raise AssumptionsError(f"{source}: 'backtest_origins' must be [first, last], first < last")
    unknown = [m for m in raw["methods"] if m not in METHODS]
    if unknown or not raw["methods"]:
        raise AssumptionsError(f"{source}: 'methods' {unknown} not among {list(METHODS)}")
    for key in ("combined", "baselines"):
        wrong = [m for m in raw[key] if m not in METHODS or m == "combined"]
        if wrong or not raw[key]:
            raise AssumptionsError(f"{source}: {key!r} {wrong} not among {list(METHODS[:-1])}")
    if raw["default_bar"]["reference"] not in raw["baselines"]:
        raise AssumptionsError(f"{source}: default_bar 'reference' must be one of the 'baselines'")
    missing = [m for m in raw["baselines"] if m not in raw["methods"]]
    if missing:
        raise AssumptionsError(f"{source}: 'baselines' {missing} must be among 'methods'")
    if len(raw["cohort"]["widths"]) != len(AGE_BANDS):
        raise AssumptionsError(f"{source}: cohort 'widths' must give one width per age band "
                               f"({', '.join(AGE_BANDS)})")
    if not 0 < raw["horizon"] <= 10:
        raise AssumptionsError(f"{source}: 'horizon' must be 1 to 10 years")
    for key in ("drift", "pooled"):
        if not 1 <= raw[key]["min_window"] <= raw[key]["window"]:
            raise AssumptionsError(f"{source}: {key} 'min_window' must be 1 to 'window'")
    if not raw["research_2018"]["trend_from"] < raw["research_2018"]["origin"]:
        raise AssumptionsError(f"{source}: research_2018 'trend_from' must be before its 'origin'")
    if raw["intervals"]["min_origins_aggregate"] < 2:
        raise AssumptionsError(f"{source}: intervals 'min_origins_aggregate' must be at least 2")
    if sorted(raw["intervals"]["levels"]) != [80, 95]:
        raise AssumptionsError(f"{source}: intervals 'levels' must be [80, 95]")
    return Assumptions(**{**raw, "backtest_origins": (first, last), "methods": tuple(raw["methods"]),
                          "combined": tuple(raw["combined"]), "baselines": tuple(raw["baselines"]),
                          "source": source})


def load(path: str | Path | None = None) -> Assumptions:
    """The package's assumptions, or those in the file at ``path``."""
    if path is None:
        return parse(resources.files("analysis.studies.forecast").joinpath("assumptions.yaml")
                     .read_text(encoding="utf-8"))
    return parse(Path(path).read_text(encoding="utf-8"), source=str(path))


def with_options(a: Assumptions, *, horizon: int | None = None, methods=None) -> Assumptions:
    """The assumptions with a notebook's choices of ``horizon`` and ``methods`` (None keeps the
    file's), checked like the file."""
    from dataclasses import replace

    changes = {}
    if horizon is not None:
        if not 0 < int(horizon) <= 10:
            raise AssumptionsError(f"horizon {horizon!r} must be 1 to 10 years")
        changes["horizon"] = int(horizon)
    if methods is not None:
        unknown = [m for m in methods if m not in METHODS]
        if unknown or not methods:
            raise AssumptionsError(f"methods {unknown or methods!r} not among {list(METHODS)}")
        changes["methods"] = tuple(methods)
    return replace(a, **changes)


LABELS = {
    "fit_from": "First January a method fits on",
    "horizon": "Years ahead forecast",
    "backtest_origins": "Backtest origins, first and last January",
    "methods": "Methods run", "combined": "Methods the combination averages",
    "baselines": "Simple baselines the default must beat",
    "drift.window": "Recent growth: years averaged", "drift.min_window": "Recent growth: fewest years",
    "damped.alpha": "Damped trend: level smoothing tried",
    "damped.beta": "Damped trend: trend smoothing tried", "damped.phi": "Damped trend: damping tried",
    "pooled.window": "Pooled growth: years of growth", "pooled.min_window": "Pooled growth: fewest years",
    "cohort.window": "Age cohorts: transitions averaged",
    "cohort.widths": "Age cohorts: single years of age in each band, youngest first",
    "intervals.levels": "Interval levels (%)",
    "intervals.min_errors": "LA intervals: fewest past errors at a horizon",
    "intervals.min_origins_aggregate": "Regions' and England's intervals: fewest backtest origins",
    "default_rule": "How the default method is chosen",
    "default_bar.reference": "Baseline the one-year error is measured against",
    "default_bar.margin_1_year": "How far below it the default's one-year error must be",
    "research_2018.origin": "The 2018 research's origin (January)",
    "research_2018.trend_from": "The 2018 research's trend: first January",
    "successor_min_years": "Januaries a successor LA needs to be forecast on its own",
    "jumps.min_change": "One-year jump listed: smallest change from usual growth (log points)",
    "jumps.mads": "One-year jump listed: median absolute deviations from usual growth",
    "placements.groups": "Placement groups (from SEN2's placements)",
    "placements.other": "The rest of the placements",
    "placements.trend_window": "Placement mix trend: years of change",
    "placements.trend_damping": "Placement mix trend: damping each further year",
}
"""Each assumption in words, for the report (a test checks every key has one)."""


def _words(value) -> str:
    """An assumption's value for people: method names in words, lists joined, shares as %."""
    from analysis.studies.forecast.reading import METHOD_NAMES

    if isinstance(value, (list, tuple)):
        return ", ".join(_words(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_words(v)}" for k, v in value.items())
    return METHOD_NAMES.get(value, str(value)) if isinstance(value, str) else str(value)


def as_table(a: Assumptions) -> list[dict]:
    """Every assumption as rows in words (assumption, value), for the report."""
    rows = []
    for key, value in a.__dict__.items():
        if key == "source":
            continue
        items = value.items() if isinstance(value, dict) else [(None, value)]
        for sub, v in items:
            name = key if sub is None else f"{key}.{sub}"
            shown = f"{v:.0%}" if name == "default_bar.margin_1_year" else _words(v)
            rows.append({"assumption": LABELS.get(name, name), "value": shown})
    return rows
