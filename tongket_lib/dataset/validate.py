"""Validating one CSV table against its :mod:`~tongket_lib.dataset.schema` spec, with pandera.

pandera (``pandera.pandas``) checks the columns declaratively and, in lazy mode,
collects every failure of every column in one pass; this module builds its schemas
from the spec and turns its failure cases into Vietnamese problems that name the
file, the spreadsheet row, the column, the value and the fix.

Validation runs in two stages so that one bad cell never hides another: first on
the text as written (formats, codes, required values, duplicates, targets), then on
the converted numbers (negative counts, percentages outside 0–100).

The same schemas and rules check many tables at once (:class:`~tongket_lib.units.folders.
BulkRead`): stacked in one frame with a column naming each row's table, values
declared unique are unique within each table (:func:`string_schema`), and
:func:`failed_rows` and :func:`indicator_faults` say which rows break a rule.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pandas as pd

from tongket_lib.dataset import schema as S
from tongket_lib.dataset.patterns import check_table as check_sentence_patterns
from tongket_lib.dataset.readers import CsvTable, suggest
from tongket_lib.errors import Problem, TargetError
from tongket_lib.targets import parse_target, split_stretch
from tongket_lib.vn import slug
from tongket_lib.vocab import VIETNAMESE_WORDS

if TYPE_CHECKING:  # pandera is imported where a table is validated: a kernel handed an
    import pandera.pandas as pa  # already loaded year (dataset/shared.py) never needs it

from tongket_lib.dataset.csvnumbers import (
    integer_problem,
    is_integer,
    is_number,
    number_problem,
)


def choice_problem(field: S.Field, value: str) -> str:
    """Why a code is not accepted, listing the accepted codes with their meaning."""
    options = "; ".join(f"{c} ({field.choice_labels.get(c, c)})" for c in field.choices)
    hint = ""
    word = value.strip().lower()
    by_label = {str(label).lower(): code for code, label in field.choice_labels.items()}
    if word in VIETNAMESE_WORDS and VIETNAMESE_WORDS[word] in field.choices:
        hint = f" “{value}” viết bằng mã là {VIETNAMESE_WORDS[word]}."
    elif word in by_label:
        hint = f" “{value}” viết bằng mã là {by_label[word]}."
    else:
        hint = suggest(value, list(field.choices))
    return f"mã “{value}” không hợp lệ.{hint} Dùng một trong: {options}."


def _target_ok(value: str) -> bool:
    try:
        for part in split_stretch(value):
            if part is not None:
                parse_target(part)
    except TargetError:
        return False
    return True


def _notation(value: object) -> str | None:
    """A target cell's notation: its binding part (before “phấn đấu …”) read."""
    return str(parse_target(split_stretch(value)[0])) if isinstance(value, str) else None


def _targets_ok(series: pd.Series) -> pd.Series:
    """Whether each cell is a target (each distinct notation parsed once)."""
    return series.map({v: _target_ok(v) for v in pd.unique(series)}).astype(bool)


def string_schema(spec: S.FileSpec, present: list[str], unit: str | None = None
                  ) -> pa.DataFrameSchema:
    """The checks of the text as written, for the ``present`` columns of ``spec`` (of a
    frame of text: :func:`validate_table` makes it so).

    ``unit``: the column of a stacked frame (many tables) that names each row's table;
    a value declared unique is then unique within its table."""
    import pandera.pandas as pa

    columns = {}
    checks = []
    for f in spec.fields:
        if f.name not in present or f.kind == S.TEXT and not (f.nonempty or f.unique):
            continue  # free text that may be empty: nothing to check (the frame is text)
        column_checks: list[pa.Check] = []
        if f.kind == S.NUMBER:
            column_checks.append(pa.Check(is_number, name="tk_number"))
        elif f.kind == S.INTEGER:
            column_checks.append(pa.Check(is_integer, name="tk_integer"))
        elif f.kind == S.CHOICE:
            column_checks.append(pa.Check(lambda s, allowed=f.choices: s.isin(allowed),
                                          name="tk_choice"))
        elif f.kind == S.TARGET:
            column_checks.append(pa.Check(_targets_ok, name="tk_target"))
        columns[f.name] = pa.Column(None, column_checks, nullable=not f.nonempty,
                                    unique=f.unique and unit is None)
        if f.unique and unit is not None:
            checks.append(pa.Check(lambda frame, name=f.name: frame[name].isna() | ~frame.duplicated(
                [unit, name], keep=False), name="field_uniqueness"))
    return pa.DataFrameSchema(columns, checks=checks)


