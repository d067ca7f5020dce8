"""Every bad input named in issue 2 §3 gets a clear TypeError/ValueError, with its message asserted."""
from __future__ import annotations

import numpy as np
import pytest

import seglearn.metrics as sm
from seglearn.metrics import as_labels, as_mask, as_spacing, confusion_counts
from seglearn.metrics._validation import as_mask_pair, check_empty_value

MASK = np.array([[0, 1], [1, 0]], dtype=bool)
OVERLAP = ["dice", "iou", "precision", "recall", "specificity", "npv", "accuracy", "balanced_accuracy", "mcc",
           "volume_similarity", "overlap_metrics"]


@pytest.mark.parametrize("name", OVERLAP)
def test_shape_mismatch_names_both_shapes(name):
    with pytest.raises(ValueError, match=r"pred and ref must have the same shape, got pred.shape=\(2, 2\) "
                                         r"and ref.shape=\(2, 3\)"):
        getattr(sm, name)(MASK, np.zeros((2, 3), bool))


def test_0_255_mask_is_refused_with_a_hint():
    img = np.array([[0, 255], [255, 0]], dtype=np.uint8)
    with pytest.raises(ValueError, match=r"pred must be a binary mask with values 0/1 .*\{0, 255\}.*"
                                         r"looks like a 0\.\.255 image: convert it first, e\.g\. mask > 127"):
        sm.dice(img, MASK)
    with pytest.raises(ValueError, match=r"ref must be a binary mask"):
        sm.dice(MASK, img)


def test_probability_map_without_threshold_is_refused_with_a_hint():
    prob = np.array([[0.1, 0.8], [0.6, 0.0]])
    with pytest.raises(ValueError, match=r"pred must be a binary mask.*It looks like a probability map: "
                                         r"pass threshold= \(e\.g\. threshold=0\.5\)"):
        sm.dice(prob, MASK)
    assert sm.dice(prob, MASK, threshold=0.5) == 1.0


def test_label_map_given_to_a_binary_metric_points_to_per_class():
    with pytest.raises(ValueError, match=r"values \{0, 1, 2\}.*multi-class label map use the per-class metrics"):
        sm.dice(np.array([0, 1, 2]), np.array([0, 1, 1]))


def test_threshold_on_bool_and_bad_threshold():
    with pytest.raises(TypeError, match="pred is already a boolean mask; threshold= applies to score or "
                                        "probability maps only"):
        sm.dice(MASK, MASK, threshold=0.5)
    for bad in ("0.5", float("nan"), None and 1, True):
        if bad is None:
            continue
        with pytest.raises(TypeError, match="threshold must be a finite real number"):
            sm.dice(MASK.astype(float), MASK, threshold=bad)


@pytest.mark.parametrize("bad, what", [(np.nan, "1 NaN and 0 infinite"), (np.inf, "0 NaN and 1 infinite")])
def test_nan_and_inf(bad, what):
    x = np.array([[0.0, 1.0], [bad, 0.0]])
    with pytest.raises(ValueError, match=f"pred contains {what} values; expected finite numbers"):
        sm.dice(x, MASK)
    with pytest.raises(ValueError, match=f"pred contains {what} values"):
        sm.dice(x, MASK, threshold=0.5)
    with pytest.raises(ValueError, match=f"ref contains {what} values"):
        sm.recall(MASK, x)
    with pytest.raises(ValueError, match=f"prob contains {what} values"):
        sm.soft_dice(x, MASK)


@pytest.mark.parametrize("empty_input", [np.zeros((0,)), np.zeros((3, 0), bool), []])
def test_size_zero(empty_input):
    with pytest.raises(ValueError, match=r"pred must not be empty, got an array of shape .* with no elements"):
        sm.dice(empty_input, empty_input)


def test_scalar_is_not_an_image():
    with pytest.raises(ValueError, match="pred must be an image \\(at least 1-D\\), got a scalar 1"):
        sm.dice(1, 1)


@pytest.mark.parametrize("value, kind", [
    (np.array([[0, 1]], dtype=object), "object"),
    (np.array([["0", "1"]]), "str"),
    (np.array([[0j, 1 + 0j]]), "complex"),
    (np.array([[b"0", b"1"]]), "bytes"),
    (np.array(["2020-01-01", "2020-01-02"], dtype="datetime64[D]"), "datetime"),
])
def test_unsupported_dtypes(value, kind):
    with pytest.raises(TypeError, match=rf"pred must be a numeric array \(bool, integer or real float\), "
                                        rf"got dtype .* \({kind}\)"):
        sm.dice(value, value)


