#!/usr/bin/env python3
"""Set up and run the seglearn course with one command each.

    python3 course.py lab     # install everything into .venv (first time only) and open the course
    python3 course.py test    # install the test dependencies and run the whole test suite

Both create or reuse a local virtual environment in ``.venv`` next to this file, so nothing is
installed into the system Python. The environment is refreshed automatically whenever
``pyproject.toml`` changes. Extra arguments after ``test`` are passed to pytest, and extra arguments
after ``lab`` are passed to ``jupyter lab``.

This script uses only the Python standard library so that it runs on a fresh machine.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
MIN_PYTHON = (3, 10)


def _venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def _say(message: str) -> None:
    print(f"[course] {message}", flush=True)


def _run(cmd: list[str], **kwargs) -> None:
    _say("$ " + " ".join(str(c) for c in cmd))
    subprocess.run([str(c) for c in cmd], check=True, **kwargs)


def ensure_environment(extra: str) -> Path:
    """Create ``.venv`` if needed and install seglearn with the given extra (``lab`` or ``test``)."""
    if sys.version_info < MIN_PYTHON:
        sys.exit(f"seglearn needs Python >= {'.'.join(map(str, MIN_PYTHON))}; this is {sys.version.split()[0]}.")
    python = _venv_python()
    if not python.exists():
        _say(f"creating a virtual environment in {VENV}")
        try:
            venv.EnvBuilder(with_pip=True, clear=VENV.exists()).create(VENV)
        except Exception as exc:  # e.g. Debian without python3-venv
            sys.exit(f"Could not create {VENV}: {exc}\nOn Debian/Ubuntu install it with: apt-get install python3-venv")
    stamp = VENV / f".seglearn-installed-{extra}"
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if not stamp.exists() or stamp.read_text().strip() != wanted:
        _run([python, "-m", "pip", "install", "--quiet", "--upgrade", "pip"])
        target = "." if extra == "lab" else f".[{extra}]"
        _run([python, "-m", "pip", "install", "--quiet", "-e", target], cwd=ROOT)
        stamp.write_text(wanted)
    else:
        _say(f"{VENV} is up to date")
    return python


def ensure_chromium() -> None:
    """Install Debian's chromium for the browser tests when it is missing and we are allowed to."""
    if shutil.which("chromium"):
        return
    can_apt = shutil.which("apt-get") and hasattr(os, "geteuid") and os.geteuid() == 0
    if can_apt:
        _say("installing Debian's chromium for the browser tests")
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        _run(["apt-get", "update", "-q"], env=env, stdout=subprocess.DEVNULL)
        _run(["apt-get", "install", "-y", "-q", "chromium", "chromium-driver"], env=env, stdout=subprocess.DEVNULL)
    else:
        _say("chromium is not installed and cannot be installed here (needs root + apt-get); "
             "browser tests will be skipped unless CI is set, where they fail.")


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"lab", "test"}:
        print(__doc__)
        return 2
    command, rest = argv[0], argv[1:]
    if command == "lab":
        python = ensure_environment("lab")
        cmd = [str(python), "-m", "jupyter", "lab", "--ServerApp.ip=127.0.0.1"]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            cmd.append("--ServerApp.allow_root=True")
        cmd += [*rest, "notebooks/00_start_here.ipynb"]
        _say("$ " + " ".join(cmd))
        return subprocess.call(cmd, cwd=ROOT)
    python = ensure_environment("test")
    ensure_chromium()
    cmd = [str(python), "-m", "pytest", *rest]
    _say("$ " + " ".join(cmd))
    return subprocess.call(cmd, cwd=ROOT)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
