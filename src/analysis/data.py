"""Public entry points for the data layer, as used by notebooks::

    from analysis import data
    caseload = data.load("ehcp_caseload_age")

See :mod:`analysis.fetch` (download and verification) and :mod:`analysis.tables` (tables).
"""

from analysis.fetch import fetch, verify
from analysis.tables import TABLES, build, describe_tables, load, sources_of

__all__ = ["TABLES", "build", "describe_tables", "fetch", "load", "sources_of", "verify"]
