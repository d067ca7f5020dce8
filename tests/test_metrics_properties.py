"""Property tests (hypothesis) for the confusion-count core, the overlap and the multi-class metrics."""
from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, arrays

import seglearn.metrics as sm
from seglearn.metrics import confusion_counts

SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SHAPES = array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=9)


@st.composite
def mask_pairs(draw, shapes=SHAPES):
    shape = draw(shapes)
    pred = draw(arrays(bool, shape))
    ref = draw(arrays(bool, shape))
    return pred, ref


@st.composite
def label_pairs(draw, max_label=4):
    shape = draw(SHAPES)
    elements = st.integers(0, max_label)
    return draw(arrays(np.uint8, shape, elements=elements)), draw(arrays(np.uint8, shape, elements=elements))


RANGE_01 = ["dice", "iou", "precision", "recall", "specificity", "npv", "accuracy", "balanced_accuracy",
            "volume_similarity"]


@SETTINGS
@given(mask_pairs())
def test_counts_are_exact_ints_summing_to_size(pair):
    pred, ref = pair
    c = confusion_counts(pred, ref)
    assert all(type(v) is int and v >= 0 for v in (c.tp, c.fp, c.fn, c.tn))
    assert c.tp + c.fp + c.fn + c.tn == pred.size
    assert c.tp == int(np.sum(pred & ref)) and c.fp == int(np.sum(pred & ~ref)) and c.fn == int(np.sum(~pred & ref))


@SETTINGS
@given(mask_pairs())
def test_ranges_and_no_warnings(pair):
    pred, ref = pair
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        m = sm.overlap_metrics(pred, ref)
    for name in RANGE_01:
        assert math.isnan(m[name]) or 0.0 <= m[name] <= 1.0, name
    assert math.isnan(m["mcc"]) or -1.0 <= m["mcc"] <= 1.0


@SETTINGS
@given(mask_pairs())
def test_symmetries(pair):
    pred, ref = pair
    a, b = sm.overlap_metrics(pred, ref), sm.overlap_metrics(ref, pred)
    for name in ("dice", "iou", "accuracy", "mcc", "volume_similarity"):   # symmetric in (pred, ref)
        np.testing.assert_allclose(a[name], b[name], equal_nan=True)
    # swapping roles swaps precision <-> recall and specificity <-> NPV
    np.testing.assert_allclose(a["precision"], b["recall"], equal_nan=True)
    np.testing.assert_allclose(a["specificity"], b["npv"], equal_nan=True)


@SETTINGS
@given(mask_pairs())
def test_identities(pair):
    pred, ref = pair
    c = confusion_counts(pred, ref)
    d, j = c.dice(), c.iou()
    if math.isnan(d):
        assert math.isnan(j) and c.tp + c.fp + c.fn == 0
        return
    assert j == pytest.approx(d / (2 - d), abs=1e-12)                 # IoU = D / (2 - D)
    assert d == pytest.approx(2 * j / (1 + j), abs=1e-12)
    assert c.f_beta(1) == pytest.approx(d, abs=1e-12)                  # Dice = F1 = f_beta(1)
    p, r = c.precision(), c.recall()
    if not (math.isnan(p) or math.isnan(r)) and p + r > 0:
        assert d == pytest.approx(2 * p * r / (p + r), abs=1e-12)     # harmonic mean of P and R
    assert j <= d + 1e-15


@SETTINGS
@given(mask_pairs(), st.floats(0.1, 10))
def test_f_beta_lies_between_precision_and_recall(pair, beta):
    pred, ref = pair
    c = confusion_counts(pred, ref)
    p, r, f = c.precision(), c.recall(), c.f_beta(beta)
    assume(not (math.isnan(p) or math.isnan(r)))
    assert min(p, r) - 1e-12 <= f <= max(p, r) + 1e-12


@SETTINGS
@given(mask_pairs(shapes=array_shapes(min_dims=2, max_dims=3, min_side=1, max_side=8)), st.data())
def test_invariance_under_flips_and_transposes_of_both(pair, data):
    pred, ref = pair
    axis = data.draw(st.integers(0, pred.ndim - 1))
    perm = data.draw(st.permutations(range(pred.ndim)))
    expected = confusion_counts(pred, ref)
    assert confusion_counts(np.flip(pred, axis), np.flip(ref, axis)) == expected
    assert confusion_counts(np.transpose(pred, perm), np.transpose(ref, perm)) == expected


