"""Published reference values, each with its source.

Sources
-------
[MR]  Metrics Reloaded reference tests, Project-MONAI/MetricsReloaded,
      ``test/test_metrics/test_pairwise_measures.py`` (fixtures transcribe figures of Reinke et al.
      and of Maier-Hein et al., "Metrics reloaded", Nat Methods 21:195-212, 2024). Their expected
      values are given to 2-4 decimals; we assert the same tolerance *and* the exact fraction.
[PIT] Reinke et al., "Understanding metric-related pitfalls in image analysis validation",
      Nat Methods 21:182-194 (2024), doi:10.1038/s41592-023-02150-0 - the size-sensitivity
      example ("small size of structures relative to pixel size"), as transcribed in [MR].
[SK]  scikit-learn, ``sklearn.metrics.confusion_matrix`` docstring examples.
"""
from __future__ import annotations

import numpy as np
import pytest

import seglearn.metrics as sm

# --- [MR] fixtures, transcribed as published ------------------------------------------------

# Figure 10 for distance metrics [MR]: a 5x5 square, the prediction adds a one-pixel-wide cross.
p_ref = np.zeros([11, 11])
p_ref[3:8, 3:8] = 1
p_pred = np.zeros([11, 11])
p_pred[3:8, 3:8] = 1
p_pred[5, 1:10] = 1
p_pred[1:10, 5] = 1

# "Small size of structures relative to pixel/voxel size (DSC)", larger structure [MR, PIT]
p_large_ref = np.zeros((11, 11))
p_large_ref[2:5, 2:9] = 1
p_large_ref[5:9, 2:6] = 1
p_large_pred1 = p_large_ref.copy()
p_large_pred1[8, 2] = 0
p_large_pred2 = p_large_ref.copy()
p_large_pred2[7:9, 2] = 0

# Figure 27a [MR]
f27_ref1 = np.concatenate([np.ones([70]), np.zeros([1])])
f27_pred1 = np.concatenate([np.ones([40]), np.zeros([30]), np.ones([1])])

# Figure SN 2.9 of the pitfalls paper [MR, PIT]: same sensitivity/specificity, different prevalence
pred29_1 = np.concatenate([np.ones([45]), np.zeros([5]), np.ones([10]), np.zeros([40])])
ref29_1 = np.concatenate([np.ones([50]), np.zeros([50])])
pred29_2 = np.concatenate([np.ones([81]), np.zeros([9]), np.ones([2]), np.zeros([8])])
ref29_2 = np.concatenate([np.ones([90]), np.zeros([10])])

# Figure 38 [MR]
f38_pred = np.concatenate([np.ones([1499]), np.zeros([501])])
f38_ref = np.concatenate([np.ones([1999]), np.zeros([1])])


def test_mr_dsc_and_iou_figure_10():
    # [MR] test_dsc_fbeta: expected_dsc = 0.862 (atol 0.001); test_iou: expected_iou = 0.76 (atol 0.01)
    # TP = 25 (the square), FP = 8 (the four arms of the cross outside it, 2 pixels each), FN = 0
    assert sm.dice(p_pred, p_ref) == pytest.approx(0.862, abs=0.001)
    assert sm.dice(p_pred, p_ref) == pytest.approx(50 / 58)          # 2*25 / (50 + 8)
    assert sm.f_beta(p_pred, p_ref, 1) == pytest.approx(0.862, abs=0.001)
    assert sm.iou(p_pred, p_ref) == pytest.approx(0.76, abs=0.01)
    assert sm.iou(p_pred, p_ref) == pytest.approx(25 / 33)


def test_pitfalls_size_sensitivity_larger_structure():
    # [MR] test_fbeta (fixture "Small size of structures ... (DSC)" from [PIT]): expected 0.986, atol 0.001.
    # The structure has 3*7 + 4*4 = 37 pixels; prediction 1 misses one: 2*36 / (36 + 37) = 72/73.
    assert sm.dice(p_large_pred1, p_large_ref) == pytest.approx(0.986, abs=0.001)
    assert sm.dice(p_large_pred1, p_large_ref) == pytest.approx(72 / 73)
    # Prediction 2 misses two pixels: 2*35 / (35 + 37) = 70/72 (our arithmetic on the [MR] fixture).
    assert sm.dice(p_large_pred2, p_large_ref) == pytest.approx(70 / 72)


