"""The one confusion-count core that every overlap metric in seglearn derives from.

``confusion_counts(pred, ref)`` counts true positives, false positives, false negatives and true
negatives exactly (Python integers, or int64 per case), in one cache-friendly pass over both
masks. :class:`ConfusionCounts` then derives every overlap metric from the four numbers, each
with the same explicit policy for the undefined 0/0 case (the ``empty`` argument).

Why the default ``empty`` is NaN
--------------------------------
A ratio such as Dice is undefined when its denominator is zero (for Dice: both masks empty).
Libraries disagree on what to return (1, 0 or NaN). seglearn returns NaN by default, *without*
a warning, because any number would be a choice made silently for the user: 1 rewards a model
for predicting nothing on healthy cases, 0 punishes a correct empty prediction. NaN keeps the
case visible; :func:`seglearn.metrics.aggregate` counts such cases and reports how it treated
them. Pass ``empty=1.0`` (or 0.0) to choose a number explicitly.
"""
from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from typing import Any, Union

import numpy as np

from ._validation import as_mask_pair, check_empty_value

__all__ = ["ConfusionCounts", "confusion_counts"]

NAN = float("nan")
Count = Union[int, np.ndarray]

# Counting bytes. ``np.count_nonzero`` on bool arrays is a scalar SWAR loop; summing the same bytes
# as uint64 words with ``np.add.reduceat`` is vectorised and about twice as fast. Each word holds 8
# bool bytes (0 or 1); summing at most 255 words per segment keeps every byte lane <= 255, so no
# lane overflows into the next, and the lanes are added up at the end (:func:`_lane_total`).
_SEGMENT = 255                    # words per reduceat segment (lane capacity)
_CHUNK_WORDS = _SEGMENT * 128     # 32640 words = 255 KiB per chunk: two chunks + scratch fit in L2
_CHUNK = _CHUNK_WORDS * 8         # the same chunk in elements
_SMALL = 1 << 19                  # up to this many elements (measured), plain count_nonzero is quicker
_U = np.uint64
_BYTE_LANES = _U(0x00FF00FF00FF00FF)
_NOT_BOOL_BITS = _U(0xFEFEFEFEFEFEFEFE)   # set in a word only if one of its bytes is not 0/1
_ADD_16BIT_LANES = _U(0x0001000100010001)


def _lane_total(words: np.ndarray) -> int:
    """Exact sum of all 8 byte lanes of uint64 ``words`` whose lanes each hold at most 255."""
    lo = words & _BYTE_LANES
    hi = words >> _U(8)
    hi &= _BYTE_LANES
    lo += hi               # four 16-bit lanes, each <= 510
    lo *= _ADD_16BIT_LANES  # top 16 bits: sum of the four lanes (<= 2040, no overflow)
    lo >>= _U(48)
    return int(lo.sum())


def _count_true_bytes(flat_bool: np.ndarray) -> int:
    """Number of True values in a contiguous 1-D bool array (exact), via reduceat on uint64 words."""
    n_words = flat_bool.size // 8
    total = 0
    if n_words:
        words = flat_bool[: n_words * 8].view(_U)
        total = _lane_total(np.add.reduceat(words, np.arange(0, n_words, _SEGMENT)))
    return total + int(np.count_nonzero(flat_bool[n_words * 8:]))


def _ratio(num: Any, den: Any, empty: float) -> Any:
    """``num / den`` with ``empty`` where ``den == 0``; no warnings, float or float array out."""
    if type(num) in (int, float) and type(den) in (int, float):   # fast path: one case
        return float(empty) if den == 0 else float(num) / float(den)
    if np.ndim(num) == 0 and np.ndim(den) == 0:
        return float(empty) if den == 0 else float(num) / float(den)
    num = np.asarray(num, dtype=np.float64)
    den = np.asarray(den, dtype=np.float64)
    out = np.full(np.broadcast(num, den).shape, float(empty))
    np.divide(num, den, out=out, where=den != 0)
    return out


