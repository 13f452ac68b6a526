"""Reproducible evidence base on SEND high needs spending in England.

Layers, lowest first (each imports only those below it; a test keeps them honest):
:mod:`analysis.settings`, :mod:`analysis.errors`, :mod:`analysis.vocabulary`, :mod:`analysis.files`
(the core); :mod:`analysis.sources` (catalogue, fetch); :mod:`analysis.tables` (readers,
conventions, geography, breaks, schemas, build, the table store); :mod:`analysis.series` (area
series, comparators, the series store); :mod:`analysis.report` (figure style, display helpers);
:mod:`analysis.studies` (baseline, survey, drivers, profiles); :mod:`analysis.publish` (run and
publish the notebooks), imported only by :mod:`analysis.cli`.
"""

__version__ = "0.1.0"
