"""What several commands share: option types and the options themselves, defined once."""

from __future__ import annotations

import argparse


def positive_int(text: str) -> int:
    """An option's whole number from 1 up (``-j``, ``--timeout``), or a usage error."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}” không phải số nguyên; ví dụ: 2") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} không hợp lệ: phải từ 1 trở lên")
    return value


def jobs_option(p: argparse.ArgumentParser, what: str) -> None:
    """``-j N``: how many worker processes (the engine's meaning: one per core if not given)."""
    p.add_argument("-j", "--jobs", type=positive_int, default=None, metavar="N",
                   help=f"số tiến trình {what} (mặc định: số lõi CPU)")