def typed_schema(spec: S.FileSpec, present: list[str]) -> pa.DataFrameSchema:
    """The checks of the converted values (minimums), for the ``present`` columns."""
    import pandera.pandas as pa

    columns = {}
    for f in spec.fields:
        if f.name in present and f.minimum is not None:
            columns[f.name] = pa.Column(
                checks=pa.Check(lambda s, low=f.minimum: s >= low, name="tk_minimum"),
                nullable=True)
    return pa.DataFrameSchema(columns)


def _failures(schema: pa.DataFrameSchema, frame: pd.DataFrame) -> pd.DataFrame:
    from pandera.errors import SchemaErrors

    try:
        schema.validate(frame, lazy=True)
    except SchemaErrors as exc:
        return exc.failure_cases
    return pd.DataFrame(columns=["column", "check", "failure_case", "index"])


def failed_rows(schema: pa.DataFrameSchema, frame: pd.DataFrame) -> pd.Index:
    """The index labels of the rows of ``frame`` that break any check of ``schema``."""
    rows = _failures(schema, frame)["index"].dropna()
    return pd.Index(pd.unique(rows.to_numpy()))


def check_columns(table: CsvTable, spec: S.FileSpec, name: str,
                  problems: list[Problem]) -> list[str | None]:
    """Map the header to spec column names; record unknown, duplicate and missing columns.

    Vietnamese labels (the Excel headers) are accepted as column names too.
    """
    by_label = {f.label.lower(): f.name for f in spec.fields}
    labels = [f.label for f in spec.fields]
    usable = ("Các cột dùng được (tên trong tệp CSV hoặc tiêu đề trong Excel): "
              + ", ".join(f"{f.name} ({f.label})" for f in spec.fields) + ".")
    mapped: list[str | None] = []
    for position, raw in enumerate(table.header, start=1):
        col = raw if raw in spec.columns else by_label.get(raw.lower())
        if col is None and not raw and not any(r[position - 1] for r in table.rows):
            pass  # an unnamed, empty column (Excel's used range): nothing to read, no problem
        elif col is None and not raw:
            problems.append(Problem(
                name, 1, f"cột thứ {position}", raw,
                f"cột thứ {position} có dữ liệu nhưng không có tên ở dòng tiêu đề. Đặt tên cột"
                f" hoặc xóa cột này. {usable}"))
        elif col is None:
            problems.append(Problem(
                name, 1, raw or f"cột thứ {position}", raw,
                f"cột lạ “{raw}”.{suggest(raw, spec.columns) or suggest(raw, labels)} {usable}"))
        elif col in mapped:
            problems.append(Problem(name, 1, raw, raw, f"cột “{col}” xuất hiện hai lần; giữ một cột."))
            col = None
        mapped.append(col)
    for f in spec.fields:
        if f.required and f.name not in mapped:
            problems.append(Problem(
                name, 1, f.name, None,
                f"thiếu cột bắt buộc “{f.name}” ({f.label}). Thêm cột này vào dòng tiêu đề"
                f" (có thể để trống giá trị nếu báo cáo không nêu)." if not f.nonempty else
                f"thiếu cột bắt buộc “{f.name}” ({f.label}). Thêm cột này vào dòng tiêu đề."))
    return mapped


