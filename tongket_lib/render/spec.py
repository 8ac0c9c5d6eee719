"""What a render is asked to make, decided and checked before anything starts.

A :class:`RenderJob` names everything a render needs: which notebook with which
parameters, the data files the report is made from, where it goes and in which formats,
its time bounds. :func:`year_job` and :func:`trends_job` make the job of a year's report
and of the trends report, raising a :class:`~tongket_lib.errors.TongketError` before
anything starts when the job cannot run; :func:`~tongket_lib.render.job.render` runs any
job the same way and returns a :class:`RenderResult`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tongket_lib import paths
from tongket_lib.dataset.layout import data_files, missing_year, parse_year, parse_years, shown
from tongket_lib.errors import DataError, ParameterError, Problem
from tongket_lib.period import Period
from tongket_lib.render import cache, names
from tongket_lib.render.params import check_parameters, refuse_owned

REPORT_NOTEBOOK = "bao_cao_nam.ipynb"
TRENDS_NOTEBOOK = "xu_huong.ipynb"
#: every output format: the shared HTML page (and the preparer's checks page beside it),
#: the document as a PDF to sign, the document as a Word file, and the annex as a PDF of
#: its own (:data:`~tongket_lib.render.names.ANNEX`)
ALL_FORMATS = ("html", "pdf", "docx", names.ANNEX)
#: the default of a year's report: the annex PDF only when asked for
FORMATS = ("html", "pdf", "docx")
#: a Word file in the year's folder used as the .docx template (letterhead, styles)
TEMPLATE_NAME = "mau-bao-cao.docx"
#: seconds a single notebook cell may run before the render is stopped
DEFAULT_CELL_TIMEOUT = 300
#: seconds a whole render (notebook and export) may take
DEFAULT_MAX_SECONDS = 1800
#: the parameters a command sets itself; -p cannot change them
OWNED = {"year": "đổi năm bằng NĂM của lệnh (tongket report NĂM)",
         "years": "chọn các năm bằng --years",
         "data_dir": "đổi thư mục dữ liệu bằng --data"}


@dataclass(frozen=True)
class RenderJob:
    """One report to render: everything :func:`~tongket_lib.render.job.render` needs,
    decided up front."""

    kind: str                      # "year" or "trends"
    name: str                      # the folder under OUT: "2024", "xu-huong"
    stem: str                      # the files' name: "bao-cao-2024", "xu-huong"
    label: str                     # for messages: "báo cáo năm 2024"
    notebook: Path
    parameters: dict[str, Any]
    inputs: tuple[Path, ...]       # the data files the report is made from
    out: Path                      # OUT
    formats: tuple[str, ...] = FORMATS
    cell_timeout: int = DEFAULT_CELL_TIMEOUT
    max_seconds: int = DEFAULT_MAX_SECONDS
    year: Period | int | str | None = None
    stamp: dict[str, Any] = field(default_factory=dict)  # known before the run
    template: Path | None = None   # the user's Word file for the .docx

    @property
    def folder(self) -> Path:
        return self.out / self.name

    def outputs(self) -> set[str]:
        """The names of every file a render of this job can make, in any format."""
        return {names.output_name(self.stem, kind) for kind in ("ipynb", *ALL_FORMATS)} | {
            names.failed_notebook(self.stem), names.checks_name(self.stem), names.STAMP}

    def fingerprint(self) -> str:
        template = [self.template] if self.template and "docx" in self.formats else []
        return cache.fingerprint([*self.inputs, *template], self.notebook,
                                 {"formats": list(self.formats), "parameters": self.parameters})

    def is_current(self) -> bool:
        return cache.is_current(self.folder, self.stem, self.fingerprint(), self.formats)


@dataclass(frozen=True)
class RenderResult:
    """Where a render put its files, how long it took, and what the report found."""

    year: Period | int | str | None  # None for the trends report
    folder: Path
    notebook: Path
    html: Path | None
    pdf: Path | None
    seconds: float
    skipped: bool = False
    docx: Path | None = None
    findings: dict[str, int] = field(default_factory=dict)  # severity → count
    stages: tuple[tuple[str, float], ...] = ()  # (stage, seconds): where the time went
    annex: Path | None = None      # the annex printed on its own (format phu-luc)
    checks: Path | None = None     # the preparer's page: checks and build details
    warnings: tuple[str, ...] = ()  # said to the user, the report made all the same

    @property
    def errors(self) -> int:
        """Error-level findings in the data the report was made from."""
        return int(self.findings.get("error", 0))


def check_formats(formats: Any) -> tuple[str, ...]:
    """The chosen output formats, checked and without repeats (``ParameterError`` if unknown)."""
    chosen = tuple(dict.fromkeys(f.strip().lower() for f in formats if f.strip()))
    unknown = [f for f in chosen if f not in ALL_FORMATS]
    if unknown or not chosen:
        raise ParameterError(f"Định dạng không hợp lệ: {', '.join(unknown) or '(trống)'}."
                             f" Chọn trong: {', '.join(ALL_FORMATS)} (ví dụ --format html,pdf).")
    return chosen


#: the longest a render or a cell may be given (a week): the system's timer takes no more
#: than about 292 years, and no report needs a week
MAX_SECONDS = 7 * 24 * 3600


def check_seconds(value: int, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ParameterError(f"{what} phải là số giây lớn hơn 0 (nhận {value!r}).")
    if value > MAX_SECONDS:
        raise ParameterError(f"{what} {value} giây quá lớn: tối đa {MAX_SECONDS} giây (7 ngày)."
                             " Ghi số giây nhỏ hơn, hoặc bỏ tùy chọn này để dùng mặc định.")
    return value


# -- the jobs ---------------------------------------------------------------------------------

def year_job(year: int | str | Period, data: str | os.PathLike | None = None,
             out: str | os.PathLike | None = None, formats: Any = FORMATS,
             parameters: dict[str, Any] | None = None,
             cell_timeout: int = DEFAULT_CELL_TIMEOUT, max_seconds: int = DEFAULT_MAX_SECONDS,
             notebook: str | os.PathLike | None = None,
             template: str | os.PathLike | None = None) -> RenderJob:
    """The job of one year's report; raises before anything starts if it cannot run.

    ``template``: a Word file for the .docx (letterhead, styles); without it,
    ``data/YEAR/mau-bao-cao.docx`` when that file exists.
    """
    year = parse_year(year)
    formats = check_formats(formats)
    notebook_path = Path(notebook) if notebook else paths.notebooks_dir() / REPORT_NOTEBOOK
    data_dir = paths.data_dir(data).resolve()
    refuse_owned(parameters or {}, OWNED)
    params = check_parameters(notebook_path, {**(parameters or {}), "year": year.id,
                                              "data_dir": str(data_dir)})
    if not (data_dir / str(year)).is_dir():
        raise DataError([missing_year(year, data_dir)],
                        heading=f"Không tìm thấy dữ liệu {year.label}.")
    return RenderJob("year", str(year), names.report_name(year), f"báo cáo {year.label}",
                     notebook_path, params, tuple(data_files(data_dir / str(year))),
                     paths.reports_dir(out).resolve(), formats,
                     check_seconds(cell_timeout, "Thời gian chờ mỗi ô"),
                     check_seconds(max_seconds, "Thời gian dựng tối đa"), year,
                     {"kind": "year", "year": year.id},
                     _template(template, year_template(data_dir, year), formats))


def _template(template: str | os.PathLike | None, found: Path,
              formats: tuple[str, ...]) -> Path | None:
    """The Word template: the one given, else the year folder's own (``found``) when it
    exists; one that is no Word document is said before anything starts (when a .docx is
    to be written)."""
    if template is None:
        path = found if found.is_file() else None
    else:
        path = Path(template)
        if not path.is_file() or path.suffix.lower() != ".docx":
            raise ParameterError(f"Không tìm thấy tệp mẫu Word “{path}” (cần một tệp .docx)."
                                 f" Sửa đường dẫn --template, hoặc đặt tệp {TEMPLATE_NAME} vào"
                                 f" thư mục dữ liệu của năm.")
    problem = unusable_template(path, formats) if path is not None else None
    if problem is not None:
        raise ParameterError(problem)
    return path


def unusable_template(path: Path, formats: tuple[str, ...]) -> str | None:
    """Why the Word template at ``path`` cannot be used, as the message to show; ``None``
    when it can, or when no .docx is written (``formats``)."""
    if "docx" not in formats:
        return None
    from tongket_lib.document.template import template_message, template_problem

    found = template_problem(path)
    return None if found is None else template_message(shown(path), found)


def year_template(data_dir: Path, year: Period | int | str) -> Path:
    """Where a year's own Word template is looked for: ``DATA/YEAR/mau-bao-cao.docx``."""
    return data_dir / str(year) / TEMPLATE_NAME


