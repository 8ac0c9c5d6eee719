"""collect's fast path against the full one, collect on the engine, per-year tidy tables.

The fast path (``fastsheets.read_clean`` → ``fastbooks.read_clean_books``) must give exactly
what the full path (``read_excel`` → ``store.year_files``) gives, and must hand every
workbook it is not sure of to the full path: it may refuse more, never accept more.
These tests run both over exported demo workbooks, the hostile workbooks of
tests/hostile and mutated ones (a bad number, a missing sheet, a cell too long, a
formula, text that looks like one, a wrong key, duplicates, shared strings, dates,
percent formats), and compare outcomes, messages and written bytes.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import re
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import yaml

from demo import make_demo
from tongket_lib.dataset import schema as S
from tongket_lib.dataset import store
from tongket_lib.dataset.excel import META_SHEET, export_excel
from tongket_lib.dataset.load import load_year
from tongket_lib.dataset.workbook import read_workbook as read_sheets
from tongket_lib.units import fastbooks, fastsheets
from tongket_lib.units import workbooks as W
from tongket_lib.units.collect import collect_workbooks

from .hostile import xlsx

# every test reads hundreds of demo units' workbooks (module fixtures of seconds each)
pytestmark = pytest.mark.slow

YEAR = 2024
N_UNITS = 300
EXPORTED = 8  # units exported for real; the others get re-keyed copies


# -- workbooks ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> tuple[Path, list[str]]:
    root = tmp_path_factory.mktemp("fast") / "don-vi"
    ids = [p.name for p in make_demo(root, [2023, YEAR], seed=5, units=N_UNITS)]
    return root, [u for u in ids if (root / u / str(YEAR)).is_dir()]


@pytest.fixture(scope="module")
def exported(demo, tmp_path_factory) -> list[Path]:
    root, ids = demo
    out = tmp_path_factory.mktemp("xuat")
    return [export_excel(YEAR, root / u, out / f"{u}.xlsx") for u in ids[:EXPORTED]]


def rekey(book: Path, unit: str, out: Path) -> Path:
    """A copy of an exported workbook whose unit key is ``unit``."""
    old = openpyxl.load_workbook(book, read_only=True)[META_SHEET]
    key = next(r[2] for r in old.iter_rows(values_only=True) if r[0] == "unit")
    member = xlsx.sheet_member(book, META_SHEET)
    return xlsx.rewrite_member(book, out, member, lambda data: data.replace(
        f"<t>{key}</t>".encode(), f"<t>{unit}</t>".encode(), 1))


def edited(book: Path, out: Path, change) -> Path:
    wb = openpyxl.load_workbook(book)
    change(wb)
    wb.save(out)
    return out


def set_cell(sheet: str, cell: str, value, text: bool = False):
    def change(wb):
        wb[sheet][cell].value = value
        if text:  # text that looks like a formula stays text, as export writes it
            wb[sheet][cell].data_type = "s"
    return change


def shared_strings(book: Path, out: Path) -> Path:
    """The workbook as Excel saves it: its text in a shared strings table, not inline."""
    strings: dict[str, int] = {}

    def share(data: bytes) -> bytes:
        def one(match: re.Match) -> bytes:
            text = match.group(2)
            index = strings.setdefault(text.decode(), len(strings))
            return match.group(1).replace(b' t="inlineStr"', b' t="s"') + b"<v>%d</v></c>" % index
        return re.sub(rb'(<c [^>]*t="inlineStr"[^>]*>)<is><t[^>]*>(.*?)</t></is></c>', one, data,
                      flags=re.S)

    def table() -> bytes:
        items = "".join(f"<si><t xml:space=\"preserve\">{t}</t></si>" for t in strings)
        return (f'<sst xmlns="{fastsheets.MAIN}" count="{len(strings)}"'
                f' uniqueCount="{len(strings)}">{items}</sst>').encode()

    return with_strings(book, out, table, lambda name, data: share(data)
                        if name.startswith("xl/worksheets/sheet") else data)


def with_strings(book: Path, out: Path, table: Callable[[], bytes],
                 change: Callable[[str, bytes], bytes] = lambda name, data: data) -> Path:
    """A copy of ``book`` whose members are passed through ``change`` (name, bytes), with
    a shared strings table, ``table()`` once the members are written."""
    with zipfile.ZipFile(book) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = change(info.filename, src.read(info.filename))
            if info.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", b'<Override PartName="/xl/sharedStrings.xml"'
                                    b' ContentType="application/vnd.openxmlformats-officedocument'
                                    b'.spreadsheetml.sharedStrings+xml"/></Types>')
            elif info.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"</Relationships>", b'<Relationship Id="rIdSst" Target='
                                    b'"sharedStrings.xml" Type="http://schemas.openxmlformats.org'
                                    b'/officeDocument/2006/relationships/sharedStrings"/>'
                                    b"</Relationships>")
            dst.writestr(info, data)
        dst.writestr("xl/sharedStrings.xml", table())
    return out


def _drop_sheet(title: str):
    def change(wb):
        del wb[title]
    return change


def _formula(wb):
    wb["Chỉ tiêu"]["F3"] = "=1+1"  # a formula: the file holds no result


def _extra_sheet(wb):
    wb.create_sheet("Ghi chú").append(["x"])


def _date_in_meta(wb):
    sheet = wb[META_SHEET]
    row = next(c.row for c in sheet["A"] if c.value == "date")
    sheet.cell(row, 3).value = dt.datetime(2024, 12, 20)
    sheet.cell(row, 3).number_format = "DD/MM/YYYY"


def _percent(wb):
    sheet = wb["Chỉ tiêu"]
    unit = next(c.column for c in sheet[1] if c.value == "Đơn vị tính")
    actual = next(c.column for c in sheet[1] if c.value == "Thực hiện")
    row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, unit).value == "%"
               and sheet.cell(r, actual).value is not None)
    sheet.cell(row, actual).value = 0.994
    sheet.cell(row, actual).number_format = "0.0%"


def _hidden_and_renamed(wb):
    wb["Mục"].sheet_state = "hidden"
    wb["Khen thưởng"].title = "  khen THƯỞNG "


def at(book: Path, sheet: str, label: str, row: int) -> str:
    """The address of the cell of column ``label`` in ``row`` of a sheet of ``book``."""
    header = next(openpyxl.load_workbook(book, read_only=True)[sheet].iter_rows(
        max_row=1, values_only=True))
    return f"{openpyxl.utils.get_column_letter(header.index(label) + 1)}{row}"


def mutations(good: Path, out: Path, units: list[str]) -> list[Path]:
    """Workbooks made from one good one, each for its own unit (of ``units``): each either
    still valid or wrong in one way."""
    name = good.stem
    keys = iter(units)
    actual = at(good, "Chỉ tiêu", "Thực hiện", 3)

    def book() -> Path:  # a copy of the good one for the next unit
        return rekey(good, next(keys), out / f"{name}-goc-{len(list(out.iterdir()))}.xlsx")

    made = [
        edited(book(), out / f"{name}-so-sai.xlsx", set_cell("Chỉ tiêu", actual, "99,4,5")),
        edited(book(), out / f"{name}-so-viet.xlsx", set_cell("Chỉ tiêu", actual, "99,4")),
        edited(book(), out / f"{name}-so-chu.xlsx", set_cell("Chỉ tiêu", actual, "12")),
        edited(book(), out / f"{name}-nhan.xlsx", set_cell(
            "Chỉ tiêu", at(good, "Chỉ tiêu", "Chiều tốt", 2), "cao hon la tot")),
        edited(book(), out / f"{name}-am.xlsx",
               set_cell("Khen thưởng", at(good, "Khen thưởng", "Số lượng", 2), -5)),
        edited(book(), out / f"{name}-thieu-trang.xlsx", _drop_sheet("Chỉ tiêu")),
        edited(book(), out / f"{name}-thieu-meta.xlsx", _drop_sheet(META_SHEET)),
        edited(book(), out / f"{name}-cong-thuc.xlsx", _formula),
        edited(book(), out / f"{name}-chu-cong-thuc.xlsx",
               set_cell("Khen thưởng", at(good, "Khen thưởng", "Danh hiệu, hình thức", 2),
                        "=HYPERLINK(\"x\")", text=True)),
        edited(book(), out / f"{name}-trang-la.xlsx", _extra_sheet),
        edited(book(), out / f"{name}-ngay.xlsx", _date_in_meta),
        edited(book(), out / f"{name}-phan-tram.xlsx", _percent),
        edited(book(), out / f"{name}-an-trang.xlsx", _hidden_and_renamed),
        edited(book(), out / f"{name}-nam-sai.xlsx", set_cell(META_SHEET, "C2", 2023)),
        edited(book(), out / f"{name}-ma-trung.xlsx",
               set_cell("Chỉ tiêu", at(good, "Chỉ tiêu", "Mã", 3), "hoc_tap_nghi_quyet")),
        edited(book(), out / f"{name}-chi-tieu-sai.xlsx",
               set_cell("Chỉ tiêu", at(good, "Chỉ tiêu", "Chỉ tiêu", 2), "tốt lắm")),
        shared_strings(book(), out / f"{name}-chuoi-chung.xlsx"),
        xlsx.far_cell(book(), out / f"{name}-o-xa-trong.xlsx", "Chỉ tiêu"),
        xlsx.far_cell(book(), out / f"{name}-o-xa.xlsx", "Chỉ tiêu", value="x"),
        xlsx.far_cell(book(), out / f"{name}-dong-xa.xlsx", "Khen thưởng", "B9999999", "x"),
        xlsx.far_cell(book(), out / f"{name}-dai.xlsx", "Chỉ tiêu", "J3", "y" * 40000),
        xlsx.broken_xml(book(), out / f"{name}-hong.xlsx", "Chỉ tiêu"),
        xlsx.zip_bomb(out / f"{name}-bom.xlsx"),
        xlsx.not_a_zip(out / f"{name}-gia.xlsx"),
        edited(book(), out / f"{name}-gop.xlsx", lambda wb: wb["Chỉ tiêu"].merge_cells("D5:F5")),
        edited(book(), out / f"{name}-gop-doc.xlsx", lambda wb: wb["Chỉ tiêu"].merge_cells("C2:C4")),
    ]
    (out / f"{name}-van-ban.xlsx").write_text("không phải sổ tính", encoding="utf-8")
    made.append(out / f"{name}-van-ban.xlsx")
    for path in out.glob(f"{name}-goc-*.xlsx"):
        path.unlink()
    return made


CLONED = 180  # units that get a copy of an exported workbook in the engine test
MUTATED = 30  # units each mutated workbook of one exported one is for


@pytest.fixture(scope="module")
def books(demo, exported, tmp_path_factory) -> list[Path]:
    """Good workbooks and many bad or unusual ones, each for a unit of its own."""
    root, ids = demo
    out = tmp_path_factory.mktemp("dot-bien")
    made = list(exported)
    for i, book in enumerate(exported[:2]):
        first = CLONED + i * MUTATED
        made += mutations(book, out, ids[first:first + MUTATED])
    return made


def full(path: Path) -> W.Workbook:
    """The full path: read_excel, then what store writes."""
    book = W.check_workbook(path, YEAR)
    if book.ok:
        book.files = store.year_files(W._keyed(book.meta, book.unit), book.tables)
    book.tables = {}
    return book


def outcome(book: W.Workbook) -> tuple:
    return (book.unit, book.readable, [str(p) for p in book.problems], book.files)


def test_fast_sheets_are_the_full_readers_sheets(books):
    """Whatever the lean reader returns, openpyxl's reading gives the same, without problem."""
    read = 0
    for path in books:
        fast = fastsheets.read_clean(path, frozenset({"Hướng dẫn", "Danh mục"}))
        if fast is None:
            continue
        problems: list = []
        slow = read_sheets(path, problems)
        assert not problems, path.name
        assert list(fast) == list(slow), path.name
        for title, sheet in slow.items():
            assert fast[title].rows == sheet.rows and not sheet.formulas, (path.name, title)
        read += 1
    assert read >= len(books) // 2  # the clean ones did go the fast way