def validate_table(table: CsvTable, spec: S.FileSpec, name: str,
                   problems: list[Problem]) -> pd.DataFrame:
    """Validate a parsed CSV table; return it typed, with every spec column present.

    Problems go to ``problems``; cells that fail are left empty in the result so
    the other checks can still run.
    """
    mapped = check_columns(table, spec, name, problems)
    keep = [i for i, col in enumerate(mapped) if col is not None]
    present = [str(mapped[i]) for i in keep]
    text = pd.DataFrame([[row[i] for i in keep] for row in table.rows], columns=present,
                        index=pd.Index(table.row_numbers, name="row"), dtype="str")
    text = text.where(text != "", None)

    failures = _failures(string_schema(spec, present), text)
    _report(failures, spec, name, text, problems)
    bad = {(c, r) for c, r in zip(failures["column"], failures["index"], strict=False) if r is not None}

    typed = convert(text, spec, bad)
    _report(_failures(typed_schema(spec, present), typed), spec, name, typed, problems)
    if spec is S.INDICATORS:
        if not table.rows:
            problems.append(Problem(
                name, 2, None, None,
                "chưa có chỉ tiêu nào (chỉ có dòng tiêu đề). Mỗi năm cần ít nhất một chỉ tiêu:"
                " thêm các dòng chỉ tiêu, hoặc tạo năm từ năm trước bằng “tongket new-year”."))
        _check_indicator_rows(typed, name, problems)
    check_sentence_patterns(typed, spec.name, name, problems)  # the document's wording
    return typed


def _direction_from_target(typed: pd.DataFrame) -> None:
    """Where ``direction`` is empty, the target says it: lower is better for “không quá”,
    “dưới”, “không để xảy ra” (``<=``, ``<``), higher for any other target or none."""
    if "direction" not in typed or "target" not in typed or not typed["direction"].isna().any():
        return
    notation = typed["target"].astype(object)
    lower = notation.map(lambda t: isinstance(t, str) and t.startswith("<")).astype(bool)
    filled = typed["direction"].astype(object).where(typed["direction"].notna(),
                                                     lower.map({True: "lower", False: "higher"}))
    typed["direction"] = pd.Categorical(filled, categories=typed["direction"].cat.categories)


def _keep_wording(text: pd.DataFrame, typed: pd.DataFrame) -> None:
    """A target written in the report's words (“ít nhất 05 sáng kiến”) is read as its
    notation (``>= 5``); the words are kept as the target's wording (``target_text``)
    where that column is empty, so the document says it as the union did. A stretch goal
    written in the same cell (“98% trở lên; phấn đấu 99%”) becomes the row's stretch
    target where that is empty: the verdict comes from the binding part only."""
    if "target" not in text or "target_text" not in typed:
        return
    written = text["target"]
    notation = typed["target"].astype("object")
    worded = written.notna() & notation.notna() & (written.str.strip() != notation)
    if not worded.any():
        return
    typed["target_text"] = typed["target_text"].fillna(written.where(worded)).astype("string")
    if "stretch_target" in typed:
        stretch = written.where(worded).map(
            lambda v: split_stretch(v)[1] if isinstance(v, str) else None)
        found = stretch.notna() & typed["stretch_target"].isna()
        if found.any():
            goals = stretch[found].map(lambda v: str(parse_target(v)))
            column = typed["stretch_target"].astype("object")
            column[found] = goals
            typed["stretch_target"] = column.astype("category")