def trends_job(years: str | list | None = None, data: str | os.PathLike | None = None,
               out: str | os.PathLike | None = None, formats: Any = FORMATS,
               cell_timeout: int = DEFAULT_CELL_TIMEOUT, max_seconds: int = DEFAULT_MAX_SECONDS,
               notebook: str | os.PathLike | None = None) -> RenderJob:
    """The job of the trends report over ``years`` (HTML, PDF: it is not a văn bản, so
    no .docx and no annex)."""
    formats = tuple(f for f in check_formats(formats) if f not in ("docx", names.ANNEX)) \
        or ("html",)
    notebook_path = Path(notebook) if notebook else paths.notebooks_dir() / TRENDS_NOTEBOOK
    data_dir = paths.data_dir(data).resolve()
    chosen = parse_years(years, data_dir)
    params = check_parameters(notebook_path, {"years": ",".join(map(str, chosen)),
                                              "data_dir": str(data_dir)})
    missing = [y for y in chosen if not (data_dir / str(y)).is_dir()]
    if missing:
        raise DataError(_missing_years(missing, data_dir), heading="Thiếu dữ liệu của một số năm.")
    inputs = tuple(f for y in chosen for f in data_files(data_dir / str(y)))
    return RenderJob("trends", names.TRENDS, names.TRENDS, "báo cáo xu hướng", notebook_path,
                     params, inputs, paths.reports_dir(out).resolve(), formats,
                     check_seconds(cell_timeout, "Thời gian chờ mỗi ô"),
                     check_seconds(max_seconds, "Thời gian dựng tối đa"), None,
                     {"kind": "trends", "years": [p.id for p in chosen]})


def _missing_years(missing: list[Period], data_dir: Path, shown_at_most: int = 5) -> list:
    """One problem a missing year, the first few; the rest summed up in one line."""
    problems = [missing_year(y, data_dir) for y in missing[:shown_at_most]]
    if len(missing) > shown_at_most:
        rest = missing[shown_at_most:]
        problems.append(Problem(shown(data_dir), None, None, None,
                                f"và {len(rest)} năm khác không có thư mục dữ liệu"
                                f" ({rest[0]}–{rest[-1]})."))
    return problems

