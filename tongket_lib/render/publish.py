"""Putting a render's files in place as one set, and keeping what a failure leaves.

A render writes everything (notebook, HTML, PDF, Word file, stamp) into a staging
folder beside ``OUT/NAME``; publishing puts the staging folder in place of ``OUT/NAME``
in one step where the system can (:func:`~tongket_lib.dataset.store.replace_atomically`:
an exchange on Linux; elsewhere two renames, between which the folder is briefly absent,
never mixed). A reader sees the old set or the new set, never files of two renders, and
a format not asked for this time does not survive from an earlier render. Files a person
put in the folder themselves are carried over.

One render of a name runs at a time: a lock file beside the folder (not inside it,
since the folder is swapped). Staging folders of a render that was killed are removed
by the next render of that name, under the lock.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from collections.abc import Iterator
from functools import partial
from pathlib import Path

from tongket_lib import system
from tongket_lib.dataset import store
from tongket_lib.dataset.layout import shown
from tongket_lib.errors import ParameterError, os_reason
from tongket_lib.render import names


@contextlib.contextmanager
def locked(folder: Path) -> Iterator[None]:
    """Hold the render lock of ``folder`` (waits for another render of the same name)."""
    from filelock import FileLock

    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        path = names.render_lock(folder)
        # made here first: filelock takes a lock file it cannot create (a folder of /proc)
        # for one another process holds, and would wait for it for good
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o644))
        lock = FileLock(str(path))
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
    stale += store.leftovers(folder)
    if folder.is_dir():  # the layout of tongket 0.1: staging inside the folder
        stale += list(folder.glob(f"{names.STAGING}*"))
    for path in stale:
        shutil.rmtree(path, ignore_errors=True)


def staging_folder(folder: Path) -> Path:
    """A new empty folder beside ``folder`` to render into."""
    try:
        return store.staging_folder(folder.parent, names.staging_prefix(folder))
    except OSError as exc:
        raise output_error(folder.parent, exc) from None


def publish(staging: Path, folder: Path, outputs: set[str]) -> None:
    """Put ``staging`` in place of ``folder``. ``outputs`` are the file names a render
    makes (any format); other files of the old folder are carried over."""
    if folder.is_dir():
        for path in folder.iterdir():
            if path.name not in outputs and not names.own_hidden(path.name) \
                    and not (staging / path.name).exists():
                system.link_or_copy(path, staging / path.name)
    if folder.exists() and not folder.is_dir():
        raise ParameterError(f"{shown(folder)} là một tệp, không phải thư mục; tongket cần ghi"
                             f" báo cáo vào thư mục đó. Đổi tên tệp hoặc chọn --out khác.")
    store.replace_atomically(folder, None, folder=True, keep_backup=False, filled=staging)


def keep_failed(staged: Path, failed: Path) -> Path | None:
    """Keep a failed run's notebook as ``failed`` beside the earlier report, if it is
    whole (valid JSON); return its path, or ``None`` when it was not kept (a disk that
    filled up can leave it cut short)."""
    try:
        json.loads(staged.read_text(encoding="utf-8"))
        store.replace_atomically(failed, partial(os.replace, staged), keep_backup=False)
    except (OSError, ValueError):
        return None
    return failed
