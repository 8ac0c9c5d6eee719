"""Hostile workbooks: far-away cells, zip bombs, broken XML, merged cells, formulas."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path


def rewrite_member(book: Path, out: Path, member: str, change) -> Path:
    """A copy of ``book`` with ``member`` (an XML file in the zip) passed through ``change``."""
    with zipfile.ZipFile(book) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == member:
                data = change(data)
            dst.writestr(info, data)
    return out


def sheet_member(book: Path, title: str) -> str:
    """The zip member of the sheet called ``title``."""
    from openpyxl import load_workbook

    wb = load_workbook(book, read_only=True)
    index = wb.sheetnames.index(title) + 1
    wb.close()
    return f"xl/worksheets/sheet{index}.xml"


def far_cell(book: Path, out: Path, title: str, cell: str = "XFD1048576",
             value: str | None = None) -> Path:
    """One cell at ``cell`` (empty, or with an inline ``value``) and the sheet's declared
    dimension stretched to it: what made import walk a billion empty cells."""
    member = sheet_member(book, title)

    def change(xml: bytes) -> bytes:
        text = xml.decode()
        text = re.sub(r'<dimension ref="[^"]*"/>', f'<dimension ref="A1:{cell}"/>', text)
        row = int(re.sub(r"\D", "", cell))
        body = (f'<c r="{cell}" t="inlineStr"><is><t>{value}</t></is></c>' if value
                else f'<c r="{cell}" s="0"/>')
        return text.replace("</sheetData>", f'<row r="{row}">{body}</row></sheetData>').encode()

    return rewrite_member(book, out, member, change)


def broken_xml(book: Path, out: Path, title: str) -> Path:
    """The sheet's XML cut in the middle of a tag."""
    member = sheet_member(book, title)
    return rewrite_member(book, out, member, lambda xml: xml[: len(xml) // 2])


def zip_bomb(out: Path, size: int = 300 * 1024 * 1024) -> Path:
    """A few hundred KB that claim to unzip to ``size`` bytes of XML."""
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            chunk = b" " * (1024 * 1024)
            for _ in range(size // len(chunk)):
                member.write(chunk)
    return out


def not_a_zip(out: Path) -> Path:
    out.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    return out


def copy(book: Path, out: Path) -> Path:
    shutil.copyfile(book, out)
    return out
