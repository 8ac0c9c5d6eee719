"""Vietnamese formatting and parsing: examples, round trips and junk input."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tongket_lib import vn
from tongket_lib.errors import ParseError

PARSERS = (vn.parse_number, vn.parse_percent, vn.parse_money, vn.parse_date)
LOOKALIKES = ["1", "0", "23", ".", ",", "%", "-", " ", "/", "đồng", "triệu", "tỷ", "ngày", "tháng",
              "năm", "2024", "VNĐ"]

# no deadline (the first call loads Babel); no example database left in the checkout
PROPERTY = settings(max_examples=300, deadline=None, database=None)

# floats with at most two decimals, within what a report holds
two_decimals = st.integers(-10**13, 10**13).map(lambda cents: cents / 100)


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (486771474, None, "486.771.474"),
        (3.5, None, "3,5"),
        (16.0714, None, "16,07"),
        (16.0, None, "16"),
        (92.76, 2, "92,76"),
        (16, 2, "16,00"),
        (-1234, None, "-1.234"),
        (-1234.5, None, "-1.234,5"),
        (0.125, None, "0,13"),  # half up
        (-0.004, None, "0"),  # no "-0"
        (Decimal("1234.5"), 0, "1.235"),
        (None, None, ""),
        (math.nan, 2, ""),
    ],
)
def test_format_number(value, decimals, expected):
    assert vn.format_number(value, decimals) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(92.76, "92,76%"), (16, "16%"), (99.4, "99,4%"), (100.0, "100%"), (None, "")],
)
def test_format_percent(value, expected):
    assert vn.format_percent(value) == expected


def test_format_percent_decimals():
    assert vn.format_percent(16, 2) == "16,00%"


@pytest.mark.parametrize(
    ("value", "short", "expected"),
    [
        (486771474, False, "486.771.474 đồng"),
        (36000000, True, "36 triệu đồng"),
        (1200000000, True, "1,2 tỷ đồng"),
        (31440000, True, "31,44 triệu đồng"),
        (999999, True, "999.999 đồng"),
        (999_999_999, True, "1 tỷ đồng"),
        (-5_000_000, True, "-5 triệu đồng"),
        (1234.6, False, "1.235 đồng"),
        (None, True, ""),
    ],
)
def test_format_money(value, short, expected):
    assert vn.format_money(value, short) == expected


@pytest.mark.parametrize(
    ("value", "with_time", "expected"),
    [
        (dt.date(2024, 12, 4), False, "04/12/2024"),
        (dt.datetime(2024, 12, 4, 10, 5), False, "04/12/2024"),
        (dt.datetime(2024, 12, 4, 10, 5), True, "04/12/2024 10:05"),
        (dt.date(2024, 12, 4), True, "04/12/2024"),
        ("2024-12-04", True, "04/12/2024"),
        ("2024-12-04T10:05:30", True, "04/12/2024 10:05"),
        (None, False, ""),
    ],
)
def test_format_date(value, with_time, expected):
    assert vn.format_date(value, with_time=with_time) == expected


def test_format_date_rejects_a_bad_iso_string():
    with pytest.raises(ParseError, match="2024-13-01"):
        vn.format_date("2024-13-01")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("486.771.474", 486771474),
        ("92,76", 92.76),
        ("01", 1),
        ("3.500", 3500),
        ("-1.234,5", -1234.5),
        ("  12  ", 12),
        ("99.5", 99.5),
        ("99.05", 99.05),
        ("1234.5678", 1234.5678),
        ("1234,5", 1234.5),
        ("0.500", 0.5),
        ("+7", 7),
        ("\u22125", -5),
    ],
)
def test_parse_number(text, expected):
    result = vn.parse_number(text)
    assert result == expected
    assert type(result) is type(expected)


@pytest.mark.parametrize(
    "text", ["", " ", "abc", "1,2,3", "1.23.456", "1.234.5", ",5", "1 234", "12a", "1e5", "--1"]
)
def test_parse_number_rejects(text):
    with pytest.raises(ParseError) as caught:
        vn.parse_number(text)
    assert f"“{text}”" in str(caught.value)
    assert "1.234,5" in str(caught.value)
    assert caught.value.text == text


@pytest.mark.parametrize(
    ("text", "expected"), [("92,76%", 92.76), ("16 %", 16.0), ("16", 16.0), ("99.5%", 99.5)]
)
def test_parse_percent(text, expected):
    result = vn.parse_percent(text)
    assert result == expected and isinstance(result, float)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("486.771.474 đồng", 486771474),
        ("36 triệu đồng", 36000000),
        ("36 triệu  đồng", 36000000),
        ("1,2 tỷ đồng", 1200000000),
        ("03 triệu đồng", 3000000),
        ("31.440.000", 31440000),
        ("50 triệu", 50000000),
        ("31,44 triệu đồng", 31440000),
        ("5.000đ", 5000),
        ("5.000 đ", 5000),
        ("5.000 VNĐ", 5000),
        ("5.000 VND", 5000),
        ("1234,5 đồng", 1235),
        ("2 Tỷ", 2000000000),
    ],
)
def test_parse_money(text, expected):
    assert vn.parse_money(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("04/12/2024", dt.date(2024, 12, 4)),
        ("4/12/2024", dt.date(2024, 12, 4)),
        ("04-12-2024", dt.date(2024, 12, 4)),
        ("2024-12-04", dt.date(2024, 12, 4)),
        ("ngày 09 tháng 01 năm 2015", dt.date(2015, 1, 9)),
        ("09 tháng 01 năm 2015", dt.date(2015, 1, 9)),
        ("Ngày 9 tháng 1 năm 2015", dt.date(2015, 1, 9)),
    ],
)
def test_parse_date(text, expected):
    assert vn.parse_date(text) == expected


@pytest.mark.parametrize("text", ["31/02/2024", "00/01/2024", "2024-02-30"])
def test_parse_date_rejects_dates_not_on_the_calendar(text):
    with pytest.raises(ParseError, match=text):
        vn.parse_date(text)


@pytest.mark.parametrize("text", ["", "hôm qua", "04/12/24", "04/12-2024", "2024/12/04"])
def test_parse_date_rejects(text):
    with pytest.raises(ParseError, match="04/12/2024"):
        vn.parse_date(text)


@pytest.mark.parametrize("parse", PARSERS)
@pytest.mark.parametrize("junk", [None, 5, 1.5, b"12", ["12"]])
def test_parsers_reject_what_is_not_text(parse, junk):
    with pytest.raises(ParseError):
        parse(junk)


@pytest.mark.slow
@PROPERTY
@given(st.integers(-10**18, 10**18))
def test_integers_round_trip(value):
    assert vn.parse_number(vn.format_number(value)) == value


@PROPERTY
@given(two_decimals)
def test_floats_round_trip(value):
    assert vn.parse_number(vn.format_number(value)) == value
    assert vn.parse_percent(vn.format_percent(value)) == value


@pytest.mark.slow
@PROPERTY
@given(st.integers(-10**15, 10**15))
def test_money_round_trips(value):
    assert vn.parse_money(vn.format_money(value)) == value


@PROPERTY
@given(st.one_of(st.integers(100, 99_999).map(lambda n: n * 10_000),  # shown in triệu
                 st.integers(100, 10**7).map(lambda n: n * 10_000_000)))  # shown in tỷ
def test_short_money_round_trips_where_exact(value):
    assert vn.parse_money(vn.format_money(value, short=True)) == value


@PROPERTY
@given(st.dates())
def test_dates_round_trip(value):
    assert vn.parse_date(vn.format_date(value)) == value


@settings(PROPERTY, max_examples=500)
@given(st.text())
def test_parsers_raise_only_parse_error(text):
    for parse in PARSERS:
        try:
            parse(text)
        except ParseError:
            pass


@pytest.mark.slow
@settings(PROPERTY, max_examples=500)
@given(st.lists(st.sampled_from(LOOKALIKES)).map("".join))
def test_parsers_raise_only_parse_error_on_lookalikes(text):
    for parse in PARSERS:
        try:
            parse(text)
        except ParseError:
            pass
