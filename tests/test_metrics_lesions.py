"""Lesion-wise detection: hand-worked examples, published references, properties, bad input."""
from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy import ndimage

from seglearn.metrics import dice
from seglearn.metrics.lesions import LesionDetection, lesion_detection


def one_big_three_small() -> tuple[np.ndarray, np.ndarray]:
    ref = np.zeros((40, 40), bool)
    ref[5:25, 5:25] = True                          # lesion 1: 20*20 = 400 voxels
    ref[30, 5] = ref[30, 15] = ref[30, 25] = True   # lesions 2-4: 1 voxel each
    pred = np.zeros_like(ref)
    pred[5:25, 5:25] = True                         # finds the big lesion exactly
    return pred, ref


# -- the teaching example ------------------------------------------------------------------------

def test_one_large_found_three_small_missed_voxel_dice_high_lesion_recall_quarter():
    pred, ref = one_big_three_small()
    res = lesion_detection(pred, ref)
    # voxels: TP 400, FP 0, FN 3 -> Dice 800 / 803 = 0.99626...
    assert res.voxel_dice == pytest.approx(800 / 803)
    assert res.voxel_dice > 0.99
    # lesions: 1 of 4 found, no false detection
    assert (res.tp, res.fn, res.fp, res.n_ref, res.n_pred) == (1, 3, 0, 4, 1)
    assert res.recall == 0.25
    assert res.precision == 1.0
    assert res.f1 == pytest.approx(2 * 0.25 * 1.0 / 1.25)   # = 0.4
    assert [r["detected"] for r in res.table] == [True, False, False, False]
    assert [r["size"] for r in res.table] == [400, 1, 1, 1]
    assert res.table[0]["dice"] == 1.0 and res.table[1]["dice"] == 0.0


def test_result_reads_well():
    pred, ref = one_big_three_small()
    res = lesion_detection(pred, ref)
    text = repr(res)
    assert "lesion recall 0.25" in text and "voxel Dice 0.996" in text
    assert "connectivity 2 (8 neighbours in 2-D)" in text
    md = res.to_markdown()
    assert md.count("**no**") == 3 and "| 1 | 400 |" in md
    html = res._repr_html_()
    assert "<table>" in html and html.count("<tr") == 5   # header + 4 lesions
    assert isinstance(res, LesionDetection)


# -- hand-worked examples ------------------------------------------------------------------------

def test_connectivity_diagonal_neighbours():
    ref = np.array([[1, 0, 0],
                    [0, 1, 0],
                    [0, 0, 0]])
    pred = np.zeros((3, 3), int)
    # full (8-) connectivity: the two diagonal voxels are one lesion; face (4-): two lesions
    assert lesion_detection(pred, ref).n_ref == 1
    assert lesion_detection(pred, ref, connectivity=1).n_ref == 2
    # 3-D: two voxels touching at a corner are one lesion only with connectivity 3 (26 neighbours)
    vol = np.zeros((2, 2, 2), bool)
    vol[0, 0, 0] = vol[1, 1, 1] = True
    assert [lesion_detection(vol, vol, connectivity=k).n_ref for k in (1, 2, 3)] == [2, 2, 1]
    assert lesion_detection(vol, vol).connectivity == 3


def test_merged_prediction_one_to_one_vs_many_to_many():
    ref = np.zeros((5, 12), bool)
    ref[1:4, 1:4] = True      # lesion 1: 9 voxels
    ref[1:4, 7:9] = True      # lesion 2: 6 voxels
    pred = np.zeros_like(ref)
    pred[1:4, 1:9] = True     # one component of 24 voxels covering both
    # IoU(lesion 1, pred) = 9/24, IoU(lesion 2, pred) = 6/24 -> one-to-one picks lesion 1
    one = lesion_detection(pred, ref)
    assert (one.tp, one.fn, one.fp) == (1, 1, 0)
    assert [r.detected for r in one.lesions] == [True, False]
    assert one.lesions[0].score == pytest.approx(9 / 24)
    assert one.lesions[0].dice == pytest.approx(2 * 9 / (9 + 24))
    assert one.lesions[1].covered == 1.0          # fully covered, yet not matched
    assert one.recall == 0.5 and one.precision == 1.0
    # many-to-many (WMH): the component detects both lesions and is counted once as correct
    many = lesion_detection(pred, ref, matching="many-to-many")
    assert (many.tp, many.fn, many.fp) == (2, 0, 0)
    assert many.recall == 1.0 and many.precision == 1.0 and many.f1 == 1.0
    assert many.components[0].matched == (1, 2)


