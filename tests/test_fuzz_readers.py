"""Property-based fuzz of the readers: whatever the text or workbook, reading it ends in
data or in tongket's own problems, never in another exception."""

from __future__ import annotations

import string
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tongket_lib.dataset import schema as S
from tongket_lib.dataset.readers import parse_csv, read_text, read_yaml
from tongket_lib.dataset.validate import validate_table
from tongket_lib.errors import Problem, TongketError

FUZZ = settings(max_examples=80, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])

# characters that matter to CSV and YAML, Vietnamese letters, controls and odd code points
SPECIAL = ",;\t\"'\n\r :-[]{}&*!|>%@#?=+\\$_\x00\x1b\u202e\ufeffđĐạỗ"
TEXT = st.text(alphabet=st.sampled_from(SPECIAL) | st.characters(codec="utf-8"), max_size=400)


def _tally(problems: list[Problem]) -> None:
    for p in problems:
        assert isinstance(p, Problem) and isinstance(p.message, str) and p.message
        str(p)  # every problem can be printed


@pytest.mark.slow
@FUZZ
@given(body=TEXT, header=st.sampled_from([",".join(s.required_columns) for s in S.CSV_FILES]))
def test_csv_text_reads_or_reports(body: str, header: str):
    problems: list[Problem] = []
    table = parse_csv(header + "\n" + body, "x.csv", problems)
    _tally(problems)
    if table is not None:
        spec = next(s for s in S.CSV_FILES if ",".join(s.required_columns) == header)
        validate_table(table, spec, "x.csv", problems)
        _tally(problems)


# YAML made of the pieces that break parsers: anchors, aliases, nesting, tags, merges
YAML_PIECES = st.sampled_from([
    "a: &x [1, 2]\n", "b: *x\n", "c: [*x, *x, *x]\n", "d: &y {e: *y}\n", "<<: *x\n",
    "- &z [*z]\n", "f: !!python/object:os.system 'ls'\n", "g: !tag x\n", "h: [[[[[[]]]]]]\n",
    "  i: 1\n", "j:\n  - k\n  - l: m\n", "? [n]\n: o\n", "p: 'q\n", "---\n", "r: \"\\x1b\"\n",
    "year: 2024\n", "rules:\n  - id: a\n", "\t- s\n", "t: 1e999\n", "u: 2024-13-45\n",
])


@FUZZ
@given(pieces=st.lists(YAML_PIECES | TEXT.map(lambda t: t + "\n"), max_size=12))
def test_yaml_text_reads_or_reports(pieces: list[str]):
    problems: list[Problem] = []
    read_yaml("".join(pieces), "meta.yaml", problems)
    _tally(problems)


@FUZZ
@given(pieces=st.lists(YAML_PIECES, min_size=1, max_size=12))
def test_rules_and_meta_files_load_or_report(pieces: list[str], tmp_path_factory):
    from tongket_lib.dataset.meta import validate_meta
    from tongket_lib.dataset.rules import load_rules

    folder = tmp_path_factory.mktemp("y")
    path = folder / "rules.yaml"
    path.write_text("".join(pieces), encoding="utf-8")
    problems: list[Problem] = []
    load_rules([(path, "rules.yaml")], problems, folder)
    text = read_text(path, problems, "meta.yaml", folder)
    if text is not None:
        data, lines = read_yaml(text, "meta.yaml", problems)
        if data is not None:
            validate_meta(data, lines, 2024, problems, "meta.yaml")
    _tally(problems)


CELL = st.one_of(st.none(), st.integers(-10**12, 10**12), st.floats(allow_nan=True),
                 st.booleans(), TEXT.map(lambda t: t.replace("\x00", "")[:200]),
                 st.dates())


@pytest.mark.slow
@FUZZ
@given(grid=st.lists(st.lists(CELL, max_size=8), max_size=8),
       sheet=st.sampled_from([s.label for s in S.CSV_FILES] + ["Thông tin chung", "Lạ"]),
       merge=st.none() | st.tuples(st.integers(1, 6), st.integers(1, 6), st.integers(1, 3),
                                   st.integers(1, 3)))
def test_small_workbooks_import_or_report(grid, sheet, merge, tmp_path_factory):
    import openpyxl
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    from tongket_lib.dataset.excel import import_excel

    folder = tmp_path_factory.mktemp("x")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for r, row in enumerate(grid, start=1):
        for c, value in enumerate(row, start=1):
            if isinstance(value, str):
                value = ILLEGAL_CHARACTERS_RE.sub("", value)
            ws.cell(r, c, value)
    if merge:
        top, left, tall, wide = merge
        ws.merge_cells(start_row=top, start_column=left, end_row=top + tall - 1,
                       end_column=left + wide - 1)
    book = folder / "so-lieu.xlsx"
    wb.save(book)
    try:
        import_excel(book, 2024, folder / "data")
    except TongketError as exc:
        assert str(exc)


@pytest.mark.parametrize("junk", [b"", b"PK\x03\x04", b"\xff" * 64,
                                  string.printable.encode() * 10])
def test_junk_files_are_not_workbooks(junk: bytes, tmp_path: Path):
    from tongket_lib.dataset.excel import import_excel
    from tongket_lib.errors import DataError

    book = tmp_path / "rac.xlsx"
    book.write_bytes(junk)
    with pytest.raises(DataError, match="rac.xlsx"):
        import_excel(book, 2024, tmp_path / "data")
