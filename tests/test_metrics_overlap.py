"""Binary overlap metrics: a hand-worked example for every metric, edge cases, cases, exactness.

Every expected number below is worked out by hand in the comment next to it.
"""
from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

import seglearn.metrics as sm
from seglearn.metrics import ConfusionCounts, confusion_counts
from seglearn.metrics import confusion

# A 3x4 example used throughout:
#   pred = 1 1 0 0      ref = 1 0 0 0
#          1 1 0 0            1 1 1 0
#          0 0 0 1            0 0 0 0
# TP: (0,0) (1,0) (1,1) = 3;  FP: (0,1) (2,3) = 2;  FN: (1,2) = 1;  TN: 12 - 3 - 2 - 1 = 6
PRED = np.array([[1, 1, 0, 0], [1, 1, 0, 0], [0, 0, 0, 1]], dtype=bool)
REF = np.array([[1, 0, 0, 0], [1, 1, 1, 0], [0, 0, 0, 0]], dtype=bool)


def test_counts_of_the_hand_example():
    c = confusion_counts(PRED, REF)
    assert (c.tp, c.fp, c.fn, c.tn) == (3, 2, 1, 6)
    assert all(type(v) is int for v in (c.tp, c.fp, c.fn, c.tn))
    assert c.n == 12 and c.pred_positive == 5 and c.ref_positive == 4
    assert c.matrix().tolist() == [[6, 2], [1, 3]]  # [[tn, fp], [fn, tp]]


@pytest.mark.parametrize("name, expected", [
    ("dice", 6 / 9),                # 2*3 / (2*3 + 2 + 1)
    ("iou", 3 / 6),                 # 3 / (3 + 2 + 1)
    ("precision", 3 / 5),           # 3 / (3 + 2)
    ("recall", 3 / 4),              # 3 / (3 + 1)
    ("specificity", 6 / 8),         # 6 / (6 + 2)
    ("npv", 6 / 7),                 # 6 / (6 + 1)
    ("accuracy", 9 / 12),           # (3 + 6) / 12
    ("balanced_accuracy", 0.75),    # (3/4 + 6/8) / 2
    ("volume_similarity", 1 - 1 / 9),  # 1 - |1 - 2| / (6 + 2 + 1)
    ("mcc", (3 * 6 - 2 * 1) / math.sqrt(5 * 4 * 8 * 7)),  # (TP*TN - FP*FN) / sqrt(5*4*8*7) = 16/sqrt(1120)
])
def test_hand_worked_value_of_every_metric(name, expected):
    func = getattr(sm, name)
    assert func(PRED, REF) == pytest.approx(expected, rel=1e-12)
    assert getattr(confusion_counts(PRED, REF), name)() == pytest.approx(expected, rel=1e-12)
    assert sm.overlap_metrics(PRED, REF)[name] == pytest.approx(expected, rel=1e-12)


def test_f_beta_hand_worked():
    # beta = 2: (1 + 4) * 3 / ((1 + 4) * 3 + 4 * 1 + 2) = 15 / 21
    assert sm.f_beta(PRED, REF, 2) == pytest.approx(15 / 21)
    # beta = 0.5: 1.25 * 3 / (1.25 * 3 + 0.25 * 1 + 2) = 3.75 / 6
    assert sm.f_beta(PRED, REF, beta=0.5) == pytest.approx(3.75 / 6)
    assert sm.f_beta(PRED, REF, 1) == pytest.approx(sm.dice(PRED, REF))


def test_soft_dice_hand_worked():
    prob = np.array([0.9, 0.6, 0.2, 0.0])
    ref = np.array([1, 1, 0, 0])
    # 2 * (0.9 + 0.6) / ((0.9 + 0.6 + 0.2) + 2) = 3.0 / 3.7
    assert sm.soft_dice(prob, ref) == pytest.approx(3.0 / 3.7)
    # a binary "probability" map gives plain Dice
    assert sm.soft_dice(PRED.astype(float), REF) == pytest.approx(sm.dice(PRED, REF))
    assert np.isnan(sm.soft_dice([0.0, 0.0], [0, 0]))
    assert sm.soft_dice([0.0, 0.0], [0, 0], empty=1.0) == 1.0


def test_soft_dice_per_case():
    prob = np.array([[0.5, 0.5], [0.0, 0.0]])
    ref = np.array([[1, 0], [0, 0]])
    # case 0: 2*0.5 / (1.0 + 1) = 0.5; case 1: 0/0 -> empty
    np.testing.assert_allclose(sm.soft_dice(prob, ref, per_case=True), [0.5, np.nan])


