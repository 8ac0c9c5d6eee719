"""A reproducible demonstration dataset for a fictional agency.

:func:`make_demo` writes one year folder a year for the made-up "Sở Khoa học và Công
nghệ tỉnh Minh Phúc" (there is no province Minh Phúc), shaped like the real data so
that every report feature has something to show: every target kind, both directions,
series that reach their target, are on track, need acceleration, barely move or move
away; one indicator renamed, one new and one dropped; counts tied to a slowly changing
union membership; awards of both streams with a 15% cap that fires in some years;
fund drives and support items; a stated roll-up that matches the data.

Everything is drawn from ``numpy.random.default_rng(seed)``: the same seed gives
byte-identical files. Every year is marked ``synthetic: true``.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from tongket_lib.dataset import schema as S
from tongket_lib.dataset.layout import parse_year, shown
from tongket_lib.dataset.load import load_year
from tongket_lib.dataset.readers import read_text, read_yaml
from tongket_lib.dataset.store import replace_atomically, write_year
from tongket_lib.errors import ParameterError, Problem
from tongket_lib.evaluation.status import compute_verdicts, evaluate, rollup_sentence
from tongket_lib.evaluation.targets import describe_target
from tongket_lib.vn import format_date, format_money, format_quantity
from tongket_lib.vocab import BANNER, BANNER_MARKER, LABELS, NOT_MET

DEFAULT_SEED = 20241129
DEFAULT_YEARS = range(2021, 2025)

ORGANISATION = "Sở Khoa học và Công nghệ tỉnh Minh Phúc"
SHORT = "Sở Khoa học và Công nghệ"
UNION = f"Công đoàn cơ sở {ORGANISATION}"
DIRECTOR = "Giám đốc Sở Khoa học và Công nghệ"
GOV_SUFFIX = "QĐ-SKHCN"
UNION_SUFFIX = "QĐ-CĐCS"
NOTE = BANNER
#: text that marks files this module wrote (README.md, rules.yaml)
MARKER = BANNER_MARKER

RENAMED, NEW, DROPPED = "dvc_toan_trinh", "ky_so_van_ban", "dvc_muc_3"

#: the progress class each series is designed to show with tongket_lib.evaluation.trends.progress
#: (Open SDG ratio of observed to needed growth, target due in the latest year), for
#: any seed and any number of years from two up
DESIGNED_TRENDS: dict[str, str] = {
    "hoc_tap_nghi_quyet": "target_reached",     # 100% every year
    "kiem_tra_tdc": "target_reached",           # met every year
    "hai_long": "target_reached",               # met every year, exceeded at the end
    "tthc_dung_han": "target_reached",          # reached mid-way (higher is better)
    "ho_so_bo_sung": "target_reached",          # reached mid-way (lower is better)
    "ho_so_truc_tuyen": "target_reached",       # reached in the last year
    "ung_dung_ket_qua": "on_track",             # ends just under its target
    "dvc_toan_trinh": "on_track",               # the same, and renamed mid-way
    "de_tai_dung_han": "acceleration_needed",   # about 0,75 of the needed growth
    "nhiem_vu_dung_tien_do": "limited_progress",  # barely moves
    "doanh_nghiep_khcn": "limited_progress",    # flat
    "giai_ngan_von": "moving_away",             # falls (higher is better)
    "vi_pham_do_luong": "moving_away",          # rises (lower is better)
}

#: deliberate disagreements between the report's verdict and the numbers:
#: (indicator id, year position: 0 first, -1 last) → reported verdict
DISAGREEMENTS: dict[tuple[str, int], str] = {
    ("ung_dung_ket_qua", -1): "met",     # about 69,5% against “từ 70% trở lên”: a warning
    ("cstdcs_ty_le", 1): "met",          # 15,x% against 10–15%: exceeded, an info
}

#: CSTĐCS / LĐTT by year position (cycled): 15% is passed in the 2nd and 4th year
CSTDCS_SHARES = (0.132, 0.156, 0.141, 0.158)


@dataclass(frozen=True)
class Ind:
    """One demonstration indicator and how its actual moves over the years."""

    id: str
    section: str
    name: str
    target: str | None
    unit: str = "%"
    direction: str = "higher"
    path: tuple[float, float] | None = None  # actual in the first and the last year
    shape: str = "linear"                    # linear, or ease_out (fast, then levelling)
    noise: float = 0.0                       # uniform noise added to the path
    pattern: tuple[float, ...] = ()          # or: the actual by year position, cycled
    reported: tuple[str, ...] = ()           # or: the reported verdict only, cycled
    derived: bool = False                    # or: computed from awards and members
    decimals: int = 1
    exceed_at: float | None = None
    target_text: str | None = None
    award: str | None = None
    group: str | None = None
    old_name: str | None = None              # name before the rename year


SECTIONS: dict[str, str] = {
    "1": "Về thực hiện các nhiệm vụ chính trị",
    "1.1": "Công tác tuyên truyền, giáo dục chính trị và công tác tư tưởng",
    "1.2": "Về thực hiện nhiệm vụ chuyên môn",
    "1.2.a": "Về tham mưu xây dựng văn bản quy phạm pháp luật",
    "1.2.b": "Về quản lý nhiệm vụ khoa học và công nghệ",
    "1.2.c": "Về tiêu chuẩn, đo lường, chất lượng",
    "1.2.d": "Thực hiện cải cách hành chính",
    "1.2.đ": "Về chăm lo đời sống vật chất, tinh thần",
    "1.2.e": "Thực hiện các nhiệm vụ sự nghiệp năm {year}",
    "1.2.f": "Thực hiện phong trào thi đua",
    "2": "Giao ước thi đua chung",
    "3": "Trách nhiệm các bên trong quá trình tổ chức thực hiện",
    "3.1": "Trách nhiệm của Thủ trưởng cơ quan",
    "3.2": "Trách nhiệm của Ban chấp hành Công đoàn",
}

INDICATORS: tuple[Ind, ...] = (
    # 1.1
    Ind("hoc_tap_nghi_quyet", "1.1",
        "CCVCLĐ, đoàn viên công đoàn được học tập, quán triệt nghị quyết của Đảng, chính sách,"
        " pháp luật của Nhà nước và Điều lệ Công đoàn Việt Nam", "= 100", path=(100, 100)),
    Ind("vi_pham_ky_luat", "1.1",
        "CCVCLĐ, đoàn viên công đoàn vi phạm và bị xử lý kỷ luật từ hình thức khiển trách trở lên",
        "<= 0", "người", "lower", pattern=(0, 1, 0, 0), decimals=0,
        target_text="Không có CCVCLĐ, đoàn viên công đoàn vi phạm"),
    Ind("nghi_quyet_tinh_uy", "1.1",
        "Đảng viên, CCVCLĐ thực hiện tốt các chỉ thị, nghị quyết của Tỉnh ủy Minh Phúc về xây"
        " dựng, chỉnh đốn Đảng", "= 100", reported=("met",)),
    Ind("noi_khong_tieu_cuc", "1.1",
        "CCVCLĐ thực hiện “nói không với tiêu cực” trong thi hành công vụ", "= 100",
        reported=("met",)),
    # 1.2.a
    Ind("qppl_tham_muu", "1.2.a",
        "Văn bản quy phạm pháp luật, văn bản chỉ đạo, điều hành về khoa học và công nghệ tham"
        " mưu Tỉnh ủy, HĐND tỉnh, UBND tỉnh", "= 10", "văn bản", pattern=(9, 10, 11, 10),
        decimals=0),
    # 1.2.b
    Ind("de_tai_dung_han", "1.2.b",
        "Đề tài, dự án khoa học và công nghệ cấp tỉnh được nghiệm thu đúng hạn", ">= 85",
        path=(72.0, 82.0), noise=0.3),
    Ind("ung_dung_ket_qua", "1.2.b",
        "Kết quả nhiệm vụ khoa học và công nghệ được chuyển giao, ứng dụng vào thực tiễn",
        ">= 70", path=(52.0, 69.5), noise=0.2),
    Ind("doanh_nghiep_khcn", "1.2.b",
        "Doanh nghiệp được cấp mới Giấy chứng nhận doanh nghiệp khoa học và công nghệ", ">= 5",
        "doanh nghiệp", path=(2.8, 3.1), noise=0.35, decimals=0),
    # 1.2.c
    Ind("kiem_tra_tdc", "1.2.c",
        "Cuộc thanh tra, kiểm tra về tiêu chuẩn, đo lường, chất lượng", ">= 12", "cuộc",
        pattern=(12, 14, 13, 15), decimals=0),
    Ind("vi_pham_do_luong", "1.2.c",
        "Số vụ vi phạm về đo lường, chất lượng sản phẩm, hàng hóa bị xử lý trên địa bàn tỉnh",
        "<= 10", "vụ", "lower", path=(6, 14), noise=0.4, decimals=0),
    Ind("iso_co_quan", "1.2.c",
        "Cơ quan hành chính nhà nước trên địa bàn tỉnh duy trì hệ thống quản lý chất lượng theo"
        " TCVN ISO 9001:2015", "= 100", reported=("met",)),
    # 1.2.d
    Ind("tthc_dung_han", "1.2.d",
        "Hồ sơ thủ tục hành chính được giải quyết đúng hoặc trước hạn", "> 99",
        path=(96.5, 99.7), shape="ease_out", noise=0.08, decimals=2,
        target_text="trên 99%"),
    Ind("ho_so_bo_sung", "1.2.d",
        "Hồ sơ thủ tục hành chính phải bổ sung, làm lại do lỗi của cơ quan giải quyết", "< 1",
        direction="lower", path=(2.6, 0.4), shape="ease_out", noise=0.05, decimals=2,
        target_text="dưới 1%"),
    Ind(DROPPED, "1.2.d",
        "Thủ tục hành chính được cung cấp dịch vụ công trực tuyến mức độ 3", "> 80",
        path=(82.0, 86.0), noise=0.3),
    Ind(RENAMED, "1.2.d",
        "Thủ tục hành chính được cung cấp dịch vụ công trực tuyến toàn trình", ">= 80",
        path=(50.0, 79.0), noise=0.3,
        old_name="Thủ tục hành chính được cung cấp dịch vụ công trực tuyến mức độ 4"),
    Ind("ho_so_truc_tuyen", "1.2.d",
        "Hồ sơ tiếp nhận, giải quyết qua dịch vụ công trực tuyến", ">= 1500", "hồ sơ",
        path=(820, 1640), noise=15, decimals=0),
    Ind(NEW, "1.2.d",
        "Văn bản đi của Sở được ký số và gửi trên môi trường điện tử", ">= 95",
        path=(93.5, 98.6), noise=0.2),
    Ind("hai_long", "1.2.d",
        "Mức độ hài lòng của người dân, doanh nghiệp đối với việc giải quyết thủ tục hành chính",
        ">= 85", path=(88.0, 96.4), noise=0.3, exceed_at=95,
        target_text="từ 85% trở lên (trên 95% là vượt)"),
    Ind("tap_huan", "1.2.d",
        "Lớp tập huấn kỹ năng, nghiệp vụ cho CC, VC, NLĐ của Sở", ">= 3", "cuộc",
        pattern=(3, 4, 3, 2), decimals=0),
    # 1.2.đ
    Ind("kham_suc_khoe", "1.2.đ", "CC, VC, NLĐ được khám sức khỏe định kỳ", "= 100",
        pattern=(100, 100, 86.5, 100)),
    Ind("thu_nhap", "1.2.đ",
        "Thu nhập tăng thêm của CCVCNLĐ không thấp hơn mức bình quân của các đơn vị cùng loại"
        " hình trong tỉnh", None, "", reported=("met", "met", "met", "not_assessed"),
        target_text="không thấp hơn mức bình quân chung của các đơn vị cùng loại hình"),
    Ind("hoi_thao", "1.2.đ",
        "CC, VC, NLĐ tham gia các hội thao, hội thi do Sở hoặc công đoàn tổ chức", ">= 30",
        path=(27.5, 36.0), noise=0.2),
    # 1.2.e
    Ind("giai_ngan_von", "1.2.e", "Vốn sự nghiệp khoa học và công nghệ được giải ngân", "> 90",
        path=(95.1, 85.2), noise=0.3, target_text="trên 90%"),
    Ind("nhiem_vu_dung_tien_do", "1.2.e",
        "Nhiệm vụ trọng tâm của các đơn vị sự nghiệp hoàn thành đúng tiến độ", ">= 90",
        path=(81.2, 82.4), noise=0.2),
    # 1.2.f
    Ind("ttldtt_phong", "1.2.f",
        "Phòng, đơn vị thuộc Sở đạt danh hiệu Tập thể lao động tiên tiến", "= 100",
        derived=True, award="ttldtt"),
    Ind("ttldxs_phong", "1.2.f",
        "Phòng, đơn vị thuộc Sở được đề nghị công nhận Tập thể lao động xuất sắc", ">= 20",
        derived=True, award="ttldxs", target_text="ít nhất 20%"),
    Ind("cstdcs_ty_le", "1.2.f",
        "Cá nhân đạt danh hiệu Chiến sĩ thi đua cơ sở (so với số cá nhân đạt Lao động tiên tiến)",
        "10..15", derived=True, decimals=2, award="cstdcs", target_text="từ 10 - 15%"),
    Ind("ldtt_ty_le", "1.2.f", "Cá nhân đạt danh hiệu Lao động tiên tiến", "> 80",
        derived=True, decimals=2, award="ldtt", target_text="trên 80%"),
    Ind("cstd_cap_tinh", "1.2.f", "Cá nhân được đề nghị công nhận Chiến sĩ thi đua cấp tỉnh",
        ">= 2", "cá nhân", derived=True, decimals=0, award="cstd_tinh",
        target_text="ít nhất 2 cá nhân"),
    Ind("bang_khen", "1.2.f",
        "Tập thể, cá nhân được Chủ tịch UBND tỉnh và Bộ trưởng Bộ Khoa học và Công nghệ tặng"
        " Bằng khen", "5..10", "tập thể, cá nhân", reported=("met", "met", "met", "expected"),
        award="bang_khen", target_text="từ 5 - 10 tập thể, cá nhân"),
    Ind("ky_niem_chuong", "1.2.f",
        "Cá nhân đủ tiêu chuẩn được đề nghị tặng Kỷ niệm chương “Vì sự nghiệp khoa học và"
        " công nghệ”", "= 100", reported=("met", "in_progress", "met", "in_progress"),
        award="ky_niem_chuong"),
    Ind("doan_vien_xuat_sac", "1.2.f",
        "Đoàn viên được công nhận danh hiệu Đoàn viên công đoàn xuất sắc", ">= 90",
        derived=True, decimals=2, award="dvcd_xs", group="đoàn viên",
        target_text="90% trở lên"),
    Ind("gvndvn", "1.2.f",
        "Đoàn viên nữ được công nhận danh hiệu “Giỏi việc nước, đảm việc nhà”", "= 100",
        derived=True, decimals=2, award="gvndvn", group="đoàn viên nữ",
        target_text="Phấn đấu 100%"),
    # 2
    Ind("co_quan_van_minh", "2",
        "Sở Khoa học và Công nghệ được công nhận cơ quan đạt chuẩn văn minh", None, "",
        reported=("met",)),
    Ind("cong_doan_xep_loai", "2", "Công đoàn cơ sở xếp loại Hoàn thành xuất sắc nhiệm vụ",
        None, "", reported=("met",)),
    # 3.1
    Ind("giao_nhiem_vu", "3.1",
        "Giao nhiệm vụ, chỉ tiêu, kế hoạch cho phòng, đơn vị; kiểm tra và giải quyết phát sinh",
        None, "", reported=("met",)),
    Ind("cong_khai_tai_chinh", "3.1",
        "Thực hiện đầy đủ, kịp thời chế độ tiền lương, tiền thưởng, phúc lợi; công khai tài chính",
        None, "", reported=("met",)),
    # 3.2
    Ind("kiem_tra_dieu_le", "3.2", "Cuộc kiểm tra việc chấp hành Điều lệ Công đoàn", ">= 1",
        "cuộc", pattern=(1, 2, 1, 1), decimals=0),
    Ind("khieu_nai_to_cao", "3.2", "Đơn thư khiếu nại, tố cáo phát sinh trong đoàn viên",
        "<= 0", "đơn thư", "lower", pattern=(0, 0, 1, 0), decimals=0,
        target_text="không để phát sinh đơn thư"),
    Ind("van_dong_quy", "3.2", "Vận động CCVCLĐ đóng góp các quỹ xã hội, từ thiện", None, "",
        reported=("met",)),
)

#: why an indicator was not met, as the report would say it
REASONS: dict[str, str] = {
    "vi_pham_ky_luat": "Có {x} người bị kỷ luật khiển trách do vi phạm quy trình nghiệp vụ.",
    "qppl_tham_muu": "Hoàn thành {x} văn bản; các văn bản còn lại chuyển sang năm sau.",
    "de_tai_dung_han": "Một số đề tài phải gia hạn do chậm thu thập số liệu.",
    "ung_dung_ket_qua": "Một số kết quả chưa tìm được đơn vị tiếp nhận.",
    "doanh_nghiep_khcn": "Ít doanh nghiệp đủ điều kiện nộp hồ sơ.",
    "vi_pham_do_luong": "Số vụ vi phạm tăng do mở rộng kiểm tra hàng đóng gói sẵn.",
    "tthc_dung_han": "Một số hồ sơ trễ hẹn do phải lấy ý kiến liên ngành.",
    "ho_so_bo_sung": "Một số hồ sơ phải bổ sung do hướng dẫn chưa rõ.",
    "dvc_toan_trinh": "Còn thủ tục chưa đủ điều kiện cung cấp toàn trình.",
    "ho_so_truc_tuyen": "Người dân còn quen nộp hồ sơ trực tiếp.",
    "tap_huan": "Kinh phí tập huấn bị cắt giảm.",
    "kham_suc_khoe": "Khối quản lý nhà nước chưa tổ chức khám sức khỏe định kỳ.",
    "hoi_thao": "Không tổ chức được hội thao ngành.",
    "giai_ngan_von": "Nhiều nhiệm vụ đang trong giai đoạn kiểm tra, nghiệm thu.",
    "nhiem_vu_dung_tien_do": "Một số nhiệm vụ chậm tiến độ do thiếu nhân lực.",
    "ttldtt_phong": "Có 01 phòng, đơn vị chưa đạt Tập thể lao động tiên tiến.",
    "gvndvn": "Một số đoàn viên nữ chưa đủ tiêu chuẩn.",
    "cstd_cap_tinh": "Không đủ số cá nhân đạt 3 lần liên tục Chiến sĩ thi đua cơ sở.",
    "khieu_nai_to_cao": "Phát sinh {x} đơn thư, đã giải quyết dứt điểm.",
}

FUNDS = (  # name, lowest and highest amount in million đồng
    ("Quỹ mái ấm công đoàn", 20, 45),
    ("Quỹ phòng, chống thiên tai", 15, 30),
    ("Quỹ Vì người nghèo", 60, 120),
    ("Quỹ khuyến học tỉnh Minh Phúc", 10, 25),
    ("Quỹ đền ơn đáp nghĩa", 15, 35),
    ("Quỹ ủng hộ đồng bào bị thiệt hại do bão, lũ", 40, 110),
)
UNITS = 8      # phòng, đơn vị thuộc Sở
SUBUNITS = 6   # phòng trực thuộc các đơn vị của Sở

README = """\
# Dữ liệu minh họa

