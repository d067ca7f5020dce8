"""Lesion-wise (object-wise) detection: what voxel Dice hides.

Voxel metrics weigh every voxel equally, so one large lesion dominates: a prediction that finds
one large lesion and misses three small ones can still have a voxel Dice above 0.9. Lesion-wise
detection counts *lesions* instead: the connected components of the reference are the lesions,
the connected components of the prediction are the detections, and the two are matched by
overlap.

Definitions used here (all exact, all documented on :func:`lesion_detection`)
-----------------------------------------------------------------------------
* **Components**: :func:`scipy.ndimage.label` with ``connectivity`` k (1 = face neighbours only,
  ``ndim`` = full connectivity, the default: 8 neighbours in 2-D, 26 in 3-D, as in the WMH
  segmentation challenge, which uses SimpleITK's ``SetFullyConnected(True)``).
* **Pair score**: for reference lesion *i* and predicted component *j* sharing ``O_ij`` voxels,
  ``criterion="iou"`` scores ``O_ij / (|R_i| + |P_j| - O_ij)``; ``criterion="coverage"`` scores
  ``O_ij / |R_i|`` (the fraction of the lesion the component covers; Metrics Reloaded's
  "intersection over reference").
* **Candidate pair**: ``O_ij >= 1`` *and* ``score >= min_overlap``. The default
  ``min_overlap=0.0`` therefore means "shares at least one voxel".
* **Matching**: ``"one-to-one"`` (default) assigns candidate pairs greedily by decreasing score
  (ties: larger overlap, then smaller reference label, then smaller predicted label), each lesion
  and each component used at most once. Then ``tp + fn`` = number of reference lesions and
  ``tp + fp`` = number of predicted components; a component touching two lesions detects one of
  them (the better-scoring), the other is a false negative; a lesion split into two components
  matches one, the other component is a false positive.
  ``"many-to-many"`` is the WMH challenge convention (Kuijf et al., IEEE TMI 2019,
  github.com/hjkuijf/wmhchallenge ``evaluation.py``): every candidate pair counts. A lesion is
  detected when any component matches it, a component is correct when it matches any lesion:
  recall = detected lesions / lesions, precision = correct components / components, F1 their
  harmonic mean. A component touching two lesions detects both and counts once as correct.
"""
from __future__ import annotations

import math
import numbers
from dataclasses import asdict, dataclass, field
from typing import Any, Sequence

import numpy as np
from scipy import ndimage

from ._validation import as_mask_pair, as_spacing, check_empty_value
from .confusion import NAN, ConfusionCounts, _ratio, confusion_counts

__all__ = ["lesion_detection", "LesionDetection", "ReferenceLesion", "PredictedComponent"]

_CRITERIA = ("iou", "coverage")
_MATCHINGS = ("one-to-one", "many-to-many")


@dataclass(frozen=True)
class ReferenceLesion:
    """One connected component of the reference mask (one row of :attr:`LesionDetection.table`).

    Attributes
    ----------
    label : int
        Its label in :attr:`LesionDetection.ref_labels` (1, 2, ...; scan order).
    size : int
        Number of voxels.
    volume : float
        ``size`` times the voxel volume (the product of ``spacing``; 1 per voxel by default).
    centroid : tuple of float
        Centre of mass in voxel coordinates (NumPy axis order), e.g. to annotate a figure.
    detected : bool
        Whether it was matched to at least one predicted component.
    matched : tuple of int
        Labels of the matched predicted components (at most one with one-to-one matching).
    score : float
        The matching score (IoU or coverage) with its matched component; the largest one with
        many-to-many matching; 0.0 when undetected.
    dice : float
        Dice between the lesion and its matched component(s) (their union, for many-to-many),
        from :class:`~seglearn.metrics.ConfusionCounts`; 0.0 when undetected.
    covered : float
        Fraction of the lesion's voxels inside *any* predicted component, matched or not
        (components ignored by ``min_size`` do not count).
    """

    label: int
    size: int
    volume: float
    centroid: tuple[float, ...]
    detected: bool
    matched: tuple[int, ...]
    score: float
    dice: float
    covered: float

    def as_dict(self) -> dict[str, Any]:
        """The row as a plain dict (e.g. for ``pandas.DataFrame(result.table)``)."""
        return asdict(self)


