"""The one exception root of tongket and its few subclasses.

Every error tongket raises on purpose is a :class:`TongketError`. Its message is
Vietnamese, names the thing that is wrong and says how to fix it; the command line
prints it and exits with :attr:`TongketError.exit_code`, never with a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


class TongketError(Exception):
    """Root of every error tongket raises on purpose."""

    #: exit code the command line uses for this error
    exit_code = 2


class ParseError(TongketError, ValueError):
    """A piece of text (a number, a date, a target phrase) could not be read."""

    def __init__(self, message: str, text: str | None = None):
        super().__init__(message)
        self.text = text


class TargetError(ParseError):
    """A target phrase or notation could not be read."""


class ParameterError(TongketError):
    """A report parameter or a command option is wrong; nothing was started."""


class RenderError(TongketError):
    """Rendering a report failed; the earlier good report is left untouched."""

    exit_code = 1

    def __init__(self, message: str, failed_notebook: str | None = None,
                 cell_index: int | None = None):
        super().__init__(message)
        self.failed_notebook = failed_notebook
        self.cell_index = cell_index


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input data, located as a person would look for it.

    ``row`` is the row number a spreadsheet shows (the header is row 1) or, for
    YAML files, the line number; ``None`` when the problem is about a whole file.
    """

    file: str
    row: int | None
    column: str | None
    value: Any
    message: str
    cell: str | None = None  # in a workbook, the cell's address as Excel shows it ("F3")

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"dòng {self.row}")
        if self.column:
            noun = "khóa" if self.file.endswith((".yaml", ".yml")) else "cột"
            where.append(f"{noun} “{self.column}”")
        if self.cell:
            where[-1] += f" (ô {self.cell})"
        return f"{', '.join(where)}: {self.message}"


class DataError(TongketError):
    """Input data is invalid. ``problems`` lists every problem found in one pass."""

    def __init__(self, problems: list[Problem], heading: str | None = None):
        order: dict[str, int] = {}
        for p in problems:  # files in the order first met, rows in order within a file
            order.setdefault(p.file, len(order))
        self.problems = sorted(problems, key=lambda p: (order[p.file], p.row or 0))
        self.heading = heading or f"Dữ liệu không hợp lệ: {len(self.problems)} lỗi."
        super().__init__(self.heading + "\n" + "\n".join(f"- {p}" for p in self.problems))

    @classmethod
    def from_text(cls, text: str) -> DataError:
        """The error again from its message (as a notebook's kernel reported it): the
        heading, then one problem a "- " line, each read back as it was shown."""
        heading, *lines = text.split("\n")
        problems = []
        for line in lines:
            if line.startswith("- "):
                where, _, message = line[2:].partition(": ")
                problems.append(Problem(where, None, None, None, message))
            elif problems:  # a message that ran over several lines
                last = problems[-1]
                problems[-1] = Problem(last.file, None, None, None, f"{last.message}\n{line}")
        return cls(problems, heading=heading)


_OS_REASONS = {
    "EACCES": "không có quyền", "EPERM": "không có quyền", "ENOENT": "không có thư mục hoặc tệp đó",
    "ENOTDIR": "một phần của đường dẫn là tệp, không phải thư mục",
    "EEXIST": "một phần của đường dẫn là tệp, không phải thư mục", "EISDIR": "đó là một thư mục",
    "ENOSPC": "đĩa đã đầy", "EROFS": "ổ đĩa chỉ cho đọc", "ENAMETOOLONG": "tên quá dài",
}


def os_reason(exc: OSError) -> str:
    """Why the system refused a file operation, in Vietnamese (the English text as a fallback)."""
    import errno

    name = errno.errorcode.get(exc.errno or 0, "")
    return _OS_REASONS.get(name) or str(exc.strerror or exc)
