"""``collect``: the workbooks units sent back, checked and filed under their units.

Each ``.xlsx`` file of a folder is read and validated as ``excel import`` does
(:func:`~tongket_lib.units.workbooks.check_workbooks`: a fast path for clean workbooks,
the full reading for any other), matched to the register by the unit key inside it
(meta key ``unit``), never by its file name, and the valid ones are written atomically
to ``<data>/<unit>/<year>/``. A bad workbook is never written; a year already there is
left alone unless ``force`` (then it is backed up first), or skipped as unchanged when
the workbook holds the same data. Only the folder's own files are read, not its
subfolders (named in the summary). One summary says which units are in, which have
errors, which had the year filed before (an earlier collect), which are missing and
which workbooks fit no unit.

Many workbooks are read on the engine (:mod:`tongket_lib.engine`, a local Dask cluster
or ``--scheduler``), in chunks of a few hundred. This machine's workers (or this process)
write each good year into a staging folder beside it as they read; this process then
files the years, one unit at a time: a rename, or a write for a workbook not staged.
"""

from __future__ import annotations

import math
import os
import secrets
import shutil
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from tongket_lib import engine, paths
from tongket_lib.dataset.layout import data_files, entries, parse_year, shown
from tongket_lib.dataset.readers import suggest
from tongket_lib.dataset.store import (
    BACKUP_MARK,
    data_lock,
    leftovers,
    staging_folder,
    write_year_folder,
    year_from_workbook,
)
from tongket_lib.errors import ParameterError, Problem, os_reason
from tongket_lib.period import KINDS, Period
from tongket_lib.units.inbox import (
    UNDECODABLE_NAME,
    by_plain_name,
    folder_names,
    isolated,
    named_for,
    printable,
    utf8,
    workbook_files,
)
from tongket_lib.units.register import REGISTER_FILE, load_units, more_units, unit_dir
from tongket_lib.units.workbooks import Workbook, check_workbooks
from tongket_lib.vn import format_number

#: what reading workbooks needs, loaded once for the local workers (engine.cluster)
PRELOAD = ("openpyxl", "python_calamine", "pandera.pandas", "tongket_lib.dataset.excel",
           "tongket_lib.units.fastsheets", "tongket_lib.units.fastbooks",
           "tongket_lib.units.workbooks", "tongket_lib.units.collect")
MISSING_SHOWN = 20  # missing units listed one by one, then a count
ENGINE_FROM = 400   # files: from this many on (without -j), read on the engine's workers
CHUNK = 250         # workbooks a task reads: few tasks, each worth sending


@dataclass
class CollectResult:
    """What a collect did, unit by unit and file by file."""

    year: Period
    folder: Path
    root: Path
    names: dict[str, str]                                   # unit id → name
    files: int = 0
    written: list[tuple[str, Path, Path | None]] = field(default_factory=list)  # unit, file, backup
    unchanged: list[tuple[str, Path]] = field(default_factory=list)
    failed: list[tuple[str, Path, list[Problem]]] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)      # active, not sent, no data for the year
    earlier: list[str] = field(default_factory=list)      # active, not sent, the year filed before
    unknown: list[tuple[Path, str, str]] = field(default_factory=list)   # file, key, hint
    duplicated: dict[str, list[Path]] = field(default_factory=dict)
    keyless: list[tuple[Path, str]] = field(default_factory=list)        # file, why
    notes: list[str] = field(default_factory=list)
    ignored: int = 0  # files of other kinds in the folder
    subfolders: list[str] = field(default_factory=list)  # not read: only the folder's own files
    #: the workbook each unit's year now holds (written or unchanged), its files dropped
    accepted: dict[str, Workbook] = field(default_factory=dict)

    @property
    def exit_code(self) -> int:
        """0 all in (missing units are not an error of this run), 1 anything to fix."""
        return 1 if (self.failed or self.unknown or self.duplicated or self.keyless) else 0

    def summary(self) -> str:
        return summary_text(self)