def check_beta(beta: Any) -> float:
    """Validate F-beta's ``beta``: a finite positive real number (TypeError / ValueError otherwise).

    Examples
    --------
    >>> check_beta(2)
    2.0
    >>> check_beta(0)
    Traceback (most recent call last):
    ...
    ValueError: beta must be a finite positive number (e.g. beta=2 to weigh recall more), got 0
    """
    if isinstance(beta, (bool, np.bool_)) or not isinstance(beta, numbers.Real):
        raise TypeError(f"beta must be a finite positive number (e.g. beta=2 to weigh recall more), got {beta!r}")
    if not math.isfinite(beta) or beta <= 0:
        raise ValueError(f"beta must be a finite positive number (e.g. beta=2 to weigh recall more), got {beta!r}")
    if float(beta) > 1e150:   # beta**2 would overflow a float (F-beta tends to recall as beta grows)
        raise ValueError(f"beta must be at most 1e150 (beta**2 must be a finite float; for large beta "
                         f"F-beta is recall), got {beta!r}")
    return float(beta)


def _freeze(x: Any) -> Count:
    if isinstance(x, np.ndarray) and x.ndim:
        arr = np.array(x, dtype=np.int64)  # own copy
        arr.setflags(write=False)
        return arr
    return int(x)


@dataclass(frozen=True, eq=False)
class ConfusionCounts:
    """Exact pixel (voxel) counts of a prediction against a reference.

    ``tp``, ``fp``, ``fn`` and ``tn`` are Python integers for one case, or read-only int64 arrays
    with one entry per case (``confusion_counts(..., per_case=True)``) or per class
    (:func:`seglearn.metrics.per_class_counts`). Every derived metric works for both.

    Every metric whose formula can be 0/0 takes ``empty``: the value returned in that case
    (default NaN, see the module docstring for why).

    Examples
    --------
    >>> c = ConfusionCounts(tp=3, fp=1, fn=2, tn=10)
    >>> c.dice()          # 2*3 / (2*3 + 1 + 2)
    0.6666666666666666
    >>> c.iou()           # 3 / (3 + 1 + 2)
    0.5
    >>> c.recall(), c.precision()
    (0.6, 0.75)

    Per-case counts hold one entry per case and give one value per case:

    >>> cases = ConfusionCounts(tp=np.array([3, 0]), fp=np.array([1, 0]), fn=np.array([2, 0]), tn=np.array([10, 4]))
    >>> cases.dice()
    array([0.66666667,        nan])
    >>> cases.dice(empty=1.0)
    array([0.66666667, 1.        ])
    """

    tp: Count
    fp: Count
    fn: Count
    tn: Count

    def __post_init__(self) -> None:
        values = (self.tp, self.fp, self.fn, self.tn)
        if all(type(v) is int for v in values):   # fast path: one case of exact Python ints
            for field, value in zip(("tp", "fp", "fn", "tn"), values):
                if value < 0:
                    raise ValueError(f"{field} must be non-negative, got {value!r}")
            return
        for field in ("tp", "fp", "fn", "tn"):
            value = getattr(self, field)
            if isinstance(value, (bool, np.bool_)) or not (
                isinstance(value, (int, np.integer)) or (isinstance(value, np.ndarray) and value.dtype.kind in "iu")
            ):
                raise TypeError(f"{field} must be an integer count (or an integer array), got {value!r}")
            if np.any(np.asarray(value) < 0):
                raise ValueError(f"{field} must be non-negative, got {value!r}")
            object.__setattr__(self, field, _freeze(value))
        shapes = {np.shape(getattr(self, f)) for f in ("tp", "fp", "fn", "tn")}
        if len(shapes) > 1:
            raise ValueError(f"tp, fp, fn and tn must have the same shape, got shapes {sorted(shapes)}")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ConfusionCounts):
            return NotImplemented
        return all(np.array_equal(getattr(self, f), getattr(other, f)) for f in ("tp", "fp", "fn", "tn"))

    def __hash__(self) -> int:
        return hash(tuple(np.asarray(getattr(self, f)).tobytes() + str(np.shape(getattr(self, f))).encode()
                          for f in ("tp", "fp", "fn", "tn")))

    # -- basic sums -----------------------------------------------------------------------------
    @property
    def n(self) -> Count:
        """Total number of pixels: ``tp + fp + fn + tn``.

        Examples
        --------
        >>> ConfusionCounts(tp=3, fp=1, fn=2, tn=10).n
        16
        """
        return self.tp + self.fp + self.fn + self.tn

    @property
    def pred_positive(self) -> Count:
        """Pixels the prediction marks as foreground: ``tp + fp``.

        Examples
        --------
        >>> ConfusionCounts(tp=3, fp=1, fn=2, tn=10).pred_positive
        4
        """
        return self.tp + self.fp

    @property
    def ref_positive(self) -> Count:
        """Pixels the reference marks as foreground: ``tp + fn``.

        Examples
        --------
        >>> ConfusionCounts(tp=3, fp=1, fn=2, tn=10).ref_positive
        5
        """
        return self.tp + self.fn

    def as_dict(self) -> dict[str, Count]:
        """The four counts as a dict.

        Examples
        --------
        >>> ConfusionCounts(tp=3, fp=1, fn=2, tn=10).as_dict()
        {'tp': 3, 'fp': 1, 'fn': 2, 'tn': 10}
        """
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "tn": self.tn}

    def matrix(self) -> np.ndarray:
        """The 2x2 table ``[[tn, fp], [fn, tp]]`` (rows: reference 0/1, columns: prediction 0/1).

        The layout of scikit-learn's ``confusion_matrix`` and of :func:`confusion_matrix` with
        labels ``[0, 1]``. Single cases only.

        Examples
        --------
        >>> ConfusionCounts(tp=3, fp=1, fn=2, tn=10).matrix()
        array([[10,  1],
               [ 2,  3]])
        """
        if np.ndim(self.tp):
            raise ValueError("matrix() needs the counts of a single case; index the per-case counts first")
        return np.array([[self.tn, self.fp], [self.fn, self.tp]], dtype=np.int64)

    def __getitem__(self, index: Any) -> "ConfusionCounts":
        """Select cases (or classes) from per-case counts: ``counts[3]``, ``counts[mask]``.

        Examples
        --------
        >>> c = ConfusionCounts(tp=np.array([3, 0]), fp=np.array([1, 0]), fn=np.array([2, 0]), tn=np.array([10, 4]))
        >>> c[0]
        ConfusionCounts(tp=3, fp=1, fn=2, tn=10)
        """
        if type(self.tp) is int:   # one case of exact Python ints
            raise TypeError("single-case ConfusionCounts cannot be indexed")
        return ConfusionCounts(*(np.asarray(getattr(self, f))[index] for f in ("tp", "fp", "fn", "tn")))

    def __len__(self) -> int:
        """Number of cases (or classes) held; single-case counts have no length."""
        if type(self.tp) is int:   # one case of exact Python ints
            raise TypeError("single-case ConfusionCounts has no len()")
        return len(self.tp)

    def sum(self) -> "ConfusionCounts":
        """Pool per-case (or per-class) counts into one case (micro aggregation), exactly.

        Examples
        --------
        >>> c = ConfusionCounts(tp=np.array([3, 0]), fp=np.array([1, 0]), fn=np.array([2, 0]), tn=np.array([10, 4]))
        >>> c.sum()
        ConfusionCounts(tp=3, fp=1, fn=2, tn=14)
        """
        return ConfusionCounts(*(int(np.sum(getattr(self, f), dtype=np.int64)) if np.ndim(getattr(self, f))
                                 else getattr(self, f) for f in ("tp", "fp", "fn", "tn")))

    # -- overlap metrics ------------------------------------------------------------------------
    def dice(self, *, empty: float = NAN) -> Any:
        """Dice (Sørensen-Dice, F1): ``2TP / (2TP + FP + FN)``; ``empty`` when both masks are empty.

        Examples
        --------
        >>> ConfusionCounts(tp=3, fp=1, fn=2, tn=10).dice()   # 6 / 9
        0.6666666666666666
        >>> ConfusionCounts(tp=0, fp=0, fn=0, tn=10).dice(empty=1.0)
        1.0
        """
        return _ratio(2 * self.tp, 2 * self.tp + self.fp + self.fn, check_empty_value(empty))

    def iou(self, *, empty: float = NAN) -> Any:
        """IoU (Jaccard): ``TP / (TP + FP + FN)``; ``empty`` when both masks are empty.

        Examples
        --------
        >>> ConfusionCounts(tp=3, fp=1, fn=2, tn=10).iou()   # 3 / 6
        0.5
        """
        return _ratio(self.tp, self.tp + self.fp + self.fn, check_empty_value(empty))

    def precision(self, *, empty: float = NAN) -> Any:
        """Precision (PPV): ``TP / (TP + FP)``; ``empty`` when the prediction is empty.

        Examples
        --------
        >>> ConfusionCounts(tp=3, fp=1, fn=2, tn=10).precision()   # 3 / 4
        0.75
        """
        return _ratio(self.tp, self.tp + self.fp, check_empty_value(empty))

    def recall(self, *, empty: float = NAN) -> Any:
        """Recall (sensitivity, TPR): ``TP / (TP + FN)``; ``empty`` when the reference is empty.

        Examples
        --------
        >>> ConfusionCounts(tp=3, fp=1, fn=2, tn=10).recall()   # 3 / 5
        0.6
        """
        return _ratio(self.tp, self.tp + self.fn, check_empty_value(empty))

    def specificity(self, *, empty: float = NAN) -> Any:
        """Specificity (TNR): ``TN / (TN + FP)``; ``empty`` when the reference has no background.

        Examples
        --------
        >>> ConfusionCounts(tp=3, fp=1, fn=2, tn=9).specificity()   # 9 / 10
        0.9
        """
        return _ratio(self.tn, self.tn + self.fp, check_empty_value(empty))

    def npv(self, *, empty: float = NAN) -> Any:
        """Negative predictive value: ``TN / (TN + FN)``; ``empty`` when the prediction has no background.

        Examples
        --------
        >>> ConfusionCounts(tp=3, fp=1, fn=2, tn=8).npv()   # 8 / 10
        0.8
        """
        return _ratio(self.tn, self.tn + self.fn, check_empty_value(empty))

    def accuracy(self, *, empty: float = NAN) -> Any:
        """Accuracy: ``(TP + TN) / N``.

        Never undefined for counts of a real mask (it has at least one pixel); ``empty`` is
        returned only for hand-made all-zero counts, and is accepted for a uniform signature.

        Examples
        --------
        >>> ConfusionCounts(tp=3, fp=1, fn=2, tn=10).accuracy()   # 13 / 16
        0.8125
        """
        return _ratio(self.tp + self.tn, self.n, check_empty_value(empty))

    def balanced_accuracy(self, *, empty: float = NAN) -> Any:
        """Balanced accuracy: ``(recall + specificity) / 2``; ``empty`` when either is undefined
        (the reference is all background or all foreground).

        Examples
        --------
        >>> ConfusionCounts(tp=3, fp=1, fn=2, tn=9).balanced_accuracy()   # (3/5 + 9/10) / 2
        0.75
        """
        empty = check_empty_value(empty)
        r = self.recall(empty=NAN)
        s = self.specificity(empty=NAN)
        if type(self.tp) is int:   # one case of exact Python ints
            return empty if math.isnan(r) or math.isnan(s) else (r + s) / 2
        out = (np.asarray(r) + np.asarray(s)) / 2
        out = np.where(np.isnan(out), empty, out)
        return float(out) if out.ndim == 0 else out

    def f_beta(self, beta: float, *, empty: float = NAN) -> Any:
        """F-beta: ``(1 + β²) TP / ((1 + β²) TP + β² FN + FP)``; ``beta > 1`` weights recall more.

        ``empty`` when both masks are empty. ``f_beta(1)`` equals :meth:`dice`.

        Examples
        --------
        >>> ConfusionCounts(tp=1, fp=0, fn=1, tn=2).f_beta(2)   # 5*1 / (5*1 + 4*1 + 0)
        0.5555555555555556
        """
        check_beta(beta)
        b2 = float(beta) ** 2
        if type(self.tp) is int:   # one case of exact Python ints
            num_f = (1 + b2) * self.tp
            den_f = num_f + b2 * self.fn + self.fp
            return check_empty_value(empty) if den_f == 0 else num_f / den_f
        num = (1 + b2) * np.asarray(self.tp, dtype=np.float64)
        den = num + b2 * np.asarray(self.fn, dtype=np.float64) + np.asarray(self.fp, dtype=np.float64)
        out = _ratio(num, den, check_empty_value(empty))
        return float(out) if np.ndim(out) == 0 else out

    def mcc(self, *, empty: float = NAN) -> Any:
        """Matthews correlation coefficient, in [-1, 1].

        ``(TP·TN − FP·FN) / sqrt((TP+FP)(TP+FN)(TN+FP)(TN+FN))``; ``empty`` when any of the four
        sums is zero (either mask all background or all foreground). Computed without overflow.

        Examples
        --------
        >>> ConfusionCounts(tp=3, fp=1, fn=1, tn=3).mcc()   # (9 - 1) / sqrt(4*4*4*4)
        0.5
        """
        tp, fp, fn, tn = (np.asarray(getattr(self, f), dtype=np.float64) for f in ("tp", "fp", "fn", "tn"))
        if type(self.tp) is int:   # one case of exact Python ints
            sums = (self.tp + self.fp, self.tp + self.fn, self.tn + self.fp, self.tn + self.fn)
            if 0 in sums:
                return check_empty_value(empty)
            num = self.tp * self.tn - self.fp * self.fn  # exact Python ints
            den = math.sqrt(sums[0] * sums[1] * sums[2] * sums[3])  # exact integer product, one rounding
            return max(-1.0, min(1.0, num / den))
        den = np.sqrt((tp + fp) * (tp + fn)) * np.sqrt((tn + fp) * (tn + fn))
        out = _ratio(tp * tn - fp * fn, den, check_empty_value(empty))
        return np.clip(out, -1.0, 1.0)

    def volume_similarity(self, *, empty: float = NAN) -> Any:
        """Volume similarity: ``1 − |FN − FP| / (2TP + FP + FN)``, in [0, 1].

        Compares only the sizes of the two masks (``|pred| − |ref| = FP − FN``), not where they
        are; ``empty`` when both masks are empty.

        Examples
        --------
        >>> ConfusionCounts(tp=3, fp=1, fn=2, tn=10).volume_similarity()   # 1 - |2 - 1| / 9
        0.8888888888888888
        """
        if type(self.tp) is int:   # one case of exact Python ints
            den_i = 2 * self.tp + self.fp + self.fn
            return check_empty_value(empty) if den_i == 0 else 1.0 - abs(self.fn - self.fp) / den_i
        diff = np.abs(np.asarray(self.fn, dtype=np.float64) - np.asarray(self.fp, dtype=np.float64))
        den = 2 * np.asarray(self.tp, dtype=np.float64) + self.fp + self.fn
        ratio = _ratio(diff, den, NAN)
        out = 1.0 - np.asarray(ratio)
        out = np.where(np.isnan(out), check_empty_value(empty), out)
        return float(out) if out.ndim == 0 else out

    def metrics(self, *, empty: float = NAN) -> dict[str, Any]:
        """Every overlap metric at once, as a dict (the readout widgets and reports use).

        Examples
        --------
        >>> m = ConfusionCounts(tp=3, fp=1, fn=2, tn=10).metrics()
        >>> m["dice"], m["accuracy"]
        (0.6666666666666666, 0.8125)
        """
        return {
            "dice": self.dice(empty=empty),
            "iou": self.iou(empty=empty),
            "precision": self.precision(empty=empty),
            "recall": self.recall(empty=empty),
            "specificity": self.specificity(empty=empty),
            "npv": self.npv(empty=empty),
            "accuracy": self.accuracy(empty=empty),
            "balanced_accuracy": self.balanced_accuracy(empty=empty),
            "mcc": self.mcc(empty=empty),
            "volume_similarity": self.volume_similarity(empty=empty),
        }

    def __repr__(self) -> str:
        return f"ConfusionCounts(tp={self.tp!r}, fp={self.fp!r}, fn={self.fn!r}, tn={self.tn!r})"


