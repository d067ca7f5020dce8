"""Threshold sweeps: agreement with confusion_counts, published reference, helpers, bad input."""
from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from seglearn.metrics import confusion_counts
from seglearn.metrics.sweep import SweepPoint, ThresholdSweep, threshold_sweep


# -- published reference -------------------------------------------------------------------------

def test_sklearn_precision_recall_curve_docstring_example():
    # scikit-learn, sklearn.metrics.precision_recall_curve, Examples section:
    #   y_true = [0, 0, 1, 1]; y_scores = [0.1, 0.4, 0.35, 0.8]
    #   precision -> [0.5, 0.66666667, 0.5, 1., 1.], recall -> [1., 1., 0.5, 0.5, 0.],
    #   thresholds -> [0.1, 0.35, 0.4, 0.8]
    # (sklearn appends the point precision 1, recall 0 with no threshold; we report only real thresholds.)
    sw = threshold_sweep([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])
    np.testing.assert_array_equal(sw.thresholds, [0.1, 0.35, 0.4, 0.8])
    np.testing.assert_allclose(sw.precision, [0.5, 2 / 3, 0.5, 1.0])
    np.testing.assert_array_equal(sw.recall, [1.0, 1.0, 0.5, 0.5])
    # sklearn.metrics.average_precision_score docstring, same data: 0.83...
    # = (0.5 - 0) * 1.0 + (1.0 - 0.5) * 2/3
    assert sw.average_precision() == pytest.approx(0.5 + 0.5 * 2 / 3)


# -- hand-worked ---------------------------------------------------------------------------------

def test_hand_worked_grid():
    prob = [[0.2, 0.6],
            [0.6, 0.9]]
    ref = [[0, 1],
           [0, 1]]            # positives score 0.6 and 0.9, negatives 0.2 and 0.6
    sw = threshold_sweep(prob, ref, [0.0, 0.5, 0.6, 0.7, 1.0])
    np.testing.assert_array_equal(sw.tp, [2, 2, 2, 1, 0])   # positives >= t
    np.testing.assert_array_equal(sw.fp, [2, 1, 1, 0, 0])   # negatives >= t (0.6 >= 0.6 counts)
    np.testing.assert_array_equal(sw.fn, [0, 0, 0, 1, 2])
    np.testing.assert_array_equal(sw.tn, [0, 1, 1, 2, 2])
    # t = 0.5: precision 2/3, recall 1, Dice 4/5, specificity 1/2, IoU 2/3
    assert (sw.precision[1], sw.recall[1], sw.dice[1], sw.specificity[1], sw.iou[1]) == pytest.approx(
        (2 / 3, 1.0, 0.8, 0.5, 2 / 3))
    # t = 1.0: nothing predicted -> precision 0/0 -> empty (NaN), Dice 0/(0+0+2) = 0
    assert math.isnan(sw.precision[4]) and sw.dice[4] == 0.0
    assert threshold_sweep(prob, ref, [1.0], empty=1.0).precision[0] == 1.0
    np.testing.assert_allclose(sw.f_beta(1), sw.dice)
    # F2 at t = 0.7: 5*1 / (5*1 + 4*1 + 0) = 5/9
    assert sw.f_beta(2)[3] == pytest.approx(5 / 9)
    assert len(sw) == 5


def test_thresholds_none_is_every_distinct_value():
    rng = np.random.default_rng(3)
    prob = rng.integers(0, 20, (16, 16)) / 20
    ref = rng.random((16, 16)) < 0.3
    sw = threshold_sweep(prob, ref)
    np.testing.assert_array_equal(sw.thresholds, np.unique(prob))
    assert sw.recall[0] == 1.0 and sw.fp[0] == (~ref).sum()     # lowest score: everything predicted
    assert sw.tp[-1] + sw.fp[-1] == (prob == prob.max()).sum()   # highest: only the maximum
    # keeps a user's order
    order = [0.9, 0.1, 0.5]
    np.testing.assert_array_equal(threshold_sweep(prob, ref, order).thresholds, order)


