"""A notebook's parameters: what it declares, and the values a render gives it, typed.

Read with :mod:`ast` from the notebook's JSON, as papermill reads them, but without
importing papermill (whose import costs a second; the kernel boots meanwhile).
"""

from __future__ import annotations

import ast
import json
import os
from pathlib import Path
from typing import Any

from tongket_lib.dataset.layout import shown
from tongket_lib.errors import ParameterError

_TYPES: dict[str, type] = {"int": int, "float": float, "bool": bool, "str": str}


def notebook_parameters(notebook: Path) -> dict[str, dict[str, Any]]:
    """The parameters a notebook declares in its cell tagged ``parameters``."""
    if not notebook.is_file():
        raise ParameterError(f"Không có notebook {shown(notebook)}.")
    try:
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    except (ValueError, KeyError, OSError) as exc:
        raise ParameterError(f"Không đọc được notebook {shown(notebook)}: {exc}.") from None
    for cell in cells:
        tags = cell.get("metadata", {}).get("tags", [])
        if cell.get("cell_type") == "code" and "parameters" in tags:
            source = "".join(cell.get("source", ""))
            break
    else:
        raise ParameterError(f"Notebook {shown(notebook)} không có ô gắn thẻ “parameters”.")
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        raise ParameterError(f"Ô tham số của {shown(notebook)} có lỗi cú pháp: {exc}.") from None
    declared: dict[str, dict[str, Any]] = {}
    for node in tree.body:
        target: ast.expr
        if isinstance(node, ast.AnnAssign):
            target, annotation = node.target, ast.unparse(node.annotation)
        elif isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, annotation = node.targets[0], "None"
        else:
            continue
        if not isinstance(target, ast.Name) or node.value is None:
            continue
        declared[target.id] = {"name": target.id, "inferred_type_name": annotation,
                               "default": ast.unparse(node.value)}
    return declared


def refuse_owned(given: dict[str, Any], owned: dict[str, str]) -> None:
    """Refuse a parameter the command sets itself (``owned``: name → how to change it),
    so the published file never says one year or folder around the body of another."""
    for name in given:
        if name in owned:
            raise ParameterError(
                f"Tham số “{name}” do lệnh đặt, không đổi được bằng -p: {owned[name]}.")


def check_parameters(notebook: Path, given: dict[str, Any]) -> dict[str, Any]:
    """Validate and type ``given`` against the notebook's declared parameters.

    Text values (from the command line) are converted to the type of the parameter's
    default; anything unknown or of the wrong type is a :class:`ParameterError`.
    """
    declared = notebook_parameters(notebook)
    typed: dict[str, Any] = {}
    for name, value in given.items():
        if name not in declared:
            raise ParameterError(
                f"Tham số lạ “{name}”: notebook {notebook.name} chỉ có"
                f" {', '.join(declared)}. Kiểm tra lại tên tham số.")
        typed[name] = _typed(name, value, _declared_type(declared[name]))
    return typed


def _declared_type(parameter: dict[str, Any]) -> str:
    """The annotated type, else the type of the default's literal (``2024`` → int)."""
    kind = parameter.get("inferred_type_name") or "None"
    if kind in _TYPES:
        return kind
    try:
        default = ast.literal_eval(parameter.get("default") or "None")
    except (ValueError, SyntaxError):
        return "None"
    return type(default).__name__ if default is not None else "None"


def _typed(name: str, value: Any, kind: str) -> Any:
    want = _TYPES.get(kind)
    if want is None or value is None:  # default None or unknown: accept text and paths
        return str(value) if isinstance(value, os.PathLike) else value
    if isinstance(value, str) and want is not str:
        try:
            if want is bool:
                if value.lower() not in ("true", "false", "1", "0", "có", "không"):
                    raise ValueError
                return value.lower() in ("true", "1", "có")
            return want(value)
        except ValueError:
            raise ParameterError(
                f"Tham số “{name}” cần kiểu {kind}, nhưng nhận “{value}”.") from None
    if want is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if not isinstance(value, want) or (want is int and isinstance(value, bool)):
        raise ParameterError(f"Tham số “{name}” cần kiểu {kind}, nhưng nhận {value!r}.")
    return value
