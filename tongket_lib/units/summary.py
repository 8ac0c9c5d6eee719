"""Rendering the upper level's consolidated report (``notebooks/tong_hop.ipynb``).

:func:`render_summary` builds (or reuses) the tidy tables of the chosen units through
the engine first, so the notebook only reads Parquet; then renders the notebook as a
:class:`~tongket_lib.render.spec.RenderJob` like every other report: the same
kernel, time bounds, export, one-set publishing into ``OUT/tong-hop-YEAR/`` and,
on failure, the earlier report kept with ``tong-hop-YEAR.failed.ipynb`` beside it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from tongket_lib import paths
from tongket_lib.dataset.layout import parse_year, shown
from tongket_lib.errors import ParameterError
from tongket_lib.period import Period
from tongket_lib.render.job import render
from tongket_lib.render.names import ANNEX, summary_name
from tongket_lib.render.params import check_parameters
from tongket_lib.render.spec import (
    DEFAULT_MAX_SECONDS,
    FORMATS,
    RenderJob,
    RenderResult,
    check_formats,
    check_seconds,
)

SUMMARY_NOTEBOOK = "tong_hop.ipynb"
DEFAULT_CELL_TIMEOUT = 600


@dataclass(frozen=True)
class SummaryResult:
    """A rendered consolidated report, and the tidy tables it was made from."""

    render: RenderResult
    year: Period
    units: int
    tidy_reused: bool

    @property
    def html(self) -> Path | None:
        return self.render.html

    @property
    def pdf(self) -> Path | None:
        return self.render.pdf

    @property
    def notebook(self) -> Path:
        return self.render.notebook

    @property
    def folder(self) -> Path:
        return self.render.folder

    @property
    def seconds(self) -> float:
        return self.render.seconds

    @property
    def skipped(self) -> bool:
        """Nothing changed since the last good render: the report was left as it is."""
        return self.render.skipped


def render_summary(year: int | str | Period, units: str | list[str] | None = "all",
                   data: str | os.PathLike | None = None, out: str | os.PathLike | None = None,
                   formats: tuple[str, ...] = FORMATS, *,
                   cell_timeout: int = DEFAULT_CELL_TIMEOUT,
                   max_seconds: int = DEFAULT_MAX_SECONDS,
                   notebook: str | os.PathLike | None = None, workers: int | None = None,
                   scheduler: str | None = None, progress: bool | None = None,
                   force: bool = False) -> SummaryResult:
    """Render the consolidated report of ``year`` over ``units``; see the module docstring.

    A report whose last good render had the same tidy tables, notebook, parameters and
    formats is left as it is (``SummaryResult.skipped``) unless ``force``.
    """
    from tongket_lib.units import consolidate
    from tongket_lib.units.register import is_multi_unit, select_units

    year = parse_year(year)
    formats = check_formats(formats)
    if unsent := [f for f in formats if f in ("docx", ANNEX)]:
        raise ParameterError(f"Báo cáo tổng hợp không phải văn bản gửi đi nên không có"
                             f" {' và '.join(unsent)}; chọn html, pdf hoặc html,pdf.")
    nb_path = Path(notebook) if notebook else paths.notebooks_dir() / SUMMARY_NOTEBOOK
    data_dir = paths.data_dir(data).resolve()
    units_text = units if isinstance(units, str) or units is None else ",".join(units)
    chosen = units_text or "all"
    if is_multi_unit(data_dir):  # the units that report by this kind of period, all their years
        kind = select_units(data_dir, units_text, year)
        if kind != select_units(data_dir, units_text):
            chosen = ",".join(kind)
    params = check_parameters(nb_path, {"year": year.id, "units": chosen,
                                        "data_dir": str(data_dir)})
    tidy = consolidate.build(data_dir, chosen, workers=workers, scheduler=scheduler,
                             progress=progress, frames=("coverage",))
    if year not in tidy.years:
        have = ", ".join(map(str, tidy.years)) or "chưa có năm nào"
        raise ParameterError(f"Không đơn vị nào có thư mục {year.label} trong {shown(data_dir)}."
                             f" Các năm có số liệu: {have}.")
    stem = summary_name(year)
    # the scope's manifest.json carries the fingerprint of every year's tables: hashing it
    # stands for hashing the Parquet files themselves (hundreds of MB at 10.000 units)
    inputs = tuple(sorted(p for p in tidy.folder.iterdir() if p.is_file()))
    job = RenderJob(
        "summary", stem, stem, f"báo cáo tổng hợp {year.label}", nb_path, params, inputs,
        paths.reports_dir(out).resolve(), formats,
        check_seconds(cell_timeout, "Thời gian chờ mỗi ô"),
        check_seconds(max_seconds, "Thời gian dựng tối đa"), year,
        {"kind": "summary", "year": year.id, "units": tidy.units,
         "title": f"Báo cáo tổng hợp {year.label}", "organisation": tidy.organisation})
    return SummaryResult(render(job, skip_unchanged=not force), year, tidy.units, tidy.reused)
