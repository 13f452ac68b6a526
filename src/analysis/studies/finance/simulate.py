"""Every LA's cumulative DSG balance, year by year from its starting 31 March, simulated jointly
so that England's interval carries the errors that move together.

Each year a balance adds the high needs allocation and what else moves it, takes off the
modelled high needs cost, and, in the year of a write-off, is reduced by the grant (a share of
the deficit, nothing for a surplus). :func:`run` draws every uncertain input at once for all
LAs (a seeded generator, so the same inputs give the same numbers):

- **demand**: each LA's cost scales with its plans; the log of its plans is drawn with the spread
  of the demand forecast's 80% interval (``demand_sd``), one draw per LA carried through every
  year, correlated across LAs by ``demand_rho`` (one shared part and one LA's own);
- **cost growth**: cost inflation errs by ``inflation_sd`` a year, the same for every LA, each
  year's error carried on (a random walk);
- **allocations**: years whose total is not announced err by ``allocation_sd``, the same share
  for every LA;
- **what else moves the balance**: each LA's yearly amount drawn around its mean with the spread
  seen across LAs and years (``other_sd``), apart for each LA and year.

The central path is the same calculation with every error at nought.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

Z80 = 1.2815515655446004
"""The standard normal's 90th percentile: an 80% interval spans 2 x Z80 standard deviations."""


@dataclass(frozen=True)
class Inputs:
    """The model's inputs for ``codes`` (LAs) over ``years`` (31 March of each, pounds)."""

    codes: list[str]
    years: np.ndarray            # financial years by their end, after the origin
    start: np.ndarray            # per LA: the balance at the origin (31 March years[0] - 1)
    allocation: np.ndarray       # LAs x years
    cost: np.ndarray             # LAs x years: the modelled cost, central
    demand_sd: np.ndarray        # LAs x years: sd of the log of cost from demand
    other: np.ndarray            # per LA: what else moves the balance, mean a year
    other_sd: np.ndarray         # per LA: its sd in one year
    unannounced: np.ndarray      # per year: True where the allocation is not announced
    supplied: dict[int, dict[int, float]] = field(default_factory=dict)
    """LA position -> {year: balance}: balances an LA supplied, which replace the path's
    value at that 31 March in every draw (the path restarts from them)."""


@dataclass(frozen=True)
class Uncertainty:
    demand_rho: float            # correlation of LAs' demand errors
    inflation_sd: float          # a year
    allocation_sd: float         # share, for years not announced


@dataclass(frozen=True)
class WriteOff:
    year: int                    # the 31 March whose deficit is written off
    share: float                 # of the deficit (0.9)


@dataclass(frozen=True)
class Result:
    """Balances (draws x LAs x years; the central path is draw 0 of :func:`central`), at the
    write-off year the balance before the grant and the grant (draws x LAs), and the in-year
    high needs gap summed over LAs (cost less allocation, draws x years)."""

    balance: np.ndarray
    before_grant: np.ndarray | None
    grant: np.ndarray | None
    gap: np.ndarray


def _path(x: Inputs, cost: np.ndarray, allocation: np.ndarray, other: np.ndarray,
          write_off: WriteOff | None) -> Result:
    """Balances from the drawn (or central) inputs, each ``draws x LAs x years``."""
    draws = cost.shape[0]
    balance = np.empty_like(cost)
    b = np.broadcast_to(x.start, (draws, len(x.codes))).astype(float)
    before = grant = None
    for j, year in enumerate(x.years):
        b = b + allocation[:, :, j] + other[:, :, j] - cost[:, :, j]
        if write_off is not None and year == write_off.year:
            before = b.copy()
            grant = write_off.share * np.maximum(-b, 0.0)
            b = b + np.nan_to_num(grant)
        for i, given in x.supplied.items():
            if int(year) in given:
                b[:, i] = given[int(year)]
        balance[:, :, j] = b
    return Result(balance, before, grant, np.sum(cost - allocation, axis=1))


def central(x: Inputs, write_off: WriteOff | None) -> Result:
    """The path with every error at nought (one draw)."""
    return _path(x, x.cost[None], x.allocation[None].copy(), np.broadcast_to(
        x.other[None, :, None], (1, len(x.codes), len(x.years))), write_off)


def run(x: Inputs, u: Uncertainty, write_off: WriteOff | None, draws: int, seed: int) -> Result:
    """``draws`` joint draws of every LA's path (see the module docstring)."""
    rng = np.random.default_rng(seed)
    k, t = len(x.codes), len(x.years)
    shared, own = rng.standard_normal((draws, 1, 1)), rng.standard_normal((draws, k, 1))
    z_demand = np.sqrt(u.demand_rho) * shared + np.sqrt(1 - u.demand_rho) * own
    z_inflation = np.cumsum(rng.standard_normal((draws, 1, t)), axis=2)
    z_allocation = rng.standard_normal((draws, 1, 1))
    z_other = rng.standard_normal((draws, k, t))
    cost = x.cost[None] * np.exp(x.demand_sd[None] * z_demand + u.inflation_sd * z_inflation)
    allocation = x.allocation[None] * (1 + u.allocation_sd * z_allocation * x.unannounced[None, None])
    other = x.other[None, :, None] + x.other_sd[None, :, None] * z_other
    return _path(x, cost, allocation, other, write_off)


def demand_sd(lower: np.ndarray, upper: np.ndarray) -> np.ndarray:
    """The sd of the log of a quantity from its 80% interval (nought where the interval is
    closed, as for plans already published)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        sd = (np.log(upper) - np.log(lower)) / (2 * Z80)
    return np.nan_to_num(sd, nan=0.0, posinf=0.0, neginf=0.0)


def matching_rho(parts_sd: np.ndarray, total_sd: float) -> float:
    """The one correlation between parts (each with sd ``parts_sd``, in the same unit as the
    total) that gives their sum the sd ``total_sd``: from var(sum) = (1 - rho) sum(s^2) +
    rho (sum s)^2, kept within 0 to 1."""
    s = parts_sd[np.isfinite(parts_sd)]
    alone, together = float(np.sum(s ** 2)), float(np.sum(s)) ** 2
    if together <= alone:
        return 0.0
    return float(np.clip((total_sd ** 2 - alone) / (together - alone), 0.0, 1.0))


def quantiles(values: np.ndarray, low: float = 0.1, high: float = 0.9) -> tuple[np.ndarray, np.ndarray]:
    """The ``low`` and ``high`` quantiles over the draws (axis 0); missing where any draw is."""
    lo, hi = np.quantile(values, [low, high], axis=0)
    return lo, hi


def deficits_only(balance: np.ndarray) -> np.ndarray:
    """The sum over LAs (axis 1) of the balances below nought, per draw and year."""
    return np.where(balance < 0, balance, 0.0).sum(axis=1)