def test_threshold_binarises_pred_with_greater_or_equal():
    prob = np.array([[0.9, 0.5, 0.2], [0.49, 0.7, 0.0]])
    ref = np.array([[1, 0, 0], [1, 1, 0]])
    # pred at 0.5 = [[1,1,0],[0,1,0]]: TP 2, FP 1, FN 1 -> dice 4/6
    assert sm.dice(prob, ref, threshold=0.5) == pytest.approx(4 / 6)
    assert confusion_counts(prob, ref, threshold=0.5) == ConfusionCounts(2, 1, 1, 2)


def test_inputs_lists_ints_uint8_floats_all_agree():
    expected = confusion_counts(PRED, REF)
    for kind in (list, lambda a: a.astype(np.uint8), lambda a: a.astype(np.int64),
                 lambda a: a.astype(np.float32), lambda a: a.astype(np.int8)):
        p = kind(PRED) if kind is not list else PRED.astype(int).tolist()
        r = kind(REF) if kind is not list else REF.astype(int).tolist()
        assert confusion_counts(p, r) == expected


def test_non_contiguous_views_are_counted_correctly():
    rng = np.random.default_rng(3)
    a = rng.random((40, 50)) < 0.3
    b = rng.random((40, 50)) < 0.3
    view_a, view_b = a[::2, ::-3], b[::2, ::-3]
    c = confusion_counts(view_a, view_b)
    assert c.tp == int(np.sum(view_a & view_b)) and c.fp == int(np.sum(view_a & ~view_b))
    assert c.fn == int(np.sum(~view_a & view_b)) and c.n == view_a.size


def test_unaligned_odd_length_views_and_non_canonical_bools():
    rng = np.random.default_rng(9)
    a = rng.random(1_200_013) < 0.3     # larger than the small-image path
    b = rng.random(1_200_013) < 0.3
    for offset in (1, 3, 7):
        x, y = a[offset:], b[offset:]        # contiguous but not 8-byte aligned, odd length
        c = confusion_counts(x, y)
        assert (c.tp, c.fp, c.fn) == (int(np.sum(x & y)), int(np.sum(x & ~y)), int(np.sum(~x & y)))
    # bool views of bytes other than 0/1 count as True once, like NumPy does
    raw = np.array([0, 2, 255, 1, 0, 7, 0, 0, 3], dtype=np.uint8)
    as_bool = raw.view(bool)
    c = confusion_counts(as_bool, np.ones(9, bool))
    assert (c.tp, c.fn) == (5, 4)
    c = confusion_counts(np.frombuffer(raw.tobytes() * 100, dtype=bool), np.ones(900, bool))
    assert c.tp == 500
    c = confusion_counts(np.frombuffer(raw.tobytes() * 100_000, dtype=bool), np.ones(900_000, bool))
    assert c.tp == 500_000


class TestEmptyPolicy:
    """0/0 gives ``empty`` (default NaN, no warning) for every metric that can be 0/0."""

    ZEROS = np.zeros((3, 3), dtype=bool)
    ONES = np.ones((3, 3), dtype=bool)

    @pytest.mark.parametrize("name", ["dice", "iou", "precision", "recall", "mcc", "volume_similarity",
                                      "balanced_accuracy"])
    def test_both_empty(self, name):
        func = getattr(sm, name)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            assert np.isnan(func(self.ZEROS, self.ZEROS))
            assert func(self.ZEROS, self.ZEROS, empty=1.0) == 1.0
            assert func(self.ZEROS, self.ZEROS, empty=0) == 0.0

    def test_both_empty_f_beta_and_defined_ones(self):
        assert np.isnan(sm.f_beta(self.ZEROS, self.ZEROS, 2))
        assert sm.f_beta(self.ZEROS, self.ZEROS, 2, empty=1.0) == 1.0
        # specificity and NPV are defined here: TN = 9
        assert sm.specificity(self.ZEROS, self.ZEROS) == 1.0
        assert sm.npv(self.ZEROS, self.ZEROS) == 1.0
        assert sm.accuracy(self.ZEROS, self.ZEROS) == 1.0

    def test_all_foreground_makes_specificity_and_npv_undefined(self):
        assert np.isnan(sm.specificity(self.ONES, self.ONES))
        assert np.isnan(sm.npv(self.ONES, self.ONES))
        assert sm.specificity(self.ONES, self.ONES, empty=0.5) == 0.5
        assert sm.dice(self.ONES, self.ONES) == 1.0

    def test_one_empty_is_defined_not_empty(self):
        # pred empty, ref not: Dice = 0/(0+0+9) = 0; precision 0/0 -> empty; recall 0/9 = 0
        assert sm.dice(self.ZEROS, self.ONES, empty=1.0) == 0.0
        assert np.isnan(sm.precision(self.ZEROS, self.ONES))
        assert sm.recall(self.ZEROS, self.ONES) == 0.0

    def test_accuracy_of_hand_made_zero_counts_uses_empty(self):
        assert np.isnan(ConfusionCounts(0, 0, 0, 0).accuracy())
        assert ConfusionCounts(0, 0, 0, 0).accuracy(empty=1) == 1.0


