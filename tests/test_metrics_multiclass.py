"""Multi-class metrics: the exact confusion matrix, one-vs-rest counts, per-class averaging policies."""
from __future__ import annotations

import warnings

import numpy as np
import pytest

import seglearn.metrics as sm
from seglearn.metrics import ConfusionCounts, confusion_matrix, per_class, per_class_counts
from seglearn.metrics import multiclass as mc

# Hand example (a 3x4 label map, labels 0 = background, 1, 2):
#   ref  = 0 0 1 1      pred = 0 1 1 1
#          0 2 2 1             0 2 1 1
#          0 0 2 2             0 0 2 0
# Confusion matrix C[ref, pred], counted cell by cell:
#   ref 0 (5 pixels): pred 0 at (0,0) (1,0) (2,0) (2,1); pred 1 at (0,1)      -> [4, 1, 0]
#   ref 1 (3 pixels): pred 1 at (0,2) (0,3) (1,3)                             -> [0, 3, 0]
#   ref 2 (4 pixels): pred 2 at (1,1) (2,2); pred 1 at (1,2); pred 0 at (2,3) -> [1, 1, 2]
REF = np.array([[0, 0, 1, 1], [0, 2, 2, 1], [0, 0, 2, 2]])
PRED = np.array([[0, 1, 1, 1], [0, 2, 1, 1], [0, 0, 2, 0]])
CM = [[4, 1, 0], [0, 3, 0], [1, 1, 2]]


def brute_force_matrix(pred, ref, labels):
    """Independent oracle: count distinct (ref, pred) pairs with np.unique (a sort), no bincount."""
    pairs, counts = np.unique(np.stack([np.ravel(ref), np.ravel(pred)]).astype(np.int64), axis=1, return_counts=True)
    index = {int(v): i for i, v in enumerate(labels)}
    out = np.zeros((len(labels), len(labels)), dtype=np.int64)
    for (a, b), c in zip(pairs.T.tolist(), counts.tolist()):
        out[index[a], index[b]] += c
    return out


def test_oracle_on_the_hand_example():
    assert brute_force_matrix(PRED, REF, [0, 1, 2]).tolist() == CM


def test_hand_worked_confusion_matrix():
    cm = confusion_matrix(PRED, REF)
    assert cm.tolist() == CM and cm.dtype == np.int64 and cm.sum() == 12


def test_hand_worked_one_vs_rest_counts():
    c = per_class_counts(PRED, REF)
    # class 0: TP 4, FP = column 0 - TP = (4+0+1) - 4 = 1, FN = row 0 - TP = 5 - 4 = 1, TN = 12 - 6 = 6
    # class 1: TP 3, FP = (1+3+1) - 3 = 2, FN = 3 - 3 = 0, TN = 12 - 5 = 7
    # class 2: TP 2, FP = (0+0+2) - 2 = 0, FN = 4 - 2 = 2, TN = 12 - 4 = 8
    assert c == ConfusionCounts(np.array([4, 3, 2]), np.array([1, 2, 0]), np.array([1, 0, 2]), np.array([6, 7, 8]))


def test_hand_worked_per_class_dice_and_averages():
    # Dice: class 1 = 2*3 / (6 + 2 + 0) = 0.75; class 2 = 2*2 / (4 + 0 + 2) = 2/3; class 0 = 8/10
    assert per_class("dice", PRED, REF) == pytest.approx({1: 0.75, 2: 2 / 3})
    assert per_class("dice", PRED, REF, include_background=True) == pytest.approx({0: 0.8, 1: 0.75, 2: 2 / 3})
    # macro = (0.75 + 2/3) / 2
    assert per_class("dice", PRED, REF, average="macro") == pytest.approx((0.75 + 2 / 3) / 2)
    # micro over classes 1, 2: TP 5, FP 2, FN 2 -> 10 / 14
    assert per_class("dice", PRED, REF, average="micro") == pytest.approx(10 / 14)
    # recall per class: 1 -> 3/3, 2 -> 2/4
    assert per_class("recall", PRED, REF) == pytest.approx({1: 1.0, 2: 0.5})
    # f_beta with beta=2, class 2: 5*2 / (5*2 + 4*2 + 0) = 10/18
    assert per_class("f_beta", PRED, REF, beta=2)[2] == pytest.approx(10 / 18)


