"""Rendering a year's report: parameters, papermill, HTML and PDF, written atomically.

:func:`render_report` checks the parameters and the year's data before any kernel
starts, executes the notebook with papermill into a staging folder, exports the
executed notebook to one offline HTML file and that HTML to PDF, and only then moves
the three files into ``OUT/YEAR/`` (``bao-cao-YEAR.ipynb``, ``.html``, ``.pdf``). If
anything fails, the earlier good report stays as it was and the failed notebook is
kept beside it as ``bao-cao-YEAR.failed.ipynb``, with the failing cell marked.

One render of a folder runs at a time (a lock file); two renders of the same year,
even from two batches, wait for each other instead of mixing their files.
"""

from __future__ import annotations

import ast
import contextlib
import datetime as dt
import hashlib
import json
import os
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tongket_lib import paths
from tongket_lib._version import __version__
from tongket_lib.dataset.layout import data_files, missing_year, parse_year, shown
from tongket_lib.dataset.store import write_text_atomically
from tongket_lib.errors import DataError, ParameterError, RenderError

REPORT_NOTEBOOK = "bao_cao_nam.ipynb"
FORMATS = ("html", "pdf")
#: seconds a single notebook cell may run before the render is stopped
DEFAULT_CELL_TIMEOUT = 300
#: written after a good render: what went in, so a batch can skip unchanged years
STAMP = ".tongket-render.json"
LOCK = ".tongket.lock"


@dataclass(frozen=True)
class RenderResult:
    """Where a render put its files, and how long it took."""

    year: int | None  # None for the trends report
    folder: Path
    notebook: Path
    html: Path | None
    pdf: Path | None
    seconds: float
    skipped: bool = False


def report_name(year: int | str) -> str:
    """File name stem of a year's report, e.g. ``bao-cao-2024``."""
    return f"bao-cao-{year}"


def output_folder(year: int | str, out: str | os.PathLike | None = None) -> Path:
    """``OUT/YEAR`` (``reports/YEAR`` by default)."""
    return paths.reports_dir(out) / str(year)


# -- kernel ------------------------------------------------------------------------------------

def _ipc_kernel_manager():
    """A kernel manager that talks to the kernel over local sockets in the temp folder.

    The default (TCP on localhost) makes ipykernel print an encryption warning to the
    user's terminal on every run; IPC sockets stay on this machine and say nothing.
    """
    from jupyter_client.manager import AsyncKernelManager
    from traitlets import default

    class IpcKernelManager(AsyncKernelManager):
        transport = "ipc"

        @default("ip")
        def _default_ip(self) -> str:
            return str(Path(tempfile.gettempdir()) / f"tongket-kernel-{os.getpid()}")

    return IpcKernelManager


#: imported in a new kernel before the notebook runs, silently (no output, no execution
#: count): the notebook's cells are unchanged, its first cell just finds them loaded
KERNEL_WARM_UP = ("import pandas, matplotlib.figure, IPython.display\n"
                  "import tongket_lib.report.blocks, tongket_lib.report.charts, tongket_lib.evaluation.trends")


def _warm_kernel(connection: dict) -> None:
    """Load the heavy modules in the kernel over a separate client; errors are harmless
    (the notebook imports them anyway)."""
    from jupyter_client.blocking import BlockingKernelClient

    kc = BlockingKernelClient()
    kc.load_connection_info(connection)
    try:
        kc.start_channels()
        kc.wait_for_ready(timeout=60)
        kc.execute(KERNEL_WARM_UP, silent=True, store_history=False, reply=True, timeout=120)
    except Exception:
        pass
    finally:
        kc.stop_channels()


@contextlib.contextmanager
def _kernel(cwd: Path):
    """A kernel started now, booting and loading pandas, matplotlib and tongket_lib in
    its own process while this one validates the data and imports papermill; shut down
    when the block ends."""
    from jupyter_core.utils import run_sync

    km = _ipc_kernel_manager()(kernel_name="python3")
    run_sync(km.start_kernel)(cwd=str(cwd))
    warm = threading.Thread(target=_warm_kernel, args=(km.get_connection_info(),), daemon=True)
    warm.start()
    try:
        yield km
    finally:
        warm.join(timeout=5)
        try:
            run_sync(km.shutdown_kernel)(now=True)
        except Exception:
            pass