def test_integer_scores_and_float32_rounding_agree_with_confusion_counts():
    # float32 0.1 is 0.100000001...; prob >= 0.1 compares in float32 (as NumPy does), so it is True
    prob = np.array([0.1, 0.2, 0.3], dtype=np.float32)
    ref = np.array([1, 0, 1])
    # just above float32(0.3) in float64, but rounds to it in float32: float32 says 0.3 >= t
    above = float(np.float32(0.3)) + 1e-12
    t = [0.1, 0.2, 0.30000001, 0.3, above]
    sw = threshold_sweep(prob, ref, t)
    for k, tk in enumerate(t):
        c = confusion_counts(prob, ref, threshold=tk)
        assert (sw.tp[k], sw.fp[k], sw.fn[k], sw.tn[k]) == (c.tp, c.fp, c.fn, c.tn)
    assert sw.tp[-1] == 1 and sw.tp[0] == 2   # a float64 comparison would give tp 0 at `above`
    # float16: thresholds beyond its range (max 65504) round to +-inf like NumPy's cast, silently
    half = np.array([0.5, 1.0, 65504.0], dtype=np.float16)
    sw = threshold_sweep(half, [1, 0, 1], [1e6, -1e6, 65504.0, 65519.0, 65520.0])
    np.testing.assert_array_equal(sw.tp + sw.fp, [0, 3, 1, 1, 0])   # 65519 rounds to 65504, 65520 to inf
    scores = np.array([0, 128, 255, 255], dtype=np.uint8)   # uint8 scores, thresholds as floats
    sw = threshold_sweep(scores, [0, 1, 1, 0], [127.5, 128, 255])
    np.testing.assert_array_equal(sw.tp, [2, 2, 1])
    np.testing.assert_array_equal(sw.fp, [1, 1, 1])


# -- properties ----------------------------------------------------------------------------------

prob_arrays = st.one_of(
    arrays(np.float64, st.integers(1, 200), elements=st.floats(0, 1)),
    arrays(np.float32, st.integers(1, 200), elements=st.floats(0, 1, width=32)),
    arrays(np.float16, st.integers(1, 50), elements=st.floats(0, 1, width=16)),
    arrays(np.uint8, st.integers(1, 200)),
)


@settings(max_examples=120, deadline=None)
@given(st.data())
def test_agrees_with_confusion_counts_at_every_threshold(data):
    prob = data.draw(prob_arrays)
    ref = data.draw(arrays(bool, prob.shape))
    scale = 255.0 if prob.dtype == np.uint8 else 1.0
    from_values = [float(x) for x in data.draw(st.lists(st.sampled_from(prob.tolist()), max_size=5))]
    thresholds = data.draw(st.lists(st.floats(-0.1 * scale, 1.1 * scale), min_size=1, max_size=20)) + from_values
    for sw in (threshold_sweep(prob, ref, thresholds), threshold_sweep(prob, ref)):
        for k, t in enumerate(sw.thresholds.tolist()):
            c = confusion_counts(prob, ref, threshold=t)
            assert (sw.tp[k], sw.fp[k], sw.fn[k], sw.tn[k]) == (c.tp, c.fp, c.fn, c.tn)
            np.testing.assert_equal(sw.dice[k], c.dice())
            np.testing.assert_equal(sw.precision[k], c.precision())


@settings(max_examples=80, deadline=None)
@given(arrays(np.float64, st.integers(1, 300), elements=st.floats(0, 1)), st.data())
def test_monotone_in_threshold(prob, data):
    ref = data.draw(arrays(bool, prob.shape))
    thresholds = np.sort(data.draw(arrays(np.float64, st.integers(1, 30), elements=st.floats(-0.5, 1.5))))
    sw = threshold_sweep(prob, ref, thresholds)
    assert np.all(np.diff(sw.tp) <= 0) and np.all(np.diff(sw.fp) <= 0) and np.all(np.diff(sw.fn) >= 0)
    assert np.all((sw.tp + sw.fp + sw.fn + sw.tn) == prob.size)
    if ref.any():
        assert np.all(np.diff(sw.recall) <= 0)          # recall never increases with the threshold
    else:
        assert np.isnan(sw.recall).all()
    assert np.all(np.diff(sw.specificity[~np.isnan(sw.specificity)]) >= 0)


