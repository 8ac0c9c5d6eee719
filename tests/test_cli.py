"""The ``tongket`` command as a user runs it: output, messages and exit codes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT, need, run_cli
from .test_checks import AGENCY_CAP
from .test_data import set_cell


@pytest.mark.slow
def test_check_2024():
    result = run_cli("check", "2024")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "1.1" in out and "Đạt 03 chỉ tiêu, không đạt 01 chỉ tiêu" in out
    assert "486.771.474 đồng" in out and "123.440.000 đồng" in out
    assert "Khen thưởng đã công nhận, đã khen: 1.301 lượt cá nhân, 72 lượt tập thể" in out
    assert "trách nhiệm, giao ước: 22 nội dung" in out and "đã có quyết định" not in out
    assert "Cảnh báo:" in out and "Kết quả kiểm tra: 0 lỗi" in out
    assert "Traceback" not in result.stderr


@pytest.mark.slow
def test_check_invalid_data_exits_2_with_every_problem(data_copy: Path):
    set_cell(data_copy / "2024" / "indicators.csv", 7, "actual", "99,4")
    set_cell(data_copy / "2024" / "awards.csv", 9, "count", "-1")
    result = run_cli("check", "2024", "--data", str(data_copy))
    assert result.returncode == 2
    err = result.stderr
    assert "indicators.csv, dòng 7, cột “actual”" in err and "99.4" in err
    assert "awards.csv, dòng 9, cột “count”" in err
    assert "Traceback" not in err and result.stdout == ""


def test_check_missing_year_exits_2(data_copy: Path):
    result = run_cli("check", "2031", "--data", str(data_copy))
    assert result.returncode == 2 and "2031" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.slow
def test_check_error_finding_exits_1(data_copy: Path):
    (data_copy / "2024" / "rules.yaml").write_text(AGENCY_CAP, encoding="utf-8")
    result = run_cli("check", "2024", "--data", str(data_copy))
    assert result.returncode == 1
    assert "Lỗi:" in result.stdout and "16,07%" in result.stdout


def test_a_path_the_system_refuses_is_named_with_the_reason(data_copy: Path, tmp_path: Path):
    """A name longer than the file system allows, a file where a folder goes: wherever a
    command meets it, the path and the reason in Vietnamese, exit 2, no "unexpected error"
    (on the seed's data and on a new agency's folder)."""
    long = "d" * 300
    results = [
        run_cli("init", str(tmp_path / long), "--kind", "y-te", "--year", "2025"),
        run_cli("check", "2024", "--data", str(tmp_path / long)),
        run_cli("excel", "export", "2024", "--data", str(data_copy), "-o",
                str(tmp_path / f"{long}.xlsx")),
    ]
    for result in results:
        assert result.returncode == 2, result.stderr
        assert "tên quá dài" in result.stderr and long in result.stderr
        assert "không mong đợi" not in result.stderr and "Traceback" not in result.stderr
    assert not any(p.name.startswith("ddd") for p in tmp_path.iterdir())


def test_an_empty_path_or_an_endless_time_is_a_usage_error(data_copy: Path, tmp_path: Path):
    """``--out "$OUT"`` with the variable unset would have written into the project's own
    reports/ (and --data "" read its data/); a --max-time past what the system's timer
    takes ended in "unexpected error", in report and in every year of a batch."""
    for args in (("report", "2024", "--out", ""), ("report", "2024", "--data", " "),
                 ("batch", "--out", ""), ("excel", "export", "2024", "-o", "")):
        result = run_cli(*args)
        assert result.returncode == 2 and "đường dẫn trống" in result.stderr, args
    out = tmp_path / "out"
    for args in (("report", "2024", "--data", str(data_copy), "--out", str(out)),
                 ("batch", "--data", str(ROOT / "data" / "demo"), "--out", str(out))):
        result = run_cli(*args, "--max-time", "9999999999")
        assert result.returncode == 2 and "quá lớn: tối đa 604800 giây" in result.stderr
        assert "không mong đợi" not in result.stderr + result.stdout
    assert not out.exists()


def test_an_output_folder_where_no_file_can_be_made_is_said_not_waited_for(data_copy: Path):
    """A lock file that cannot be created (in /proc) looked to filelock like one another
    render holds: the command waited for good. Now it is said, with the folder."""
    need(Path("/proc").is_dir(), "/proc (Linux)")
    result = subprocess.run([sys.executable, "-m", "tongket_lib.cli", "report", "2024",
                             "--data", str(data_copy), "--out", "/proc", "--format", "html"],
                            capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert result.returncode == 2 and "Không ghi được vào thư mục báo cáo /proc" in result.stderr


def test_usage_errors_exit_2_in_vietnamese():
    result = run_cli("check")
    assert result.returncode == 2 and "thiếu tham số bắt buộc" in result.stderr
    result = run_cli("khong-co-lenh-nay")
    assert result.returncode == 2 and "lựa chọn không hợp lệ" in result.stderr
    result = run_cli("check", "năm-ngoái")
    assert result.returncode == 2 and "4 chữ số" in result.stderr


def test_help_is_vietnamese_with_examples():
    result = run_cli("--help")
    assert result.returncode == 0 and "cách dùng:" in result.stdout and "check" in result.stdout
    result = run_cli("check", "--help")
    assert "Ví dụ:" in result.stdout and "tongket check 2024" in result.stdout


@pytest.mark.slow
def test_a_reader_leaving_early_is_not_an_error():
    # `tongket check 2024 | head -1`: the pipe closes early; no traceback, no "unexpected error"
    proc = subprocess.Popen([sys.executable, "-m", "tongket_lib.cli", "check", "2024"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()  # the reader is gone before the first line (imports take a second)
    err = proc.stderr.read().decode()
    proc.wait(timeout=120)
    assert "Lỗi" not in err and "Traceback" not in err and "BrokenPipe" not in err


def test_the_program_ends_at_once_with_every_word_written():
    """``tongket`` ends its process without the interpreter's teardown (cli.run): what the
    command printed, even without a final new line, still arrives, with its exit code."""
    code = ("import tongket_lib.cli as cli\n"
            "def main():\n"
            "    print('Đã xong', end='')\n"
            "    print('; còn dòng lỗi', end='', file=__import__('sys').stderr)\n"
            "    return 3\n"
            "cli.main = main\n"
            "cli.run()\n"
            "print('never')\n")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}  # buffered, as usual
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=120, env=env)
    assert (result.returncode, result.stdout, result.stderr) == (3, "Đã xong", "; còn dòng lỗi")


def test_years_that_name_no_period_and_a_folder_without_years_are_said(tmp_path: Path):
    demo = str(ROOT / "data" / "demo")
    result = run_cli("batch", "--data", demo, "--years", ",", "--out", str(tmp_path / "o"))
    assert result.returncode == 2 and "không ghi kỳ nào" in result.stderr
    missing = tmp_path / "khong-co"
    result = run_cli("trends", "--data", str(missing), "--out", str(tmp_path / "o"))
    assert result.returncode == 2 and str(missing) in result.stderr
    assert "thư mục này không có" in result.stderr and "--data" in result.stderr
    assert not (tmp_path / "o").exists()
