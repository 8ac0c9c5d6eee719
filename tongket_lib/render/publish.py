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


#: the stamp's record of the Word file a render wrote (its SHA-256)
DOCX_DIGEST = "docx_sha256"


def file_digest(path: Path) -> str:
    """The SHA-256 of a file's bytes, in hex."""
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def keep_edited(folder: Path, staging: Path, stem: str) -> str | None:
    """Keep the Word file of ``folder``'s last render when someone edited it since (the
    chair fills in the blanks in Word): its bytes are not those the stamp recorded, or,
    for a stamp of an earlier tongket that recorded none, it changed after the stamp was
    written. It is linked into ``staging`` as ``STEM.da-sua-YYYYMMDD-HHMMSS.docx`` (the
    time of the edit), so the new set keeps it beside the new ``STEM.docx``; return that
    name, or ``None`` when there was nothing to keep. The old folder is not touched."""
    import datetime as dt

    from tongket_lib.render.cache import read_stamp

    old = folder / names.output_name(stem, "docx")
    try:
        if not old.is_file():
            return None
        recorded = read_stamp(folder).get(DOCX_DIGEST)
        if recorded:
            edited = file_digest(old) != recorded
        else:
            stamp = folder / names.STAMP
            edited = stamp.is_file() and old.stat().st_mtime > stamp.stat().st_mtime + 2
        if not edited:
            return None
        when = dt.datetime.fromtimestamp(old.stat().st_mtime).strftime("%Y%m%d-%H%M%S")
        kept = f"{stem}.da-sua-{when}.docx"
        if not (folder / kept).exists():  # kept at an earlier render already: carried over
            system.link_or_copy(old, staging / kept)
        return kept
    except OSError:
        return None  # unreadable: left as the folder's other files are


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