# -- helpers -------------------------------------------------------------------------------------

def test_best_ties_go_to_the_highest_threshold_and_nan_is_skipped():
    prob, ref = [0.2, 0.4, 0.9], [0, 0, 1]
    sw = threshold_sweep(prob, ref, [0.3, 0.5, 0.9, 0.95])
    # Dice: t=0.3 -> 2/(2+1) ; t=0.5 and t=0.9 -> 1 (tie) ; t=0.95 -> 0
    b = sw.best()
    assert isinstance(b, SweepPoint)
    assert (b.threshold, b.index, b.value, b.metric) == (0.9, 2, 1.0, "dice")
    assert (b.counts.tp, b.counts.fp, b.counts.fn, b.counts.tn) == (1, 0, 0, 2)
    # precision is NaN at 0.95 (nothing predicted): skipped
    assert sw.best("precision").threshold == 0.9
    assert sw.best("f_beta", beta=2).threshold == 0.9
    assert repr(b).startswith("SweepPoint(threshold=0.9, precision=1, recall=1, dice=1, specificity=1, ")
    assert "f_beta=1; " in repr(sw.best("f_beta", beta=2))


def test_threshold_for_recall_and_its_limits():
    sw = threshold_sweep([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])
    assert sw.threshold_for_recall(0.5).threshold == 0.8    # recall 0.5 already at the highest threshold
    assert sw.threshold_for_recall(0.75).threshold == 0.35  # recall 1 at 0.35 and 0.1: the higher one
    assert sw.threshold_for_recall(1.0).threshold == 0.35
    # Precision is not monotone: positives 0.5, 0.3 x4; negatives 0.6, 0.4.
    # recall >= 0.2 first at t = 0.5 (TP 1, FP 1: precision 0.5), yet t = 0.3 gives TP 5, FP 2: 5/7.
    sw = threshold_sweep([0.5, 0.3, 0.3, 0.3, 0.3, 0.6, 0.4], [1, 1, 1, 1, 1, 0, 0])
    p = sw.threshold_for_recall(0.2)
    assert (p.threshold, p.precision) == (0.5, 0.5)
    q = sw.best("precision", min_recall=0.2)
    assert q.threshold == 0.3 and q.precision == pytest.approx(5 / 7)
    grid = threshold_sweep([0.1, 0.9], [1, 1], [0.5, 0.95])
    with pytest.raises(ValueError, match=r"no threshold reaches recall >= 0.9: the highest recall .* is 0.5 "
                                         r"at threshold 0.5; add lower thresholds"):
        grid.threshold_for_recall(0.9)
    with pytest.raises(ValueError, match=r"recall is undefined at every threshold: ref has no foreground"):
        threshold_sweep([0.1, 0.9], [0, 0]).threshold_for_recall(0.5)
    with pytest.raises(ValueError, match=r"target must be a number in \[0, 1\], got 1.5"):
        sw.threshold_for_recall(1.5)


def test_average_precision_matches_sklearn_definition_on_random_data():
    # step-wise AP written out independently (sklearn's definition): sort by score descending,
    # precision and recall at each distinct score, sum of recall increments times precision.
    rng = np.random.default_rng(7)
    prob = rng.integers(0, 30, 500) / 30
    ref = rng.random(500) < 0.2
    sw = threshold_sweep(prob, ref)
    ap = 0.0
    last_recall = 0.0
    for t in np.unique(prob)[::-1]:
        pred = prob >= t
        tp = np.sum(pred & ref)
        recall, precision = tp / ref.sum(), tp / pred.sum()
        ap += (recall - last_recall) * precision
        last_recall = recall
    assert sw.average_precision() == pytest.approx(ap)
    assert math.isnan(threshold_sweep([0.2, 0.4], [0, 0]).average_precision())


