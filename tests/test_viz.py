"""Tests of seglearn.viz: artists, colours and legend labels (never pixels)."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import to_hex  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

import seglearn.data as sd  # noqa: E402
import seglearn.viz as sv  # noqa: E402
from seglearn import palette  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


@pytest.fixture(scope="module")
def case():
    return sd.load_case("brain_tumour")


def _legend_texts(ax):
    return [t.get_text() for t in ax.get_legend().get_texts()]


def _legend_colours(ax):
    handles = ax.get_legend().legend_handles
    out = []
    for h in handles:
        colour = h.get_facecolor() if hasattr(h, "get_facecolor") and not hasattr(h, "get_xdata") else h.get_color()
        out.append(to_hex(colour).upper())
    return out


def _contour_colours(ax):
    cols = []
    for coll in ax.collections:
        for c in np.atleast_2d(coll.get_edgecolor()):
            cols.append(to_hex(c).upper())
    return cols


def test_confusion_overlay_colours_and_legend():
    ref = np.zeros((20, 20), bool)
    ref[5:12, 5:12] = True
    pred = np.roll(ref, 3, axis=1)
    ax = sv.show_confusion_overlay(np.full((20, 20), 0.5, np.float32), pred, ref, title="shift")
    assert _legend_texts(ax) == [palette.OUTCOME_LABELS[k] for k in ("tp", "fp", "fn")]
    assert _legend_colours(ax) == [palette.OUTCOME_COLORS[k].upper() for k in ("tp", "fp", "fn")]
    assert ax.get_title() == "shift"
    images = ax.get_images()
    assert len(images) == 2  # grey image + outcome overlay
    rgba = images[1].get_array()
    tp_rgb = np.array(palette.hex_to_rgb(palette.TP)) / 255
    fp_rgb = np.array(palette.hex_to_rgb(palette.FP)) / 255
    fn_rgb = np.array(palette.hex_to_rgb(palette.FN)) / 255
    assert np.allclose(rgba[6, 9, :3], tp_rgb)  # inside both
    assert np.allclose(rgba[6, 13, :3], fp_rgb)  # predicted only
    assert np.allclose(rgba[6, 6, :3], fn_rgb)  # reference only
    assert rgba[0, 0, 3] == 0  # TN transparent


def test_confusion_overlay_counts_from_metrics():
    ref = np.zeros((10, 10), bool)
    ref[2:6, 2:6] = True
    pred = np.zeros_like(ref)
    pred[2:6, 3:8] = True
    ax = sv.show_confusion_overlay(np.zeros((10, 10)), pred, ref, counts=True)
    assert _legend_texts(ax) == ["TP (found): 12 px", "FP (false alarm): 8 px", "FN (missed): 4 px"]


def test_confusion_overlay_rejects_bad_input():
    with pytest.raises(ValueError, match="same shape"):
        sv.show_confusion_overlay(np.zeros((5, 5)), np.zeros((5, 5), bool), np.zeros((4, 5), bool))
    with pytest.raises(ValueError, match="pred"):
        sv.show_confusion_overlay(np.zeros((5, 5)), np.full((5, 5), 0.5), np.zeros((5, 5), bool))


def test_show_case_outlines_use_palette(case):
    ax = sv.show_case(case, "over")
    assert _legend_texts(ax) == ["reference", "prediction"]
    colours = _contour_colours(ax)
    assert palette.REFERENCE.upper() in colours and palette.PREDICTION.upper() in colours
    assert ax.get_title().startswith("brain_tumour: over (Dice 0.")
    assert ax.get_images()[0].get_cmap().name == "gray"


def test_show_case_overlay_and_own_mask(case):
    mask = case.reference.copy()
    ax = sv.show_case(case, mask, mode="overlay")
    assert "your mask (Dice 1.00)" in ax.get_title()
    assert _legend_texts(ax)[0] == palette.OUTCOME_LABELS["tp"]
    ax = sv.show_case(sd.load_case("brain_healthy"), "good")
    assert "Dice undefined" in ax.get_title()
    ax = sv.show_case(case, None)
    assert _legend_texts(ax) == ["reference"]


def test_show_case_errors(case):
    with pytest.raises(ValueError, match="not one of this case's predictions"):
        sv.show_case(case, "perfect")
    with pytest.raises(ValueError, match="mode"):
        sv.show_case(case, "good", mode="fill")
    with pytest.raises(ValueError, match="shape"):
        sv.show_case(case, np.zeros((3, 3), bool))


def test_show_case_3d_picks_lesion_slice():
    vol = sd.load_case("brain_volume")
    ax = sv.show_case(vol, "good")
    k = int(np.argmax(vol.reference.sum(axis=(1, 2))))
    assert ax.get_title().endswith(f"slice {k}")
    ax = sv.show_case(vol, "good", slice_index=3)
    assert ax.get_title().endswith("slice 3")
    with pytest.raises(ValueError, match="slice_index"):
        sv.show_case(vol, "good", slice_index=99)


def test_show_raters(case):
    ax = sv.show_raters(case)
    assert _legend_texts(ax) == ["reference", "rater_a", "rater_b", "rater_c"]
    assert len(set(_legend_colours(ax))) == 4
    with pytest.raises(ValueError, match="no rater"):
        sv.show_raters(sd.load_case("brain_healthy"))


def test_draws_on_given_axes_and_never_shows(monkeypatch, case):
    import matplotlib.pyplot as plt

    monkeypatch.setattr(plt, "show", lambda *a, **k: pytest.fail("viz must not call plt.show()"))
    fig = Figure()
    ax = fig.add_subplot()
    assert sv.show_case(case, "good", ax=ax) is ax
    assert sv.plot_pr_curve([1, 0.5], [0.2, 0.9], ax=ax) is ax


def test_pr_curve_arrays_and_current():
    ax = sv.plot_pr_curve([1.0, 0.8, 0.4], [0.1, 0.5, 0.95], current=1, thresholds=[0.9, 0.5, 0.1], label="model")
    lines = ax.get_lines()
    assert np.allclose(lines[0].get_xdata(), [0.1, 0.5, 0.95])  # recall on x
    assert np.allclose(lines[0].get_ydata(), [1.0, 0.8, 0.4])
    assert (lines[1].get_xdata()[0], lines[1].get_ydata()[0]) == (0.5, 0.8)
    assert to_hex(lines[0].get_color()).upper() == palette.SERIES[0].upper()
    assert "threshold 0.50" in _legend_texts(ax)
    with pytest.raises(ValueError, match="same length"):
        sv.plot_pr_curve([1, 0.5], [0.2])
    with pytest.raises(ValueError, match="current"):
        sv.plot_pr_curve([1, 0.5], [0.2, 0.4], current=5)


def test_pr_curve_from_sweep_result(case):
    import seglearn.metrics as sm

    sweep = sm.threshold_sweep(case.probability, case.reference)
    ax = sv.plot_pr_curve(sweep, current=0)
    assert np.allclose(ax.get_lines()[0].get_xdata(), np.asarray(sweep.recall, float), equal_nan=True)
    ax = sv.plot_metric_vs_threshold(sweep, current=0.5)
    labels = [line.get_label() for line in ax.get_lines()]
    assert labels[:3] == ["precision", "recall", "dice"]


def test_metric_vs_threshold_arrays():
    t = np.linspace(0, 1, 11)
    ax = sv.plot_metric_vs_threshold(t, {"recall": 1 - t, "precision": t, "iou": t / 2}, current=0.3)
    lines = ax.get_lines()
    assert [line.get_label() for line in lines] == ["recall", "precision", "iou", "threshold 0.30"]
    assert to_hex(lines[0].get_color()).upper() == palette.SERIES[1].upper()
    assert all(to_hex(line.get_color()).upper() in {c.upper() for c in palette.SERIES} for line in lines[:3])
    with pytest.raises(ValueError, match="thresholds"):
        sv.plot_metric_vs_threshold(t, {"recall": t[:3]})


def test_strip_plot_shows_every_point_and_nan_count():
    values = {"model A": [0.9, 0.8, np.nan, 0.7], "model B": [0.5, 0.6]}
    ax = sv.strip_plot(values, ylabel="Dice")
    offsets = [c.get_offsets() for c in ax.collections if c.get_offsets().size and c.get_label() in values]
    assert [len(o) for o in offsets] == [3, 2]  # every finite value drawn
    assert np.allclose(sorted(offsets[0][:, 1]), [0.7, 0.8, 0.9])
    assert np.all(np.abs(offsets[0][:, 0]) <= 0.12)  # jitter stays inside its column
    ticks = [t.get_text() for t in ax.get_xticklabels()]
    assert ticks == ["model A\n(1 NaN)", "model B"]
    assert ax.get_ylabel() == "Dice"
    again = sv.strip_plot(values, ylabel="Dice")
    assert np.array_equal([c.get_offsets() for c in again.collections][0], offsets[0])  # seeded jitter
    with pytest.raises(TypeError, match="values_by_group"):
        sv.strip_plot([0.1, 0.2])
