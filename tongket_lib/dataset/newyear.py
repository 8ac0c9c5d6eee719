"""A new period's folder from the previous one: same indicators and awards, empty results.

:func:`new_year` moves to the next period of the same kind (2024 → 2025, năm học 2024 -
2025 → 2025 - 2026). It copies what stays from one period to the next (indicator ids,
sections, names, targets, units, award and contribution rows, the period's own rules),
takes the targets the plan of the previous period set (``plan.csv``: “Phương hướng, nhiệm
vụ năm sau”) as the new targets, and empties what the analyst must fill (actuals,
verdicts, counts, amounts, decisions, notes, sources). Every text that names the period
(meta's title, opening and closing, the sections, names and sentences) follows it: "năm
2024" becomes "năm 2025", "năm học 2024 - 2025" becomes "năm học 2025 - 2026", and the
next period named in a plan heading moves on too. A literal period left in a text
(a year not written as "năm …") is reported as a warning naming where it is.
``meta.yaml`` is written with ``# cần điền`` comments next to the fields to review. The
result always loads with :func:`~tongket_lib.dataset.load.load_year`; an existing period
is never overwritten unless ``force``, which keeps a dated backup.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from tongket_lib import paths
from tongket_lib.dataset import schema as S
from tongket_lib.dataset.layout import available_years, file_problem, shown
from tongket_lib.dataset.load import load_year, read_table
from tongket_lib.dataset.readers import read_text, read_yaml
from tongket_lib.dataset.store import commented_meta, write_table, write_year_folder
from tongket_lib.errors import ParameterError, Problem, os_reason
from tongket_lib.period import Period, parse_period
from tongket_lib.vocab import BANNER

#: columns emptied in each file (the rest is carried over)
EMPTIED: dict[str, tuple[str, ...]] = {
    S.INDICATORS.name: ("actual", "actual_qualifier", "parts", "reported_status", "note",
                        "source", "count", "result_text"),
    S.AWARDS.name: ("count", "decision", "note", "source"),
    S.CONTRIBUTIONS.name: ("cases", "amount_vnd", "per_case_vnd", "note", "source"),
    S.SECTIONS.name: ("reported_status", "stated_rollup", "source"),
}
#: text columns that follow the period
YEAR_TEXT: dict[str, tuple[str, ...]] = {
    S.INDICATORS.name: ("section_title", "name", "sentence", "target_text"),
    S.AWARDS.name: ("title", "part", "sentence"),
    S.CONTRIBUTIONS.name: ("name", "sentence"),
    S.SECTIONS.name: ("title", "heading", "text"),
}
#: meta keys whose text follows the period
META_TEXT = ("title", "opening", "closing")
SYNTHETIC_NOTE = BANNER + "."


@dataclass(frozen=True)
class NewYearResult:
    """What :func:`new_year` made."""

    year: Period
    folder: Path
    source_year: Period
    backup: Path | None
    indicators: int
    awards: int
    contributions: int
    sections: int
    rules_copied: bool
    #: indicators whose target the previous period's plan set
    planned: int = 0
    #: texts that still name the previous period: (file, row or None, column, text)
    left: list[tuple[str, int | None, str, str]] = field(default_factory=list)

    def describe(self) -> str:
        """Vietnamese summary for the command line."""
        lines = [f"Đã tạo khung dữ liệu {self.year.label} tại {shown(self.folder)} từ"
                 f" {self.source_year.label}:",
                 f"  {self.indicators} chỉ tiêu, {self.awards} dòng khen thưởng,"
                 f" {self.contributions} dòng đóng góp, hỗ trợ, {self.sections} mục"
                 + ("; quy định riêng của năm (rules.yaml) được chép nguyên." if self.rules_copied
                    else ".")]
        if self.planned:
            lines.append(f"  {self.planned} chỉ tiêu lấy mức chỉ tiêu từ phần phương hướng"
                         f" {self.source_year.label} (plan.csv).")
        if self.backup is not None:
            lines.append(f"  Dữ liệu cũ {self.year.label} được giữ tại {shown(self.backup)}.")
        if self.left:
            lines.append(f"Cảnh báo: {len(self.left)} chỗ còn ghi {self.source_year.label} mà"
                         " tongket không tự đổi (có thể là ngày hay số văn bản); xem lại:")
            for file, row, column, text in self.left[:10]:
                where = f"{file}, dòng {row}, cột “{column}”" if row else f"{file}, khóa “{column}”"
                lines.append(f"  - {where}: “{text[:90]}”")
            if len(self.left) > 10:
                lines.append(f"  … và {len(self.left) - 10} chỗ khác.")
        lines.append("Cần điền: số liệu thực hiện và đánh giá (indicators.csv), số lượng và số"
                     " quyết định khen thưởng (awards.csv), số tiền (contributions.csv), đánh giá"
                     " từng mục (sections.csv), phương hướng kỳ sau (plan.csv) và các dòng ghi"
                     " “# cần điền” trong meta.yaml.")
        root = self.folder.parent
        data = "" if root.resolve() == paths.data_dir(None).resolve() else f" --data {shown(root)}"
        lines.append(f"Sau đó kiểm tra bằng: tongket check {self.year}{data}")
        return "\n".join(lines)


def new_year(year: int | str | Period | None = None, source: int | str | Period | None = None,
             data: str | os.PathLike | None = None, force: bool = False) -> NewYearResult:
    """Create ``<data>/<period>/`` from the period ``source`` (default: the latest earlier
    one of the same kind); ``year`` defaults to the period after the latest one.

    Raises :class:`~tongket_lib.errors.ParameterError` when there is no period to start
    from or when ``year`` already exists and ``force`` is not set;
    :class:`~tongket_lib.errors.DataError` when the source period is invalid.

    >>> import shutil, tempfile
    >>> from tongket_lib import paths
    >>> root = Path(tempfile.mkdtemp()) / "data"
    >>> _ = shutil.copytree(paths.data_dir() / "2024", root / "2024")
    >>> r = new_year(2025, data=root)
    >>> str(r.source_year), r.backup is None, load_year(2025, root).meta["title"][-4:]
    ('2024', True, '2025')
    """
    root = paths.data_dir(data)
    years = available_years(root)
    have = ", ".join(map(str, years)) if years else "chưa có năm nào"
    if year is None:
        if not years:
            raise ParameterError(f"Chưa có năm nào trong {shown(root)} để tạo năm tiếp theo.")
        year = years[-1].next()
    year = parse_period(year)
    if source is None:
        earlier = [y for y in years if y < year and y.school == year.school]
        if not earlier:
            other = " (chỉ có kỳ khác loại: năm với năm học)" if years else ""
            raise ParameterError(
                f"Không có kỳ nào trước {year.label} trong {shown(root)} để làm mẫu (các năm có:"
                f" {have}){other}. Chọn kỳ mẫu bằng --from, hoặc tạo thư mục mới bằng"
                f" “tongket init”.")
        source = earlier[-1]
    else:
        source = parse_period(source)
        if source == year:
            raise ParameterError(f"Kỳ mẫu phải khác kỳ cần tạo ({year}).")
        if source not in years:
            raise ParameterError(f"Không có dữ liệu {source.label} trong {shown(root)} để làm"
                                 f" mẫu (các năm có: {have}).")
    target = root / year.id
    if target.exists() and not force:
        raise ParameterError(
            f"Đã có dữ liệu {year.label} ở {shown(target)}; tongket không ghi đè. Thêm --force"
            f" để tạo lại (bản cũ được giữ thành bản sao lưu có ghi ngày giờ).")

    previous = load_year(source, root)  # the template must be valid: DataError lists its problems
    src = root / source.id
    left: list[tuple[str, int | None, str, str]] = []
    tables = {spec.name: _carry_over(src / spec.name, spec, source, year, left)
              for spec in S.CSV_FILES if spec is not S.PLAN and (src / spec.name).is_file()}
    planned = _plan_targets(tables.get(S.INDICATORS.name), previous.plan)
    meta_text = _meta_text(src / S.META_FILE, source, year, left)
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
            (scratch_root / year.id).mkdir()
            write(scratch_root / year.id)
            if file_problem(root / S.RULES_FILE, root) is None:  # load_year checked it
                shutil.copyfile(root / S.RULES_FILE, scratch_root / S.RULES_FILE)
            load_year(year, scratch_root)
            backup = write_year_folder(target, write, force=force)
    except OSError as exc:  # the scratch folder (in the system's temporary folder)
        raise ParameterError(f"Không tạo được thư mục tạm để thử {year.label}"
                             f" ({os_reason(exc)}); chưa ghi gì vào {shown(root)}. Kiểm tra chỗ"
                             " trống và quyền ghi của thư mục tạm (biến TMPDIR).") from None

    def rows(name: str) -> int:
        return len(tables[name]) if name in tables else 0

    return NewYearResult(year=year, folder=target, source_year=source, backup=backup,
                         indicators=rows(S.INDICATORS.name), awards=rows(S.AWARDS.name),
                         contributions=rows(S.CONTRIBUTIONS.name),
                         sections=rows(S.SECTIONS.name), rules_copied=rules.is_file(),
                         planned=planned, left=left)


def follow_period(text: str, old: Period, new: Period) -> str:
    """``text`` with the period it names moved from ``old`` to ``new``: "năm 2024" and
    "năm 2025" (the next, in a plan's heading) become "năm 2025" and "năm 2026"; a school
    year "2024 - 2025" (however written) and the next one move the same way. Any other
    number stays.

    >>> follow_period("Thực hiện năm 2024; phương hướng năm 2025; Quý III/2024", Period(2024),
    ...               Period(2025))
    'Thực hiện năm 2025; phương hướng năm 2026; Quý III/2024'
    >>> follow_period("năm học 2024 - 2025, năm học 2025-2026", Period(2024, True),
    ...               Period(2025, True))
    'năm học 2025 - 2026, năm học 2026-2027'
    """
    shift = new.start - old.start
    if old.school:
        def school(m: re.Match) -> str:
            first, second = int(m[1]), int(m[3])
            if second == first + 1 and first in (old.start, old.start + 1):
                return f"{first + shift}{m[2]}{second + shift}"
            return m[0]
        return re.sub(r"(?<![\d/])(\d{4})(\s*[-–]\s*)(\d{4})(?![\d/])", school, text)

    def calendar(m: re.Match) -> str:
        value = int(m[2])
        return f"{m[1]}{value + shift}" if value in (old.start, old.start + 1) else m[0]
    return re.sub(r"(?i)(?<!\w)(năm\s+)(\d{4})(?!\d)", calendar, text)


def replace_year(text: str, old: int, new: int) -> str:
    """``text`` with "năm <old>" written "năm <new>"; any other number stays.

    >>> replace_year("Thực hiện các nhiệm vụ sự nghiệp năm 2024", 2024, 2025)
    'Thực hiện các nhiệm vụ sự nghiệp năm 2025'
    >>> replace_year("Quý III/2024, Năm 2024, năm 20245", 2024, 2025)
    'Quý III/2024, Năm 2025, năm 20245'
    """
    return re.sub(rf"(?<!\w)(năm\s+){old}(?!\d)", rf"\g<1>{new}", text, flags=re.IGNORECASE)


def _still_names(text: str, old: Period) -> bool:
    """Whether ``text`` still names ``old`` as a bare period (not inside a date or a
    document number such as 29/12/2024 or 04/2015/NĐ-CP)."""
    return re.search(rf"(?<![\d/.\-]){re.escape(old.words if old.school else str(old.start))}"
                     rf"(?![\d/])", text) is not None


def _carry_over(path: Path, spec: S.FileSpec, old: Period, new: Period,
                left: list[tuple[str, int | None, str, str]]) -> pd.DataFrame:
    """The table of ``path`` as written (no inferred codes), with results emptied and the
    period followed; texts still naming ``old`` go to ``left``."""
    frame = read_table(path, spec, [])  # load_year accepted it a moment ago
    for column in EMPTIED[spec.name]:
        frame[column] = pd.Series(pd.NA, index=frame.index, dtype="object")
    for column in YEAR_TEXT.get(spec.name, ()):
        frame[column] = frame[column].map(
            lambda v: follow_period(v, old, new) if isinstance(v, str) else v)
        for row, value in frame[column].items():
            if isinstance(value, str) and _still_names(value, old):
                left.append((spec.name, int(row), column, value))
    return frame


def _plan_targets(indicators: pd.DataFrame | None, plan: pd.DataFrame | None) -> int:
    """Take the previous period's plan (its targets for this one) as the indicators'
    targets, with their wording and stretch goal; return how many were set. A plan row
    finds its indicator by id, else by name: the same name, or the one indicator whose name
    begins with it (“Sáng kiến, cải tiến kỹ thuật” for “Sáng kiến, cải tiến kỹ thuật được
    Hội đồng công nhận”)."""
    if indicators is None or plan is None or plan.empty:
        return 0
    from tongket_lib.targets import parse_target, split_stretch

    def folded(value: object) -> str:
        return " ".join(unicodedata.normalize("NFC", str(value)).casefold().split())

    ids = indicators["id"].astype(str).tolist()
    names = [folded(n) for n in indicators["name"]]
    chosen: dict[int, pd.Series] = {}
    for _, row in plan[plan["target"].notna()].iterrows():
        at = [i for i, x in enumerate(ids) if pd.notna(row.get("id")) and x == str(row["id"])]
        if not at and pd.notna(row.get("name")):
            name = folded(row["name"])
            at = [i for i, n in enumerate(names) if n == name] or [
                i for i, n in enumerate(names) if n.startswith(name)]
        if len(at) == 1 and at[0] not in chosen:
            chosen[at[0]] = row
    if not chosen:
        return 0
    for column in ("target", "target_text", "stretch_target"):
        if column not in indicators:
            indicators[column] = None
        indicators[column] = indicators[column].astype(object)
    for i, row in chosen.items():
        wording = row.get("target_text")
        wording = wording if isinstance(wording, str) and wording.strip() else None
        stretch = split_stretch(wording)[1] if wording else None
        indicators.iat[i, indicators.columns.get_loc("target")] = row["target"]
        indicators.iat[i, indicators.columns.get_loc("target_text")] = wording
        indicators.iat[i, indicators.columns.get_loc("stretch_target")] = (
            str(parse_target(stretch)) if stretch else None)
    for column in ("target_text", "stretch_target"):  # a column nobody fills is not written
        if indicators[column].isna().all():
            del indicators[column]
    return len(chosen)


def _meta_text(path: Path, old: Period, new: Period,
               left: list[tuple[str, int | None, str, str]]) -> str:
    """The new period's meta.yaml: what stays, the period followed, emptied decisions,
    comments on what to fill."""

    problems: list[Problem] = []
    raw, _ = read_yaml(read_text(path, problems, shown(path)) or "", shown(path), problems)
    raw = dict(raw or {})
    meta: dict = {key: raw[key] for key in S.META_KEYS if key in raw}
    meta["year"] = new.id if new.school else new.start
    for key in META_TEXT:  # the document's title and sentences name the period
        if isinstance(meta.get(key), str):
            meta[key] = follow_period(meta[key], old, new)
            if _still_names(meta[key], old):
                left.append((S.META_FILE, None, key, meta[key]))
    meta["decisions"] = []
    if isinstance(meta.get("number"), str):  # keep the ký hiệu ("/BC-CĐCS"), not the number
        meta["number"] = meta["number"][meta["number"].find("/"):] if "/" in meta["number"] else ""
    if "date" in meta:
        meta["date"] = ""
    synthetic = raw.get("synthetic") is True
    meta["notes"] = (
        (SYNTHETIC_NOTE + " " if synthetic else "")
        + f"Khung báo cáo {new.label} tạo bằng “tongket new-year” từ dữ liệu {old.label}. Cần"
        f" điền: số liệu thực hiện (cột actual), đánh giá của báo cáo (reported_status), giải"
        f" thích và nguồn của từng chỉ tiêu trong indicators.csv; số lượng và số quyết định khen"
        f" thưởng trong awards.csv; số tiền, số trường hợp trong contributions.csv; đánh giá chung"
        f" và câu tổng hợp của các mục trong sections.csv; phương hướng kỳ sau trong plan.csv;"
        f" các quyết định khen thưởng (decisions) trong tệp này; kiểm tra lại tiêu đề, căn cứ"
        f" (nghị quyết hội nghị CCVCNLĐ, giao ước thi đua của {new.label}), nơi nhận và người ký.")
    comments = {
        "title": "cần điền: kiểm tra lại tiêu đề báo cáo",
        "legal_bases": f"cần điền: cập nhật căn cứ của {new.label} (nghị quyết hội nghị"
                       f" CCVCNLĐ, giao ước thi đua); các dòng dưới đây chép từ {old.label}",
        "decisions": f"cần điền: các quyết định khen thưởng {new.label} (number, date"
                     f" dd/mm/yyyy, issuer, subject)",
        "recipients": "cần điền: kiểm tra lại nơi nhận",
        "signatory": "cần điền: kiểm tra lại người ký (chức vụ, họ tên)",
        "number": "cần điền: số văn bản trước dấu “/” khi có; để trống thì văn bản in dấu chấm",
        "date": "cần điền: ngày ban hành dd/mm/yyyy khi có; để trống thì văn bản in dấu chấm",
        "notes": "cần điền: thay bằng ghi chú của báo cáo khi đã điền xong",
    }
    head = [f"# Thông tin chung của báo cáo {new.label}, tạo bằng “tongket new-year {new}” từ"
            f" {old.label}.",
            "# Ngày viết dạng dd/mm/yyyy. Các dòng ghi “# cần điền” là chỗ phải điền hoặc xem"
            " lại."]
    return commented_meta(head, [(key, value, comments.get(key)) for key, value in meta.items()])