def test_pitfalls_size_sensitivity_same_error_costs_a_small_structure_more():
    # [PIT]'s point, on the [MR] fixture: the *same* one-pixel miss costs a smaller structure far more.
    # Our own small structure (a 2x2 square; not a published number): 2*3 / (3 + 4) = 6/7.
    small_ref = np.zeros((11, 11))
    small_ref[4:6, 4:6] = 1
    small_pred = small_ref.copy()
    small_pred[5, 5] = 0
    large_loss = 1 - sm.dice(p_large_pred1, p_large_ref)   # 1/73
    small_loss = 1 - sm.dice(small_pred, small_ref)        # 1/7
    assert small_loss == pytest.approx(1 / 7) and large_loss == pytest.approx(1 / 73)
    assert small_loss > 10 * large_loss


def test_mr_sensitivity_figure_27a():
    # [MR] test_sens: expected 0.57 (atol 0.01). TP = 40, FN = 30: 40/70.
    assert sm.recall(f27_pred1, f27_ref1) == pytest.approx(0.57, abs=0.01)
    assert sm.recall(f27_pred1, f27_ref1) == pytest.approx(40 / 70)


def test_mr_ppv_prevalence_figure_sn_2_9():
    # [MR] test_ppv: expected 0.82 and 0.98 (atol 0.01). Case 1: TP 45, FP 10 -> 45/55.
    # Case 2: TP 81, FP 2 -> 81/83. Same sensitivity (0.9) and specificity (0.8), different prevalence.
    assert sm.precision(pred29_1, ref29_1) == pytest.approx(0.82, abs=0.01)
    assert sm.precision(pred29_2, ref29_2) == pytest.approx(0.98, abs=0.01)
    assert sm.precision(pred29_1, ref29_1) == pytest.approx(45 / 55)
    assert sm.precision(pred29_2, ref29_2) == pytest.approx(81 / 83)
    for p, r in ((pred29_1, ref29_1), (pred29_2, ref29_2)):
        assert sm.recall(p, r) == pytest.approx(0.9) and sm.specificity(p, r) == pytest.approx(0.8)


def test_mr_npv():
    # [MR] test_negative_predictive_value (f17 = the SN 2.9 case 1 data): expected 0.889 (atol 0.001).
    # TN = 40, FN = 5: 40/45.
    assert sm.npv(pred29_1, ref29_1) == pytest.approx(0.889, abs=0.001)
    assert sm.npv(pred29_1, ref29_1) == pytest.approx(40 / 45)


def test_mr_accuracy_figure_sn_2_11():
    # [MR] test_accuracy (pitfalls SN 2.11): both expected 0.286 (atol 0.001).
    ref1 = np.concatenate([np.ones([30]), np.zeros([75])])
    pred1 = np.ones([105])
    ref2 = np.concatenate([np.ones([35]), np.zeros([70])])
    pred2 = np.concatenate([np.ones([20]), np.zeros([15]), np.ones([60]), np.zeros([10])])
    # case 1: TP 30, TN 0 -> 30/105; case 2: TP 20, TN 10 -> 30/105
    assert sm.accuracy(pred1, ref1) == pytest.approx(0.286, abs=0.001)
    assert sm.accuracy(pred2, ref2) == pytest.approx(0.286, abs=0.001)
    assert sm.accuracy(pred1, ref1) == sm.accuracy(pred2, ref2) == pytest.approx(30 / 105)


def test_mr_mcc_and_balanced_accuracy_figure_38():
    # [MR] test_matthews_correlation_coefficient: expected 0.0386 (atol 0.001);
    # test_balanced_accuracy2: expected 0.87 (atol 0.01).
    # TP 1499, FN 500, FP 0, TN 1: MCC = (1499*1 - 0) / sqrt(1499 * 1999 * 1 * 501);
    # BA = (1499/1999 + 1/1) / 2
    assert sm.mcc(f38_pred, f38_ref) == pytest.approx(0.0386, abs=0.001)
    assert sm.mcc(f38_pred, f38_ref) == pytest.approx(1499 / np.sqrt(1499 * 1999 * 1 * 501))
    assert sm.balanced_accuracy(f38_pred, f38_ref) == pytest.approx(0.87, abs=0.01)
    assert sm.balanced_accuracy(f38_pred, f38_ref) == pytest.approx((1499 / 1999 + 1) / 2)


