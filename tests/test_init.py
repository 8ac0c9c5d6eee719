"""`tongket init`: a new organisation's data folder from a blank start, for every kind, on a
calendar year and on a school year, then `check` and `excel export` at once."""

from __future__ import annotations

import pytest
import yaml

from tongket_lib.dataset import schema as S
from tongket_lib.dataset.load import load_year
from tongket_lib.dataset.starter import KINDS, STARTERS

from .conftest import run_cli

KIND_PERIODS = [(kind, "2024-2025" if kind == "truong-hoc" else "2025") for kind in KINDS]


def _starter(kind: str) -> dict:
    return yaml.safe_load((STARTERS / f"{kind}.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_starter_row_names_known_columns_and_keeps_its_words(kind):
    """A starter's rows are whole: a comma inside a title never splits it into a key."""
    spec = _starter(kind)
    for file in S.CSV_FILES:
        for row in spec.get(file.name.removesuffix(".csv"), []):
            assert set(row) <= set(file.columns), (kind, file.name, row)
            assert all(value is not None for value in row.values()), (kind, file.name, row)


@pytest.mark.slow
@pytest.mark.parametrize(("kind", "period"), KIND_PERIODS)
def test_init_then_check_and_export(tmp_path, kind, period):
    root = tmp_path / "moi"
    made = run_cli("init", str(root), "--kind", kind, "--year", period,
                   "--ten", "Công đoàn cơ sở Thử Nghiệm")
    assert made.returncode == 0, made.stderr
    assert f"{root.name}/{period}" in made.stdout and "tongket excel export" in made.stdout
    assert (root / S.RULES_FILE).is_file()

    year = load_year(period, root)
    spec = _starter(kind)
    assert str(year.year) == period
    assert year.meta["union"] == "Công đoàn cơ sở Thử Nghiệm"
    assert year.meta["title"].endswith(year.year.label)
    assert list(year.indicators["name"]) == [r["name"] for r in spec["indicators"]]
    assert year.indicators["actual"].isna().all()
    assert {s["title"] for s in spec["sections"]} >= set(year.indicators["section_title"])

    checked = run_cli("check", period, "--data", str(root))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "0 lỗi" in checked.stdout and "Chưa điền: tên cơ quan (organisation)" in checked.stdout
    assert "Traceback" not in checked.stderr

    book = tmp_path / "so-lieu.xlsx"
    exported = run_cli("excel", "export", period, "--data", str(root), "-o", str(book))
    assert exported.returncode == 0, exported.stderr
    assert book.stat().st_size > 0


def test_init_never_writes_into_a_folder_with_data(tmp_path):
    root = tmp_path / "co-san"
    root.mkdir()
    (root / "ghi-chu.txt").write_text("giữ nguyên", encoding="utf-8")
    refused = run_cli("init", str(root), "--kind", "co-quan", "--year", "2025")
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    assert "không ghi vào thư mục đã có dữ liệu" in refused.stderr
    assert [p.name for p in root.iterdir()] == ["ghi-chu.txt"]


@pytest.mark.parametrize(("args", "said"), [
    (["--kind", "nha-may", "--year", "2025"], "lựa chọn không hợp lệ: 'nha-may'"),
    (["--kind", "y-te", "--year", "24"], "Kỳ báo cáo “24” không hợp lệ"),
    (["--kind", "y-te", "--year", "2024-2026"], "2024-2026"),
    (["--kind", "truong-hoc", "--year", "2024-2025", "--ten", "CĐCS Trường\x01"],
     "ký tự U+0001"),  # a name check would refuse in the meta.yaml written with it
])
def test_init_refuses_a_wrong_kind_or_period(tmp_path, args, said):
    refused = run_cli("init", str(tmp_path / "x"), *args)
    assert refused.returncode == 2 and said in refused.stderr, refused.stderr
    assert "Traceback" not in refused.stderr and not (tmp_path / "x").exists()


def _units_of_both_kinds(tmp_path):
    """An upper level with two schools (school years) and an office (calendar years)."""
    data = tmp_path / "cap-tren"
    for unit, kind, period in (("thcs-a", "truong-hoc", "2024-2025"),
                               ("thcs-b", "truong-hoc", "2024-2025"), ("so-a", "co-quan", "2025")):
        made = run_cli("init", str(data / unit), "--kind", kind, "--year", period)
        assert made.returncode == 0, made.stderr
    (data / "rules.yaml").write_bytes((data / "so-a" / "rules.yaml").read_bytes())
    (data / "units.csv").write_text(
        "id,name,upper_union,period\n"
        "thcs-a,CĐCS Trường THCS A,Công đoàn Giáo dục huyện,nam-hoc\n"
        "thcs-b,CĐCS Trường THCS B,Công đoàn Giáo dục huyện,nam-hoc\n"
        "so-a,CĐCS Sở A,Công đoàn Viên chức tỉnh,nam\n", encoding="utf-8")
    return data


def test_units_of_one_kind_of_period_are_chosen_and_the_other_kind_is_named(tmp_path):
    data = _units_of_both_kinds(tmp_path)
    checked = run_cli("check", "2024-2025", "--data", str(data), "--units", "all")
    assert "== Đơn vị thcs-a ==" in checked.stdout and "== Đơn vị thcs-b ==" in checked.stdout
    assert "so-a" not in checked.stdout and "Traceback" not in checked.stderr
    for period, unit, kind in (("2024-2025", "so-a", "năm"), ("2025", "thcs-a", "năm học")):
        refused = run_cli("check", period, "--data", str(data), "--units", unit)
        assert refused.returncode == 2 and "Traceback" not in refused.stderr
        assert f"Đơn vị “{unit}” báo cáo theo {kind} (cột period" in refused.stderr


@pytest.mark.slow
def test_an_upper_level_summarises_school_years_of_units_not_yet_filled(tmp_path):
    data = _units_of_both_kinds(tmp_path)
    done = run_cli("summary", "2024-2025", "--data", str(data), "--out", str(tmp_path / "ra"))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Đã dựng báo cáo tổng hợp năm học 2024 - 2025 của 2 đơn vị" in done.stdout
    page = (tmp_path / "ra" / "tong-hop-2024-2025" / "tong-hop-2024-2025.html").read_text(
        encoding="utf-8")
    assert "năm học 2024 - 2025" in page and "CĐCS Sở A" not in page
