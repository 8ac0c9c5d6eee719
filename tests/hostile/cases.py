"""The hostile-input corpus: each case breaks a copy of the data (or builds a workbook)
at test time and says which command to run and what must come out.

A case's ``build(data, tmp)`` gets a writable copy of ``data/`` (2024 and the shared
rules) and a scratch folder, and returns the command's arguments. Big inputs are
generated here, never committed.
"""

from __future__ import annotations

import csv
import io
import os
import re
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from . import xlsx

SECRET = "BÍ-MẬT-KHÔNG-ĐƯỢC-LỘ-4242"


@dataclass(frozen=True)
class Case:
    id: str
    kind: str                   # the class of attack (issue 13): yaml, csv, file, xlsx, ...
    build: Callable[[Path, Path], list[str]]
    code: int = 2               # the documented exit code
    names: str = ""             # text the message must hold (the file, the cell)
    runner: str = "cli"         # cli: python -m tongket_lib.cli; streams: with setup_streams();
    #                             readonly: the data folder behaves as a read-only disk
    env: tuple[tuple[str, str], ...] = ()
    absent: tuple[str, ...] = ()  # text that must never be printed


# -- helpers --------------------------------------------------------------------------------

def rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))


def write_rows(path: Path, table: list[list[str]]) -> None:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_ALL).writerows(table)  # "\r" stays data
    path.write_text(buf.getvalue(), encoding="utf-8")


def set_cell(path: Path, row: int, column: str, value: str) -> None:
    table = rows(path)
    table[row][table[0].index(column)] = value
    write_rows(path, table)


def check(data: Path) -> list[str]:
    return ["check", "2024", "--data", str(data)]


LAUGHS = "".join(
    [f'l0: &l0 ["{"ha" * 5}"]\n']
    + [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]\n" for i in range(1, 10)])


def yaml_case(id: str, file: str, text: str, names: str) -> Case:
    def build(data: Path, tmp: Path) -> list[str]:
        path = data / file
        if file.endswith("meta.yaml"):  # keep the real keys, add the attack
            path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")
        else:
            path.write_text(text, encoding="utf-8")
        return check(data)
    return Case(id, "yaml", build, names=names)


# -- YAML -----------------------------------------------------------------------------------

YAML = [
    yaml_case("yaml-laughs-meta", "2024/meta.yaml", "laughs:\n" + textwrap.indent(LAUGHS, "  "),
              "meta.yaml"),
    yaml_case("yaml-laughs-shared-rules", "rules.yaml", LAUGHS + "rules: *l9\n", "rules.yaml"),
    yaml_case("yaml-laughs-year-rules", "2024/rules.yaml",
              "rules:\n  - id: x\n    extra:\n" + textwrap.indent(LAUGHS, "      "),
              "rules.yaml"),
    yaml_case("yaml-self-alias-list", "2024/meta.yaml", "extra: &a [1, *a]\n", "meta.yaml"),
    yaml_case("yaml-self-alias-map", "rules.yaml", "rules: &r\n  - id: x\n    again: *r\n",
              "rules.yaml"),
    yaml_case("yaml-deep-flow", "2024/meta.yaml", "deep: " + "[" * 60000 + "]" * 60000 + "\n",
              "meta.yaml"),
    yaml_case("yaml-deep-block", "rules.yaml",
              "rules:\n" + "".join("  " * (i + 1) + "- \n" for i in range(3000)), "rules.yaml"),
    yaml_case("yaml-many-aliases", "2024/meta.yaml",
              "one: &x a\nmany: [" + ", ".join(["*x"] * 5000) + "]\n", "meta.yaml"),
    yaml_case("yaml-huge", "2024/meta.yaml", "big: '" + "x" * (3 * 1024 * 1024) + "'\n",
              "meta.yaml"),
]


# -- CSV ------------------------------------------------------------------------------------

def _huge_csv(data: Path, tmp: Path) -> list[str]:
    path = data / "2024" / "indicators.csv"
    table = rows(path)
    line = ",".join(f'"{c}"' for c in table[1]) + "\n"
    with path.open("a", encoding="utf-8") as handle:
        while path.stat().st_size < 21 * 1024 * 1024:
            handle.write(line * 200)
    return check(data)


def _many_rows(data: Path, tmp: Path) -> list[str]:
    path = data / "2024" / "awards.csv"
    table = rows(path)
    write_rows(path, table + [table[1]] * 6000)
    return check(data)


def _long_cell(data: Path, tmp: Path) -> list[str]:
    set_cell(data / "2024" / "contributions.csv", 2, "note", "ồ" * 2_000_000)
    return check(data)


def _wide_row(data: Path, tmp: Path) -> list[str]:
    path = data / "2024" / "sections.csv"
    path.write_text(path.read_text(encoding="utf-8") + "," * 1_000_000 + "\n", encoding="utf-8")
    return check(data)


def _grouped_thousands(data: Path, tmp: Path) -> list[str]:
    set_cell(data / "2024" / "contributions.csv", 1, "amount_vnd", "39.000")  # 39000 or 39?
    return check(data)


def _noncharacter(data: Path, tmp: Path) -> list[str]:
    set_cell(data / "2024" / "indicators.csv", 2, "name", "Tên \ufffe lạ")
    return check(data)


def _escaped_noncharacter(data: Path, tmp: Path) -> list[str]:
    path = data / "2024" / "meta.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"^title: .*$", 'title: "BÁO CÁO \\\\uFFFE"', text, count=1,
                           flags=re.M), encoding="utf-8")
    return check(data)


