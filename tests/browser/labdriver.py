"""Drive a real JupyterLab (and Voila) in Chromium from pytest: servers, notebooks, pointer input.

Used by the fixtures in ``tests/browser/conftest.py``; test modules import the helpers directly
(``from labdriver import open_notebook, run_all, ...``). Recipe and pitfalls:
``/work/shared/notes/browser-testing.md`` (isolated Jupyter dirs, unique workspace per test,
wait for the *real* kernel, content-box coordinates, memoryview traits, log console).
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path
from typing import Any, Iterable, Sequence

import nbformat

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}


# ---- servers ----------------------------------------------------------------------------------
def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def isolated_env(home: Path) -> dict[str, str]:
    """Environment whose Jupyter config/data/runtime/settings/workspaces all live under ``home``."""
    dirs = {"JUPYTER_CONFIG_DIR": "config", "JUPYTER_DATA_DIR": "data", "JUPYTER_RUNTIME_DIR": "runtime",
            "JUPYTERLAB_SETTINGS_DIR": "lab-settings", "JUPYTERLAB_WORKSPACES_DIR": "lab-workspaces",
            "IPYTHONDIR": "ipython", "TMPDIR": "tmp", "MPLCONFIGDIR": "mpl"}
    env = dict(os.environ)
    for var, sub in dirs.items():
        path = home / sub
        path.mkdir(parents=True, exist_ok=True)
        env[var] = str(path)
    env.pop("JUPYTER_PATH", None)
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    # No news / update toasts.
    notif = home / "lab-settings" / "@jupyterlab" / "apputils-extension"
    notif.mkdir(parents=True, exist_ok=True)
    (notif / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False}))
    return env


def _get(url: str, timeout: float = 2.0) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as exc:
        return exc.code, b""


class Server:
    """A JupyterLab or Voila process on a free loopback port, in its own process group."""

    def __init__(self, kind: str, root: Path, home: Path) -> None:
        if kind not in ("lab", "voila"):
            raise ValueError(f"kind must be 'lab' or 'voila', got {kind!r}")
        self.kind, self.root, self.home = kind, Path(root), Path(home)
        self.port = free_port()
        self.token = uuid.uuid4().hex
        self.proc: subprocess.Popen | None = None
        self.log_path = self.home / f"{kind}.log"

    def url(self, path: str = "") -> str:
        sep = "&" if "?" in path else "?"
        return f"http://127.0.0.1:{self.port}/{path.lstrip('/')}{sep}token={self.token}"

    def command(self) -> list[str]:
        if self.kind == "lab":
            return [sys.executable, "-m", "jupyter", "lab", "--no-browser",
                    "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={self.port}", "--ServerApp.port_retries=0",
                    f"--IdentityProvider.token={self.token}", f"--ServerApp.root_dir={self.root}",
                    "--ServerApp.allow_root=True", "--LabApp.expose_app_in_browser=True",
                    "--LabApp.news_url=None", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
        return [sys.executable, "-m", "voila", "--no-browser", f"--port={self.port}", "--Voila.ip=127.0.0.1",
                f"--token={self.token}", f"--Voila.root_dir={self.root}"]

    def start(self, timeout: float = 90.0) -> "Server":
        env = isolated_env(self.home)
        with open(self.log_path, "wb") as log:
            self.proc = subprocess.Popen(self.command(), stdout=log, stderr=subprocess.STDOUT, env=env,
                                         cwd=self.root, start_new_session=True)
        probe = self.url("api/status") if self.kind == "lab" else self.url("")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.kind} exited with {self.proc.returncode}:\n{self.log_tail()}")
            try:
                if _get(probe)[0] == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        raise TimeoutError(f"{self.kind} did not answer on port {self.port} within {timeout} s:\n{self.log_tail()}")

    def log_tail(self, n: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return ""

    def stop(self) -> None:
        """Stop the server and everything it started (kernels), SIGKILL after 15 s."""
        if self.proc is None or self.proc.poll() is not None:
            return
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(5)
        except ProcessLookupError:
            pass

    def api(self, method: str, path: str) -> Any:
        req = urllib.request.Request(self.url(path), method=method)
        with urllib.request.urlopen(req, timeout=10) as r:
            body = r.read()
        return json.loads(body) if body else None

    def shutdown_sessions(self) -> None:
        """Delete every kernel session (so no kernel outlives its test)."""
        for session in self.api("GET", "api/sessions") or []:
            try:
                self.api("DELETE", f"api/sessions/{session['id']}")
            except urllib.error.HTTPError:
                pass


# ---- notebooks --------------------------------------------------------------------------------
def write_notebook(path: Path, cells: Sequence[str]) -> Path:
    """Write a code-only notebook with the python3 kernelspec (no "Select Kernel" dialog)."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    nb.metadata["language_info"] = {"name": "python"}
    nb.cells = [nbformat.v4.new_code_cell(src) for src in cells]
    nbformat.write(nb, str(path))
    return path


def notebook_url(lab: Server, name: str) -> str:
    """Lab URL opening ``name`` in a fresh workspace (no tab restored from an earlier test)."""
    return lab.url(f"lab/workspaces/t{uuid.uuid4().hex[:10]}/tree/{name}")