def test_split_lesion_one_to_one_leaves_a_false_positive():
    ref = np.zeros((5, 12), bool)
    ref[1:4, 1:11] = True     # one lesion, 30 voxels
    pred = np.zeros_like(ref)
    pred[1:4, 1:5] = True     # fragment A: 12 voxels, IoU 12/30
    pred[1:4, 7:11] = True    # fragment B: 12 voxels, IoU 12/30 (tie: larger overlap tie too -> label order)
    one = lesion_detection(pred, ref)
    assert (one.tp, one.fn, one.fp) == (1, 0, 1)
    assert one.lesions[0].matched == (1,)         # tie broken towards the smaller label
    assert [c.false_positive for c in one.components] == [False, True]
    assert one.components[1].overlap == 12        # a false positive that does overlap the lesion
    assert one.precision == 0.5 and one.f1 == pytest.approx(2 / 3)   # 2*1 / (2*1 + 1 + 0)
    many = lesion_detection(pred, ref, matching="many-to-many")
    assert (many.tp, many.fn, many.fp) == (1, 0, 0)
    # Dice with the union of both fragments: 2*24 / (30 + 24)
    assert many.lesions[0].dice == pytest.approx(48 / 54)


def test_min_overlap_iou_vs_coverage():
    ref = np.zeros((6, 12), bool)
    ref[1, 1:11] = True       # lesion: 10 voxels
    pred = np.zeros((6, 12), bool)
    pred[1, 1:5] = True       # covers 4 lesion voxels ...
    pred[2:4, 2:5] = True     # ... plus 6 voxels outside, one component of 10
    # IoU = 4 / (10 + 10 - 4) = 0.25, coverage = 4 / 10 = 0.4
    iou = lesion_detection(pred, ref, min_overlap=0.3)
    cov = lesion_detection(pred, ref, min_overlap=0.3, criterion="coverage")
    assert (iou.tp, iou.fn, iou.fp) == (0, 1, 1)
    assert (cov.tp, cov.fn, cov.fp) == (1, 0, 0)
    assert cov.lesions[0].score == pytest.approx(0.4)
    assert lesion_detection(pred, ref, min_overlap=0.25).tp == 1    # >= is inclusive
    assert lesion_detection(pred, ref).lesions[0].score == pytest.approx(0.25)


def test_table_sizes_volumes_centroids_with_spacing():
    ref = np.zeros((8, 8), bool)
    ref[1:3, 1:5] = True      # 2x4 = 8 voxels, centre (1.5, 2.5)
    pred = np.zeros_like(ref)
    pred[1:3, 1:4] = True     # 6 voxels inside the lesion
    pred[6, 6] = True         # a 1-voxel false positive at (6, 6)
    res = lesion_detection(pred, ref, spacing=(0.5, 2.0))   # voxel volume 1.0 mm^2
    row = res.table[0]
    assert row["size"] == 8 and row["volume"] == 8.0 and row["centroid"] == (1.5, 2.5)
    assert row["dice"] == pytest.approx(12 / 14)             # 2*6 / (8 + 6)
    res2 = lesion_detection(pred, ref, spacing=0.5)          # voxel volume 0.25
    assert res2.table[0]["volume"] == 2.0
    fp = res.false_positive_table
    assert len(fp) == 1 and fp[0]["size"] == 1 and fp[0]["centroid"] == (6.0, 6.0) and fp[0]["overlap"] == 0


