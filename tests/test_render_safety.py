"""What is published is what was asked for, and nothing a failed or killed render
leaves behind is mistaken for a result (issue 13, the render side). Fast: no kernel."""

from __future__ import annotations

import json
import os

import pytest

from tongket_lib import system
from tongket_lib.errors import DataError, Problem
from tongket_lib.render import kernel, publish

from .conftest import run_cli


@pytest.mark.slow
@pytest.mark.parametrize("name", ["year", "data_dir"])
def test_parameters_the_command_owns_are_refused(name, data_copy, tmp_path):
    out = tmp_path / "out"
    result = run_cli("report", "2024", "--data", str(data_copy), "--out", str(out),
                     "-p", name, "2021")
    assert result.returncode == 2, result.stderr
    assert "do lệnh đặt" in result.stderr and "Traceback" not in result.stderr
    assert "Đang dựng" not in result.stderr  # refused before any work
    assert not out.exists()


@pytest.mark.slow
def test_an_output_folder_that_cannot_be_written(data_copy, tmp_path):
    a_file = tmp_path / "tep"
    a_file.write_text("x")
    (tmp_path / "ra").mkdir()
    (tmp_path / "ra" / "2024").write_text("một tệp, không phải thư mục")
    for out, words in ((a_file, "Không ghi được"), ("/dev/null", "Không ghi được"),
                       (tmp_path / "ra", "là một tệp")):
        result = run_cli("report", "2024", "--data", str(data_copy), "--out", str(out))
        assert result.returncode == 2, (out, result.stderr)
        assert words in result.stderr and "Traceback" not in result.stderr
        assert "Lỗi không mong đợi" not in result.stderr
    assert a_file.read_text() == "x"


@pytest.mark.slow
def test_a_huge_range_of_years_is_summed_up(data_copy):
    result = run_cli("trends", "--years", "1000-9999", "--data", str(data_copy))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert len(result.stderr.splitlines()) < 15, result.stderr
    assert "năm khác không có thư mục dữ liệu" in result.stderr


@pytest.mark.parametrize("exchange", [True, False], ids=["renameat2", "two-renames"])
def test_publish_swaps_one_set_and_keeps_what_a_person_added(tmp_path, monkeypatch, exchange):
    if not exchange:  # no renameat2 (not Linux, an old kernel): the documented fallback
        monkeypatch.setattr(system, "_libc", lambda: None)
    folder = tmp_path / "2024"
    folder.mkdir()
    for name in ("bao-cao-2024.html", "bao-cao-2024.pdf", "bao-cao-2024.ipynb",
                 "ghi-chu-cua-toi.txt"):
        (folder / name).write_text(f"cũ {name}")
    staging = publish.staging_folder(folder)
    (staging / "bao-cao-2024.html").write_text("mới")
    (staging / "bao-cao-2024.ipynb").write_text("mới")
    outputs = {f"bao-cao-2024.{k}" for k in ("html", "pdf", "docx", "ipynb")}
    publish.publish(staging, folder, outputs)
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["bao-cao-2024.html", "bao-cao-2024.ipynb", "ghi-chu-cua-toi.txt"]
    assert (folder / "bao-cao-2024.html").read_text() == "mới"  # no PDF of an older render
    assert (folder / "ghi-chu-cua-toi.txt").read_text() == "cũ ghi-chu-cua-toi.txt"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2024"]  # nothing left beside


def test_leftovers_of_a_killed_render_are_cleaned(tmp_path):
    folder = tmp_path / "2024"
    folder.mkdir()
    dead = [tmp_path / ".2024.dang-dung-abc", tmp_path / ".2024.cu-def", folder / ".dang-dung-x",
            tmp_path / ".2024.old-ghi"]  # the old set renamed aside by the two-rename fallback
    for path in dead:
        path.mkdir()
        (path / "bao-cao-2024.html").write_text("<html>trông như xong</html>")
    other = tmp_path / ".2023.dang-dung-abc"  # another year's render may be running
    other.mkdir()
    publish.clean_leftovers(folder)
    assert not any(p.exists() for p in dead) and other.exists()


def test_a_failed_notebook_is_kept_only_when_whole(tmp_path):
    whole, cut = tmp_path / "a.ipynb", tmp_path / "b.ipynb"
    whole.write_text(json.dumps({"cells": []}))
    cut.write_text('{"cells": [{"cell_type": "code", "sour')  # a disk that filled up
    assert publish.keep_failed(whole, tmp_path / "out" / "x.failed.ipynb") is not None
    assert publish.keep_failed(cut, tmp_path / "out" / "y.failed.ipynb") is None
    assert not (tmp_path / "out" / "y.failed.ipynb").exists()


def test_sockets_of_dead_kernels_are_removed(tmp_path):
    dead_pid = 4_000_000  # beyond any pid this machine hands out
    stale = tmp_path / f"{kernel.SOCKET_PREFIX}{dead_pid}-1"
    alive = tmp_path / f"{kernel.SOCKET_PREFIX}{os.getpid()}-1"
    for path in (stale, alive):
        path.write_text("")
    assert kernel.remove_stale_sockets(str(tmp_path)) == 1
    assert not stale.exists() and alive.exists()


