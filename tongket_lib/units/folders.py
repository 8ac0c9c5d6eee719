"""Reading many year folders at once: the same readers and rules as ``load_year``,
checked together and vectorised.

``load_year`` costs about 0,1 s a year, mostly pandera's fixed cost per table; at
10.000 units × 4 years that is over an hour. :class:`BulkRead` reads a chunk of year
folders with the same readers (:mod:`readers`, :func:`validate.check_columns`), checks
every rule of :mod:`validate` and ``load_year`` on all their rows at once (formats,
codes, required and unique values, targets, minimums, percent ranges, target and
direction, ``exceed_at``, sections, ``meta.yaml`` with duplicate keys, ``rules.yaml``)
and types them with :func:`validate.convert`. A folder with anything doubtful is put
in ``slow``: the caller hands it to ``load_year``, which stays the authority and words
every problem. So the fast path may only accept less than ``load_year``, never more.
"""

from __future__ import annotations

import functools
import hashlib
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from tongket_lib.dataset import schema as S
from tongket_lib.dataset.readers import CsvTable
from tongket_lib.errors import Problem, TargetError

#: columns whose rules live in dataset/patterns.py: a row that fills one goes the slow way
_CHECKED_ON_LOAD = frozenset({"sentence", "heading", "text", "block"})
#: the spec of each CSV file by its file name
_SPECS = {spec.name: spec for spec in S.CSV_FILES}

_ID_RE = re.compile(r"[A-Za-z0-9_.-]+")
_FLOOR, _CEILING = ("at_least", "more_than"), ("at_most", "less_than")