@dataclass(frozen=True)
class PredictedComponent:
    """One connected component of the prediction.

    Attributes
    ----------
    label : int
        Its label in :attr:`LesionDetection.pred_labels`.
    size, volume, centroid
        As for :class:`ReferenceLesion`.
    matched : tuple of int
        Labels of the reference lesions it was matched to (empty for a false positive).
    overlap : int
        Voxels it shares with *any* reference lesion, matched or not (a false positive can
        overlap a lesion that was matched to another component, or fall below ``min_overlap``).
    false_positive : bool
        ``True`` when it matches no lesion.
    """

    label: int
    size: int
    volume: float
    centroid: tuple[float, ...]
    matched: tuple[int, ...]
    overlap: int
    false_positive: bool

    def as_dict(self) -> dict[str, Any]:
        """The row as a plain dict."""
        return asdict(self)


def _fmt(x: float) -> str:
    return "nan" if isinstance(x, float) and math.isnan(x) else f"{x:.3g}" if isinstance(x, float) else str(x)


def _neighbours(ndim: int, connectivity: int) -> int:
    return int(ndimage.generate_binary_structure(ndim, connectivity).sum()) - 1


@dataclass(frozen=True, eq=False)
class LesionDetection:
    """Result of :func:`lesion_detection` (immutable).

    Attributes
    ----------
    tp : int
        Detected reference lesions.
    fn : int
        Missed reference lesions (``tp + fn == n_ref``).
    fp : int
        Predicted components that match no lesion (``n_pred - fp`` components are correct).
    n_ref, n_pred : int
        Number of reference lesions and of predicted components.
    recall : float
        Lesion-wise sensitivity ``tp / n_ref``; ``empty`` when the reference has no lesion.
    precision : float
        Fraction of predicted components that match a lesion, ``(n_pred - fp) / n_pred``
        (equal to ``tp / (tp + fp)`` with one-to-one matching); ``empty`` when nothing is predicted.
    f1 : float
        Harmonic mean of recall and precision (``2 tp / (2 tp + fp + fn)`` with one-to-one
        matching); 0 when exactly one side has no lesions, ``empty`` when neither has.
    lesions : tuple of ReferenceLesion
        One row per reference lesion (see :attr:`table`).
    components : tuple of PredictedComponent
        One row per predicted component (see :attr:`false_positives`).
    voxel_counts : ConfusionCounts
        Voxel-level counts of the same masks, for the contrast with voxel Dice.
    ref_labels, pred_labels : numpy.ndarray
        Read-only label images of the components (0 = background), e.g. for plotting.
    matching, criterion, min_overlap, connectivity, min_size, spacing, empty
        The settings used.
    """

    tp: int
    fp: int
    fn: int
    n_ref: int
    n_pred: int
    recall: float
    precision: float
    f1: float
    lesions: tuple[ReferenceLesion, ...]
    components: tuple[PredictedComponent, ...]
    voxel_counts: ConfusionCounts
    matching: str
    criterion: str
    min_overlap: float
    connectivity: int
    min_size: int
    spacing: tuple[float, ...]
    empty: float
    ref_labels: np.ndarray = field(repr=False)
    pred_labels: np.ndarray = field(repr=False)

    @property
    def voxel_dice(self) -> float:
        """Voxel Dice of the whole masks (``nan`` when both are empty)."""
        return self.voxel_counts.dice()

    @property
    def lesion_counts(self) -> ConfusionCounts:
        """Lesion counts as ``ConfusionCounts(tp, fp, fn, tn=0)``, to pool detection over cases.

        With one-to-one matching ``.recall()``, ``.precision()`` and ``.dice()`` (= F1) of these
        counts equal :attr:`recall`, :attr:`precision` and :attr:`f1`, so
        ``aggregate_counts([r.lesion_counts for r in results], "recall")`` gives per-case and
        pooled lesion recall. (With many-to-many matching only ``.recall()`` agrees: precision
        there counts correct components, not detected lesions.)
        """
        return ConfusionCounts(tp=self.tp, fp=self.fp, fn=self.fn, tn=0)

    @property
    def table(self) -> list[dict[str, Any]]:
        """Per reference lesion: label, size, volume, centroid, detected, matched, score, dice, covered."""
        return [row.as_dict() for row in self.lesions]

    @property
    def false_positives(self) -> tuple[PredictedComponent, ...]:
        """The predicted components that match no reference lesion."""
        return tuple(c for c in self.components if c.false_positive)

    @property
    def false_positive_table(self) -> list[dict[str, Any]]:
        """The false-positive components as dicts: label, size, volume, centroid, overlap, ..."""
        return [c.as_dict() for c in self.false_positives]

    def _rule(self) -> str:
        score = "IoU" if self.criterion == "iou" else "coverage of the lesion"
        rule = "shares >= 1 voxel" if self.min_overlap == 0 else f"shares >= 1 voxel and {score} >= {self.min_overlap:g}"
        ndim = self.ref_labels.ndim
        ignored = f"; components under {self.min_size} voxels ignored" if self.min_size > 1 else ""
        return (f"{self.matching} matching; a pair matches when it {rule}; "
                f"connectivity {self.connectivity} ({_neighbours(ndim, self.connectivity)} neighbours in {ndim}-D)"
                f"{ignored}")

    def summary(self) -> str:
        """Two lines: lesion counts and rates, then the voxel Dice for contrast."""
        return (f"{self.n_ref} reference lesions, {self.n_pred} predicted components: "
                f"TP {self.tp}, FN {self.fn}, FP {self.fp} -> lesion recall {_fmt(self.recall)}, "
                f"precision {_fmt(self.precision)}, F1 {_fmt(self.f1)}\n"
                f"voxel Dice {_fmt(self.voxel_dice)} (the same masks, counted voxel by voxel)")

    def __repr__(self) -> str:
        return f"LesionDetection(\n  {self.summary().replace(chr(10), chr(10) + '  ')}\n  {self._rule()}\n)"

    def to_markdown(self, max_rows: int = 20) -> str:
        """A Markdown report: summary, the lesion table and the false-positive components.

        Parameters
        ----------
        max_rows : int, default 20
            Rows shown per table (the largest lesions first); the rest are counted.
        """
        lines = [self.summary().replace("\n", "  \n"), "", f"*{self._rule()}*", "",
                 "| lesion | size (voxels) | volume | detected | matched | score | Dice | covered |",
                 "|---:|---:|---:|:---:|:---|---:|---:|---:|"]
        rows = sorted(self.lesions, key=lambda r: (-r.size, r.label))
        for r in rows[:max_rows]:
            lines.append(f"| {r.label} | {r.size} | {r.volume:.4g} | {'yes' if r.detected else '**no**'} | "
                         f"{', '.join(map(str, r.matched)) or '-'} | {r.score:.3f} | {r.dice:.3f} | {r.covered:.0%} |")
        if len(rows) > max_rows:
            lines.append(f"| ... {len(rows) - max_rows} more | | | | | | | |")
        fps = sorted(self.false_positives, key=lambda c: (-c.size, c.label))
        lines += ["", f"False-positive components: {len(fps)}"]
        if fps:
            lines += ["", "| component | size (voxels) | volume | overlaps a lesion (voxels) |", "|---:|---:|---:|---:|"]
            lines += [f"| {c.label} | {c.size} | {c.volume:.4g} | {c.overlap} |" for c in fps[:max_rows]]
            if len(fps) > max_rows:
                lines.append(f"| ... {len(fps) - max_rows} more | | | |")
        return "\n".join(lines)

    def _repr_markdown_(self) -> str:
        return self.to_markdown()

    def _repr_html_(self) -> str:
        import html

        def esc(x: Any) -> str:
            return html.escape(str(x))

        head = "".join(f"<th>{h}</th>" for h in ("lesion", "size (voxels)", "volume", "detected", "matched",
                                                 "score", "Dice", "covered"))
        body = []
        for r in sorted(self.lesions, key=lambda r: (-r.size, r.label))[:50]:
            style = "" if r.detected else ' style="font-weight:bold"'
            body.append(f"<tr{style}><td>{r.label}</td><td>{r.size}</td><td>{r.volume:.4g}</td>"
                        f"<td>{'yes' if r.detected else 'no'}</td><td>{esc(', '.join(map(str, r.matched)) or '-')}</td>"
                        f"<td>{r.score:.3f}</td><td>{r.dice:.3f}</td><td>{r.covered:.0%}</td></tr>")
        fps = sorted(self.false_positives, key=lambda c: (-c.size, c.label))
        fp_html = ", ".join(f"#{c.label} ({c.size} voxels)" for c in fps[:50]) or "none"
        summary = esc(self.summary()).replace("\n", "<br>")
        return (f'<div class="seglearn-lesions"><p>{summary}</p><p><i>{esc(self._rule())}</i></p>'
                f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
                f"<p>False-positive components: {len(fps)}: {esc(fp_html)}</p></div>")


