"""Reproducible evidence base on SEND high needs spending in England.

Subpackages and modules: :mod:`analysis.data` (fetch, build and load the official statistics),
:mod:`analysis.conventions` (suppression symbols, years), :mod:`analysis.geography` (LA
reorganisations), :mod:`analysis.readers` (one reader per source family).
"""

__version__ = "0.1.0"
