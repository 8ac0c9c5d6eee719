"""What a person types into a workbook cell, as the CSV files hold it.

A workbook shows labels, not codes: “Đạt”, “Cao hơn là tốt”, “Tập thể”. A cell of a
column with a few codes (a :data:`~tongket_lib.dataset.schema.CHOICE`) is read as its
code whether it holds the code, the label or one of the field's other words
(``choice_words``: “đạt chỉ tiêu”, “đang đề xuất”), in any case, with or without
diacritics. A number typed as text follows the Vietnamese convention (“12.000” is twelve
thousand, “16,9” is 16.9). A row added without an id gets one made from its name
(``made_from``). What cannot be read is left as typed: the validation refuses it, and
:func:`choice_message` and :func:`number_message` say what to write instead.

Both readings of a workbook (``excel import`` and the units' fast path) go through
:func:`cell_reader`, so they read the same values.
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from collections.abc import Callable

from tongket_lib.dataset import schema as S
from tongket_lib.errors import ParseError
from tongket_lib.vn import parse_number, slug

#: longest id made from a name
ID_LENGTH = 40
_QUOTES = re.compile(r"[“”\"'‘’()\[\]]")


@functools.lru_cache(maxsize=4096)  # labels and words repeat across rows and workbooks
def fold(text: str) -> str:
    """Text as it is matched: lower case, no diacritics, no quotes or brackets, single
    spaces, no final full stop.

    >>> fold("  (Đạt chỉ tiêu). "), fold("ĐANG ĐỀ XUẤT"), fold("tap the")
    ('dat chi tieu', 'dang de xuat', 'tap the')
    """
    text = _QUOTES.sub(" ", str(text)).replace("đ", "d").replace("Đ", "D")
    plain = "".join(c for c in unicodedata.normalize("NFKD", text)
                    if not unicodedata.combining(c))
    return " ".join(plain.lower().split()).strip(" .")


_CHOICES: dict[int, tuple[S.Field, dict[str, str], dict[str, str]]] = {}


def _choices(field: S.Field) -> tuple[dict[str, str], dict[str, str]]:
    """A choice field's codes by what may be written: exactly, and folded (a folded
    spelling two codes share is left out: it says nothing). Kept by field: the schema's
    fields live as long as the process."""
    known = _CHOICES.get(id(field))
    if known is not None and known[0] is field:
        return known[1], known[2]
    exact: dict[str, str] = {}
    for word, code in field.choice_words.items():
        exact[word] = code
    for code, label in field.choice_labels.items():
        exact[label] = code
    for code in field.choices:
        exact[code] = code
    folded: dict[str, str] = {}
    shared: set[str] = set()
    for word, code in exact.items():
        key = fold(word)
        if folded.get(key, code) != code:
            shared.add(key)
        folded[key] = code
    clear = {k: v for k, v in folded.items() if k not in shared}
    _CHOICES[id(field)] = (field, exact, clear)
    return exact, clear


def choice_code(field: S.Field, text: str) -> str | None:
    """The code ``text`` names in a choice field, or ``None``.

    >>> from tongket_lib.dataset.schema import INDICATORS
    >>> status = INDICATORS.field("reported_status")
    >>> [choice_code(status, t) for t in ("Đạt", "met", "(vượt chỉ tiêu)", "dang de xuat", "tốt")]
    ['met', 'met', 'exceeded', 'proposed', None]
    """
    exact, folded = _choices(field)
    return exact.get(text) or folded.get(fold(text))


def number_text(field: S.Field, text: str) -> str | None:
    """A number typed as text, as a CSV file writes it (“12.000” → “12000”, “16,9” →
    “16.9”), or ``None`` when it is not one (or, for a whole number, has decimals).

    >>> from tongket_lib.dataset.schema import CONTRIBUTIONS, INDICATORS
    >>> actual, amount = INDICATORS.field("actual"), CONTRIBUTIONS.field("amount_vnd")
    >>> number_text(actual, "16,9"), number_text(actual, "99.4"), number_text(amount, "25.000.000")
    ('16.9', '99.4', '25000000')
    >>> number_text(amount, "1,5"), number_text(actual, "92%"), number_text(actual, "abc")
    (None, None, None)
    """
    try:
        value = parse_number(text)
    except ParseError:
        return None
    if isinstance(value, float):
        if not value.is_integer():
            return None if field.kind == S.INTEGER else repr(value)
        value = int(value)
    return str(value)


Reader = Callable[[str], str]


def cell_reader(field: S.Field | None) -> Reader | None:
    """How the text of a cell of ``field``'s column is read (``None``: as it is)."""
    if field is None:
        return None
    if field.kind == S.CHOICE:
        return functools.partial(_read_choice, field)
    if field.kind in (S.NUMBER, S.INTEGER):
        return functools.partial(_read_number, field)
    return None


