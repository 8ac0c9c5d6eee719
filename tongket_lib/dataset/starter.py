"""A new organisation's data folder from a blank start: ``tongket init``.

Each kind of organisation (:data:`KINDS`: a state agency, a school, a health facility, an
enterprise) has a starter in ``starters/<kind>.yaml``: the usual parts of a union's
year-end report and a few typical indicators, awards and money lines, with every result
empty. :func:`start` writes them as the first period of a new data folder, with the shared
rules (``rules.yaml``) beside it and a ``meta.yaml`` whose fields to fill are marked
``# cần điền``. The folder loads at once, so the route can be the workbook only
(``tongket excel export``).
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from tongket_lib.dataset import schema as S
from tongket_lib.dataset.layout import shown
from tongket_lib.dataset.readers import NOT_TEXT
from tongket_lib.dataset.store import commented_meta, write_table, write_year_folder
from tongket_lib.errors import ParameterError
from tongket_lib.period import Period, parse_period

STARTERS = Path(__file__).resolve().parent / "starters"
#: the kinds of organisation a data folder can start from, with their labels
KINDS: dict[str, str] = {"co-quan": "Cơ quan hành chính, đơn vị sự nghiệp",
                         "truong-hoc": "Trường học (báo cáo theo năm học)",
                         "y-te": "Cơ sở y tế", "doanh-nghiep": "Doanh nghiệp"}
TO_FILL = "cần điền"


@dataclass(frozen=True)
class StartResult:
    """What :func:`start` made."""

    folder: Path
    period: Period
    kind: str
    rows: dict[str, int]

    def describe(self) -> str:
        """Vietnamese summary for the command line: what is there, what to do next."""
        year = self.folder / self.period.id
        data = shown(self.folder)
        return "\n".join([
            f"Đã tạo thư mục dữ liệu {data} cho {KINDS[self.kind].lower()}, {self.period.label}:",
            f"  {shown(year)}: {self.rows.get(S.SECTIONS.name, 0)} mục,"
            f" {self.rows.get(S.INDICATORS.name, 0)} chỉ tiêu mẫu,"
            f" {self.rows.get(S.AWARDS.name, 0)} dòng khen thưởng,"
            f" {self.rows.get(S.CONTRIBUTIONS.name, 0)} dòng quỹ, hỗ trợ (kết quả để trống);",
            f"  {shown(self.folder / S.RULES_FILE)}: các quy định dùng chung.",
            "Điền thông tin chung (các dòng “# cần điền” trong meta.yaml) và số liệu, bằng Excel:",
            f"  tongket excel export {self.period.id} --data {data} -o so-lieu.xlsx",
            f"  tongket excel import so-lieu.xlsx --year {self.period.id} --data {data} --force",
            f"rồi: tongket report {self.period.id} --data {data}"])


def start(folder: str | os.PathLike, kind: str, period: Any,
          name: str | None = None) -> StartResult:
    """Write a new data folder ``folder`` for an organisation of ``kind`` whose first
    period is ``period``; ``name`` is its union's name, when known.

    ``folder`` must not hold data already: nothing there is ever replaced.
    """
    if kind not in KINDS:
        raise ParameterError(f"Loại đơn vị “{kind}” không có. Chọn một trong: "
                             + ", ".join(f"{k} ({label})" for k, label in KINDS.items()) + ".")
    period = parse_period(period)
    odd = NOT_TEXT.search(name or "")
    if odd is not None:  # check would refuse the meta.yaml written with it
        raise ParameterError(f"Tên {name!r} có ký tự U+{ord(odd.group()):04X} không phải chữ"
                             " (ký tự điều khiển): gõ lại tên, bỏ ký tự đó.")
    root = Path(folder)
    if root.exists() and (not root.is_dir() or any(root.iterdir())):
        raise ParameterError(f"{shown(root)} đã có (và không trống); tongket init không ghi vào"
                             " thư mục đã có dữ liệu. Chọn một thư mục mới.")
    import yaml

    spec = yaml.safe_load((STARTERS / f"{kind}.yaml").read_text(encoding="utf-8"))
    if bool(spec.get("school_year")) != period.school:
        usual = "năm học, ví dụ 2024-2025" if spec.get("school_year") else "năm, ví dụ 2025"
        raise ParameterError(f"{KINDS[kind]} thường báo cáo theo {usual}; kỳ {period.id} là"
                             f" {period.label}. Dùng --year đúng loại kỳ.")
    tables = {file.name: _table(file, spec) for file in S.CSV_FILES}
    meta = _meta(period, name, spec)

    def write(year_folder: Path) -> None:
        (year_folder / S.META_FILE).write_text(meta, encoding="utf-8")
        for file in S.CSV_FILES:
            if file.required or not tables[file.name].empty:
                write_table(tables[file.name], file, year_folder / file.name)

    try:
        root.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(STARTERS / S.RULES_FILE, root / S.RULES_FILE)
    except OSError as exc:
        raise ParameterError(f"Không tạo được thư mục {shown(root)} ({exc.strerror}). Chọn nơi"
                             " khác.") from None
    write_year_folder(root / period.id, write)
    return StartResult(root, period, kind, {k: len(v) for k, v in tables.items()})


def _table(file: S.FileSpec, spec: dict) -> pd.DataFrame:
    """One file of the starter, every column of its spec present."""
    rows = spec.get(file.name.removesuffix(".csv"), [])
    unknown = {key for row in rows for key in row} - set(file.columns)
    if unknown:  # a starter shipped with the library is wrong: a bug, not the user's input
        raise ValueError(f"starter {file.name}: unknown columns {sorted(unknown)}")
    frame = pd.DataFrame(rows, columns=file.columns, dtype="object")
    if file is S.INDICATORS:
        titles = {s["section"]: s["title"] for s in spec.get("sections", [])}
        frame["direction"] = frame["direction"].fillna("higher")
        frame["kind"] = frame["kind"].fillna("indicator")
        frame["section_title"] = frame["section_title"].fillna(frame["section"].map(titles))
    return frame


def _meta(period: Period, name: str | None, spec: dict) -> str:
    """meta.yaml of the first period, the fields a person must fill marked ``# cần điền``."""

    fields: list[tuple[str, Any, str]] = [
        ("year", period.id if period.school else period.start, ""),
        ("organisation", "", f"{TO_FILL}: {spec.get('organisation', 'tên cơ quan, đơn vị')}"),
        ("union", name or "", f"{TO_FILL}: tên công đoàn cơ sở" if not name else ""),
        ("upper_union", "", f"{TO_FILL}: công đoàn cấp trên trực tiếp"),
        ("header_upper", "", f"{TO_FILL}: dòng 1 góc trái, chữ in hoa (công đoàn cấp trên)"),
        ("header_issuer", "", f"{TO_FILL}: dòng 2 góc trái, chữ in hoa (ví dụ CĐCS …)"),
        ("document_type", "Báo cáo", ""),
        ("number", "/BC-CĐCS", f"{TO_FILL}: số trước dấu “/” khi có; để trống: in dấu chấm"),
        ("place", "", f"{TO_FILL}: địa danh ghi ở dòng ngày tháng"),
        ("date", "", f"{TO_FILL}: ngày ban hành dd/mm/yyyy khi có"),
        ("title", f"Tổng kết phong trào thi đua, khen thưởng {period.label}", ""),
        ("legal_bases", [], f"{TO_FILL}: căn cứ (kế hoạch, nghị quyết, giao ước thi đua)"),
        ("decisions", [], f"{TO_FILL}: các quyết định khen thưởng (number, date, issuer,"
                          " subject)"),
        ("recipients", ["Công đoàn cấp trên", "Lưu: VT"], f"{TO_FILL}: nơi nhận"),
        ("signatory", {"on_behalf": "TM. BAN CHẤP HÀNH", "authority": "", "title": "Chủ tịch",
                       "name": ""}, f"{TO_FILL}: họ tên người ký; KT. khi cấp phó ký thay"),
    ]
    return commented_meta([f"# Thông tin chung của báo cáo {period.label}, tạo bằng “tongket init”.",
                           "# Ngày viết dạng dd/mm/yyyy. Các dòng ghi “# cần điền” là chỗ phải"
                           " điền."], fields)