def test_fast_path_gives_what_the_full_path_gives(books):
    clean = fastbooks.read_clean_books(books, YEAR)[0]
    fast = dict(zip(books, clean, strict=True))
    combined = dict(zip(books, W.check_workbooks([str(p) for p in books], YEAR), strict=True))
    accepted = refused = 0
    for path in books:
        want = full(path)
        if fast[path] is not None:  # never accepts what the full path rejects
            assert want.ok, (path.name, want.problems)
            assert fast[path].meta == want.meta
            assert fast[path].tables == {k: v for k, v in want.files.items()
                                         if k != S.META_FILE}, path.name
            accepted += 1
        elif not want.ok:
            refused += 1
        assert outcome(combined[path]) == outcome(want), path.name
    assert accepted >= 6 and refused >= 15
    # the unusual but valid ones went the fast way too
    names = {p.name for p, c in fast.items() if c is not None}
    for kind in ("so-chu", "so-viet", "nhan", "ngay", "phan-tram", "an-trang", "chuoi-chung",
                 "o-xa-trong", "chu-cong-thuc"):
        assert any(n.endswith(f"-{kind}.xlsx") for n in names), kind


def test_collect_fast_and_full_write_the_same_bytes(books, demo, tmp_path, monkeypatch):
    """collect with the fast path and with the full path only: same summary, same files."""
    root, ids = demo
    inbox = tmp_path / "thu-ve"
    inbox.mkdir()
    for path in books:
        shutil.copy(path, inbox / path.name)
    twin = rekey(books[1], ids[0], inbox / "gui-lai.xlsx")  # another workbook, the same key
    assert twin.exists()
    results, folders = [], []
    for fast in (True, False):
        upper = tmp_path / f"cap-tren-{fast}"
        upper.mkdir()
        shutil.copy(root / "units.csv", upper)
        with monkeypatch.context() as m:
            if not fast:
                m.setattr(fastbooks, "read_clean_books",
                          lambda paths, year: ([None] * len(paths), {}))
            results.append(collect_workbooks(inbox, YEAR, upper, jobs=1))
        folders.append(upper)
    one, two = results
    assert one.summary().replace(str(folders[0]), "X") == two.summary().replace(str(folders[1]), "X")
    assert _tree(folders[0]) == _tree(folders[1])
    assert one.failed and one.keyless and one.duplicated and one.written
    for unit, _, _ in one.failed:  # a bad workbook is never written
        assert not (folders[0] / unit / str(YEAR)).exists()


