"""tongket new-year: a new year folder from the previous one, results emptied."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from tongket_lib.dataset.load import load_year
from tongket_lib.dataset.newyear import new_year, replace_year
from tongket_lib.errors import ParameterError

from .conftest import DATA


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


def set_name(folder: Path, ident: str, name: str) -> None:
    """Change one indicator's name in a year folder's indicators.csv."""
    path = folder / "indicators.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[frame["id"] == ident, "name"] = name
    frame.to_csv(path, index=False, lineterminator="\n")


@pytest.fixture()
def made(data_copy):
    result = new_year(2025, data=data_copy)
    return result, load_year(2024, data_copy), load_year(2025, data_copy)


@pytest.mark.slow
def test_carries_over_the_indicators_and_empties_the_results(made):
    result, old, new = made
    assert result.source_year == 2024 and result.year == 2025 and result.backup is None
    assert result.folder.name == "2025" and result.indicators == len(old.indicators)
    oi, ni = old.indicators.reset_index(drop=True), new.indicators.reset_index(drop=True)
    for column in ("id", "section", "target", "unit", "direction", "target_text", "exceed_at",
                   "group", "award"):
        pd.testing.assert_series_equal(ni[column].astype(object), oi[column].astype(object),
                                       check_names=False)
    assert ni["name"].tolist() == [replace_year(n, 2024, 2025) for n in oi["name"]]
    for column in ("actual", "reported_status", "note", "source", "count"):
        assert ni[column].isna().all(), column


@pytest.mark.slow
def test_awards_contributions_and_sections_keep_their_rows_without_figures(made):
    result, old, new = made
    assert (result.awards, result.contributions, result.sections) == (
        len(old.awards), len(old.contributions), len(old.sections))
    for column in ("stream", "granted_by", "title", "recipient", "state", "level", "code", "part"):
        assert new.awards[column].tolist() == old.awards[column].tolist(), column
    for column in ("count", "decision", "note", "source"):
        assert new.awards[column].isna().all(), column
    assert new.contributions["kind"].tolist() == old.contributions["kind"].tolist()
    for column in ("cases", "amount_vnd", "per_case_vnd", "note", "source"):
        assert new.contributions[column].isna().all(), column
    assert new.sections["section"].tolist() == old.sections["section"].tolist()
    for column in ("reported_status", "stated_rollup", "source"):
        assert new.sections[column].isna().all(), column


@pytest.mark.slow
def test_meta_is_the_new_year_with_the_fields_to_fill_marked(made, data_copy):
    _, old, new = made
    meta = new.meta
    assert meta["year"] == 2025
    assert "2025" in meta["title"] and "2024" not in meta["title"]
    assert meta["decisions"] == []
    for key in ("organisation", "union", "document_type", "issuer", "legal_bases", "recipients",
                "signatory", "synthetic"):
        assert meta[key] == old.meta[key], key
    assert "Cần điền" in meta["notes"] and "quyết định" in meta["notes"]
    text = (data_copy / "2025" / "meta.yaml").read_text(encoding="utf-8")
    assert text.count("# cần điền") >= 4
    assert "decisions: []  # cần điền" in text


@pytest.mark.slow
def test_year_replaced_only_where_it_reads_nam_and_the_year(data_copy):
    set_name(data_copy / "2024", "ntm_tieu_can",
             "Hỗ trợ huyện đạt chuẩn năm 2024, hoàn thành Quý III/2024 theo QĐ 852/QĐ-UBND")
    new_year(2025, data=data_copy)
    new = load_year(2025, data_copy)
    titles = new.sections.set_index("section")["title"]
    assert titles["1.2.e"] == "Thực hiện các nhiệm vụ sự nghiệp năm 2025"
    assert titles["2"] == "Giao ước chung trong năm 2025"
    ind = new.indicators.set_index("id")
    assert ind.loc["von_su_nghiep", "section_title"] == "Thực hiện các nhiệm vụ sự nghiệp năm 2025"
    assert ind.loc["cdcs_htxs", "name"] == "Công đoàn cơ sở hoàn thành xuất sắc nhiệm vụ năm 2025"
    assert ind.loc["ntm_tieu_can", "name"] == (
        "Hỗ trợ huyện đạt chuẩn năm 2025, hoàn thành Quý III/2024 theo QĐ 852/QĐ-UBND")
    # nowhere else: target texts, legal bases and the shared rules keep their years
    old = load_year(2024, data_copy)
    assert ind["target_text"].tolist() == old.indicators.set_index("id")["target_text"].tolist()
    assert new.meta["legal_bases"] == old.meta["legal_bases"]


def test_refuses_to_overwrite_and_leaves_the_folder_untouched(data_copy):
    new_year(2025, data=data_copy)
    before = snapshot(data_copy / "2025")
    with pytest.raises(ParameterError) as info:
        new_year(2025, data=data_copy)
    assert "Đã có dữ liệu" in str(info.value) and "--force" in str(info.value)
    assert snapshot(data_copy / "2025") == before
    assert sorted(p.name for p in data_copy.iterdir()) == ["2024", "2025", "rules.yaml"]


@pytest.mark.slow
def test_force_keeps_a_dated_backup_of_the_old_files(data_copy):
    new_year(2025, data=data_copy)
    edited = data_copy / "2025" / "awards.csv"
    edited.write_text(edited.read_text(encoding="utf-8").replace(",,proposed,", ",7,proposed,", 1),
                      encoding="utf-8")
    before = snapshot(data_copy / "2025")
    result = new_year(2025, data=data_copy, force=True)
    assert result.backup is not None and result.backup.name.startswith("2025.sao-luu-")
    assert snapshot(result.backup) == before
    assert load_year(2025, data_copy).awards["count"].isna().all()


def test_no_earlier_year_is_an_error_naming_the_years(data_copy):
    with pytest.raises(ParameterError) as info:
        new_year(2023, data=data_copy)
    assert "2024" in str(info.value) and "trước năm 2023" in str(info.value)
    assert not (data_copy / "2023").exists()
    with pytest.raises(ParameterError):
        new_year(2024, data=data_copy, force=True)  # the only year: nothing before it


@pytest.mark.slow
def test_explicit_source(data_copy):
    new_year(2025, data=data_copy)
    assert new_year(2026, data=data_copy).source_year == 2025   # default: the latest before
    result = new_year(2027, source=2024, data=data_copy)
    assert result.source_year == 2024
    assert "2027" in load_year(2027, data_copy).meta["title"]
    with pytest.raises(ParameterError, match="2019"):
        new_year(2028, source=2019, data=data_copy)
    with pytest.raises(ParameterError):
        new_year(2024, source=2024, data=data_copy, force=True)


@pytest.mark.slow
def test_the_years_own_rules_are_copied_unchanged(data_copy):
    rules = data_copy / "2024" / "rules.yaml"
    rules.write_text(
        "# Quy chế riêng\nrules:\n  - id: rieng-cstdcs-15\n    title: CSTĐCS không quá 15% LĐTT\n"
        "    source: Quy chế thi đua của cơ quan\n    in_force_from: 01/01/2024\n"
        "    check: ratio_at_most\n    numerator: cstdcs\n    denominator: ldtt\n"
        "    limit_percent: 15\n    severity: warning\n", encoding="utf-8")
    load_year(2024, data_copy)
    result = new_year(2025, data=data_copy)
    assert result.rules_copied
    assert (data_copy / "2025" / "rules.yaml").read_bytes() == rules.read_bytes()
    assert [r.id for r in load_year(2025, data_copy).rules] == [
        "nd91-2017-cstdcs-15", "rieng-cstdcs-15"]


@pytest.mark.slow
def test_from_demonstration_data_stays_synthetic(tmp_path):
    demo = tmp_path / "demo"
    shutil.copytree(DATA / "demo", demo)
    result = new_year(2025, data=demo)
    new, old = load_year(2025, demo), load_year(2024, demo)
    assert new.synthetic and "Dữ liệu minh họa" in new.meta["notes"]
    assert new.indicators["id"].tolist() == old.indicators["id"].tolist()
    assert new.sections.set_index("section").loc["1.2.e", "title"].endswith("năm 2025")
    assert "Đã tạo khung dữ liệu năm 2025" in result.describe()
