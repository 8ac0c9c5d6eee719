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
            types = (package.read("[Content_Types].xml")[:65536].decode("utf-8", "replace")
                     if "[Content_Types].xml" in names else "")
    except zipfile.BadZipFile:
        return ("không phải tệp Word .docx (có thể là tệp .doc cũ, tệp đặt mật khẩu, hoặc"
                " tệp khác đổi đuôi thành .docx)")
    except OSError as exc:
        return f"không đọc được ({exc.strerror or type(exc).__name__})"
    if "word/document.xml" not in names or "[Content_Types].xml" not in names:
        return "là tệp nén nhưng không phải văn bản Word (thiếu word/document.xml)"
    for kind, what in WORD_KINDS.items():  # python-docx opens a document (.docx) only
        if kind in types:
            return f"là {what} đổi đuôi thành .docx, không phải văn bản Word (.docx)"
    return None


#: the main parts of Word's other files, as their package names them, and what each is
WORD_KINDS = {
    "wordprocessingml.template.main+xml": "mẫu Word (.dotx)",
    "ms-word.document.macroEnabled.main+xml": "văn bản Word có macro (.docm)",
    "ms-word.template.macroEnabledTemplate.main+xml": "mẫu Word có macro (.dotm)",
}


def template_message(template: str | os.PathLike, problem: str) -> str:
    """The message for a Word template that cannot be used: the file, what is wrong, the fix."""
    return (f"Tệp mẫu Word “{template}” {problem}. Mở tệp bằng Word hoặc LibreOffice rồi lưu"
            f" lại dạng Word (.docx), hoặc bỏ tệp mẫu (--template, hay tệp mau-bao-cao.docx"
            f" trong thư mục dữ liệu của năm: đổi tên hoặc chuyển đi) để dùng mẫu mặc định.")
