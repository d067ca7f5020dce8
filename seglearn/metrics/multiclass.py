"""Multi-class (label map) evaluation: the exact K×K confusion matrix and per-class metrics.

Everything here comes from one exact integer matrix (:func:`confusion_matrix`); the per-class
counts are its one-vs-rest reading (:func:`per_class_counts`), and :func:`per_class` derives any
overlap metric of :class:`~seglearn.metrics.ConfusionCounts` from them, so a binary metric and
its per-class version always agree.

Policy for classes absent from both masks
-----------------------------------------
A class absent from both ``pred`` and ``ref`` has ``TP = FP = FN = 0``: Dice, IoU, precision and
recall are 0/0. Such classes follow the same explicit ``empty`` argument as the binary metrics
(default NaN, no warning). With ``average="macro"`` the mean is taken over the classes whose value
is a number: NaN classes are *left out* (not counted as 0 or 1); if every class is NaN the macro
average is NaN. Pass ``empty=1.0`` (or 0.0) to count absent classes with that value instead. Use
``average=None`` to see every class, NaN included. ``average="micro"`` pools the counts of the
included classes first and computes the metric once (undefined only if the pooled counts are).

Speed
-----
The matrix is counted in cache-sized chunks (one pass over memory). Chunks where both maps are
background (0) cost two SIMD ``max`` calls and nothing else. Otherwise the histogram of ``ref`` is
counted from ``ref >= v`` masks (word-wise, like the binary kernel), and only the voxels where
``pred`` and ``ref`` *disagree* - usually few, located 8 at a time by comparing uint64 words - are
gathered and counted with one ``bincount`` over a combined index; the diagonal follows from the
histogram. Chunks whose largest reference label is 16 or more are counted with one ``bincount``
over ``ref * V + pred`` instead; negative or large label values go through a sorted lookup first.
No Python loop over classes touches the pixels of large label maps with many labels.
"""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from ._validation import as_labels, check_empty_value, check_same_shape
from .confusion import _CHUNK_WORDS, _SEGMENT, _U, NAN, ConfusionCounts, _lane_total, check_beta

__all__ = ["confusion_matrix", "per_class_counts", "per_class", "PER_CLASS_METRICS"]

#: Metric names accepted by :func:`per_class` (methods of :class:`ConfusionCounts`).
PER_CLASS_METRICS = (
    "dice", "iou", "precision", "recall", "specificity", "npv", "accuracy", "balanced_accuracy",
    "f_beta", "mcc", "volume_similarity",
)

_CHUNK = 1 << 17
_MAX_COMPARE_LABELS = 16   # up to this many label values, histograms use compare + count_nonzero
_MAX_DIRECT_VALUE = 1 << 10  # non-negative labels below this are counted without a lookup
_MAX_CLASSES = 1 << 13       # a K x K matrix beyond this would need hundreds of MB


def _check_labels_arg(labels: Any) -> np.ndarray | None:
    if labels is None:
        return None
    if isinstance(labels, (str, bytes)):
        raise TypeError(f"labels must be a sequence of distinct integers, got {labels!r}")
    try:
        arr = np.asarray(labels)
    except ValueError:
        raise ValueError(f"labels must be a flat sequence of distinct integers, got {labels!r}") from None
    if arr.ndim != 1:
        raise ValueError(f"labels must be a flat (1-D) sequence of distinct integers, got shape {arr.shape}")
    if arr.size == 0:
        raise ValueError("labels must not be empty; pass labels=None to use the labels present in the data")
    if arr.dtype == bool:
        arr = arr.astype(np.int64)
    if arr.dtype.kind == "f":
        if not np.all(np.isfinite(arr)) or not np.array_equal(arr, np.round(arr)):
            raise ValueError(f"labels must be integers, got {labels!r}")
        if np.abs(arr).max() >= 2.0 ** 53:   # e.g. a list holding 2**53 + 1 and 2**64 - 1 became float64
            raise ValueError(
                f"labels beyond 2**53 lose their exact value as floats; pass them as an integer array "
                f"(np.array(..., dtype=np.int64 or np.uint64)), got {labels!r}"
            )
        arr = arr.astype(np.int64)
    if arr.dtype.kind not in "iu":
        raise TypeError(f"labels must be a sequence of distinct integers, got dtype {arr.dtype}: {labels!r}")
    if arr.dtype != np.uint64 or int(arr.max()) <= np.iinfo(np.int64).max:
        arr = arr.astype(np.int64)   # uint64 labels above 2**63 - 1 stay uint64 (exact)
    uniq, counts = np.unique(arr, return_counts=True)
    if uniq.size != arr.size:
        raise ValueError(f"labels must be distinct, got repeated values {uniq[counts > 1].tolist()} in {arr.tolist()}")
    return arr


