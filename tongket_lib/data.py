"""Year folders: find them, load and validate one into DataFrames, write one atomically.

A year folder ``<data>/<year>/`` holds ``meta.yaml``, ``indicators.csv``,
``awards.csv``, ``contributions.csv`` and optionally ``sections.csv`` and
``rules.yaml``. :func:`load_year` reads all of them, validates everything in one pass
and either returns a :class:`YearData` or raises one :class:`DataError` listing every
problem. Raw data is never modified.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import paths
from . import schema as S
from .errors import DataError, ParameterError, Problem
from .folders import available_years, checksum, data_files, missing_year, parse_year, shown  # noqa: F401
from .meta import validate_meta
from .readers import parse_csv, read_text, read_yaml
from .rules import Rule, load_rules
from .titles import infer_code, infer_level
from .validate import convert, validate_table


@dataclass
class YearData:
    """One year's validated data: meta as a dict, tables as pandas DataFrames.

    Each table is indexed by ``row``, the row number a spreadsheet shows for it
    (the header is row 1), so a finding can point back to its line.
    """

    year: int
    folder: Path
    meta: dict
    indicators: pd.DataFrame
    awards: pd.DataFrame
    contributions: pd.DataFrame
    sections: pd.DataFrame
    rules: list[Rule] = field(default_factory=list)
    checksum: str = ""

    @property
    def synthetic(self) -> bool:
        """True for made-up demonstration data."""
        return bool(self.meta.get("synthetic"))

    def files(self) -> list[Path]:
        """The data files this year was read from."""
        return data_files(self.folder)


def load_year(year: int | str, data: str | os.PathLike | None = None) -> YearData:
    """Load and validate one year folder.

    Raises :class:`~tongket_lib.errors.DataError` listing every problem found.

    >>> yd = load_year(2024)
    >>> int(yd.awards.loc[yd.awards["code"] == "cstdcs", "count"].sum())
    72
    """
    year = parse_year(year)
    root = paths.data_dir(data)
    folder = root / str(year)
    if not folder.is_dir():
        raise DataError([missing_year(year, root)],
                        heading=f"Không tìm thấy dữ liệu năm {year}.")

    problems: list[Problem] = []
    tables: dict[str, pd.DataFrame] = {}
    for spec in S.CSV_FILES:
        tables[spec.name] = read_table(folder / spec.name, spec, problems)

    meta: dict = {}
    meta_path = folder / S.META_FILE
    if not meta_path.is_file():
        problems.append(Problem(shown(meta_path), None, None, None,
                                "thiếu tệp meta.yaml (thông tin chung của năm). Chép từ một năm"
                                " khác hoặc tạo bằng “tongket new-year”."))
    else:
        text = read_text(meta_path, problems, shown(meta_path))
        if text is not None:
            before = len(problems)
            raw, lines = read_yaml(text, shown(meta_path), problems)
            if len(problems) == before:  # unreadable YAML is one problem, not two
                meta = validate_meta(raw, lines, year, problems, shown(meta_path))

    rules = load_rules([(root / S.RULES_FILE, shown(root / S.RULES_FILE)),
                        (folder / S.RULES_FILE, shown(folder / S.RULES_FILE))], problems)

    indicators = tables[S.INDICATORS.name]
    sections = tables[S.SECTIONS.name]
    check_sections(indicators, sections, shown(folder / S.INDICATORS.name), problems)
    if problems:
        raise DataError(problems, heading=f"Dữ liệu năm {year} ({shown(folder)}) có"
                                          f" {len(problems)} lỗi; sửa rồi chạy lại:")

    awards = tables[S.AWARDS.name]
    awards["code"] = awards["code"].fillna(awards["title"].map(infer_code)).astype("string")
    awards["level"] = awards["level"].fillna(awards["granted_by"].map(infer_level)).astype("string")
    return YearData(year=year, folder=folder, meta=meta, indicators=indicators, awards=awards,
                    contributions=tables[S.CONTRIBUTIONS.name], sections=sections, rules=rules,
                    checksum=checksum(data_files(folder)))


def read_table(path: Path, spec: S.FileSpec, problems: list[Problem]) -> pd.DataFrame:
    """One CSV file read and validated as written (nothing inferred); problems appended."""
    name = shown(path)
    empty = _empty_frame(spec)
    if path.is_dir():
        problems.append(Problem(name, None, None, None,
                                f"“{spec.name}” là một thư mục, không phải tệp. Đổi tên hoặc"
                                f" chuyển thư mục đó đi, rồi đặt tệp {spec.name} vào đây."))
        return empty
    if not path.is_file():
        if spec.required:
            problems.append(Problem(name, None, None, None,
                                    f"thiếu tệp {spec.name} ({spec.label.lower()}). Tạo tệp với"
                                    f" dòng tiêu đề: {','.join(spec.required_columns)}."))
        return empty
    text = read_text(path, problems, name)
    if text is None:
        return empty
    table = parse_csv(text, name, problems)
    if table is None:
        return empty
    return validate_table(table, spec, name, problems)


def _empty_frame(spec: S.FileSpec) -> pd.DataFrame:
    text = pd.DataFrame(columns=spec.columns, index=pd.Index([], name="row", dtype="int64"),
                        dtype="str")
    return convert(text, spec, set())


def check_sections(indicators: pd.DataFrame, sections: pd.DataFrame, name: str,
                    problems: list[Problem]) -> None:
    """Every indicator's section must be listed in sections.csv, when that file exists."""
    if sections.empty or indicators.empty:
        return
    known = set(sections["section"].dropna())
    unknown = indicators["section"].notna() & ~indicators["section"].isin(known)
    for row, value in indicators.loc[unknown, "section"].items():
        problems.append(Problem(name, int(row), "section", value,
                                f"mục “{value}” không có trong sections.csv. Thêm mục này vào"
                                f" sections.csv hoặc sửa lại số mục."))


