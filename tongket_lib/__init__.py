"""tongket: verified, charted reports of a year's emulation-and-commendation results.

The public API, in the order a year flows through it::

    import tongket_lib as tk

    year = tk.load_year(2024)                 # validated DataFrames, or a DataError
    evaluated = tk.evaluate_year(year)        # verdicts and where each comes from
    tk.rollup(evaluated)                      # "Đạt 03 chỉ tiêu, không đạt 01 chỉ tiêu"
    tk.run_checks(year)                       # findings: error, warning, info
    tk.render_report(2024)                    # reports/2024/bao-cao-2024.html and .pdf

Names are imported on first use, so ``import tongket_lib`` stays fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from tongket_lib._version import __version__

_EXPORTS = {
    "TongketError": "errors", "DataError": "errors", "ParseError": "errors",
    "TargetError": "errors", "ParameterError": "errors", "RenderError": "errors",
    "YearData": "dataset.load", "load_year": "dataset.load",
    "available_years": "dataset.layout",
    "Target": "targets", "parse_target": "targets",
    "evaluate": "evaluation.status", "evaluate_year": "evaluation.status",
    "rollup": "evaluation.status",
    "Finding": "evaluation.checks", "run_checks": "evaluation.checks",
    "render_report": "render.job",
}
#: modules reachable as ``tongket_lib.NAME`` (``from tongket_lib import trends``)
_MODULES = {"trends": "evaluation.trends"}
__all__ = sorted(_EXPORTS) + ["__version__"]

if TYPE_CHECKING:  # for editors and type checkers
    from tongket_lib.dataset.layout import available_years
    from tongket_lib.dataset.load import YearData, load_year
    from tongket_lib.errors import (
        DataError,
        ParameterError,
        ParseError,
        RenderError,
        TargetError,
        TongketError,
    )
    from tongket_lib.evaluation.checks import Finding, run_checks
    from tongket_lib.evaluation.status import evaluate, evaluate_year, rollup
    from tongket_lib.render.job import render_report
    from tongket_lib.targets import Target, parse_target


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        value = getattr(importlib.import_module(f".{_EXPORTS[name]}", __name__), name)
    elif name in _MODULES:
        value = importlib.import_module(f".{_MODULES[name]}", __name__)
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS, *_MODULES])