def collect_workbooks(folder: str | os.PathLike, year: int | str | Period,
                      data: str | os.PathLike | None = None, force: bool = False,
                      progress: bool | None = None, jobs: int | None = None, *, client=None,
                      scheduler: str | None = None,
                      reader: Callable[[list[str], Period], list[Workbook]] = check_workbooks,
                      preload: tuple[str, ...] = ()) -> CollectResult:
    """Collect one year's workbooks from ``folder`` into the multi-unit data folder ``data``.

    ``jobs``: worker processes of the engine (1: read here, in this process; None: the
    engine's default from :data:`ENGINE_FROM` files on, else here); ``client`` or
    ``scheduler``: an existing Dask cluster to read on. ``reader``: what reads a chunk of
    workbooks (a module-level function, or a ``functools.partial`` of one, as it runs on
    the workers), :func:`~tongket_lib.units.workbooks.check_workbooks` or one that also
    makes something of each (:attr:`Workbook.rows`); ``preload``: the modules it needs
    besides :data:`PRELOAD`."""
    year = parse_year(year)
    folder = Path(folder).expanduser()
    root = paths.data_dir(data)
    if not folder.is_dir():
        raise ParameterError(f"Không có thư mục “{shown(folder)}”" + (
            " (đó là một tệp; chỉ thư mục chứa các sổ tính)." if folder.exists() else ".")
            + " Chỉ thư mục chứa các sổ tính .xlsx mà các đơn vị gửi lên.")
    if not (root / REGISTER_FILE).is_file():
        raise ParameterError(
            f"Thư mục dữ liệu {shown(root)} không có {REGISTER_FILE} (danh sách đơn vị) nên không"
            f" biết sổ tính nào của đơn vị nào. Tạo {REGISTER_FILE} (cột id, name, upper_union)"
            f" hoặc chỉ đúng thư mục bằng --data.")
    with data_lock(root, "collect"):  # two collects at once: the second waits, by name
        return _collect(folder, year, root, force, progress, jobs, client, scheduler, reader,
                        preload)


def _collect(folder: Path, year: Period, root: Path, force: bool, progress: bool | None,
             jobs: int | None, client, scheduler: str | None,
             reader: Callable[[list[str], Period], list[Workbook]],
             preload: tuple[str, ...]) -> CollectResult:
    units = load_units(root)
    result = CollectResult(year, folder, root, dict(zip(units["id"], units["name"], strict=True)))
    _clean_leftovers(root, result.names, year)
    files, result.ignored, result.subfolders = workbook_files(folder)
    result.files = len(files)
    for path in [p for p in files if not utf8(p.name)]:  # reported, never read
        files.remove(path)
        result.keyless.append((path.with_name(printable(path.name)), UNDECODABLE_NAME))
    local = client is None and engine.scheduler_address(scheduler) is None
    prefix = f".{year}.tmp-{secrets.token_hex(4)}-"  # this run's staging folders
    read: list[list[Workbook] | None] = []
    clean = False  # read and filed, no worker lost: nothing staged can be unknown here
    try:
        books, lost = _read_all(files, year, progress, jobs, client, scheduler, partial(
            _read_chunk, reader=reader, root=str(root) if local else None,
            units=frozenset(result.names), prefix=prefix), (*PRELOAD, *preload), read)
        _file(books, units, force, result)
        clean = not lost
    finally:  # whatever was staged and not filed goes
        for books_read in read:
            for book in books_read or ():
                _discard(book)
        if local and not clean:
            _sweep(root, result.names, prefix)
    return result


def _clean_leftovers(root: Path, units, year: Period) -> None:
    """Remove what killed runs left in the units' folders for ``year`` (staging folders
    ``.2024.tmp-*``, old folders set aside): the data folder's lock is held, so no other
    run is writing there."""
    for unit in units:
        for path in leftovers(unit_dir(root, unit) / str(year)):
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)


def _sweep(root: Path, units, prefix: str) -> None:
    """Remove this run's staging folders anywhere in the units' folders (a worker lost
    after staging, a stop while reading)."""
    for unit in units:
        for path in unit_dir(root, unit).glob(f"{prefix}*"):
            shutil.rmtree(path, ignore_errors=True)


