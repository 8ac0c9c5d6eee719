"""Rendering the upper level's consolidated report (``notebooks/tong_hop.ipynb``).

:func:`render_summary` builds (or reuses) the tidy tables of the chosen units through
the engine first, so the notebook only reads Parquet; then runs the notebook with
papermill into a staging folder, exports HTML and PDF with the same template as the
year reports, and only then moves ``tong-hop-YEAR.ipynb``, ``.html``, ``.pdf`` into
``OUT/tong-hop-YEAR/``. On failure the earlier report stays and the failed notebook
is kept as ``tong-hop-YEAR.failed.ipynb``.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tongket_lib import paths
from tongket_lib.dataset.layout import parse_year, shown
from tongket_lib.errors import ParameterError, RenderError

SUMMARY_NOTEBOOK = "tong_hop.ipynb"
DEFAULT_CELL_TIMEOUT = 600


@dataclass(frozen=True)
class SummaryResult:
    year: int
    folder: Path
    notebook: Path
    html: Path | None
    pdf: Path | None
    seconds: float
    units: int
    tidy_reused: bool


def summary_name(year: int) -> str:
    """File stem and folder name of a year's consolidated report: ``tong-hop-2024``."""
    return f"tong-hop-{year}"


def render_summary(year: int | str, units: str | list[str] | None = "all",
                   data: str | os.PathLike | None = None, out: str | os.PathLike | None = None,
                   formats: tuple[str, ...] = ("html", "pdf"), *,
                   cell_timeout: int = DEFAULT_CELL_TIMEOUT,
                   notebook: str | os.PathLike | None = None, workers: int | None = None,
                   scheduler: str | None = None, progress: bool = False) -> SummaryResult:
    """Render the consolidated report of ``year`` over ``units``; see the module docstring."""
    from tongket_lib.evaluation import consolidate
    from tongket_lib.report.render import check_formats, check_parameters

    start = time.perf_counter()
    year = parse_year(year)
    formats = check_formats(formats)
    nb_path = Path(notebook) if notebook else paths.notebooks_dir() / SUMMARY_NOTEBOOK
    data_dir = paths.data_dir(data).resolve()
    units_text = units if isinstance(units, str) or units is None else ",".join(units)
    params = check_parameters(nb_path, {"year": year, "units": units_text or "all",
                                        "data_dir": str(data_dir)})
    tidy = consolidate.build(data_dir, units_text, workers=workers, scheduler=scheduler,
                             progress=progress, frames=("coverage",))
    if year not in tidy.years:
        have = ", ".join(map(str, tidy.years)) or "chưa có năm nào"
        raise ParameterError(f"Không đơn vị nào có thư mục năm {year} trong {shown(data_dir)}."
                             f" Các năm có số liệu: {have}.")
    stem = summary_name(year)
    folder = paths.reports_dir(out) / stem
    folder.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".dang-dung-", dir=folder))
    try:
        staged = _execute(nb_path, params, staging, folder, stem, cell_timeout)
        title = " – ".join(t for t in (f"Báo cáo tổng hợp năm {year}", tidy.organisation) if t)
        _export(staged, staging, stem, formats, title)
        for kind, path in staged.items():
            os.replace(path, folder / f"{stem}.{kind}")
        failed = folder / f"{stem}.failed.ipynb"
        if failed.exists():
            failed.unlink()
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return SummaryResult(year, folder, folder / f"{stem}.ipynb",
                         folder / f"{stem}.html" if "html" in formats else None,
                         folder / f"{stem}.pdf" if "pdf" in formats else None,
                         time.perf_counter() - start, tidy.units, tidy.reused)


def _execute(nb_path: Path, params: dict[str, Any], staging: Path, folder: Path, stem: str,
             cell_timeout: int) -> dict[str, Path]:
    import papermill
    from papermill.exceptions import PapermillExecutionError

    staged = {"ipynb": staging / f"{stem}.ipynb"}
    try:
        papermill.execute_notebook(
            str(nb_path), str(staged["ipynb"]), parameters=params, progress_bar=False,
            request_save_on_cell_execute=False, cwd=str(paths.project_root()),
            execution_timeout=cell_timeout, log_output=False)
    except PapermillExecutionError as exc:
        kept = folder / f"{stem}.failed.ipynb"
        os.replace(staged["ipynb"], kept)
        raise RenderError(
            f"Dựng báo cáo tổng hợp thất bại ở ô thứ {exc.cell_index + 1} của {nb_path.name}:"
            f" {exc.ename}: {exc.evalue}. Notebook lỗi, có đánh dấu ô lỗi, được giữ ở"
            f" {shown(kept)}. Báo cáo cũ (nếu có) vẫn giữ nguyên.", str(kept),
            exc.cell_index) from None
    except Exception as exc:  # kernel died, timed out, could not start
        raise RenderError(f"Dựng báo cáo tổng hợp thất bại: {type(exc).__name__}: {exc}."
                          " Báo cáo cũ (nếu có) vẫn giữ nguyên.") from None
    return staged


def _export(staged: dict[str, Path], staging: Path, stem: str, formats: tuple[str, ...],
            title: str) -> None:
    import nbformat

    from tongket_lib.report import export

    nb = nbformat.read(str(staged["ipynb"]), as_version=4)
    html = export.notebook_to_html(nb, title)
    if "html" in formats:
        staged["html"] = staging / f"{stem}.html"
        staged["html"].write_text(html, encoding="utf-8")
    if "pdf" in formats:
        staged["pdf"] = staging / f"{stem}.pdf"
        export.html_to_pdf(html, staged["pdf"])
