"""The report document (the văn bản the union signs and sends): one model, three outputs.

``build_document`` makes it from a year's data; ``to_html`` and ``write_docx`` write it.
"""

from tongket_lib.document.build import build_document
from tongket_lib.document.docx import write_docx
from tongket_lib.document.html import to_html
from tongket_lib.document.model import BLANK, MIME, Document

__all__ = ["BLANK", "MIME", "Document", "build_document", "to_html", "write_docx"]
