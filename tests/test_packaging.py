"""The packaging promises: pyproject.toml is the single source of dependencies, environment.yml
mirrors it, the README shows the two commands, and .ci/run runs the README's test command."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import yaml

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]

ROOT = Path(__file__).resolve().parents[1]


def _name(req: str) -> str:
    return re.split(r"[<>=!~\[; ]", req.strip(), maxsplit=1)[0].lower()


def _spec(req: str) -> str:
    return req.strip()[len(_name(req)):].replace(" ", "")


def test_environment_yml_mirrors_pyproject_runtime_dependencies():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    conda_specs = {_name(d): _spec(d) for d in conda if _name(d) not in {"python", "pip"}}
    pyproject_specs = {_name(d): _spec(d) for d in project["dependencies"]}
    assert conda_specs == pyproject_specs, "environment.yml and pyproject.toml list different dependencies"
    assert "conda-forge" in env["channels"]
    py = next(d for d in conda if _name(d) == "python")
    assert _spec(py) == project["requires-python"]
    assert "-e ." in pip, "environment.yml must install the seglearn package itself"


def test_readme_shows_exactly_two_setup_commands_and_ci_runs_the_test_one():
    readme = (ROOT / "README.md").read_text()
    block = re.search(r"## Two commands.*?```bash\n(.*?)```", readme, re.S).group(1)
    commands = [line.split("#")[0].strip() for line in block.splitlines() if line.strip()]
    assert commands == ["python3 course.py lab", "python3 course.py test"]
    ci = [l.strip() for l in (ROOT / ".ci/run").read_text().splitlines()
          if l.strip() and not l.strip().startswith("#")]
    assert ci[-1] == "python3 course.py test"


def test_cli_version_and_check_setup():
    out = subprocess.run([sys.executable, "-m", "seglearn", "--version"], capture_output=True, text=True, check=True)
    assert re.fullmatch(r"seglearn \d+\.\d+\.\d+\S*\n", out.stdout)
    res = subprocess.run([sys.executable, "-m", "seglearn", "check-setup"], capture_output=True, text=True)
    assert res.returncode == 0, res.stdout + res.stderr
    lines = res.stdout.splitlines()
    assert lines[0].startswith("✓ Python:")
    for dep in ("numpy", "scikit-image", "matplotlib", "ipywidgets", "jupyterlab", "anywidget"):
        assert any(l.startswith(f"✓ {dep}:") for l in lines), dep


def test_check_setup_reports_a_missing_dependency(monkeypatch):
    from seglearn import setup_check

    monkeypatch.setattr(setup_check, "_runtime_requirements", lambda: ["numpy", "no-such-package-xyz"])
    checks = setup_check.run_checks()
    bad = [c for c in checks if not c.ok]
    assert [c.name for c in bad] == ["no-such-package-xyz"]
    assert "cannot import" in bad[0].detail
    assert "1 problem(s) found" in setup_check.format_report(checks)