def test_micro_with_background_equals_accuracy():
    # every wrong pixel is one FP (of its predicted class) and one FN (of its reference class)
    acc = np.mean(PRED == REF)   # 9 / 12
    for metric in ("dice", "precision", "recall"):
        assert per_class(metric, PRED, REF, average="micro", include_background=True) == pytest.approx(acc)


class TestAbsentClassPolicy:
    def test_absent_class_is_nan_and_left_out_of_macro(self):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            values = per_class("dice", PRED, REF, labels=[0, 1, 2, 3])
            assert set(values) == {1, 2, 3} and np.isnan(values[3])
            # macro over the classes that are defined: (0.75 + 2/3) / 2, class 3 left out
            assert per_class("dice", PRED, REF, labels=[0, 1, 2, 3], average="macro") == pytest.approx(
                (0.75 + 2 / 3) / 2)

    def test_empty_value_counts_absent_classes(self):
        assert per_class("dice", PRED, REF, labels=[0, 1, 2, 3], empty=1.0)[3] == 1.0
        # (0.75 + 2/3 + 1) / 3
        assert per_class("dice", PRED, REF, labels=[0, 1, 2, 3], average="macro", empty=1.0) == pytest.approx(
            (0.75 + 2 / 3 + 1) / 3)
        assert per_class("dice", PRED, REF, labels=[0, 1, 2, 3], average="macro", empty=0.0) == pytest.approx(
            (0.75 + 2 / 3) / 3)

    def test_all_classes_undefined(self):
        zeros = np.zeros((4, 4), int)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            assert np.isnan(per_class("dice", zeros, zeros, labels=[0, 1], average="macro"))
            assert np.isnan(per_class("dice", zeros, zeros, labels=[0, 1], average="micro"))
            assert per_class("dice", zeros, zeros) == {}        # only background present
            assert np.isnan(per_class("dice", zeros, zeros, average="macro"))

    def test_background_argument(self):
        # treat label 2 as background instead of 0
        assert per_class("dice", PRED, REF, background=2) == pytest.approx({0: 0.8, 1: 0.75})
        # a background label that is absent excludes nothing
        assert set(per_class("dice", PRED, REF, background=9)) == {0, 1, 2}


def test_labels_order_subset_and_absent():
    assert confusion_matrix(PRED, REF, labels=[2, 0, 1]).tolist() == [[2, 1, 1], [0, 4, 1], [0, 0, 3]]
    cm = confusion_matrix(PRED, REF, labels=[0, 1, 2, 5])
    assert cm.shape == (4, 4) and cm[3].sum() == 0 and cm[:, 3].sum() == 0 and cm[:3, :3].tolist() == CM


def test_binary_equals_two_label_multiclass():
    rng = np.random.default_rng(5)
    p = rng.random((30, 40)) < 0.4
    r = rng.random((30, 40)) < 0.4
    assert per_class_counts(p, r, labels=[0, 1])[1] == sm.confusion_counts(p, r)
    assert confusion_matrix(p, r, labels=[0, 1]).tolist() == sm.confusion_counts(p, r).matrix().tolist()
    assert per_class("dice", p, r)[1] == pytest.approx(sm.dice(p, r))


@pytest.mark.parametrize("dtype", [np.uint8, np.int64, np.int16, np.uint16, np.float32])
def test_dtypes_agree(dtype):
    assert confusion_matrix(PRED.astype(dtype), REF.astype(dtype)).tolist() == CM


def test_negative_and_large_labels_take_the_general_path():
    cm = confusion_matrix(PRED - 1, REF - 1)            # labels -1, 0, 1
    assert cm.tolist() == CM
    cm = confusion_matrix(PRED * 100_000, REF * 100_000, labels=[0, 100_000, 200_000])
    assert cm.tolist() == CM


