"""Python side of seglearn.widgets: masks in and out, validation, the browser's memoryview path,
callbacks and errors, and that every number shown equals seglearn.metrics on the same masks.

The real-browser side lives in tests/browser/test_widgets_browser.py.
"""
from __future__ import annotations

import math
import statistics
import time
from pathlib import Path

import numpy as np
import pytest

import seglearn.metrics as sm
from seglearn import palette
from seglearn.widgets import ImbalanceDemo, MaskPainter, MetricsPanel, ThresholdExplorer, image_to_grey
from seglearn.widgets.curves import CurvePlot
from seglearn.widgets.imbalance import LESION_AREAS, lesion_scene
from seglearn.widgets.threshold import THRESHOLD_GRID


def square(shape, y0, y1, x0, x1):
    m = np.zeros(shape, bool)
    m[y0:y1, x0:x1] = True
    return m


def browser_update(widget, name: str, payload: bytes) -> None:
    """Deliver a state update exactly as the front end does: binary buffers arrive as memoryview."""
    widget._handle_msg({"content": {"data": {"method": "update", "state": {}, "buffer_paths": [[name]]}},
                        "buffers": [memoryview(payload)]})


@pytest.fixture
def scene():
    rng = np.random.default_rng(0)
    image = rng.random((48, 64))
    ref = square((48, 64), 10, 30, 12, 40)
    pred = square((48, 64), 14, 34, 20, 50)
    return image, ref, pred


# ---- MaskPainter ---------------------------------------------------------------------------------
def test_painter_mask_roundtrip_and_read_only(scene):
    image, ref, pred = scene
    painter = MaskPainter(image, ref, mask=pred, brush=5)
    assert painter.shape == (48, 64) and (painter.height, painter.width) == (48, 64)
    assert painter.mask.dtype == bool and np.array_equal(painter.mask, pred)
    assert not painter.mask.flags.writeable          # copy, modify, assign back
    pred[0, 0] = True                                 # the painter kept its own copy
    assert not painter.mask[0, 0]
    painter.mask = np.ones((48, 64), dtype=np.uint8)
    assert painter.mask.all() and painter.mask.dtype == bool
    # what goes to the browser: one byte per pixel, row-major
    state = painter.get_state()
    assert bytes(state["mask"]) == b"\x01" * (48 * 64)
    assert bytes(state["reference"]) == ref.astype(np.uint8).tobytes()
    assert painter.brush == 5 and painter.mode == "paint"
    assert "seglearn-painter" in painter._dom_classes


def test_painter_defaults_empty_mask_and_no_reference():
    painter = MaskPainter(np.zeros((5, 7)))
    assert painter.mask.shape == (5, 7) and not painter.mask.any()
    assert painter.reference is None
    assert painter.get_state()["reference"] is None
    assert painter.colors == {"tp": palette.TP, "fp": palette.FP, "fn": palette.FN,
                              "reference": palette.REFERENCE, "prediction": palette.PREDICTION}


def test_painter_zoom_default_keeps_canvas_near_448_px():
    assert MaskPainter(np.zeros((64, 64))).zoom == 7
    assert MaskPainter(np.zeros((256, 200))).zoom == 1
    assert MaskPainter(np.zeros((512, 512))).zoom == 1
    assert MaskPainter(np.zeros((8, 8)), zoom=3).zoom == 3


def test_browser_update_arrives_as_memoryview_and_is_accepted(scene):
    image, ref, _ = scene
    painter = MaskPainter(image, ref)
    seen = []
    painter.observe(lambda change: seen.append(change["new"]), names="mask")
    drawn = square((48, 64), 1, 4, 2, 9)
    browser_update(painter, "mask", drawn.astype(np.uint8).tobytes())
    assert np.array_equal(painter.mask, drawn)
    assert len(seen) == 1 and np.array_equal(seen[0], drawn)
    assert painter.mask.dtype == bool and not painter.mask.flags.writeable


def test_mask_is_not_echoed_back_to_the_browser():
    painter = MaskPainter(np.zeros((4, 4)))
    assert painter.trait_metadata("mask", "echo_update") is False
    assert painter.trait_metadata("mask", "from_json") is not None


@pytest.mark.parametrize("bad, error, words", [
    (np.zeros((3, 3), bool), ValueError, ["mask", "(48, 64)", "(3, 3)"]),
    (np.full((48, 64), 0.5), ValueError, ["mask", "0/1"]),
    ("not a mask", TypeError, ["mask"]),
    (b"\x00" * 10, ValueError, ["mask", "3072 bytes", "10 bytes"]),
    (None, Exception, ["mask"]),
])
def test_mask_validation_gives_clear_errors(scene, bad, error, words):
    image, ref, _ = scene
    painter = MaskPainter(image, ref)
    with pytest.raises(error) as info:
        painter.mask = bad
    for word in words:
        assert word in str(info.value)
    assert not painter.mask.any()                   # unchanged