def _count_pair(p: np.ndarray, r: np.ndarray) -> tuple[int, int, int, int]:
    """Exact (tp, fp, fn, tn) for two contiguous bool arrays, in one chunked pass over memory.

    Each chunk (255 KiB, so both chunks and the scratch buffer stay in L2 cache) is read from
    memory once, counted as uint64 words with ``np.add.reduceat`` (see :func:`_lane_total`); the
    intersection is then formed and counted from the cached chunk - and skipped where either mask
    is empty in the chunk (most of a typical medical volume). Measured by benchmarks/metrics.py
    against ``count_nonzero``-based chunking and a bincount of ``2*pred + ref``; ``np.bitwise_count``
    on the words was slower here.
    """
    pf = p.reshape(-1)
    rf = r.reshape(-1)
    n = pf.size
    if n <= _SMALL:   # small images: three calls beat the set-up of the word-wise kernel
        n_pred = int(np.count_nonzero(pf))
        n_ref = int(np.count_nonzero(rf))
        tp = int(np.count_nonzero(np.logical_and(pf, rf))) if n_pred and n_ref else 0
        return tp, n_pred - tp, n_ref - tp, n - n_pred - n_ref + tp
    n_words = n // 8
    n_pred = n_ref = tp = 0
    if n_words:
        a64 = pf[: n_words * 8].view(_U)
        b64 = rf[: n_words * 8].view(_U)
        n_segments = -(-n_words // _SEGMENT)
        seg_a = np.empty(n_segments, dtype=_U)
        seg_b = np.empty(n_segments, dtype=_U)
        seg_tp = np.zeros(n_segments, dtype=_U)
        starts = np.arange(0, min(_CHUNK_WORDS, n_words), _SEGMENT)
        buf = np.empty(min(_CHUNK_WORDS, n_words), dtype=_U)
        reduceat = np.add.reduceat
        bitwise_and = np.bitwise_and
        bitwise_or_reduce = np.bitwise_or.reduce
        bits = _U(0)
        for w0 in range(0, n_words, _CHUNK_WORDS):
            x = a64[w0:w0 + _CHUNK_WORDS]
            y = b64[w0:w0 + _CHUNK_WORDS]
            s0 = w0 // _SEGMENT
            k = -(-x.size // _SEGMENT)
            idx = starts[:k]
            out_a = seg_a[s0:s0 + k]
            out_b = seg_b[s0:s0 + k]
            reduceat(x, idx, out=out_a)
            reduceat(y, idx, out=out_b)
            # Bool bytes other than 0/1 (np.fromfile(..., dtype=bool) of a 0/255 file, np.load of a
            # saved bool view) would be summed as their byte value: check the cached chunk. Chunks whose
            # segment sums are all 0 are skipped (the common empty background; OR-ing them too cost
            # +40 % on a small lesion in 256^3); with 0/1 bytes a zero sum means an all-zero chunk.
            has_a, has_b = out_a.any(), out_b.any()
            if has_a:
                bits |= bitwise_or_reduce(x)
            if has_b:
                bits |= bitwise_or_reduce(y)
            if has_a and has_b:
                o = buf[:x.size]
                bitwise_and(x, y, out=o)
                reduceat(o, idx, out=seg_tp[s0:s0 + k])
        if bits & _NOT_BOOL_BITS:
            return _count_pair(p.view(np.uint8) != 0, r.view(np.uint8) != 0)
        n_pred = _lane_total(seg_a)
        n_ref = _lane_total(seg_b)
        tp = _lane_total(seg_tp)
    tail_p = pf[n_words * 8:]
    tail_r = rf[n_words * 8:]
    if tail_p.size:
        n_pred += int(np.count_nonzero(tail_p))
        n_ref += int(np.count_nonzero(tail_r))
        tp += int(np.count_nonzero(np.logical_and(tail_p, tail_r)))
    fp = n_pred - tp
    fn = n_ref - tp
    return tp, fp, fn, n - tp - fp - fn


def confusion_counts(pred: Any, ref: Any, *, threshold: float | None = None,
                     per_case: bool = False) -> ConfusionCounts:
    """Count TP, FP, FN and TN of a predicted mask against a reference mask.

    Parameters
    ----------
    pred : array_like
        Predicted mask: bool, or numbers that are all 0 or 1. With ``threshold``, a probability
        (or score) map that is binarised as ``pred >= threshold``.
    ref : array_like
        Reference ("ground truth") mask of the same shape; must be binary.
    threshold : float, optional
        Binarise ``pred`` as ``pred >= threshold``.
    per_case : bool, default False
        When True, the first axis indexes cases and the result holds one count per case
        (int64 arrays).

    Returns
    -------
    ConfusionCounts
        Exact counts (Python ints: no float accumulation, exact for any array size) with every
        derived metric available as a method (``.dice()``, ``.recall()``, ...).

    Examples
    --------
    >>> pred = [[0, 1, 1],
    ...         [0, 1, 0]]
    >>> ref  = [[0, 1, 0],
    ...         [1, 1, 0]]
    >>> c = confusion_counts(pred, ref)
    >>> c
    ConfusionCounts(tp=2, fp=1, fn=1, tn=2)
    >>> c.dice()   # 2*2 / (2*2 + 1 + 1)
    0.6666666666666666
    """
    p, r = as_mask_pair(pred, ref, threshold=threshold)
    if not per_case:
        return ConfusionCounts(*_count_pair(p, r))
    if p.ndim < 2:
        raise ValueError(
            f"per_case=True needs a stack of cases with a leading case axis (at least 2-D), got shape {p.shape}"
        )
    rows = np.array([_count_pair(p[i], r[i]) for i in range(p.shape[0])], dtype=np.int64).reshape(-1, 4)
    return ConfusionCounts(rows[:, 0], rows[:, 1], rows[:, 2], rows[:, 3])
