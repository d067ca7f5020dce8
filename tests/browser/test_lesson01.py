"""Lesson 01 in a real JupyterLab + Chromium: run all, paint on its panel, watch the four counts change.

A copy of ``notebooks/01_masks_and_the_confusion_matrix.ipynb`` is opened and run top to bottom;
no cell may fail. Then two strokes are painted with the mouse on the lesson's ``MetricsPanel``
(pre-seeded with the ``"under"`` prediction): one in the background, one through the largest
lesion. After each, the TP/FP/FN/TN cells of the readout must show exactly the counts that
``seglearn.metrics.confusion_counts`` gives for the painted mask, and a cell executed in the
kernel must agree.
"""
from __future__ import annotations

import json

import numpy as np
import pytest
from playwright.sync_api import expect

from labdriver import (cell_outputs, content_box, drag, error_outputs, log_console_text, open_notebook, run_all,
                       run_new_cell, stream_text, wait_kernel_idle)

import seglearn.metrics as sm
from seglearn.data import load_case

pytestmark = pytest.mark.browser

LESSON = "01_masks_and_the_confusion_matrix.ipynb"
PANEL_SOURCE = "panel = MetricsPanel("      # the exploration panel's cell
BRUSH = 3                                    # MetricsPanel's default brush: a 3 x 3 stamp


def stroke_pixels(shape: tuple[int, int], row: int, col0: int, col1: int, brush: int = BRUSH) -> np.ndarray:
    """Pixels covered by a horizontal stroke of square ``brush`` stamps through pixel centres."""
    half = brush // 2
    mask = np.zeros(shape, bool)
    mask[max(row - half, 0):row + half + 1, max(min(col0, col1) - half, 0):max(col0, col1) + half + 1] = True
    return mask


def counts_in_page(panel) -> dict[str, int]:
    return {k: int(panel.locator(f".seglearn-confusion td.seglearn-{k}").get_attribute("data-count"))
            for k in ("tp", "fp", "fn", "tn")}


def expect_counts(panel, counts: sm.ConfusionCounts) -> None:
    for key in ("tp", "fp", "fn", "tn"):
        expect(panel.locator(f".seglearn-confusion td.seglearn-{key}")).to_have_attribute(
            "data-count", str(int(getattr(counts, key))))


def test_lesson01_runs_and_painting_changes_the_counts(page, lab, notebook):
    case = load_case("brain_tumour")
    ref, mask = case.reference, case.predictions["under"].copy()
    height, width = ref.shape

    open_notebook(page, lab, notebook(LESSON))
    assert run_all(page)
    wait_kernel_idle(page)
    outputs = cell_outputs(page)                                    # every cell, from the notebook model
    assert len(outputs) > 30
    errors = {i: error_outputs(outs) for i, outs in enumerate(outputs) if error_outputs(outs)}
    assert not errors, f"cells failed in JupyterLab: {errors}"

    # Tag the exploration panel from the kernel, so the test finds it whatever the layout.
    assert "tagged" in stream_text(run_new_cell(page, "panel.add_class('t-lesson01-panel'); print('tagged')"))
    index = page.evaluate("(s) => window.jupyterapp.shell.currentWidget.content.model.sharedModel.cells"
                          ".findIndex(c => c.getSource().startsWith(s))", PANEL_SOURCE)
    assert index >= 0, "the lesson no longer has its exploration panel"
    page.evaluate("(i) => window.jupyterapp.shell.currentWidget.content.scrollToItem(i, 'start')", index)
    panel = page.locator(".t-lesson01-panel")
    canvas = panel.locator(".seglearn-painter canvas").first
    expect(canvas).to_be_visible()
    expect_counts(panel, sm.confusion_counts(mask, ref))          # the pre-seeded "under" prediction

    # 1) A stroke in the background, near the top of the image: only FP (up) and TN (down) move.
    row = 6
    assert not ref[row - 1:row + 2].any(), "the test stroke should lie in the background"
    before = counts_in_page(panel)
    mask |= stroke_pixels(ref.shape, row, 20, 60)
    drag(page, content_box(canvas), [(20, row), (60, row)], grid=(width, height))
    after = sm.confusion_counts(mask, ref)
    expect_counts(panel, after)
    assert after.fp - before["fp"] == 3 * (60 - 20 + 3) and after.tp == before["tp"] and after.fn == before["fn"]

    # 2) A stroke through the largest lesion's centre row: misses turn into hits (FN down, TP up).
    rows, cols = np.nonzero(ref)
    lesion_row = int(np.median(rows))
    lesion_cols = cols[rows == lesion_row]
    col0, col1 = int(lesion_cols.min()) + 1, int(lesion_cols.max()) - 1
    before = counts_in_page(panel)
    mask |= stroke_pixels(ref.shape, lesion_row, col0, col1)
    drag(page, content_box(canvas), [(col0, lesion_row), (col1, lesion_row)], grid=(width, height))
    after = sm.confusion_counts(mask, ref)
    expect_counts(panel, after)
    assert after.tp > before["tp"] and after.fn < before["fn"], "painting the missed lesion must turn FN into TP"
    page.shot("lesson01-painted")

    # 3) The kernel sees the same mask.
    wait_kernel_idle(page)
    outs = run_new_cell(page, "import json; c = sm.confusion_counts(panel.mask, case.reference); "
                              "print(json.dumps([int(c.tp), int(c.fp), int(c.fn), int(c.tn)]))")
    assert json.loads(stream_text(outs).strip()) == [int(after.tp), int(after.fp), int(after.fn), int(after.tn)]

    assert "No log messages." in log_console_text(page)