def test_strings_none_and_ragged():
    with pytest.raises(TypeError, match="pred must be an array-like of numbers, got str"):
        sm.dice("mask.png", MASK)
    with pytest.raises(TypeError, match="ref must be an array-like of numbers, got None"):
        sm.dice(MASK, None)
    with pytest.raises(ValueError, match="pred must be a rectangular array"):
        sm.dice([[0, 1], [1]], MASK)


def test_lists_and_small_dtypes_are_accepted():
    for x in ([[0, 1], [1, 0]], MASK.astype(np.uint8), MASK.astype(np.int16), MASK.astype(np.float32),
              MASK.astype(np.int8), MASK.astype(np.uint64)):
        assert sm.dice(x, MASK) == 1.0


@pytest.mark.parametrize("spacing, exc, msg", [
    ((1.0, 1.0, 1.0), ValueError, r"spacing must have one value per image axis \(2 for 2-D masks, in NumPy "
                                  r"axis order\), got 3"),
    ((1.0,), ValueError, r"spacing must have one value per image axis \(2 for 2-D masks"),
    ((1.0, 0.0), ValueError, r"spacing values must be finite and positive, got \(1\.0, 0\.0\)"),
    ((1.0, -2.0), ValueError, r"spacing values must be finite and positive"),
    ((1.0, float("nan")), ValueError, r"spacing values must be finite and positive"),
    (("a", "b"), TypeError, r"spacing must be a sequence of 2 positive numbers"),
    (True, TypeError, r"spacing must be a sequence of 2 positive numbers"),
])
def test_bad_spacing(spacing, exc, msg):
    with pytest.raises(exc, match=msg):
        as_spacing(spacing, 2)


def test_good_spacing():
    assert as_spacing(None, 2) == (1.0, 1.0)
    assert as_spacing(0.5, 3) == (0.5, 0.5, 0.5)
    assert as_spacing([2, 1], 2) == (2.0, 1.0)


@pytest.mark.parametrize("bad", ["nan", None, True, [1.0]])
def test_bad_empty_value(bad):
    with pytest.raises(TypeError, match=r"empty must be a number or NaN \(e\.g\. empty=float\('nan'\) or empty=1\.0\)"):
        sm.dice(MASK, MASK, empty=bad)
    with pytest.raises(TypeError, match="empty must be a number or NaN"):
        sm.per_class("dice", [0, 1], [0, 1], empty=bad)
    with pytest.raises(TypeError, match="empty must be a number or NaN"):
        check_empty_value(bad)


@pytest.mark.parametrize("beta, exc", [(0, ValueError), (-1.0, ValueError), (float("inf"), ValueError),
                                       (float("nan"), ValueError), ("2", TypeError), (True, TypeError),
                                       (None, TypeError)])
def test_bad_beta(beta, exc):
    with pytest.raises(exc, match=r"beta must be a finite positive number \(e\.g\. beta=2 to weigh recall more\)"):
        sm.f_beta(MASK, MASK, beta)


def test_per_case_needs_a_stack():
    with pytest.raises(ValueError, match=r"per_case=True needs a stack of cases with a leading case axis"):
        confusion_counts([0, 1, 1], [0, 1, 0], per_case=True)
    with pytest.raises(ValueError, match=r"per_case=True needs a stack of cases"):
        sm.soft_dice([0.2, 0.5], [0, 1], per_case=True)
    with pytest.raises(ValueError, match=r"per_case=True needs a stack of cases"):
        sm.per_class("dice", [0, 1, 2], [0, 1, 2], per_case=True)


def test_soft_dice_needs_probabilities():
    with pytest.raises(ValueError, match=r"prob must hold probabilities in \[0, 1\], got values in \[0\.0, 1\.5\]"):
        sm.soft_dice([0.0, 1.5], [0, 1])


