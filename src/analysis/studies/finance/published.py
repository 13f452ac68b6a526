"""England's DSG deficits as others have estimated or projected them, each with its source and
basis, to set beside this project's path. Figures as published or reported; never tuned to.
``year`` is the financial year end (31 March); ``value`` pounds, negative = deficit."""

from __future__ import annotations

import pandas as pd

ESTIMATES = [
    {"source": "DfE figures reported by The MJ, 'Pressure mounts over SEND grant deficit' (18 February 2021)",
     "basis": "total DSG deficit balance across England at the end of 2019-20 (89 LAs in deficit), "
              "from LAs' outturn", "year": 2020, "value": -0.48e9, "kind": "outturn"},
    {"source": "Society of County Treasurers survey, as cited by the LGA (briefing, 11 January 2024)",
     "basis": "high needs block deficits of the LAs that responded (£1.36bn), extrapolated to all LAs",
     "year": 2022, "value": -1.9e9, "kind": "survey estimate"},
    {"source": "IFS, 'Spending on special educational needs in England: something has to change' "
               "(December 2024)",
     "basis": "LAs' combined high needs deficits in 2024-25, from DfE and council data",
     "year": 2025, "value": -3.3e9, "kind": "estimate"},
    {"source": "Society of County Treasurers and ALAT survey for the County Councils Network "
               "(21 October 2024)",
     "basis": "national SEND deficits estimated from a survey of county and large unitary "
              "authorities: £4bn in 2024-25, £5.9bn in 2025-26", "year": 2026, "value": -5.9e9,
     "kind": "survey projection"},
    {"source": "NAO, 'Support for children and young people with special educational needs' "
               "(24 October 2024)",
     "basis": "DfE's estimate of LAs' cumulative DSG deficits when the override was then due to "
              "end, March 2026: £4.6bn central (£4.3bn to £4.9bn)", "year": 2026, "value": -4.6e9,
     "kind": "DfE projection"},
    {"source": "Special Needs Jungle, 'SEND cash splash' (16 February 2026), reporting DfE's figures",
     "basis": "DSG deficits totalled across LAs at March 2025", "year": 2025, "value": -3.8e9,
     "kind": "outturn, as reported"},
    {"source": "IFS analysis of spending on EHC plans and child disability living allowance (2025)",
     "basis": "councils' accumulated SEND deficits forecast for 2028", "year": 2028,
     "value": -8.0e9, "kind": "projection"},
    {"source": "OBR, Economic and fiscal outlook (November 2025), as reported by the IFS "
               "(2 December 2025)",
     "basis": "cumulative deficits in councils' SEND budgets by March 2028", "year": 2028,
     "value": -14.0e9, "kind": "official forecast"},
    {"source": "County Councils Network and Isos Partnership (14 November 2025)",
     "basis": "cumulative deficits by the end of this Parliament (2029), with SEND spending rising "
              "from £12.2bn to £16.8bn", "year": 2029, "value": -17.8e9, "kind": "projection"},
]
"""Each estimate: who published it and where, its basis, the 31 March it is for, the figure."""


WRITE_OFF = {"source": "MHCLG, final local government finance settlement 2026-27 (February 2026), as "
                       "reported by Schools Week: the write-off of 90% of DSG deficits to 2025-26 is "
                       "'estimated to be worth £5 billion'", "year": 2026, "value": 5.0e9}
"""The government's own estimate of the write-off's value (pounds; ``year``: the 31 March whose
deficit is written off)."""
GAP_AHEAD = {"source": "OBR, Economic and fiscal outlook (November 2025), paragraph 5.19 and Box 5.1: "
                       "the SEND pressure on central government once costs are funded centrally, "
                       "about £6 billion (£6.3 billion) in 2028-29", "year": 2029, "value": 6.3e9}
"""The OBR's estimate of the in-year SEND funding gap central government takes on (pounds;
``year``: the financial year end)."""


def estimates() -> pd.DataFrame:
    """The published estimates as a table (source, basis, year, value, kind)."""
    return pd.DataFrame(ESTIMATES)
