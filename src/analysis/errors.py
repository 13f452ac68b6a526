"""Exit codes of the command line and the errors that carry them, in one place.

Every error the project raises on purpose derives from :class:`AnalysisError` and names the file,
key, row or column at fault; the command line prints the message and exits with ``exit_code``.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_FAILED = 1
"""A notebook or page failed (the published outputs were left as they were)."""
EXIT_USAGE = 2
"""Bad arguments, configuration or parameter file, or another run holds the reports folder."""
EXIT_MANUAL = 3
"""A source file has no download route: the message names the landing page and the path."""
EXIT_HASH = 4
"""A file's sha256 differs from its catalogue pin (the file is not used)."""
EXIT_NETWORK = 5
"""A download failed (the URL is named)."""
EXIT_INVALID = 6
"""A source file or a processed table failed validation (file, column and row named)."""


class AnalysisError(Exception):
    """Base of the project's deliberate errors."""

    exit_code = EXIT_FAILED


class UsageError(AnalysisError, ValueError):
    """A command, config or parameter file is wrong; the message names the file and key."""

    exit_code = EXIT_USAGE


class DataError(AnalysisError, ValueError):
    """A source file is not as expected; the message names the file, column and values."""

    exit_code = EXIT_INVALID