class TestPerCase:
    def setup_method(self):
        rng = np.random.default_rng(7)
        self.pred = rng.random((5, 6, 7)) < 0.4
        self.ref = rng.random((5, 6, 7)) < 0.4
        self.ref[2] = False
        self.pred[2] = False   # case 2: both empty

    def test_per_case_counts_equal_a_loop(self):
        c = confusion_counts(self.pred, self.ref, per_case=True)
        assert len(c) == 5 and c.tp.dtype == np.int64
        for i in range(5):
            assert c[i] == confusion_counts(self.pred[i], self.ref[i])
        assert c.sum() == confusion_counts(self.pred, self.ref)

    @pytest.mark.parametrize("name", ["dice", "iou", "precision", "recall", "specificity", "npv", "accuracy",
                                      "balanced_accuracy", "mcc", "volume_similarity"])
    def test_per_case_metric_equals_a_loop(self, name):
        func = getattr(sm, name)
        values = func(self.pred, self.ref, per_case=True)
        assert values.shape == (5,)
        expected = [func(self.pred[i], self.ref[i]) for i in range(5)]
        np.testing.assert_allclose(values, expected, equal_nan=True)
        assert np.isnan(sm.dice(self.pred, self.ref, per_case=True)[2])
        assert sm.dice(self.pred, self.ref, per_case=True, empty=1.0)[2] == 1.0

    def test_per_case_f_beta_and_overlap_metrics(self):
        np.testing.assert_allclose(sm.f_beta(self.pred, self.ref, 2, per_case=True),
                                   [sm.f_beta(self.pred[i], self.ref[i], 2) for i in range(5)], equal_nan=True)
        m = sm.overlap_metrics(self.pred, self.ref, per_case=True)
        assert m["tp"].shape == (5,) and m["dice"].shape == (5,)

    def test_per_case_large_chunks(self):
        # cases bigger than one internal chunk (128 Ki elements)
        rng = np.random.default_rng(1)
        p = rng.random((2, 300, 500)) < 0.5
        r = rng.random((2, 300, 500)) < 0.5
        c = confusion_counts(p, r, per_case=True)
        assert c.tp.tolist() == [int(np.sum(p[i] & r[i])) for i in range(2)]


class TestConfusionCountsObject:
    def test_frozen_and_validated(self):
        c = ConfusionCounts(1, 2, 3, 4)
        with pytest.raises(Exception):
            c.tp = 5  # type: ignore[misc]
        with pytest.raises(ValueError, match="fp must be non-negative"):
            ConfusionCounts(1, -2, 3, 4)
        with pytest.raises(TypeError, match="tp must be an integer count"):
            ConfusionCounts(1.5, 2, 3, 4)
        with pytest.raises(ValueError, match="same shape"):
            ConfusionCounts(np.array([1, 2]), np.array([1]), np.array([1, 2]), np.array([1, 2]))

    def test_arrays_are_read_only_copies(self):
        tp = np.array([1, 2])
        c = ConfusionCounts(tp, np.array([0, 0]), np.array([0, 0]), np.array([1, 1]))
        tp[0] = 99
        assert c.tp[0] == 1
        with pytest.raises(ValueError):
            c.tp[0] = 5

    def test_equality_and_hash_for_arrays(self):
        a = ConfusionCounts(np.array([1, 2]), np.array([0, 0]), np.array([0, 1]), np.array([1, 1]))
        b = ConfusionCounts(np.array([1, 2]), np.array([0, 0]), np.array([0, 1]), np.array([1, 1]))
        assert a == b and hash(a) == hash(b)
        assert a != a[0] and a[1] == ConfusionCounts(2, 0, 1, 1)
        assert len({a, b}) == 1

    def test_numpy_scalars_become_python_ints(self):
        c = ConfusionCounts(np.int64(3), np.array(1), np.uint8(2), 10)
        assert all(type(v) is int for v in (c.tp, c.fp, c.fn, c.tn))
        assert c == ConfusionCounts(3, 1, 2, 10) and type(c.mcc()) is float

    def test_single_case_cannot_be_indexed(self):
        with pytest.raises(TypeError, match="cannot be indexed"):
            ConfusionCounts(1, 2, 3, 4)[0]
        with pytest.raises(ValueError, match="single case"):
            ConfusionCounts(np.array([1]), np.array([1]), np.array([1]), np.array([1])).matrix()

    def test_mcc_extremes_exact(self):
        assert ConfusionCounts(2, 0, 0, 2).mcc() == 1.0     # (4 - 0) / sqrt(2*2*2*2)
        assert ConfusionCounts(0, 2, 2, 0).mcc() == -1.0    # (0 - 4) / 4


