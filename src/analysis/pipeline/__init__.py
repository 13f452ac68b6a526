"""The pipeline: execute the notebooks of ``notebooks/pipeline.yaml`` and publish ``reports/``.

:mod:`.config` (the config and parameter files), :mod:`.state` (content hashes, the manifest),
:mod:`.execute` (papermill in a worker process), :mod:`.publish` (HTML pages and the index),
:mod:`.run` (scheduling, incremental runs, promotion of outputs) and :mod:`.testing` (notebooks
with test parameters for nbval). Command line: ``python -m analysis run``.
"""
