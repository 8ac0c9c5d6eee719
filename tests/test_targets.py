"""Targets: the dataclass, its notation and words, and the phrase parser."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tongket_lib.errors import TargetError
from tongket_lib.targets import (
    AT_LEAST,
    AT_MOST,
    BETWEEN,
    EQUAL,
    KINDS,
    LESS_THAN,
    MORE_THAN,
    Target,
    parse_target,
)

# no deadline; no example database left in the checkout
PROPERTY = settings(max_examples=500, deadline=None, database=None)


def at_least(value, unit=None):
    return Target(AT_LEAST, value, None, unit)


def more_than(value, unit=None):
    return Target(MORE_THAN, value, None, unit)


def at_most(value, unit=None):
    return Target(AT_MOST, None, value, unit)


def less_than(value, unit=None):
    return Target(LESS_THAN, None, value, unit)


def between(low, high, unit=None):
    return Target(BETWEEN, low, high, unit)


def equal(value, unit=None):
    return Target(EQUAL, value, value, unit)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (">= 90", at_least(90)),
        (">=90", at_least(90)),
        ("≥ 90", at_least(90)),
        ("> 80", more_than(80)),
        ("<= 0", at_most(0)),
        ("≤ 5", at_most(5)),
        ("< 1", less_than(1)),
        ("10..15", between(10, 15)),
        ("10 .. 15", between(10, 15)),
        ("= 12", equal(12)),
        ("-5..5", between(-5, 5)),
        (">= 1e-07", at_least(1e-07)),
        (">= 1.234", at_least(1.234)),  # the notation uses dot decimals
        ("  < -2.5 ", less_than(-2.5)),
    ],
)
def test_notation(text, expected):
    target = parse_target(text)
    assert target == expected
    assert target.unit is None


@pytest.mark.parametrize(
    ("text", "expected", "unit"),
    [
        ("100%", equal(100), "%"),
        ("99,5%", equal(99.5), "%"),
        ("3.500 hồ sơ", equal(3500), "hồ sơ"),
        ("01 cuộc", equal(1), "cuộc"),
        ("12", equal(12), None),
        ("-5", equal(-5), None),
        ("đạt 60%", equal(60), "%"),
        ("phấn đấu đạt 60%", equal(60), "%"),
        ("phấn đấu 100%", equal(100), "%"),
        ("90% trở lên", at_least(90), "%"),
        ("từ 90% trở lên", at_least(90), "%"),
        ("90% trở xuống", at_most(90), "%"),
        ("trên 80%", more_than(80), "%"),
        ("hơn 80%", more_than(80), "%"),
        ("lớn hơn 80%", more_than(80), "%"),
        ("trên 99% trở lên", more_than(99), "%"),
        ("ít nhất 4 cá nhân", at_least(4), "cá nhân"),
        ("ít nhất 4 cá nhân trở lên", at_least(4), "cá nhân"),
        ("tối thiểu 3 cuộc/năm", at_least(3), "cuộc/năm"),
        ("ít nhất (3 cuộc/năm)", at_least(3), "cuộc/năm"),
        ("không thấp hơn 90%", at_least(90), "%"),
        ("không dưới 90%", at_least(90), "%"),
        ("không ít hơn 5", at_least(5), None),
        ("không quá 5%", at_most(5), "%"),
        ("không vượt quá 5%", at_most(5), "%"),
        ("tối đa 5 ngày", at_most(5), "ngày"),
        ("không nhiều hơn 5", at_most(5), None),
        ("dưới 1%", less_than(1), "%"),
        ("nhỏ hơn 1%", less_than(1), "%"),
        ("ít hơn 1%", less_than(1), "%"),
        ("từ 10 - 15%", between(10, 15), "%"),
        ("10 – 15%", between(10, 15), "%"),
        ("10 - 15%", between(10, 15), "%"),
        ("từ 10 đến 15%", between(10, 15), "%"),
        ("10-15%", between(10, 15), "%"),
        ("10% - 15%", between(10, 15), "%"),
        ("từ 10 - 15 tập thể, cá nhân trở lên", between(10, 15), "tập thể, cá nhân"),
        ("Không có cán bộ, công chức vi phạm kỷ luật", at_most(0), None),
        ("Không để xảy ra vi phạm trong năm 2024", at_most(0), None),
        ("Không phát sinh đơn thư vượt cấp", at_most(0), None),
        ("100% CCVCLĐ được học tập, quán triệt", equal(100), "%"),
        ("Có ít nhất 20% CC, VC, NLĐ được tham gia", at_least(20), "%"),
        ("Phấn đấu năm 2025 đạt 100% kế hoạch", equal(100), "%"),
        ("Quý III/2025 hoàn thành 100%", equal(100), "%"),
        ("Trước 01/6 có ít nhất 02 văn bản", at_least(2), "văn bản"),
        ("≥ 90%", at_least(90), "%"),
        ("TỐI ĐA 5 NGÀY", at_most(5), "NGÀY"),
        ("tối đa 5 ngày, kể từ khi nhận hồ sơ", at_most(5), "ngày"),
        ("3.500 hồ sơ được giải quyết đúng hạn", equal(3500), "hồ sơ"),
    ],
)
def test_phrase(text, expected, unit):
    target = parse_target(text)
    assert target == expected
    assert target.unit == unit


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "abc",
        "Hoàn thành trước 01/6",  # a date is not a quantity
        "Hoàn thành trong năm 2025",  # nor is a year
        "Quý III/2025",
        "đạt 100% (35 đơn vị)",  # two quantities
        "1,2,3 hồ sơ",
        "15 - 10%",  # low above high
        "dưới 5 trở lên",
        "5 trở lên trở xuống",
        "Không để xảy ra quá 2 vụ",  # a "không" the parser cannot place
        ">= 1e999",
        ">=",
        "10..",
        "từ 10 đến",
        "tăng 10% so với năm 2023",  # a change against a baseline, not a level
        "giảm thêm 5 vụ",
        "vượt 10 - 15%",
        ">== 90",  # mistyped signs are refused, never read as the nearest sign
        "=> 90",
        "<> 5",
        "!= 5",
        ">> 90",
        "90 =",
        "10..15..20",  # a third bound is not dropped silently
        "1..2..3",
    ],
)
def test_unreadable_phrases(text):
    with pytest.raises(TargetError) as caught:
        parse_target(text)
    assert f"“{text}”" in str(caught.value)
    assert "90% trở lên" in str(caught.value)  # lists the forms it understands
    assert caught.value.text == text


def test_a_change_is_not_read_as_a_level():
    # "tăng 10%" would otherwise read as "= 10": a silently wrong target
    with pytest.raises(TargetError, match="mức thay đổi"):
        parse_target("tăng 10%")
    assert str(parse_target("tỷ lệ tăng trưởng trên 10%")) == "> 10"  # a growth rate is a level


@pytest.mark.parametrize("value", [None, 90, 9.5, b">= 90", [">= 90"]])
def test_parse_target_rejects_what_is_not_text(value):
    with pytest.raises(TargetError, match=repr(value).replace("[", r"\[").replace("]", r"\]")):
        parse_target(value)


@pytest.mark.parametrize(
    ("target", "notation"),
    [
        (at_least(90), ">= 90"),
        (more_than(80), "> 80"),
        (at_most(0), "<= 0"),
        (less_than(1), "< 1"),
        (between(10, 15), "10..15"),
        (equal(12), "= 12"),
        (at_least(99.5, "%"), ">= 99.5"),
        (at_least(1e-07), ">= 1e-07"),
        (at_least(1e20), ">= 1e+20"),
        (at_most(-0.0), "<= 0"),
        (between(-5, 5), "-5..5"),
    ],
)
def test_str(target, notation):
    assert str(target) == notation


@pytest.mark.parametrize(
    ("target", "words"),
    [
        (at_least(90, "%"), "từ 90% trở lên"),
        (at_least(3, "cuộc/năm"), "ít nhất 3 cuộc/năm"),
        (more_than(80, "%"), "trên 80%"),
        (between(10, 15, "%"), "từ 10 đến 15%"),
        (between(10, 15, "tập thể, cá nhân"), "từ 10 đến 15 tập thể, cá nhân"),
        (at_most(0), "không có (0)"),
        (at_most(5, "%"), "không quá 5%"),
        (less_than(1, "%"), "dưới 1%"),
        (equal(12, "văn bản"), "12 văn bản"),
        (equal(99.5, "%"), "99,5%"),
        (equal(3500, "hồ sơ"), "3.500 hồ sơ"),
        (at_least(0.125), "từ 0,125 trở lên"),
    ],
)
def test_describe(target, words):
    assert target.describe() == words


def test_unit_takes_no_part_in_equality():
    assert at_least(90, "%") == at_least(90)
    assert hash(at_least(90, "%")) == hash(at_least(90))
    assert at_least(90) != more_than(90)


def test_bounds_become_floats():
    target = Target(EQUAL, 12, 12)
    assert isinstance(target.low, float) and isinstance(target.high, float)


@pytest.mark.parametrize(
    ("kind", "low", "high"),
    [
        ("about", 1, None),
        (AT_LEAST, None, None),
        (AT_LEAST, 1, 2),
        (AT_MOST, 1, 2),
        (BETWEEN, 15, 10),
        (BETWEEN, 1, None),
        (EQUAL, 1, 2),
        (EQUAL, 1, None),
        (AT_LEAST, float("nan"), None),
        (AT_LEAST, float("inf"), None),
        (AT_LEAST, "chín mươi", None),
    ],
)
def test_invalid_targets(kind, low, high):
    with pytest.raises(TargetError):
        Target(kind, low, high)


finite = st.floats(allow_nan=False, allow_infinity=False)
counts = st.integers(-10**6, 10**6)
numbers = st.one_of(finite, counts, counts.map(lambda n: n / 100))


@st.composite
def targets(draw):
    kind = draw(st.sampled_from(KINDS))
    value = draw(numbers)
    if kind == BETWEEN:
        low, high = sorted((value, draw(numbers)))
        return Target(kind, low, high)
    if kind == EQUAL:
        return Target(kind, value, value)
    if kind in (AT_LEAST, MORE_THAN):
        return Target(kind, value, None)
    return Target(kind, None, value)


@pytest.mark.slow
@PROPERTY
@given(targets())
def test_notation_round_trips(target):
    assert parse_target(str(target)) == target


@pytest.mark.slow
@PROPERTY
@given(targets())
def test_describe_never_fails(target):
    assert target.describe()


def _parse_or_target_error(text):
    try:
        assert isinstance(parse_target(text), Target)
    except TargetError as error:
        assert error.text == text


@pytest.mark.slow
@PROPERTY
@given(st.text())
def test_any_text_gives_a_target_or_target_error(text):
    _parse_or_target_error(text)


VOCABULARY = [
    "0", "1", "5", "10", "15", "90", "99,5", "3.500", "2024", "01/6", ".", ",", "%", "-", "–", " ",
    ">", "<", "=", ">=", "..", "trên", "dưới", "từ", "đến", "trở lên", "trở xuống", "không", "quá",
    "ít nhất", "tối đa", "có", "năm", "đạt", "hồ sơ", "(", ")",
]


@pytest.mark.slow
@PROPERTY
@given(st.lists(st.sampled_from(VOCABULARY), max_size=12).map(" ".join))
def test_vietnamese_ish_text_gives_a_target_or_target_error(text):
    _parse_or_target_error(text)


@pytest.mark.slow
@PROPERTY
@given(st.lists(st.sampled_from(VOCABULARY), max_size=12).map("".join))
def test_glued_vietnamese_ish_text_gives_a_target_or_target_error(text):
    _parse_or_target_error(text)