Thư mục này do `scripts/make_demo.py` tạo ra: **dữ liệu minh họa, không phải số liệu thật**.
“{organisation}” là một cơ quan hư cấu (không có tỉnh Minh Phúc); mọi con số, tên
người, số quyết định đều được sinh ngẫu nhiên có kiểm soát. Mỗi năm có `synthetic: true`
trong `meta.yaml` và báo cáo dựng từ đây luôn ghi rõ là dữ liệu minh họa.

Bộ dữ liệu có đủ các trường hợp để xem mọi tính năng: chỉ tiêu đạt, vượt, không đạt, chỉ có
lời đánh giá, báo cáo đánh giá khác số liệu; xu hướng nhiều năm (đã đạt, đúng hướng, cần tăng
tốc, tiến bộ hạn chế, đi xa chỉ tiêu); một chỉ tiêu đổi tên, một chỉ tiêu mới, một chỉ tiêu
bỏ; tỷ lệ Chiến sĩ thi đua cơ sở có năm vượt 15%; các quỹ và khoản hỗ trợ.

Đừng sửa tay: sửa `tongket_lib/demo.py` rồi tạo lại. Lệnh tạo lại đúng như bản hiện có:

```bash
python scripts/make_demo.py --out data/demo --years {first}-{last} --seed {seed}
```