def _file(books: list[Workbook], units, force: bool, result: CollectResult) -> None:
    """Sort the workbooks read by unit and file the good ones (see :func:`collect_workbooks`)."""

    by_unit: dict[str, list[Workbook]] = defaultdict(list)
    to_store: list[tuple[str, Workbook]] = []
    named = by_plain_name(result.names)
    kinds = dict(zip(units["id"], units["period"], strict=True))
    for book in books:
        if book.unit is None:
            why = (book.problems[0].message if not book.readable and book.problems else
                   "không có mã đơn vị (khóa “unit”, mục “mã đơn vị”) trong trang"
                   " “Thông tin chung”, nên không biết là của đơn vị nào. Điền mã đơn vị như"
                   f" trong {REGISTER_FILE} rồi gửi lại.")
            result.keyless.append((book.path, why))
        elif book.unit not in result.names:
            result.unknown.append((book.path, book.unit, suggest(book.unit, list(result.names))))
        else:
            by_unit[book.unit].append(book)
    for unit, found in by_unit.items():
        if len(found) > 1 and len({b.path.read_bytes() for b in found}) > 1:
            result.duplicated[unit] = [b.path for b in found]
            continue
        book = found[0]
        if len(found) > 1:  # the same file sent twice
            result.notes.append(f"{', '.join(b.path.name for b in found)}: cùng một tệp của"
                                f" “{unit}” gửi nhiều lần; đã dùng {book.path.name}.")
        _file_hint(book, unit, result)
        other = named_for(book, unit, result.names, named) or _other_kind(book, unit, kinds,
                                                                            result.year)
        if other is not None:
            result.failed.append((unit, book.path, [other]))
            continue
        if not book.ok:
            result.failed.append((unit, book.path, book.problems))
            continue
        to_store.append((unit, book))
    for unit, book in to_store:
        kind, backup, problems = _store(book, unit, force, result.root, result.year)
        if kind == "failed":
            result.failed.append((unit, book.path, problems))
            continue
        if kind == "unchanged":
            result.unchanged.append((unit, book.path))
        else:
            result.written.append((unit, book.path, backup))
        book.filed = _filed(unit_dir(result.root, unit) / str(result.year), book.files)
        result.accepted[unit], book.files = book, {}
    sent = set(by_unit)
    for unit in units.loc[units["active"], "id"]:  # not sent now: in already, or missing
        if unit not in sent and kinds[unit] == result.year.kind:  # not: another kind of period
            filed = (unit_dir(result.root, unit) / str(result.year)).is_dir()
            (result.earlier if filed else result.missing).append(unit)


def _other_kind(book: Workbook, unit: str, kinds: dict[str, str], year: Period) -> Problem | None:
    """A problem when ``unit`` reports by the other kind of period than ``year`` (the
    register's period column), as ``excel import --unit`` says it; else None."""
    if kinds[unit] == year.kind:
        return None
    return Problem(shown(book.path), None, None, unit, (
        f"đơn vị “{unit}” báo cáo theo {KINDS[kinds[unit]]} (cột period của {REGISTER_FILE}),"
        f" nên không nhận sổ tính {year.label}. Chưa ghi sổ tính này. Nhận sổ tính đúng kỳ của"
        f" đơn vị, hoặc sửa cột period của đơn vị trong {REGISTER_FILE} nếu đơn vị đã đổi kỳ"
        " báo cáo."))


#: what a unit's name may begin with in the register and not in its own workbook
def _read_chunk(paths: list[str], year: Period, reader: Callable[[list[str], Period], list[Workbook]],
                root: str | None, units: frozenset[str], prefix: str) -> list[Workbook]:
    """A chunk of workbooks read (on a worker, or here) by ``reader``; with ``root``, each
    good one whose unit is in the register and has its folder is written beside that
    year in a staging folder (:attr:`Workbook.staged`), so that filing it is one rename.
    Only on this machine's workers: a remote one may not see the same folders."""
    books = isolated(reader, paths, year)
    if root is not None:
        try:
            for book in books:
                _stage(book, Path(root), year, units, prefix)
        except BaseException:
            for book in books:
                _discard(book)
            raise
    return books


def _stage(book: Workbook, root: Path, year: Period, units: frozenset[str], prefix: str) -> None:
    if not book.ok or book.unit not in units or not book.files:
        return
    base = unit_dir(root, book.unit)
    if not base.is_dir():  # a unit without a folder yet: filed the plain way
        return
    write, problem = year_from_workbook(base / str(year), book.files, root)
    if problem is not None:
        return
    try:
        staged = staging_folder(base, prefix)
    except OSError:
        return
    try:
        write(staged)
    except OSError:
        shutil.rmtree(staged, ignore_errors=True)
        return
    book.staged = staged


