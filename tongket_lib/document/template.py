"""Whether a user's Word template (``--template``, or ``mau-bao-cao.docx`` in the year's
folder) can be used, read without python-docx: the render checks it before anything
starts, and says which file is wrong and how to fix it."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path


def template_problem(template: str | os.PathLike) -> str | None:
    """What keeps ``template`` from being read as a Word document (.docx), in words;
    ``None`` when it is one as far as its package tells (a zip holding
    ``word/document.xml``), read without python-docx: a check before a render starts."""
    path = Path(template)
    try:
        with zipfile.ZipFile(path) as package:
            names = set(package.namelist())
    except zipfile.BadZipFile:
        return ("không phải tệp Word .docx (có thể là tệp .doc cũ, tệp đặt mật khẩu, hoặc"
                " tệp khác đổi đuôi thành .docx)")
    except OSError as exc:
        return f"không đọc được ({exc.strerror or type(exc).__name__})"
    if "word/document.xml" not in names or "[Content_Types].xml" not in names:
        return "là tệp nén nhưng không phải văn bản Word (thiếu word/document.xml)"
    return None


def template_message(template: str | os.PathLike, problem: str) -> str:
    """The message for a Word template that cannot be used: the file, what is wrong, the fix."""
    return (f"Tệp mẫu Word “{template}” {problem}. Mở tệp bằng Word hoặc LibreOffice rồi lưu"
            f" lại dạng Word (.docx), hoặc bỏ tệp mẫu (--template, hay tệp mau-bao-cao.docx"
            f" trong thư mục dữ liệu của năm: đổi tên hoặc chuyển đi) để dùng mẫu mặc định.")