def _tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file()}


# -- collect on the engine, a few hundred units --------------------------------------------------

@pytest.fixture(scope="module")
def inbox_many(demo, exported, books, tmp_path_factory) -> Path:
    """One workbook for most units (re-keyed copies of exported ones), hostile ones among them."""
    root, ids = demo
    inbox = tmp_path_factory.mktemp("thu-ve-nhieu")
    for i, unit in enumerate(ids[:CLONED]):
        rekey(exported[i % len(exported)], unit, inbox / f"{i:03d}.xlsx")
    for path in books[len(exported):]:
        shutil.copy(path, inbox / path.name)
    return inbox


def test_collect_on_the_engine_with_two_workers(demo, inbox_many, tmp_path):
    root, ids = demo
    results, folders = [], []
    for jobs in (1, 2):
        upper = tmp_path / f"cap-tren-{jobs}"
        upper.mkdir()
        shutil.copy(root / "units.csv", upper)
        results.append(collect_workbooks(inbox_many, YEAR, upper, jobs=jobs))
        folders.append(upper)
    here, engine = results
    assert engine.summary().replace(str(folders[1]), "X") == here.summary().replace(str(folders[0]), "X")
    assert _tree(folders[0]) == _tree(folders[1])
    assert len(engine.written) >= CLONED and engine.failed and engine.keyless
    assert len(engine.missing) >= 15
    for unit, _, _ in engine.failed:
        assert not (folders[1] / unit / str(YEAR)).exists()
    unit = engine.written[0][0]
    assert load_year(YEAR, folders[1] / unit).meta["unit"] == unit
    leftovers = [p for p in folders[1].rglob(".*") if ".tmp-" in p.name or ".cmp-" in p.name]
    assert not leftovers
    again = collect_workbooks(inbox_many, YEAR, folders[1], jobs=2)  # nothing new: all unchanged
    assert not again.written and len(again.unchanged) == len(engine.written)