def convert(text: pd.DataFrame, spec: S.FileSpec, bad: set) -> pd.DataFrame:
    """Type a text table by its spec; cells listed in ``bad`` (column, row) become empty."""
    columns: dict[str, Any] = {}  # one frame made at the end, not a column added at a time
    for f in spec.fields:
        if f.name not in text:
            series = pd.Series(pd.NA, index=text.index, dtype="object")
        else:
            series = text[f.name].copy()
            rows = [r for (c, r) in bad if c == f.name]
            if rows:
                series.loc[rows] = None
        if f.kind == S.NUMBER:
            columns[f.name] = pd.to_numeric(series, errors="coerce").astype("float64")
        elif f.kind == S.INTEGER:
            columns[f.name] = pd.to_numeric(series, errors="coerce").round().astype("Int64")
        elif f.kind == S.TARGET:  # few distinct notations: categorical, parsed once each
            notations = {v: _notation(v) for v in pd.unique(series.dropna())
                         if isinstance(v, str)}
            columns[f.name] = series.map(lambda v, known=notations: known.get(v)
                                         if isinstance(v, str) else None).astype("category")
        elif f.kind == S.CHOICE:  # codes: a categorical with the allowed values, in order
            columns[f.name] = pd.Categorical(series.where(series.isin(f.choices), None),
                                             categories=list(f.choices))
        else:
            columns[f.name] = series.astype("string")
    out = pd.DataFrame(columns, index=text.index)
    _keep_wording(text, out)
    _direction_from_target(out)
    return out


def _report(failures: pd.DataFrame, spec: S.FileSpec, name: str, frame: pd.DataFrame,
            problems: list[Problem]) -> None:
    for column, check, value, row in zip(failures["column"], failures["check"],
                                         failures["failure_case"], failures["index"], strict=False):
        if row is None or column is None or (isinstance(row, float) and pd.isna(row)):
            continue
        field = spec.field(column)
        row = int(row)
        problems.append(Problem(name, row, column, value,
                                _message(str(check), field, value, row, frame)))


def _message(check: str, field: S.Field, value, row: int, frame: pd.DataFrame) -> str:
    messages: dict[str, Callable[[], str]] = {
        "tk_number": lambda: number_problem(str(value)),
        "tk_integer": lambda: integer_problem(str(value)),
        "tk_choice": lambda: choice_problem(field, str(value)),
        "tk_target": lambda: _target_message(str(value)),
        "not_nullable": lambda: f"thiếu giá trị bắt buộc ({field.label}). Điền vào ô này.",
        "field_uniqueness": lambda: _duplicate_message(field, value, row, frame),
        "tk_minimum": lambda: (f"số âm ({value}) không hợp lệ: {field.label.lower()} phải"
                               f" từ {field.minimum:g} trở lên."),
    }
    if check in messages:
        return messages[check]()
    return f"giá trị “{value}” không hợp lệ (kiểm tra {check})."


def _target_message(value: str) -> str:
    try:
        parse_target(value)
    except TargetError as exc:
        return str(exc)
    return ""


def _duplicate_message(field: S.Field, value, row: int, frame: pd.DataFrame) -> str:
    others = [int(r) for r in frame.index[frame[field.name] == value] if int(r) != row]
    where = ", ".join(str(r) for r in others)
    return (f"{field.label.lower()} “{value}” bị trùng (cũng có ở dòng {where}). Mỗi dòng"
            f" cần một {field.label.lower()} riêng.")


_ID = r"[A-Za-z0-9_.-]+"


def indicator_faults(frame: pd.DataFrame) -> dict[str, pd.Series]:
    """The rules across the columns of a typed indicators table, each the mask of the rows
    that break it: ``actual`` and ``exceed_at`` (a percentage outside 0–100), ``id`` (not
    a plain code), ``direction`` (against the target's), ``exceed_kind`` (a level to
    exceed with a target that has none), ``exceed_low`` (a level to exceed below the
    target; equal to it, any result above the target exceeds it), ``target`` (a percent
    target outside 0–100)."""
    percent = frame["unit"].fillna("").str.strip() == "%"
    faults = {}
    for column in ("actual", "exceed_at"):
        values = frame[column]
        faults[column] = percent & values.notna() & ((values < 0) | (values > 100))
    faults["id"] = ~frame["id"].astype(object).map(
        lambda code: pd.isna(code) or re.fullmatch(_ID, code) is not None).astype(bool)
    texts = frame["target"].astype(object)
    targets = {t: parse_target(t) for t in pd.unique(texts.dropna())}
    kind = texts.map(lambda t: targets[t].kind if t in targets else None)
    low = texts.map(lambda t: targets[t].low if t in targets else None).astype(float)
    high = texts.map(lambda t: targets[t].high if t in targets else None).astype(float)
    direction = frame["direction"].astype(object)
    floor = kind.isin(("at_least", "more_than"))
    faults["direction"] = (kind.isin(("at_most", "less_than")) & (direction == "higher")
                           | floor & (direction == "lower"))
    extra = frame["exceed_at"]
    has_extra = kind.notna() & extra.notna()
    faults["exceed_kind"] = has_extra & ~floor
    faults["exceed_low"] = has_extra & floor & (extra < low)  # equal: anything above exceeds
    faults["target"] = percent & kind.notna() & ((low < 0) | (low > 100) | (high < 0) | (high > 100))
    return faults


