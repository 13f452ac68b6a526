"""Resolving an LA to its stable unit and choosing its comparators."""

import pandas as pd
import pytest

from analysis.series import area
from analysis.series import comparators as compare

LOOKUP = pd.DataFrame({
    "old_la_code": ["928", "940", "941", "831", "830", "202"],
    "new_la_code": ["E10000021", "E06000061", "E06000062", "E06000015", "E10000007", "E09000007"],
    "la_name": ["Northamptonshire", "North Northamptonshire", "West Northamptonshire", "Derby",
                "Derbyshire", "Camden"],
    "region_name": ["East Midlands"] * 5 + ["London"],
    "first_year": [2010, 2022, 2022, 2010, 2010, 2010],
    "last_year": [2021, 2025, 2025, 2025, 2025, 2025],
    "stable_unit": ["928", "928", "928", "831", "830", "202"],
})
UNITS = area.la_units(LOOKUP)
NEIGHBOURS = pd.DataFrame({
    "version": ["2025-05"] * 4 + ["2021-04"],
    "old_la_code": ["940", "940", "941", "941", "928"],
    "la_name": "x", "rank": [1, 2, 1, 2, 1],
    "neighbour_la_code": ["941", "830", "202", "831", "202"],
    "closeness": "Close",
})


def test_resolve_split_la_to_its_unit_with_a_note():
    area = compare.resolve_la("940", UNITS, LOOKUP)
    assert (area.code, area.name) == ("928", "Northamptonshire")
    assert "North Northamptonshire (940)" in area.note
    assert compare.resolve_la("831", UNITS, LOOKUP).note == ""
    with pytest.raises(ValueError, match="not a DfE 3-digit"):
        compare.resolve_la("999", UNITS, LOOKUP)


def test_neighbours_prefer_the_requested_las_own_list_and_drop_itself():
    area = compare.resolve_la("940", UNITS, LOOKUP)
    group = compare.comparator_group(area, "statistical_neighbours", UNITS, NEIGHBOURS)
    assert group.codes == ("830",)  # 941 is part of the same unit
    assert "2025-05" in group.basis


def test_region_and_list_comparators():
    area = compare.resolve_la("831", UNITS, LOOKUP)
    region = compare.comparator_group(area, "region", UNITS, NEIGHBOURS)
    assert set(region.codes) == {"928", "830"}
    chosen = compare.comparator_group(area, ["940", "941", "202"], UNITS, NEIGHBOURS)
    assert chosen.codes == ("928", "202")
    with pytest.raises(ValueError, match="unknown LA codes"):
        compare.comparator_group(area, ["999"], UNITS, NEIGHBOURS)
    with pytest.raises(ValueError, match="must be one of"):
        compare.comparator_group(area, "nearby", UNITS, NEIGHBOURS)


def test_local_view_roles_and_pooled_comparators():
    rows = [("E92000001", "National", 100.0), ("831", "Local authority", 10.0),
            ("830", "Local authority", 20.0), ("928", "Local authority", 30.0)]
    frame = pd.DataFrame([{"area_code": c, "area_name": c, "level": lv, "year": 2020, "value": v,
                           "symbol": pd.NA} for c, lv, v in rows])
    area = compare.resolve_la("831", UNITS, LOOKUP)
    group = compare.comparator_group(area, "region", UNITS, NEIGHBOURS)
    view = compare.local_view(frame, area, group).set_index("role")["value"]
    assert view.to_dict() == {"England": 100.0, "LA": 10.0, "Comparators": 50.0}
