"""Reading data files as text: encodings, CSV shape and YAML, with row and line numbers.

Every problem is collected as a :class:`~tongket_lib.errors.Problem` and returned, so
a caller can report all of a folder's problems in one pass. Text is normalised to
Unicode NFC: Vietnamese typed on some systems (and parts of the 2024 report) uses
combining accents, which would otherwise never compare equal to the same word typed
elsewhere.
"""

from __future__ import annotations

import codecs
import csv
import difflib
import io
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from tongket_lib.dataset import limits
from tongket_lib.dataset.layout import MISSING, file_problem
from tongket_lib.errors import Problem, os_reason
from tongket_lib.vn import format_number

RESAVE_CSV = ("Mở tệp trong Excel, chọn Lưu thành (Save As) → “CSV UTF-8 (phân cách bằng dấu phẩy)”"
              " (CSV UTF-8 (Comma delimited)), rồi chạy lại.")


RESAVE_YAML = ("Mở tệp bằng một trình soạn thảo văn bản (Notepad, VS Code), lưu lại với bảng mã"
               " UTF-8, rồi chạy lại.")


def nfc(text: str) -> str:
    """Normalise text to Unicode NFC (precomposed Vietnamese letters)."""
    return unicodedata.normalize("NFC", text)


def read_text(path: Path, problems: list[Problem], shown_name: str | None = None,
              root: Path | None = None) -> str | None:
    """Read a data file as UTF-8 text (a BOM is accepted), or record why it cannot be read.

    With ``root`` (the data folder), a file reached through a symbolic link that leads
    out of ``root`` is refused unread. Files over the size limits of
    :mod:`~tongket_lib.dataset.limits` are refused unread too.
    """
    name = shown_name or path.name
    is_yaml = path.suffix.lower() in (".yaml", ".yml")
    reason = file_problem(path, root)
    if reason is None and is_yaml and path.stat().st_size > limits.MAX_YAML_BYTES:
        reason = (f"tệp YAML quá lớn ({limits.size_text(path.stat().st_size)}; tối đa"
                  f" {limits.size_text(limits.MAX_YAML_BYTES)}). meta.yaml và rules.yaml chỉ vài"
                  " KB: kiểm tra lại đây có đúng là tệp dữ liệu không.")
    if reason is not None:
        problems.append(Problem(name, None, None, None,
                                "không có tệp này." if reason == MISSING else reason))
        return None
    try:
        with path.open("rb") as handle:  # never more than the limit, even if it grew since
            raw = handle.read(limits.MAX_FILE_BYTES + 1)
    except OSError as exc:
        problems.append(Problem(name, None, None, None, f"không đọc được tệp ({os_reason(exc)})."))
        return None
    if len(raw) > limits.MAX_FILE_BYTES:
        problems.append(Problem(name, None, None, None,
                                f"tệp quá lớn (tối đa {limits.size_text(limits.MAX_FILE_BYTES)})."))
        return None
    resave = RESAVE_YAML if is_yaml else RESAVE_CSV
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or _looks_utf16(raw):
        problems.append(Problem(
            name, None, None, None,
            "tệp được lưu dạng UTF-16 (Excel gọi là “Unicode Text”), không phải UTF-8. " + resave))
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        problems.append(Problem(
            name, line, None, raw[exc.start:exc.start + 1].hex(),
            f"tệp không phải UTF-8 (byte 0x{raw[exc.start]:02x} không hợp lệ). Có lẽ tệp được lưu"
            " bằng bảng mã Windows-1258 (tiếng Việt) hoặc Windows-1252. " + resave))
        return None
    if not text.strip():
        problems.append(Problem(name, None, None, None, (
            "tệp rỗng. Điền nội dung (xem tệp cùng tên của một năm khác), hoặc xóa tệp nếu"
            " không dùng." if is_yaml else
            "tệp rỗng. Tệp phải có ít nhất dòng tiêu đề (tên các cột).")))
        return None
    odd = NONCHARACTER.search(text)
    if odd is not None:  # no document can hold it (Word's XML refuses it)
        problems.append(Problem(name, text[:odd.start()].count("\n") + 1, None, None, (
            f"có ký tự U+{ord(odd.group()):04X}, không phải chữ (thường do chép từ một tệp"
            " hỏng); không văn bản nào chứa được ký tự này. Xóa ký tự đó rồi lưu lại.")))
        return None
    return nfc(text)


