"""The project's own promises: declared dependencies in step, notebooks stored clean,
the README's commands real."""

from __future__ import annotations

import json
import re
import tomllib

import yaml

from .conftest import ROOT


def normalise(spec: str) -> str:
    return re.sub(r"\s+", "", spec).lower().replace("_", "-")


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    wanted = {normalise(d) for d in project["project"]["dependencies"]}
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    conda = {normalise(d) for d in env["dependencies"] if isinstance(d, str)}
    assert "conda-forge" in env["channels"]
    assert "python=3.11" in conda and "pip" in conda
    assert conda - {"python=3.11", "pip"} == wanted
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert pip == ["-e ."]


def test_constraints_pin_every_dependency():
    pinned = {line.split("==")[0].lower().replace("_", "-")
              for line in (ROOT / "constraints.txt").read_text().splitlines() if "==" in line}
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    deps = project["project"]["dependencies"] + project["project"]["optional-dependencies"]["test"]
    names = {re.split(r"[<>=!~ \[]", d)[0].lower().replace("_", "-") for d in deps}
    assert names <= pinned, names - pinned


def test_notebooks_are_stored_without_outputs_and_with_parameters():
    notebooks = sorted((ROOT / "notebooks").glob("*.ipynb"))
    assert notebooks
    for path in notebooks:
        nb = json.loads(path.read_text(encoding="utf-8"))
        code = [c for c in nb["cells"] if c["cell_type"] == "code"]
        assert all(not c.get("outputs") and not c.get("execution_count") for c in code), path
        tagged = [c for c in code if "parameters" in c.get("metadata", {}).get("tags", [])]
        assert len(tagged) == 1, path


def test_readme_starts_with_the_two_commands_ci_runs():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = re.findall(r"^```(?:bash|sh)\n(.+?)\n```", readme, flags=re.M | re.S)[:2]
    assert commands[0].strip().startswith("bash dev.sh report")
    assert commands[1].strip() == "bash dev.sh test"
    assert "bash dev.sh test" in (ROOT / ".ci" / "run").read_text()


def test_every_public_name_resolves():
    """The package exports its names lazily: each must reach a real object (a module moved
    without its entry here would only fail when an analyst first uses it)."""
    import tongket_lib as tk

    for name in tk.__all__:
        assert getattr(tk, name) is not None, name
    assert tk.trends.load_years is not None
