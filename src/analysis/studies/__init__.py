"""Studies: the baseline review (:mod:`.baseline`), the survey (:mod:`.survey`), the demand
drivers (:mod:`.drivers`) and the local area profiles (:mod:`.profiles`), with the shared
good-practice themes (:mod:`.themes`). Each builds on the series and table stores and draws with
:mod:`analysis.report`; none imports the publishing layer."""
