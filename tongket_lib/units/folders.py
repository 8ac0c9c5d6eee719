"""Reading many year folders at once: the same readers and rules as ``load_year``,
checked together and vectorised.

``load_year`` costs about 0,1 s a year, mostly pandera's fixed cost per table; at
10.000 units × 4 years that is over an hour. :class:`BulkRead` reads a chunk of year
folders with the same readers (:mod:`readers`, :func:`validate.check_columns`), stacks
each file's rows of all of them in one frame (column ``_k``: the folder's position) and
checks it with the very schemas and rules of :mod:`validate` at once
(:func:`validate.string_schema`, :func:`validate.typed_schema`,
:func:`validate.indicator_faults`), types the rows with :func:`validate.convert`, and
checks what ``load_year`` adds (sections, ``meta.yaml`` with duplicate keys,
``rules.yaml``). A folder with anything doubtful is put in ``slow``: the caller hands
it to ``load_year``, which stays the authority and words every problem. So the fast
path may only accept less than ``load_year``, never more.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

import numpy as np
import pandas as pd

from tongket_lib.dataset import schema as S
from tongket_lib.dataset.patterns import PLACES
from tongket_lib.dataset.readers import CsvTable
from tongket_lib.errors import Problem

#: columns whose rules live in dataset/patterns.py: a row that fills one goes the slow way
_CHECKED_ON_LOAD = frozenset({"sentence", "heading", "text", "block"})
#: the spec of each CSV file by its file name
_SPECS = {spec.name: spec for spec in S.CSV_FILES}



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
        meta = validate_meta(data, {}, self.keys.at[k, "year"], problems, S.META_FILE)
        if problems:
            return False
        self.meta[k] = meta
        for name, found in rows.items():
            raw[name].extend(found)
        return True

    def _frame(self, spec: S.FileSpec, rows: list) -> pd.DataFrame:
        """The rows of one file of every folder, their text as ``validate_table`` has it."""
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
        """The rules of ``validate_table`` on every folder's rows of one file at once;
        the typed rows of the folders without a fault."""
        from tongket_lib.dataset.validate import convert, failed_rows, string_schema, typed_schema

        columns = list(spec.columns)
        places = PLACES.get(spec.name, ())  # a row's place in the document: load_year checks it
        loaded = [f.name for f in spec.fields if f.name in _CHECKED_ON_LOAD or f.name in places]
        bad = text[loaded].notna().any(axis=1) | text.index.isin(  # patterns: load_year decides
            failed_rows(string_schema(spec, columns, unit="_k"), text[[*columns, "_k"]]))
        self._flag(text.loc[bad, "_k"])
        rest = text.loc[~bad]
        # free text the tidy tables do not keep (notes, sources) is checked above, not typed
        needed = [f.name for f in spec.fields if f.kind != S.TEXT or f.name in self.kept]
        typed = convert(rest[needed], spec, set())
        self._flag(rest.loc[failed_rows(typed_schema(spec, columns), typed), "_k"])
        typed["_k"] = rest["_k"].to_numpy()
        typed["row"] = rest["row"].to_numpy()
        return typed.reset_index(drop=True)

    def _check_indicators(self, ind: pd.DataFrame, sections: pd.DataFrame,
                          present: list[int]) -> None:
        from tongket_lib.dataset.validate import indicator_faults

        have = set(ind["_k"])
        self.slow.update(k for k in present if k not in have)  # no indicators
        faults = np.logical_or.reduce([mask.to_numpy() for mask in indicator_faults(ind).values()])
        self._flag(ind.loc[faults, "_k"])
        if len(sections):  # as load.check_sections, for each folder
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