def _check_connectivity(connectivity: Any, ndim: int) -> int:
    if connectivity is None:
        return ndim
    if isinstance(connectivity, (bool, np.bool_)) or not isinstance(connectivity, numbers.Integral) \
            or not 1 <= int(connectivity) <= ndim:
        raise ValueError(
            f"connectivity must be an integer from 1 (face neighbours only) to {ndim} (full connectivity) "
            f"for {ndim}-D masks, or None for full connectivity; got {connectivity!r}"
        )
    return int(connectivity)


def _union_box(p: np.ndarray, r: np.ndarray) -> tuple[slice, ...]:
    """Bounding box of ``p | r`` as slices (a single voxel at the origin when both are empty)."""
    union = np.logical_or(p, r)
    box = []
    for axis in range(union.ndim):
        others = tuple(a for a in range(union.ndim) if a != axis)
        hits = np.flatnonzero(np.any(union, axis=others))
        box.append(slice(int(hits[0]), int(hits[-1]) + 1) if hits.size else slice(0, 1))
    return tuple(box)


def _label(mask: np.ndarray, structure: np.ndarray, min_size: int) -> tuple[np.ndarray, int, np.ndarray]:
    """Connected components of ``mask`` without those under ``min_size`` voxels, relabelled 1..n.

    Returns the label image, n and the sizes indexed by label (index 0: background)."""
    labels, n = ndimage.label(mask, structure=structure)
    sizes = np.bincount(labels.ravel(), minlength=n + 1).astype(np.int64)
    if min_size > 1 and n:
        keep = sizes >= min_size
        keep[0] = False
        new_label = np.cumsum(keep) * keep          # old label -> new label (0 = dropped)
        labels = new_label.astype(labels.dtype)[labels]
        sizes = np.concatenate([[0], sizes[keep]])
        n = int(keep.sum())
    return labels, int(n), sizes


