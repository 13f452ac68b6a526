"""What notebooks display for the publishing layer to pick up.

:func:`synthetic_notice` marks a notebook that ran on synthetic data: the reader of the notebook
sees the text, and the published page gets a SYNTHETIC DATA banner. A code cell tagged
:data:`SUMMARY_TAG` gives the report's summary on the site's index page.
"""

from __future__ import annotations

SYNTHETIC_MIME = "application/vnd.analysis.synthetic+json"
SUMMARY_TAG = "summary"


class SyntheticNotice:
    """Shown in a notebook: markdown for the reader, plus a marker the page renderer turns into a
    banner (see :func:`synthetic_notice`)."""

    def __init__(self, reason: str):
        self.reason = reason

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"text/markdown": f"**SYNTHETIC DATA:** {self.reason}",
                SYNTHETIC_MIME: {"reason": self.reason}}


def synthetic_notice(reason: str) -> SyntheticNotice:
    """A display object a notebook shows when it ran on synthetic data (adds the page banner).

    Use ``display(synthetic_notice("the survey returns are a synthetic sample"))``.
    """
    return SyntheticNotice(reason)