Dùng thử: `tongket check {last} --data data/demo`.
"""

RULES = """\
# Dữ liệu minh họa – không phải số liệu thật. Tạo bằng scripts/make_demo.py; đừng sửa tay.
# Quy định dùng chung cho các năm của bộ dữ liệu minh họa (xem data/rules.yaml).

rules:
  - id: nd91-2017-cstdcs-15
    title: Số cá nhân đạt Chiến sĩ thi đua cơ sở không quá 15% số cá nhân đạt Lao động tiên tiến
    source: Khoản 3 Điều 9 Nghị định số 91/2017/NĐ-CP của Chính phủ
    quote: >-
      Tỷ lệ cá nhân được công nhận danh hiệu “Chiến sĩ thi đua cơ sở” không quá 15%
      tổng số cá nhân đạt danh hiệu “Lao động tiên tiến”.
    quote_verified: false
    in_force_from: 01/10/2017
    in_force_until: 31/12/2023
    check: ratio_at_most
    numerator: cstdcs
    denominator: ldtt
    limit_percent: 15
    states: [granted]
    severity: error
  # Quy chế riêng của cơ quan hư cấu, giữ mức 15% sau khi Nghị định 91/2017 hết hiệu lực.
  - id: skhcn-minh-phuc-cstdcs-15
    title: Số cá nhân đạt Chiến sĩ thi đua cơ sở không quá 15% số cá nhân đạt Lao động tiên tiến
    source: Quy chế thi đua, khen thưởng của {organisation} (văn bản minh họa)
    quote: >-
      Số cá nhân được đề nghị công nhận danh hiệu “Chiến sĩ thi đua cơ sở” không quá 15%
      số cá nhân đạt danh hiệu “Lao động tiên tiến” của cơ quan.
    quote_verified: false
    in_force_from: 01/01/2024
    applies_to: {organisation}
    check: ratio_at_most
    numerator: cstdcs
    denominator: ldtt
    limit_percent: 15
    states: [granted]
    severity: warning