def _centroids(labels: np.ndarray, n: int, sizes: np.ndarray) -> np.ndarray:
    """Centre of mass of labels 1..n as an (n, ndim) array, one bincount per axis."""
    out = np.zeros((n, labels.ndim))
    if n == 0:
        return out
    coords = np.nonzero(labels)
    lab = labels[coords]
    for axis, c in enumerate(coords):
        out[:, axis] = np.bincount(lab, weights=c, minlength=n + 1)[1:] / sizes[1:]
    return out


def lesion_detection(pred: Any, ref: Any, *, connectivity: int | None = None, min_overlap: float = 0.0,
                     criterion: str = "iou", matching: str = "one-to-one", min_size: int = 1,
                     spacing: Sequence[float] | float | None = None, threshold: float | None = None,
                     empty: float = NAN) -> LesionDetection:
    """Match the connected components (lesions) of a prediction and a reference.

    Parameters
    ----------
    pred, ref : array_like
        Binary prediction and reference masks of the same shape (any dimension).
    connectivity : int, optional
        Which neighbours join voxels into one component, as in scikit-image: 1 = face neighbours
        only (4 in 2-D, 6 in 3-D) up to ``ndim`` = full connectivity (8 in 2-D, 26 in 3-D).
        ``None`` (default) means full connectivity, the WMH challenge's choice: two lesions that
        touch only diagonally are one lesion.
    min_overlap : float in [0, 1], default 0.0
        A reference lesion and a predicted component are a candidate match when they share at
        least one voxel **and** their score (see ``criterion``) is ``>= min_overlap``. The default
        0.0 means "any overlap"; ``criterion="iou", min_overlap=0.5`` is the usual instance
        detection rule (with IoU > 0.5 a lesion can match only one component anyway).
    criterion : {"iou", "coverage"}, default "iou"
        Pair score: ``"iou"`` = ``|R ∩ P| / |R ∪ P|``; ``"coverage"`` = ``|R ∩ P| / |R|``, the
        fraction of the lesion the component covers. With one-to-one matching it also orders the
        greedy assignment.
    matching : {"one-to-one", "many-to-many"}, default "one-to-one"
        ``"one-to-one"``: greedy by decreasing score (ties: larger overlap, then smaller labels);
        each lesion and each component is used at most once, so ``tp + fp == n_pred``. A component
        merging two lesions detects only one; a lesion split in two components leaves one of them a
        false positive. ``"many-to-many"``: the WMH challenge convention; every candidate pair
        counts, so a merged component detects both lesions and fragments are not false positives.
        See the module docstring.
    min_size : int, default 1
        Components with fewer voxels than this are ignored on both sides: they are neither
        lesions nor detections (they still count in :attr:`LesionDetection.voxel_counts`). Lesion
        evaluations often ignore specks below a few voxels, whose annotation is unreliable.
    spacing : float or sequence of float, optional
        Voxel size per axis (NumPy axis order) for the ``volume`` column; default 1.
    threshold : float, optional
        Binarise ``pred`` as ``pred >= threshold`` (a probability map).
    empty : float, default NaN
        Returned for a rate that is 0/0: recall when the reference has no lesion, precision when
        nothing is predicted, F1 when neither has any (the WMH challenge code uses 1.0 for recall
        and precision there; pass ``empty=1.0`` to reproduce it).

    Returns
    -------
    LesionDetection
        ``.tp .fp .fn .recall .precision .f1``, the per-lesion ``.table`` and ``.false_positives``,
        ``.voxel_dice`` for contrast, ``.to_markdown()``; renders as a table in a notebook.

    Examples
    --------
    One large lesion found, three small ones missed: voxel Dice stays high, lesion recall is 1/4.

    >>> import numpy as np
    >>> ref = np.zeros((40, 40), bool)
    >>> ref[5:25, 5:25] = True                                   # 400 voxels
    >>> ref[30, 5] = ref[30, 15] = ref[30, 25] = True            # three 1-voxel lesions
    >>> pred = np.zeros_like(ref)
    >>> pred[5:25, 5:25] = True
    >>> res = lesion_detection(pred, ref)
    >>> res.tp, res.fn, res.fp, res.recall
    (1, 3, 0, 0.25)
    >>> round(res.voxel_dice, 3)                                 # 800 / (800 + 3)
    0.996
    >>> [row["detected"] for row in res.table]
    [True, False, False, False]
    """
    p, r = as_mask_pair(pred, ref, threshold=threshold)
    ndim = p.ndim
    conn = _check_connectivity(connectivity, ndim)
    if criterion not in _CRITERIA:
        raise ValueError(f"criterion must be one of {_CRITERIA}, got {criterion!r}")
    if matching not in _MATCHINGS:
        raise ValueError(f"matching must be one of {_MATCHINGS}, got {matching!r}")
    if isinstance(min_overlap, (bool, np.bool_)) or not isinstance(min_overlap, numbers.Real) \
            or not 0.0 <= float(min_overlap) <= 1.0:
        raise ValueError(f"min_overlap must be a number in [0, 1] (a fraction, not voxels), got {min_overlap!r}")
    min_overlap = float(min_overlap)
    if isinstance(min_size, (bool, np.bool_)) or not isinstance(min_size, numbers.Integral) or min_size < 1:
        raise ValueError(f"min_size must be a positive integer number of voxels, got {min_size!r}")
    spacing_t = as_spacing(spacing, ndim)
    empty = check_empty_value(empty)
    voxel_volume = float(np.prod(spacing_t))

    voxel_counts = confusion_counts(p, r)
    n_voxels, full_shape = p.size, p.shape
    # Work inside the bounding box of both masks: components never leave it, and labelling,
    # counting and centroids then cost the size of the box, not of the volume.
    box = _union_box(p, r)
    offset = np.array([b.start for b in box], dtype=np.float64)
    p, r = p[box], r[box]
    structure = ndimage.generate_binary_structure(ndim, conn)
    ref_lab, n_ref, ref_sizes = _label(r, structure, int(min_size))
    pred_lab, n_pred, pred_sizes = _label(p, structure, int(min_size))

    # Contingency of (reference label, predicted label) over the overlapping voxels only: sparse,
    # so thousands of specks never allocate an n_ref x n_pred matrix.
    both = np.logical_and(ref_lab > 0, pred_lab > 0) if min_size > 1 else np.logical_and(p, r)
    rl = ref_lab[both].astype(np.int64)
    pl = pred_lab[both].astype(np.int64)
    codes, pair_overlap = np.unique(rl * (n_pred + 1) + pl, return_counts=True)
    pair_ref, pair_pred = np.divmod(codes, n_pred + 1)
    pair_overlap = pair_overlap.astype(np.int64)
    covered_voxels = np.bincount(rl, minlength=n_ref + 1)
    pred_overlap_voxels = np.bincount(pl, minlength=n_pred + 1)

    rs, ps = ref_sizes[pair_ref], pred_sizes[pair_pred]
    if criterion == "iou":
        pair_score = pair_overlap / (rs + ps - pair_overlap)
    else:
        pair_score = pair_overlap / rs
    candidate = pair_score >= min_overlap

    matched = np.zeros(pair_ref.size, dtype=bool)
    if matching == "many-to-many":
        matched = candidate
    else:
        order = np.lexsort((pair_pred, pair_ref, -pair_overlap, -pair_score))
        ref_used = np.zeros(n_ref + 1, dtype=bool)
        pred_used = np.zeros(n_pred + 1, dtype=bool)
        for k in order[candidate[order]]:  # loop over candidate pairs, not voxels
            i, j = pair_ref[k], pair_pred[k]
            if not ref_used[i] and not pred_used[j]:
                ref_used[i] = pred_used[j] = True
                matched[k] = True

    m_ref, m_pred, m_ov = pair_ref[matched], pair_pred[matched], pair_overlap[matched]
    ref_detected = np.bincount(m_ref, minlength=n_ref + 1)[1:] > 0
    pred_correct = np.bincount(m_pred, minlength=n_pred + 1)[1:] > 0
    # Per lesion: overlap with, and total size of, its matched component(s) -> Dice via ConfusionCounts.
    ov = np.bincount(m_ref, weights=m_ov, minlength=n_ref + 1)[1:].astype(np.int64)
    msize = np.bincount(m_ref, weights=pred_sizes[m_pred], minlength=n_ref + 1)[1:].astype(np.int64)
    lesion_sizes = ref_sizes[1:]
    per_lesion = ConfusionCounts(tp=ov, fp=msize - ov, fn=lesion_sizes - ov,
                                 tn=n_voxels - lesion_sizes - msize + ov)
    lesion_dice = np.asarray(per_lesion.dice(empty=0.0), dtype=float).reshape(-1)
    best_score = np.zeros(n_ref + 1)
    np.maximum.at(best_score, m_ref, pair_score[matched])
    covered = np.asarray(_ratio(covered_voxels[1:], lesion_sizes, 0.0), dtype=float).reshape(-1)

    ref_partners: list[list[int]] = [[] for _ in range(n_ref + 1)]
    pred_partners: list[list[int]] = [[] for _ in range(n_pred + 1)]
    for i, j in zip(m_ref.tolist(), m_pred.tolist()):
        ref_partners[i].append(j)
        pred_partners[j].append(i)

    ref_centroids = _centroids(ref_lab, n_ref, ref_sizes) + offset
    pred_centroids = _centroids(pred_lab, n_pred, pred_sizes) + offset
    lesions = tuple(
        ReferenceLesion(label=i + 1, size=int(lesion_sizes[i]), volume=float(lesion_sizes[i]) * voxel_volume,
                        centroid=tuple(float(c) for c in ref_centroids[i]), detected=bool(ref_detected[i]),
                        matched=tuple(sorted(ref_partners[i + 1])), score=float(best_score[i + 1]),
                        dice=float(lesion_dice[i]), covered=float(covered[i]))
        for i in range(n_ref)
    )
    components = tuple(
        PredictedComponent(label=j + 1, size=int(pred_sizes[j + 1]), volume=float(pred_sizes[j + 1]) * voxel_volume,
                           centroid=tuple(float(c) for c in pred_centroids[j]),
                           matched=tuple(sorted(pred_partners[j + 1])), overlap=int(pred_overlap_voxels[j + 1]),
                           false_positive=not bool(pred_correct[j]))
        for j in range(n_pred)
    )

    tp = int(ref_detected.sum())
    n_correct = int(pred_correct.sum())
    fn = n_ref - tp
    fp = n_pred - n_correct
    # Rates from lesion counts with the shared 0/0 policy (tn has no meaning for lesions: 0).
    recall = float(ConfusionCounts(tp=tp, fp=0, fn=fn, tn=0).recall(empty=empty))
    precision = float(ConfusionCounts(tp=n_correct, fp=fp, fn=0, tn=0).precision(empty=empty))
    if n_ref == 0 and n_pred == 0:
        f1 = empty
    elif n_ref == 0 or n_pred == 0 or recall + precision == 0:
        f1 = 0.0
    else:
        f1 = 2 * recall * precision / (recall + precision)

    ref_full = np.zeros(full_shape, dtype=ref_lab.dtype)
    pred_full = np.zeros(full_shape, dtype=pred_lab.dtype)
    ref_full[box] = ref_lab
    pred_full[box] = pred_lab
    for arr in (ref_full, pred_full):
        arr.setflags(write=False)
    return LesionDetection(
        tp=tp, fp=fp, fn=fn, n_ref=int(n_ref), n_pred=int(n_pred), recall=recall, precision=precision,
        f1=float(f1), lesions=lesions, components=components, voxel_counts=voxel_counts,
        matching=matching, criterion=criterion, min_overlap=min_overlap, connectivity=conn, min_size=int(min_size),
        spacing=spacing_t, empty=empty, ref_labels=ref_full, pred_labels=pred_full,
    )
