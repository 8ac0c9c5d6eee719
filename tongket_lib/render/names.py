"""The names of what a render writes into an output folder, and of its locks: the one
place that spells them (``OUT/2024/bao-cao-2024.html``, ``OUT/xu-huong/``,
``OUT/tong-hop-2024/``, ``OUT/index.html``, ``OUT/don-vi.html``, …).

A report has a folder under ``OUT`` and a *stem*, the name of its files:
``bao-cao-2024`` in ``2024/``, ``xu-huong`` in ``xu-huong/``, ``tong-hop-2024`` in
``tong-hop-2024/``.
"""

from __future__ import annotations

from pathlib import Path

#: the folder and the stem of the trends report
TRENDS = "xu-huong"
#: the format of a report's annex printed on its own, and the end of its file's name:
#: ``bao-cao-2024-phu-luc.pdf``
ANNEX = "phu-luc"
#: written beside a good render's files: what went in, and what the report said
STAMP = ".tongket-render.json"
#: the page of an output folder listing its years and trends report
INDEX = "index.html"
#: the page of a multi-unit output folder listing its units (not index.html, which the
#: organisation's own reports may hold in the same folder)
UNITS_PAGE = "don-vi.html"
#: beside the pages above while one is written: one writer at a time
INDEX_LOCK = ".tongket-index.lock"
#: beside ``index.html``: the failures and notes of the batch that wrote it, so that a
#: later render of one report can write the page again with its own files
INDEX_STATE = ".tongket-index.json"
#: a render's staging folder beside its report folder: ``.2024.dang-dung-XXXX``
STAGING = ".dang-dung-"
#: the old set an earlier version of tongket renamed aside while publishing
OLD_STAGING = ".cu-"


def report_name(year: object) -> str:
    """The stem of a period's report (in the folder ``2024``): ``bao-cao-2024``,
    ``bao-cao-2024-2025``."""
    return f"bao-cao-{year}"


def output_name(stem: str, kind: str) -> str:
    """The file a format of a report is written to: ``bao-cao-2024.pdf`` for ``pdf``,
    ``bao-cao-2024-phu-luc.pdf`` for the annex (:data:`ANNEX`)."""
    return f"{stem}-{ANNEX}.pdf" if kind == ANNEX else f"{stem}.{kind}"


def checks_name(stem: str) -> str:
    """The preparer's page of a report's checks and build details, beside the report:
    ``kiem-tra-2024.html`` beside ``bao-cao-2024.html``."""
    rest = stem.removeprefix("bao-cao-") if stem.startswith("bao-cao-") else stem
    return f"kiem-tra-{rest}.html"


def summary_name(year: object) -> str:
    """Stem and folder name of a year's consolidated report: ``tong-hop-2024``."""
    return f"tong-hop-{year}"


def failed_notebook(stem: str) -> str:
    """The name a failed render's notebook is kept under: ``bao-cao-2024.failed.ipynb``."""
    return f"{stem}.failed.ipynb"


def own_hidden(name: str) -> bool:
    """Whether ``name`` is one of tongket's own hidden files (the stamp, a lock), which
    a render never carries over from an earlier one."""
    return name.startswith(".tongket")


def render_lock(folder: Path) -> Path:
    """The lock of a report folder's renders, beside it (the folder itself is swapped):
    ``OUT/.2024.tongket.lock``."""
    return folder.with_name(f".{folder.name}.tongket.lock")


def staging_prefix(folder: Path) -> str:
    """The name a render's staging folder for ``folder`` starts with, beside it."""
    return f".{folder.name}{STAGING}"