def test_empty_policies():
    z = np.zeros((4, 4), bool)
    blob = z.copy()
    blob[1:3, 1:3] = True
    both_empty = lesion_detection(z, z)
    assert (both_empty.tp, both_empty.fp, both_empty.fn) == (0, 0, 0)
    assert all(math.isnan(x) for x in (both_empty.recall, both_empty.precision, both_empty.f1))
    ones = lesion_detection(z, z, empty=1.0)
    assert (ones.recall, ones.precision, ones.f1) == (1.0, 1.0, 1.0)
    only_pred = lesion_detection(blob, z)        # a detection where there is no lesion
    assert math.isnan(only_pred.recall) and only_pred.precision == 0.0 and only_pred.f1 == 0.0
    only_ref = lesion_detection(z, blob)         # a lesion, nothing predicted
    assert only_ref.recall == 0.0 and math.isnan(only_ref.precision) and only_ref.f1 == 0.0
    assert only_ref.table[0]["dice"] == 0.0


def test_min_size_ignores_specks_on_both_sides():
    ref = np.zeros((10, 10), bool)
    ref[1:4, 1:4] = True      # lesion: 9 voxels
    ref[8, 1] = True          # 1-voxel lesion
    pred = np.zeros_like(ref)
    pred[1:4, 1:4] = True
    pred[8, 8] = True         # 1-voxel false positive
    pred[6, 5:7] = True       # 2-voxel false positive
    res = lesion_detection(pred, ref)
    assert (res.n_ref, res.n_pred, res.tp, res.fn, res.fp) == (2, 3, 1, 1, 2)
    big = lesion_detection(pred, ref, min_size=2)
    assert (big.n_ref, big.n_pred, big.tp, big.fn, big.fp) == (1, 2, 1, 0, 1)
    assert big.false_positives[0].size == 2 and big.pred_labels[8, 8] == 0
    assert big.voxel_counts == res.voxel_counts         # voxel counts see every voxel
    assert "components under 2 voxels ignored" in repr(big)
    assert lesion_detection(pred, ref, min_size=10).n_ref == 0


def test_probability_map_with_threshold():
    prob = np.zeros((5, 5))
    prob[1:3, 1:3] = 0.7
    ref = prob > 0
    assert lesion_detection(prob, ref, threshold=0.5).tp == 1
    assert lesion_detection(prob, ref, threshold=0.8).tp == 0


def test_result_is_immutable():
    pred, ref = one_big_three_small()
    res = lesion_detection(pred, ref)
    with pytest.raises(dataclasses.FrozenInstanceError):
        res.tp = 4  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        res.lesions[0].detected = False  # type: ignore[misc]
    with pytest.raises(ValueError, match="read-only"):
        res.ref_labels[0, 0] = 9


# -- published references ------------------------------------------------------------------------

def _pitfalls_fig_3_51() -> tuple[np.ndarray, np.ndarray]:
    """Instance masks of Metrics Reloaded's test fixture for Pitfalls Fig. 3.51 (panoptic quality),
    MetricsReloaded test/test_utility/test_assignment_localization.py (pq_ref*, pq_pred*)."""
    pred = np.zeros((18, 18), bool)
    pred[3:7, 1:3] = True
    pred[3:6, 3:7] = True
    pred[13:16, 4:6] = True
    pred[7:12, 13:17] = True
    pred[13:15, 13:17] = True
    pred[15, 15] = True
    ref = np.zeros((18, 18), bool)
    ref[2:7, 1:3] = True
    ref[2:5, 3:6] = True
    ref[6:12, 12:17] = True
    ref[14:15, 7:10] = True
    ref[13:16, 8:9] = True
    return pred, ref


def test_metrics_reloaded_pitfalls_fig_3_51_instances():
    pred, ref = _pitfalls_fig_3_51()
    res = lesion_detection(pred, ref, criterion="iou", min_overlap=0.5)
    # ref 1 (19 voxels) vs pred 1 (20 voxels): overlap 8 + 6 = 14 -> IoU 14/25 = 0.56, Dice 28/39
    # ref 2 (30 voxels) contains pred 2 (20 voxels): IoU 20/30, Dice 40/50
    # ref 3 (cross, 5 voxels) is missed; pred 3 (6 voxels) and pred 4 (9 voxels) overlap nothing
    assert (res.n_ref, res.n_pred, res.tp, res.fp, res.fn) == (3, 4, 2, 2, 1)
    assert [r.score for r in res.lesions] == pytest.approx([14 / 25, 20 / 30, 0.0])
    assert [r.dice for r in res.lesions] == pytest.approx([28 / 39, 0.8, 0.0])
    assert [c.size for c in res.components] == [20, 20, 6, 9]
    assert res.recall == pytest.approx(2 / 3) and res.precision == 0.5
    assert res.f1 == pytest.approx(4 / 7)        # 2*2 / (2*2 + 2 + 1)


