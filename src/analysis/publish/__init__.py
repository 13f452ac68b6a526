"""Publishing: execute the publications of ``notebooks/pipeline.yaml`` and publish ``reports/``.

:mod:`.config` (publications and parameter files), :mod:`.manifest` (content hashes, the
manifest), :mod:`.executors` (papermill and warm-kernel execution in worker processes),
:mod:`.pages` (notebook pages and indexes), :mod:`.scheduler` (one scheduler for reports and
collections: incremental runs, staging, promotion) and :mod:`.testing` (notebooks with test
parameters for nbval). Only the command line (:mod:`analysis.cli`) imports this layer.
"""