def _filed(folder: Path, files: dict[str, bytes]) -> tuple | None:
    """What the year folder holds just after filing: each entry's name, size and time
    (as the tidy tables fingerprint a year), when it is exactly the workbook's files;
    else None. A caller can tell later whether the year is still what was filed."""
    try:
        found = entries(folder)
    except OSError:
        return None
    return tuple(found) if [name for name, _, _ in found] == sorted(files) else None


def _discard(book: Workbook) -> None:
    """Remove what was staged for a workbook and not filed."""
    if book.staged is not None:
        shutil.rmtree(book.staged, ignore_errors=True)
        book.staged = None


def _read_all(files: list[Path], year: Period, progress: bool | None, jobs: int | None,
              client, scheduler: str | None, reader: Callable[[list[str], Period], list[Workbook]],
              preload: tuple[str, ...],
              read: list[list[Workbook] | None]) -> tuple[list[Workbook], bool]:
    """Every workbook read, in the files' order: here, or in chunks on the engine; and
    whether a worker was lost (its chunk is read again here). ``read`` gets each chunk's
    workbooks as they come (None for a chunk not read yet)."""
    here = engine.runs_here(len(files), jobs, ENGINE_FROM, scheduler, client)
    workers = engine.worker_count(jobs)
    size = CHUNK if here else max(1, min(CHUNK, math.ceil(len(files) / (2 * workers))))
    chunks = [[str(p) for p in files[i:i + size]] for i in range(0, len(files), size)]
    bar = engine.progress_bar(len(files), "Đọc sổ tính", " tệp", progress, leave=False)
    read[:] = [None] * len(chunks)
    lost = False

    def done(i: int, books: list[Workbook]) -> None:
        read[i] = books
        bar.update(len(books))

    try:
        if here:
            for i, chunk in enumerate(chunks):
                done(i, reader(chunk, year))
        else:
            with engine.client_or(client, jobs, scheduler, preload=preload) as c:
                mapped = engine.map_tasks(reader, chunks, args=(year,), client=c,
                                          on_result=done)
            for i in mapped.failures:  # a worker lost: read that chunk here
                done(i, reader(chunks[i], year))
            lost = bool(mapped.failures)
    finally:
        bar.close()
    return [book for books in read if books is not None for book in books], lost


def _file_hint(book: Workbook, unit: str, result: CollectResult) -> None:
    """A file named after another unit but keyed to this one is worth a second look."""
    stem = book.path.stem.lower()
    other = next((u for u in result.names if u != unit and stem == u), None)
    if other is not None:
        result.notes.append(f"{book.path.name}: tên tệp là mã “{other}” nhưng mã đơn vị trong"
                            f" sổ tính là “{unit}”; đã nhận cho “{unit}” theo mã trong sổ tính."
                            f" Kiểm tra lại nếu đơn vị gửi nhầm.")


def _store(book: Workbook, unit: str, force: bool, root: Path,
           year: Period) -> tuple[str, Path | None, list[Problem]]:
    """Write one unit's year: ``("written", its backup or None, [])``, ``("unchanged",
    None, [])`` or ``("failed", None, problems)``; what was there is never lost."""
    target = unit_dir(root, unit) / str(year)
    staged = book.staged if book.staged is not None and book.staged.is_dir() else None
    write, problem = year_from_workbook(target, book.files, root)
    if problem is not None:  # never copy a rules file tongket may not read
        return "failed", None, [problem]
    try:
        if target.exists() and _same(target, staged or write):  # nothing to replace or back up
            return "unchanged", None, []
        if target.exists() and not force:
            return "failed", None, [Problem(
                shown(target), None, None, None,
                f"đã có dữ liệu năm {year} của đơn vị này, khác với sổ tính; không ghi"
                f" đè. Chạy lại với --force để thay (bản cũ được sao lưu có ghi ngày giờ).")]
        backup = write_year_folder(target, write, force=force, filled=staged)
        book.staged = None  # it is the year now
    except OSError as exc:
        return "failed", None, [Problem(
            shown(target), None, None, None,
            f"không ghi được ({os_reason(exc)}); dữ liệu cũ giữ nguyên.")]
    except ParameterError as exc:  # not written (the folder appeared meanwhile, or no room)
        return "failed", None, [Problem(shown(target), None, None, None, str(exc))]
    return "written", backup, []