class TestExactness:
    def test_count_beyond_float32_precision(self):
        # 2**24 + 1 is not representable in float32: a float32 accumulator would say 16777216.
        n = 2 ** 24 + 1
        ones = np.ones(n, dtype=bool)
        c = confusion_counts(ones, ones)
        assert c.tp == 16_777_217 and type(c.tp) is int
        assert c.fp == c.fn == c.tn == 0
        half = np.zeros(n, dtype=bool)
        half[::2] = True   # indices 0, 2, ..., 2**24: 2**23 + 1 of them
        c = confusion_counts(half, ones)
        assert (c.tp, c.fp, c.fn, c.tn) == (2 ** 23 + 1, 0, 2 ** 23, 0)

    def test_large_3d_volume_counts_exact(self):
        # 260**3 = 17,576,000 voxels; a block and a shifted block with known overlap
        n = 260
        pred = np.zeros((n, n, n), dtype=bool)
        ref = np.zeros((n, n, n), dtype=bool)
        pred[10:210, 20:220, 30:230] = True      # 200**3 = 8,000,000
        ref[20:220, 20:220, 30:230] = True       # shifted by 10 along axis 0
        c = confusion_counts(pred, ref)
        assert c.tp == 190 * 200 * 200           # 7,600,000
        assert c.fp == c.fn == 10 * 200 * 200    # 400,000
        assert c.tn == n ** 3 - 8_400_000
        assert sm.dice(pred, ref) == pytest.approx(2 * 7_600_000 / (2 * 7_600_000 + 800_000))

    def test_full_and_empty_chunks_take_the_shortcuts_correctly(self):
        chunk = confusion._CHUNK
        n = 5 * chunk + 13                    # beyond the small-image path; a ragged tail
        assert n > confusion._SMALL
        a = np.zeros(n, dtype=bool)
        b = np.zeros(n, dtype=bool)
        a[:chunk] = True                      # chunk 0 full in a
        b[chunk - 5: 2 * chunk + 7] = True    # straddles chunks 0-2; chunk 1 full in b
        a[chunk + 100: chunk + 200] = True
        a[-3:] = b[-2:] = True                # the tail beyond the last whole word
        c = confusion_counts(a, b)
        assert c.tp == int(np.sum(a & b)) and c.fp == int(np.sum(a & ~b)) and c.fn == int(np.sum(~a & b))


def test_no_runtime_warning_anywhere():
    rng = np.random.default_rng(0)
    cases = [np.zeros((4, 4), bool), np.ones((4, 4), bool), rng.random((4, 4)) < 0.5]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for p in cases:
            for r in cases:
                sm.overlap_metrics(p, r)
                sm.overlap_metrics(np.stack([p, r]), np.stack([r, r]), per_case=True)
                sm.f_beta(p, r, 3)
                sm.soft_dice(p.astype(float) * 0.5, r)


def test_every_public_name_has_a_docstring_with_an_example():
    own = ["ConfusionCounts", "confusion_counts", "dice", "iou", "precision", "recall", "specificity", "npv",
           "accuracy", "balanced_accuracy", "f_beta", "mcc", "volume_similarity", "overlap_metrics", "soft_dice",
           "confusion_matrix", "per_class_counts", "per_class", "as_mask", "as_labels", "as_spacing"]
    for name in own:
        doc = getattr(sm, name).__doc__ or ""
        assert "Examples" in doc, name
    for method in ["dice", "iou", "precision", "recall", "specificity", "npv", "accuracy", "balanced_accuracy",
                   "f_beta", "mcc", "volume_similarity", "metrics", "matrix", "sum", "as_dict"]:
        assert "Examples" in (getattr(ConfusionCounts, method).__doc__ or ""), method


@pytest.mark.parametrize("seed", range(4))
def test_word_kernel_matches_naive_counts_on_mixed_layouts(seed):
    # sizes above the small-image path; empty, full, sparse and dense chunks mixed; odd lengths
    rng = np.random.default_rng(seed)
    n = int(rng.integers(confusion._SMALL + 1, 3 * confusion._SMALL))
    a = np.zeros(n, bool)
    b = np.zeros(n, bool)
    for arr in (a, b):
        for _ in range(6):
            lo = int(rng.integers(0, n))
            hi = min(n, lo + int(rng.integers(1, confusion._CHUNK * 2)))
            arr[lo:hi] = rng.random(hi - lo) < rng.choice([0.001, 0.5, 1.0])
    c = confusion_counts(a, b)
    assert (c.tp, c.fp, c.fn, c.tn) == (int(np.sum(a & b)), int(np.sum(a & ~b)), int(np.sum(~a & b)),
                                        int(np.sum(~a & ~b)))
