"""Writing year folders: the one atomic way tongket replaces a folder or a file."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tongket_lib import paths, system
from tongket_lib.dataset import schema as S
from tongket_lib.dataset.layout import MISSING, file_problem, parse_year, shown
from tongket_lib.errors import ParameterError, Problem, os_reason
from tongket_lib.vn import missing

if TYPE_CHECKING:  # pandas only where a table is written: a render's own process never loads it
    import pandas as pd


def staging_folder(parent: Path, prefix: str) -> Path:
    """A new empty folder in ``parent`` to fill and then rename into place.

    ``mkdtemp`` makes it private (0700); it gets the permissions of a normal folder,
    since it becomes one.
    """
    parent.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
    os.chmod(folder, 0o777 & ~system.umask())
    return folder


#: what marks tongket's own dated copies of a replaced folder or file
BACKUP_MARK = ".sao-luu-"


def backup_path(target: Path) -> Path:
    """A free, dated name beside ``target`` to keep it under before it is replaced:
    ``2024.sao-luu-20241204-093000``, ``so-lieu.sao-luu-20241204-093000.xlsx``."""
    suffix = target.suffix if target.is_file() else ""
    stem = target.name.removesuffix(suffix) if suffix else target.name
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    backup, n = target.with_name(f"{stem}{BACKUP_MARK}{stamp}{suffix}"), 1
    while backup.exists():
        n += 1
        backup = target.with_name(f"{stem}{BACKUP_MARK}{stamp}-{n}{suffix}")
    return backup


def replace_atomically(target: Path, write: Callable[[Path], object] | None, *,
                       folder: bool = False, keep_backup: bool = True,
                       filled: Path | None = None) -> Path | None:
    """The one way tongket replaces a file or a folder: ``write(tmp)`` fills a temporary
    file (or, with ``folder``, a temporary folder) beside ``target``, which then takes
    ``target``'s place by a rename. Readers see the old or the new version, never half of
    one. An existing ``target`` is first kept as a dated backup (returned) unless
    ``keep_backup`` is false, in which case it is removed once the new one is in place.
    Nothing is left behind when ``write`` fails. ``filled``: a folder already filled
    beside ``target`` (made by :func:`staging_folder`), which takes its place as it is.

    A folder replaced without a backup is swapped with the new one in one step where
    the system can (:func:`tongket_lib.system.exchange`), so that it is never absent;
    elsewhere it is first renamed aside (``.NAME.old-*``) and removed once the new one
    is in place. :func:`leftovers` names what a process killed half-way leaves behind.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    if filled is not None:
        tmp = filled
    elif folder:
        tmp = staging_folder(target.parent, f".{target.name}.tmp-")
    else:
        handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp",
                                        dir=target.parent)
        os.close(handle)
        tmp = Path(name)
    old: Path | None = None
    try:
        if write is not None:
            write(tmp)
        if not folder and filled is None:
            os.chmod(tmp, 0o666 & ~system.umask())  # mkstemp makes it private; the result is a normal file
        if (folder or filled is not None) and not keep_backup and target.is_dir() \
                and system.exchange(tmp, target):
            return None  # tmp now holds the old folder: removed below
        if target.exists() and (folder or filled is not None or keep_backup):
            old = backup_path(target) if keep_backup else Path(
                tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent)) / "old"
            os.rename(target, old)
        try:
            os.replace(tmp, target)
        except OSError:
            if old is not None:
                os.rename(old, target)
            raise
        if old is not None and not keep_backup:
            shutil.rmtree(old.parent, ignore_errors=True)
            old = None
        return old
    finally:
        if tmp.exists():
            if tmp.is_dir():
                shutil.rmtree(tmp, ignore_errors=True)
            else:
                tmp.unlink()


def leftovers(target: Path) -> list[Path]:
    """What :func:`replace_atomically` and :func:`staging_folder` left beside ``target``
    when a process was killed half-way: its temporary files and folders and the old
    folder renamed aside. Remove them only while no other process replaces ``target``."""
    parent, name = target.parent, target.name
    return sorted({*parent.glob(f".{name}.tmp-*"), *parent.glob(f".{name}.old-*"),
                   *parent.glob(f".{name}.*.tmp")})


def write_text_atomically(path: Path, text: str) -> None:
    """Replace a small text file (UTF-8) in one step."""
    replace_atomically(Path(path), lambda tmp: tmp.write_text(text, encoding="utf-8"),
                       keep_backup=False)


#: how long a run waits for another one writing the same data folder, in seconds
LOCK_WAIT = 600


