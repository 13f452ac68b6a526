"""The baseline report's sources and definitions, every year in them read from the data held
(the releases each January comes from, the latest year of each series) or from the one place a
break or a reorganisation is named (:mod:`analysis.tables.breaks`, :mod:`analysis.tables.geography`).
"""

from __future__ import annotations

from analysis.series.store import SeriesStore
from analysis.tables import breaks, geography
from analysis.tables.conventions import year_label

AGE = "ehcp_caseload_age"


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _span(first: int, last: int) -> str:
    return f"January {first}" if first == last else f"January {first}-{last}"


def ehcp_releases(series: SeriesStore) -> list[tuple[str, int, int]]:
    """Which release each January's EHC plans come from: ``(release, first year, last year)``,
    oldest first (years are January census years)."""
    table = series.table(AGE)
    spans = table.groupby("release")["year"].agg(["min", "max"]).sort_values("min")
    return [(str(release), int(row["min"]), int(row["max"])) for release, row in spans.iterrows()]


def reorganisations() -> list[tuple[str, int]]:
    """Each stable area of a boundary change and the calendar year its successor LAs began
    (1 April of the year before their first financial year)."""
    return [(name, min(geography.FIRST_FINANCIAL_YEAR[c] for c in sets[-1]) - 1)
            for name, sets in geography.REORGANISED_UNITS.values()]


def sources_and_definitions(series: SeriesStore) -> str:
    """The report's "Sources and definitions" list, as Markdown."""
    population_last = int(series["population_0_25"]["year"].max())   # the January it is paired with
    exclusions_last = int(series["exclusion_counts"]["year"].max())
    dsg_last = int(series["hnb"]["year"].max())
    sen2 = breaks.SEN2_PERSON_LEVEL.year
    releases = ehcp_releases(series)
    from_each = _join([f"{_span(first, last)} from the {release} release"
                       for release, first, last in releases])
    changes = _join([f"{name} ({year})" for name, year in reorganisations()])
    items = [
        "**Years.** Every series is indexed by the year in which its period ends: the January SEN2 "
        "census year for EHC plans, the calendar year for new plans and tribunal appeals, the academic "
        f"year ({year_label(exclusions_last, 'academic')} = {exclusions_last}) for exclusions and the "
        f"financial year ({year_label(dsg_last, 'financial')} = {dsg_last}) for DSG and S251. Population "
        "is the ONS mid-year estimate at the start of the period "
        f"({year_label(population_last - 1, 'mid-year')} for January {population_last}, the latest held).",
        f"**EHC plans** count EHC plans plus statements (SEN2): {from_each} (each chart names the "
        f"releases under it). {breaks.SEN2_PERSON_LEVEL.note} Every chart spanning January {sen2} says "
        "so and marks the break.",
        f"**Population.** {breaks.POPULATION_CENSUS_2021.note} The charts mark the step.",
        "**Reorganised LAs**: charts and trends use the stable area across a boundary change; the "
        "summary of an LA formed by the change gives its own latest figure where the source publishes it.",
        "**Money** is in cash terms (not adjusted for inflation); each DSG year comes from its latest "
        "publication held.",
        "**Suppressed or missing values** are never read as zero. A total with any missing part is shown "
        "as missing; regions and comparator groups are sums of their LAs (DSG balance: the published "
        "regional figures and the comparators' median).",
        f"**Boundary changes.** {changes} are combined into stable areas so their series do not break.",
        "**Comparators.** DfE children's services statistical neighbours (latest list held), the other "
        "LAs of the region, or a chosen list.",
        "**Not held.** Where a claim needs files the project does not hold, the claims table's note "
        "names the publication that would test it.",
    ]
    return "\n".join(f"- {item}" for item in items)
