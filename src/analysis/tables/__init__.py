"""Tables: readers turn verified raw files into tidy processed tables (:mod:`.readers`), under
the conventions of :mod:`.conventions` (symbols, years), :mod:`.geography` (LA reorganisations),
:mod:`.breaks` (changes of basis) and the checks of :mod:`.schemas`; :mod:`.definitions` says
what each table is built from, :mod:`.build` builds them, and :mod:`.store` is how studies load
them (``from analysis.tables import store; store.load("ehcp_caseload_age")``).
"""