# -- writing ---------------------------------------------------------------------------

def staging_folder(parent: Path, prefix: str) -> Path:
    """A new empty folder in ``parent`` to fill and then rename into place.

    ``mkdtemp`` makes it private (0700); it gets the permissions of a normal folder,
    since it becomes one.
    """
    parent.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
    mask = os.umask(0o022)
    os.umask(mask)
    os.chmod(folder, 0o777 & ~mask)
    return folder


def backup_path(target: Path) -> Path:
    """A free, dated name beside ``target`` to keep it under before it is replaced:
    ``2024.sao-luu-20241204-093000``, ``so-lieu.sao-luu-20241204-093000.xlsx``."""
    suffix = target.suffix if target.is_file() else ""
    stem = target.name.removesuffix(suffix) if suffix else target.name
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    backup, n = target.with_name(f"{stem}.sao-luu-{stamp}{suffix}"), 1
    while backup.exists():
        n += 1
        backup = target.with_name(f"{stem}.sao-luu-{stamp}-{n}{suffix}")
    return backup


def write_year_folder(target: Path, write: Callable[[Path], None], force: bool = False) -> Path | None:
    """Create ``target`` atomically: ``write(tmp_folder)`` fills a temporary folder that
    then replaces ``target``. An existing folder needs ``force`` and is first kept as a
    dated backup, whose path is returned.
    """
    target = Path(target)
    if target.exists() and not force:
        raise ParameterError(
            f"Thư mục {shown(target)} đã có dữ liệu; tongket không ghi đè. Thêm --force để"
            f" thay (bản cũ được giữ lại thành bản sao lưu có ghi ngày giờ).")
    tmp = staging_folder(target.parent, f".{target.name}.tmp-")
    try:
        write(tmp)
        backup = None
        if target.exists():
            backup = backup_path(target)
            os.rename(target, backup)
        try:
            os.rename(tmp, target)
        except OSError:
            if backup is not None:
                os.rename(backup, target)
            raise
        return backup
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


def save_year(year: int | str, meta: dict, tables: dict[str, pd.DataFrame],
              data: str | os.PathLike | None = None, force: bool = False) -> Path | None:
    """Write a whole year folder atomically (see :func:`write_year_folder`); return the
    backup of the folder it replaced, if any. ``tables`` maps CSV file names to frames."""
    target = paths.data_dir(data) / str(parse_year(year))
    return write_year_folder(target, lambda tmp: write_year(tmp, meta, tables), force)


def write_year(folder: Path, meta: dict, tables: dict[str, pd.DataFrame]) -> None:
    """Write meta.yaml and the CSV files of ``tables`` into ``folder``."""
    write_meta(meta, folder / S.META_FILE)
    for spec in S.CSV_FILES:
        frame = tables.get(spec.name)
        if frame is not None and (spec.required or not frame.empty):
            write_table(frame, spec, folder / spec.name)


def write_meta(meta: dict, path: Path) -> None:
    """Write meta as YAML, dates as dd/mm/yyyy, keys in the documented order."""
    import yaml

    def plain(value):
        if isinstance(value, dt.date):
            return value.strftime("%d/%m/%Y")
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        if isinstance(value, list):
            return [plain(v) for v in value]
        return value

    order = ["year", "organisation", "union", "document_type", "title", "issuer", "synthetic",
             "legal_bases", "decisions", "recipients", "signatory", "notes"]
    ordered = {k: plain(meta[k]) for k in order if k in meta}
    ordered.update({k: plain(v) for k, v in meta.items() if k not in ordered})
    path.write_text(yaml.safe_dump(ordered, allow_unicode=True, sort_keys=False, width=100),
                    encoding="utf-8")


def write_table(frame: pd.DataFrame, spec: S.FileSpec, path: Path) -> None:
    """Write a table as the canonical CSV: UTF-8, comma, spec column order, plain numbers.

    Optional columns are written only when they hold a value.
    """
    columns = [f.name for f in spec.fields
               if f.required or (f.name in frame and frame[f.name].notna().any())]
    out = pd.DataFrame(index=frame.index)
    for name in columns:
        f = spec.field(name)
        series = (frame[name].astype(object) if name in frame
                  else pd.Series(pd.NA, index=frame.index, dtype=object))
        if f.kind == S.NUMBER:
            out[name] = series.map(_plain_number)
        elif f.kind == S.INTEGER:
            out[name] = series.map(lambda v: "" if pd.isna(v) else str(int(v)))
        else:
            out[name] = series.map(lambda v: "" if pd.isna(v) else str(v))
    out.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")


def _plain_number(value) -> str:
    if value is None or pd.isna(value):
        return ""
    value = float(value)
    return str(int(value)) if value.is_integer() else repr(value)
