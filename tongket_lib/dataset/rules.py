"""Legal and agency rules as data: ``rules.yaml``, each rule cited and dated.

A rule caps or floors one award count against another (for example CSTĐCS at most
15% of LĐTT). It applies to a year only while it is in force during that year, so a
rule repealed at the end of 2023 never fires on 2024. Rules live in
``<data>/rules.yaml`` (shared by all years) and ``<data>/<year>/rules.yaml`` (an
agency's own rules for that year).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tongket_lib.dataset import schema as S
from tongket_lib.dataset.layout import MISSING, file_problem
from tongket_lib.dataset.readers import read_text, read_yaml, suggest
from tongket_lib.errors import ParseError, Problem
from tongket_lib.period import parse_period
from tongket_lib.vn import parse_date
from tongket_lib.vocab import SEVERITIES, STATES

CHECKS = S.RULE_CHECKS
KEYS = S.RULE_KEYS
REQUIRED = S.RULE_REQUIRED


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    source: str
    quote: str
    quote_verified: bool
    in_force_from: dt.date
    in_force_until: dt.date | None
    applies_to: str
    check: str
    numerator: str
    denominator: str
    limit_percent: float
    states: tuple[str, ...]
    severity: str
    file: str

    def in_force(self, year: Any) -> bool:
        """Whether the rule is in force on any day of ``year`` (a period: a calendar year,
        or a school year from 1 September to 31 August)."""
        period = parse_period(year)
        start, end = period.first_day, period.last_day
        return self.in_force_from <= end and (self.in_force_until is None
                                              or self.in_force_until >= start)

    def applies(self, year: Any, organisation: str) -> bool:
        """In force in ``year`` and, for an agency's own rule, about this organisation."""
        scope = self.applies_to.strip().lower()
        return self.in_force(year) and (not scope or scope in organisation.lower())

    def period(self) -> str:
        """Vietnamese “from … to …” wording of when the rule is in force."""
        start = self.in_force_from.strftime("%d/%m/%Y")
        if self.in_force_until is None:
            return f"có hiệu lực từ {start}"
        return f"có hiệu lực từ {start} đến {self.in_force_until.strftime('%d/%m/%Y')}"


def load_rules(paths: list[tuple[Path, str]], problems: list[Problem],
               root: Path | None = None,
               ratio_bases: list[dict[str, Any]] | None = None) -> list[Rule]:
    """Read every existing rules file of ``paths`` (path, name shown in messages).

    ``root`` is the data folder: a rules file linked from outside it is refused.
    ``ratio_bases``, when given, receives the entries of each file's ``ratio_bases:``
    list as read, each with the ``file`` it came from (the checks judge their shape).
    """
    rules: list[Rule] = []
    seen: dict[str, str] = {}
    for path, shown in paths:
        if file_problem(path, root) == MISSING:
            continue
        text = read_text(path, problems, shown, root)
        if text is None:
            continue
        data, lines = read_yaml(text, shown, problems)
        if ratio_bases is not None and isinstance(data, dict):
            items = data.get("ratio_bases")
            ratio_bases += [{"item": item, "file": path.name}
                            for item in (items if isinstance(items, list) else [])]
        for rule in _rules_of(data, lines, shown, problems):
            if rule.id in seen:
                problems.append(Problem(shown, lines.get(("rules",)), "id", rule.id,
                                        f"mã quy định “{rule.id}” đã có trong {seen[rule.id]};"
                                        " đặt mã khác."))
                continue
            seen[rule.id] = shown
            rules.append(rule)
    return rules


def _rules_of(data: Any, lines: dict, shown: str, problems: list[Problem]) -> list[Rule]:
    if data is None:
        return []
    items = data.get("rules") if isinstance(data, dict) else None
    if not isinstance(items, list):
        problems.append(Problem(shown, 1, "rules", None,
                                "tệp quy định phải có khóa “rules:” chứa danh sách các quy định."))
        return []
    rules = []
    for i, item in enumerate(items):
        rule = _rule(item, (("rules", i)), lines, shown, problems)
        if rule is not None:
            rules.append(rule)
    return rules


def _rule(item: Any, path: tuple, lines: dict, shown: str, problems: list[Problem]) -> Rule | None:
    def add(key: str | None, value: Any, message: str) -> None:
        line = lines.get(path + (key,)) if key else None
        problems.append(Problem(shown, line or lines.get(path), key, value, message))

    if not isinstance(item, dict):
        add(None, item, "mỗi quy định là một nhóm khóa (id, title, source, …).")
        return None
    before = len(problems)
    for key in item:
        if key not in KEYS:
            add(key, key, f"khóa lạ “{key}”.{suggest(str(key), list(KEYS))}")
    for key in REQUIRED:
        if item.get(key) in (None, ""):
            add(key, None, f"thiếu “{key}” của quy định {item.get('id', i_of(path))}.")

    def date_of(key: str) -> dt.date | None:
        value = item.get(key)
        if value in (None, ""):
            return None
        if isinstance(value, dt.date):
            return value
        try:
            return parse_date(str(value))
        except ParseError:
            add(key, value, f"ngày “{value}” không hợp lệ; viết dd/mm/yyyy.")
            return None

    start, until = date_of("in_force_from"), date_of("in_force_until")
    if start and until and until < start:
        add("in_force_until", until, "ngày hết hiệu lực đứng trước ngày có hiệu lực.")
    check = item.get("check")
    if check is not None and check not in CHECKS:
        add("check", check, f"kiểu kiểm tra “{check}” không có; dùng {', '.join(CHECKS)}.")
    severity = item.get("severity", "error")
    if severity not in SEVERITIES:
        add("severity", severity, f"mức “{severity}” không có; dùng {', '.join(SEVERITIES)}.")
    limit = item.get("limit_percent")
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, (int, float))
                              or limit < 0):
        add("limit_percent", limit, "“limit_percent” phải là một số không âm (phần trăm), ví dụ 15.")
    states = item.get("states", ["granted"])
    if not isinstance(states, list) or any(s not in STATES for s in states):
        add("states", states, f"“states” là danh sách trong {', '.join(STATES)}.")
    if len(problems) > before or start is None:
        return None
    return Rule(
        id=str(item["id"]), title=str(item["title"]), source=str(item["source"]),
        quote=str(item.get("quote") or ""), quote_verified=bool(item.get("quote_verified", False)),
        in_force_from=start, in_force_until=until, applies_to=str(item.get("applies_to") or ""),
        check=str(check), numerator=str(item["numerator"]), denominator=str(item["denominator"]),
        limit_percent=float(limit or 0), states=tuple(states), severity=severity, file=shown)


def i_of(path: tuple) -> str:
    return f"thứ {path[-1] + 1}"