#: characters Unicode sets apart as never text (“noncharacters”) that a UTF-8 file can hold
NONCHARACTER = re.compile("[\ufffe\uffff]")


def _looks_utf16(raw: bytes) -> bool:
    """UTF-16 without a BOM: many NUL bytes in the first kilobyte."""
    head = raw[:1024]
    return len(head) >= 4 and head.count(0) >= len(head) // 4


@dataclass
class CsvTable:
    """A CSV file as strings: its header and its rows with their spreadsheet row numbers."""

    header: list[str]
    rows: list[list[str]]
    row_numbers: list[int]
    delimiter: str


def parse_csv(text: str, name: str, problems: list[Problem],
              max_rows: int = limits.MAX_ROWS) -> CsvTable | None:
    """Split CSV text into header and rows; a comma or (Excel in Vietnamese) a semicolon.
    ``max_rows``: the most data rows this kind of file may hold (a year's files, or the
    register of the units, which is larger)."""
    first = text.split("\n", 1)[0]
    # a comma, or what Excel writes in other locales: ";" (Vietnamese) or a tab (Unicode text)
    delimiter = max((",", ";", "\t"), key=first.count)  # a tie keeps the comma
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    records: list[list[str]] = []
    old_limit = csv.field_size_limit(limits.MAX_CELL_CHARS)
    try:
        for record in reader:
            records.append(record)
            problem = _csv_limits(record, len(records), reader.line_num, name, max_rows)
            if problem is not None:
                problems.append(problem)
                return None
    except csv.Error as exc:
        if "field larger" in str(exc):
            problems.append(_too_long(name, reader.line_num))
        else:
            problems.append(Problem(name, reader.line_num, None, None,
                                    f"không đọc được dạng CSV ({exc}). Kiểm tra dấu ngoặc kép"
                                    " quanh ô có dấu phẩy hoặc xuống dòng."))
        return None
    finally:
        csv.field_size_limit(old_limit)
    if not records or not any(c.strip() for c in records[0]):
        problems.append(Problem(name, 1, None, None,
                                "dòng 1 phải là dòng tiêu đề (tên các cột), nhưng đang trống."))
        return None
    header = [c.strip() for c in records[0]]
    rows, numbers = [], []
    for i, record in enumerate(records[1:], start=2):
        cells = [c.strip() for c in record]
        if not any(cells):
            continue  # blank line or an Excel row of empty cells
        if len(cells) > len(header):
            extra = cells[len(header):]
            if any(extra):
                problems.append(Problem(
                    name, i, None, delimiter.join(extra),
                    f"dòng có {len(cells)} ô nhưng tiêu đề chỉ có {len(header)} cột. Ô có dấu"
                    f" “{delimiter}” phải đặt trong ngoặc kép, hoặc bỏ các ô thừa ở cuối dòng."))
                continue
            cells = cells[:len(header)]
        cells += [""] * (len(header) - len(cells))
        rows.append(cells)
        numbers.append(i)
    return CsvTable(header, rows, numbers, delimiter)


def _too_long(name: str, line: int | None, column: str | None = None) -> Problem:
    return Problem(name, line, column, None,
                   f"có ô dài quá {format_number(limits.MAX_CELL_CHARS)} ký tự (giới hạn của một"
                   " ô Excel). Rút gọn nội dung ô, hoặc tách thành nhiều dòng.")


def _csv_limits(record: list[str], count: int, line: int, name: str,
                max_rows: int = limits.MAX_ROWS) -> Problem | None:
    """The problem of a CSV record beyond :mod:`limits` (``count`` records read so far)."""
    if count > max_rows + 1:
        usual = ("dữ liệu một năm chỉ vài trăm dòng" if max_rows == limits.MAX_ROWS
                 else "mỗi đơn vị một dòng")
        return Problem(name, line, None, None,
                       f"tệp có quá {format_number(max_rows)} dòng dữ liệu (tối đa cho một"
                       f" tệp). Kiểm tra lại tệp: {usual}; xóa các dòng thừa ở cuối tệp.")
    if len(record) > limits.MAX_COLUMNS:
        return Problem(name, line, None, None,
                       f"dòng có {format_number(len(record))} ô, quá {limits.MAX_COLUMNS} cột (tối"
                       " đa). Xóa các cột thừa, hoặc kiểm tra dấu phân cách.")
    return None