# -- the canonical files -------------------------------------------------------------------------

def test_csv_writer_gives_the_bytes_pandas_gave(demo):
    """store.table_text (csv module) writes what pandas.to_csv wrote before, byte for byte."""
    root, ids = demo
    for unit in ids[:10]:
        data = load_year(YEAR, root / unit)
        for spec in S.CSV_FILES:
            frame = getattr(data, spec.name.removesuffix(".csv")).copy()
            frame.loc[frame.index[:1], frame.columns[-1:]] = None  # an empty cell too
            columns = store.table_columns(frame, spec)
            old = pd.DataFrame({c: store.cell_texts(frame[c] if c in frame else
                                                    pd.Series(pd.NA, index=frame.index),
                                                    spec.field(c).kind) for c in columns})
            want = old.to_csv(index=False, lineterminator="\n")
            assert store.table_text(frame, spec) == want, (unit, spec.name)


def test_meta_text_is_pyyaml_byte_for_byte(demo):
    """meta.yaml written with libyaml only where it equals PyYAML's emitter."""
    root, ids = demo
    options = {"allow_unicode": True, "sort_keys": False, "width": 100}
    metas = [load_year(YEAR, root / u).meta for u in ids[:20]]
    rng = random.Random(3)
    alphabet = list("aăâđêôơưàáạảãằắẳẵặ ,.:;-#&*!?'\"%@`|>{}[]=+~0123456789ĐƯ“”–…") + [
        "\t", "\n", "\u00a0", "\u2028", "\x85", "\ufeff", "😀"]
    words = ["yes", "no", "null", "~", "true", "0x1F", "1e5", "12:30", "- a", "? x", "---",
             "'q'", "#c", "a: b", "0123", "2024-01-01", "=SUM(A1)", "", " x ", "x" * 130]
    for i in range(3000):
        text = (rng.choice(words) if i % 3 == 0 else
                "".join(rng.choice(alphabet) for _ in range(rng.choice([1, 8, 60, 99, 101, 250]))))
        metas.append({"organisation": text, "signatory": {"name": text, "title": "x"},
                      "decisions": [{"number": text, "date": dt.date(2024, 1, 2)}],
                      "year": 2024, "synthetic": True, text[:150] or "k": text})
    plain = 0
    for meta in metas:
        ordered = {k: store.yaml_ready(meta[k]) for k in S.META_KEYS if k in meta}
        ordered.update({k: store.yaml_ready(v) for k, v in meta.items() if k not in ordered})
        assert store.meta_text(meta) == yaml.safe_dump(ordered, **options)
        plain += store._plain(ordered)
    assert plain > 500  # the libyaml way was taken, and agreed


