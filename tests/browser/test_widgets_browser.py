"""The widgets in a real JupyterLab + Chromium (and once in Voila): exact pixels, live numbers.

Each test opens a fresh copy of a small notebook, runs it, paints with the mouse through pixel
centres and checks the *exact* number of painted pixels in three places: the Python-computed
readout in the page, a cell printing ``panel.mask.sum()`` in the kernel, and the canvas itself.
"""
from __future__ import annotations

import time

import statistics

import pytest
from playwright.sync_api import expect

from labdriver import (cell_outputs, content_box, drag, error_outputs, log_console_text, open_notebook, run_all,
                       pixel_centre, run_cell, run_new_cell, stream_text, wait_kernel_idle, write_notebook)
from seglearn.widgets.imbalance import lesion_scene

pytestmark = pytest.mark.browser

# Counts canvas pixels that are not black (the test image is black; painted pixels are coloured).
COUNT_COLOURED_JS = """c => { const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let n = 0; for (let i = 0; i < d.length; i += 4) if (d[i] || d[i + 1] || d[i + 2]) n++; return n; }"""

# Touch input as the browser delivers it: pointer events with pointerType "touch".
TOUCH_STROKE_JS = """(c, [points]) => {
  const fire = (type, [x, y]) => c.dispatchEvent(new PointerEvent(type, {pointerId: 7, pointerType: 'touch',
      isPrimary: true, clientX: x, clientY: y, button: type === 'pointermove' ? -1 : 0,
      buttons: type === 'pointerup' ? 0 : 1, bubbles: true, cancelable: true}));
  fire('pointerdown', points[0]);
  for (const p of points.slice(1)) fire('pointermove', p);
  fire('pointerup', points[points.length - 1]);
}"""

PANEL_CELLS = [
    "import numpy as np\n"
    "from seglearn.widgets import MetricsPanel\n"
    "size = {size}\n"
    "ref = np.zeros((size, size), bool); ref[size - 12:size - 2, size - 12:size - 2] = True\n"
    "panel = MetricsPanel(np.zeros((size, size)), ref, brush=3, show_outcome=False, show_reference=False)\n"
    "panel",
    "print('MASKSUM', int(panel.mask.sum()))",
]


def brush3_line_count(x0: int, x1: int) -> int:
    """Pixels of a horizontal stroke with the 3-px brush: a 3x3 stamp at both ends, 3 rows."""
    return (abs(x1 - x0) + 3) * 3


def panel_notebook(notebook, size: int) -> str:
    return notebook("panel.ipynb", cells=[c.replace("{size}", str(size)) for c in PANEL_CELLS])


def assert_no_cell_errors(page, n_cells: int) -> None:
    outputs = cell_outputs(page)
    assert len(outputs) == n_cells
    errors = {i: error_outputs(outs) for i, outs in enumerate(outputs) if error_outputs(outs)}
    assert not errors, errors


@pytest.mark.parametrize("dpr, frame", [(1, ""), (2, "border: 7px solid #333; padding: 5px 9px 3px 11px;")],
                         ids=["dpr1", "dpr2-border-padding"])
def test_painted_pixels_agree_everywhere(page, lab, notebook, dpr, frame):
    open_notebook(page, lab, panel_notebook(notebook, 64))
    assert run_all(page)
    assert_no_cell_errors(page, 2)
    root = page.locator(".seglearn-painter").first
    canvas = root.locator("canvas")
    painted = page.locator(".seglearn-metrics .seglearn-painted")
    expect(canvas).to_be_visible()
    expect(painted).to_have_text("0")
    if frame:  # a thick border and uneven padding must not shift the mapping
        canvas.evaluate(f"c => c.setAttribute('style', c.getAttribute('style') + '; {frame}')")
    box = content_box(canvas)

    drag(page, box, [(8, 20), (55, 20)], grid=(64, 64))
    expected = brush3_line_count(8, 55)  # 150
    expect(painted).to_have_text(str(expected))                         # 1) Python's readout
    wait_kernel_idle(page)
    assert stream_text(run_cell(page, 1)).strip() == f"MASKSUM {expected}"  # 2) the kernel
    assert canvas.evaluate(COUNT_COLOURED_JS) == expected               # 3) the canvas
    expect(root.locator(".seglearn-status")).to_have_text(f"{expected} px painted")

    # undo / redo round-trip to Python too
    root.locator("button.seglearn-undo").click()
    expect(painted).to_have_text("0")
    root.locator("button.seglearn-redo").click()
    expect(painted).to_have_text(str(expected))

    # Python assigns a mask -> the canvas redraws it; the learner can undo that too.
    wait_kernel_idle(page)
    run_new_cell(page, "panel.mask = ref")
    expect(painted).to_have_text("100")
    page.wait_for_function(f"c => ({COUNT_COLOURED_JS})(c) === 100", arg=canvas.element_handle())
    root.locator("button.seglearn-undo").click()
    expect(painted).to_have_text(str(expected))
    assert canvas.evaluate(COUNT_COLOURED_JS) == expected

    # A finger (touch pointer events): a vertical stroke down column 30, rows 40..50.
    box = content_box(canvas)
    canvas.evaluate(TOUCH_STROKE_JS, [[pixel_centre(box, (64, 64), 30, y) for y in (40, 45, 50)]])
    expected += 3 * (50 - 40 + 3)
    expect(painted).to_have_text(str(expected))
    assert canvas.evaluate(COUNT_COLOURED_JS) == expected

    page.shot(f"painter-dpr{dpr}")
    assert "No log messages." in log_console_text(page)


