"""``seglearn check-setup``: is this machine ready for the course?

Prints one ✓/✗ line per requirement and returns whether all of them hold. Used by the CLI
(``seglearn check-setup``, non-zero exit when something is missing) and by lesson 00
(``seglearn.check_setup()``).
"""
from __future__ import annotations

import importlib
import importlib.util
import sys
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Callable, Iterable

MIN_PYTHON = (3, 10)

# Distribution name -> import name, for the runtime dependencies.
_IMPORT_NAMES = {"scikit-image": "skimage", "jupyterlab": "jupyterlab", "ipywidgets": "ipywidgets",
                 "anywidget": "anywidget", "numpy": "numpy", "scipy": "scipy", "matplotlib": "matplotlib"}

# Server-side packages that are slow to import and not needed in the kernel: only located.
_FIND_ONLY = {"jupyterlab"}

# JupyterLab front-end extensions the widgets need (prebuilt, shipped inside the pip packages).
_LAB_EXTENSIONS = {
    "@jupyter-widgets/jupyterlab-manager": "ipywidgets front end (jupyterlab_widgets)",
    "anywidget": "anywidget front end",
}


@dataclass(frozen=True)
class Check:
    """One line of the setup report."""

    name: str
    ok: bool
    detail: str

    def line(self) -> str:
        return f"{'✓' if self.ok else '✗'} {self.name}: {self.detail}"


def _runtime_requirements() -> list[str]:
    try:
        reqs = metadata.requires("seglearn") or []
    except metadata.PackageNotFoundError:
        reqs = []
    names = []
    for req in reqs:
        if "extra ==" in req:
            continue
        name = req.split(";")[0].strip()
        for sep in "<>=!~[ ":
            name = name.split(sep)[0]
        names.append(name)
    return names or list(_IMPORT_NAMES)


def _check_python() -> Check:
    ok = sys.version_info >= MIN_PYTHON
    return Check("Python", ok, f"{sys.version.split()[0]} (need >= {'.'.join(map(str, MIN_PYTHON))})")


def _check_dependency(dist: str) -> Check:
    module = _IMPORT_NAMES.get(dist, dist.replace("-", "_"))
    try:
        if module in _FIND_ONLY:
            if importlib.util.find_spec(module) is None:
                raise ImportError(f"No module named {module!r}")
        else:
            importlib.import_module(module)
    except Exception as exc:  # ImportError, or a broken install raising anything
        return Check(dist, False, f"cannot import {module!r} ({type(exc).__name__}: {exc}); "
                                  f"run `python3 course.py lab` or `pip install -e .`")
    try:
        version = metadata.version(dist)
    except metadata.PackageNotFoundError:
        version = "unknown version"
    return Check(dist, True, version)


def _check_lab_extensions() -> list[Check]:
    try:
        from jupyter_core.paths import jupyter_path
    except Exception as exc:
        return [Check("JupyterLab widget front end", False, f"jupyter_core missing ({exc})")]
    roots = [Path(p) for p in jupyter_path("labextensions")]
    checks = []
    for ext, label in _LAB_EXTENSIONS.items():
        found = [r for r in roots if (r / ext / "package.json").is_file()]
        checks.append(Check(label, bool(found),
                            f"installed in {found[0]}" if found else
                            f"labextension {ext!r} not found in {', '.join(map(str, roots))}; "
                            f"reinstall with `pip install --force-reinstall ipywidgets anywidget` and restart JupyterLab"))
    return checks


def _check_optional_module(title: str, probe: Callable[[], str]) -> Check:
    try:
        return Check(title, True, probe())
    except Exception as exc:
        return Check(title, False, f"{type(exc).__name__}: {exc}")


def _probe_data() -> str:
    from . import data

    return data.verify()


def _probe_exercises() -> str:
    from . import exercises

    return exercises.verify()


def run_checks() -> list[Check]:
    """Run every check and return the results (nothing printed)."""
    checks: list[Check] = [_check_python()]
    checks += [_check_dependency(d) for d in _runtime_requirements()]
    checks += _check_lab_extensions()
    for title, module, probe in (("sample data", "data", _probe_data), ("exercises", "exercises", _probe_exercises)):
        if importlib.util.find_spec(f"seglearn.{module}") is not None:
            checks.append(_check_optional_module(title, probe))
    return checks


def format_report(checks: Iterable[Check]) -> str:
    checks = list(checks)
    lines = [c.line() for c in checks]
    bad = sum(not c.ok for c in checks)
    lines.append("All set: open notebooks/00_start_here.ipynb." if not bad else
                 f"{bad} problem(s) found: fix the ✗ lines above, then restart JupyterLab.")
    return "\n".join(lines)


def check_setup(verbose: bool = True) -> bool:
    """Check that this machine is ready for the course; print one ✓/✗ line per requirement.

    Returns
    -------
    bool
        True when every requirement holds.

    Examples
    --------
    >>> import seglearn
    >>> ok = seglearn.check_setup()  # doctest: +SKIP
    ✓ Python: 3.11.7 (need >= 3.10)
    ...
    """
    checks = run_checks()
    if verbose:
        print(format_report(checks))
    return all(c.ok for c in checks)