def test_result_is_immutable_and_reads_well():
    sw = threshold_sweep([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])
    assert isinstance(sw, ThresholdSweep)
    with pytest.raises(dataclasses.FrozenInstanceError):
        sw.thresholds = np.zeros(4)  # type: ignore[misc]
    for name in ("thresholds", "precision", "recall", "dice", "specificity", "iou", "tp", "fp", "fn", "tn"):
        with pytest.raises(ValueError, match="read-only"):
            getattr(sw, name)[0] = 0
    assert "4 thresholds in [0.1, 0.8]" in repr(sw) and "best Dice 0.8 at threshold 0.35" in repr(sw)
    md = sw.to_markdown()
    assert md.count("\n") == 5 and "| 0.35 | 2 | 1 | 0 | 0.667 | 1.000 | 0.800 | 0.500 |" in md
    assert set(sw.as_dict()) >= {"threshold", "tp", "precision", "recall", "dice"}
    np.testing.assert_array_equal(sw.metric("mcc"), sw.counts.mcc())


# -- bad input -----------------------------------------------------------------------------------

def test_bad_input_messages():
    ref = np.array([0, 1, 1])
    prob = np.array([0.1, 0.5, 0.9])
    with pytest.raises(TypeError, match=r"prob is a boolean mask; threshold_sweep needs a probability"):
        threshold_sweep(ref.astype(bool), ref)
    with pytest.raises(ValueError, match=r"prob contains 1 NaN and 0 infinite values"):
        threshold_sweep([0.1, np.nan, 0.3], ref)
    with pytest.raises(ValueError, match=r"prob and ref must have the same shape"):
        threshold_sweep(prob, [0, 1])
    with pytest.raises(ValueError, match=r"ref must be a binary mask"):
        threshold_sweep(prob, [0, 2, 1])
    with pytest.raises(TypeError, match=r"prob must be a numeric array"):
        threshold_sweep(["a", "b", "c"], ref)
    with pytest.raises(ValueError, match=r"prob must not be empty"):
        threshold_sweep([], [])
    with pytest.raises(ValueError, match=r"thresholds must be 1-D, got an array of shape \(2, 2\)"):
        threshold_sweep(prob, ref, [[0.1, 0.2], [0.3, 0.4]])
    with pytest.raises(ValueError, match=r"thresholds must be a 1-D sequence .* use confusion_counts"):
        threshold_sweep(prob, ref, 0.5)
    with pytest.raises(ValueError, match=r"thresholds contains 0 NaN and 1 infinite values"):
        threshold_sweep(prob, ref, [0.1, np.inf])
    with pytest.raises(TypeError, match=r"thresholds must be a numeric array"):
        threshold_sweep(prob, ref, ["low", "high"])
    with pytest.raises(ValueError, match=r"thresholds must not be empty"):
        threshold_sweep(prob, ref, [])
    with pytest.raises(TypeError, match=r"empty must be a number or NaN"):
        threshold_sweep(prob, ref, empty="zero")
    sw = threshold_sweep(prob, ref)
    with pytest.raises(ValueError, match=r"metric must be one of"):
        sw.best("auc")
    with pytest.raises(ValueError, match=r"metric='f_beta' needs beta="):
        sw.best("f_beta")
    with pytest.raises(ValueError, match=r"beta= only applies to metric='f_beta'"):
        sw.metric("dice", beta=2)
    with pytest.raises(ValueError, match=r"min_recall must be a number in \[0, 1\]"):
        sw.best(min_recall=2)
    with pytest.raises(ValueError, match=r"no threshold has a defined precision \(ref has 0 foreground"):
        threshold_sweep(prob, [0, 0, 0], [1.5]).best("precision")
