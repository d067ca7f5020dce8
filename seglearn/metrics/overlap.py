"""Overlap metrics of a binary prediction against a binary reference.

Each function here is a thin, documented entry point onto :class:`ConfusionCounts`: the counts
are computed once by :func:`confusion_counts` and the metric is derived from them, so every
metric in seglearn agrees with every other on the same masks.

Common parameters
-----------------
pred, ref : array_like
    Prediction and reference masks of the same shape (bool, or numbers that are all 0/1).
threshold : float, optional
    Binarise ``pred`` as ``pred >= threshold`` (for probability or score maps).
per_case : bool, default False
    Treat the first axis as a stack of cases and return one value per case.
empty : float, default NaN
    Returned when the metric is 0/0 (for Dice and IoU: both masks empty). NaN by default, without
    a warning, so that undefined cases stay visible; see :mod:`seglearn.metrics.confusion`.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ._validation import as_mask, check_same_shape, check_empty_value
from .confusion import NAN, ConfusionCounts, _ratio, confusion_counts

__all__ = [
    "dice", "iou", "precision", "recall", "specificity", "npv", "accuracy", "balanced_accuracy",
    "f_beta", "mcc", "volume_similarity", "soft_dice", "overlap_metrics",
]


def _counts(pred: Any, ref: Any, threshold: float | None, per_case: bool) -> ConfusionCounts:
    return confusion_counts(pred, ref, threshold=threshold, per_case=per_case)


def dice(pred: Any, ref: Any, *, threshold: float | None = None, per_case: bool = False,
         empty: float = NAN) -> Any:
    """Dice similarity coefficient: ``2TP / (2TP + FP + FN)`` (= F1 score), in [0, 1].

    ``empty`` is returned when both masks are empty (0/0). See the module docstring for the
    common parameters.

    Examples
    --------
    >>> dice([1, 1, 0, 0], [1, 0, 1, 0])   # TP=1, FP=1, FN=1: 2/(2+1+1)
    0.5
    >>> dice([0, 0], [0, 0]), dice([0, 0], [0, 0], empty=1.0)
    (nan, 1.0)
    """
    return _counts(pred, ref, threshold, per_case).dice(empty=empty)


def iou(pred: Any, ref: Any, *, threshold: float | None = None, per_case: bool = False,
        empty: float = NAN) -> Any:
    """Intersection over union (Jaccard index): ``TP / (TP + FP + FN)``, in [0, 1].

    Related to Dice by ``IoU = D / (2 − D)``. ``empty`` when both masks are empty.

    Examples
    --------
    >>> iou([1, 1, 0, 0], [1, 0, 1, 0])   # 1 / (1 + 1 + 1)
    0.3333333333333333
    """
    return _counts(pred, ref, threshold, per_case).iou(empty=empty)


def precision(pred: Any, ref: Any, *, threshold: float | None = None, per_case: bool = False,
              empty: float = NAN) -> Any:
    """Precision (positive predictive value): ``TP / (TP + FP)``; ``empty`` when ``pred`` is empty.

    Examples
    --------
    >>> precision([1, 1, 1, 0], [1, 0, 0, 0])   # 1 / (1 + 2)
    0.3333333333333333
    """
    return _counts(pred, ref, threshold, per_case).precision(empty=empty)


def recall(pred: Any, ref: Any, *, threshold: float | None = None, per_case: bool = False,
           empty: float = NAN) -> Any:
    """Recall (sensitivity, true positive rate): ``TP / (TP + FN)``; ``empty`` when ``ref`` is empty.

    Examples
    --------
    >>> recall([1, 0, 0, 0], [1, 1, 0, 0])   # 1 / (1 + 1)
    0.5
    """
    return _counts(pred, ref, threshold, per_case).recall(empty=empty)


def specificity(pred: Any, ref: Any, *, threshold: float | None = None, per_case: bool = False,
                empty: float = NAN) -> Any:
    """Specificity (true negative rate): ``TN / (TN + FP)``; ``empty`` when ``ref`` is all foreground.

    Examples
    --------
    >>> specificity([1, 1, 0, 0], [1, 0, 0, 0])   # TN=2, FP=1: 2/3
    0.6666666666666666
    """
    return _counts(pred, ref, threshold, per_case).specificity(empty=empty)


def npv(pred: Any, ref: Any, *, threshold: float | None = None, per_case: bool = False,
        empty: float = NAN) -> Any:
    """Negative predictive value: ``TN / (TN + FN)``; ``empty`` when ``pred`` is all foreground.

    Examples
    --------
    >>> npv([1, 0, 0, 0], [1, 1, 0, 0])   # TN=2, FN=1: 2/3
    0.6666666666666666
    """
    return _counts(pred, ref, threshold, per_case).npv(empty=empty)


def accuracy(pred: Any, ref: Any, *, threshold: float | None = None, per_case: bool = False,
             empty: float = NAN) -> Any:
    """Pixel accuracy: ``(TP + TN) / N``. Always defined; dominated by the background when the
    foreground is small (the accuracy paradox). ``empty`` is accepted for a uniform signature;
    it is never needed because a mask has at least one pixel.

    Examples
    --------
    >>> accuracy([0] * 100, [1] * 2 + [0] * 98)   # predicts nothing, still 98% "accurate"
    0.98
    """
    return _counts(pred, ref, threshold, per_case).accuracy(empty=empty)


def balanced_accuracy(pred: Any, ref: Any, *, threshold: float | None = None, per_case: bool = False,
                      empty: float = NAN) -> Any:
    """Balanced accuracy: ``(recall + specificity) / 2``; ``empty`` when either is undefined.

    Examples
    --------
    >>> balanced_accuracy([0] * 100, [1] * 2 + [0] * 98)   # (0 + 1) / 2
    0.5
    """
    return _counts(pred, ref, threshold, per_case).balanced_accuracy(empty=empty)


def f_beta(pred: Any, ref: Any, beta: float, *, threshold: float | None = None, per_case: bool = False,
           empty: float = NAN) -> Any:
    """F-beta score: ``(1 + β²)TP / ((1 + β²)TP + β²FN + FP)``.

    ``beta > 1`` weighs recall more (missed lesion pixels cost more than false alarms), ``beta < 1``
    weighs precision more, ``beta = 1`` is Dice. ``empty`` when both masks are empty.

    Examples
    --------
    >>> f_beta([1, 0, 0, 0], [1, 1, 0, 0], beta=2)   # TP=1, FN=1: 5/(5+4)
    0.5555555555555556
    """
    return _counts(pred, ref, threshold, per_case).f_beta(beta, empty=empty)


def mcc(pred: Any, ref: Any, *, threshold: float | None = None, per_case: bool = False,
        empty: float = NAN) -> Any:
    """Matthews correlation coefficient, in [-1, 1] (0: no better than chance).

    ``(TP·TN − FP·FN) / sqrt((TP+FP)(TP+FN)(TN+FP)(TN+FN))``; ``empty`` when any factor of the
    denominator is zero. (scikit-learn returns 0 there; pass ``empty=0.0`` to match it.)

    Examples
    --------
    >>> mcc([1, 1, 0, 0], [1, 1, 0, 0])
    1.0
    """
    return _counts(pred, ref, threshold, per_case).mcc(empty=empty)


def volume_similarity(pred: Any, ref: Any, *, threshold: float | None = None, per_case: bool = False,
                      empty: float = NAN) -> Any:
    """Volume similarity: ``1 − |FN − FP| / (2TP + FP + FN)`` = ``1 − ||P| − |R|| / (|P| + |R|)``.

    Only sizes count: a prediction of the right size in the wrong place scores 1.
    ``empty`` when both masks are empty.

    Examples
    --------
    >>> volume_similarity([0, 0, 1, 1], [1, 1, 0, 0])   # right size, wrong place
    1.0
    """
    return _counts(pred, ref, threshold, per_case).volume_similarity(empty=empty)


def overlap_metrics(pred: Any, ref: Any, *, threshold: float | None = None, per_case: bool = False,
                    empty: float = NAN) -> dict[str, Any]:
    """Every overlap metric from one counting pass, as a dict (plus the four counts).

    Examples
    --------
    >>> m = overlap_metrics([1, 1, 0, 0], [1, 0, 0, 0])
    >>> m["tp"], m["fp"], m["dice"]
    (1, 1, 0.6666666666666666)
    """
    counts = _counts(pred, ref, threshold, per_case)
    return {**counts.as_dict(), **counts.metrics(empty=empty)}


def soft_dice(prob: Any, ref: Any, *, per_case: bool = False, empty: float = NAN) -> Any:
    """Soft Dice of a probability map against a binary reference: ``2 Σ p·r / (Σ p + Σ r)``.

    Uses the probabilities directly (no threshold): the quantity that Dice *losses* optimise.
    Equals :func:`dice` when ``prob`` is binary. ``empty`` when ``Σ p + Σ r = 0``.

    Parameters
    ----------
    prob : array_like
        Probabilities in [0, 1].
    ref : array_like
        Binary reference mask of the same shape.

    Examples
    --------
    >>> soft_dice([0.9, 0.5, 0.0], [1, 0, 0])   # 2*0.9 / (1.4 + 1)
    0.75
    """
    from ._validation import _as_array, _check_finite

    p = _as_array(prob, "prob")
    if p.dtype.kind == "b":
        p = p.astype(np.float64)
    _check_finite(p, "prob")
    if p.min() < 0 or p.max() > 1:
        raise ValueError(f"prob must hold probabilities in [0, 1], got values in [{p.min()}, {p.max()}]")
    r = as_mask(ref, "ref")
    check_same_shape(p, r, ("prob", "ref"))
    empty = check_empty_value(empty)
    p = p.astype(np.float64, copy=False)
    axes = tuple(range(1, p.ndim)) if per_case else None
    if per_case and p.ndim < 2:
        raise ValueError(f"per_case=True needs a stack of cases with a leading case axis, got shape {p.shape}")
    inter = np.sum(p * r, axis=axes)
    den = np.sum(p, axis=axes) + np.count_nonzero(r, axis=axes)
    return _ratio(2 * inter, den, empty)