def wait_kernel_idle(page: Any, timeout: float = 60_000) -> None:
    """Wait for the current notebook's *real* kernel to be idle (not the placeholder status)."""
    page.wait_for_function("() => window.jupyterapp?.shell?.currentWidget?.sessionContext"
                           "?.session?.kernel?.status === 'idle'", timeout=timeout)


def open_notebook(page: Any, lab: Server, name: str) -> None:
    """Open notebook ``name`` (relative to the Lab root) and wait until its kernel is idle."""
    page.goto(notebook_url(lab, name))
    page.wait_for_selector(".jp-Notebook", timeout=60_000)
    page.wait_for_function("() => !!window.jupyterapp", timeout=60_000)
    wait_kernel_idle(page)


def run_all(page: Any) -> Any:
    """Run every cell; returns when all have executed (the command's promise)."""
    return page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")


def run_cell(page: Any, index: int) -> list[dict]:
    """Run cell ``index`` (counting every cell, markdown too) of the current notebook; return its
    nbformat outputs."""
    return page.evaluate(
        """async (i) => { const nb = window.jupyterapp.shell.currentWidget;
            nb.content.activeCellIndex = i; nb.content.deselectAll();
            await window.jupyterapp.commands.execute('notebook:run-cell');
            const cell = nb.content.model.cells.get(i);
            return cell.outputs ? cell.outputs.toJSON() : []; }""", index)


def run_new_cell(page: Any, source: str) -> list[dict]:
    """Append a code cell with ``source`` to the current notebook, run it, return its outputs."""
    return page.evaluate(
        """async (src) => { const nb = window.jupyterapp.shell.currentWidget;
            const n = nb.content.model.cells.length;
            nb.content.model.sharedModel.insertCell(n, {cell_type: 'code', source: src});
            nb.content.activeCellIndex = n; nb.content.deselectAll();
            await window.jupyterapp.commands.execute('notebook:run-cell');
            return nb.content.model.cells.get(n).outputs.toJSON(); }""", source)


def cell_outputs(page: Any, index: int | None = None) -> Any:
    """nbformat outputs of cell ``index`` (without running it); of every cell when ``index`` is None
    (a list per cell, empty for markdown)."""
    return page.evaluate(
        """(i) => { const cells = window.jupyterapp.shell.currentWidget.content.model.cells;
            const out = (c) => (c.outputs ? c.outputs.toJSON() : []);
            if (i !== null) return out(cells.get(i));
            const all = []; for (let k = 0; k < cells.length; k++) all.push(out(cells.get(k))); return all; }""",
        index)


def stream_text(outputs: Iterable[dict]) -> str:
    """Concatenated stdout/stderr text of nbformat outputs."""
    text = []
    for out in outputs:
        if out.get("output_type") == "stream":
            t = out.get("text", "")
            text.append("".join(t) if isinstance(t, list) else t)
    return "".join(text)


def error_outputs(outputs: Iterable[dict]) -> list[str]:
    return [f"{o.get('ename')}: {o.get('evalue')}" for o in outputs if o.get("output_type") == "error"]


def log_console_text(page: Any) -> str:
    """Open JupyterLab's log console and return its text ("No log messages." when empty)."""
    page.evaluate("() => window.jupyterapp.commands.execute('logconsole:open')")
    panel = page.locator(".jp-LogConsolePanel").first
    panel.wait_for(state="attached", timeout=15_000)
    return panel.inner_text()


# ---- pointer input ----------------------------------------------------------------------------
CONTENT_BOX_JS = """c => { const r = c.getBoundingClientRect(); const s = getComputedStyle(c);
  const pl = parseFloat(s.paddingLeft) || 0, pt = parseFloat(s.paddingTop) || 0;
  const pr = parseFloat(s.paddingRight) || 0, pb = parseFloat(s.paddingBottom) || 0;
  return {x: r.left + c.clientLeft + pl, y: r.top + c.clientTop + pt,
          w: c.clientWidth - pl - pr, h: c.clientHeight - pt - pb}; }"""


def content_box(locator: Any) -> dict[str, float]:
    """Viewport CSS-px box of an element's content (border and padding excluded)."""
    locator.scroll_into_view_if_needed()
    return locator.evaluate(CONTENT_BOX_JS)


def pixel_centre(box: dict[str, float], grid: tuple[int, int], px: float, py: float) -> tuple[float, float]:
    """Viewport position of the centre of mask pixel ``(px, py)``; ``grid`` is (width, height)."""
    return (box["x"] + (px + 0.5) * box["w"] / grid[0], box["y"] + (py + 0.5) * box["h"] / grid[1])


def drag(page: Any, box: dict[str, float], points: Sequence[tuple[int, int]], grid: tuple[int, int],
         steps: int = 12, release: bool = True) -> None:
    """Press at ``points[0]``, move through the other pixel centres, release (mask-pixel coords)."""
    page.mouse.move(*pixel_centre(box, grid, *points[0]))
    page.mouse.down()
    for p in points[1:]:
        page.mouse.move(*pixel_centre(box, grid, *p), steps=steps)
    if release:
        page.mouse.up()


def copy_tree(src: Path, dst: Path) -> None:
    if src.is_dir():
        shutil.copytree(src, dst, dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