# -- parameters -------------------------------------------------------------------------

_TYPES = {"int": int, "float": float, "bool": bool, "str": str}


def notebook_parameters(notebook: Path) -> dict[str, dict[str, Any]]:
    """The parameters a notebook declares in its cell tagged ``parameters``.

    Read with :mod:`ast` from the notebook's JSON, as papermill reads them, but without
    importing papermill (whose import costs a second; the kernel boots meanwhile).
    """
    if not notebook.is_file():
        raise ParameterError(f"Không có notebook {shown(notebook)}.")
    try:
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    except (ValueError, KeyError, OSError) as exc:
        raise ParameterError(f"Không đọc được notebook {shown(notebook)}: {exc}.") from None
    for cell in cells:
        if cell.get("cell_type") == "code" and "parameters" in cell.get("metadata", {}).get("tags", []):
            source = "".join(cell.get("source", ""))
            break
    else:
        raise ParameterError(f"Notebook {shown(notebook)} không có ô gắn thẻ “parameters”.")
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        raise ParameterError(f"Ô tham số của {shown(notebook)} có lỗi cú pháp: {exc}.") from None
    declared: dict[str, dict[str, Any]] = {}
    for node in tree.body:
        target = node.target if isinstance(node, ast.AnnAssign) else (
            node.targets[0] if isinstance(node, ast.Assign) and len(node.targets) == 1 else None)
        if not isinstance(target, ast.Name) or node.value is None:
            continue
        annotation = ast.unparse(node.annotation) if isinstance(node, ast.AnnAssign) else "None"
        declared[target.id] = {"name": target.id, "inferred_type_name": annotation,
                               "default": ast.unparse(node.value)}
    return declared


def check_parameters(notebook: Path, given: dict[str, Any]) -> dict[str, Any]:
    """Validate and type ``given`` against the notebook's declared parameters.

    Text values (from the command line) are converted to the type of the parameter's
    default; anything unknown or of the wrong type is a :class:`ParameterError`.
    """
    declared = notebook_parameters(notebook)
    typed: dict[str, Any] = {}
    for name, value in given.items():
        if name not in declared:
            raise ParameterError(
                f"Tham số lạ “{name}”: notebook {notebook.name} chỉ có"
                f" {', '.join(declared)}. Kiểm tra lại tên tham số.")
        typed[name] = _typed(name, value, _declared_type(declared[name]))
    return typed


def _declared_type(parameter: dict[str, Any]) -> str:
    """The annotated type, else the type of the default's literal (``2024`` → int)."""
    kind = parameter.get("inferred_type_name") or "None"
    if kind in _TYPES:
        return kind
    try:
        default = ast.literal_eval(parameter.get("default") or "None")
    except (ValueError, SyntaxError):
        return "None"
    return type(default).__name__ if default is not None else "None"


def _typed(name: str, value: Any, kind: str) -> Any:
    want = _TYPES.get(kind)
    if want is None or value is None:  # default None or unknown: accept text and paths
        return str(value) if isinstance(value, os.PathLike) else value
    if isinstance(value, str) and want is not str:
        try:
            if want is bool:
                if value.lower() not in ("true", "false", "1", "0", "có", "không"):
                    raise ValueError
                return value.lower() in ("true", "1", "có")
            return want(value)
        except ValueError:
            raise ParameterError(
                f"Tham số “{name}” cần kiểu {kind}, nhưng nhận “{value}”.") from None
    if want is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if not isinstance(value, want) or (want is int and isinstance(value, bool)):
        raise ParameterError(f"Tham số “{name}” cần kiểu {kind}, nhưng nhận {value!r}.")
    return value


# -- fingerprint of the inputs --------------------------------------------------------------