def suggest(word: str, options: list[str]) -> str:
    """A “có phải … không?” hint for a misspelt name, or an empty string."""
    match = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return f" Có phải “{match[0]}”?" if match else ""


class YamlLimitError(yaml.MarkedYAMLError):
    """A YAML file beyond :mod:`~tongket_lib.dataset.limits` (its reason is Vietnamese)."""


class _LineLoader(yaml.SafeLoader):
    """A safe YAML loader that refuses what would exhaust the machine while composing.

    Aliases (``*name``) repeat the node of an anchor (``&name``) without copying it, so
    a few lines of aliases of aliases (“billion laughs”) stand for billions of values,
    and an alias inside its own anchor makes a loop. Every node's expanded size is
    counted as it is composed (children first, so each count is a sum), and the
    composition stops at :data:`~limits.MAX_YAML_NODES` expanded nodes,
    :data:`~limits.MAX_YAML_ALIASES` aliases, :data:`~limits.MAX_YAML_DEPTH` levels of
    nesting, or an alias used inside its own anchor.
    """

    def __init__(self, stream: str):
        super().__init__(stream)
        self._depth = 0
        self._aliases = 0
        self._open: set[str] = set()
        self._sizes: dict[int, int] = {}

    def construct_yaml_timestamp(self, node):
        """A date such as 2024-13-45 is a problem of the file, not a crash."""
        try:
            return super().construct_yaml_timestamp(node)
        except (ValueError, OverflowError):
            raise YamlLimitError(None, None, f"“{node.value}” không phải ngày có thật; viết ngày"
                                 " dạng dd/mm/yyyy, ví dụ 29/11/2024.", node.start_mark) from None

    def _refuse(self, reason: str) -> None:
        event = self.peek_event()
        raise YamlLimitError(None, None, reason, getattr(event, "start_mark", None))

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > limits.MAX_YAML_ALIASES:
                self._refuse(f"dùng quá {limits.MAX_YAML_ALIASES} bí danh “*…” (alias) của YAML."
                             " meta.yaml và rules.yaml không cần bí danh: viết thẳng giá trị.")
            if event.anchor in self._open:
                self._refuse(f"bí danh “*{event.anchor}” nằm ngay trong nhóm “&{event.anchor}” mà"
                             " nó trỏ tới (vòng lặp). Viết thẳng giá trị thay cho bí danh.")
            return super().compose_node(parent, index)
        self._depth += 1
        if self._depth > limits.MAX_YAML_DEPTH:
            self._refuse(f"lồng nhau quá {limits.MAX_YAML_DEPTH} cấp. meta.yaml và rules.yaml chỉ"
                         " cần vài cấp: kiểm tra lại thụt lề và ngoặc […], {…}.")
        anchor = getattr(event, "anchor", None)
        if anchor:
            self._open.add(anchor)
        try:
            node = super().compose_node(parent, index)
        finally:
            self._depth -= 1
            self._open.discard(anchor)
        size = 1
        if isinstance(node, yaml.SequenceNode):
            size += sum(self._sizes.get(id(child), 1) for child in node.value)
        elif isinstance(node, yaml.MappingNode):
            size += sum(self._sizes.get(id(k), 1) + self._sizes.get(id(v), 1)
                        for k, v in node.value)
        if size > limits.MAX_YAML_NODES:
            self._refuse(f"có quá {format_number(limits.MAX_YAML_NODES)} giá trị khi mở hết các bí"
                         " danh “*…” (alias). Viết thẳng giá trị, không dùng bí danh lồng nhau.")
        self._sizes[id(node)] = size
        return node


_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _LineLoader.construct_yaml_timestamp)


