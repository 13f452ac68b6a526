"""National projections of EHC plans published by others, each with its source and basis, to
set beside this project's England forecast. Figures as published (reported), never tuned to."""

from __future__ import annotations

import pandas as pd

PROJECTIONS = [
    {"source": "DfE, Schools White Paper 'Every child achieving and thriving' (23 February 2026): "
               "SEND reform estimates, as reported by the press (The Independent, 23 February 2026; "
               "Neil O'Brien MP, February 2026)",
     "basis": "DfE's estimate with its reforms: the share of pupils with an EHC plan rises from "
              "5.3% (2024/25) to 7.7% (2029/30), then EHC plans fall by about 270,000 to about "
              "640,000 by 2034/35, so about 910,000 at the 2029/30 peak (implied); the reforms "
              "restrict new plans from 2029, so the peak reflects the trend before them",
     "year": 2030, "value": 910_000.0, "kind": "implied from reported figures"},
    {"source": "Mime Consulting, 'Will EHCP numbers continue to rise, and what then?', Schools Week, "
               "14 July 2025",
     "basis": "Mime's cohort model (age and need of the current cohort, request rates, births, "
              "population), 'unmitigated': over 920,000 by 2040 if request rates stabilise, over "
              "1.1 million if they keep rising",
     "year": 2040, "value": 920_000.0, "kind": "as published (lower scenario)"},
]
"""Each projection: who published it and where, its basis, the January it is for, the figure."""

NOT_COUNTS = [
    {"source": "OBR, Economic and fiscal outlook (November 2025)",
     "projects": "high needs spending pressures and councils' cumulative DSG deficits (money)"},
    {"source": "IFS, analysis of spending on EHC plans and child disability living allowance (2025)",
     "projects": "high needs spending (about £15bn by 2029) and DSG deficits (about £8bn by 2028)"},
]
"""National forecasters whose projections are of money, not of EHC plans: they cannot be set
beside a forecast of plans and are compared with the high needs finance study instead."""


def not_counts() -> pd.DataFrame:
    """The money-only national projections (``source``, ``projects``)."""
    return pd.DataFrame(NOT_COUNTS)


def projections() -> pd.DataFrame:
    """The published projections as a table (``source``, ``basis``, ``year``, ``value``, ``kind``)."""
    return pd.DataFrame(PROJECTIONS)
