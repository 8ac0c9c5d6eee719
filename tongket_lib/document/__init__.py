"""The report document (the văn bản the union signs and sends): one model, three outputs.

``build_document`` makes it from a year's data; ``to_html`` and ``write_docx`` write it.
Names are imported on first use, so that loading data (which checks sentence patterns
with :mod:`tongket_lib.document.sentences`) never imports python-docx.
"""

from __future__ import annotations

import importlib
from typing import Any

_WHERE = {"build_document": "build", "write_docx": "docx", "to_html": "html",
          "BLANK": "model", "MIME": "model", "Document": "model"}
__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(importlib.import_module(f"tongket_lib.document.{_WHERE[name]}"), name)
    raise AttributeError(name)