def _check_indicator_rows(frame: pd.DataFrame, name: str, problems: list[Problem]) -> None:
    """Checks across columns of the indicators table (percent ranges, target units)."""
    faults = indicator_faults(frame)
    for column in ("actual", "exceed_at"):
        for row, value in frame[column][faults[column]].items():
            problems.append(Problem(
                name, int(row), column, value,
                f"tỷ lệ {value:g}% nằm ngoài khoảng 0–100. Kiểm tra lại số, hoặc đơn vị"
                f" (cột unit) nếu đây không phải là tỷ lệ phần trăm."))
    for row, code in frame["id"][faults["id"]].items():
        fixed = slug(code, "_")
        problems.append(Problem(
            name, int(row), "id", code,
            f"mã “{code}” có dấu, dấu cách hoặc ký tự đặc biệt. Mã chỉ gồm chữ không dấu,"
            f" số và dấu gạch dưới, ví dụ {fixed or 'tthc_dung_han'}."))
    _check_target_agreement(frame, faults, name, problems)
    for row, text in frame["target"][faults["target"]].items():
        problems.append(Problem(
            name, int(row), "target", text,
            f"chỉ tiêu {text} có giá trị nằm ngoài khoảng 0–100 dù đơn vị là %."
            f" Kiểm tra lại chỉ tiêu hoặc đơn vị."))


def _check_target_agreement(frame: pd.DataFrame, faults: dict[str, pd.Series], name: str,
                            problems: list[Problem]) -> None:
    """The direction and the ``exceed_at`` level must agree with the target they go with."""
    wrong = faults["direction"] | faults["exceed_kind"] | faults["exceed_low"]
    for row, r in frame[wrong].iterrows():
        target = parse_target(r["target"])
        direction = r["direction"]
        if faults["direction"][row]:
            wanted = "lower" if direction == "higher" else "higher"
            problems.append(Problem(
                name, int(row), "direction", direction,
                f"chỉ tiêu {r['target']} cho biết {'thấp' if wanted == 'lower' else 'cao'} hơn là"
                f" tốt, nhưng cột direction ghi “{direction}”. Sửa thành {wanted}, hoặc sửa"
                " chỉ tiêu."))
        extra = r["exceed_at"]
        if faults["exceed_kind"][row]:
            problems.append(Problem(
                name, int(row), "exceed_at", extra,
                f"mức vượt (exceed_at) chỉ dùng với chỉ tiêu dạng “>=” hoặc “>”; chỉ tiêu ở đây là"
                f" {r['target']}. Xóa ô này (khoảng và mức bằng đã tự có mức vượt)."))
        elif faults["exceed_low"][row]:
            problems.append(Problem(
                name, int(row), "exceed_at", extra,
                f"mức vượt {extra:g} thấp hơn chỉ tiêu {target}: vượt chỉ tiêu nghĩa là đạt trên"
                " mức này, nên mức vượt không thấp hơn chỉ tiêu (bằng chỉ tiêu: mọi kết quả cao"
                " hơn chỉ tiêu là vượt). Sửa mức vượt hoặc xóa ô này."))
