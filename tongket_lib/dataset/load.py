"""Year folders: find them, load and validate one into DataFrames, write one atomically.

A year folder ``<data>/<year>/`` holds ``meta.yaml``, ``indicators.csv``,
``awards.csv``, ``contributions.csv`` and optionally ``sections.csv`` and
``rules.yaml``. :func:`load_year` reads all of them, validates everything in one pass
and either returns a :class:`YearData` or raises one :class:`DataError` listing every
problem. Raw data is never modified.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from tongket_lib import paths
from tongket_lib.dataset import schema as S
from tongket_lib.dataset.layout import (  # noqa: F401
    MISSING,
    available_years,
    checksum,
    data_files,
    file_problem,
    missing_year,
    parse_year,
    shown,
)
from tongket_lib.dataset.meta import validate_meta
from tongket_lib.dataset.patterns import check_blocks
from tongket_lib.dataset.readers import parse_csv, read_text, read_yaml
from tongket_lib.dataset.rules import Rule, load_rules
from tongket_lib.dataset.shared import shared
from tongket_lib.dataset.titles import infer_code, infer_level
from tongket_lib.dataset.validate import convert, validate_table
from tongket_lib.errors import DataError, Problem, os_reason
from tongket_lib.period import Period


@dataclass
class YearData:
    """One year's validated data: meta as a dict, tables as pandas DataFrames.

    Each table is indexed by ``row``, the row number a spreadsheet shows for it
    (the header is row 1), so a finding can point back to its line.
    """

    year: Period
    folder: Path
    meta: dict
    indicators: pd.DataFrame
    awards: pd.DataFrame
    contributions: pd.DataFrame
    sections: pd.DataFrame
    rules: list[Rule] = field(default_factory=list)
    checksum: str = ""
    #: the ``ratio_bases:`` entries of the rules files, as read (see evaluation/audit.py)
    ratio_bases: list[dict[str, Any]] = field(default_factory=list)
    #: next period's targets (``plan.csv``, may be empty)
    plan: pd.DataFrame = field(default_factory=lambda: _empty_frame(S.PLAN))

    @property
    def synthetic(self) -> bool:
        """True for made-up demonstration data."""
        return bool(self.meta.get("synthetic"))

    def files(self) -> list[Path]:
        """The data files this year was read from."""
        return data_files(self.folder)


def load_year(year: int | str | Period, data: str | os.PathLike | None = None) -> YearData:
    """Load and validate one year folder.

    Raises :class:`~tongket_lib.errors.DataError` listing every problem found.

    >>> yd = load_year(2024)
    >>> int(yd.awards.loc[yd.awards["code"] == "cstdcs", "count"].sum())
    72
    """
    year = parse_year(year)
    root = paths.data_dir(data)
    folder = root / str(year)
    unreadable = _folder_problem(root) or _folder_problem(folder)
    if unreadable is not None:
        raise DataError([unreadable], heading=f"Không đọc được dữ liệu {year.label}.")
    if not folder.is_dir():
        raise DataError([missing_year(year, root)],
                        heading=f"Không tìm thấy dữ liệu {year.label}.")

    digest = checksum(data_files(folder))
    already = shared(year, folder, digest)
    if already is not None:  # loaded by the render that runs this notebook
        return already

    problems: list[Problem] = []
    tables: dict[str, pd.DataFrame] = {}
    for spec in S.CSV_FILES:
        tables[spec.name] = read_table(folder / spec.name, spec, problems, root)

    meta: dict = {}
    meta_path = folder / S.META_FILE
    if file_problem(meta_path, root) == MISSING:
        problems.append(Problem(shown(meta_path), None, None, None,
                                "thiếu tệp meta.yaml (thông tin chung của năm). Chép từ một năm"
                                " khác hoặc tạo bằng “tongket new-year”."))
    else:
        text = read_text(meta_path, problems, shown(meta_path), root)
        if text is not None:
            before = len(problems)
            raw, lines = read_yaml(text, shown(meta_path), problems)
            if len(problems) == before:  # unreadable YAML is one problem, not two
                meta = validate_meta(raw, lines, year, problems, shown(meta_path))

    ratio_bases: list[dict[str, Any]] = []
    rules = load_rules([(root / S.RULES_FILE, shown(root / S.RULES_FILE)),
                        (folder / S.RULES_FILE, shown(folder / S.RULES_FILE))], problems, root,
                       ratio_bases)

    indicators = tables[S.INDICATORS.name]
    sections = tables[S.SECTIONS.name]
    check_sections(indicators, sections, shown(folder / S.INDICATORS.name), problems)
    check_blocks(tables, sections, {name: shown(folder / name) for name in tables}, problems)
    if problems:
        raise DataError(problems, heading=f"Dữ liệu {year.label} ({shown(folder)}) có"
                                          f" {len(problems)} lỗi; sửa rồi chạy lại:")

    awards = tables[S.AWARDS.name]
    awards["code"] = awards["code"].fillna(awards["title"].map(infer_code)).astype("string")
    awards["level"] = awards["level"].fillna(awards["granted_by"].map(infer_level)).astype("string")
    return YearData(year=year, folder=folder, meta=meta, indicators=indicators, awards=awards,
                    contributions=tables[S.CONTRIBUTIONS.name], sections=sections, rules=rules,
                    checksum=digest, ratio_bases=ratio_bases, plan=tables[S.PLAN.name])


def read_table(path: Path, spec: S.FileSpec, problems: list[Problem],
               root: Path | None = None) -> pd.DataFrame:
    """One CSV file read and validated as written (nothing inferred); problems appended.

    ``root`` is the data folder: a link out of it is refused (see :func:`file_problem`).
    """
    name = shown(path)
    empty = _empty_frame(spec)
    if file_problem(path, root) == MISSING:
        if spec.required:
            problems.append(Problem(name, None, None, None,
                                    f"thiếu tệp {spec.name} ({spec.label.lower()}). Tạo tệp với"
                                    f" dòng tiêu đề: {','.join(spec.required_columns)}."))
        return empty
    text = read_text(path, problems, name, root)
    if text is None:
        return empty
    table = parse_csv(text, name, problems)
    if table is None:
        return empty
    return validate_table(table, spec, name, problems)


def _folder_problem(folder: Path) -> Problem | None:
    """The problem of a data or year folder that exists but cannot be read, or ``None``."""
    try:
        if not folder.is_dir():
            return None
    except OSError as exc:
        reason = os_reason(exc)
    else:
        if os.access(folder, os.R_OK | os.X_OK):
            return None
        reason = "không có quyền"
    return Problem(shown(folder), None, None, None,
                   f"không đọc được thư mục ({reason}). Cấp quyền đọc cho thư mục (chmod u+rx),"
                   " hoặc chỉ thư mục khác bằng --data.")


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