CSV = [
    Case("csv-thousands-dot-in-amount", "csv", _grouped_thousands, names="contributions.csv"),
    Case("csv-noncharacter-uFFFE", "csv", _noncharacter, names="indicators.csv"),
    Case("yaml-escaped-uFFFE-in-title", "yaml", _escaped_noncharacter, names="meta.yaml"),
    Case("csv-over-20mb", "csv", _huge_csv, names="indicators.csv"),
    Case("csv-6000-rows", "csv", _many_rows, names="awards.csv"),
    Case("csv-cell-2m-chars", "csv", _long_cell, names="contributions.csv"),
    Case("csv-million-columns", "csv", _wide_row, names="sections.csv"),
]


# -- files: links, loops, folders, devices, permissions ---------------------------------------

Build = Callable[[Path, Path], list[str]]


def _link(file: str, target: Callable[[Path, Path], Path | str]) -> Build:
    def build(data: Path, tmp: Path) -> list[str]:
        path = data / file
        path.unlink(missing_ok=True)
        path.symlink_to(target(data, tmp))
        return check(data)
    return build


def _secret(data: Path, tmp: Path) -> Path:
    secret = tmp / "ngoai" / "bi-mat.csv"
    secret.parent.mkdir(exist_ok=True)
    secret.write_text(f"id,section\n{SECRET},1\n", encoding="utf-8")
    return secret


def _folder_instead(file: str) -> Callable[[Path, Path], list[str]]:
    def build(data: Path, tmp: Path) -> list[str]:
        (data / file).unlink()
        (data / file).mkdir()
        return check(data)
    return build


def _fifo(data: Path, tmp: Path) -> list[str]:
    (data / "2024" / "awards.csv").unlink()
    os.mkfifo(data / "2024" / "awards.csv")  # opening it would wait for a writer forever
    return check(data)


FILES = [
    Case("link-meta-to-etc-passwd", "file", _link("2024/meta.yaml", lambda d, t: "/etc/passwd"),
         names="meta.yaml", absent=("root:x:0", "/etc/passwd")),
    Case("link-csv-outside", "file", _link("2024/indicators.csv", _secret),
         names="indicators.csv", absent=(SECRET, "bi-mat.csv")),
    Case("link-shared-rules-outside", "file", _link("rules.yaml", lambda d, t: "/etc/hostname"),
         names="rules.yaml", absent=("/etc/hostname",)),
    Case("link-to-dev-zero", "file", _link("2024/sections.csv", lambda d, t: "/dev/zero"),
         names="sections.csv"),
    Case("link-loop", "file", _link("2024/awards.csv", lambda d, t: d / "2024" / "awards.csv"),
         names="awards.csv"),
    Case("link-chain-loop", "file", lambda d, t: _chain_loop(d), names="meta.yaml"),
    Case("folder-for-meta", "file", _folder_instead("2024/meta.yaml"), names="meta.yaml"),
    Case("folder-for-rules", "file", _folder_instead("rules.yaml"), names="rules.yaml"),
    Case("fifo-for-csv", "file", _fifo, names="awards.csv"),
    Case("unreadable-file", "file", lambda d, t: check(d), names="contributions.csv",
         runner="unreadable", env=(("UNREADABLE", "contributions.csv"),)),
    Case("unreadable-year-folder", "file", lambda d, t: check(d), names="2024",
         runner="unreadable", env=(("UNREADABLE", "2024"),)),
]


