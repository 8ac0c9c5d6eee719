"""Putting a render's files in place as one set, and keeping what a failure leaves.

A render writes everything (notebook, HTML, PDF, Word file, stamp) into a staging
folder beside ``OUT/NAME``; publishing swaps the staging folder with ``OUT/NAME`` in
one step (Linux ``renameat2(RENAME_EXCHANGE)``; elsewhere two renames, between which
the folder is briefly absent, never mixed). A reader sees the old set or the new set,
never files of two renders, and a format not asked for this time does not survive from
an earlier render. Files a person put in the folder themselves are carried over.

One render of a name runs at a time: a lock file beside the folder (not inside it,
since the folder is swapped). Staging folders of a render that was killed are removed
by the next render of that name, under the lock.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from tongket_lib.dataset.layout import shown
from tongket_lib.errors import ParameterError, os_reason
from tongket_lib.render import names


@contextlib.contextmanager
def locked(folder: Path) -> Iterator[None]:
    """Hold the render lock of ``folder`` (waits for another render of the same name)."""
    from filelock import FileLock

    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        lock = FileLock(str(names.render_lock(folder)))
        lock.acquire()
    except OSError as exc:
        raise output_error(folder.parent, exc) from None
    try:
        yield
    finally:
        lock.release()


def output_error(folder: Path, exc: OSError) -> ParameterError:
    """The message for an output folder tongket cannot write to."""
    return ParameterError(
        f"Không ghi được vào thư mục báo cáo {shown(folder)} ({os_reason(exc)}). Chọn một"
        f" thư mục ghi được bằng --out, hoặc sửa quyền của thư mục này.")


def clean_leftovers(folder: Path) -> None:
    """Remove staging and old folders a killed render of ``folder`` left behind (call
    under the lock: no other render of this name is running)."""
    patterns = [f"{names.staging_prefix(folder)}*", f".{folder.name}{names.OLD_STAGING}*"]
    stale = [p for pattern in patterns for p in folder.parent.glob(pattern)]
    if folder.is_dir():  # the layout of tongket 0.1: staging inside the folder
        stale += list(folder.glob(f"{names.STAGING}*"))
    for path in stale:
        shutil.rmtree(path, ignore_errors=True)


def staging_folder(folder: Path) -> Path:
    """A new empty folder beside ``folder`` to render into."""
    try:
        return Path(tempfile.mkdtemp(prefix=names.staging_prefix(folder), dir=folder.parent))
    except OSError as exc:
        raise output_error(folder.parent, exc) from None


def publish(staging: Path, folder: Path, outputs: set[str]) -> None:
    """Swap ``staging`` in as ``folder``. ``outputs`` are the file names a render
    makes (any format); other files of the old folder are carried over."""
    if folder.is_dir():
        for path in folder.iterdir():
            if path.name not in outputs and not names.own_hidden(path.name) \
                    and not (staging / path.name).exists():
                _carry(path, staging / path.name)
    from tongket_lib.dataset.store import umask

    os.chmod(staging, 0o777 & ~umask())  # mkdtemp makes it private; it becomes a normal folder
    if folder.exists() and not folder.is_dir():
        raise ParameterError(f"{shown(folder)} là một tệp, không phải thư mục; tongket cần ghi"
                             f" báo cáo vào thư mục đó. Đổi tên tệp hoặc chọn --out khác.")
    if not folder.exists():
        os.rename(staging, folder)
        return
    if not _exchange(staging, folder):
        old = Path(tempfile.mkdtemp(prefix=f".{folder.name}{names.OLD_STAGING}", dir=folder.parent))
        os.rename(folder, old / "x")
        try:
            os.rename(staging, folder)
        except OSError:
            os.rename(old / "x", folder)
            raise
        staging = old
    shutil.rmtree(staging, ignore_errors=True)  # now the old set


def _carry(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:
        if source.is_dir():
            shutil.copytree(source, target, symlinks=True)
        else:
            shutil.copy2(source, target, follow_symlinks=False)


def _exchange(a: Path, b: Path) -> bool:
    """Atomically exchange two paths (Linux 3.15+); False where not supported."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    return renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0


def keep_failed(staged: Path, failed: Path) -> Path | None:
    """Keep a failed run's notebook as ``failed`` beside the earlier report, if it is
    whole (valid JSON); return its path, or ``None`` when it was not kept (a disk that
    filled up can leave it cut short)."""
    try:
        json.loads(staged.read_text(encoding="utf-8"))
        failed.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staged, failed)
    except (OSError, ValueError):
        return None
    return failed
