"""Threshold sweeps: every overlap metric at many thresholds of a probability map, in one pass.

``threshold_sweep(prob, ref)`` answers "what happens to precision, recall and Dice as I move the
threshold?" for hundreds of thresholds at once, fast enough to redraw a precision-recall curve
while a slider moves.

How it works (no loop that re-thresholds the image)
---------------------------------------------------
The scores are split by reference class and each part is sorted once. The number of positive
(foreground) pixels with ``prob >= t`` is then ``n_pos - searchsorted(sorted_pos, t, "left")``,
for all thresholds at once, and likewise for the background. That gives exact integer
``tp, fp, fn, tn`` per threshold, and every metric comes from
:class:`~seglearn.metrics.ConfusionCounts`, so each point agrees *exactly* with
``confusion_counts(prob, ref, threshold=t)``: the rule is ``pred = prob >= t``, compared in the
dtype of ``prob`` (as NumPy compares a float32 array with a Python float).
"""
from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from typing import Any

import numpy as np

from ._validation import _as_array, _check_finite, as_mask, check_empty_value, check_same_shape
from .aggregate import metric_from_counts
from .confusion import NAN, ConfusionCounts

__all__ = ["threshold_sweep", "ThresholdSweep", "SweepPoint"]


@dataclass(frozen=True)
class SweepPoint:
    """One threshold of a :class:`ThresholdSweep`, as returned by ``best()`` and ``threshold_for_recall()``.

    Attributes
    ----------
    threshold : float
        The threshold; the prediction is ``prob >= threshold``.
    index : int
        Its position in :attr:`ThresholdSweep.thresholds`.
    metric : str
        The metric that selected this point, and ``value`` its value there.
    counts : ConfusionCounts
        Exact ``tp, fp, fn, tn`` at this threshold.
    precision, recall, dice, specificity, iou : float
        The metrics at this threshold (with the sweep's ``empty`` policy).
    """

    threshold: float
    index: int
    metric: str
    value: float
    counts: ConfusionCounts
    precision: float
    recall: float
    dice: float
    specificity: float
    iou: float

    def __repr__(self) -> str:
        chosen = "" if self.metric in ("precision", "recall", "dice", "specificity") else \
            f"{self.metric}={self.value:.4g}; "
        return (f"SweepPoint(threshold={self.threshold:.6g}, {chosen}precision="
                f"{self.precision:.4g}, recall={self.recall:.4g}, dice={self.dice:.4g}, "
                f"specificity={self.specificity:.4g}, {self.counts!r})")


def _readonly(a: np.ndarray) -> np.ndarray:
    a = np.array(a)
    a.setflags(write=False)
    return a