def _read_choice(field: S.Field, text: str) -> str:
    return choice_code(field, text) or text


def _read_number(field: S.Field, text: str) -> str:
    return number_text(field, text) or text


def header_fields(header: list[str], spec: S.FileSpec) -> list[S.Field | None]:
    """The field of each column of a sheet's header (its code or its label, as
    :func:`~tongket_lib.dataset.validate.check_columns` maps them), ``None`` if unknown;
    a field named twice counts once, as there."""
    by_label = {f.label.lower(): f for f in spec.fields}
    by_name = {f.name: f for f in spec.fields}
    seen: set[str] = set()
    out: list[S.Field | None] = []
    for text in header:
        field = by_name.get(text) or by_label.get(text.lower())
        if field is not None and field.name in seen:
            field = None
        if field is not None:
            seen.add(field.name)
        out.append(field)
    return out


def made_columns(fields: list[S.Field | None]) -> list[tuple[int, int]]:
    """(column, source column) of each field made from another one, both present."""
    where = {f.name: i for i, f in enumerate(fields) if f is not None}
    return [(i, where[f.made_from]) for i, f in enumerate(fields)
            if f is not None and f.made_from and f.made_from in where]


def make_ids(body: list[list[str]], column: int, source: int) -> None:
    """Give each row without a value in ``column`` one made from its ``source`` column:
    a slug of it, unique in the column (“Tỷ lệ đoàn viên” → ``ty_le_doan_vien``,
    then ``ty_le_doan_vien_2``).

    >>> rows = [["", "Tỷ lệ đoàn viên"], ["ty_le_doan_vien", "x"], ["", "Tỷ lệ đoàn viên"]]
    >>> make_ids(rows, 0, 1); [r[0] for r in rows]
    ['ty_le_doan_vien_2', 'ty_le_doan_vien', 'ty_le_doan_vien_3']
    """
    taken = {row[column] for row in body if row[column]}
    for row in body:
        if row[column] or not row[source]:
            continue
        base = slug(row[source], "_")
        if len(base) > ID_LENGTH:
            base = base[:ID_LENGTH].rsplit("_", 1)[0]
        base = base or "dong"
        made, n = base, 1
        while made in taken:
            n += 1
            made = f"{base}_{n}"
        taken.add(made)
        row[column] = made


def choice_message(field: S.Field, text: str) -> str:
    """What to write instead of ``text`` in a choice column (labels first, codes too)."""
    labels = list(field.choice_labels.values())
    close = difflib.get_close_matches(fold(text), [fold(x) for x in labels], n=1, cutoff=0.6)
    hint = ""
    if close:
        hint = f" Có phải “{next(x for x in labels if fold(x) == close[0])}”?"
    return (f"“{text}” không có trong danh sách của cột “{field.label}”.{hint} Chọn trong danh"
            " sách thả xuống của ô: " + ", ".join(f"“{x}”" for x in labels)
            + " (viết thường, không dấu hay bằng mã như "
            + ", ".join(field.choices[:3]) + " … cũng được).")


def number_message(field: S.Field, text: str) -> str:
    """Why ``text`` is not a number of ``field``, and how to type it."""
    value = text.strip()
    whole = field.kind == S.INTEGER
    example = "448 hoặc 25.000.000" if whole else "99,4 hoặc 12.000"
    if value.endswith("%") and number_text(field, value.rstrip("% ")) is not None:
        return (f"“{value}” có dấu %. Chỉ nhập con số ({value.rstrip('% ')}); đơn vị % ghi ở"
                " cột “Đơn vị tính”.")
    if whole and number_text(S.INDICATORS.field("actual"), value) is not None:
        return (f"“{value}” phải là số nguyên (số người, số trường hợp, số đồng), ví dụ"
                f" {example}.")
    return (f"“{value}” không đọc được thành số. Nhập một con số, ví dụ {example} (dấu phẩy"
            " thập phân, dấu chấm ngăn hàng nghìn), không kèm chữ; để trống nếu báo cáo"
            " không nêu" + (", hoặc ghi kết quả bằng lời ở cột “Kết quả (ghi bằng lời)”"
                            if field.name == "actual" else "") + ".")
