"""The report document as plain data: one ordered tree, the one source of the HTML, the
PDF and the Word file, so the three never say different things.

A :class:`Document` holds the header block, the opening (kind, title, legal bases, the
opening sentence), the body (a list of :class:`Section` s, each a heading and its
blocks: paragraphs, list items, tables and sub-sections) and the closing (closing
sentence, "Nơi nhận:", signature). It round-trips through JSON and displays itself in
a notebook, carrying its JSON in the output so the render step can write the .docx.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any, Union

from tongket_lib.document.sentences import BLANK

#: the MIME type of the document's JSON in a notebook output
MIME = "application/vnd.tongket.document+json"


@dataclass
class Header:
    """The two-column block at the top of a văn bản."""

    upper: str = ""  # "CĐ VIÊN CHỨC TỈNH TRÀ VINH"
    issuer: str = ""  # "CĐCS SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG" (bold)
    number: str = ""  # "Số: …………/BC-CĐCS"
    country: str = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    motto: str = "Độc lập - Tự do - Hạnh phúc"
    place_date: str = ""  # "Trà Vinh, ngày ………… tháng ………… năm 2024" (italic)


@dataclass
class Paragraph:
    text: str
    kind: str = "paragraph"


@dataclass
class ListItem:
    marker: str  # "-", "+", "*"
    text: str
    kind: str = "item"


@dataclass
class Table:
    rows: list[list[str]]
    header: bool = True
    kind: str = "table"


@dataclass
class Section:
    """A heading and what is written under it. ``label`` is the number as the report
    prints it ("1.", "1.2.", "a.", "a)"), or a list marker for a sub-block ("-", "*"),
    or "" for an unnamed group of lines; ``level`` is its depth (1 for "1.")."""

    label: str
    heading: str
    level: int
    blocks: list[Block] = field(default_factory=list)
    kind: str = "section"
    #: what is written on the heading's own line after it ("a. Về …: Chủ động tham mưu …")
    lead: str = ""

    @property
    def is_heading(self) -> bool:
        """A numbered heading (Word heading style), not a list-like sub-block."""
        return bool(self.heading) and self.label not in ("-", "+", "*")

    @property
    def title_line(self) -> str:
        return f"{self.label} {self.heading}".strip()

    @property
    def line(self) -> str:
        """The heading's line as printed: the title line and what follows it there."""
        return f"{self.title_line} {self.lead}".strip()


Block = Union[Paragraph, ListItem, Table, Section]  # noqa: UP007 (a runtime alias)


@dataclass
class Signature:
    """The signature block: "TM. BAN CHẤP HÀNH", for a deputy "KT. CHỦ TỊCH"
    (``authority``), the signer's title ("CHỦ TỊCH", "PHÓ CHỦ TỊCH") and name."""

    on_behalf: str = "TM. BAN CHẤP HÀNH"
    title: str = BLANK
    name: str = BLANK
    authority: str = ""

    def lines(self) -> list[str]:
        return [line for line in (self.on_behalf, self.authority, self.title) if line]


@dataclass
class Document:
    header: Header
    kind: str  # "BÁO CÁO"
    title: str
    bases: list[str]  # each "Căn cứ …;" as its own paragraph
    opening: str
    body: list[Section]
    closing: str
    recipients: list[str]
    signature: Signature
    year: str | int | None = None  # the period's identifier
    banner: str = ""  # the demo-data banner, above the document; never in a real report

    # -- walking ------------------------------------------------------------------------------

    def headings(self) -> list[str]:
        """Every numbered heading line, in order ("1. Về …", "1.1. …")."""
        out: list[str] = []

        def walk(sections: list[Any]) -> None:
            for s in sections:
                if isinstance(s, Section):
                    if s.is_heading:
                        out.append(s.title_line)
                    walk(s.blocks)
        walk(self.body)
        return out

    def lines(self) -> list[str]:
        """The document's text, one entry per paragraph, in reading order (as the
        .docx and the HTML write it): the test of "the same text everywhere"."""
        h = self.header
        out = [self.banner, *h.upper.split("\n"), *h.issuer.split("\n"), h.number, h.country,
               h.motto, h.place_date, self.kind, *self.title.split("\n"), *self.bases,
               self.opening]

        def walk(blocks: list[Any]) -> None:
            for b in blocks:
                if isinstance(b, Section):
                    if b.heading or b.label or b.lead:
                        out.append(b.line)
                    walk(b.blocks)
                elif isinstance(b, ListItem):
                    out.append(f"{b.marker} {b.text}")
                elif isinstance(b, Paragraph):
                    out.append(b.text)
                elif isinstance(b, Table):  # a cell a line, as a word processor reads it
                    out.extend(cell for r in b.rows for cell in r)
        walk(list(self.body))
        out.append(self.closing)
        out.append("Nơi nhận:")
        out.extend(f"- {r}" for r in self.recipients)
        out.extend([*self.signature.lines(), self.signature.name])
        return [line for line in out if line]

    # -- JSON ---------------------------------------------------------------------------------

    def to_json(self) -> dict:
        """The document as a JSON-ready dict (every block carries its ``kind``)."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict | str) -> Document:
        if isinstance(data, str):
            data = json.loads(data)
        assert isinstance(data, dict)
        return cls(
            header=Header(**data["header"]), kind=data["kind"], title=data["title"],
            bases=list(data["bases"]), opening=data["opening"],
            body=[_section(s) for s in data["body"]], closing=data["closing"],
            recipients=list(data["recipients"]), signature=Signature(**data["signature"]),
            year=data.get("year"), banner=data.get("banner", ""))

    @classmethod
    def from_notebook(cls, nb: Any) -> Document | None:
        """The document an executed notebook displayed (its last display), or None.

        The render step reads it back to write the .docx in its own process."""
        found = None
        for cell in nb.get("cells", []):
            for output in cell.get("outputs", []) if cell.get("cell_type") == "code" else []:
                data = output.get("data", {})
                if MIME in data:
                    found = data[MIME]
        return None if found is None else cls.from_json(
            found if isinstance(found, (dict, str)) else dict(found))

    # -- notebook display ---------------------------------------------------------------------

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict:
        from tongket_lib.document.html import to_html

        return {"text/html": to_html(self), MIME: self.to_json()}


def _section(data: dict) -> Section:
    return Section(label=data["label"], heading=data["heading"], level=data["level"],
                   blocks=[_block(b) for b in data["blocks"]], lead=data.get("lead", ""))


def _block(data: dict) -> Block:
    kind = data.get("kind")
    if kind == "section":
        return _section(data)
    if kind == "item":
        return ListItem(marker=data["marker"], text=data["text"])
    if kind == "table":
        return Table(rows=[list(r) for r in data["rows"]], header=data.get("header", True))
    return Paragraph(text=data["text"])
