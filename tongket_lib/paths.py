"""Where things are: the one place that knows the project's folders.

Notebooks and the command line ask here; no path is hard-coded anywhere else.
``TONGKET_DATA``, ``TONGKET_REPORTS`` and ``TONGKET_NOTEBOOKS`` in the environment
override the defaults.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def project_root() -> Path:
    """The checkout the package lives in (editable install), else the current folder."""
    candidate = PACKAGE_DIR.parent
    if (candidate / "pyproject.toml").is_file() and (candidate / "notebooks").is_dir():
        return candidate
    return Path.cwd()


def data_dir(path: str | os.PathLike | None = None) -> Path:
    """The data folder: ``path`` if given, else ``$TONGKET_DATA``, else ``data/``."""
    if path not in (None, ""):
        return Path(path).expanduser()
    env = os.environ.get("TONGKET_DATA")
    return Path(env).expanduser() if env else project_root() / "data"


def reports_dir(path: str | os.PathLike | None = None) -> Path:
    """The output folder: ``path`` if given, else ``$TONGKET_REPORTS``, else ``reports/``."""
    if path not in (None, ""):
        return Path(path).expanduser()
    env = os.environ.get("TONGKET_REPORTS")
    return Path(env).expanduser() if env else project_root() / "reports"


def notebooks_dir() -> Path:
    """The folder of the report notebooks (``$TONGKET_NOTEBOOKS`` if set)."""
    env = os.environ.get("TONGKET_NOTEBOOKS")
    return Path(env).expanduser() if env else project_root() / "notebooks"


def cache_dir(path: str | os.PathLike | None = None) -> Path:
    """Where tongket keeps what it can rebuild (the stored tidy tables): ``path`` if
    given, else ``$TONGKET_CACHE``, else ``.tongket-cache/`` of the project. Never
    inside a data folder: code does not write into raw data."""
    if path not in (None, ""):
        return Path(path).expanduser()
    env = os.environ.get("TONGKET_CACHE")
    return Path(env).expanduser() if env else project_root() / ".tongket-cache"


def templates_dir() -> Path:
    """The nbconvert templates shipped with the package."""
    return PACKAGE_DIR / "render" / "templates"