@dataclass(frozen=True, eq=False)
class ThresholdSweep:
    """Result of :func:`threshold_sweep` (immutable; all arrays are read-only, one entry per threshold).

    Attributes
    ----------
    thresholds : numpy.ndarray of float64
        The thresholds, in the order given (ascending when chosen automatically).
    counts : ConfusionCounts
        Exact per-threshold counts; ``.tp .fp .fn .tn`` are shortcuts.
    precision, recall, dice, specificity, iou : numpy.ndarray of float64
        The metrics per threshold; ``empty`` where one is 0/0 (precision when nothing is predicted,
        recall when ``ref`` is empty, Dice and IoU when both are).
    empty : float
        The 0/0 value used (default NaN).
    n_pos, n_neg : int
        Reference foreground and background pixel counts.
    """

    thresholds: np.ndarray
    counts: ConfusionCounts
    precision: np.ndarray
    recall: np.ndarray
    dice: np.ndarray
    specificity: np.ndarray
    iou: np.ndarray
    empty: float
    n_pos: int
    n_neg: int

    # -- counts -------------------------------------------------------------------------------
    @property
    def tp(self) -> np.ndarray:
        """True positives per threshold (int64)."""
        return self.counts.tp

    @property
    def fp(self) -> np.ndarray:
        """False positives per threshold (int64)."""
        return self.counts.fp

    @property
    def fn(self) -> np.ndarray:
        """False negatives per threshold (int64)."""
        return self.counts.fn

    @property
    def tn(self) -> np.ndarray:
        """True negatives per threshold (int64)."""
        return self.counts.tn

    def __len__(self) -> int:
        return int(self.thresholds.size)

    # -- metrics ------------------------------------------------------------------------------
    def f_beta(self, beta: float) -> np.ndarray:
        """F-beta per threshold (``beta > 1`` weighs recall more); ``empty`` when both masks are empty."""
        return np.asarray(self.counts.f_beta(beta, empty=self.empty), dtype=np.float64)

    def metric(self, name: str, *, beta: float | None = None) -> np.ndarray:
        """Any :class:`~seglearn.metrics.ConfusionCounts` metric per threshold, by name.

        Parameters
        ----------
        name : str
            One of ``"dice", "iou", "precision", "recall", "specificity", "npv", "accuracy",
            "balanced_accuracy", "mcc", "volume_similarity", "f_beta"``.
        beta : float, optional
            Required for ``"f_beta"``.
        """
        values = metric_from_counts(self.counts, name, beta=beta, empty=self.empty)
        return np.asarray(values, dtype=np.float64).reshape(-1)

    def _point(self, index: int, metric: str, value: float) -> SweepPoint:
        return SweepPoint(threshold=float(self.thresholds[index]), index=int(index), metric=metric,
                          value=float(value), counts=self.counts[index],
                          precision=float(self.precision[index]), recall=float(self.recall[index]),
                          dice=float(self.dice[index]), specificity=float(self.specificity[index]),
                          iou=float(self.iou[index]))

    def _highest_threshold(self, eligible: np.ndarray) -> int:
        """Index of the highest threshold among ``eligible`` (the first such index for duplicates)."""
        idx = np.flatnonzero(eligible)
        return int(idx[np.argmax(self.thresholds[idx])])

    def best(self, metric: str = "dice", *, beta: float | None = None,
             min_recall: float | None = None) -> SweepPoint:
        """The threshold that maximises ``metric``.

        Parameters
        ----------
        metric : str, default "dice"
            A metric name accepted by :meth:`metric` (``"f_beta"`` needs ``beta``).
        beta : float, optional
            For ``metric="f_beta"``.
        min_recall : float, optional
            Only consider thresholds whose recall is at least this (e.g. the best precision at
            recall >= 0.9).

        Returns
        -------
        SweepPoint

        Notes
        -----
        Undefined (NaN) values are skipped. Ties (exactly equal values) go to the **highest**
        threshold: the sparsest prediction with that score.
        """
        values = self.metric(metric, beta=beta)
        eligible = ~np.isnan(values)
        if min_recall is not None:
            eligible &= self.recall >= _check_fraction(min_recall, "min_recall")
        if not eligible.any():
            raise ValueError(f"no threshold has a defined {metric}"
                             + ("" if min_recall is None else f" with recall >= {min_recall}")
                             + f" (ref has {self.n_pos} foreground pixels)")
        top = values[eligible].max()
        return self._point(self._highest_threshold(eligible & (values == top)), metric, top)

    def threshold_for_recall(self, target: float) -> SweepPoint:
        """The highest threshold whose recall is at least ``target``.

        Recall never increases with the threshold, so this is the operating point that reaches
        the target with the fewest predicted pixels, hence the fewest false positives. Precision
        usually peaks there too, but it is not monotone in the threshold: to maximise precision
        subject to the target use ``best("precision", min_recall=target)``.

        Parameters
        ----------
        target : float in [0, 1]

        Returns
        -------
        SweepPoint
            ``.threshold`` and the metrics there. Duplicated thresholds: the first occurrence.

        Raises
        ------
        ValueError
            When ``ref`` is empty (recall undefined) or no threshold reaches ``target`` (add lower
            thresholds; ``thresholds=None`` always includes the lowest score, where recall is 1).
        """
        target = _check_fraction(target, "target")
        if self.n_pos == 0:
            raise ValueError("recall is undefined at every threshold: ref has no foreground pixels")
        eligible = self.recall >= target
        if not eligible.any():
            k = int(np.argmax(self.recall))
            raise ValueError(
                f"no threshold reaches recall >= {target}: the highest recall in this sweep is "
                f"{self.recall[k]:.4g} at threshold {self.thresholds[k]:.6g}; add lower thresholds"
            )
        k = self._highest_threshold(eligible)
        return self._point(k, "recall", self.recall[k])

    def average_precision(self) -> float:
        """Average precision, the step-wise area under the PR curve: ``Σ (R_k − R_{k−1}) P_k``.

        Thresholds are visited from the highest down, starting from recall 0; this is
        scikit-learn's ``average_precision_score`` (no interpolation) when the sweep used
        ``thresholds=None`` (every distinct score). On a coarser grid it is an approximation.
        ``empty`` when ``ref`` has no foreground.
        """
        if self.n_pos == 0:
            return self.empty
        order = np.argsort(-self.thresholds, kind="stable")
        recall = self.recall[order]
        precision = self.precision[order]
        steps = np.diff(recall, prepend=0.0)
        # Recall only grows as the threshold falls; a zero step (duplicate threshold, or nothing
        # predicted where precision is undefined) adds nothing.
        return float(np.sum(np.where(steps > 0, steps * np.nan_to_num(precision), 0.0)))

    # -- display ------------------------------------------------------------------------------
    def as_dict(self) -> dict[str, np.ndarray]:
        """Columns as a dict of arrays (``pandas.DataFrame(sweep.as_dict())``)."""
        return {"threshold": self.thresholds, "tp": self.tp, "fp": self.fp, "fn": self.fn, "tn": self.tn,
                "precision": self.precision, "recall": self.recall, "dice": self.dice,
                "iou": self.iou, "specificity": self.specificity}

    def __repr__(self) -> str:
        n = len(self)
        lo, hi = (float(self.thresholds.min()), float(self.thresholds.max()))
        text = (f"ThresholdSweep({n} thresholds in [{lo:.4g}, {hi:.4g}]; ref has {self.n_pos} foreground "
                f"of {self.n_pos + self.n_neg} pixels")
        if np.any(~np.isnan(self.dice)):
            b = self.best("dice")
            text += f"; best Dice {b.value:.4g} at threshold {b.threshold:.4g}"
        return text + ")"

    def to_markdown(self, max_rows: int = 15) -> str:
        """A Markdown table of (at most ``max_rows``, evenly spaced) thresholds and their metrics."""
        n = len(self)
        rows = np.unique(np.linspace(0, n - 1, min(n, max_rows)).round().astype(int))
        lines = ["| threshold | TP | FP | FN | precision | recall | Dice | specificity |",
                 "|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for k in rows:
            lines.append(f"| {self.thresholds[k]:.4g} | {self.tp[k]} | {self.fp[k]} | {self.fn[k]} | "
                         f"{self.precision[k]:.3f} | {self.recall[k]:.3f} | {self.dice[k]:.3f} | "
                         f"{self.specificity[k]:.3f} |")
        if rows.size < n:
            lines.append(f"\n{rows.size} of {n} thresholds shown.")
        return "\n".join(lines)

    def _repr_markdown_(self) -> str:
        return f"`{self!r}`\n\n{self.to_markdown()}"


def _check_fraction(x: Any, name: str) -> float:
    if isinstance(x, (bool, np.bool_)) or not isinstance(x, numbers.Real) or not 0.0 <= float(x) <= 1.0:
        raise ValueError(f"{name} must be a number in [0, 1], got {x!r}")
    return float(x)


def _as_scores(prob: Any) -> np.ndarray:
    arr = _as_array(prob, "prob")
    if arr.dtype == bool:
        raise TypeError("prob is a boolean mask; threshold_sweep needs a probability (or score) map, "
                        "e.g. a float array in [0, 1]")
    _check_finite(arr, "prob")
    return arr


def _as_thresholds(thresholds: Any) -> np.ndarray:
    if np.ndim(thresholds) == 0 and not isinstance(thresholds, (str, bytes)) and thresholds is not None:
        raise ValueError(f"thresholds must be a 1-D sequence of numbers, got the scalar {thresholds!r}; "
                         "for a single threshold use confusion_counts(prob, ref, threshold=t)")
    arr = _as_array(thresholds, "thresholds")
    if arr.ndim != 1:
        raise ValueError(f"thresholds must be 1-D, got an array of shape {arr.shape}")
    if arr.dtype == bool:
        raise TypeError("thresholds must be numbers, got a boolean array")
    _check_finite(arr, "thresholds")
    return arr.astype(np.float64)


def threshold_sweep(prob: Any, ref: Any, thresholds: Any = None, *, empty: float = NAN) -> ThresholdSweep:
    """Precision, recall, Dice, specificity and exact counts at many thresholds at once.

    Parameters
    ----------
    prob : array_like
        Probability (or any real score) map; finite numbers, not bool.
    ref : array_like
        Binary reference mask of the same shape.
    thresholds : array_like, optional
        1-D finite thresholds; the prediction at ``t`` is ``prob >= t``, exactly as
        ``confusion_counts(prob, ref, threshold=t)``. Kept in the given order. ``None`` (default)
        uses every distinct value of ``prob``, ascending, like scikit-learn's
        ``precision_recall_curve``: the complete curve, where nothing is predicted above the last
        threshold. For a fixed grid pass e.g. ``np.linspace(0, 1, 101)``.
    empty : float, default NaN
        Value of a metric that is 0/0 at a threshold (precision where nothing is predicted,
        recall when ``ref`` is empty).

    Returns
    -------
    ThresholdSweep
        Arrays ``.thresholds .tp .fp .fn .tn .precision .recall .dice .iou .specificity``,
        ``.f_beta(beta)``, ``.best(metric)``, ``.threshold_for_recall(target)``,
        ``.average_precision()``.

    Notes
    -----
    Cost: one sort of the scores of each reference class (O(N log N)) plus a binary search per
    threshold, instead of one pass over the image per threshold. 256 thresholds on a 512×512 map
    take a few milliseconds.

    Examples
    --------
    scikit-learn's ``precision_recall_curve`` example (y_true=[0, 0, 1, 1]):

    >>> sw = threshold_sweep([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])
    >>> sw.thresholds
    array([0.1 , 0.35, 0.4 , 0.8 ])
    >>> sw.precision.round(3), sw.recall
    (array([0.5  , 0.667, 0.5  , 1.   ]), array([1. , 1. , 0.5, 0.5]))
    >>> sw.best("dice").threshold, round(sw.average_precision(), 4)
    (0.35, 0.8333)
    >>> sw.threshold_for_recall(0.5).threshold
    0.8
    """
    p = _as_scores(prob)
    r = as_mask(ref, "ref")
    check_same_shape(p, r, ("prob", "ref"))
    empty = check_empty_value(empty)
    # Compare in prob's dtype when it is floating (what `prob >= python_float` does), else float64.
    cmp_dtype = p.dtype if p.dtype.kind == "f" else np.dtype(np.float64)
    p = p.astype(cmp_dtype, copy=False)
    pos = np.sort(p[r], axis=None)
    neg = np.sort(p[~r], axis=None)
    n_pos, n_neg = int(pos.size), int(neg.size)

    if thresholds is None:
        merged = np.concatenate([pos, neg])
        merged.sort(kind="stable")  # two sorted runs: timsort merges them in linear time
        keep = np.empty(merged.size, dtype=bool)
        keep[0] = True
        np.not_equal(merged[1:], merged[:-1], out=keep[1:])
        t_cmp = merged[keep]
        t_out = t_cmp.astype(np.float64)
    else:
        t_out = _as_thresholds(thresholds)
        with np.errstate(over="ignore"):
            t_cmp = t_out.astype(cmp_dtype)

    tp = n_pos - np.searchsorted(pos, t_cmp, side="left").astype(np.int64)
    fp = n_neg - np.searchsorted(neg, t_cmp, side="left").astype(np.int64)
    counts = ConfusionCounts(tp=tp, fp=fp, fn=n_pos - tp, tn=n_neg - fp)

    def arr(x: Any) -> np.ndarray:
        return _readonly(np.asarray(x, dtype=np.float64).reshape(-1))

    return ThresholdSweep(
        thresholds=_readonly(t_out), counts=counts,
        precision=arr(counts.precision(empty=empty)), recall=arr(counts.recall(empty=empty)),
        dice=arr(counts.dice(empty=empty)), specificity=arr(counts.specificity(empty=empty)),
        iou=arr(counts.iou(empty=empty)), empty=empty, n_pos=n_pos, n_neg=n_neg,
    )