@contextlib.contextmanager
def data_lock(folder: Path, command: str) -> Iterator[None]:
    """Hold the lock of a data folder for the duration of the block: one run at a time
    writes there (``collect``, ``new-year``, ``excel import``). The lock is a file in the
    cache (:func:`tongket_lib.paths.cache_dir`), never in the data. A second run says on
    stderr which run it waits for, waits up to :data:`LOCK_WAIT` seconds, then refuses,
    naming it. Reentrant in one process: a run holding a folder's lock may take it again.
    """
    import hashlib
    import sys

    from filelock import FileLock, Timeout

    real = Path(folder).resolve()
    locks = paths.cache_dir() / "locks"
    locks.mkdir(parents=True, exist_ok=True)
    name = hashlib.sha256(str(real).encode()).hexdigest()[:20]
    lock = _LOCKS.setdefault(name, FileLock(str(locks / f"{name}.lock")))
    holder = locks / f"{name}.txt"
    try:
        lock.acquire(timeout=0)
    except Timeout:
        other = _read_holder(holder)
        print(f"Đang chờ {other} đang ghi vào thư mục dữ liệu {shown(real)} xong…",
              file=sys.stderr, flush=True)
        try:
            lock.acquire(timeout=LOCK_WAIT)
        except Timeout:
            raise ParameterError(
                f"Thư mục dữ liệu {shown(real)} đang được {other} ghi và chưa xong sau"
                f" {LOCK_WAIT // 60} phút; chưa ghi gì. Chờ lần chạy đó xong rồi chạy lại."
            ) from None
    try:
        if lock.lock_counter == 1:
            holder.write_text(f"lệnh “tongket {command}” (tiến trình {os.getpid()},"
                              f" bắt đầu {dt.datetime.now():%H:%M:%S})", encoding="utf-8")
        yield
    finally:
        lock.release()


_LOCKS: dict[str, Any] = {}


def _read_holder(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")[:300] or "một lần chạy khác"
    except OSError:
        return "một lần chạy khác"


def write_year_folder(target: Path, write: Callable[[Path], None] | None, force: bool = False,
                      filled: Path | None = None) -> Path | None:
    """Create ``target`` atomically: ``write(tmp_folder)`` fills a temporary folder (or
    ``filled``, one already filled beside it) that then replaces ``target``. An existing
    folder needs ``force`` and is first kept as a dated backup, whose path is returned.
    The data folder holding ``target`` is locked meanwhile (:func:`data_lock`).
    """
    target = Path(target)
    with data_lock(target.parent, "ghi năm"):
        if target.exists() and not force:
            raise ParameterError(
                f"Thư mục {shown(target)} đã có dữ liệu; tongket không ghi đè. Thêm --force để"
                f" thay (bản cũ được giữ lại thành bản sao lưu có ghi ngày giờ).")
        try:
            return replace_atomically(target, None if filled is not None else write,
                                      folder=True, filled=filled)
        except OSError as exc:
            raise _not_written(target, exc) from None


def _not_written(target: Path, exc: OSError) -> ParameterError:
    """The error of a year folder that could not be written; what was there is intact."""
    keep = ("Dữ liệu đã có không bị thay đổi." if target.exists()
            else "Chưa ghi gì vào thư mục dữ liệu.")
    return ParameterError(
        f"Không ghi được thư mục {shown(target)} ({os_reason(exc)}). {keep} Kiểm tra quyền ghi"
        f" của thư mục {shown(target.parent)} (và chỗ trống trên đĩa), hoặc chọn thư mục dữ liệu"
        " khác bằng --data, rồi chạy lại.")


def save_year(year: int | str, meta: dict, tables: dict[str, pd.DataFrame],
              data: str | os.PathLike | None = None, force: bool = False) -> Path | None:
    """Write a whole year folder atomically (see :func:`write_year_folder`); return the
    backup of the folder it replaced, if any. ``tables`` maps CSV file names to frames."""
    target = paths.data_dir(data) / str(parse_year(year))
    return write_year_folder(target, lambda tmp: write_year(tmp, meta, tables), force)


def year_from_workbook(target: Path, files: dict[str, bytes],
                       root: Path) -> tuple[Callable[[Path], None], Problem | None]:
    """How a year read from a workbook replaces ``target`` (for :func:`write_year_folder`):
    its ``files`` (:func:`year_files`), and the year's own ``rules.yaml`` carried over,
    since a workbook does not hold it. The problem returned (nothing may be written then)
    is a rules file tongket may not read: linked from outside the data folder ``root``,
    unreadable, and so on."""
    old_rules = target / S.RULES_FILE
    reason = file_problem(old_rules, root)
    problem = (None if reason in (None, MISSING)
               else Problem(shown(old_rules), None, None, None, str(reason)))

    def write(folder: Path) -> None:
        for name, content in files.items():
            (folder / name).write_bytes(content)
        if reason is None:  # the year's own rules are not in the workbook: keep them
            shutil.copyfile(old_rules, folder / S.RULES_FILE)

    return write, problem


def write_year(folder: Path, meta: dict, tables: dict[str, pd.DataFrame]) -> None:
    """Write meta.yaml and the CSV files of ``tables`` into ``folder``."""
    for name, content in year_files(meta, tables).items():
        (folder / name).write_bytes(content)


def year_files(meta: dict, tables: dict[str, pd.DataFrame]) -> dict[str, bytes]:
    """What :func:`write_year` writes, as file name → content."""
    files = {S.META_FILE: meta_text(meta).encode("utf-8")}
    for spec in S.CSV_FILES:
        frame = tables.get(spec.name)
        if frame is not None and (spec.required or not frame.empty):
            files[spec.name] = table_text(frame, spec).encode("utf-8")
    return files


def commented_meta(head: list[str], fields: Sequence[tuple[str, Any, str | None]]) -> str:
    """A meta.yaml a person fills: ``head`` comment lines, then each key with its value and
    its note (“# cần điền: …”) at the end of its line, or above it for a value of several
    lines. Read back, it is the same data as without the notes."""
    import yaml

    out = [*head, ""]
    for key, value, note in fields:
        chunk = yaml.safe_dump({key: yaml_ready(value)}, allow_unicode=True, sort_keys=False,
                               width=100).rstrip("\n")
        if note and "\n" not in chunk:
            out.append(f"{chunk}  # {note}")
        elif note:
            out += [f"# {note}", chunk]
        else:
            out.append(chunk)
    return "\n".join(out) + "\n"


def yaml_ready(value: Any) -> Any:
    """A meta value as meta.yaml writes it: dates as dd/mm/yyyy, inside lists and maps too."""
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, dict):
        return {k: yaml_ready(v) for k, v in value.items()}
    if isinstance(value, list):
        return [yaml_ready(v) for v in value]
    return value