def test_a_data_error_from_the_kernel_reads_back_as_it_was():
    error = DataError([Problem("a.csv", 3, "actual", "99,4", "dùng dấu phẩy: viết 99.4"),
                       Problem("meta.yaml", None, None, None, "thiếu: khóa title")],
                      heading="Dữ liệu năm 2024 có 2 lỗi; sửa rồi chạy lại:")
    again = DataError.from_text(str(error))
    assert str(again) == str(error) and len(again.problems) == 2
    assert again.exit_code == 2


@pytest.mark.slow
def test_a_render_publishes_exactly_the_formats_asked_for(data_copy, tmp_path):
    from tongket_lib.render.job import render_report

    out = tmp_path / "out"
    first = render_report(2024, data_copy, out, formats=("html", "pdf"))
    assert first.pdf is not None and first.pdf.is_file()
    leftover = out / ".2024.dang-dung-chet"  # a render killed half-way
    leftover.mkdir()
    (leftover / "bao-cao-2024.html").write_text("<html>trông như xong</html>")
    second = render_report(2024, data_copy, out, formats=("html",))
    names = sorted(p.name for p in second.folder.iterdir())
    assert names == [".tongket-render.json", "bao-cao-2024.html", "bao-cao-2024.ipynb",
                     "kiem-tra-2024.html"]  # no PDF left over from the first render
    assert not leftover.exists()
    stamp = json.loads((second.folder / ".tongket-render.json").read_text(encoding="utf-8"))
    assert stamp["formats"] == ["html"] and stamp["verdicts"]["not_met"] == 8


def _word_text(path) -> str:
    from docx import Document as open_docx

    return "\n".join(p.text for p in open_docx(str(path)).paragraphs)


@pytest.mark.slow
@pytest.mark.parametrize("organisation", ["seed", "demo"])
def test_a_word_file_the_chair_edited_is_kept_when_the_report_is_built_again(organisation,
                                                                            tmp_path):
    """The chair fills in the blanks of bao-cao-2024.docx in Word; the report is built
    again (a figure corrected): the edited file stays beside the new one, and the render
    says where. A file nobody edited is replaced as before, and a build without Word
    keeps an edited one too."""
    from docx import Document as open_docx

    from tongket_lib.render.job import render_report

    from .conftest import DATA

    data = DATA if organisation == "seed" else DATA / "demo"
    out = tmp_path / "out"
    folder = out / "2024"
    word = folder / "bao-cao-2024.docx"

    def kept() -> list:
        return sorted(folder.glob("bao-cao-2024.da-sua-*.docx"))

    def edit(text: str) -> None:
        doc = open_docx(str(word))
        doc.add_paragraph(text)
        doc.save(str(word))

    first = render_report(2024, data, out)
    assert not kept() and not any("đã được sửa" in w for w in first.warnings)
    edit("Số: 12/BC-CĐCS, ký ngày 05/12/2024")
    again = render_report(2024, data, out)
    [one] = kept()
    assert "12/BC-CĐCS" in _word_text(one) and "12/BC-CĐCS" not in _word_text(word)
    assert any(one.name in w and "bao-cao-2024.docx" in w for w in again.warnings)
    third = render_report(2024, data, out)  # nothing edited since: nothing more kept
    assert kept() == [one] and not any("đã được sửa" in w for w in third.warnings)
    edit("Chủ tịch đã ký")
    render_report(2024, data, out, formats=("html",))
    assert len(kept()) == 2 and not word.exists()
    assert any("Chủ tịch đã ký" in _word_text(p) for p in kept())


def test_an_edit_is_told_by_the_bytes_or_for_an_older_stamp_by_the_time(tmp_path):
    """The stamp's SHA-256 of the Word file tells an edit; a stamp of an earlier tongket
    (none recorded): a Word file changed after the stamp was written."""
    from tongket_lib.render import names

    folder, staging = tmp_path / "2024", tmp_path / "moi"
    folder.mkdir()
    staging.mkdir()
    word = folder / "bao-cao-2024.docx"
    word.write_bytes(b"ban dung")
    stamp = folder / names.STAMP
    stamp.write_text(json.dumps({publish.DOCX_DIGEST: publish.file_digest(word)}))
    assert publish.keep_edited(folder, staging, "bao-cao-2024") is None
    word.write_bytes(b"ban da sua")
    name = publish.keep_edited(folder, staging, "bao-cao-2024")
    assert name and (staging / name).read_bytes() == b"ban da sua" and word.exists()
    older, later = tmp_path / "cu", tmp_path / "moi2"
    older.mkdir()
    later.mkdir()
    (older / names.STAMP).write_text("{}")
    (older / "bao-cao-2024.docx").write_bytes(b"x")
    stamped = (older / names.STAMP).stat().st_mtime
    os.utime(older / "bao-cao-2024.docx", (stamped - 60, stamped - 60))
    assert publish.keep_edited(older, later, "bao-cao-2024") is None
    os.utime(older / "bao-cao-2024.docx", (stamped + 60, stamped + 60))
    assert publish.keep_edited(older, later, "bao-cao-2024") is not None
