"""Breaks in a publisher's basis: which a chart spans, and the words under it."""

from analysis.tables import breaks


def test_a_chart_says_only_the_breaks_inside_its_window():
    assert breaks.notes(["sen2_person_level"], 2014, 2022) == ""          # ends before 2023
    assert "person-level" in breaks.notes(["sen2_person_level"], 2014, 2025)
    assert breaks.notes(["sen2_person_level"], 2023, 2025) == ""          # starts at the break
    both = breaks.notes(["population_census_2021", "sen2_person_level"], 2015, 2023)
    assert "Census 2021" in both and "person-level" in both


def test_the_tribunal_break_carries_the_files_warning():
    assert "2023" in breaks.notes(["tribunal_decisions_2023"], 2014, 2024)
