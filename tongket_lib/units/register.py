"""The register of units, ``<data>/units.csv``: which units report to this level.

One row a unit: ``id`` (an ASCII slug, also the unit's folder name), ``name``,
``upper_union`` and optionally ``group`` (khối, cụm thi đua), ``members`` (số đoàn
viên), ``contact``, ``active`` (true/false, default true) and ``note``. It is read with
the same machinery as a year's CSV files (:mod:`tongket_lib.dataset.schema`), so
Vietnamese headers are accepted and every problem names the file, row and column.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tongket_lib import paths
from tongket_lib.dataset import limits
from tongket_lib.dataset import schema as S
from tongket_lib.dataset.layout import shown
from tongket_lib.errors import DataError, ParameterError, Problem
from tongket_lib.period import CALENDAR, KINDS, parse_period
from tongket_lib.vn import format_number, slug

if TYPE_CHECKING:  # pandas and the reader only where the register is read: a command
    import pandas as pd  # given no unit (``tongket report 2024``) never loads them

REGISTER_FILE = "units.csv"
ACTIVE = {"true": "Có", "false": "Không"}  # still reporting; dissolved or merged
ID_RE = re.compile(r"[a-z0-9][a-z0-9_-]*")

UNITS = S.FileSpec(
    REGISTER_FILE, "Đơn vị",
    help="Danh sách các đơn vị (công đoàn cơ sở) báo cáo lên cấp này, mỗi dòng một đơn vị.",
    fields=(
        S.Field("id", "Mã đơn vị", required=True, nonempty=True, unique=True,
                help="Mã ngắn, chữ thường không dấu, số và dấu gạch nối, ví dụ cdcs-so-tnmt;"
                     " cũng là tên thư mục dữ liệu của đơn vị."),
        S.Field("name", "Tên đơn vị", required=True, nonempty=True,
                help="Ví dụ Công đoàn cơ sở Sở Tài nguyên và Môi trường."),
        S.Field("upper_union", "Công đoàn cấp trên", required=True, nonempty=True,
                help="Ví dụ Công đoàn Viên chức tỉnh Trà Vinh."),
        S.Field("group", "Khối, cụm thi đua"),
        S.Field("members", "Số đoàn viên", S.INTEGER, minimum=0),
        S.Field("contact", "Liên hệ"),
        S.Field("active", "Còn hoạt động", S.CHOICE, choices=tuple(ACTIVE),
                choice_labels=ACTIVE,
                help="true: còn báo cáo; false: đã giải thể, sáp nhập. Để trống là true."),
        S.Field("note", "Ghi chú"),
        S.Field("period", "Kỳ báo cáo", S.CHOICE, choices=tuple(KINDS), choice_labels=KINDS,
                help="nam: báo cáo theo năm (2024); nam-hoc: theo năm học (2024-2025), như các"
                     " trường học. Để trống là nam."),
    ),
)


def register_path(root: str | os.PathLike | None = None) -> Path:
    """Where the register of a data folder is."""
    return paths.data_dir(root) / REGISTER_FILE


def is_multi_unit(root: str | os.PathLike | None = None) -> bool:
    """True when the data folder holds a register of units (``units.csv``)."""
    return register_path(root).is_file()


def unit_dir(root: str | os.PathLike | None, unit_id: str) -> Path:
    """The data folder of one unit (its year folders are inside)."""
    return paths.data_dir(root) / unit_id


def load_units(root: str | os.PathLike | None = None) -> pd.DataFrame:
    """The validated register, indexed by spreadsheet row; ``active`` is a bool column.

    Raises :class:`~tongket_lib.errors.DataError` listing every problem.
    """
    path = register_path(root)
    name = shown(path)
    if not path.is_file():
        raise DataError([Problem(name, None, None, None,
                                 f"không có tệp {REGISTER_FILE} (danh sách đơn vị). Tạo tệp với"
                                 f" dòng tiêu đề: {','.join(UNITS.required_columns)}.")],
                        heading=f"Không tìm thấy danh sách đơn vị trong {shown(path.parent)}.")
    import pandas as pd

    from tongket_lib.dataset.readers import parse_csv, read_text
    from tongket_lib.dataset.validate import validate_table

    problems: list[Problem] = []
    text = read_text(path, problems, name, root=path.parent)  # never a link out of the folder
    table = (parse_csv(text, name, problems, max_rows=limits.MAX_UNITS)
             if text is not None else None)
    frame = pd.DataFrame()
    if table is not None:
        _lower_active(table)
        frame = validate_table(table, UNITS, name, problems)
        if table.rows or problems:
            _check_ids(frame, name, problems)
            if not problems:
                _check_folders(frame, path.parent, name, problems)
        else:
            problems.append(Problem(name, 2, None, None,
                                    "chưa có đơn vị nào (chỉ có dòng tiêu đề). Thêm mỗi đơn vị"
                                    " một dòng."))
    if problems:
        raise DataError(problems, heading=f"Danh sách đơn vị {name} có {len(problems)} lỗi;"
                                          f" sửa rồi chạy lại:")
    frame["active"] = frame["active"].astype(object).map(lambda v: v != "false").astype(bool)
    frame["period"] = frame["period"].astype(object).fillna(CALENDAR)
    return frame


def _lower_active(table) -> None:
    """TRUE/False as Excel writes them are the same codes as true/false."""
    header = [h.strip().lower() for h in table.header]
    for key in ("active", UNITS.field("active").label.lower()):
        if key in header:
            i = header.index(key)
            for row in table.rows:
                if row[i].lower() in ACTIVE:
                    row[i] = row[i].lower()


#: the longest unit id: it names a folder (255 bytes at most), with room for what is
#: written beside it (``.2024.tmp-…`` staging folders, backups)
ID_MAX = 100


def _check_ids(frame: pd.DataFrame, name: str, problems: list[Problem]) -> None:
    for row, code in frame["id"].dropna().items():
        if len(code) > ID_MAX:
            problems.append(Problem(name, int(row), "id", code[:40] + "…", (
                f"mã đơn vị dài {format_number(len(code))} ký tự, quá {ID_MAX}: mã là tên thư"
                " mục của đơn vị. Đặt mã ngắn gọn, chữ thường không dấu, số, dấu gạch nối,"
                " ví dụ cdcs-so-tnmt.")))
            continue
        if ID_RE.fullmatch(code) and not code.isdigit():
            continue
        fixed = slug(code) or "cdcs-so-tnmt"
        if code.isdigit():
            fixed = f"dv-{code}"
            why = "chỉ gồm chữ số (dễ nhầm với thư mục năm)"
        else:
            why = "có chữ hoa, dấu, dấu cách hoặc ký tự đặc biệt"
        problems.append(Problem(name, int(row), "id", code,
                                f"mã đơn vị “{code}” {why}. Mã là tên thư mục của đơn vị: chỉ"
                                f" gồm chữ thường không dấu, số, dấu gạch nối, ví dụ {fixed}."))


def _check_folders(frame: pd.DataFrame, root: Path, name: str, problems: list[Problem]) -> None:
    """A unit's folder that is a symbolic link leading out of the data folder is refused:
    nothing is read there, and no year or backup is ever written there."""
    base = root.resolve()
    for row, unit in frame["id"].dropna().items():
        folder = root / unit
        if folder.is_symlink() and not folder.resolve().is_relative_to(base):
            problems.append(Problem(name, int(row), "id", unit, (
                f"thư mục của đơn vị “{unit}” là liên kết tượng trưng (symlink) trỏ ra ngoài thư"
                f" mục dữ liệu “{shown(root)}”; tongket không đọc hay ghi theo liên kết đó. Chép"
                " thư mục thật của đơn vị vào thư mục dữ liệu thay cho liên kết.")))


def select_units(root: str | os.PathLike | None, spec: str | None = None,
                 period: Any = None) -> list[str]:
    """Unit ids from ``None`` or ``"all"`` (every active unit, in register order; with a
    ``period``, those that report by that kind of period: a school year's units, or a
    calendar year's) or ``"ID,ID"`` (those units, in the order given, inactive ones too)."""
    if not is_multi_unit(root):
        raise ParameterError(
            f"Thư mục dữ liệu {shown(paths.data_dir(root))} không có {REGISTER_FILE} nên không"
            f" có nhiều đơn vị; bỏ --unit/--units, hoặc chỉ đúng thư mục bằng --data.")
    units = load_units(root)
    ids = list(units["id"])
    if spec is None or spec.strip().lower() in ("", "all"):
        chosen = list(units.loc[units["active"], "id"])
        if not chosen:
            raise ParameterError(f"{shown(register_path(root))} không có đơn vị nào đang hoạt"
                                 f" động (active).")
        if period is not None:
            kind = parse_period(period).kind
            kinds = dict(zip(units["id"], units["period"], strict=True))
            chosen = [u for u in chosen if kinds[u] == kind]
            if not chosen:
                raise ParameterError(
                    f"{shown(register_path(root))} không có đơn vị nào báo cáo theo"
                    f" {KINDS[kind]} (cột period) để làm {parse_period(period).label}.")
        return chosen
    wanted = [part.strip() for part in spec.split(",") if part.strip()]
    unknown = [w for w in wanted if w not in ids]
    if unknown:
        from tongket_lib.dataset.readers import suggest

        first = unknown[0]
        hint = suggest(first, ids) or suggest(first.lower(), ids)
        raise ParameterError(
            f"Không có đơn vị “{first}” trong {shown(register_path(root))}.{hint} Xem mã các"
            f" đơn vị ở cột id của tệp đó" + (f"; cũng không có: {', '.join(unknown[1:])}."
                                             if len(unknown) > 1 else "."))
    if period is not None:  # a unit named for a period of the other kind: said, not "not found"
        asked = parse_period(period)
        kinds = dict(zip(units["id"], units["period"], strict=True))
        other = [w for w in wanted if kinds[w] != asked.kind]
        if other:
            raise ParameterError(
                f"Đơn vị “{other[0]}” báo cáo theo {KINDS[kinds[other[0]]]} (cột period của"
                f" {shown(register_path(root))}), nên không có {asked.label}. Chọn kỳ cùng loại"
                f" với đơn vị (ví dụ {_example(asked)}),"
                " hoặc sửa cột period của đơn vị.")
    return list(dict.fromkeys(wanted))


def _example(asked: Any) -> str:
    """A period of the other kind than ``asked``, near it: 2024 for 2024-2025, 2024-2025
    for 2025."""
    return str(asked.start) if asked.school else f"{asked.start - 1}-{asked.start}"


def unit_problem_lines(failed: list[tuple[str, str]], shown_at_most: int = 20) -> list[str]:
    """Units each with why it failed, as a command prints them: the first line of the
    message after the unit, the rest indented below; then how many more.

    >>> unit_problem_lines([("cdcs-a", "Lỗi chung:\\n- a.csv, dòng 3"), ("cdcs-b", "x")], 1)
    ['  cdcs-a: Lỗi chung:', '    - a.csv, dòng 3', '  … và 1 đơn vị khác.']
    """
    lines = []
    for unit, why in failed[:shown_at_most]:
        first, *rest = why.splitlines() or [""]
        lines.append(f"  {unit}: {first}")
        lines += [f"    {more.strip()}" for more in rest if more.strip()]
    return lines + more_units(len(failed), shown_at_most)


def more_units(total: int, shown_at_most: int) -> list[str]:
    """The line after the first ``shown_at_most`` of ``total`` units listed, if any are left.

    >>> more_units(1250, 20)
    ['  … và 1.230 đơn vị khác.']
    """
    left = total - shown_at_most
    return [f"  … và {format_number(left)} đơn vị khác."] if left > 0 else []