class BulkRead:
    """Several unit-years read and checked together; ``slow`` holds those to hand to
    ``load_year`` (anything doubtful), ``tables`` the typed rows of the others."""

    def __init__(self, keys: pd.DataFrame, present: list[int], kept: set[str]):
        """``keys``: one row a folder (columns ``folder``, ``year``); ``present``: the
        positions to read; ``kept``: free-text columns to type (others are only checked)."""
        self.keys = keys
        self.kept = kept | {"id", "unit", "section"}  # the cross-column checks read these
        self.slow: set[int] = set()
        self.meta: dict[int, dict] = {}
        self.tables: dict[str, pd.DataFrame] = {}
        raw: dict[str, list] = {spec.name: [] for spec in S.CSV_FILES}
        for k in present:
            if not self._read(k, raw):
                self.slow.add(k)
        texts = {spec.name: self._frame(spec, raw[spec.name]) for spec in S.CSV_FILES}
        typed = {name: self._check(_SPECS[name], frame) for name, frame in texts.items()}
        self._check_indicators(typed[S.INDICATORS.name], typed[S.SECTIONS.name], present)
        good = [k for k in present if k not in self.slow]
        self.good = bool(good)
        for k in list(self.meta):
            if k in self.slow:
                del self.meta[k]
        keep = {name: frame[frame["_k"].isin(good)] for name, frame in typed.items()}
        self.files = keep  # every file's typed rows of the good ones, by file name
        awards = keep[S.AWARDS.name].copy()
        if len(awards):
            from tongket_lib.dataset.titles import infer_code, infer_level

            awards["code"] = awards["code"].astype(object).fillna(
                awards["title"].astype(object).map(_cached(infer_code)))
            awards["level"] = awards["level"].astype(object).fillna(
                awards["granted_by"].astype(object).map(_cached(infer_level)))
        self.tables = {"indicators": keep[S.INDICATORS.name], "awards": awards,
                       "contributions": keep[S.CONTRIBUTIONS.name]}

    # reading -------------------------------------------------------------------------------
    def _read(self, k: int, raw: dict) -> bool:
        """Read one year folder's files; False at the first doubt (then load_year reads it)."""
        import yaml

        from tongket_lib.dataset.meta import validate_meta
        from tongket_lib.dataset.readers import parse_csv, read_text

        folder = Path(self.keys.at[k, "folder"])
        problems: list[Problem] = []
        if not read_the_fast_way(folder):
            return False
        rows: dict[str, list] = {}
        for spec in S.CSV_FILES:
            path = folder / spec.name
            if not path.is_file():
                if spec.required or path.exists():
                    return False
                rows[spec.name] = []
                continue
            text = read_text(path, problems, spec.name)
            table = parse_csv(text, spec.name, problems) if text is not None else None
            found = table_rows(table, spec, k) if table is not None and not problems else None
            if found is None:
                return False
            rows[spec.name] = found
        meta_path = folder / S.META_FILE
        text = read_text(meta_path, problems, S.META_FILE) if meta_path.is_file() else None
        if text is None:
            return False
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        parser = loader(text)
        try:
            node = parser.get_single_node()
            data = parser.construct_document(node) if node is not None else None
        except yaml.YAMLError:
            return False
        finally:
            parser.dispose()
        if _duplicate_keys(node):
            return False
        meta = validate_meta(data, {}, int(self.keys.at[k, "year"]), problems, S.META_FILE)
        if problems:
            return False
        self.meta[k] = meta
        for name, found in rows.items():
            raw[name].extend(found)
        return True

    def _frame(self, spec: S.FileSpec, rows: list) -> pd.DataFrame:
        columns = [*spec.columns, "_k", "row"]
        cells = np.array(rows, dtype=object).reshape(len(rows), len(columns))
        width = len(spec.columns)
        text = cells[:, :width]
        text[text == ""] = None  # as load_year: an empty cell is a missing value
        frame = pd.DataFrame(text, columns=spec.columns, dtype=object)
        frame["_k"] = cells[:, width].astype(np.int64)
        frame["row"] = cells[:, width + 1].astype(np.int64)
        return frame

    # checking ------------------------------------------------------------------------------
    def _flag(self, keys_of_bad: pd.Series) -> None:
        self.slow.update(int(k) for k in pd.unique(keys_of_bad))

    def _check(self, spec: S.FileSpec, text: pd.DataFrame) -> pd.DataFrame:
        from tongket_lib.dataset.validate import _is_integer, _is_number, convert

        bad = pd.Series(False, index=text.index)
        targets: dict[str, Any] = {}
        for f in spec.fields:
            values = text[f.name]
            filled = values.notna()
            if f.nonempty:
                bad |= ~filled
            if f.unique:
                bad |= filled & text.duplicated(["_k", f.name], keep=False)
            if not filled.any():
                continue
            cells = values[filled]
            if f.name in _CHECKED_ON_LOAD:  # patterns and blocks: load_year decides
                bad.loc[filled] = True
                continue
            if f.kind == S.NUMBER:
                bad.loc[filled] |= ~_is_number(cells).fillna(False).astype(bool)
            elif f.kind == S.INTEGER:
                bad.loc[filled] |= ~_is_integer(cells).fillna(False).astype(bool)
            elif f.kind == S.CHOICE:
                bad.loc[filled] |= ~cells.isin(f.choices)
            elif f.kind == S.TARGET:
                targets[f.name] = {v: _target(v) for v in pd.unique(cells)}
                bad.loc[filled] |= cells.map(targets[f.name]).isna().to_numpy()
        self._flag(text.loc[bad, "_k"])
        rest = text.loc[~bad]
        # free text the tidy tables do not keep (notes, sources) is checked above, not typed
        needed = [f.name for f in spec.fields if f.name != "target"
                  and (f.kind != S.TEXT or f.name in self.kept)]
        typed = convert(rest[needed], spec, set())
        if spec is S.INDICATORS:
            typed["target"] = pd.Categorical(
                rest["target"].map(lambda v: None if v is None else str(targets["target"][v])))
        for f in spec.fields:
            if f.minimum is not None:
                low = typed[f.name].notna() & (typed[f.name] < f.minimum)
                self._flag(rest.loc[low.to_numpy(), "_k"])
        typed["_k"] = rest["_k"].to_numpy()
        typed["row"] = rest["row"].to_numpy()
        return typed.reset_index(drop=True)

    def _check_indicators(self, ind: pd.DataFrame, sections: pd.DataFrame,
                          present: list[int]) -> None:
        from tongket_lib.targets import parse_target

        have = set(ind["_k"])
        self.slow.update(k for k in present if k not in have)  # no indicators
        percent = ind["unit"].fillna("").str.strip() == "%"
        for column in ("actual", "exceed_at"):
            v = ind[column]
            self._flag(ind.loc[percent & v.notna() & ((v < 0) | (v > 100)), "_k"])
        ids = ind["id"].astype(str)
        self._flag(ind.loc[~ids.map(lambda s: bool(_ID_RE.fullmatch(s))), "_k"])
        distinct = {t: parse_target(t) for t in ind["target"].dropna().unique()}
        kind = ind["target"].map(lambda t: distinct[t].kind if t in distinct else None)
        target = ind["target"].astype(object)
        low = target.map(lambda t: distinct[t].low if t in distinct else None).astype(float)
        high = target.map(lambda t: distinct[t].high if t in distinct else None).astype(float)
        direction = ind["direction"].astype(object)
        wrong_way = (kind.isin(_CEILING) & (direction == "higher")) | (
            kind.isin(_FLOOR) & (direction == "lower"))
        extra = ind["exceed_at"]
        wrong_extra = extra.notna() & kind.notna() & (~kind.isin(_FLOOR) | (extra <= low))
        outside = (low < 0) | (low > 100) | (high < 0) | (high > 100)
        out_of_range = percent & kind.notna() & outside
        self._flag(ind.loc[(wrong_way | wrong_extra | out_of_range).to_numpy(), "_k"])
        if len(sections):
            known = set(zip(sections["_k"], sections["section"].astype(str), strict=True))
            listed = set(sections["_k"])
            has = ind["_k"].isin(listed) & ind["section"].notna()
            pairs = zip(ind.loc[has, "_k"], ind.loc[has, "section"].astype(str), strict=True)
            missing = [k for k, s in pairs if (k, s) not in known]
            self.slow.update(int(k) for k in missing)