def write_meta(meta: dict, path: Path) -> None:
    """Write meta as YAML, dates as dd/mm/yyyy, keys in the documented order."""
    path.write_bytes(meta_text(meta).encode("utf-8"))


#: text libyaml's emitter writes exactly as PyYAML's: printable, no line breaks or tabs,
#: no surrounding spaces, nothing beyond the Basic Multilingual Plane
_PLAIN_TEXT = re.compile("[\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd]*")


def meta_text(meta: dict) -> str:
    """meta.yaml's text: dates as dd/mm/yyyy, keys in the documented order.

    libyaml's emitter (ten times faster) is used when every value is plain text, a
    number, a boolean or empty, which it writes byte for byte as PyYAML's own emitter
    does; anything else goes through PyYAML's emitter.
    """
    import yaml

    meta = {k: v for k, v in meta.items() if k != "unit" or v}  # no empty key in one-org data
    ordered = {k: yaml_ready(meta[k]) for k in S.META_KEYS if k in meta}
    ordered.update({k: yaml_ready(v) for k, v in meta.items() if k not in ordered})
    options: dict[str, Any] = {"allow_unicode": True, "sort_keys": False, "width": 100}
    if _plain(ordered) and getattr(yaml, "CSafeDumper", None) is not None:
        return yaml.dump(ordered, Dumper=yaml.CSafeDumper, **options)
    return yaml.safe_dump(ordered, **options)


def _plain(value: Any) -> bool:
    if isinstance(value, dict):
        return all(isinstance(k, str) and k.isascii() and len(k) <= 64 and _plain(k) and _plain(v)
                   for k, v in value.items())  # libyaml measures a key in bytes
    if isinstance(value, list):
        return all(_plain(v) for v in value)
    if isinstance(value, str):
        return value == value.strip() and _PLAIN_TEXT.fullmatch(value) is not None
    return value is None or isinstance(value, (bool, int))


def table_columns(frame: pd.DataFrame, spec: S.FileSpec) -> list[str]:
    """The columns a table's CSV file has: the required ones, and those holding a value."""
    return [f.name for f in spec.fields
            if f.required or (f.name in frame and frame[f.name].notna().any())]


def cell_texts(series: pd.Series, kind: str) -> list[str]:
    """A typed column as the canonical CSV writes it: plain numbers, empty for missing."""
    values = series.astype(object)
    if kind == S.NUMBER:
        return [_plain_number(v) for v in values]
    if kind == S.INTEGER:
        return ["" if missing(v) else str(int(v)) for v in values]
    return ["" if missing(v) else str(v) for v in values]


def csv_text(header: list[str], rows: Iterable[Iterable[str]]) -> str:
    """CSV text as the canonical files have it: comma, minimal quoting, ``\\n`` line ends."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def table_text(frame: pd.DataFrame, spec: S.FileSpec) -> str:
    """A table as the canonical CSV: UTF-8, comma, spec column order, plain numbers.

    Optional columns are written only when they hold a value.
    """
    import pandas as pd

    columns = table_columns(frame, spec)
    texts = [cell_texts(frame[name] if name in frame
                        else pd.Series(pd.NA, index=frame.index, dtype=object),
                        spec.field(name).kind) for name in columns]
    return csv_text(columns, zip(*texts, strict=True))


def write_table(frame: pd.DataFrame, spec: S.FileSpec, path: Path) -> None:
    """Write a table as the canonical CSV (:func:`table_text`)."""
    path.write_bytes(table_text(frame, spec).encode("utf-8"))


def _plain_number(value) -> str:
    if missing(value):
        return ""
    value = float(value)
    return str(int(value)) if value.is_integer() else repr(value)