def library_digest() -> str:
    """Version and a hash of the library's own files (code and templates)."""
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(paths.PACKAGE_DIR.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".j2", ".css", ".json"):
            digest.update(str(path.relative_to(paths.PACKAGE_DIR)).encode() + path.read_bytes())
    return digest.hexdigest()


def input_fingerprint(files: list[Path], notebook: Path, extra: dict | None = None) -> str:
    """Changes whenever a data file, the notebook, the library or the options change."""
    digest = hashlib.sha256(library_digest().encode())
    for path in [*files, notebook]:
        digest.update(str(path.name).encode() + b"\0" + path.read_bytes())
    digest.update(json.dumps(extra or {}, sort_keys=True, default=str).encode())
    return digest.hexdigest()


def read_stamp(folder: Path) -> dict:
    """What the last good render of ``folder`` recorded, or ``{}``."""
    try:
        return json.loads((folder / STAMP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


# -- rendering ------------------------------------------------------------------------------

TRENDS_NOTEBOOK = "xu_huong.ipynb"
TRENDS_NAME = "xu-huong"


def year_fingerprint(year: int, data_dir: Path, notebook: Path, formats: tuple[str, ...],
                     params: dict) -> str:
    """Fingerprint of a year report's inputs; the batch computes it without pandas."""
    return input_fingerprint(data_files(data_dir / str(year)), notebook,
                             {"formats": list(formats), "parameters": params})


def trends_fingerprint(years: list[int], data_dir: Path, notebook: Path,
                       formats: tuple[str, ...], params: dict) -> str:
    """Fingerprint of the trends report's inputs: every year's data files."""
    files = [f for y in years for f in data_files(data_dir / str(y))]
    return input_fingerprint(files, notebook, {"formats": list(formats), "parameters": params})


def is_current(folder: Path, stem: str, fingerprint: str, formats: tuple[str, ...]) -> bool:
    """Whether ``folder`` holds a good render of exactly these inputs."""
    stamp = read_stamp(folder)
    return (stamp.get("fingerprint") == fingerprint
            and all((folder / f"{stem}.{kind}").is_file() for kind in ("ipynb", *formats)))


def render_report(year: int | str, data: str | os.PathLike | None = None,
                  out: str | os.PathLike | None = None, formats: tuple[str, ...] = FORMATS,
                  parameters: dict[str, Any] | None = None,
                  cell_timeout: int = DEFAULT_CELL_TIMEOUT,
                  notebook: str | os.PathLike | None = None,
                  skip_unchanged: bool = False) -> RenderResult:
    """Render one year's report into ``OUT/YEAR/``; see the module docstring.

    With ``skip_unchanged``, a folder whose last good render had exactly the same inputs
    is left as it is (``RenderResult.skipped``). Raises :class:`ParameterError` or
    :class:`DataError` (nothing started) or :class:`RenderError` (the earlier report is
    untouched, the failed notebook kept).
    """
    year = parse_year(year)
    formats = check_formats(formats)
    nb_path = Path(notebook) if notebook else paths.notebooks_dir() / REPORT_NOTEBOOK
    data_dir = paths.data_dir(data).resolve()
    params = check_parameters(nb_path, {"year": year, "data_dir": str(data_dir),
                                        **(parameters or {})})
    if not (data_dir / str(year)).is_dir():
        raise DataError([missing_year(year, data_dir)],
                        heading=f"Không tìm thấy dữ liệu năm {year}.")
    folder, stem = output_folder(year, out), report_name(year)
    fingerprint = year_fingerprint(year, data_dir, nb_path, formats, params)
    if skip_unchanged and is_current(folder, stem, fingerprint, formats):
        return _result(year, folder, stem, formats, time.perf_counter(), skipped=True)
    with _kernel(paths.project_root()) as km:
        from tongket_lib.dataset.load import load_year

        year_data = load_year(year, data_dir)  # a DataError stops here; the kernel is shut
        stamp = {"kind": "year", "year": year, "title": year_data.meta.get("title", ""),
                 "organisation": year_data.meta.get("organisation", ""),
                 "synthetic": year_data.synthetic, "verdicts": _verdict_counts(year_data)}
        return _render(nb_path, params, folder, stem, formats, cell_timeout,
                       _title(year_data), fingerprint, stamp, skip_unchanged, year, km)


def render_trends(years: str | list | None = None, data: str | os.PathLike | None = None,
                  out: str | os.PathLike | None = None, formats: tuple[str, ...] = FORMATS,
                  cell_timeout: int = DEFAULT_CELL_TIMEOUT,
                  notebook: str | os.PathLike | None = None,
                  skip_unchanged: bool = False) -> RenderResult:
    """Render the trends report of several years into ``OUT/xu-huong/``."""
    from tongket_lib.evaluation.trends import load_years, parse_years

    formats = check_formats(formats)
    nb_path = Path(notebook) if notebook else paths.notebooks_dir() / TRENDS_NOTEBOOK
    data_dir = paths.data_dir(data).resolve()
    chosen = parse_years(years, data_dir)
    params = check_parameters(nb_path, {"years": ",".join(map(str, chosen)),
                                        "data_dir": str(data_dir)})
    missing = [missing_year(y, data_dir) for y in chosen if not (data_dir / str(y)).is_dir()]
    if missing:
        raise DataError(missing, heading="Thiếu dữ liệu của một số năm.")
    folder = paths.reports_dir(out) / TRENDS_NAME
    fingerprint = trends_fingerprint(chosen, data_dir, nb_path, formats, params)
    if skip_unchanged and is_current(folder, TRENDS_NAME, fingerprint, formats):
        return _result(None, folder, TRENDS_NAME, formats, time.perf_counter(), skipped=True)
    with _kernel(paths.project_root()) as km:
        history = load_years(chosen, data_dir)
        latest = history.meta[history.years[-1]]
        stamp = {"kind": "trends", "years": history.years,
                 "organisation": latest.get("organisation", ""),
                 "title": "Xu hướng thi đua, khen thưởng", "synthetic": history.synthetic}
        title = f"Xu hướng thi đua, khen thưởng các năm {history.years[0]}–{history.years[-1]}"
        return _render(nb_path, params, folder, TRENDS_NAME, formats, cell_timeout, title,
                       fingerprint, stamp, skip_unchanged, None, km)


def _render(nb_path: Path, params: dict, folder: Path, stem: str, formats: tuple[str, ...],
            cell_timeout: int, title: str, fingerprint: str, stamp: dict,
            skip_unchanged: bool, year: int | None, km) -> RenderResult:
    start = time.perf_counter()
    if cell_timeout <= 0:
        raise ParameterError("Thời gian chờ mỗi ô phải lớn hơn 0 giây.")
    folder.mkdir(parents=True, exist_ok=True)
    from filelock import FileLock

    with FileLock(str(folder / LOCK)):
        if skip_unchanged and is_current(folder, stem, fingerprint, formats):
            return _result(year, folder, stem, formats, start, skipped=True)
        staging = Path(tempfile.mkdtemp(prefix=".dang-dung-", dir=folder))
        try:
            label = f"báo cáo năm {year}" if year is not None else "báo cáo xu hướng"
            staged = _execute_and_export(nb_path, params, staging, folder, stem, formats,
                                         cell_timeout, title, label, km)
            _publish(staged, folder, stem)
            _write_stamp(folder, {**stamp, "fingerprint": fingerprint, "formats": list(formats)})
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return _result(year, folder, stem, formats, start, skipped=False)


def _result(year, folder: Path, stem: str, formats, start: float, skipped: bool) -> RenderResult:
    return RenderResult(year, folder, folder / f"{stem}.ipynb",
                        folder / f"{stem}.html" if "html" in formats else None,
                        folder / f"{stem}.pdf" if "pdf" in formats else None,
                        time.perf_counter() - start, skipped)


def check_formats(formats) -> tuple[str, ...]:
    """The chosen output formats, checked and without repeats (``ParameterError`` if unknown)."""
    chosen = tuple(dict.fromkeys(f.strip().lower() for f in formats if f.strip()))
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown or not chosen:
        raise ParameterError(f"Định dạng không hợp lệ: {', '.join(unknown) or '(trống)'}."
                             f" Chọn trong: {', '.join(FORMATS)} (ví dụ --format html,pdf).")
    return chosen


def _title(year_data) -> str:
    meta = year_data.meta
    return " – ".join(t for t in (meta.get("title"), meta.get("organisation")) if t)


def _execute_and_export(nb_path: Path, params: dict, staging: Path, folder: Path, stem: str,
                        formats: tuple[str, ...], cell_timeout: int, title: str,
                        label: str, km) -> dict[str, Path]:
    import papermill
    from papermill.exceptions import PapermillExecutionError

    from tongket_lib.report import export

    # Importing the exporters takes a second or two; do it while the kernel works.
    warm = threading.Thread(target=export.warm_up, daemon=True)
    warm.start()
    staged = {"ipynb": staging / f"{stem}.ipynb"}
    try:
        nb = papermill.execute_notebook(
            str(nb_path), str(staged["ipynb"]), parameters=params, progress_bar=False,
            request_save_on_cell_execute=False, cwd=str(paths.project_root()),
            execution_timeout=cell_timeout, log_output=False, km=km)
    except PapermillExecutionError as exc:
        kept = _keep_failed(staged["ipynb"], folder, stem)
        raise RenderError(
            f"Dựng {label} thất bại ở ô In [{exc.exec_count}] (ô thứ"
            f" {exc.cell_index + 1}) của {nb_path.name}: {exc.ename}: {exc.evalue}."
            f" Notebook lỗi, có đánh dấu ô lỗi, được giữ ở {shown(kept)}."
            f" Báo cáo cũ (nếu có) vẫn giữ nguyên.", str(kept), exc.cell_index) from None
    except Exception as exc:  # kernel died, timed out, could not start
        kept = _keep_failed(staged["ipynb"], folder, stem) if staged["ipynb"].exists() else None
        where = f" Notebook đang chạy dở được giữ ở {shown(kept)}." if kept else ""
        reason = (f"một ô chạy quá {cell_timeout} giây (tăng bằng --timeout)"
                  if "timed out" in str(exc).lower() or "timeout" in type(exc).__name__.lower()
                  else f"{type(exc).__name__}: {exc}")
        raise RenderError(f"Dựng {label} thất bại: {reason}.{where}"
                          f" Báo cáo cũ (nếu có) vẫn giữ nguyên.",
                          str(kept) if kept else None) from None
    warm.join()
    html = export.notebook_to_html(nb, title)  # the PDF is printed from the same HTML
    if "html" in formats:
        staged["html"] = staging / f"{stem}.html"
        staged["html"].write_text(html, encoding="utf-8")
    if "pdf" in formats:
        staged["pdf"] = staging / f"{stem}.pdf"
        export.html_to_pdf(html, staged["pdf"])
    return staged


def _keep_failed(staged: Path, folder: Path, stem: str) -> Path:
    kept = folder / f"{stem}.failed.ipynb"
    os.replace(staged, kept)
    return kept


def _publish(staged: dict[str, Path], folder: Path, stem: str) -> None:
    for kind, path in staged.items():
        os.replace(path, folder / f"{stem}.{kind}")  # atomic on one file system
    failed = folder / f"{stem}.failed.ipynb"
    if failed.exists():
        failed.unlink()


def _verdict_counts(year_data) -> dict[str, int]:
    from tongket_lib.evaluation.status import evaluate

    counts = evaluate(year_data.indicators)["status"].value_counts()
    return {str(k): int(v) for k, v in counts.items() if v}


def _write_stamp(folder: Path, stamp: dict) -> None:
    stamp = {**stamp, "generated": dt.datetime.now().isoformat(timespec="seconds"),
             "tongket": __version__}
    write_text_atomically(folder / STAMP, json.dumps(stamp, ensure_ascii=False, indent=1))