def _wmh_challenge_detection(pred: np.ndarray, ref: np.ndarray) -> tuple[float, float, float]:
    """NumPy transcription of getLesionDetection in the WMH challenge's evaluation.py
    (github.com/hjkuijf/wmhchallenge; Kuijf et al., IEEE TMI 2019): fully connected components,
    recall = detected lesions / lesions, precision = detections touching a lesion / detections,
    both 1.0 when undefined, F1 = harmonic mean (0 when both are 0). The original counts labels
    as ``len(np.unique(x)) - 1``, which assumes a background voxel is present (it miscounts an
    image that is all lesion); we count the non-zero labels, which is what it means."""
    full = ndimage.generate_binary_structure(ref.ndim, ref.ndim)

    def n_labels(x: np.ndarray) -> int:
        return len(np.unique(x[x > 0]))

    cc_ref, n_ref = ndimage.label(ref, full)
    recall = 1.0 if n_ref == 0 else n_labels(cc_ref * pred) / n_ref
    cc_pred, n_pred = ndimage.label(pred, full)
    precision = 1.0 if n_pred == 0 else n_labels(cc_pred * ref) / n_pred
    f1 = 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)
    return recall, precision, f1


masks_2d = arrays(bool, st.tuples(st.integers(1, 12), st.integers(1, 12)))


@settings(max_examples=80, deadline=None)
@given(st.data())
def test_many_to_many_equals_wmh_challenge(data):
    ref = data.draw(masks_2d)
    pred = data.draw(arrays(bool, ref.shape))
    res = lesion_detection(pred, ref, matching="many-to-many", empty=1.0)
    # the WMH code's 0/0 convention is 1.0 for recall and precision, i.e. our empty=1.0
    assert (res.recall, res.precision, res.f1) == pytest.approx(_wmh_challenge_detection(pred, ref))


# -- properties ----------------------------------------------------------------------------------

@settings(max_examples=80, deadline=None)
@given(st.data(), st.sampled_from(["one-to-one", "many-to-many"]), st.sampled_from(["iou", "coverage"]),
       st.sampled_from([0.0, 0.3, 0.5, 1.0]))
def test_counts_are_consistent(data, matching, criterion, min_overlap):
    ref = data.draw(masks_2d)
    pred = data.draw(arrays(bool, ref.shape))
    res = lesion_detection(pred, ref, matching=matching, criterion=criterion, min_overlap=min_overlap)
    assert res.tp + res.fn == res.n_ref == ndimage.label(ref, np.ones((3, 3)))[1]
    sizes = np.bincount(ndimage.label(ref, np.ones((3, 3)))[0].ravel())[1:]
    assert lesion_detection(pred, ref, min_size=3).n_ref == np.sum(sizes >= 3)
    assert 0 <= res.fp <= res.n_pred == ndimage.label(pred, np.ones((3, 3)))[1]
    assert len(res.lesions) == res.n_ref and len(res.components) == res.n_pred
    assert sum(r.size for r in res.lesions) == ref.sum()
    for x in (res.recall, res.precision, res.f1):
        assert math.isnan(x) or 0.0 <= x <= 1.0
    np.testing.assert_equal(res.lesion_counts.recall(), res.recall)
    if matching == "one-to-one":
        assert res.n_pred - res.fp == res.tp
        np.testing.assert_equal(res.lesion_counts.precision(), res.precision)
        if res.n_ref or res.n_pred:
            assert res.lesion_counts.dice() == pytest.approx(res.f1)
        assert all(len(r.matched) <= 1 for r in res.lesions)
        if res.n_ref and res.n_pred:
            assert res.f1 == pytest.approx(2 * res.tp / (2 * res.tp + res.fp + res.fn))
    many = lesion_detection(pred, ref, matching="many-to-many", criterion=criterion, min_overlap=min_overlap)
    assert many.tp >= res.tp and many.fp <= res.fp
    # per-lesion Dice comes from the same Dice as everywhere else
    for row in res.lesions:
        matched = np.isin(res.pred_labels, row.matched) & (res.pred_labels > 0)
        assert row.dice == pytest.approx(dice(matched, res.ref_labels == row.label))
        assert row.detected == bool(row.matched)


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_invariant_under_flips_and_transposes(data):
    ref = data.draw(masks_2d)
    pred = data.draw(arrays(bool, ref.shape))
    base = lesion_detection(pred, ref, min_overlap=0.51)
    for f in (np.fliplr, np.flipud, np.transpose):
        other = lesion_detection(f(pred), f(ref), min_overlap=0.51)
        assert (other.tp, other.fp, other.fn) == (base.tp, base.fp, base.fn)
    # IoU > 0.5 makes every match unique, so swapping prediction and reference swaps FP and FN
    swapped = lesion_detection(ref, pred, min_overlap=0.51)
    assert (swapped.tp, swapped.fp, swapped.fn) == (base.tp, base.fn, base.fp)


