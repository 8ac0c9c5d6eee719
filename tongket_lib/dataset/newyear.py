"""A new year folder from the previous one: same indicators and awards, empty results.

:func:`new_year` copies what stays from year to year (indicator ids, sections,
names, targets, units, award and contribution rows, the year's own rules) and
empties what the analyst must fill (actuals, verdicts, counts, amounts, decisions,
notes, sources). ``meta.yaml`` is written with ``# cần điền`` comments next to the
fields to review. The result always loads with :func:`~tongket_lib.dataset.load.load_year`;
an existing year is never overwritten unless ``force``, which keeps a dated backup.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from tongket_lib import paths
from tongket_lib.dataset import schema as S
from tongket_lib.dataset.layout import available_years, file_problem, parse_year, shown
from tongket_lib.dataset.load import load_year, read_table
from tongket_lib.dataset.readers import read_text, read_yaml
from tongket_lib.dataset.store import write_table, write_year_folder, yaml_ready
from tongket_lib.errors import ParameterError, Problem, os_reason
from tongket_lib.vocab import BANNER

#: columns emptied in each file (the rest is carried over)
EMPTIED: dict[str, tuple[str, ...]] = {
    S.INDICATORS.name: ("actual", "actual_qualifier", "parts", "reported_status", "note",
                        "source", "count"),
    S.AWARDS.name: ("count", "decision", "note", "source"),
    S.CONTRIBUTIONS.name: ("cases", "amount_vnd", "per_case_vnd", "note", "source"),
    S.SECTIONS.name: ("reported_status", "stated_rollup", "source"),
}
#: text columns in which "năm <old year>" becomes "năm <new year>"
YEAR_TEXT: dict[str, tuple[str, ...]] = {
    S.INDICATORS.name: ("section_title", "name", "sentence"),
    S.AWARDS.name: ("sentence",),
    S.CONTRIBUTIONS.name: ("name",),
    S.SECTIONS.name: ("title", "heading", "text"),
}
SYNTHETIC_NOTE = BANNER + "."


@dataclass(frozen=True)
class NewYearResult:
    """What :func:`new_year` made."""

    year: int
    folder: Path
    source_year: int
    backup: Path | None
    indicators: int
    awards: int
    contributions: int
    sections: int
    rules_copied: bool

    def describe(self) -> str:
        """Vietnamese summary for the command line."""
        lines = [f"Đã tạo khung dữ liệu năm {self.year} tại {shown(self.folder)} từ năm"
                 f" {self.source_year}:",
                 f"  {self.indicators} chỉ tiêu, {self.awards} dòng khen thưởng,"
                 f" {self.contributions} dòng đóng góp, hỗ trợ, {self.sections} mục"
                 + ("; quy định riêng của năm (rules.yaml) được chép nguyên." if self.rules_copied
                    else ".")]
        if self.backup is not None:
            lines.append(f"  Dữ liệu cũ của năm {self.year} được giữ tại {shown(self.backup)}.")
        lines.append("Cần điền: số liệu thực hiện và đánh giá (indicators.csv), số lượng và số"
                     " quyết định khen thưởng (awards.csv), số tiền (contributions.csv), đánh giá"
                     " từng mục (sections.csv) và các dòng ghi “# cần điền” trong meta.yaml.")
        root = self.folder.parent
        data = "" if root.resolve() == paths.data_dir(None).resolve() else f" --data {shown(root)}"
        lines.append(f"Sau đó kiểm tra bằng: tongket check {self.year}{data}")
        return "\n".join(lines)


def new_year(year: int | str, source: int | str | None = None,
             data: str | os.PathLike | None = None, force: bool = False) -> NewYearResult:
    """Create ``<data>/<year>/`` from the year ``source`` (default: the latest year before).

    Raises :class:`~tongket_lib.errors.ParameterError` when there is no year to start
    from or when ``year`` already exists and ``force`` is not set;
    :class:`~tongket_lib.errors.DataError` when the source year is invalid.

    >>> import shutil, tempfile
    >>> from tongket_lib import paths
    >>> root = Path(tempfile.mkdtemp()) / "data"
    >>> _ = shutil.copytree(paths.data_dir() / "2024", root / "2024")
    >>> r = new_year(2025, data=root)
    >>> r.source_year, r.backup is None, load_year(2025, root).meta["title"][-4:]
    (2024, True, '2025')
    """
    year = parse_year(year)
    root = paths.data_dir(data)
    years = available_years(root)
    have = ", ".join(map(str, years)) if years else "chưa có năm nào"
    if source is None:
        earlier = [y for y in years if y < year]
        if not earlier:
            raise ParameterError(
                f"Không có năm nào trước năm {year} trong {shown(root)} để làm mẫu (các năm có:"
                f" {have}). Chọn năm mẫu bằng --from NĂM, hoặc tạo thư mục {year} bằng tay.")
        source = earlier[-1]
    else:
        source = parse_year(source)
        if source == year:
            raise ParameterError(f"Năm mẫu phải khác năm cần tạo ({year}).")
        if source not in years:
            raise ParameterError(f"Không có dữ liệu năm {source} trong {shown(root)} để làm mẫu"
                                 f" (các năm có: {have}).")
    target = root / str(year)
    if target.exists() and not force:
        raise ParameterError(
            f"Năm {year} đã có dữ liệu ở {shown(target)}; tongket không ghi đè. Thêm --force"
            f" để tạo lại (bản cũ được giữ thành bản sao lưu có ghi ngày giờ).")

    load_year(source, root)  # the template must be valid: DataError lists its problems
    src = root / str(source)
    tables = {spec.name: _carry_over(src / spec.name, spec, source, year)
              for spec in S.CSV_FILES if (src / spec.name).is_file()}
    meta_text = _meta_text(src / S.META_FILE, source, year)
    rules = src / S.RULES_FILE

    def write(folder: Path) -> None:
        (folder / S.META_FILE).write_text(meta_text, encoding="utf-8")
        for spec in S.CSV_FILES:
            if spec.name in tables:
                write_table(tables[spec.name], spec, folder / spec.name)
        if rules.is_file():
            shutil.copyfile(rules, folder / S.RULES_FILE)

    # Write and load once in a scratch data folder, so that a folder which would not
    # load never reaches the data folder.
    try:
        with tempfile.TemporaryDirectory(prefix="tongket-new-year-") as scratch:
            scratch_root = Path(scratch)
            (scratch_root / str(year)).mkdir()
            write(scratch_root / str(year))
            if file_problem(root / S.RULES_FILE, root) is None:  # load_year checked it
                shutil.copyfile(root / S.RULES_FILE, scratch_root / S.RULES_FILE)
            load_year(year, scratch_root)
            backup = write_year_folder(target, write, force=force)
    except OSError as exc:  # the scratch folder (in the system's temporary folder)
        raise ParameterError(f"Không tạo được thư mục tạm để thử năm {year}"
                             f" ({os_reason(exc)}); chưa ghi gì vào {shown(root)}. Kiểm tra chỗ"
                             " trống và quyền ghi của thư mục tạm (biến TMPDIR).") from None

    def rows(name: str) -> int:
        return len(tables[name]) if name in tables else 0

    return NewYearResult(year=year, folder=target, source_year=source, backup=backup,
                         indicators=rows(S.INDICATORS.name), awards=rows(S.AWARDS.name),
                         contributions=rows(S.CONTRIBUTIONS.name),
                         sections=rows(S.SECTIONS.name), rules_copied=rules.is_file())


def replace_year(text: str, old: int, new: int) -> str:
    """``text`` with "năm <old>" written "năm <new>"; any other number stays.

    >>> replace_year("Thực hiện các nhiệm vụ sự nghiệp năm 2024", 2024, 2025)
    'Thực hiện các nhiệm vụ sự nghiệp năm 2025'
    >>> replace_year("Quý III/2024, Năm 2024, năm 20245", 2024, 2025)
    'Quý III/2024, Năm 2025, năm 20245'
    """
    return re.sub(rf"(?<!\w)(năm\s+){old}(?!\d)", rf"\g<1>{new}", text, flags=re.IGNORECASE)


def _carry_over(path: Path, spec: S.FileSpec, old: int, new: int) -> pd.DataFrame:
    """The table of ``path`` as written (no inferred codes), with results emptied."""
    frame = read_table(path, spec, [])  # load_year accepted it a moment ago
    for column in EMPTIED[spec.name]:
        frame[column] = pd.Series(pd.NA, index=frame.index, dtype="object")
    for column in YEAR_TEXT.get(spec.name, ()):
        frame[column] = frame[column].map(
            lambda v: replace_year(v, old, new) if isinstance(v, str) else v)
    return frame


def _meta_text(path: Path, old: int, new: int) -> str:
    """The new year's meta.yaml: what stays, emptied decisions, comments on what to fill."""
    import yaml

    problems: list[Problem] = []
    raw, _ = read_yaml(read_text(path, problems, shown(path)) or "", shown(path), problems)
    raw = dict(raw or {})
    meta: dict = {key: raw[key] for key in S.META_KEYS if key in raw}
    meta["year"] = new
    if isinstance(meta.get("title"), str):
        meta["title"] = re.sub(rf"(?<!\d){old}(?!\d)", str(new), meta["title"])
    meta["decisions"] = []
    for key in ("opening", "closing"):  # the document's sentences name the year
        if isinstance(meta.get(key), str):
            meta[key] = replace_year(meta[key], old, new)
    if isinstance(meta.get("number"), str):  # keep the ký hiệu ("/BC-CĐCS"), not the number
        meta["number"] = meta["number"][meta["number"].find("/"):] if "/" in meta["number"] else ""
    if "date" in meta:
        meta["date"] = ""
    synthetic = raw.get("synthetic") is True
    meta["notes"] = (
        (SYNTHETIC_NOTE + " " if synthetic else "")
        + f"Khung báo cáo năm {new} tạo bằng “tongket new-year” từ dữ liệu năm {old}. Cần điền:"
        f" số liệu thực hiện (cột actual), đánh giá của báo cáo (reported_status), giải thích và"
        f" nguồn của từng chỉ tiêu trong indicators.csv; số lượng và số quyết định khen thưởng"
        f" trong awards.csv; số tiền, số trường hợp trong contributions.csv; đánh giá chung và"
        f" câu tổng hợp của các mục trong sections.csv; các quyết định khen thưởng (decisions)"
        f" trong tệp này; kiểm tra lại tiêu đề, căn cứ (nghị quyết hội nghị CCVCNLĐ, giao ước"
        f" thi đua của năm {new}), nơi nhận và người ký.")
    comments = {
        "title": "cần điền: kiểm tra lại tiêu đề báo cáo",
        "legal_bases": f"cần điền: cập nhật căn cứ của năm {new} (nghị quyết hội nghị CCVCNLĐ,"
                       f" giao ước thi đua); các dòng dưới đây chép từ năm {old}",
        "decisions": f"cần điền: các quyết định khen thưởng năm {new} (number, date dd/mm/yyyy,"
                     f" issuer, subject)",
        "recipients": "cần điền: kiểm tra lại nơi nhận",
        "signatory": "cần điền: kiểm tra lại người ký (chức vụ, họ tên)",
        "number": "cần điền: số văn bản trước dấu “/” khi có; để trống thì văn bản in dấu chấm",
        "date": "cần điền: ngày ban hành dd/mm/yyyy khi có; để trống thì văn bản in dấu chấm",
        "notes": "cần điền: thay bằng ghi chú của báo cáo khi đã điền xong",
    }
    out = [f"# Thông tin chung của báo cáo năm {new}, tạo bằng “tongket new-year {new}” từ năm"
           f" {old}.",
           "# Ngày viết dạng dd/mm/yyyy. Các dòng ghi “# cần điền” là chỗ phải điền hoặc xem lại.",
           ""]
    for key, value in meta.items():
        chunk = yaml.safe_dump({key: yaml_ready(value)}, allow_unicode=True, sort_keys=False,
                               width=100).rstrip("\n")
        note = comments.get(key)
        if note and "\n" not in chunk:
            out.append(f"{chunk}  # {note}")
        elif note:
            out += [f"# {note}", chunk]
        else:
            out.append(chunk)
    return "\n".join(out) + "\n"