def _same(target: Path, write: Callable[[Path], None] | Path) -> bool:
    """Would writing (or the folder staged) give exactly the files the year already has?"""
    old = {p.name: p.read_bytes() for p in data_files(target) if p.parent == target}
    if isinstance(write, Path):
        return {p.name: p.read_bytes() for p in write.iterdir()} == old
    tmp = staging_folder(target.parent, f".{target.name}.cmp-")
    try:
        write(tmp)
        return {p.name: p.read_bytes() for p in tmp.iterdir()} == old
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _count(n: int, noun: str) -> str:
    return f"{format_number(n)} {noun}"


def summary_text(r: CollectResult) -> str:
    """The one Vietnamese summary a collect ends with."""
    lines = [f"Thu nhận báo cáo năm {r.year}: {_count(r.files, 'sổ tính')} trong {shown(r.folder)},"
             f" {_count(len(r.names), 'đơn vị')} trong {shown(r.root / REGISTER_FILE)}."]
    got = len(r.written) + len(r.unchanged)
    detail = []
    replaced = [b for _, _, b in r.written if b is not None]
    if r.unchanged:
        detail.append(f"{_count(len(r.unchanged), 'đơn vị')} không đổi so với dữ liệu đã có")
    if replaced:
        detail.append(f"{_count(len(replaced), 'đơn vị')} thay dữ liệu cũ (bản cũ được sao lưu"
                      f" cạnh thư mục năm, tên có “{BACKUP_MARK}”)")
    lines.append(f"Đã nhận: {_count(got, 'đơn vị')}" + (f" ({'; '.join(detail)})" if detail else "")
                 + (f", ghi vào {shown(r.root)}/<mã đơn vị>/{r.year}." if r.written else "."))
    if r.earlier:
        lines.append(f"Đã có số liệu năm {r.year} từ trước, không gửi lần này:"
                     f" {_count(len(r.earlier), 'đơn vị')}.")
    if r.failed:
        lines.append(f"Có lỗi, chưa ghi: {_count(len(r.failed), 'đơn vị')}")
        for unit, path, problems in sorted(r.failed, key=lambda f: f[0]):
            lines.append(f"  {unit} ({r.names[unit]}), tệp {path.name}:"
                         f" {_count(len(problems), 'lỗi')}")
            lines.extend(f"    - {p}" for p in problems)
    if r.missing:
        lines.append(f"Chưa gửi: {_count(len(r.missing), 'đơn vị')}")
        lines.extend(f"  {u} ({r.names[u]})" for u in r.missing[:MISSING_SHOWN])
        lines.extend(more_units(len(r.missing), MISSING_SHOWN))
    bad = len(r.unknown) + sum(len(v) for v in r.duplicated.values()) + len(r.keyless)
    if bad:
        lines.append(f"Sổ tính không xác định được đơn vị, chưa ghi: {_count(bad, 'tệp')}")
        for path, key, hint in r.unknown:
            lines.append(f"  {path.name}: mã đơn vị “{key}” không có trong {REGISTER_FILE}.{hint}"
                         f" Sửa mã trong trang “Thông tin chung” (dòng “unit”), hoặc thêm đơn"
                         f" vị vào {REGISTER_FILE}.")
        for unit, files in sorted(r.duplicated.items()):
            names = ", ".join(p.name for p in files)
            lines.append(f"  {names}: cùng mã đơn vị “{unit}” ({r.names[unit]}); không ghi tệp"
                         f" nào. Giữ lại đúng một tệp của đơn vị này (hoặc sửa mã của tệp gửi"
                         f" nhầm) rồi chạy lại.")
        for path, why in r.keyless:
            lines.append(f"  {path.name}: {why}")
    if r.notes:
        lines.append("Lưu ý:")
        lines.extend(f"  {n}" for n in r.notes)
    if r.ignored:
        lines.append(f"Bỏ qua {_count(r.ignored, 'tệp')} không phải sổ tính .xlsx hoặc là bản"
                     f" sao lưu (tên có “{BACKUP_MARK}”).")
    if r.subfolders:
        lines.append(f"Không đọc {_count(len(r.subfolders), 'thư mục con')} ({folder_names(r.subfolders)}):"
                     f" chỉ các tệp nằm ngay trong {shown(r.folder)} được nhận; chép sổ tính cần"
                     f" nhận ra ngoài thư mục con rồi chạy lại.")
    return "\n".join(lines)