# -- bad input -----------------------------------------------------------------------------------

@pytest.mark.parametrize("kwargs, exc, message", [
    ({"connectivity": 0}, ValueError, r"connectivity must be an integer from 1 .* to 2"),
    ({"connectivity": 3}, ValueError, r"connectivity must be an integer from 1"),
    ({"connectivity": True}, ValueError, r"connectivity must be an integer"),
    ({"connectivity": 1.5}, ValueError, r"connectivity must be an integer"),
    ({"criterion": "dice"}, ValueError, r"criterion must be one of \('iou', 'coverage'\), got 'dice'"),
    ({"matching": "hungarian"}, ValueError, r"matching must be one of"),
    ({"min_overlap": 1.5}, ValueError, r"min_overlap must be a number in \[0, 1\] \(a fraction, not voxels\)"),
    ({"min_overlap": -0.1}, ValueError, r"min_overlap must be a number in \[0, 1\]"),
    ({"min_overlap": 3}, ValueError, r"min_overlap must be a number in \[0, 1\]"),
    ({"spacing": (1.0,)}, ValueError, r"spacing must have one value per image axis"),
    ({"spacing": (1.0, -1.0)}, ValueError, r"spacing values must be finite and positive"),
    ({"empty": "zero"}, TypeError, r"empty must be a number or NaN"),
    ({"min_size": 0}, ValueError, r"min_size must be a positive integer number of voxels, got 0"),
    ({"min_size": 2.5}, ValueError, r"min_size must be a positive integer"),
])
def test_bad_options(kwargs, exc, message):
    pred, ref = one_big_three_small()
    with pytest.raises(exc, match=message):
        lesion_detection(pred, ref, **kwargs)


def test_bad_masks():
    ref = np.zeros((4, 4), bool)
    with pytest.raises(ValueError, match=r"pred and ref must have the same shape"):
        lesion_detection(np.zeros((4, 5), bool), ref)
    with pytest.raises(ValueError, match=r"ref must be a binary mask .* 0\.\.255 image"):
        lesion_detection(ref, np.full((4, 4), 255, np.uint8))
    with pytest.raises(ValueError, match=r"pred must be a binary mask .* pass threshold="):
        lesion_detection(np.full((4, 4), 0.3), ref)
    with pytest.raises(TypeError, match=r"pred must be a numeric array"):
        lesion_detection(np.array([["a"]]), ref)


def test_pool_lesion_counts_over_cases():
    from seglearn.metrics.aggregate import aggregate_counts

    pred, ref = one_big_three_small()
    cases = [lesion_detection(pred, ref),               # TP 1, FN 3
             lesion_detection(ref, ref),                # TP 4
             lesion_detection(np.zeros((4, 4)), np.zeros((4, 4)))]   # no lesions: recall undefined
    agg = aggregate_counts([c.lesion_counts for c in cases], "recall", empty="exclude")
    assert agg.per_case.mean == pytest.approx((0.25 + 1.0) / 2)
    assert agg.pooled == pytest.approx(5 / 8)          # (1 + 4) / (4 + 4)
    assert agg.per_case.n_undefined == 1
