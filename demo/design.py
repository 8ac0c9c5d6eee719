"""The design of the demonstration dataset, read from ``spec/design.yaml``.

The generator (:mod:`~demo.organisation`) draws every figure from this design:
the fictional agency's names, its sections and indicators with the path each one's
actual follows over the years, the reasons a report gives, the fund drives, and the
texts of the README and rules files it writes beside the years.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from tongket_lib.vocab import BANNER, BANNER_MARKER

SPEC = Path(__file__).resolve().parent / "spec"

DEFAULT_SEED = 20241129
DEFAULT_YEARS = range(2021, 2025)


@dataclass(frozen=True)
class Ind:
    """One demonstration indicator and how its actual moves over the years."""

    id: str
    section: str
    name: str
    target: str | None
    unit: str = "%"
    direction: str = "higher"
    path: tuple[float, float] | None = None  # actual in the first and the last year
    shape: str = "linear"                    # linear, or ease_out (fast, then levelling)
    noise: float = 0.0                       # uniform noise added to the path
    pattern: tuple[float, ...] = ()          # or: the actual by year position, cycled
    reported: tuple[str, ...] = ()           # or: the reported verdict only, cycled
    derived: bool = False                    # or: computed from awards and members
    decimals: int = 1
    exceed_at: float | None = None
    target_text: str | None = None
    award: str | None = None
    group: str | None = None
    old_name: str | None = None              # name before the rename year


def _indicator(row: dict[str, Any]) -> Ind:
    fields: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v for k, v in row.items()}
    return Ind(**fields)


_DESIGN: dict[str, Any] = yaml.safe_load((SPEC / "design.yaml").read_text(encoding="utf-8"))

ORGANISATION: str = _DESIGN["organisation"]
SHORT: str = _DESIGN["short"]
UNION: str = _DESIGN["union"]
DIRECTOR: str = _DESIGN["director"]
GOV_SUFFIX: str = _DESIGN["gov_suffix"]
UNION_SUFFIX: str = _DESIGN["union_suffix"]
NOTE = BANNER
#: text that marks files the generator wrote (README.md, rules.yaml)
MARKER = BANNER_MARKER
RENAMED: str = _DESIGN["renamed"]
NEW: str = _DESIGN["new"]
DROPPED: str = _DESIGN["dropped"]
#: the progress class each series is designed to show with
#: tongket_lib.evaluation.trends.progress (Open SDG ratio of observed to needed growth,
#: target due in the latest year), for any seed and any number of years from two up
DESIGNED_TRENDS: dict[str, str] = dict(_DESIGN["designed_trends"])
#: deliberate disagreements between the report's verdict and the numbers:
#: (indicator id, year position: 0 first, -1 last) → reported verdict
DISAGREEMENTS: dict[tuple[str, int], str] = {
    (d["id"], int(d["position"])): d["reported"] for d in _DESIGN["disagreements"]}
#: CSTĐCS / LĐTT by year position (cycled)
CSTDCS_SHARES: tuple[float, ...] = tuple(_DESIGN["cstdcs_shares"])
SECTIONS: dict[str, str] = dict(_DESIGN["sections"])
INDICATORS: tuple[Ind, ...] = tuple(_indicator(row) for row in _DESIGN["indicators"])
#: why an indicator was not met, as the report would say it
REASONS: dict[str, str] = dict(_DESIGN["reasons"])
#: fund drives: name, lowest and highest amount in million đồng
FUNDS: tuple[tuple[str, int, int], ...] = tuple(
    (f["name"], int(f["low"]), int(f["high"])) for f in _DESIGN["funds"])
UNITS: int = int(_DESIGN["units"])        # phòng, đơn vị thuộc Sở
SUBUNITS: int = int(_DESIGN["subunits"])  # phòng trực thuộc các đơn vị của Sở
README = (SPEC / "README.md.tmpl").read_text(encoding="utf-8")
RULES = (SPEC / "rules.yaml.tmpl").read_text(encoding="utf-8")
