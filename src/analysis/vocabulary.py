"""The project's words for areas, placements and LA types, named once.

Levels are the ``level`` of an area series (``geographic_level`` in the tables, as EES spells
them); placement groups gather the SEN2 ``setting_group``/``setting`` pairs; LA types are the
codes of DfE's LA lookup with the words a page shows.
"""

from __future__ import annotations

NATIONAL = "National"
REGIONAL = "Regional"
LA_LEVEL = "Local authority"
SUCCESSOR_LEVEL = "Successor local authority"
"""Level of the rows that keep an LA made by a reorganisation under its own code, in the years
its own figures are published, beside the stable unit's ``LA_LEVEL`` row. Regions, England and
pooled groups use ``LA_LEVEL`` rows only, so nothing counts twice; an LA's latest figure, rank
and comparison use its own row where there is one (the stable unit serves trends across the
boundary change)."""
COMPARATORS = "Comparators"
"""Level of a pooled comparator group (statistical neighbours, a region, chosen LAs)."""

ENGLAND = {"area_code": "E92000001", "area_name": "England", "level": NATIONAL}
"""England as an area of a series: its GSS code, name and level."""

ENGLISH_REGIONS = (
    "North East", "North West", "Yorkshire and The Humber", "East Midlands", "West Midlands",
    "East of England", "London", "South East", "South West",
)
"""The nine English regions, spelt as EES spells them."""

REGION_CODES = dict(zip(ENGLISH_REGIONS, (f"E1200000{i}" for i in range(1, 10))))
"""The regions' GSS codes (ONS): North East E12000001 ... South West E12000009."""

LA_TYPES = {"ILB": "inner London borough", "OLB": "outer London borough",
            "MD": "metropolitan district", "SC": "shire county", "UA": "unitary authority"}
"""The LA types of the DfE LA lookup, in words."""

AGE_BANDS = ("Under 5", "Age 5 to 10", "Age 11 to 15", "Age 16 to 19", "Age 20 to 25")
"""SEN2's age bands (age at 31 August before the census), youngest first; 20-25 from 2015."""

POST16_AGE_GROUPS = ("Age 16 to 19", "Age 20 to 25")
"""SEN2 age bands counted as "aged 16 or over" (ages at 31 August before the census)."""

PLACEMENTS: dict[str, list[tuple[str, str]]] = {
    "Mainstream schools": [("Mainstream school", "Total")],
    "Maintained and academy special schools": [
        ("Special school", "Special - LA maintained"), ("Special school", "Special - Academy"),
        ("Special school", "Hospital School"),
        ("Special school", "Special - Academy/free"), ("Special school", "Special - Free school"),
    ],
    "Independent and non-maintained special schools": [
        ("Special school", "Special - Independent"), ("Special school", "Special - Non-maintained"),
    ],
    "FE colleges and other post-16": [
        ("Further education", "General FE and tertiary colleges/HE"),
        ("Further education", "Other FE"), ("Further education", "Sixth form college"),
        ("Further education", "UKRLP registered provider"),
    ],
    "Specialist post-16 institutions": [
        ("Further education", "Specialist post-16 institutions"),
        ("Further education", "Independent specialist providers"),
    ],
}  # fmt: skip
"""Placement groups of the SEN2 ``setting_group``/``setting`` pairs (EHC plans + statements).
Settings absent in a year (e.g. "Other FE" after 2022) simply add nothing that year. Hospital
schools are counted with maintained and academy special schools in every year: SEN2 from
January 2023 has no hospital column and counts them there."""

SPECIALIST_SETTINGS: list[tuple[str, str]] = [
    ("Special school", "Total"),
    ("Further education", "Specialist post-16 institutions"),
    ("Further education", "Independent specialist providers"),
]
""""Special schools and specialist colleges" as the research counted them: every special
school (maintained, academy, free, independent, non-maintained, hospital) plus specialist
post-16 institutions (called independent specialist providers in 2015)."""