def _chain_loop(data: Path) -> list[str]:
    meta, other = data / "2024" / "meta.yaml", data / "2024" / "m2.yaml"
    meta.unlink()
    meta.symlink_to(other)
    other.symlink_to(meta)
    return check(data)


# -- workbooks ------------------------------------------------------------------------------

def _export(data: Path, tmp: Path) -> Path:
    from tongket_lib.dataset.excel import export_excel

    return export_excel(2024, data, tmp / "goc.xlsx")


def _import(book: Path, data: Path) -> list[str]:
    return ["excel", "import", str(book), "--year", "2024", "--data", str(data), "--force"]


def _wb(change: Callable[[Path, Path], Path]) -> Callable[[Path, Path], list[str]]:
    def build(data: Path, tmp: Path) -> list[str]:
        return _import(change(_export(data, tmp), tmp), data)
    return build


def _many_sheet_rows(book: Path, tmp: Path) -> Path:
    import openpyxl

    wb = openpyxl.load_workbook(book)
    ws = wb["Khen thưởng"]
    first = [c.value for c in ws[2]]
    for _ in range(5200):
        ws.append(first)
    wb.save(tmp / "nhieu-dong.xlsx")
    return tmp / "nhieu-dong.xlsx"


def _merge_across(book: Path, tmp: Path) -> Path:
    import openpyxl

    wb = openpyxl.load_workbook(book)
    wb["Chỉ tiêu"].merge_cells("D5:F5")
    wb.save(tmp / "gop.xlsx")
    return tmp / "gop.xlsx"


def _hidden_copy(title: str, state: str) -> Callable[[Path, Path], Path]:
    def change(book: Path, tmp: Path) -> Path:
        import openpyxl

        wb = openpyxl.load_workbook(book)
        copy = wb.copy_worksheet(wb["Chỉ tiêu"])
        copy.title, copy.sheet_state = title, state
        wb.save(tmp / "an.xlsx")
        return tmp / "an.xlsx"
    return change


def _renamed(title: str) -> Callable[[Path, Path], Path]:
    def change(book: Path, tmp: Path) -> Path:
        import openpyxl

        wb = openpyxl.load_workbook(book)
        wb["Chỉ tiêu"].title = title
        wb.save(tmp / "ten.xlsx")
        return tmp / "ten.xlsx"
    return change


def _huge_number(book: Path, tmp: Path) -> Path:
    member = xlsx.sheet_member(book, "Chỉ tiêu")
    return xlsx.rewrite_member(book, tmp / "so.xlsx", member, lambda x: re.sub(
        rb"<v>[0-9.]+</v>", b"<v>" + b"9" * 4301 + b"</v>", x, count=1))


def _undecodable_name(book: Path, tmp: Path) -> Path:
    name = os.fsdecode(os.path.join(os.fsencode(tmp), b"b\xe1o-c\xe1o.xlsx"))
    return xlsx.copy(book, Path(name))