"""


def make_demo(folder: str | os.PathLike, years: Iterable[int] = DEFAULT_YEARS,
              seed: int = DEFAULT_SEED, validate: bool = True) -> list[Path]:
    """Write the demonstration data into ``folder``; return the year folders written.

    ``folder`` is regenerated: its README.md and rules.yaml and the year folders of
    ``years`` are replaced, other demonstration years are removed. A folder holding
    anything that is not demonstration data (a year whose meta.yaml is not
    ``synthetic: true``) is refused with a :class:`~tongket_lib.errors.ParameterError`.

    >>> import tempfile
    >>> out = Path(tempfile.mkdtemp()) / "demo"
    >>> [p.name for p in make_demo(out, years=[2023, 2024], seed=1)]
    ['2023', '2024']
    >>> load_year(2024, out).synthetic
    True
    """
    folder = Path(folder)
    years = sorted({parse_year(y) for y in years})
    if not years:
        raise ParameterError("Cần ít nhất một năm để tạo dữ liệu minh họa.")
    seed = int(seed)
    stale = _check_folder(folder)
    folder.mkdir(parents=True, exist_ok=True)

    rng = np.random.default_rng(seed)
    people = _people(rng, len(years))
    written = []
    for i, year in enumerate(years):
        meta, tables = _year(rng, year, i, len(years), people[i])
        written.append(_replace_year(folder, year, meta, tables))
    for year in stale - set(years):
        shutil.rmtree(folder / str(year))
    (folder / S.RULES_FILE).write_text(RULES.format(organisation=ORGANISATION), encoding="utf-8")
    (folder / "README.md").write_text(
        README.format(organisation=ORGANISATION, first=years[0], last=years[-1], seed=seed),
        encoding="utf-8")
    if validate:
        for year in years:
            load_year(year, folder)
    return written


# -- the folder ---------------------------------------------------------------------------

def _check_folder(folder: Path) -> set[int]:
    """Refuse a folder with real data; return the demonstration years already there."""
    if folder.exists() and not folder.is_dir():
        raise ParameterError(f"{shown(folder)} là một tệp, không phải thư mục.")
    if not folder.is_dir():
        return set()
    years: set[int] = set()
    for path in sorted(folder.iterdir()):
        if path.is_dir() and path.name.isdigit() and len(path.name) == 4:
            if not _is_synthetic(path / S.META_FILE):
                raise ParameterError(
                    f"Thư mục {shown(folder)} có dữ liệu không phải minh họa (năm {path.name}:"
                    f" {S.META_FILE} không ghi “synthetic: true”). Không ghi dữ liệu minh họa"
                    f" vào đó; chọn thư mục khác bằng --out.")
            years.add(int(path.name))
    for name in ("README.md", S.RULES_FILE):
        path = folder / name
        if path.is_file() and MARKER not in path.read_text(encoding="utf-8", errors="replace"):
            raise ParameterError(
                f"{shown(path)} không phải tệp của dữ liệu minh họa; không ghi đè. Chọn thư mục"
                f" khác bằng --out.")
    return years


def _is_synthetic(meta_path: Path) -> bool:
    problems: list[Problem] = []
    if not meta_path.is_file():
        return False
    text = read_text(meta_path, problems)
    data, _ = read_yaml(text or "", meta_path.name, problems)
    return isinstance(data, dict) and data.get("synthetic") is True


def _replace_year(folder: Path, year: int, meta: dict, tables: dict) -> Path:
    """Write one year into a temporary folder, then swap it in place of the old one."""
    target = folder / str(year)
    replace_atomically(target, lambda tmp: write_year(tmp, meta, tables), folder=True,
                       keep_backup=False)
    return target


def _position(i: int, n: int) -> float:
    """Where year ``i`` of ``n`` lies between the first (0) and the last (1)."""
    return 1.0 if n == 1 else i / (n - 1)


def _pct(part: int, whole: int) -> float:
    return round(part * 100 / whole, 2)


def _people(rng: np.random.Generator, n: int) -> list[dict]:
    """Staff, union members and women members for each of ``n`` years: a membership that
    changes by a few people a year (the implied-total checks rely on it)."""
    staff = int(rng.integers(176, 190))
    members = staff - int(rng.integers(3, 8))
    women = int(round(members * rng.uniform(0.40, 0.46)))
    people = []
    for _ in range(n):
        people.append({"staff": staff, "members": members, "women": women})
        step = int(rng.integers(-3, 3))
        staff += step
        members = min(staff, members + step + int(rng.integers(-1, 2)))
        women += int(rng.integers(-2, 3))
    return people


# -- one year ---------------------------------------------------------------------------------

def _year(rng: np.random.Generator, year: int, i: int, n: int, people: dict
          ) -> tuple[dict, dict[str, pd.DataFrame]]:
    split = n // 2  # the year position where the rename, the new and the dropped happen
    awards, figures, decisions = _awards(rng, year, i, people)
    contributions = _contributions(rng)
    rows = []
    for ind in INDICATORS:
        if ind.id == NEW and i < split or ind.id == DROPPED and i >= split:
            continue
        actual, count = _actual(rng, ind, i, n, figures)
        name = ind.old_name if ind.old_name and i < split else ind.name
        rows.append({
            "id": ind.id, "section": ind.section,
            "section_title": SECTIONS[ind.section].format(year=year), "name": name,
            "target": ind.target, "actual": actual, "unit": ind.unit,
            "direction": ind.direction,
            "reported_status": None if actual is not None else ind.reported[i % len(ind.reported)],
            "target_text": ind.target_text or _target_words(ind), "exceed_at": ind.exceed_at,
            "count": count, "group": ind.group, "award": ind.award,
        })
    indicators = pd.DataFrame(rows)
    computed = compute_verdicts(indicators["target"], indicators["actual"],
                                indicators["direction"], indicators["exceed_at"])
    computed = pd.Series(computed.astype(object), index=indicators.index)
    has_actual = indicators["actual"].notna()
    indicators.loc[has_actual, "reported_status"] = computed[has_actual]
    for (ind_id, pos), verdict in DISAGREEMENTS.items():
        if (pos if pos >= 0 else n + pos) == i:
            indicators.loc[indicators["id"] == ind_id, "reported_status"] = verdict
    indicators["note"] = [_note(r, c, figures, contributions)
                          for r, c in zip(indicators.to_dict("records"), computed)]
    indicators["source"] = [_source(r) for r in indicators.to_dict("records")]

    sections = _sections(indicators, year, figures)
    meta = _meta(year, decisions)
    return meta, {S.INDICATORS.name: indicators, S.AWARDS.name: awards,
                  S.CONTRIBUTIONS.name: contributions, S.SECTIONS.name: sections}


def _actual(rng: np.random.Generator, ind: Ind, i: int, n: int, figures: dict
            ) -> tuple[float | None, int | None]:
    if ind.derived:
        return figures[ind.id]
    if ind.pattern:
        return float(ind.pattern[i % len(ind.pattern)]), None
    if ind.path is None:
        return None, None
    u = _position(i, n)
    f = 1 - (1 - u) ** 2 if ind.shape == "ease_out" else u
    start, end = ind.path
    value = start + (end - start) * f + (rng.uniform(-ind.noise, ind.noise) if ind.noise else 0.0)
    if ind.unit == "%":
        value = min(100.0, max(0.0, value))
    value = round(value, ind.decimals)
    return (float(int(value)) if ind.decimals == 0 else float(value)), None


def _target_words(ind: Ind) -> str | None:
    if ind.target is None:
        return None
    return describe_target(ind.target, ind.unit)


def _value(x: float, unit: str) -> str:
    return format_quantity(x, unit)


def _note(r: dict, computed, figures: dict, contributions: pd.DataFrame) -> str | None:
    if r["id"] == "van_dong_quy":
        funds = contributions[contributions["kind"] == "fund"]
        return (f"Vận động {len(funds):02d} quỹ, tổng số tiền"
                f" {format_money(int(funds['amount_vnd'].sum()))}; chi tiết ở bảng đóng góp và"
                f" hỗ trợ.")
    notes = []
    if r["actual"] is not None and pd.notna(r["actual"]) and r["reported_status"] != computed:
        notes.append(f"Báo cáo ghi “{LABELS[r['reported_status']].lower()}” dù thực hiện"
                     f" {_value(r['actual'], r['unit'])} (làm tròn theo cách của đơn vị).")
    elif computed == NOT_MET and r["id"] in REASONS:
        x = r["actual"]
        notes.append(REASONS[r["id"]].format(x=f"{int(x):02d}" if x is not None else ""))
    if r["id"] == "ttldtt_phong":
        notes.append(f"Có {figures['units_ttldtt']:02d}/{UNITS:02d} phòng, đơn vị thuộc Sở đạt"
                     f" Tập thể lao động tiên tiến.")
    return " ".join(notes) or None


def _source(r: dict) -> str:
    words = LABELS[r["reported_status"]].lower() if r["reported_status"] else ""
    target = f" ({r['target_text']})" if isinstance(r["target_text"], str) else ""
    if r["actual"] is not None and pd.notna(r["actual"]):
        return f"{r['name']}{target}: thực hiện {_value(r['actual'], r['unit'])} ({words})."
    return f"{r['name']}{target} ({words})."


# -- awards -------------------------------------------------------------------------------------

def _date(rng: np.random.Generator, year: int, month: int, low: int, high: int) -> dt.date:
    return dt.date(year, month, int(rng.integers(low, high + 1)))


def _awards(rng: np.random.Generator, year: int, i: int, people: dict
            ) -> tuple[pd.DataFrame, dict, list[dict]]:
    """Award rows, the derived indicator figures and the decisions, for one year."""
    staff, members, women = people["staff"], people["members"], people["women"]
    ldtt = int(round(staff * rng.uniform(0.84, 0.90)))
    share = CSTDCS_SHARES[i % len(CSTDCS_SHARES)] + rng.uniform(-0.002, 0.002)
    cstdcs = int(round(ldtt * share))
    units_ok = UNITS - 1 if i % 4 == 2 else UNITS
    ttldtt = units_ok + SUBUNITS
    ttldxs = int(rng.integers(2, 4))
    dvcd = int(round(members * rng.uniform(0.905, 0.955)))
    gvndvn = women if i % 4 == 1 else int(round(women * rng.uniform(0.90, 0.985)))
    cstd_tinh = (1, 2, 0, 3)[i % 4]
    figures = {
        "ttldtt_phong": (_pct(units_ok, UNITS), None),
        "ttldxs_phong": (_pct(ttldxs, UNITS), None),
        "cstdcs_ty_le": (_pct(cstdcs, ldtt), cstdcs),
        "ldtt_ty_le": (_pct(ldtt, staff), ldtt),
        "cstd_cap_tinh": (float(cstd_tinh), None),
        "doan_vien_xuat_sac": (_pct(dvcd, members), dvcd),
        "gvndvn": (_pct(gvndvn, women), gvndvn),
        "units_ttldtt": units_ok,
        "cstdcs_exceeded": cstdcs * 100 / ldtt > 15,
    }

    d1 = int(rng.integers(300, 520))
    d2 = d1 + int(rng.integers(1, 6))
    day = _date(rng, year, 11, 20, 30)
    amended = i % 2 == 1
    d3 = d1 + int(rng.integers(10, 30))
    day3 = _date(rng, year, 12, 3, 12)
    u1 = int(rng.integers(20, 60))
    day_u = _date(rng, year, 12, 10, 20)
    titles = f"{d1}/{GOV_SUFFIX}" + (f"; {d3}/{GOV_SUFFIX}" if amended else "")
    merit = f"{d2}/{GOV_SUFFIX}"
    union = f"{u1}/{UNION_SUFFIX}"
    decisions = [{"number": f"{d1}/{GOV_SUFFIX}", "date": day, "issuer": DIRECTOR,
                  "subject": f"Công nhận danh hiệu thi đua năm {year}"}]
    if amended:
        decisions.append({"number": f"{d3}/{GOV_SUFFIX}", "date": day3, "issuer": DIRECTOR,
                          "subject": f"Điều chỉnh, bổ sung Điều 1 Quyết định số {d1}/{GOV_SUFFIX}"
                                     f" ngày {format_date(day)}"})
    decisions += [
        {"number": merit, "date": day, "issuer": DIRECTOR, "subject": f"Tặng giấy khen năm {year}"},
        {"number": union, "date": day_u, "issuer": "Ban Chấp hành Công đoàn cơ sở",
         "subject": f"Công nhận Đoàn viên công đoàn xuất sắc, “Giỏi việc nước, đảm việc nhà” và"
                    f" khen thưởng năm {year}"},
    ]

    province = "Chủ tịch UBND tỉnh"
    rows = [
        ("government", province, "Tập thể lao động xuất sắc", "collective", ttldxs, "proposed",
         None, "province", "ttldxs", None),
        ("government", province, "Bằng khen", "collective", int(rng.integers(1, 3)), "proposed",
         None, "province", "bang_khen", None),
        ("government", DIRECTOR, "Tập thể lao động tiên tiến", "collective", ttldtt, "granted",
         titles, "agency", "ttldtt", None),
        ("government", DIRECTOR, "Tập thể lao động tiên tiến", "collective", units_ok, "granted",
         titles, "agency", "ttldtt", "Phòng, đơn vị thuộc Sở"),
        ("government", DIRECTOR, "Tập thể lao động tiên tiến", "collective", SUBUNITS, "granted",
         titles, "agency", "ttldtt", "Phòng trực thuộc các đơn vị của Sở"),
    ]
    if i % 2 == 1:
        rows.append(("government", "Thủ tướng Chính phủ", "Bằng khen", "individual", 1,
                     "proposed", None, "central", "bang_khen", None))
    rows += [
        ("government", province, "Bằng khen", "individual", int(rng.integers(1, 4)), "proposed",
         None, "province", "bang_khen", None),
        ("government", province, "Chiến sĩ thi đua cấp tỉnh", "individual", cstd_tinh,
         "proposed", None, "province", "cstd_tinh", None),
        ("government", DIRECTOR, "Chiến sĩ thi đua cơ sở", "individual", cstdcs, "granted",
         titles, "agency", "cstdcs", None),
        ("government", DIRECTOR, "Lao động tiên tiến", "individual", ldtt, "granted", titles,
         "agency", "ldtt", None),
        ("government", DIRECTOR, "Giấy khen tập thể hoàn thành tốt nhiệm vụ", "collective",
         int(rng.integers(6, 10)), "granted", merit, "agency", "giay_khen", None),
        ("government", DIRECTOR, "Giấy khen cá nhân hoàn thành tốt nhiệm vụ", "individual",
         int(rng.integers(25, 41)), "granted", merit, "agency", "giay_khen", None),
        ("government", "Bộ trưởng Bộ Khoa học và Công nghệ", "Bằng khen", "mixed",
         int(rng.integers(4, 9)), "proposed", None, "central", "bang_khen", None),
        ("union", "Công đoàn Viên chức tỉnh", "Khen thưởng của Công đoàn Viên chức tỉnh",
         "individual", int(rng.integers(3, 6)), "proposed", None, "province", "giay_khen", None),
        ("union", "Công đoàn cơ sở", "Khen thưởng của Công đoàn cơ sở", "individual",
         int(rng.integers(15, 26)), "granted", union, "agency", "giay_khen", None),
        ("union", "Công đoàn cơ sở", "Tập thể Tổ công đoàn xuất sắc", "collective",
         int(rng.integers(2, 5)), "granted", union, "agency", "to_cd_xs", None),
        ("union", "Công đoàn cơ sở", "Đoàn viên công đoàn xuất sắc", "individual", dvcd,
         "granted", union, "agency", "dvcd_xs", None),
        ("union", "Công đoàn cơ sở", "Giỏi việc nước, đảm việc nhà", "individual", gvndvn,
         "granted", union, "agency", "gvndvn", None),
    ]
    columns = ["stream", "granted_by", "title", "recipient", "count", "state", "decision",
               "level", "code", "part"]
    frame = pd.DataFrame(rows, columns=columns).astype(object)
    frame["source"] = [
        f"{r['granted_by']}: {'đề nghị ' if r['state'] == 'proposed' else ''}{r['title']}"
        + (f" ({r['part']})" if r["part"] else "")
        + f": {int(r['count']):02d} {_who(r['recipient'])}."
        for r in frame.to_dict("records")]
    return frame, figures, decisions


def _who(recipient: str) -> str:
    return {"individual": "cá nhân", "collective": "tập thể",
            "mixed": "tập thể, cá nhân"}[recipient]


# -- contributions --------------------------------------------------------------------------------

def _contributions(rng: np.random.Generator) -> pd.DataFrame:
    k = int(rng.integers(3, 7))
    chosen = sorted(int(j) for j in rng.choice(len(FUNDS), size=k, replace=False))
    rows = []
    for j in chosen:
        name, low, high = FUNDS[j]
        amount = int(rng.integers(low * 10**6, high * 10**6))
        rows.append({"kind": "fund", "name": name, "cases": None, "amount_vnd": amount,
                     "per_case_vnd": None, "note": None,
                     "source": f"{name}: {format_money(amount)}"})

    def support(name: str, cases: int, each: int, note: str | None = None) -> None:
        rows.append({"kind": "support", "name": name, "cases": cases, "amount_vnd": cases * each,
                     "per_case_vnd": each, "note": note,
                     "source": f"{name}: {cases:02d} trường hợp, {format_money(cases * each)}."})

    support("Hỗ trợ đoàn viên có hoàn cảnh đặc biệt khó khăn", int(rng.integers(3, 8)),
            int(rng.choice([2, 3, 5])) * 10**6)
    if rng.random() < 0.5:
        support("Hỗ trợ đoàn viên khó khăn về nhà ở", 1, int(rng.choice([40, 50])) * 10**6)
    if rng.random() < 0.6:
        n = int(rng.integers(2, 5))
        support("Chương trình “chia sẻ yêu thương, cùng em đến trường”", n, 3 * 10**6,
                f"{n:02d} cháu, 03 triệu đồng/cháu.")
    support("Tặng quà cho các cháu thiếu nhi nhân ngày Quốc tế thiếu nhi 01/6",
            int(rng.integers(90, 141)), int(rng.choice([200, 250, 300])) * 10**3)
    return pd.DataFrame(rows).astype(object)


# -- sections and meta ------------------------------------------------------------------------------

def _sections(indicators: pd.DataFrame, year: int, figures: dict) -> pd.DataFrame:
    evaluated = evaluate(indicators.astype({"reported_status": object}))
    counts = evaluated[evaluated["section"] == "1.1"]["status"].astype(str).value_counts()
    sentence = rollup_sentence({k: int(v) for k, v in counts.items()})
    verdicts = {"2": "met", "3.1": "met", "3.2": "met",
                "1.2.f": "exceeded" if figures["cstdcs_exceeded"] else "met"}
    rows = []
    for section, title in SECTIONS.items():
        title = title.format(year=year)
        label = section.split(".")[-1] + "." if section.startswith("1.2.") else section + "."
        stated = sentence if section == "1.1" else None
        verdict = verdicts.get(section)
        tail = (f": {stated}" if stated else
                f": {LABELS[verdict].lower()} đề ra" if verdict else ":")
        rows.append({"section": section, "title": title, "reported_status": verdict,
                     "stated_rollup": stated, "source": f"{label} {title}{tail}"})
    return pd.DataFrame(rows).astype(object)


def _meta(year: int, decisions: list[dict]) -> dict:
    bases = []
    if year >= 2024:
        bases.append({"kind": "Luật", "number": "06/2022/QH15", "date": dt.date(2022, 6, 15),
                      "issuer": "Quốc hội",
                      "text": "Luật Thi đua, khen thưởng số 06/2022/QH15 ngày 15 tháng 6 năm 2022"
                              " của Quốc hội"})
    elif year >= 2018:
        bases.append({"kind": "Nghị định", "number": "91/2017/NĐ-CP",
                      "date": dt.date(2017, 7, 31), "issuer": "Chính phủ",
                      "text": "Nghị định số 91/2017/NĐ-CP ngày 31 tháng 7 năm 2017 của Chính phủ"
                              " quy định chi tiết thi hành một số điều của Luật Thi đua, khen"
                              " thưởng"})
    eve = dt.date(year - 1, 12, 28)
    bases += [
        {"kind": "Nghị quyết", "number": "01/NQ-HNCCVC", "date": eve,
         "issuer": f"Hội nghị công chức, viên chức, người lao động {ORGANISATION}",
         "text": f"Nghị quyết số 01/NQ-HNCCVC ngày {format_date(eve)} của Hội nghị công chức,"
                 f" viên chức, người lao động {ORGANISATION} năm {year}"},
        {"kind": "Giao ước thi đua", "number": "", "date": eve,
         "issuer": f"Lãnh đạo {SHORT} và Ban Chấp hành Công đoàn cơ sở",
         "text": f"Giao ước thi đua ngày {format_date(eve)} giữa Lãnh đạo {SHORT} và Ban Chấp"
                 f" hành Công đoàn cơ sở"},
    ]
    return {
        "year": year,
        "organisation": ORGANISATION,
        "union": UNION,
        "document_type": "Báo cáo",
        "title": f"Tổng kết phong trào thi đua, khen thưởng trong CCVCNLĐ năm {year}",
        "issuer": "Ban Chấp hành Công đoàn cơ sở",
        "synthetic": True,
        "legal_bases": bases,
        "decisions": decisions,
        "recipients": ["Công đoàn Viên chức tỉnh Minh Phúc", f"Đảng ủy {SHORT}",
                       "Các đ/c ủy viên Ban Chấp hành CĐCS",
                       "Ủy ban kiểm tra, Ban TTND, Ban nữ công quần chúng",
                       "Các Công đoàn bộ phận", "Lưu: VT"],
        "signatory": {"on_behalf": "TM. BAN CHẤP HÀNH", "title": "CHỦ TỊCH",
                      "name": "Trần Thị Minh Thư"},
        "notes": f"{NOTE}: cơ quan hư cấu, số liệu sinh ngẫu nhiên có kiểm soát bằng"
                 f" scripts/make_demo.py.",
    }