def table_rows(table: CsvTable, spec: S.FileSpec, k: int) -> list[list] | None:
    """A table's rows in the spec's column order (missing columns empty), each ending with
    ``k`` and its row number, for :class:`BulkRead`; None if its header has a problem."""
    from tongket_lib.dataset.validate import check_columns

    problems: list[Problem] = []
    mapped = check_columns(table, spec, spec.name, problems)
    if problems:
        return None
    order = [mapped.index(c) if c in mapped else None for c in spec.columns]
    return [[cells[i] if i is not None else "" for i in order] + [k, number]
            for cells, number in zip(table.rows, table.row_numbers, strict=True)]


def _target(text: str):
    from tongket_lib.targets import parse_target

    try:
        return parse_target(text)
    except TargetError:
        return None


_RULES_CHECKED: dict[bytes, bool] = {}


def read_the_fast_way(folder: Path) -> bool:
    """Whether a year folder's rules let :class:`BulkRead` read it: none of its own (then
    ``load_year`` reads it), and its unit's shared rules, if any, load without problems
    (they decide nothing in the tables, only whether the year loads)."""
    shared = folder.parent / S.RULES_FILE
    return not (folder / S.RULES_FILE).exists() and (not shared.exists() or _rules_ok(shared))


def _rules_ok(path: Path) -> bool:
    """Whether a shared rules.yaml loads without problems (each distinct content once)."""
    from tongket_lib.dataset.rules import load_rules

    content = path.read_bytes()
    digest = hashlib.sha1(content).digest()
    if digest not in _RULES_CHECKED:
        problems: list[Problem] = []
        load_rules([(path, path.name)], problems)
        _RULES_CHECKED[digest] = not problems
    return _RULES_CHECKED[digest]


def _duplicate_keys(node) -> bool:
    """A key twice in one mapping (PyYAML would silently keep the last one)."""
    import yaml

    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, yaml.MappingNode):
            names = [key.value for key, _ in current.value]
            if len(names) != len(set(names)):
                return True
            stack.extend(value for _, value in current.value)
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)
    return False


@functools.cache
def _cached(fn):
    return functools.lru_cache(maxsize=4096)(fn)