LATENCY_JS = """([index, expected]) => {
    window.__lat = {up: null, seen: null};
    window.addEventListener('pointerup', () => { window.__lat.up = performance.now(); },
                            {capture: true, once: true});
    const target = document.querySelectorAll('.seglearn-metrics')[index];
    const obs = new MutationObserver(() => {
      const el = target.querySelector('.seglearn-painted');
      if (el && el.textContent === String(expected) && window.__lat.seen === null) {
        window.__lat.seen = performance.now(); obs.disconnect(); }
    });
    obs.observe(target, {childList: true, subtree: true, characterData: true});
}"""


def stroke_latencies(page, index: int, size: int, n: int) -> tuple[list[float], int]:
    """Paint ``n`` horizontal strokes on panel ``index``; pointer-up -> readout shows the new count (ms)."""
    canvas = page.locator(".seglearn-painter canvas").nth(index)
    box = content_box(canvas)
    latencies, total = [], 0
    x0, x1 = size // 10, size - size // 5
    for k in range(n):
        y = size // 10 + 10 * k
        total += brush3_line_count(x0, x1)
        page.evaluate(LATENCY_JS, [index, total])
        drag(page, box, [(x0, y), (x1, y)], grid=(size, size), steps=8)
        page.wait_for_function("() => window.__lat.seen !== null && window.__lat.up !== null")
        latencies.append(page.evaluate("() => window.__lat.seen - window.__lat.up"))
    return latencies, total


def test_latency_fill_and_erase_256(page, lab, notebook):
    """pointer-up -> Python-updated readout, median over several strokes (256x256, and 512x512)."""
    cells = [c.replace("{size}", "256") for c in PANEL_CELLS]
    cells.append("panel512 = MetricsPanel(np.zeros((512, 512)), np.zeros((512, 512), bool), show_outcome=False)\n"
                 "panel512")
    open_notebook(page, lab, notebook("panel.ipynb", cells=cells))
    assert run_all(page)
    assert_no_cell_errors(page, 3)
    root = page.locator(".seglearn-painter").first
    canvas = root.locator("canvas")
    painted = page.locator(".seglearn-metrics .seglearn-painted").first
    expect(painted).to_have_text("0")

    latencies, total = stroke_latencies(page, 0, 256, 6)
    expect(painted).to_have_text(str(total))
    print(f"pointer-up -> readout latency, 256x256: median {statistics.median(latencies):.1f} ms, "
          f"all {[round(x) for x in latencies]}")
    latencies512, total512 = stroke_latencies(page, 1, 512, 3)
    expect(page.locator(".seglearn-metrics .seglearn-painted").nth(1)).to_have_text(str(total512))
    print(f"pointer-up -> readout latency, 512x512: median {statistics.median(latencies512):.1f} ms, "
          f"all {[round(x) for x in latencies512]}")

    box = content_box(canvas)
    grid = (256, 256)
    # Fill: a closed square outline, then "Fill" fills its inside.
    root.locator("button.seglearn-clear").click()
    expect(painted).to_have_text("0")
    drag(page, box, [(100, 100), (140, 100), (140, 140), (100, 140), (100, 100)], grid=grid, steps=6)
    expect(painted).not_to_have_text("0")
    root.locator("button.seglearn-fill").click()
    expect(painted).to_have_text(str(43 * 43))  # outline centred on 100..140, brush 3 -> 99..141

    # Erase a horizontal band through the filled square.
    root.locator("button.seglearn-erase").click()
    drag(page, box, [(90, 120), (150, 120)], grid=grid, steps=6)
    expect(painted).to_have_text(str(43 * 43 - 43 * 3))
    wait_kernel_idle(page)
    assert stream_text(run_cell(page, 1)).strip() == f"MASKSUM {43 * 43 - 43 * 3}"
    assert "No log messages." in log_console_text(page)


EXPLORER_CELLS = [
    "import numpy as np\n"
    "from scipy.ndimage import gaussian_filter\n"
    "from seglearn.widgets import ThresholdExplorer, ImbalanceDemo\n"
    "rng = np.random.default_rng(0)\n"
    "ref = np.zeros((128, 128), bool); ref[40:90, 30:100] = True\n"
    "prob = np.clip(gaussian_filter(ref.astype(float), 5) + rng.normal(0, 0.05, ref.shape), 0, 1)\n"
    "ex = ThresholdExplorer(prob, ref)\n"
    "ex",
    "demo = ImbalanceDemo(area=2.0)\ndemo",
    "print('STATE', f'{ex.threshold:.2f}', ex.counts.pred_positive)",
    "print('RECALL', f'{ex.sweep.threshold_for_recall(0.95).threshold:.2f}')",
]