class TestLabels:
    def test_unknown_labels_are_named(self):
        with pytest.raises(ValueError, match=r"pred/ref contain label values \{3\} that are not in labels=\[0, 1, 2\]"):
            sm.confusion_matrix([0, 1, 3], [0, 1, 2], labels=[0, 1, 2])
        with pytest.raises(ValueError, match=r"label values \{-1, 7\} that are not in labels=\[0, 1\]"):
            sm.per_class_counts([0, 1, 7], [-1, 1, 0], labels=[0, 1])
        with pytest.raises(ValueError, match=r"not in labels"):
            sm.per_class("dice", np.full((3, 3), 200, np.uint8), np.zeros((3, 3), np.uint8), labels=[0, 1])

    @pytest.mark.parametrize("labels, exc, msg", [
        ([0, 1, 1], ValueError, r"labels must be distinct, got repeated values \[1\]"),
        ([], ValueError, r"labels must not be empty; pass labels=None"),
        ([[0, 1]], ValueError, r"labels must be a flat \(1-D\) sequence"),
        ([0.5, 1], ValueError, r"labels must be integers"),
        (["a", "b"], TypeError, r"labels must be a sequence of distinct integers, got dtype <U1"),
        ("01", TypeError, r"labels must be a sequence of distinct integers, got '01'"),
    ])
    def test_bad_labels_argument(self, labels, exc, msg):
        with pytest.raises(exc, match=msg):
            sm.confusion_matrix([0, 1], [0, 1], labels=labels)

    def test_non_integer_label_maps(self):
        with pytest.raises(ValueError, match=r"pred must be an integer label map, got non-integer values"):
            sm.confusion_matrix([0.5, 1.0], [0, 1])
        with pytest.raises(ValueError, match=r"ref contains 1 NaN"):
            sm.confusion_matrix([0, 1], [np.nan, 1.0])
        with pytest.raises(ValueError, match=r"pred and ref must have the same shape"):
            sm.confusion_matrix([0, 1], [0, 1, 1])
        with pytest.raises(TypeError, match=r"ref must be a numeric array"):
            sm.confusion_matrix([0, 1], np.array([0, 1], dtype=object))

    def test_bad_per_class_arguments(self):
        with pytest.raises(ValueError, match=r"metric must be one of dice, iou, .*; got 'hd95'"):
            sm.per_class("hd95", [0, 1], [0, 1])
        with pytest.raises(TypeError, match=r"metric must be a metric name"):
            sm.per_class(sm.dice, [0, 1], [0, 1])
        with pytest.raises(ValueError, match=r"average must be None, 'macro' or 'micro', got 'weighted'"):
            sm.per_class("dice", [0, 1], [0, 1], average="weighted")
        with pytest.raises(TypeError, match=r"metric='f_beta' needs beta="):
            sm.per_class("f_beta", [0, 1], [0, 1])
        with pytest.raises(TypeError, match=r"beta= applies to metric='f_beta' only"):
            sm.per_class("dice", [0, 1], [0, 1], beta=2)
        with pytest.raises(ValueError, match=r"beta must be a finite positive number"):
            sm.per_class("f_beta", [0, 1], [0, 1], beta=0)
        with pytest.raises(TypeError, match=r"include_background must be True or False"):
            sm.per_class("dice", [0, 1], [0, 1], include_background="yes")
        with pytest.raises(TypeError, match=r"background must be an integer label"):
            sm.per_class("dice", [0, 1], [0, 1], background=0.5)

    def test_too_many_classes(self):
        many = np.arange(10_000)
        with pytest.raises(ValueError, match=r"hold 10000 distinct label values; a 10000x10000 confusion matrix is "
                                             r"too large"):
            sm.confusion_matrix(many, many)

    def test_as_labels_accepts_bool_and_integral_floats(self):
        assert as_labels([True, False]).dtype == np.uint8
        assert as_labels(np.array([1.0, 2.0])).tolist() == [1, 2]


def test_as_mask_views_small_ints_without_copy():
    x = np.array([[0, 1], [1, 1]], dtype=np.uint8)
    m = as_mask(x, "pred")
    assert m.dtype == bool and np.shares_memory(m, x)
    p, r = as_mask_pair([0.2, 0.9], [0, 1], threshold=0.5)
    assert p.tolist() == [False, True] and r.tolist() == [False, True]


def test_threshold_beyond_float16_range_gives_no_overflow_warning():
    # float16 holds at most 65504; comparing against 1e6 must not warn (RuntimeWarnings are errors here).
    import seglearn.metrics as sm

    prob = np.array([0.1, 0.9, 0.6], dtype=np.float16)
    ref = np.array([0, 1, 1], dtype=bool)
    assert sm.confusion_counts(prob, ref, threshold=1e6).tp == 0
    assert sm.confusion_counts(prob, ref, threshold=-1e6).tp == 2