@pytest.mark.parametrize("seed", range(6))
def test_fast_paths_match_brute_force(seed):
    # shapes spanning several chunks; few labels (compare path), many labels (bincount path),
    # background-only chunks (skip path); values up to 40 and beyond 255 (uint16 codes)
    rng = np.random.default_rng(seed)
    n_labels = [3, 5, 20, 40, 300, 4][seed]
    shape = (3, 200, 700)
    ref = np.zeros(shape, dtype=np.int64)
    ref[1, 50:150, 100:600] = rng.integers(0, n_labels, (100, 500))
    pred = ref.copy()
    flip = rng.random(shape) < 0.02
    pred[flip] = rng.integers(0, n_labels, int(flip.sum()))
    if n_labels < 256:
        pred, ref = pred.astype(np.uint8), ref.astype(np.uint8)
    labels = np.union1d(np.unique(pred), np.unique(ref))
    expected = brute_force_matrix(pred, ref, labels)
    assert np.array_equal(confusion_matrix(pred, ref), expected)
    values, general = mc._joint_histogram_general(pred.astype(np.int64), ref.astype(np.int64))
    assert np.array_equal(general, expected) and np.array_equal(values, labels)


def test_mixed_chunk_kinds_in_one_volume():
    # one chunk with many labels (bincount path) and one with few (compare path) in the same map
    n = 1 << 17
    ref = np.zeros(3 * n, dtype=np.uint8)
    ref[:n] = np.arange(n) % 30            # chunk 0: labels 0..29
    ref[n:2 * n] = np.arange(n) % 3        # chunk 1: labels 0..2
    pred = ref.copy()
    pred[::7] = (pred[::7] + 1) % 30
    labels = np.arange(30)
    assert np.array_equal(confusion_matrix(pred, ref), brute_force_matrix(pred, ref, labels))


def test_counts_are_exact_and_sum_to_size():
    n = 2 ** 24 + 3
    ref = np.zeros(n, dtype=np.uint8)
    ref[::3] = 2
    pred = ref.copy()
    pred[1::3] = 1
    cm = confusion_matrix(pred, ref)
    # n = 16,777,219: ref 2 at indices 0, 3, ... (5,592,407 of them); pred 1 at 1, 4, ... (5,592,406);
    # background in both at 2, 5, ... (5,592,406). Not representable exactly in float32.
    assert cm.tolist() == [[5592406, 5592406, 0], [0, 0, 0], [0, 0, 5592407]]
    assert cm.sum() == n
    assert cm[2, 2] == len(range(0, n, 3)) and cm[0, 1] == len(range(1, n, 3)) and cm[0, 0] == len(range(2, n, 3))
    assert isinstance(per_class_counts(pred, ref).tp[2].item(), int)


class TestPerCase:
    def setup_method(self):
        rng = np.random.default_rng(11)
        self.ref = rng.integers(0, 4, (4, 12, 10))
        self.pred = np.where(rng.random((4, 12, 10)) < 0.3, rng.integers(0, 4, (4, 12, 10)), self.ref)
        self.ref[2][self.ref[2] == 3] = 0   # class 3 absent from case 2 ...
        self.pred[2][self.pred[2] == 3] = 0

    def test_per_case_equals_a_loop(self):
        values = per_class("dice", self.pred, self.ref, per_case=True)
        assert set(values) == {1, 2, 3}
        for i in range(4):
            single = per_class("dice", self.pred[i], self.ref[i], labels=[0, 1, 2, 3])
            for k in (1, 2, 3):
                np.testing.assert_allclose(values[k][i], single[k], equal_nan=True)
        assert np.isnan(values[3][2])   # ... so its Dice there is undefined

    @pytest.mark.parametrize("average", ["macro", "micro"])
    def test_per_case_averages_equal_a_loop(self, average):
        values = per_class("iou", self.pred, self.ref, per_case=True, average=average)
        assert values.shape == (4,)
        expected = [per_class("iou", self.pred[i], self.ref[i], labels=[0, 1, 2, 3], average=average)
                    for i in range(4)]
        np.testing.assert_allclose(values, expected)


def test_every_metric_name_works():
    for metric in mc.PER_CLASS_METRICS:
        kwargs = {"beta": 1.0} if metric == "f_beta" else {}
        values = per_class(metric, PRED, REF, include_background=True, **kwargs)
        counts = per_class_counts(PRED, REF)
        expected = getattr(counts, metric)(1.0) if metric == "f_beta" else getattr(counts, metric)()
        np.testing.assert_allclose(list(values.values()), expected)