# What PyYAML's (English) problem means, and how to fix it; the first phrase found wins.
_YAML_REASONS = (
    ("special characters are not allowed",
     "có ký tự điều khiển (không in được) không được phép; xóa ký tự đó hoặc lưu lại tệp bằng"
     " một trình soạn thảo văn bản."),
    ("'\\t'", "có ký tự Tab. YAML chỉ thụt lề bằng dấu cách: thay mỗi Tab bằng dấu cách."),
    ("mapping values are not allowed",
     "có dấu “:” ở chỗ không được phép, thường do thụt lề sai hoặc một giá trị có dấu “:”"
     " (đặt giá trị đó trong ngoặc kép)."),
    ("quoted scalar", "thiếu dấu ngoặc kép đóng của một giá trị."),
    ("another document", "tệp có nhiều phần ngăn bởi dòng “---”; chỉ giữ một phần."),
    ("constructor", "có thẻ “!…” không được dùng; bỏ thẻ đó, chỉ ghi giá trị."),
    ("undefined alias", "có ký hiệu “*” hoặc “&” của YAML; nếu đó là chữ, đặt giá trị trong"
                        " ngoặc kép."),
    ("unhashable key", "có tên khóa là một danh sách hoặc nhóm; tên khóa phải là chữ."),
    ("flow sequence", "danh sách trong ngoặc vuông […] chưa đóng hoặc thiếu dấu phẩy."),
    ("flow mapping", "nhóm trong ngoặc nhọn {…} chưa đóng hoặc thiếu dấu phẩy."),
    ("could not find expected ':'", "thiếu dấu “:” sau tên khóa."),
    ("block ", "thụt lề không đều: các dòng cùng cấp phải thẳng cột với nhau."),
)


def yaml_reason(exc: yaml.YAMLError) -> str:
    """A Vietnamese reason for a YAML error, with PyYAML's own words only as a detail."""
    detail = " ".join(str(x) for x in (getattr(exc, "context", None),
                                       getattr(exc, "problem", None)) if x) or str(exc)
    for phrase, reason in _YAML_REASONS:
        if phrase in detail:
            return reason
    return f"kiểm tra thụt lề (chỉ dùng dấu cách) và dấu “:” (chi tiết: {detail})."


def read_yaml(text: str, name: str, problems: list[Problem]) -> tuple[Any, dict[tuple, int]]:
    """Parse YAML; return the data and the 1-based line of each key path."""
    loader = None
    try:
        loader = _LineLoader(text)
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        if isinstance(exc, yaml.reader.ReaderError):
            line = text[:exc.position].count("\n") + 1
        reason = exc.problem if isinstance(exc, YamlLimitError) else yaml_reason(exc)
        problems.append(Problem(name, line, None, None, f"không đọc được YAML: {reason}"))
        return None, {}
    finally:
        if loader is not None:
            loader.dispose()
    lines: dict[tuple, int] = {}
    twice: list[tuple[tuple, int, int]] = []
    _walk(node, (), lines, twice)
    unwritable = [(n.start_mark.line + 1, m) for n in _scalars(node)
                  if isinstance(n.value, str) and (m := NOT_TEXT.search(n.value))]
    for line, found in unwritable:  # written as an escape ("\uFFFE"): no document holds it
        problems.append(Problem(name, line, None, None, (
            f"có ký tự U+{ord(found.group()):04X} không phải chữ (ký tự điều khiển hoặc không"
            " dùng được trong văn bản, thường viết bằng mã thoát “\\u…” hay “\\x…”);"
            " xóa ký tự đó.")))
    if unwritable:
        return None, {}
    for path, first, again in twice:  # PyYAML would silently keep the last one
        problems.append(Problem(name, again, " › ".join(map(str, path)), path[-1],
                                f"khóa “{path[-1]}” xuất hiện hai lần (dòng {first} và dòng"
                                f" {again}); chỉ giữ một."))
    return (None, {}) if twice else (data, lines)


#: what no document (Word, HTML, the XML inside .docx and .xlsx) can hold: control
#: characters other than tab and line breaks, U+FFFE, U+FFFF and lone surrogates
NOT_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")


def _scalars(node: yaml.Node | None) -> Iterator[yaml.ScalarNode]:
    """Every scalar under ``node``."""
    stack = [node] if node is not None else []
    while stack:
        current = stack.pop()
        if isinstance(current, yaml.ScalarNode):
            yield current
        elif isinstance(current, yaml.MappingNode):
            stack.extend(n for pair in current.value for n in pair)
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)


def _walk(node: yaml.Node | None, path: tuple, lines: dict[tuple, int],
          twice: list[tuple[tuple, int, int]]) -> None:
    if node is None:
        return
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        seen: dict[Any, int] = {}
        for key, value in node.value:
            child = path + (key.value,)
            line = key.start_mark.line + 1
            if key.value in seen:
                twice.append((child, seen[key.value], line))
            seen[key.value] = line
            lines[child] = line
            _walk(value, child, lines, twice)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _walk(item, path + (i,), lines, twice)