def test_wrong_length_from_the_browser_is_refused_visibly(scene):
    painter = MaskPainter(scene[0])
    browser_update(painter, "mask", b"\x01" * 100)
    assert "3072 bytes" in painter.error and "got 100 bytes" in painter.error   # shown in the widget
    assert not painter.mask.any()


def test_reference_validation(scene):
    image, _, _ = scene
    with pytest.raises(ValueError, match=r"reference must have the image's shape \(48, 64\)"):
        MaskPainter(image, np.zeros((4, 4), bool))
    with pytest.raises(ValueError, match="reference"):
        MaskPainter(image, np.full((48, 64), 3))


@pytest.mark.parametrize("kwargs, match", [
    ({"brush": 0}, "brush must be .* 1 to 25"),
    ({"brush": 26}, "brush"),
    ({"mode": "spray"}, "mode must be 'paint' or 'erase'"),
    ({"zoom": 0}, "zoom"),
])
def test_control_validation(kwargs, match):
    with pytest.raises(ValueError, match=match):
        MaskPainter(np.zeros((8, 8)), **kwargs)


@pytest.mark.parametrize("image, error, match", [
    (np.zeros((4, 4, 4)), ValueError, r"2-D .*image\[k\]"),
    (np.zeros(5), ValueError, "2-D"),
    (np.array([[1.0, np.nan]]), ValueError, "NaN"),
    (np.array([["a", "b"]]), TypeError, "dtype"),
    (None, TypeError, "image"),
])
def test_image_validation(image, error, match):
    with pytest.raises(error, match=match):
        MaskPainter(image)


def test_image_to_grey_keeps_unit_range_and_stretches_others():
    assert image_to_grey([[0.0, 1.0]]).tolist() == [[0, 255]]
    assert image_to_grey([[0.0, 0.5]]).tolist() == [[0, 128]]            # absolute, not stretched
    assert image_to_grey([[100, 300]]).tolist() == [[0, 255]]            # stretched
    assert image_to_grey([[7, 7]]).tolist() == [[0, 0]]
    assert image_to_grey(np.array([[True, False]])).tolist() == [[255, 0]]


def test_clear_and_fill_holes():
    ring = square((20, 20), 4, 15, 4, 15) & ~square((20, 20), 6, 13, 6, 13)
    painter = MaskPainter(np.zeros((20, 20)), mask=ring)
    painter.fill_holes()
    assert np.array_equal(painter.mask, square((20, 20), 4, 15, 4, 15))
    painter.clear()
    assert not painter.mask.any()


def test_on_mask_change_shows_errors_in_the_widget_and_recovers():
    painter = MaskPainter(np.zeros((8, 8)))
    calls = []

    def callback(mask):
        calls.append(int(mask.sum()))
        if mask.sum() == 64:
            raise RuntimeError("too much paint")

    painter.on_mask_change(callback, call_now=True)
    assert calls == [0] and painter.error == ""
    painter.mask = np.ones((8, 8), bool)            # the error does not escape ...
    assert "RuntimeError: too much paint" in painter.error   # ... it is shown in the widget
    assert "callback" in painter.error
    painter.mask = np.zeros((8, 8), bool)
    assert painter.error == "" and calls == [0, 64, 0]
    with pytest.raises(TypeError, match="callable"):
        painter.on_mask_change("nope")


def test_javascript_ships_in_the_package():
    folder = Path(MaskPainter.__module__.replace(".", "/")).parent
    root = Path(__import__("seglearn").__file__).parent.parent
    for name in ("painter.js", "painter.css", "curves.js"):
        text = (root / folder / name).read_text()
        assert text.strip()
    js = (root / folder / "painter.js").read_text()
    assert "export default" in js and "touchAction" in js and "pixelated" in js
    assert "getImageData" not in js                 # never reads canvas pixels back


# ---- MetricsPanel ------------------------------------------------------------------------------------
def test_panel_numbers_equal_seglearn_metrics(scene):
    image, ref, pred = scene
    panel = MetricsPanel(image, ref, mask=pred)
    counts = sm.confusion_counts(pred, ref)
    assert panel.counts == counts
    expected = {"dice": sm.dice(pred, ref), "iou": sm.iou(pred, ref), "precision": sm.precision(pred, ref),
                "recall": sm.recall(pred, ref), "specificity": sm.specificity(pred, ref),
                "accuracy": sm.accuracy(pred, ref)}
    for key, value in expected.items():
        assert panel.scores[key] == pytest.approx(value, abs=0, rel=1e-15), key
    html = panel.readout.value
    for key in ("tp", "fp", "fn", "tn"):
        assert f'class="seglearn-{key}" data-count="{getattr(counts, key)}"' in html
    assert f'<tr data-metric="dice"><th>Dice</th><td>{expected["dice"]:.3f}</td></tr>' in html
    assert f'class="seglearn-painted">{int(pred.sum())}<' in html
    assert "seglearn-metrics" in panel.readout._dom_classes


