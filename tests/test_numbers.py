"""Numbers as Vietnamese write them (issue 23, item 2): a number is never silently read as
a different one. In a CSV count or money column, a value that could be read two ways
(“12.000”: twelve thousand as Vietnamese write it, or 12) is refused with the fix."""

from __future__ import annotations

import pytest

from tongket_lib.dataset.load import load_year
from tongket_lib.errors import DataError

from .test_data import set_cell


@pytest.mark.parametrize(("file", "row", "column", "value"), [
    ("contributions.csv", 2, "amount_vnd", "39.000"),
    ("contributions.csv", 2, "amount_vnd", "39.000.000"),
    ("awards.csv", 2, "count", "12.000"),
    ("awards.csv", 2, "count", "3.500"),
    ("indicators.csv", 2, "count", "1.000"),
])
def test_a_count_or_amount_read_two_ways_is_refused(data_copy, file, row, column, value):
    set_cell(data_copy / "2024" / file, row, column, value)
    with pytest.raises(DataError) as info:
        load_year(2024, data_copy)
    found = [p for p in info.value.problems if p.column == column]
    assert found, info.value.problems
    plain = value.replace(".", "")
    assert plain in found[0].message and value in found[0].message


@pytest.mark.parametrize("value", ["12", "12.0", "12.00", "1000.000"])
def test_a_count_written_plainly_is_read(data_copy, value):
    set_cell(data_copy / "2024" / "awards.csv", 2, "count", value)
    yd = load_year(2024, data_copy)
    assert int(yd.awards["count"].iloc[0]) == int(float(value))
