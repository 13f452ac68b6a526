"""The survey's codebook (``codebook.yaml``, package data): every question with its id, text,
type, unit, allowed range or values and whether it is required.

Questions asked once per financial year (``per_year``) are expanded for the chosen years:
``hnb_allocation`` for 2015-16 becomes ``hnb_allocation_2015_16``. Years are financial-year labels
("2015-16"); :func:`fy_suffix` and :func:`fy_end_year` convert them.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

import yaml

from analysis.tables.conventions import financial_year_end, year_label

TYPES = {"la_code", "money", "integer", "percent", "rating", "multi_select", "text"}
TOPUP_SOURCES = ("topup_schools_block", "topup_early_years_block", "topup_reserves", "topup_other")
"""The questions on sources used to top up the high needs block, in the research's order."""


class CodebookError(ValueError):
    """The codebook (or the years asked for) is invalid."""


@dataclass(frozen=True)
class Question:
    """One column of a return. ``base`` is the codebook id; ``year`` is set for per-year ones."""

    id: str
    base: str
    text: str
    type: str
    unit: str | None
    min: float | None
    max: float | None
    values: tuple | None
    required: bool
    year: str | None = None


@dataclass(frozen=True)
class Codebook:
    """The expanded questions for ``years``, plus the top-up tolerance and rating labels."""

    title: str
    source: str
    years: tuple[str, ...]
    questions: tuple[Question, ...]
    topup_tolerance: dict
    rating_scale: dict

    @property
    def ids(self) -> list[str]:
        return [q.id for q in self.questions]

    def get(self, question_id: str) -> Question:
        for q in self.questions:
            if q.id == question_id:
                return q
        raise KeyError(f"no survey question {question_id!r}")

    def of_base(self, base: str) -> list[Question]:
        """The per-year questions of one codebook id, in year order."""
        return [q for q in self.questions if q.base == base]


def fy_end_year(label: str) -> int:
    """The calendar year a financial year ends in: "2015-16" -> 2016 (a codebook error if not)."""
    try:
        return financial_year_end(label)
    except ValueError as exc:
        raise CodebookError(str(exc)) from None


def fy_suffix(label: str) -> str:
    """Column suffix of a financial year: "2015-16" -> "2015_16"."""
    fy_end_year(label)
    return label.replace("-", "_")


def fy_label(end_year: int) -> str:
    """The financial year ending in ``end_year``: 2016 -> "2015-16"."""
    return year_label(end_year, "financial")


def question_id(base: str, year: str) -> str:
    """The column of a per-year question: ("hnb_allocation", "2015-16") -> hnb_allocation_2015_16."""
    return f"{base}_{fy_suffix(year)}"


def _question(raw: dict, years) -> list[Question]:
    where = f"codebook question {raw.get('id')!r}"
    if raw.get("type") not in TYPES:
        raise CodebookError(f"{where}: type {raw.get('type')!r} is not one of {sorted(TYPES)}")
    if not raw.get("text"):
        raise CodebookError(f"{where}: text is required")
    common = dict(base=raw["id"], type=raw["type"], unit=raw.get("unit"), min=raw.get("min"),
                  max=raw.get("max"), values=tuple(raw["values"]) if raw.get("values") else None,
                  required=bool(raw.get("required", False)))
    if not raw.get("per_year"):
        return [Question(id=raw["id"], text=raw["text"], **common)]
    return [Question(id=question_id(raw["id"], y), text=raw["text"].format(year=y), year=y, **common)
            for y in years]


def load_codebook(years: list[str] | tuple[str, ...] | None = None) -> Codebook:
    """The codebook expanded for ``years`` (default: the codebook's own range, 2015-16 to 2018-19)."""
    text = resources.files("analysis.studies.survey").joinpath("codebook.yaml").read_text(encoding="utf-8")
    raw = yaml.safe_load(text)
    years = tuple(years or raw["years"])
    for label in years:
        fy_end_year(label)
    if list(years) != sorted(set(years), key=fy_end_year):
        raise CodebookError(f"years must be distinct and in order: {list(years)}")
    questions = tuple(q for item in raw["questions"] for q in _question(item, years))
    ids = [q.id for q in questions]
    if len(ids) != len(set(ids)):
        raise CodebookError("codebook question ids are repeated")
    return Codebook(title=raw["title"], source=raw["source"], years=years, questions=questions,
                    topup_tolerance=dict(raw["topup_tolerance"]),
                    rating_scale={int(k): v for k, v in raw["rating_scale"].items()})
