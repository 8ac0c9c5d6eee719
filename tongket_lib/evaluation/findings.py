"""A finding of the checks, and the small helpers every check uses to word one."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from tongket_lib.vocab import SEVERITY_LABELS


@dataclass(frozen=True)
class Finding:
    """One thing the checks found."""

    severity: str
    check: str
    message: str
    figures: dict[str, Any] = field(default_factory=dict)
    where: str = ""

    def __str__(self) -> str:
        where = f" [{self.where}]" if self.where else ""
        return f"{SEVERITY_LABELS[self.severity]}: {self.message}{where}"


def where_in(file: str, row: Any, what: str = "") -> str:
    """Where a finding comes from: “indicators.csv, dòng 6 (qppl_tham_muu)”."""
    label = f"{file}, dòng {int(row)}" if row is not None and not pd.isna(row) else file
    return f"{label} ({what})" if what else label


def decimals(x: float) -> int:
    """Decimals a figure was written with (92.76 → 2, 16 → 0), at most 6."""
    for d in range(7):
        if abs(round(x, d) - x) < 1e-9:
            return d
    return 6
