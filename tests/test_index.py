"""The preparer's index page (``OUT/index.html``) links only files that are there."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tongket_lib.render import names
from tongket_lib.render.index import Failure, refresh_index, write_index

from .conftest import DATA, run_cli


def links(page: Path) -> list[str]:
    return [h for h in re.findall(r'href="([^"]*)"', page.read_text(encoding="utf-8"))
            if not h.startswith(("data:", "#"))]


@pytest.mark.slow
def test_a_report_in_fewer_formats_leaves_no_dead_link_in_the_batchs_index(rendered_2024,
                                                                            tmp_path):
    out = tmp_path / "reports"
    shutil.copytree(rendered_2024.folder, out / "2024")
    failed = out / "2023" / "bao-cao-2023.failed.ipynb"
    failed.parent.mkdir()
    failed.write_text("{}", encoding="utf-8")
    index = write_index(out, [Failure("2023", "Năm 2023 có lỗi: awards.csv dòng 3", str(failed)),
                              Failure("2024", "Năm 2024 có lỗi: quá thời gian")])
    assert {"2024/bao-cao-2024.pdf", "2024/bao-cao-2024.docx"} <= set(links(index))
    assert "quá thời gian" in index.read_text(encoding="utf-8")

    result = run_cli("report", "2024", "--format", "html", "--data", str(DATA), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert not (out / "2024" / "bao-cao-2024.pdf").exists()
    page = index.read_text(encoding="utf-8")
    assert links(index) and all((out / h).is_file() for h in links(index)), links(index)
    assert "2024/bao-cao-2024.html" in links(index) and "2024/kiem-tra-2024.html" in links(index)
    # the batch's failure of another year stays, the mended one is gone
    assert "awards.csv dòng 3" in page and "2023/bao-cao-2023.failed.ipynb" in links(index)
    assert "quá thời gian" not in page


def test_a_failed_notebook_no_longer_there_is_not_linked(tmp_path):
    index = write_index(tmp_path, [Failure("2024", "Năm 2024 có lỗi.",
                                           str(tmp_path / "2024" / "bao-cao-2024.failed.ipynb"))])
    page = index.read_text(encoding="utf-8")
    assert "Năm 2024 có lỗi." in page and not links(index)


def test_an_index_tongket_did_not_write_is_left_alone(tmp_path):
    own = tmp_path / names.INDEX
    own.write_text("<p>Trang của cơ quan</p>", encoding="utf-8")
    assert refresh_index(tmp_path, "2024") is None
    assert own.read_text(encoding="utf-8") == "<p>Trang của cơ quan</p>"
    write_index(tmp_path)
    assert refresh_index(tmp_path, "2024") == own and "Chưa có báo cáo nào." in own.read_text(
        encoding="utf-8")
