"""A year loaded once, shared with the notebook's kernel.

A render validates the year in its own process (so bad data stops it with the full
list of problems, before any cell runs) while the kernel boots. Rather than parsing
and validating the same files again, the kernel finds the loaded year in a private
folder the render names in ``$TONGKET_SHARED_DATA``. It is used only when it is the
same folder with the same bytes (the data checksum); otherwise the year is loaded
from its files as usual.
"""

from __future__ import annotations

import os
import pickle
from pathlib import Path
from typing import Any

ENV = "TONGKET_SHARED_DATA"


def share(year_data: Any, folder: Path) -> None:
    """Put a loaded year into ``folder`` (the render's private staging area)."""
    with open(folder / f"{year_data.year}.pickle", "wb") as handle:
        pickle.dump(year_data, handle, protocol=pickle.HIGHEST_PROTOCOL)


def shared(year: object, folder: Path, checksum: str) -> Any | None:
    """The year the render shared, if it is this folder with this checksum, else ``None``."""
    place = os.environ.get(ENV)
    if not place:
        return None
    path = Path(place) / f"{year}.pickle"
    try:
        with open(path, "rb") as handle:
            year_data = pickle.load(handle)  # written by this user's own render, mode 0700
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return None
    same = (getattr(year_data, "folder", None) == folder
            and getattr(year_data, "checksum", None) == checksum)
    return year_data if same else None
