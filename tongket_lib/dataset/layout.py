"""Year folders without pandas: which years exist, which files a year has, their
checksum, how paths are shown. Kept light so that deciding whether anything needs to
be rendered (a batch with nothing changed) starts no heavy import.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from pathlib import Path

from tongket_lib import paths
from tongket_lib.dataset import limits
from tongket_lib.dataset import schema as S
from tongket_lib.errors import DataError, ParameterError, Problem, os_reason
from tongket_lib.period import Period, is_period_id, parse_period, parse_periods

#: a period as the commands and files take it (``2024``, ``"2024-2025"``, a Period)
parse_year = parse_period


def parse_years(spec: str | int | list | range | None = None,
                data: str | os.PathLike | None = None) -> list[Period]:
    """Periods from ``None`` (every period with data), ``"2021-2024"`` (or ``2021..2024``),
    ``"2021,2023"``, a school year ``"2023-2024"`` (see
    :func:`~tongket_lib.period.parse_periods`), one period, or a list.

    >>> [str(p) for p in parse_years("2021-2023")]
    ['2021', '2022', '2023']
    >>> [str(p) for p in parse_years("2024, 2022")]
    ['2022', '2024']
    """
    if spec is None or (isinstance(spec, str) and not spec.strip()):
        years = available_years(data)
        if not years:
            root = paths.data_dir(data)
            missing = "" if root.is_dir() else " (thư mục này không có)"
            raise ParameterError(f"Chưa có năm nào trong thư mục dữ liệu {shown(root)}{missing}:"
                                 " mỗi năm là một thư mục con như 2024/ hoặc 2024-2025/. Chỉ"
                                 " đúng thư mục bằng --data, hoặc tạo dữ liệu bằng tongket init.")
        return years
    if isinstance(spec, bool):
        return [parse_period(spec)]  # refused there: True is not a year
    chosen = parse_periods(spec, available_years(data) if data is not None else ())
    if not chosen:  # "," or " , ": no period named, which would do nothing and say nothing
        raise ParameterError(f"“{spec}” không ghi kỳ nào. Ghi các kỳ, ví dụ 2021-2024 hoặc"
                             " 2022,2024, hoặc bỏ --years để dùng mọi kỳ có dữ liệu.")
    return chosen


def available_years(data: str | os.PathLike | None = None) -> list[Period]:
    """Periods (calendar or school years) that have a folder in the data folder, oldest
    first."""
    root = paths.data_dir(data)
    try:
        if not root.is_dir():
            return []
        return sorted(parse_period(p.name) for p in root.iterdir()
                      if is_period_id(p.name) and p.is_dir())
    except OSError as exc:
        raise DataError([Problem(shown(root), None, None, None,
                                 f"không đọc được thư mục dữ liệu ({os_reason(exc)}). Kiểm tra"
                                 " quyền đọc của thư mục (chmod u+rx), hoặc chỉ thư mục khác bằng"
                                 " --data.")], heading="Không đọc được thư mục dữ liệu.") from None


def data_files(folder: Path) -> list[Path]:
    """Existing data files of a year folder (and the shared rules file), in a fixed order.

    Only files that can be read safely are listed (see :func:`file_problem`); the
    loader names the others.
    """
    names = [S.META_FILE, *(s.name for s in S.CSV_FILES), S.RULES_FILE]
    root = folder.parent
    found = [folder / n for n in names if file_problem(folder / n, root) is None]
    shared = root / S.RULES_FILE
    return found + ([shared] if file_problem(shared, root) is None else [])


def entries(folder: str | os.PathLike) -> list[tuple[str, int, int]]:
    """Every entry of a folder by name, with its size and modification time (ns): what
    says cheaply whether a folder changed. Raises ``OSError`` when it cannot be listed."""
    found = []
    for name in sorted(os.listdir(folder)):
        st = os.stat(os.path.join(folder, name))
        found.append((name, st.st_size, st.st_mtime_ns))
    return found


MISSING = "thiếu tệp"  # what file_problem says of a file that is simply not there


def file_problem(path: Path, root: Path | None = None) -> str | None:
    """Why ``path`` cannot be read as a data file, in Vietnamese, or ``None`` when it can.

    :data:`MISSING` when nothing is there. A symbolic link is followed only when it
    stays inside the data folder ``root``: a link to ``/etc/passwd`` or to another
    user's files is refused and never opened. Links in a loop, folders, devices and
    pipes, unreadable files and files over :data:`~tongket_lib.dataset.limits.MAX_FILE_BYTES`
    each get their own reason.
    """
    try:
        link = path.is_symlink()
        info = path.stat()
    except FileNotFoundError:
        if path.is_symlink():
            return ("là liên kết tượng trưng (symlink) trỏ tới tệp không tồn tại. Xóa liên kết"
                    " và đặt tệp thật vào đây.")
        return MISSING
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return ("là liên kết tượng trưng (symlink) vòng lặp, trỏ mãi vào chính nó. Xóa liên"
                    " kết và đặt tệp thật vào đây.")
        if exc.errno == errno.ENOTDIR:  # a part of the path is a file
            return MISSING
        return (f"không đọc được ({os_reason(exc)}). Kiểm tra quyền đọc của tệp và các thư mục"
                " chứa nó.")
    if root is not None and not _inside(path, root):
        what = "là liên kết tượng trưng (symlink)" if link else "nằm sau một liên kết tượng trưng"
        return (f"{what} trỏ ra ngoài thư mục dữ liệu “{shown(root)}”; tongket không đọc theo"
                " liên kết đó. Chép tệp thật vào thư mục dữ liệu thay cho liên kết.")
    if stat.S_ISDIR(info.st_mode):
        return (f"“{path.name}” là một thư mục, không phải tệp. Đổi tên hoặc chuyển thư mục đó"
                f" đi, rồi đặt tệp {path.name} vào đây.")
    if not stat.S_ISREG(info.st_mode):
        return ("không phải tệp thường (là thiết bị, ống dẫn hoặc socket). Đặt tệp dữ liệu thật"
                " vào đây.")
    if info.st_size > limits.MAX_FILE_BYTES:
        return (f"tệp quá lớn ({limits.size_text(info.st_size)}; tối đa"
                f" {limits.size_text(limits.MAX_FILE_BYTES)}). Tệp dữ liệu của một năm chỉ vài"
                " chục KB: kiểm tra lại đây có đúng là tệp dữ liệu không.")
    if not os.access(path, os.R_OK):
        return ("không đọc được (không có quyền). Cấp quyền đọc cho tệp (chmod u+r), rồi chạy"
                " lại.")
    return None


def _inside(path: Path, root: Path) -> bool:
    """Whether ``path`` (links followed) lies inside ``root`` (links followed)."""
    try:
        path.resolve(strict=True).relative_to(root.resolve())
    except (OSError, RuntimeError, ValueError):
        return False
    return True


def checksum(files: list[Path]) -> str:
    """SHA-256 over the names and bytes of ``files``: changes when any input changes."""
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def shown(path: str | os.PathLike) -> str:
    """A path as messages show it: relative to the current folder when inside it.

    A symbolic link is named as itself, never as the file it points to.
    """
    path = Path(path)
    full = (path.resolve() if path.name in ("", ".", "..")
            else path.parent.resolve() / path.name)
    try:
        return str(full.relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)




def missing_year(year: Period, root: Path) -> Problem:
    """The problem of a year (or data folder) that does not exist, with the way out."""
    if not root.is_dir():
        return Problem(shown(root), None, None, None,
                       f"không có thư mục dữ liệu “{shown(root)}”. Chỉ đúng thư mục bằng --data.")
    years = available_years(root)
    have = ", ".join(map(str, years)) if years else "chưa có năm nào"
    hint = f" Tạo năm mới từ năm trước: tongket new-year {year}." if years else ""
    what = f"năm học {year.words}" if isinstance(year, Period) and year.school else f"năm {year}"
    if not years and (root / "meta.yaml").is_file():  # --data points at one year's folder
        hint = (f" “{shown(root)}” là thư mục của một năm; --data cần thư mục chứa các năm:"
                f" --data {shown(root.parent)}.")
    return Problem(shown(root / str(year)), None, None, year,
                   f"không có thư mục dữ liệu {what}. Các năm có trong {shown(root)}: {have}.{hint}")
