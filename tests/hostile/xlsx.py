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


def external_link_cache(book: Path, out: Path, rows: int) -> Path:
    """A copy of ``book`` linked to another workbook whose cached values (``rows`` rows of
    a number and a text, as Excel keeps them) fill ``xl/externalLinks``."""
    import random

    rnd = random.Random(1)  # values that do not compress away: the zip limits let it in
    cells = "".join(f'<row r="{i}"><cell r="A{i}" t="n"><v>{rnd.random()}</v></cell>'
                    f'<cell r="B{i}" t="str"><v>x{rnd.randrange(10**9)}</v></cell></row>'
                    for i in range(1, rows + 1))
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    link = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><externalLink xmlns="http://'
            f'schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="{rel}"><externalBook'
            ' r:id="rId1"><sheetNames><sheetName val="S"/></sheetNames><sheetDataSet><sheetData'
            f' sheetId="0">{cells}</sheetData></sheetDataSet></externalBook></externalLink>')
    link_rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns='
                 '"http://schemas.openxmlformats.org/package/2006/relationships"><Relationship'
                 f' Id="rId1" Type="{rel}/externalLinkPath" Target="file:///C:/khac.xlsx"'
                 ' TargetMode="External"/></Relationships>')
    changes = {
        "xl/workbook.xml": (b"</sheets>", f'</sheets><externalReferences><externalReference'
                            f' xmlns:r="{rel}" r:id="rIdX9"/></externalReferences>'.encode()),
        **new_part("rIdX9", "externalLink", "externalLinks/externalLink1.xml")}
    return with_parts(book, out, changes, {"xl/externalLinks/externalLink1.xml": link,
                                           "xl/externalLinks/_rels/externalLink1.xml.rels":
                                           link_rels})


def new_part(rid: str, kind: str, target: str) -> dict:
    """The changes (as :func:`with_parts` takes them) that register a new part of the
    workbook, ``xl/`` + ``target``, of the ``kind`` both its relationship type and its
    content type are named by: the workbook's relationship ``rid`` to it, and its
    content type."""
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    return {
        "xl/_rels/workbook.xml.rels": (b"</Relationships>", f'<Relationship Id="{rid}" Type='
                                       f'"{rel}/{kind}" Target="{target}"/>'
                                       "</Relationships>".encode()),
        "[Content_Types].xml": (b"</Types>", f'<Override PartName="/xl/{target}" ContentType='
                                '"application/vnd.openxmlformats-officedocument.spreadsheetml.'
                                f'{kind}+xml"/></Types>'.encode())}


def with_parts(book: Path, out: Path, changes: dict, parts: dict) -> Path:
    """A copy of ``book`` with text replaced in some members (``changes``: member → (old,
    new)) and new members added (``parts``: member → content)."""
    with zipfile.ZipFile(book) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename in changes:
                data = data.replace(*changes[info.filename])
            dst.writestr(info, data)
        for member, content in parts.items():
            dst.writestr(member, content)
    return out


def unused_shared_strings(book: Path, out: Path, count: int) -> Path:
    """A copy of ``book`` with a shared-strings part holding ``count`` texts no cell uses
    (what Excel keeps of deleted cells), random so that they do not compress away; the part
    is added when ``book`` writes its texts inline."""
    import random

    rnd = random.Random(2)
    extra = "".join(f"<si><t>{rnd.randrange(10**12)} ghi chú đã xóa {i}</t></si>"
                    for i in range(count)).encode()
    member = "xl/sharedStrings.xml"
    with zipfile.ZipFile(book) as src:
        names = set(src.namelist())
    if member in names:
        return rewrite_member(book, out, member,
                              lambda data: data.replace(b"</sst>", extra + b"</sst>"))
    main = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    part = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="' + main
            + f'" count="{count}" uniqueCount="{count}">'.encode() + extra + b"</sst>")
    return with_parts(book, out, new_part("rIdS9", "sharedStrings", "sharedStrings.xml"),
                      {member: part})


def styled_empty_rows(book: Path, out: Path, title: str, rows: int) -> Path:
    """A copy of ``book`` whose sheet ``title`` has ``rows`` formatted empty rows below its
    table, as a sheet formatted down to its end."""
    def change(data: bytes) -> bytes:
        last = max(int(n) for n in re.findall(rb'<row r="(\d+)"', data))
        extra = "".join(f'<row r="{r}" s="1" customFormat="1"/>'
                        for r in range(last + 1, last + rows + 1)).encode()
        return data.replace(b"</sheetData>", extra + b"</sheetData>")

    return rewrite_member(book, out, sheet_member(book, title), change)