def test_panel_updates_on_every_browser_stroke(scene):
    image, ref, _ = scene
    panel = MetricsPanel(image, ref)
    assert panel.counts.tp == 0 and math.isnan(panel.scores["precision"])
    assert "<td>undefined</td>" in panel.readout.value   # precision 0/0 shown, not hidden
    for stroke in (square((48, 64), 10, 20, 12, 30), ref, square((48, 64), 0, 48, 0, 64)):
        browser_update(panel.painter, "mask", stroke.astype(np.uint8).tobytes())
        assert panel.counts == sm.confusion_counts(stroke, ref)
        assert panel.scores["dice"] == sm.dice(stroke, ref)
    panel.mask = ref                                     # Python-side assignment too
    assert panel.scores["dice"] == 1.0 and np.array_equal(panel.painter.mask, ref)


def test_panel_callback_errors_are_shown_in_the_readout(scene):
    image, ref, pred = scene
    panel = MetricsPanel(image, ref)
    panel.on_update(lambda p: 1 / 0)
    panel.mask = pred
    assert "ZeroDivisionError" in panel.readout.value and "seglearn-error" in panel.readout.value
    assert panel.counts == sm.confusion_counts(pred, ref)   # numbers still there


def test_panel_needs_a_reference(scene):
    with pytest.raises(TypeError, match="reference"):
        MetricsPanel(scene[0], None)


def test_panel_hd95_comes_from_seglearn_metrics(scene):
    image, ref, pred = scene
    panel = MetricsPanel(image, ref, mask=pred, hd95=True, spacing=(0.5, 2.0))
    assert panel.scores["hd95"] == sm.hausdorff_distance(pred, ref, percentile=95, spacing=(0.5, 2.0))
    assert "HD95 (mm)" in panel.readout.value
    panel.mask = np.zeros_like(pred)                  # one mask empty: undefined, and said so
    assert math.isnan(panel.scores["hd95"]) and "HD95 is undefined" in panel.readout.value
    assert "hd95" not in MetricsPanel(image, ref, mask=pred).scores


def test_panel_python_update_time_512(capsys):
    """Timing of the whole browser-update path at 512x512 (printed, not asserted)."""
    rng = np.random.default_rng(1)
    ref = square((512, 512), 100, 300, 120, 340)
    panel = MetricsPanel(rng.random((512, 512)), ref)
    strokes = [rng.random((512, 512)) < 0.3 for _ in range(3)]
    times, inner = [], []
    for k in range(15):
        payload = strokes[k % 3].astype(np.uint8).tobytes()
        t0 = time.perf_counter()
        browser_update(panel.painter, "mask", payload)
        times.append((time.perf_counter() - t0) * 1000)
        inner.append(panel.last_update_ms)
        assert panel.counts == sm.confusion_counts(strokes[k % 3], ref)
    with capsys.disabled():
        print(f"\nMetricsPanel 512x512: message -> readout {statistics.median(times):.2f} ms median "
              f"(metrics + HTML alone {statistics.median(inner):.2f} ms)")


# ---- ThresholdExplorer ---------------------------------------------------------------------------
@pytest.fixture
def soft():
    rng = np.random.default_rng(2)
    ref = square((40, 50), 10, 30, 10, 35)
    prob = np.clip(np.where(ref, 0.7, 0.2) + rng.normal(0, 0.15, ref.shape), 0, 1)
    return prob, ref


def test_explorer_numbers_follow_the_threshold(soft):
    prob, ref = soft
    ex = ThresholdExplorer(prob, ref)
    for t in (0.5, 0.0, 0.33, 0.9, 1.0):
        ex.threshold = t
        assert ex.counts == sm.confusion_counts(prob, ref, threshold=t)
        assert np.array_equal(ex.painter.mask, prob >= t)
        assert ex.curves.threshold == t
        assert f'seglearn-threshold-value">{t:.2f}<' in ex.readout.value
    assert not ex.painter.editable and ex.painter.show_outcome


def test_explorer_curves_are_the_sweep(soft):
    prob, ref = soft
    ex = ThresholdExplorer(prob, ref)
    sweep = sm.sweep.threshold_sweep(prob, ref, THRESHOLD_GRID) if hasattr(sm, "sweep") else ex.sweep
    assert ex.curves.thresholds == [float(t) for t in THRESHOLD_GRID]
    for name in ("precision", "recall", "dice"):
        ours = getattr(ex.curves, name)
        theirs = getattr(sweep, name)
        assert [None if math.isnan(v) else v for v in theirs] == ours
        for t, value in zip(THRESHOLD_GRID[::10], ours[::10]):
            direct = getattr(sm.confusion_counts(prob, ref, threshold=t), name)()
            assert (value is None and math.isnan(direct)) or value == direct