# -- per-year tidy tables ------------------------------------------------------------------------

def test_tidy_rebuilds_only_the_year_that_changed(tmp_path):
    from benchmarks.bench_units import make_units
    from tongket_lib import engine
    from tongket_lib.units import consolidate

    root = make_units(tmp_path / "data", 5, [2022, 2023, 2024], seed=3, groups=2)
    out = tmp_path / "bang"
    with engine.cluster(2) as client:
        first = consolidate.build(root, out=out, client=client)
        assert first.rebuilt == [2022, 2023, 2024] and not first.reused
        scope = first.folder
        before = {y: (scope / "indicators.parquet" / f"{y}.parquet").stat() for y in (2022, 2023, 2024)}
        path = root / "cd-00001" / "2024" / "indicators.csv"
        table = pd.read_csv(path, dtype=str, keep_default_na=False)
        row = table.index[(table["unit"] == "%") & (table["actual"] != "")][0]
        table.loc[row, "actual"] = "12.5"
        table.to_csv(path, index=False)
        second = consolidate.build(root, out=out, client=client)
        assert second.rebuilt == [2024] and not second.reused
        made = json.loads((scope / "years" / "2024.json").read_text())
        assert (made["unit_years"], made["kept"]) == (1, 4)  # only the changed unit is read
        for year in (2022, 2023):  # the other years' files are the very same
            now = (scope / "indicators.parquet" / f"{year}.parquet").stat()
            assert (now.st_ino, now.st_mtime_ns) == (before[year].st_ino, before[year].st_mtime_ns)
        assert (scope / "indicators.parquet" / "2024.parquet").stat().st_ino != before[2024].st_ino
        whole = pd.read_parquet(scope / "indicators.parquet", filters=[("year", "==", 2023)])
        assert len(whole) == len(second.indicators[second.indicators["year"] == 2023])
        ind = second.indicators
        mask = (ind["unit_id"] == "cd-00001") & (ind["year"] == 2024) & (ind["row"] == row + 2)
        assert ind.loc[mask, "actual"].tolist() == [12.5]
        forced = consolidate.build(root, out=out, client=client, force=True)
        assert forced.rebuilt == [2022, 2023, 2024]
        for name in consolidate.FRAMES:
            a = getattr(second, name).sort_values(["year", "unit_id"], kind="stable")
            b = getattr(forced, name).sort_values(["year", "unit_id"], kind="stable")
            pd.testing.assert_frame_equal(a.reset_index(drop=True), b.reset_index(drop=True))
        third = consolidate.build(root, out=out, client=client)
        assert third.reused and third.rebuilt == []
        one = consolidate.read(scope, year=2023)
        assert set(one.coverage["year"]) == {2023} and len(one.coverage) == 5
        shutil.rmtree(root / "cd-00002" / "2022")  # a year changes shape: still only that one
        fourth = consolidate.build(root, out=out, client=client)
        assert fourth.rebuilt == [2022]
        cov = fourth.coverage
        assert cov.loc[(cov["unit_id"] == "cd-00002") & (cov["year"] == 2022), "state"].tolist() \
            == ["missing"]


