"""Every notebook runs top to bottom with its own defaults, from notebooks/, as in JupyterLab."""

from __future__ import annotations

from pathlib import Path

import nbformat
import papermill as pm
import pytest

from .conftest import ROOT

pytestmark = pytest.mark.slow
NOTEBOOKS = ROOT / "notebooks"


def outputs(nb) -> list[dict]:
    return [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]


def text_of(nb) -> str:
    parts = []
    for o in outputs(nb):
        parts.append(o.get("text", ""))
        parts.extend(str(v) for k, v in o.get("data", {}).items() if k.startswith("text/"))
    return "\n".join(parts)


def run(name: str, tmp_path: Path, **parameters) -> nbformat.NotebookNode:
    """Execute ``notebooks/name`` exactly as a user would, with papermill, from its folder."""
    out = tmp_path / name
    pm.execute_notebook(str(NOTEBOOKS / name), str(out), parameters=parameters,
                        cwd=str(NOTEBOOKS), kernel_name="python3", progress_bar=False)
    nb = nbformat.read(out, as_version=4)
    errors = [o for o in outputs(nb) if o.get("output_type") == "error"]
    assert not errors, errors
    return nb


@pytest.mark.parametrize("name", sorted(p.name for p in NOTEBOOKS.glob("*.ipynb")))
def test_runs_with_its_defaults(name, tmp_path):
    nb = run(name, tmp_path)
    text = text_of(nb)
    assert "Traceback" not in text
    assert "data:image/png;base64," in text or any(
        "image/png" in o.get("data", {}) for o in outputs(nb)), "no chart shown"


def test_exploration_over_the_demo_years(tmp_path):
    nb = run("kham_pha.ipynb", tmp_path, data_dir="../data/demo", indicator="cstdcs_ty_le")
    text = text_of(nb)
    assert "Các năm: 2021, 2022, 2023, 2024" in text
    # renamed, new and dropped indicators are listed, not dropped silently
    assert "renamed" in text and "new" in text and "dropped" in text
    chart = [o for c in nb.cells if "indicator_series" in c.source for o in c.outputs]
    assert any("image/png" in o.get("data", {}) for o in chart)  # a picture, not its repr
