"""What collect makes sure of about a workbook in its folder before filing it: its file name
can be read (not UTF-8: reported, never read), it is read apart from the others when they
fail together (one bad file never stops a chunk), it is one of the folder's own
workbooks (not a backup, a lock file or a subfolder's), and the organisation it names is its
unit's, not another registered unit's (a key edited to another unit's is refused, naming
both)."""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from tongket_lib.dataset.layout import shown
from tongket_lib.dataset.readers import nfc
from tongket_lib.dataset.store import BACKUP_MARK
from tongket_lib.errors import ParameterError, Problem
from tongket_lib.period import Period
from tongket_lib.units.register import REGISTER_FILE
from tongket_lib.units.workbooks import Workbook

_NAME_PREFIXES = ("công đoàn cơ sở ", "cđcs ", "công đoàn ")


def plain_name(name: object) -> str:
    """A unit's name as names are compared: NFC, lower case, single spaces, without the
    “Công đoàn cơ sở” a register puts before the organisation's name."""
    text = " ".join(nfc(str(name or "")).lower().split())
    for prefix in _NAME_PREFIXES:
        if text.startswith(prefix):
            return text[len(prefix):]
    return text


def by_plain_name(names: dict[str, str]) -> dict[str, str]:
    """Each registered unit's id by its plain name (names that two units share left out)."""
    found: dict[str, list[str]] = defaultdict(list)
    for unit, name in names.items():
        found[plain_name(name)].append(unit)
    return {name: units[0] for name, units in found.items() if name and len(units) == 1}


def named_for(book: Workbook, unit: str, names: dict[str, str],
               named: dict[str, str]) -> Problem | None:
    """A problem when the workbook's key is ``unit`` but the organisation it names is
    another registered unit's (a key edited to another unit's), naming both; else None.
    A name the register does not know is left alone (units shorten their names)."""
    stated = plain_name(book.meta.get("organisation"))
    own = plain_name(names.get(unit))
    if not stated or stated == own or (own and (stated in own or own in stated)):
        return None
    other = named.get(stated)
    if other is None or other == unit:
        return None
    return Problem(shown(book.path), None, None, unit, (
        f"sổ tính ghi mã đơn vị “{unit}” ({names[unit]}) nhưng tên đơn vị trong sổ là"
        f" “{book.meta.get('organisation')}”, tên của đơn vị “{other}” ({names[other]}) trong"
        f" {REGISTER_FILE}: mã đơn vị có thể đã bị sửa. Chưa ghi sổ tính này. Xác định sổ"
        " tính là của đơn vị nào, sửa mã đơn vị (trang “Thông tin chung”) cho đúng rồi gửi"
        " lại."))


def isolated(reader: Callable[[list[str], Period], list[Workbook]], paths: list[str],
             year: Period) -> list[Workbook]:
    """``reader(paths, year)``; where reading the chunk fails, each workbook read on its
    own, and one that still fails comes back unreadable with the reason: one bad file
    never stops the others."""
    try:
        return reader(paths, year)
    except Exception:
        if len(paths) == 1:
            return [unreadable(paths[0])]
    out = []
    for path in paths:
        try:
            out += reader([path], year)
        except Exception:
            out.append(unreadable(path))
    return out


def unreadable(path: str) -> Workbook:
    """A workbook that could not be read at all, with the reason and the fix."""
    import sys

    kind = sys.exc_info()[0]
    why = kind.__name__ if kind is not None else "lỗi"
    return Workbook(Path(path), readable=False, problems=[Problem(
        shown(path), None, None, None,
        f"không đọc được sổ tính này ({why}): có thể tệp hỏng hoặc có ô chứa giá trị bất"
        " thường (số quá dài, ký tự lạ). Mở bằng Excel, kiểm tra các ô số, lưu lại dạng"
        " .xlsx rồi gửi lại; các sổ tính khác vẫn được nhận.")])


UNDECODABLE_NAME = ("tên tệp có ký tự không đọc được (không phải UTF-8, thường gặp khi giải nén"
                    " tệp .zip tạo trên Windows); chưa đọc tệp này. Đổi tên tệp (chữ, số, dấu"
                    " gạch ngang) rồi chạy lại.")


def utf8(name: str) -> bool:
    """Whether a file name is valid UTF-8 (Python keeps the bytes of one that is not as
    lone surrogates, which no text output can write)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def printable(name: str) -> str:
    """A file name that is not valid UTF-8, as messages can show it."""
    return os.fsencode(name).decode("utf-8", "replace")


def workbook_files(folder: Path) -> tuple[list[Path], int, list[str]]:
    """The workbooks of a folder, how many other files (backups among them), and the
    names of its subfolders, which are not read (an old year's or a colleague's copies
    would be taken for this year's)."""
    books, others, subfolders = [], 0, []
    for path in sorted(folder.iterdir()):
        if path.name.startswith(("~$", ".")):
            continue  # Excel's lock files, hidden files
        if path.is_dir():
            subfolders.append(path.name)
            continue
        if not path.is_file():
            continue
        if BACKUP_MARK in path.name:  # a copy tongket kept when a workbook was replaced
            others += 1
            continue
        if path.suffix.lower() in (".xlsx", ".xlsm", ".xls"):
            books.append(path)
        else:
            others += 1
    if not books:
        inside = (f" Các thư mục con ({folder_names(subfolders)}) không được đọc: chép sổ tính cần"
                  f" nhận vào thẳng {shown(folder)}." if subfolders else "")
        raise ParameterError(f"Thư mục {shown(folder)} không có sổ tính .xlsx nào. Chép vào đó"
                             f" các tệp mà đơn vị gửi lên (xuất bằng “tongket excel export”)."
                             + inside)
    return books, others, subfolders


def folder_names(names: list[str], shown_at_most: int = 5) -> str:
    """``a, b, c`` (and how many more)."""
    more = len(names) - shown_at_most
    return ", ".join(names[:shown_at_most]) + (f" và {more} thư mục khác" if more > 0 else "")
