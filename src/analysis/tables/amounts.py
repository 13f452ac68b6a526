"""Cleaning amounts of money as people type them (a survey's answers, an LA's own figures), with
explicit rules; shared by every study that reads such text.

:func:`parse_money` returns the amount in pounds and a flag saying what was done:

=================  ==========================================================  ==============
flag               rule                                                        value
=================  ==========================================================  ==============
``ok``             a plain number: ``1200000``, ``-350000``, ``1200000.50``   the number
``cleaned``        ``£``, thousands commas and spaces removed; ``(1,000)`` is  the number
                   negative; a unit word scales it: ``k``/``thousand`` x1e3,
                   ``m``/``mn``/``million`` x1e6, ``bn``/``billion`` x1e9
``approximate``    as ``cleaned``, with ``c.``, ``ca``, ``circa``, ``approx``,  the number
                   ``about``, ``around`` or ``~`` in front
``blank``          empty or only spaces                                        missing
``not applicable`` ``n/a``, ``na``, ``not applicable``, ``none``, ``-``        missing
``don't know``     ``don't know``, ``dont know``, ``unknown``, ``dk``, ``?``   missing
``unparseable``    anything else (e.g. ``1.2m-1.5m``, ``see note``)            missing
=================  ==========================================================  ==============

A missing answer is never zero: "none" is read as not applicable, not as nil, because
respondents use it both ways; write ``0`` for nothing.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

MISSING_FLAGS = ("blank", "not applicable", "don't know", "unparseable")
_NOT_APPLICABLE = {"n/a", "na", "n.a.", "not applicable", "none", "-", "nil return"}
_DONT_KNOW = {"don't know", "dont know", "do not know", "don’t know", "unknown", "dk", "?", "not known"}
_APPROX = re.compile(r"^(?:c\.|ca\.?|circa|approx\.?|approximately|about|around|~)\s*", re.IGNORECASE)
_SCALE = {"k": 1e3, "thousand": 1e3, "m": 1e6, "mn": 1e6, "million": 1e6, "bn": 1e9, "billion": 1e9}
_AMOUNT = re.compile(r"^(?P<neg>-)?£?(?P<num>\d+(?:\.\d+)?|\.\d+)\s*(?P<unit>[a-z]+)?$", re.IGNORECASE)


@dataclass(frozen=True)
class Money:
    """A cleaned amount: ``value`` in pounds (None when missing) and the rule applied (``flag``)."""

    value: float | None
    flag: str


def parse_money(raw: object) -> Money:
    """Clean one typed amount (see the module docstring for the rules)."""
    if raw is None or (isinstance(raw, float) and math.isnan(raw)):
        return Money(None, "blank")
    if isinstance(raw, int | float):
        return Money(float(raw), "ok")
    text = str(raw).strip()
    if not text:
        return Money(None, "blank")
    lowered = text.lower().rstrip(".")
    if lowered in _NOT_APPLICABLE:
        return Money(None, "not applicable")
    if lowered in _DONT_KNOW or text.lower() in _DONT_KNOW:
        return Money(None, "don't know")
    try:
        number = float(text)
    except ValueError:
        pass
    else:
        return Money(number, "ok") if math.isfinite(number) else Money(None, "unparseable")
    approximate = bool(_APPROX.match(text))
    body = _APPROX.sub("", text).replace(",", "").replace(" ", "")
    negative = body.startswith("(") and body.endswith(")")
    body = body.strip("()")
    if body.startswith("£-"):
        body = "-" + body[2:]
    match = _AMOUNT.match(body)
    if not match or (match.group("unit") and match.group("unit").lower() not in _SCALE):
        return Money(None, "unparseable")
    value = float(match.group("num")) * _SCALE.get((match.group("unit") or "").lower(), 1.0)
    if negative or match.group("neg"):
        value = -value
    return Money(round(value, 2), "approximate" if approximate else "cleaned")