XLSX = [
    Case("xlsx-veryhidden-copy-trailing-space", "xlsx",
         _wb(_hidden_copy("Chỉ tiêu ", "veryHidden")), names="Chỉ tiêu "),
    Case("xlsx-hidden-copy", "xlsx", _wb(_hidden_copy("Chỉ tiêu ", "hidden")),
         names="Chỉ tiêu "),
    Case("xlsx-title-trailing-space", "xlsx", _wb(_renamed("Chỉ tiêu ")), names="Chỉ tiêu "),
    Case("xlsx-4301-digit-number", "xlsx", _wb(_huge_number), names="so.xlsx"),
    Case("xlsx-name-not-utf8", "xlsx", _wb(_undecodable_name), code=0),
    Case("xlsx-empty-cell-at-XFD1048576", "xlsx",
         _wb(lambda b, t: xlsx.far_cell(b, t / "xa.xlsx", "Chỉ tiêu")), code=0),
    Case("xlsx-value-at-XFD1048576", "xlsx",
         _wb(lambda b, t: xlsx.far_cell(b, t / "xa.xlsx", "Chỉ tiêu", value="x")),
         names="XFD1048576"),
    Case("xlsx-value-at-row-9999999", "xlsx",
         _wb(lambda b, t: xlsx.far_cell(b, t / "xa.xlsx", "Khen thưởng", "B9999999", "x")),
         names="B9999999"),
    Case("xlsx-value-at-column-XFD", "xlsx",
         _wb(lambda b, t: xlsx.far_cell(b, t / "xa.xlsx", "Thông tin chung", "XFD3", "x")),
         names="XFD3"),
    Case("xlsx-cell-40000-chars", "xlsx",
         _wb(lambda b, t: xlsx.far_cell(b, t / "dai.xlsx", "Chỉ tiêu", "J3", "y" * 40000)),
         names="J3"),
    Case("xlsx-zip-bomb", "xlsx", lambda d, t: _import(xlsx.zip_bomb(t / "bom.xlsx"), d),
         names="bom.xlsx"),
    Case("xlsx-broken-xml", "xlsx",
         _wb(lambda b, t: xlsx.broken_xml(b, t / "hong.xlsx", "Chỉ tiêu")), names="hong.xlsx"),
    Case("xlsx-not-a-zip", "xlsx", lambda d, t: _import(xlsx.not_a_zip(t / "gia.xlsx"), d),
         names="gia.xlsx"),
    Case("xlsx-5200-rows", "xlsx", _wb(_many_sheet_rows), names="Khen thưởng"),
    Case("xlsx-merged-across-columns", "xlsx", _wb(_merge_across), names="D5:F5"),
]


# -- export: nothing becomes live, nothing is cut --------------------------------------------

def _live_units(data: Path, tmp: Path) -> list[str]:
    path = data / "2024" / "indicators.csv"
    for i, text in enumerate(["=HYPERLINK(\"http://x.invalid\",\"bấm\")", "=cmd|' /C calc'!A0",
                              "+1", "-1", "@SUM(A1)"], start=1):
        set_cell(path, i, "unit", text)
    return ["excel", "export", "2024", "--data", str(data), "-o", str(tmp / "ra.xlsx")]


def _long_meta(data: Path, tmp: Path) -> list[str]:
    path = data / "2024" / "meta.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("\nnotes:")
    path.write_text(text[:start] + "\nnotes: '" + "dài " * 9000 + "'\n", encoding="utf-8")
    return ["excel", "export", "2024", "--data", str(data), "-o", str(tmp / "ra.xlsx")]


EXPORT = [
    Case("export-formula-text-in-units", "export", _live_units, code=0),
    Case("export-value-over-32767-chars", "export", _long_meta, names="meta.yaml"),
]


# -- terminal -------------------------------------------------------------------------------

ESCAPES = "\x1b[2J\x1b]0;gia-mao\x07\x1b]52;c;ZWNobw==\x07\u202eabc\rĐạt"


def _escape_in_name(data: Path, tmp: Path) -> list[str]:
    set_cell(data / "2024" / "contributions.csv", 6, "name", "Hỗ trợ " + ESCAPES)
    return check(data)


def _escape_in_error(data: Path, tmp: Path) -> list[str]:
    set_cell(data / "2024" / "indicators.csv", 1, "direction", "x" + ESCAPES)
    return check(data)


TERMINAL = [
    Case("escape-in-check-output", "terminal", _escape_in_name, code=0, runner="streams",
         absent=("\x1b", "\u202e", "\x07")),
    Case("escape-in-error-message", "terminal", _escape_in_error, names="indicators.csv",
         runner="streams", absent=("\x1b", "\u202e", "\x07")),
    Case("ascii-console-help", "terminal", lambda d, t: ["--help"], code=0, runner="streams",
         env=(("PYTHONIOENCODING", "ascii"),)),
    Case("cp1252-console-error", "terminal", lambda d, t: ["check", "2023", "--data", str(d)],
         names="2023", runner="streams", env=(("PYTHONIOENCODING", "cp1252"),)),
]


# -- read-only data folder -----------------------------------------------------------------

READ_ONLY = [
    Case("read-only-new-year", "readonly", lambda d, t: ["new-year", "2025", "--data", str(d)],
         names="2025", runner="readonly"),
    Case("read-only-excel-import", "readonly", _wb(lambda b, t: b), names="2024",
         runner="readonly"),
]

CASES = [*YAML, *CSV, *FILES, *XLSX, *EXPORT, *TERMINAL, *READ_ONLY]