def drag_slider(page, root, fraction: float) -> None:
    """Drag an ipywidgets slider's handle to ``fraction`` (0..1) of its track."""
    track = root.locator(".noUi-target").first
    handle = root.locator(".noUi-handle").first
    track.scroll_into_view_if_needed()
    t = track.bounding_box()
    h = handle.bounding_box()
    page.mouse.move(h["x"] + h["width"] / 2, h["y"] + h["height"] / 2)
    page.mouse.down()
    page.mouse.move(t["x"] + fraction * t["width"], h["y"] + h["height"] / 2, steps=10)
    page.mouse.up()


def test_threshold_explorer_and_imbalance_demo(page, lab, notebook):
    open_notebook(page, lab, notebook("explorer.ipynb", cells=EXPLORER_CELLS))
    assert run_all(page)
    assert_no_cell_errors(page, 4)
    explorer = page.locator(".seglearn-threshold-explorer").first
    readout = explorer.locator(".seglearn-metrics")
    value = readout.locator(".seglearn-threshold-value")
    expect(value).to_have_text("0.50")
    before = readout.locator(".seglearn-painted").inner_text()
    index_before = explorer.locator(".seglearn-curves canvas").get_attribute("data-index")
    assert index_before == "50"

    drag_slider(page, explorer.locator(".seglearn-threshold-slider"), 0.2)
    curves = explorer.locator(".seglearn-curves canvas")
    expect(curves).not_to_have_attribute("data-index", "50")   # moved in the browser (jslink)
    # A drag sends intermediate values, and ipywidgets may send the last one after a throttle delay,
    # so neither the page nor the kernel is final at any one instant. Poll (bounded) until the
    # kernel's state and every part of the page agree: slider, Python readout, count, curve point.
    slider_readout = explorer.locator(".seglearn-threshold-slider .widget-readout")
    deadline = time.monotonic() + 30
    while True:
        wait_kernel_idle(page)
        label, shown, count = stream_text(run_cell(page, 2)).split()
        seen = (slider_readout.inner_text().strip(), value.inner_text().strip(),
                readout.locator(".seglearn-painted").inner_text().strip(), curves.get_attribute("data-index"))
        if seen == (shown, shown, count, str(round(float(shown) * 100))):
            break
        assert time.monotonic() < deadline, f"page {seen} never agreed with the kernel {(shown, count)}"
        page.wait_for_timeout(300)
    assert label == "STATE" and 0.10 <= float(shown) <= 0.30, shown
    assert int(count) > int(before), (before, count)   # lower threshold -> more predicted pixels

    # target recall -> the highest threshold reaching it (same as seglearn.metrics says)
    target = explorer.locator(".widget-text input").first
    target.fill("0.95")
    target.press("Enter")
    explorer.locator("button.seglearn-jump").click()
    wait_kernel_idle(page)
    expected = stream_text(run_cell(page, 3)).split()[1]
    expect(value).to_have_text(expected)

    demo = page.locator(".seglearn-imbalance-demo").first
    demo.scroll_into_view_if_needed()
    lesion = demo.locator(".seglearn-lesion-pixels")
    expect(lesion).to_have_text(str(int(lesion_scene(2.0)["reference"].sum())))
    drag_slider(page, demo.locator(".seglearn-area-slider"), 1.0)    # smallest lesion: 0.1 %
    expect(lesion).to_have_text(str(int(lesion_scene(0.1)["reference"].sum())))
    row = demo.locator('tr[data-model="timid"]')
    expect(row.locator('td[data-metric="recall"]')).to_have_text("0.000")
    assert float(row.locator('td[data-metric="accuracy"]').inner_text()) > 0.99
    page.shot("imbalance", demo)
    page.shot("explorer", explorer)
    assert "No log messages." in log_console_text(page)


def test_voila_renders_and_paints(page, voila, lab_root):
    cells = [c.replace("{size}", "64") for c in PANEL_CELLS] + EXPLORER_CELLS[:2]
    write_notebook(lab_root / "voila_panel.ipynb", cells)
    page.goto(voila.url("voila/render/voila_panel.ipynb"))
    canvas = page.locator(".seglearn-painter canvas").first
    expect(canvas).to_be_visible(timeout=60_000)
    painted = page.locator(".seglearn-metrics-panel .seglearn-metrics .seglearn-painted")
    expect(painted).to_have_text("0")
    drag(page, content_box(canvas), [(8, 20), (55, 20)], grid=(64, 64))
    expect(painted).to_have_text(str(brush3_line_count(8, 55)))
    assert canvas.evaluate(COUNT_COLOURED_JS) == brush3_line_count(8, 55)
    # the explorer's curves and the imbalance table render too
    expect(page.locator(".seglearn-curves canvas")).to_have_attribute("data-index", "50")
    expect(page.locator(".seglearn-threshold-explorer .seglearn-threshold-value")).to_have_text("0.50")
    expect(page.locator('.seglearn-imbalance-demo tr[data-model="all_background"] td[data-metric="recall"]')
           ).to_have_text("0.000")
    page.shot("voila")