def _as_label_pair(pred: Any, ref: Any) -> tuple[np.ndarray, np.ndarray]:
    p = as_labels(pred, "pred")
    r = as_labels(ref, "ref")
    check_same_shape(p, r)
    if np.result_type(p.dtype, r.dtype).kind == "f":   # uint64 with a signed map: NumPy would mix them as float64
        return _common_integer_maps(p, r)
    return p, r


def _common_integer_maps(p: np.ndarray, r: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A uint64 map and a signed map in one exact integer dtype (float64 would merge labels > 2**53)."""
    unsigned, signed = (p, r) if p.dtype == np.uint64 else (r, p)
    if int(unsigned.max()) <= np.iinfo(np.int64).max:
        common = np.dtype(np.int64)
    elif int(signed.min()) >= 0:
        common = np.dtype(np.uint64)
    else:
        raise ValueError(
            "pred and ref mix negative labels with labels above 2**63 - 1; no integer type holds both "
            f"(pred dtype {p.dtype}, ref dtype {r.dtype}): relabel one of them"
        )
    return p.astype(common, copy=False), r.astype(common, copy=False)


def _small_codes(p: np.ndarray, r: np.ndarray) -> tuple[np.ndarray, np.ndarray, int] | None:
    """Both maps as ``uint8``/``uint16`` codes equal to the label values, or None if not possible."""
    if p.dtype == np.uint8 and r.dtype == np.uint8:
        return np.ascontiguousarray(p), np.ascontiguousarray(r), 256
    lo = min(int(p.min()), int(r.min()))
    hi = max(int(p.max()), int(r.max()))
    if lo < 0 or hi >= _MAX_DIRECT_VALUE:
        return None
    dtype = np.uint8 if hi < 256 else np.uint16
    return (np.ascontiguousarray(p, dtype=dtype), np.ascontiguousarray(r, dtype=dtype), hi + 1)


def _joint_histogram(p: np.ndarray, r: np.ndarray, n_values: int) -> np.ndarray:
    """Exact ``M[ref_value, pred_value]`` over values ``0..n_values-1`` (int64), in chunks.

    Per chunk (255 KiB): two SIMD ``max`` calls find all-background chunks (counted without further
    work). Otherwise, with few labels, the histogram of ``ref`` comes from ``ref >= v`` masks counted
    word-wise (``reduceat``, as in :func:`seglearn.metrics.confusion_counts`); disagreements are
    located by comparing 8 voxels at a time as uint64 words, and only the voxels where
    ``pred != ref`` are gathered and counted with one ``bincount`` over ``ref * V + pred``;
    the diagonal is the histogram minus those. With many labels in a chunk, one ``bincount`` over
    the combined index counts the whole chunk.
    """
    pf = p.reshape(-1)
    rf = r.reshape(-1)
    n = pf.size
    V = int(n_values)
    direct = np.zeros(V * V, dtype=np.int64)       # every voxel of chunks counted by one bincount
    off = np.zeros(V * V, dtype=np.int64)          # disagreeing voxels of compare-counted chunks
    ref_ge = np.zeros(V + 1, dtype=np.int64)       # compare-counted: ref voxels with value >= v (tails)
    ref_ge_top = min(V, _MAX_COMPARE_LABELS)
    chunk_words = _CHUNK_WORDS // p.itemsize if p.itemsize > 1 else _CHUNK_WORDS
    chunk = chunk_words * 8                         # elements per chunk
    n_segments = -(-(n // 8) // _SEGMENT) + 1
    seg_ge = np.zeros((ref_ge_top + 1, n_segments), dtype=_U)   # word-wise counts of ref >= v
    starts = np.arange(0, chunk_words, _SEGMENT)
    neq = np.empty(min(chunk, n), dtype=bool)
    cmp = np.empty(min(chunk, n), dtype=bool)
    reduceat = np.add.reduceat
    for start in range(0, n, chunk):
        x = pf[start:start + chunk]
        y = rf[start:start + chunk]
        size = x.size
        top = int(y.max())
        if top == 0 and not x.max():               # all background in both: the common case
            ref_ge[0] += size
            continue
        if top >= _MAX_COMPARE_LABELS:              # many labels: one bincount over the combined index
            idx = y.astype(np.intp) * V
            idx += x
            counted = np.bincount(idx)
            direct[:counted.size] += counted
            continue
        ref_ge[0] += size
        c = cmp[:size]
        whole_words = size % 8 == 0
        s0 = start // 8 // _SEGMENT
        k = -(-(size // 8) // _SEGMENT)
        for v in range(1, top + 1):
            np.greater_equal(y, v, out=c)
            if whole_words:
                reduceat(c.view(_U), starts[:k], out=seg_ge[v, s0:s0 + k])
            else:
                ref_ge[v] += int(np.count_nonzero(c))
        # Locate disagreements word-wise: compare 8 voxels at a time, gather only differing words.
        per_word = 8 // x.itemsize
        n_words = size // per_word
        if n_words:
            x64 = x[: n_words * per_word].view(_U)
            y64 = y[: n_words * per_word].view(_U)
            ne = neq[:n_words]
            np.not_equal(x64, y64, out=ne)
            words = np.flatnonzero(ne)
            if words.size:
                xs = x64[words].view(x.dtype)
                ys = y64[words].view(y.dtype)
                differ = xs != ys
                idx = ys[differ].astype(np.intp) * V
                idx += xs[differ]
                counted = np.bincount(idx)
                off[:counted.size] += counted
        if size % per_word:
            xt = x[n_words * per_word:]
            yt = y[n_words * per_word:]
            differ = xt != yt
            if differ.any():
                idx = yt[differ].astype(np.intp) * V
                idx += xt[differ]
                counted = np.bincount(idx)
                off[:counted.size] += counted
    for v in range(1, ref_ge_top + 1):
        ref_ge[v] += _lane_total(seg_ge[v])
    off_m = off.reshape(V, V)
    ref_hist = ref_ge[:-1] - ref_ge[1:]
    # In compare-counted chunks a ref voxel of value v is either on the diagonal or disagrees.
    np.fill_diagonal(off_m, ref_hist - off_m.sum(axis=1))
    return off_m + direct.reshape(V, V)


def _joint_histogram_general(p: np.ndarray, r: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Values present (sorted) and the exact joint histogram, for any integer labels."""
    values = np.union1d(np.unique(p), np.unique(r))
    V = values.size
    if V > _MAX_CLASSES:
        raise ValueError(
            f"pred/ref hold {V} distinct label values; a {V}x{V} confusion matrix is too large "
            f"(limit {_MAX_CLASSES} classes). Is this an instance map? Use lesion_detection for objects."
        )
    pf = p.reshape(-1)
    rf = r.reshape(-1)
    total = np.zeros(V * V, dtype=np.int64)
    for start in range(0, pf.size, _CHUNK):
        x = np.searchsorted(values, pf[start:start + _CHUNK])
        y = np.searchsorted(values, rf[start:start + _CHUNK])
        idx = y.astype(np.intp) * V
        idx += x
        total += np.bincount(idx, minlength=V * V)
    return values, total.reshape(V, V)


def _present_values_and_matrix(p: np.ndarray, r: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(values present in either map, sorted; exact matrix over them, rows = ref, cols = pred)."""
    small = _small_codes(p, r)
    if small is None:
        return _joint_histogram_general(p, r)
    pc, rc, V = small
    full = _joint_histogram(pc, rc, V)
    present = np.flatnonzero(full.sum(axis=0) + full.sum(axis=1))
    return present.astype(np.int64), full[np.ix_(present, present)]


def _select(values: np.ndarray, matrix: np.ndarray, labels: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """Restrict to ``labels`` (in the given order); unknown values present in the data are an error."""
    if labels is None:
        return values, matrix
    unknown = sorted(set(values.tolist()) - set(labels.tolist()))   # Python ints: exact for int64 and uint64
    if unknown:
        shown = ", ".join(str(v) for v in unknown[:10]) + (", ..." if len(unknown) > 10 else "")
        raise ValueError(
            f"pred/ref contain label values {{{shown}}} that are not in labels={labels.tolist()}; "
            f"add them to labels (or pass labels=None to use every value present)"
        )
    pos = {int(v): i for i, v in enumerate(values.tolist())}
    K = labels.size
    out = np.zeros((K, K), dtype=np.int64)
    src = np.array([pos.get(int(v), -1) for v in labels.tolist()])
    ok = src >= 0
    out[np.ix_(ok, ok)] = matrix[np.ix_(src[ok], src[ok])]
    return labels, out


def _matrix_and_labels(p: np.ndarray, r: np.ndarray, labels: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    values, matrix = _present_values_and_matrix(p, r)
    return _select(values, matrix, labels)


def confusion_matrix(pred: Any, ref: Any, labels: Sequence[int] | None = None) -> np.ndarray:
    """Exact K×K confusion matrix of two label maps (rows: reference label, columns: predicted).

    ``C[i, j]`` is the number of pixels whose reference label is ``labels[i]`` and whose predicted
    label is ``labels[j]`` - the layout of scikit-learn's ``confusion_matrix(y_true, y_pred)``
    (note the argument order: seglearn always takes ``pred`` first).

    Parameters
    ----------
    pred, ref : array_like
        Predicted and reference label maps of the same shape (integers, bool, or floats holding
        integers; any number of dimensions).
    labels : sequence of int, optional
        The classes, in the order of the rows/columns. Default: the sorted union of the values
        present in ``pred`` and ``ref``. Labels absent from the data give zero rows/columns.
        Unlike scikit-learn, a value present in the data but missing from ``labels`` is an
        error, so no pixel is silently dropped.

    Returns
    -------
    numpy.ndarray of int64, shape (K, K)
        Exact counts (integer accumulation: exact for any image size); sums to ``pred.size``.

    Examples
    --------
    scikit-learn's documented example (``y_true`` is the reference):

    >>> y_true = [2, 0, 2, 2, 0, 1]
    >>> y_pred = [0, 0, 2, 2, 0, 2]
    >>> confusion_matrix(y_pred, y_true)
    array([[2, 0, 0],
           [0, 0, 1],
           [1, 0, 2]])
    >>> confusion_matrix(y_pred, y_true, labels=[2, 0, 1])
    array([[2, 1, 0],
           [0, 2, 0],
           [1, 0, 0]])
    """
    lab = _check_labels_arg(labels)
    p, r = _as_label_pair(pred, ref)
    return _matrix_and_labels(p, r, lab)[1]


def _one_vs_rest(matrix: np.ndarray) -> ConfusionCounts:
    tp = np.diagonal(matrix).astype(np.int64)
    fp = matrix.sum(axis=0) - tp
    fn = matrix.sum(axis=1) - tp
    tn = matrix.sum() - tp - fp - fn
    return ConfusionCounts(tp, fp, fn, tn)


def per_class_counts(pred: Any, ref: Any, labels: Sequence[int] | None = None) -> ConfusionCounts:
    """One-vs-rest TP/FP/FN/TN of every class, read from the exact confusion matrix.

    For class ``k``: ``TP = C[k, k]``, ``FP`` = column ``k`` minus TP (predicted ``k``, reference
    another class), ``FN`` = row ``k`` minus TP, ``TN`` = everything else.

    Parameters
    ----------
    pred, ref : array_like
        Predicted and reference label maps of the same shape.
    labels : sequence of int, optional
        The classes (default: every value present in either map, sorted).

    Returns
    -------
    ConfusionCounts
        int64 arrays with one entry per class, in the order of ``labels``; every metric method
        (``.dice()``, ``.recall()``, ...) then gives one value per class.

    Examples
    --------
    >>> pred = [0, 1, 1, 2, 2, 0]
    >>> ref  = [0, 1, 2, 2, 2, 1]
    >>> c = per_class_counts(pred, ref)
    >>> c
    ConfusionCounts(tp=array([1, 1, 2]), fp=array([1, 1, 0]), fn=array([0, 1, 1]), tn=array([4, 3, 3]))
    >>> c.dice()   # class 0: 2/(2+1), class 1: 2/(2+2), class 2: 4/(4+1)
    array([0.66666667, 0.5       , 0.8       ])
    """
    return _one_vs_rest(confusion_matrix(pred, ref, labels))


def _metric_values(counts: ConfusionCounts, metric: str, empty: float, beta: float | None) -> Any:
    if metric == "f_beta":
        return counts.f_beta(beta, empty=empty)
    return getattr(counts, metric)(empty=empty)


def _check_metric(metric: Any, beta: Any) -> float | None:
    if not isinstance(metric, str):
        raise TypeError(f"metric must be a metric name (one of {', '.join(PER_CLASS_METRICS)}), got {metric!r}")
    if metric not in PER_CLASS_METRICS:
        raise ValueError(f"metric must be one of {', '.join(PER_CLASS_METRICS)}; got {metric!r}")
    if metric == "f_beta":
        if beta is None:
            raise TypeError("metric='f_beta' needs beta=, e.g. per_class('f_beta', pred, ref, beta=2)")
        return check_beta(beta)
    if beta is not None:
        raise TypeError(f"beta= applies to metric='f_beta' only, got metric={metric!r}")
    return None


def _nanmean(values: np.ndarray, axis: int | None = None) -> Any:
    """Mean over non-NaN entries; NaN (no warning) where all are NaN."""
    ok = ~np.isnan(values)
    n = ok.sum(axis=axis)
    s = np.where(ok, values, 0.0).sum(axis=axis)
    out = np.divide(s, n, out=np.full(np.shape(n), np.nan), where=n > 0)
    return float(out) if np.ndim(out) == 0 else out


def per_class(metric: str, pred: Any, ref: Any, *, labels: Sequence[int] | None = None,
              average: str | None = None, include_background: bool = False, background: int = 0,
              empty: float = NAN, beta: float | None = None, per_case: bool = False) -> Any:
    """An overlap metric for every class of a label map, or its macro / micro average.

    Parameters
    ----------
    metric : str
        Name of a :class:`ConfusionCounts` metric: ``"dice"``, ``"iou"``, ``"precision"``,
        ``"recall"``, ``"specificity"``, ``"npv"``, ``"accuracy"``, ``"balanced_accuracy"``,
        ``"f_beta"`` (with ``beta=``), ``"mcc"``, ``"volume_similarity"``.
    pred, ref : array_like
        Predicted and reference label maps of the same shape.
    labels : sequence of int, optional
        The classes (default: every value present in either map, sorted; with ``per_case=True``,
        present anywhere in the stack). A value in the data but not in ``labels`` is an error.
    average : {None, "macro", "micro"}
        ``None``: a dict ``{label: value}``. ``"macro"``: the mean of the per-class values, leaving
        out classes whose value is NaN (see the module docstring). ``"micro"``: the metric of the
        counts pooled over the included classes. (With the background included, micro Dice, F1,
        precision and recall all equal pixel accuracy, because every wrong pixel is one FP and one
        FN.)
    include_background : bool, default False
        Whether the ``background`` class takes part. Excluded by default: it is usually huge and
        easy, and inflates averages.
    background : int, default 0
        The background label (ignored if not among the labels).
    empty : float, default NaN
        Value of a class whose metric is 0/0 (e.g. Dice of a class absent from both maps).
    beta : float, optional
        Only for ``metric="f_beta"``.
    per_case : bool, default False
        The first axis indexes cases: values are computed per case (with the same label set for
        every case), giving arrays with one entry per case.

    Returns
    -------
    dict or float or numpy.ndarray
        ``average=None``: ``{label: value}`` (values are arrays over cases with ``per_case``).
        ``"macro"`` / ``"micro"``: a float (an array over cases with ``per_case``).

    Examples
    --------
    >>> pred = [0, 1, 1, 2, 2, 0]
    >>> ref  = [0, 1, 2, 2, 2, 1]
    >>> per_class("dice", pred, ref)            # background (0) excluded by default
    {1: 0.5, 2: 0.8}
    >>> per_class("dice", pred, ref, average="macro")   # (0.5 + 0.8) / 2
    0.65
    >>> per_class("dice", pred, ref, average="micro")   # pooled: TP=3, FP=1, FN=2 -> 6/9
    0.6666666666666666
    >>> per_class("dice", pred, ref, labels=[0, 1, 2, 3])   # class 3 absent from both: NaN
    {1: 0.5, 2: 0.8, 3: nan}
    """
    beta_value = _check_metric(metric, beta)
    if average not in (None, "macro", "micro"):
        raise ValueError(f"average must be None, 'macro' or 'micro', got {average!r}")
    if not isinstance(include_background, (bool, np.bool_)):
        raise TypeError(f"include_background must be True or False, got {include_background!r}")
    if isinstance(background, (bool, np.bool_)) or not isinstance(background, (int, np.integer)):
        raise TypeError(f"background must be an integer label, got {background!r}")
    empty = check_empty_value(empty)
    lab = _check_labels_arg(labels)
    p, r = _as_label_pair(pred, ref)

    if per_case:
        if p.ndim < 2:
            raise ValueError(
                f"per_case=True needs a stack of cases with a leading case axis (at least 2-D), got shape {p.shape}"
            )
        if lab is None:
            lab, _ = _present_values_and_matrix(p, r)
        cases = [_one_vs_rest(_matrix_and_labels(p[i], r[i], lab)[1]) for i in range(p.shape[0])]
        counts = ConfusionCounts(*(np.stack([getattr(c, f) for c in cases]) for f in ("tp", "fp", "fn", "tn")))
    else:
        lab, matrix = _matrix_and_labels(p, r, lab)
        counts = _one_vs_rest(matrix)

    keep = np.ones(lab.size, dtype=bool) if include_background else lab != background
    kept_labels = [int(v) for v in lab[keep].tolist()]
    kept = ConfusionCounts(*(np.asarray(getattr(counts, f))[..., keep] for f in ("tp", "fp", "fn", "tn")))

    if average == "micro":
        pooled = ConfusionCounts(*(np.asarray(getattr(kept, f)).sum(axis=-1) for f in ("tp", "fp", "fn", "tn")))
        if not per_case:
            pooled = ConfusionCounts(*(int(getattr(pooled, f)) for f in ("tp", "fp", "fn", "tn")))
        return _metric_values(pooled, metric, empty, beta_value)

    values = np.asarray(_metric_values(kept, metric, empty, beta_value), dtype=np.float64)
    if average == "macro":
        if not kept_labels:
            return np.full(p.shape[0], np.nan) if per_case else NAN
        return _nanmean(values, axis=-1)
    if per_case:
        return {lab_k: values[:, i].copy() for i, lab_k in enumerate(kept_labels)}
    return {lab_k: float(values[i]) for i, lab_k in enumerate(kept_labels)}
