"""tongket: verified, charted reports of a year's emulation-and-commendation results.

The public API, in the order a year flows through it::

    import tongket_lib as tk

    year = tk.load_year(2024)                 # validated DataFrames, or a DataError
    evaluated = tk.evaluate(year.indicators)  # computed and final verdicts
    tk.rollup(evaluated)                      # "Đạt 03 chỉ tiêu, không đạt 01 chỉ tiêu"
    tk.run_checks(year)                       # findings: error, warning, info
    tk.render_report(2024)                    # reports/2024/bao-cao-2024.html and .pdf

Names are imported on first use, so ``import tongket_lib`` stays fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "TongketError": "errors", "DataError": "errors", "ParseError": "errors",
    "TargetError": "errors", "ParameterError": "errors", "RenderError": "errors",
    "YearData": "data", "load_year": "data", "available_years": "data",
    "Target": "targets", "parse_target": "targets",
    "evaluate": "status", "rollup": "status",
    "Finding": "checks", "run_checks": "checks",
    "render_report": "render",
}
__all__ = sorted(_EXPORTS) + ["__version__"]

if TYPE_CHECKING:  # for editors and type checkers
    from .checks import Finding, run_checks
    from .data import YearData, available_years, load_year
    from .errors import (
        DataError,
        ParameterError,
        ParseError,
        RenderError,
        TargetError,
        TongketError,
    )
    from .render import render_report
    from .status import evaluate, rollup
    from .targets import Target, parse_target


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        value = getattr(importlib.import_module(f".{_EXPORTS[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(list(globals()) + list(_EXPORTS))