def test_explorer_jump_to_target_recall(soft):
    prob, ref = soft
    ex = ThresholdExplorer(prob, ref)
    t = ex.jump_to_recall(0.95)
    assert ex.threshold == t == ex.sweep.threshold_for_recall(0.95).threshold
    assert ex.counts.recall() >= 0.95
    assert sm.confusion_counts(prob, ref, threshold=round(t + 0.01, 2)).recall() < 0.95  # the highest one
    ex.target.value = 0.5
    ex._on_jump(None)
    assert ex.threshold == ex.sweep.threshold_for_recall(0.5).threshold
    assert "reached at threshold" in ex.message.value


def test_explorer_jump_error_is_shown(soft):
    prob, _ = soft
    ex = ThresholdExplorer(prob, np.zeros(prob.shape, bool))   # no foreground: recall undefined
    ex._on_jump(None)
    assert "seglearn-error" in ex.message.value and "ValueError" in ex.message.value


@pytest.mark.parametrize("prob, ref, error, match", [
    (np.full((4, 4), 1.5), np.zeros((4, 4), bool), ValueError, r"\[0, 1\]"),
    (np.zeros((4, 4)), np.zeros((5, 4), bool), ValueError, "shape"),
    (np.zeros((2, 4, 4)), np.zeros((2, 4, 4), bool), ValueError, "2-D"),
    ("x", np.zeros((4, 4), bool), TypeError, "probability"),
])
def test_explorer_validation(prob, ref, error, match):
    with pytest.raises(error, match=match):
        ThresholdExplorer(prob, ref)


def test_curve_plot_lengths_must_agree():
    with pytest.raises(ValueError, match="same length"):
        CurvePlot([0, 1], [1], [1, 0], [0, 1])


# ---- ImbalanceDemo -------------------------------------------------------------------------------
def test_lesion_scene_has_the_stated_area_and_nested_models():
    for area in LESION_AREAS:
        s = lesion_scene(area)
        assert int(s["reference"].sum()) == round(160 * 160 * area / 100)
        assert not s["all_background"].any()
        assert not (s["timid"] & ~s["reference"]).any()     # timid only marks lesion pixels
    with pytest.raises(ValueError, match="area_percent"):
        lesion_scene(0)


def test_imbalance_accuracy_stays_high_while_recall_and_dice_collapse():
    demo = ImbalanceDemo(area=LESION_AREAS[0])
    rows = []
    for area in LESION_AREAS:
        demo.area = area
        s = lesion_scene(area)
        for model in ImbalanceDemo.MODELS:
            assert demo.scores[model] == pytest.approx(sm.confusion_counts(s[model], s["reference"]).metrics(),
                                                       nan_ok=True)
        rows.append((demo.scores["all_background"], demo.scores["timid"]))
        assert f'class="seglearn-lesion-pixels">{int(s["reference"].sum())}<' in demo.readout.value
    background = [r[0] for r in rows]
    timid = [r[1] for r in rows]
    assert all(b["recall"] == 0 and b["dice"] == 0 for b in background)
    accuracies = [b["accuracy"] for b in background]
    assert accuracies == sorted(accuracies) and accuracies[-1] > 0.998          # grows as the lesion shrinks
    assert [t["recall"] for t in timid] == sorted([t["recall"] for t in timid], reverse=True)
    assert timid[0]["dice"] > 0.9 and timid[-1]["dice"] == 0.0
    assert all(t["accuracy"] > 0.97 for t in timid)


def test_imbalance_validation():
    with pytest.raises(ValueError, match="area must be one of"):
        ImbalanceDemo(area=3.0)
    with pytest.raises(ValueError, match="show must be one of"):
        ImbalanceDemo(show="bold")


def test_threshold_explorer_counts_float32_maps_like_the_metrics():
    # A float32 0.7 is slightly above the float64 0.7: compared in float64 it would fall below the
    # slider's 0.70 and the widget would disagree with seglearn.metrics.
    import seglearn.metrics as sm
    from seglearn.widgets import ThresholdExplorer

    ref = np.zeros((16, 16), bool)
    ref[4:12, 4:12] = True
    prob = np.where(ref, 0.7, 0.1).astype(np.float32)
    ex = ThresholdExplorer(prob, ref)
    ex.threshold = 0.7
    assert ex.counts == sm.confusion_counts(prob, ref, threshold=0.7)
    assert ex.counts.tp == 64