def test_mr_volume_difference():
    # [MR] test_voldiff: absolute volume difference ratio 0 for two 2x2 squares in different places.
    # Our volume_similarity (1 - |FN - FP| / (2TP + FP + FN)) is 1 exactly when the volumes are equal.
    ref = np.zeros([14, 14])
    pred = np.zeros([14, 14])
    ref[2:4, 2:4] = 1
    pred[3:5, 3:5] = 1
    assert sm.volume_similarity(pred, ref) == 1.0
    assert sm.dice(pred, ref) == pytest.approx(2 / 8)   # they overlap in one pixel


def test_mr_confusion_matrix_is_our_transpose():
    # [MR] test_confusion_matrix ("Taking Figure SN3.39 as inspiration"): expected [[4, 11], [6, 9]].
    # MR's MultiClassPairwiseMeasures puts the *prediction* on the rows; seglearn follows scikit-learn
    # (rows = reference), so our matrix is MR's transposed. TP 9, FP 6, FN 11, TN 4.
    mask_ref = np.zeros([5, 6])
    mask_ref[0:5, 0:4] = 1
    mask_pred = np.zeros([5, 6])
    mask_pred[1:4, 1:6] = 1
    mr_expected = np.asarray([[4, 11], [6, 9]])
    cm = sm.confusion_matrix(mask_pred.ravel(), mask_ref.ravel(), labels=[0, 1])
    assert cm.tolist() == mr_expected.T.tolist()
    c = sm.confusion_counts(mask_pred, mask_ref)
    assert (c.tp, c.fp, c.fn, c.tn) == (9, 6, 11, 4)


def test_mr_empty_reference_convention_differs():
    # [MR] test_empty_reference: pred = ref = [0] gives fbeta == 1 (with a warning) and
    # sensitivity NaN. seglearn returns NaN for both by default (no warning); empty=1.0 reproduces MR's F-beta.
    assert np.isnan(sm.f_beta([0], [0], 1)) and np.isnan(sm.recall([0], [0]))
    assert sm.f_beta([0], [0], 1, empty=1.0) == 1.0


# --- [SK] scikit-learn confusion_matrix docstring --------------------------------------------

def test_sklearn_confusion_matrix_examples():
    # >>> y_true = [2, 0, 2, 2, 0, 1]; y_pred = [0, 0, 2, 2, 0, 2]
    # >>> confusion_matrix(y_true, y_pred) -> [[2, 0, 0], [0, 0, 1], [1, 0, 2]]
    y_true = [2, 0, 2, 2, 0, 1]
    y_pred = [0, 0, 2, 2, 0, 2]
    assert sm.confusion_matrix(y_pred, y_true).tolist() == [[2, 0, 0], [0, 0, 1], [1, 0, 2]]
    # The string example with labels=["ant", "bird", "cat"] gives the same matrix; with
    # ant=0, bird=1, cat=2: y_true = [cat, ant, cat, cat, ant, bird], y_pred = [ant, ant, cat, cat, ant, cat]
    ant, bird, cat = 0, 1, 2
    y_true = [cat, ant, cat, cat, ant, bird]
    y_pred = [ant, ant, cat, cat, ant, cat]
    assert sm.confusion_matrix(y_pred, y_true, labels=[ant, bird, cat]).tolist() == [[2, 0, 0], [0, 0, 1], [1, 0, 2]]


def test_sklearn_binary_ravel_example():
    # >>> tn, fp, fn, tp = confusion_matrix([0, 1, 0, 1], [1, 1, 1, 0]).ravel()  -> (0, 2, 1, 1)
    # (y_true first in scikit-learn; seglearn takes pred first)
    y_true, y_pred = [0, 1, 0, 1], [1, 1, 1, 0]
    tn, fp, fn, tp = sm.confusion_matrix(y_pred, y_true).ravel().tolist()
    assert (tn, fp, fn, tp) == (0, 2, 1, 1)
    c = sm.confusion_counts(y_pred, y_true)
    assert (c.tn, c.fp, c.fn, c.tp) == (0, 2, 1, 1)