@SETTINGS
@given(mask_pairs())
def test_mcc_sign_follows_the_determinant(pair):
    pred, ref = pair
    c = confusion_counts(pred, ref)
    value = c.mcc()
    det = c.tp * c.tn - c.fp * c.fn
    if math.isnan(value):
        assert 0 in (c.tp + c.fp, c.tp + c.fn, c.tn + c.fp, c.tn + c.fn)
    else:
        assert np.sign(value) == np.sign(det)
    # a prediction equal to the reference is perfectly correlated (when defined)
    same = confusion_counts(ref, ref).mcc()
    assert math.isnan(same) or same == pytest.approx(1.0)


@SETTINGS
@given(mask_pairs())
def test_binary_equals_two_label_multiclass(pair):
    pred, ref = pair
    c = confusion_counts(pred, ref)
    assert sm.per_class_counts(pred, ref, labels=[0, 1])[1] == c
    assert sm.confusion_matrix(pred, ref, labels=[0, 1]).tolist() == c.matrix().tolist()
    np.testing.assert_allclose(sm.per_class("dice", pred, ref, labels=[0, 1])[1], c.dice(), equal_nan=True)


@SETTINGS
@given(st.integers(1, 4).flatmap(lambda n: st.tuples(
    arrays(bool, (n, 3, 4)), arrays(bool, (n, 3, 4)))))
def test_per_case_equals_a_loop_of_single_cases(pair):
    pred, ref = pair
    c = confusion_counts(pred, ref, per_case=True)
    for i in range(pred.shape[0]):
        assert c[i] == confusion_counts(pred[i], ref[i])
    np.testing.assert_allclose(sm.dice(pred, ref, per_case=True),
                               [sm.dice(pred[i], ref[i]) for i in range(pred.shape[0])], equal_nan=True)
    assert c.sum() == confusion_counts(pred, ref)


@SETTINGS
@given(label_pairs())
def test_confusion_matrix_properties(pair):
    pred, ref = pair
    cm = sm.confusion_matrix(pred, ref)
    labels = np.union1d(np.unique(pred), np.unique(ref))
    assert cm.shape == (labels.size, labels.size) and cm.dtype == np.int64
    assert cm.sum() == pred.size
    assert np.array_equal(cm.sum(axis=1), [np.sum(ref == k) for k in labels])   # rows: reference
    assert np.array_equal(cm.sum(axis=0), [np.sum(pred == k) for k in labels])   # columns: prediction
    assert np.array_equal(sm.confusion_matrix(ref, pred), cm.T)                  # swapping transposes
    assert np.trace(cm) == np.sum(pred == ref)


@SETTINGS
@given(label_pairs())
def test_per_class_counts_match_one_vs_rest_binary(pair):
    pred, ref = pair
    labels = np.union1d(np.unique(pred), np.unique(ref))
    counts = sm.per_class_counts(pred, ref)
    for i, k in enumerate(labels):
        assert counts[i] == confusion_counts(pred == k, ref == k)


@SETTINGS
@given(label_pairs(), st.sampled_from(["dice", "iou", "precision", "recall"]))
def test_macro_and_micro_averages(pair, metric):
    pred, ref = pair
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        values = sm.per_class(metric, pred, ref, include_background=True)
        macro = sm.per_class(metric, pred, ref, include_background=True, average="macro")
        micro = sm.per_class(metric, pred, ref, include_background=True, average="micro")
    defined = [v for v in values.values() if not math.isnan(v)]
    if defined:
        assert macro == pytest.approx(sum(defined) / len(defined))
    else:
        assert math.isnan(macro)
    # with the background included every pixel is counted once as TP or once as FP and FN, so
    # micro Dice = precision = recall = pixel accuracy, and micro IoU = acc / (2 - acc)
    acc = np.mean(pred == ref)
    assert micro == pytest.approx(acc / (2 - acc) if metric == "iou" else acc)
