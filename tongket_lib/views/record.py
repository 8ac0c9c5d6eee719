"""What an executed report notebook tells the render about itself.

The year is loaded once, in the notebook's kernel. A hidden cell at the end of the
notebook displays a :class:`Record` (title, organisation, verdict counts, findings),
which travels inside the executed notebook as a JSON output; the render reads it back
for the stamp, the HTML title and the exit code, instead of loading the year again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the render reads records without loading pandas
    import pandas as pd

MIME = "application/vnd.tongket.record+json"


@dataclass(frozen=True)
class Record:
    """A JSON-able summary of a rendered report; displays as nothing visible."""

    data: dict[str, Any]

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        return {MIME: self.data, "text/plain": ""}


def year_record(year_data: Any, evaluated: pd.DataFrame, findings: list) -> Record:
    """The record of one year's report."""
    counts = evaluated["status"].value_counts()
    severities: dict[str, int] = {}
    for finding in findings:
        severities[finding.severity] = severities.get(finding.severity, 0) + 1
    meta = year_data.meta
    return Record({
        "kind": "year", "year": str(year_data.year), "title": meta.get("title", ""),
        "organisation": meta.get("organisation", ""), "synthetic": bool(year_data.synthetic),
        "checksum": year_data.checksum,
        "verdicts": {str(k): int(v) for k, v in counts.items() if v},
        "findings": severities})


def trends_record(history: Any) -> Record:
    """The record of the trends report."""
    latest = history.meta[history.years[-1]]
    return Record({
        "kind": "trends", "years": [str(y) for y in history.years],
        "organisation": latest.get("organisation", ""),
        "title": "Xu hướng thi đua, khen thưởng", "synthetic": bool(history.synthetic)})


def read_record(notebook: Any) -> dict[str, Any]:
    """The record an executed notebook displayed, or ``{}`` (a notebook of the user's own)."""
    for cell in notebook.get("cells", []):
        for output in cell.get("outputs", []) if cell.get("cell_type") == "code" else []:
            data = output.get("data", {})
            if MIME in data and isinstance(data[MIME], dict):
                return dict(data[MIME])
    return {}
