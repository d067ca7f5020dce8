"""Fixtures for real-browser tests: one isolated JupyterLab (and Voila) + one Chromium per session.

Generic on purpose, so every lesson can add ``tests/browser/test_lessonNN.py``::

    import pytest
    from labdriver import open_notebook, run_all, run_cell, stream_text, log_console_text

    pytestmark = pytest.mark.browser

    def test_lesson01_runs(page, lab, notebook):
        name = notebook("01_masks_and_the_confusion_matrix.ipynb")   # a fresh copy from notebooks/
        open_notebook(page, lab, name)
        run_all(page)
        ...

Fixtures
--------
``chromium`` (session)  path of Debian's chromium; skips with a reason when it is missing and
                         ``CI`` is unset (in CI: fails).
``lab_root`` (session)  temp copy of the repo's ``notebooks/`` (Lab autosaves into it, never
                         into the repo); tests may write extra notebooks into it.
``lab`` (session)       JupyterLab on a free 127.0.0.1 port, isolated config/data/runtime/
                         workspaces, ``allow_root``, ``expose_app_in_browser``; stopped (with its
                         kernels) at the end.
``voila`` (session)     Voila serving ``lab_root`` the same way.
``browser`` (session)   headless Chromium (Playwright sync API).
``dpr``                 device pixel ratio of ``page``; default 1, ``@pytest.mark.parametrize("dpr",
                         [1, 2])`` to override.
``page``                a fresh context + page: every non-loopback request is aborted, console
                         errors and page errors are collected in ``page.errors`` (checked at
                         teardown); ``page.shot(name, locator=None)`` saves a screenshot (of the
                         page or one element) under ``tmp_path`` and prints its path.
``notebook``            ``notebook(src, cells=None)`` -> a unique copy of ``lab_root/src`` (or a
                         new notebook with ``cells``) per test; kernels are shut down afterwards.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Callable, Iterator, Sequence

import pytest

from labdriver import CHROMIUM_ARGS, Server, copy_tree, write_notebook

REPO = Path(__file__).resolve().parents[2]
EXPECT_TIMEOUT_MS = 20_000
# Messages caused by blocking the network (CDN fonts in Voila's template), not by our code.
_IGNORED_CONSOLE = ("Failed to load resource", "net::ERR_FAILED", "net::ERR_BLOCKED")


def _is_loopback(url: str) -> bool:
    return url.startswith(("http://127.0.0.1:", "ws://127.0.0.1:", "data:", "blob:", "about:"))


@pytest.fixture(scope="session")
def chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("CI is set but Debian's chromium is missing: `apt-get install -y chromium`")
        pytest.skip("browser tests need Debian's chromium (`apt-get install -y chromium`); "
                    "not found on PATH and CI is not set")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail("CI is set but the playwright package is missing (pip install -e '.[test]')")
        pytest.skip("browser tests need the playwright package (pip install -e '.[test]')")
    return path


@pytest.fixture(scope="session")
def lab_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("labroot")
    copy_tree(REPO / "notebooks", root)
    return root


def _serve(kind: str, root: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """Start a JupyterLab or Voila server for the session; stop it (and all it started) afterwards."""
    server = Server(kind, root, tmp_path_factory.mktemp(f"{kind}home"))
    try:
        server.start(timeout=120)
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def lab(chromium: str, lab_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    yield from _serve("lab", lab_root, tmp_path_factory)


@pytest.fixture(scope="session")
def voila(chromium: str, lab_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    yield from _serve("voila", lab_root, tmp_path_factory)


@pytest.fixture(scope="session")
def browser(chromium: str) -> Iterator[object]:
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=EXPECT_TIMEOUT_MS)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def dpr() -> float:
    return 1


@pytest.fixture
def page(browser, dpr: float, tmp_path: Path) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1280, "height": 1000}, device_scale_factor=dpr)
    context.set_default_timeout(30_000)
    blocked: list[str] = []

    def block(route) -> None:
        blocked.append(route.request.url)
        route.abort()

    context.route(lambda url: not _is_loopback(url), block)
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))
    pg.on("console", lambda msg: errors.append(f"console.{msg.type}: {msg.text}")
          if msg.type == "error" and not any(s in msg.text for s in _IGNORED_CONSOLE) else None)

    def shot(name: str = "screenshot", locator=None) -> Path:
        path = tmp_path / f"{name}.png"
        if locator is not None:
            locator.screenshot(path=str(path))
        else:
            pg.screenshot(path=str(path), full_page=False)
        print(f"screenshot: {path}")
        return path

    pg.errors = errors  # type: ignore[attr-defined]
    pg.blocked = blocked  # type: ignore[attr-defined]
    pg.shot = shot  # type: ignore[attr-defined]
    try:
        yield pg
    finally:
        context.close()
    assert not errors, f"browser console/page errors: {errors}"


@pytest.fixture
def notebook(lab: Server, lab_root: Path, request: pytest.FixtureRequest) -> Iterator[Callable[..., str]]:
    made: list[Path] = []

    def make(src: str, cells: Sequence[str] | None = None) -> str:
        stem = Path(src).stem
        safe = "".join(c if c.isalnum() else "-" for c in request.node.name)[:60]
        dst = lab_root / Path(src).parent / f"{stem}--{safe}.ipynb"
        if cells is not None:
            write_notebook(dst, cells)
        else:
            shutil.copy(lab_root / src, dst)
        made.append(dst)
        return dst.relative_to(lab_root).as_posix()

    yield make
    lab.shutdown_sessions()
