"""The frame of the document around its body: the header (the issuing union, number,
place and date), the opening with its legal bases, the closing, the recipients and the
signature block, each from meta.yaml, with the dotted blank
:data:`~tongket_lib.document.model.BLANK` where a fact is not known yet."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tongket_lib import vn
from tongket_lib.document import sentences as S
from tongket_lib.document.model import BLANK, Header, Signature
from tongket_lib.period import Period

#: the shorter dotted blank of an unknown day or month in the date line
DAY_BLANK = "……"


def header(meta: Mapping[str, Any], year: Period) -> Header:
    """The two top corners: the issuing union, the number, the quốc hiệu, place and date."""
    upper = meta.get("header_upper") or (meta.get("upper_union") or "").upper()
    issuer = meta.get("header_issuer") or (meta.get("union") or "").upper()
    number = meta.get("number") or ""
    if not number:
        number = BLANK
    elif number.startswith("/"):
        number = BLANK + number
    place = meta.get("place") or BLANK
    date = meta.get("date") or ""
    if date:
        day = vn.parse_date(date)
        when = f"ngày {day:%d} tháng {day:%m} năm {day.year}"
    else:
        when = f"ngày {DAY_BLANK} tháng {DAY_BLANK} năm {year.end}"  # a school year: its end
    return Header(upper=upper or BLANK, issuer=issuer or BLANK, number=f"Số: {number}",
                  place_date=f"{place}, {when}")


def opening(meta: Mapping[str, Any], year: Period) -> str:
    """The opening a report writes when meta.yaml has none."""
    union = meta.get("union") or ""
    if union:
        return f"Ban Chấp hành {union} báo cáo kết quả như sau:"
    return f"Kết quả thực hiện {year.label} như sau:"


def closing(meta: Mapping[str, Any], kind: str) -> str:
    """ "Trên đây là báo cáo tổng kết … năm 2025 của Công đoàn cơ sở …./." """
    title = S.lower_first(" ".join((meta.get("title") or "").split()))
    kind = S.lower_first(kind)
    said = title if title.startswith(kind) else f"{kind} {title}".strip()
    union = meta.get("union") or meta.get("organisation") or ""
    return f"Trên đây là {said} của {union}./." if union else f"Trên đây là {said}./."


def basis_text(basis: Mapping[str, Any]) -> str:
    """A legal basis as the opening cites it: its text when that names the document, else
    the document named from its kind, number, date and issuer, then the text.

    >>> import datetime as dt
    >>> basis_text({"kind": "Kế hoạch", "number": "03/KH-CĐCS", "date": dt.date(2024, 9, 20),
    ...             "issuer": "Ban Chấp hành Công đoàn cơ sở", "text": "về phát động thi đua"})
    'Kế hoạch số 03/KH-CĐCS ngày 20/09/2024 của Ban Chấp hành Công đoàn cơ sở về phát động thi đua'
    >>> basis_text({"kind": "Luật", "number": "06/2022/QH15", "text": "Luật Thi đua, khen thưởng"})
    'Luật Thi đua, khen thưởng'
    """
    text = " ".join(str(basis.get("text") or "").split()).rstrip(";.")
    kind, number = (str(basis.get(k) or "").strip() for k in ("kind", "number"))
    if not (kind and number) or number in text or text.startswith(kind):
        return text
    day = basis.get("date")
    issuer = str(basis.get("issuer") or "").strip()
    named = (f"{kind} số {number}" + (f" ngày {day:%d/%m/%Y}" if hasattr(day, "strftime") else "")
             + (f" của {issuer}" if issuer else ""))
    return f"{named} {text}".strip()


def bases(listed: list[Mapping[str, Any]]) -> list[str]:
    """The opening's “Căn cứ …;” lines, the last ending with a full stop."""
    texts = [t for t in (basis_text(b) for b in listed) if t]
    return [f"Căn cứ {t}{'.' if i == len(texts) - 1 else ';'}" for i, t in enumerate(texts)]


def recipients(listed: list[str]) -> list[str]:
    """The “Nơi nhận” lines, the last ending with a full stop."""
    texts = [r.strip().rstrip(";.") for r in listed if r and r.strip()]
    return [f"{t}{'.' if i == len(texts) - 1 else ';'}" for i, t in enumerate(texts)]


def signature(signatory: Mapping[str, Any]) -> Signature:
    """The signature block: TM., KT. when the deputy signs, title and name."""
    return Signature(on_behalf=signatory.get("on_behalf") or "TM. BAN CHẤP HÀNH",
                     authority=(signatory.get("authority") or "").upper(),
                     title=(signatory.get("title") or "").upper() or BLANK,
                     name=signatory.get("name") or BLANK)