# -- collect keeps the stored tidy tables current ------------------------------------------------

def _sorted(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.astype(dict.fromkeys(frame.select_dtypes("category"), object))
    keys = [c for c in ("year", "unit_id", "row", "kind") if c in frame]
    return frame.sort_values(keys, kind="stable").reset_index(drop=True)


def test_collect_writes_the_years_tidy_rows_as_a_rebuild_would(demo, inbox_many, tmp_path):
    """After collect the stored tables of the year are current (summary rebuilds nothing)
    and equal, frame for frame, to a full rebuild from the folders collect wrote; units
    with rules of their own and workbooks read the full way are read from their folders."""
    from tongket_lib.units import consolidate, tidycollect

    root, ids = demo
    for jobs in (1, 2):
        upper = tmp_path / f"cap-tren-{jobs}"
        upper.mkdir()
        shutil.copy(root / "units.csv", upper)
        earlier = [u for u in ids[:60] if (root / u / "2023").is_dir()]
        for unit in earlier:  # another year, and a year 2024 some units already have
            shutil.copytree(root / unit / "2023", upper / unit / "2023")
        shutil.copytree(root / earlier[0] / "2023", upper / ids[1] / str(YEAR))  # differs: refused
        (upper / ids[1] / str(YEAR) / "meta.yaml").write_text(
            (root / ids[1] / str(YEAR) / "meta.yaml").read_text(encoding="utf-8"), encoding="utf-8")
        shutil.copy(ROOT_RULES, upper / ids[2] / S.RULES_FILE)  # the unit's own rules
        (upper / ids[3]).mkdir(parents=True, exist_ok=True)  # rules that do not load: an error
        (upper / ids[3] / S.RULES_FILE).write_text("rules: [oops\n", encoding="utf-8")
        before = consolidate.build(upper, workers=2)
        assert before.years == [2023, YEAR]

        result = tidycollect.collect_keeping_tables(inbox_many, YEAR, upper, jobs=jobs)
        assert len(result.written) >= CLONED - 2 and result.failed
        assert not [n for n in result.notes if "bảng tổng hợp" in n]
        assert any(u == ids[1] for u, _, _ in result.failed)
        stored = json.loads((before.folder / "years" / f"{YEAR}.json").read_text())
        assert stored["unit_years"] >= 1 and stored["unit_years"] < len(ids) // 2

        after = consolidate.build(upper, workers=2)
        assert after.rebuilt == [] and after.years == [2023, YEAR]
        forced = consolidate.build(upper, workers=2, out=tmp_path / f"lai-{jobs}", force=True)
        for name in consolidate.FRAMES:
            got, want = _sorted(getattr(after, name)), _sorted(getattr(forced, name))
            pd.testing.assert_frame_equal(got, want, check_categorical=False, obj=name)
        received = after.coverage[(after.coverage["year"] == YEAR)
                                  & (after.coverage["state"] == "received")]
        assert len(received) >= CLONED - 2
        assert after.coverage.loc[(after.coverage["unit_id"] == ids[3])
                                  & (after.coverage["year"] == YEAR), "state"].tolist() == ["error"]
        again = tidycollect.collect_keeping_tables(inbox_many, YEAR, upper, jobs=jobs)  # unchanged
        assert not again.written and len(again.unchanged) == len(result.written)
        assert consolidate.build(upper, workers=2).reused


ROOT_RULES = Path(__file__).resolve().parents[1] / "data" / "rules.yaml"


def test_a_collect_stopped_while_filing_leaves_nothing_staged(demo, inbox_many, tmp_path,
                                                              monkeypatch):
    """Workers write each good year beside its unit's folder before filing; a collect that
    stops half way removes all of it, and what it had filed is whole."""
    from tongket_lib.units import collect as C

    root, ids = demo
    upper = tmp_path / "cap-tren"
    upper.mkdir()
    shutil.copy(root / "units.csv", upper)
    for unit in ids:
        (upper / unit).mkdir()  # units with folders: their years are staged
    calls = []
    real = C._store

    def store_then_stop(*args, **kwargs):
        if len(calls) == 5:
            raise KeyboardInterrupt
        calls.append(args[1])
        assert args[0].staged is not None and args[0].staged.is_dir()  # written by a worker
        return real(*args, **kwargs)

    monkeypatch.setattr(C, "_store", store_then_stop)
    with pytest.raises(KeyboardInterrupt):
        collect_workbooks(inbox_many, YEAR, upper, jobs=2)
    assert not [p for p in upper.rglob(".*") if ".tmp-" in p.name or ".cmp-" in p.name]
    filed = sorted(p.parent.name for p in upper.glob(f"*/{YEAR}"))
    assert filed == sorted(calls)
    for unit in filed:
        assert load_year(YEAR, upper / unit).meta["unit"] == unit


def test_a_year_changed_after_filing_is_read_again_not_taken_from_collect(demo, exported,
                                                                          tmp_path):
    """Rows made while reading are stored only for a year still as collect filed it: one
    changed in between (another import, a hand edit) is read from its folder."""
    from functools import partial

    from tongket_lib.units import collect as C
    from tongket_lib.units import consolidate, tidycollect

    root, ids = demo
    upper = tmp_path / "cap-tren"
    upper.mkdir()
    shutil.copy(root / "units.csv", upper)
    inbox = tmp_path / "thu-ve"
    inbox.mkdir()
    for i, unit in enumerate(ids[:6]):
        rekey(exported[i % len(exported)], unit, inbox / f"{unit}.xlsx")
    for unit in [u for u in ids[:30] if (root / u / "2023").is_dir()][:5]:  # the year before
        shutil.copytree(root / unit / "2023", upper / unit / "2023")
    before = consolidate.build(upper)
    result = C.collect_workbooks(inbox, YEAR, upper, jobs=1,
                                 reader=partial(tidycollect.collect_reader, root=str(upper.resolve())))
    assert len(result.written) == 6
    changed = ids[2]
    path = upper / changed / str(YEAR) / "indicators.csv"
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    row = table.index[table["actual"] != ""][0]
    new = 1.0 if float(table.loc[row, "actual"]) == 0 else 0.0
    table.loc[row, "actual"] = str(int(new))
    table.to_csv(path, index=False)
    tidycollect.refresh(before.folder, upper.resolve(), result, None)
    stored = json.loads((before.folder / "years" / f"{YEAR}.json").read_text())
    assert stored["unit_years"] >= 1  # the changed unit, read from its folder
    after = consolidate.build(upper)
    assert after.rebuilt == []
    forced = consolidate.build(upper, out=tmp_path / "lai", force=True)
    for name in consolidate.FRAMES:
        pd.testing.assert_frame_equal(_sorted(getattr(after, name)), _sorted(getattr(forced, name)),
                                      check_categorical=False, obj=name)
    ind = after.indicators
    mask = (ind["unit_id"] == changed) & (ind["year"] == YEAR) & (ind["row"] == row + 2)
    assert ind.loc[mask, "actual"].tolist() == [new]


def test_a_collect_stopped_while_reading_leaves_nothing_staged(demo, inbox_many, tmp_path,
                                                               monkeypatch):
    from tongket_lib.units import collect as C

    root, ids = demo
    upper = tmp_path / "cap-tren"
    upper.mkdir()
    shutil.copy(root / "units.csv", upper)
    for unit in ids:
        (upper / unit).mkdir()
    monkeypatch.setattr(C, "CHUNK", 20)
    chunks = []

    def read_then_stop(paths, year):
        if len(chunks) == 3:
            raise KeyboardInterrupt
        chunks.append(paths)
        return W.check_workbooks(paths, year)

    with pytest.raises(KeyboardInterrupt):
        collect_workbooks(inbox_many, YEAR, upper, jobs=1, reader=read_then_stop)
    assert len(chunks) == 3
    assert not [p for p in upper.rglob(".*") if ".tmp-" in p.name]
    assert not list(upper.glob(f"*/{YEAR}"))  # nothing filed
