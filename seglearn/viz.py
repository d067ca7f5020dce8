"""Pictures of cases and metrics, the way a clinician's viewer shows them.

The image is grey, the reference is a yellow outline, the prediction a purple outline (or a
TP/FP/FN colour overlay with a legend). Every colour comes from :mod:`seglearn.palette`
(Okabe-Ito, colour-blind safe), every count from :mod:`seglearn.metrics`.

All functions draw on a Matplotlib ``Axes`` (a new figure when ``ax`` is None), return that Axes
and never call ``plt.show()``.

Examples
--------
>>> import seglearn.data as sd, seglearn.viz as sv
>>> case = sd.load_case("brain_tumour")
>>> ax = sv.show_confusion_overlay(case.image, case.predictions["over"], case.reference)
>>> [t.get_text() for t in ax.get_legend().get_texts()]
['TP (found)', 'FP (false alarm)', 'FN (missed)']
"""
from __future__ import annotations

from typing import Any, Mapping, Sequence

import numpy as np

from . import palette
from .metrics import confusion_counts, dice
from .metrics._validation import as_mask

__all__ = ["show_image", "show_case", "show_confusion_overlay", "show_raters", "plot_pr_curve",
           "plot_metric_vs_threshold", "strip_plot", "outcome_rgba", "pick_slice"]

_OUTLINE_WIDTH = 1.6


def _new_axes(ax=None, figsize=(4.5, 4.5)):
    """The given Axes, or a new pyplot figure's (so Jupyter's inline backend displays it)."""
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, new_ax = plt.subplots(figsize=figsize, layout="constrained")
    return new_ax


def _as_image(image: Any, name: str = "image") -> np.ndarray:
    arr = np.asarray(image)
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"{name} must be a numeric array, got dtype {arr.dtype}")
    if arr.ndim not in (2, 3):
        raise ValueError(f"{name} must be a 2-D slice or a 3-D volume, got shape {arr.shape}")
    return arr


def pick_slice(reference: np.ndarray | None, shape: tuple[int, ...]) -> int:
    """Index along axis 0 of a volume to show: the slice with the most reference, else the middle."""
    if reference is not None and np.asarray(reference).any():
        return int(np.argmax(np.asarray(reference).reshape(shape[0], -1).sum(axis=1)))
    return shape[0] // 2


def _to_2d(arrays: Sequence[np.ndarray | None], slice_index: int | None, reference=None):
    """Reduce 3-D arrays to one axial slice (chosen from ``reference`` when not given)."""
    first = next(a for a in arrays if a is not None)
    if first.ndim == 2:
        return list(arrays), None
    k = pick_slice(reference, first.shape) if slice_index is None else int(slice_index)
    if not 0 <= k < first.shape[0]:
        raise ValueError(f"slice_index must be in [0, {first.shape[0] - 1}], got {slice_index}")
    return [None if a is None else a[k] for a in arrays], k


def show_image(image: Any, ax=None, title: str | None = None):
    """Show an image in grey (0 black, 1 white), without ticks.

    Examples
    --------
    >>> ax = show_image(np.zeros((8, 8)))
    """
    img = _as_image(image)
    if img.ndim == 3:
        img = img[img.shape[0] // 2]
    ax = _new_axes(ax)
    lo, hi = (0.0, 1.0) if img.dtype.kind == "f" and img.min() >= 0 and img.max() <= 1 else (None, None)
    ax.imshow(img, cmap="gray", vmin=lo, vmax=hi, interpolation="nearest")
    ax.set_xticks([])
    ax.set_yticks([])
    if title:
        ax.set_title(title)
    return ax


def _outline(ax, mask: np.ndarray, color: str, linestyle: str = "solid", width: float = _OUTLINE_WIDTH) -> None:
    if mask.any():
        ax.contour(mask.astype(np.float32), levels=[0.5], colors=[color], linewidths=width,
                   linestyles=linestyle)


def outcome_rgba(pred: Any, ref: Any, alpha: float = 0.65) -> np.ndarray:
    """RGBA image colouring TP, FP and FN pixels with the palette (TN transparent).

    Examples
    --------
    >>> rgba = outcome_rgba(np.array([[1, 1, 0]]), np.array([[1, 0, 1]]))
    >>> rgba.shape
    (1, 3, 4)
    """
    pred_b = as_mask(pred, "pred")
    ref_b = as_mask(ref, "ref")
    if pred_b.shape != ref_b.shape:
        raise ValueError(f"pred and ref must have the same shape, got {pred_b.shape} and {ref_b.shape}")
    if not 0.0 <= alpha <= 1.0:
        raise ValueError(f"alpha must be in [0, 1], got {alpha}")
    rgba = np.zeros(pred_b.shape + (4,), dtype=np.float32)
    for key, where in (("tp", pred_b & ref_b), ("fp", pred_b & ~ref_b), ("fn", ~pred_b & ref_b)):
        rgba[where] = [*(c / 255 for c in palette.hex_to_rgb(palette.OUTCOME_COLORS[key])), alpha]
    return rgba


def _outcome_legend(ax, counts=None, loc="lower right") -> None:
    from matplotlib.patches import Patch

    handles = []
    for key in ("tp", "fp", "fn"):
        label = palette.OUTCOME_LABELS[key]
        if counts is not None:
            label = f"{label}: {int(getattr(counts, key))} px"
        handles.append(Patch(facecolor=palette.OUTCOME_COLORS[key], edgecolor="none", label=label))
    ax.legend(handles=handles, loc=loc, fontsize="small", framealpha=0.85)


def show_confusion_overlay(image: Any, pred: Any, ref: Any, ax=None, title: str | None = None, *,
                           slice_index: int | None = None, alpha: float = 0.65, counts: bool = False,
                           legend: bool = True):
    """Image in grey with every pixel's outcome coloured: TP green, FP vermillion, FN sky blue.

    Parameters
    ----------
    image : array_like
        2-D image (or 3-D volume: the slice with the most reference is shown unless ``slice_index``).
    pred, ref : array_like of bool
        Prediction and reference masks, same shape as ``image``.
    ax : matplotlib Axes, optional
    title : str, optional
    slice_index : int, optional
        For 3-D input, the slice along axis 0 to show.
    alpha : float
        Opacity of the outcome colours.
    counts : bool
        Add the pixel counts (from :func:`seglearn.metrics.confusion_counts`) to the legend labels.
    legend : bool
        Draw the TP/FP/FN legend.

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> ref = np.zeros((20, 20), bool); ref[5:12, 5:12] = True
    >>> pred = np.roll(ref, 2, axis=1)
    >>> ax = show_confusion_overlay(np.full((20, 20), 0.5), pred, ref, counts=True)
    >>> ax.get_legend().get_texts()[0].get_text()
    'TP (found): 35 px'
    """
    img = _as_image(image)
    pred_b = as_mask(pred, "pred")
    ref_b = as_mask(ref, "ref")
    if not (img.shape == pred_b.shape == ref_b.shape):
        raise ValueError(f"image, pred and ref must have the same shape, got {img.shape}, {pred_b.shape} "
                         f"and {ref_b.shape}")
    tallies = confusion_counts(pred_b, ref_b) if counts else None
    (img2, pred2, ref2), k = _to_2d([img, pred_b, ref_b], slice_index, ref_b)
    ax = show_image(img2, ax=ax)
    ax.imshow(outcome_rgba(pred2, ref2, alpha), interpolation="nearest")
    if legend:
        _outcome_legend(ax, tallies)
    if title is not None:
        ax.set_title(title if k is None else f"{title} (slice {k})")
    return ax


def _prediction_mask(case, prediction) -> tuple[np.ndarray | None, str]:
    if prediction is None:
        return None, ""
    if isinstance(prediction, str):
        if prediction not in case.predictions:
            raise ValueError(f"prediction {prediction!r} is not one of this case's predictions: "
                             f"{', '.join(case.predictions)}")
        return case.predictions[prediction], prediction
    mask = as_mask(prediction, "prediction")
    if mask.shape != case.reference.shape:
        raise ValueError(f"prediction must have the case's shape {case.reference.shape}, got {mask.shape}")
    return mask, "your mask"


def show_case(case, prediction: str | np.ndarray | None = "good", ax=None, *, mode: str = "outline",
              slice_index: int | None = None, title: str | None = None, legend: bool = True):
    """Show a case: grey image, yellow reference outline and the prediction.

    Parameters
    ----------
    case : seglearn.data.Case
    prediction : str, array or None
        A key of ``case.predictions`` (e.g. ``"over"``), your own mask, or None for image and
        reference only.
    ax : matplotlib Axes, optional
    mode : {"outline", "overlay"}
        ``"outline"``: prediction as a purple outline; ``"overlay"``: TP/FP/FN colours.
    slice_index : int, optional
        For a 3-D case, the slice along axis 0 (default: the one with the most reference).
    title : str, optional
        Default: the case name, the prediction's name and its Dice.
    legend : bool

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import seglearn.data as sd
    >>> ax = show_case(sd.load_case("brain_tumour"), "shifted")
    >>> ax.get_title()
    'brain_tumour: shifted (Dice 0.81)'
    """
    if mode not in ("outline", "overlay"):
        raise ValueError(f"mode must be 'outline' or 'overlay', got {mode!r}")
    pred, label = _prediction_mask(case, prediction)
    if title is None:
        title = case.name
        if pred is not None:
            value = dice(pred, case.reference)
            title += f": {label} (Dice {'undefined' if np.isnan(value) else f'{value:.2f}'})"
    (img, ref, pred2), k = _to_2d([case.image, case.reference, pred], slice_index, case.reference)
    if k is not None:
        title += f", slice {k}"
    from matplotlib.lines import Line2D

    if mode == "overlay" and pred2 is not None:
        ax = show_confusion_overlay(img, pred2, ref, ax=ax, title=title, legend=legend)
        _outline(ax, ref, palette.REFERENCE, width=1.0)
        return ax
    ax = show_image(img, ax=ax, title=title)
    _outline(ax, ref, palette.REFERENCE)
    handles = [Line2D([], [], color=palette.REFERENCE, lw=2, label="reference")]
    if pred2 is not None:
        _outline(ax, pred2, palette.PREDICTION, linestyle="dashed")
        handles.append(Line2D([], [], color=palette.PREDICTION, lw=2, ls="--", label="prediction"))
    if legend:
        ax.legend(handles=handles, loc="lower right", fontsize="small", framealpha=0.85)
    return ax


def show_raters(case, ax=None, *, slice_index: int | None = None, title: str | None = None):
    """Outline each rater of a case in its own colour, with the reference in yellow.

    Examples
    --------
    >>> import seglearn.data as sd
    >>> ax = show_raters(sd.load_case("brain_tumour"))
    >>> [t.get_text() for t in ax.get_legend().get_texts()]
    ['reference', 'rater_a', 'rater_b', 'rater_c']
    """
    from matplotlib.lines import Line2D

    if not case.raters:
        raise ValueError(f"case {case.name!r} has no rater outlines; cases with raters: "
                         "see seglearn.data.list_cases() and Case.raters")
    names = list(case.raters)
    arrays, k = _to_2d([case.image, case.reference] + [case.raters[n] for n in names], slice_index,
                       case.reference)
    ax = show_image(arrays[0], ax=ax, title=title or f"{case.name}: {len(names)} raters")
    _outline(ax, arrays[1], palette.REFERENCE, width=2.2)
    handles = [Line2D([], [], color=palette.REFERENCE, lw=2, label="reference")]
    colors = [c for c in palette.SERIES if c not in (palette.REFERENCE,)]
    for name, mask, color in zip(names, arrays[2:], colors):
        _outline(ax, mask, color, width=1.2)
        handles.append(Line2D([], [], color=color, lw=2, label=name))
    ax.legend(handles=handles, loc="lower right", fontsize="small", framealpha=0.85)
    return ax


def _unpack_sweep(obj, *names):
    return tuple(np.asarray(getattr(obj, n), dtype=float) for n in names)


def plot_pr_curve(precision: Any, recall: Any = None, ax=None, current: int | None = None, *,
                  thresholds: Any = None, label: str | None = None, color: str | None = None):
    """Precision-recall curve (recall on x, precision on y), optionally marking the current threshold.

    Parameters
    ----------
    precision : array_like or sweep result
        Precision per threshold; or an object with ``.precision``, ``.recall`` (and
        ``.thresholds``) such as the result of ``seglearn.metrics.threshold_sweep``.
    recall : array_like
        Recall per threshold (omit when passing a sweep result).
    ax : matplotlib Axes, optional
    current : int, optional
        Index of the threshold to mark with a dot.
    thresholds : array_like, optional
        Threshold values, used to label the marked point.
    label, color : str, optional
        Curve label (for a legend) and colour (default the first palette series colour).

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> ax = plot_pr_curve([1.0, 0.9, 0.5], [0.2, 0.6, 0.9], current=1, thresholds=[0.8, 0.5, 0.2])
    >>> ax.get_xlabel(), ax.get_ylabel()
    ('recall', 'precision')
    """
    if recall is None:
        if not (hasattr(precision, "precision") and hasattr(precision, "recall")):
            raise TypeError("pass precision and recall arrays, or a sweep result with .precision and .recall")
        sweep = precision
        precision, recall = _unpack_sweep(sweep, "precision", "recall")
        if thresholds is None and hasattr(sweep, "thresholds"):
            thresholds = np.asarray(sweep.thresholds, dtype=float)
    p = np.asarray(precision, dtype=float).ravel()
    r = np.asarray(recall, dtype=float).ravel()
    if p.shape != r.shape:
        raise ValueError(f"precision and recall must have the same length, got {p.size} and {r.size}")
    ax = _new_axes(ax)
    color = color or palette.SERIES[0]
    ax.plot(r, p, color=color, lw=2, marker=".", ms=4, label=label)
    if current is not None:
        i = int(current)
        if not -p.size <= i < p.size:
            raise ValueError(f"current must index the curve's {p.size} points, got {current}")
        text = "current" if thresholds is None else f"threshold {np.asarray(thresholds, float).ravel()[i]:.2f}"
        ax.plot([r[i]], [p[i]], "o", color=palette.FP, ms=9, zorder=5, label=text)
    ax.set_xlim(0, 1.02)
    ax.set_ylim(0, 1.02)
    ax.set_xlabel("recall")
    ax.set_ylabel("precision")
    ax.set_aspect("equal")
    ax.grid(alpha=0.3)
    if label is not None or current is not None:
        ax.legend(loc="lower left", fontsize="small")
    return ax


def plot_metric_vs_threshold(thresholds: Any, values: Mapping[str, Any] | Any = None, ax=None, *,
                             metrics: Sequence[str] = ("precision", "recall", "dice"),
                             current: float | None = None):
    """One line per metric against the threshold; a vertical line marks ``current``.

    Parameters
    ----------
    thresholds : array_like or sweep result
        Threshold values; or a sweep result with ``.thresholds`` and one attribute per metric.
    values : dict of str to array_like, or array_like
        Metric values per threshold, by name (an array is labelled ``"metric"``). Omit with a sweep.
    ax : matplotlib Axes, optional
    metrics : sequence of str
        Which attributes to plot when given a sweep result.
    current : float, optional
        A threshold to mark with a dashed vertical line.

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> t = np.linspace(0, 1, 5)
    >>> ax = plot_metric_vs_threshold(t, {"recall": 1 - t, "precision": t}, current=0.5)
    >>> [l.get_label() for l in ax.get_lines()][:2]
    ['recall', 'precision']
    """
    if values is None:
        if not hasattr(thresholds, "thresholds"):
            raise TypeError("pass thresholds and values, or a sweep result with .thresholds")
        sweep = thresholds
        thresholds = np.asarray(sweep.thresholds, dtype=float)
        values = {m: getattr(sweep, m) for m in metrics if hasattr(sweep, m)}
    if not isinstance(values, Mapping):
        values = {"metric": values}
    t = np.asarray(thresholds, dtype=float).ravel()
    ax = _new_axes(ax, figsize=(5.5, 3.5))
    preferred = {"precision": palette.SERIES[0], "recall": palette.SERIES[1], "dice": palette.SERIES[2]}
    spare = iter(c for c in palette.SERIES if c not in preferred.values())
    for name, vals in values.items():
        v = np.asarray(vals, dtype=float).ravel()
        if v.shape != t.shape:
            raise ValueError(f"values[{name!r}] has {v.size} points but there are {t.size} thresholds")
        ax.plot(t, v, lw=2, label=name, color=preferred.get(name) or next(spare, "#000000"))
    if current is not None:
        ax.axvline(float(current), color="#000000", ls="--", lw=1, label=f"threshold {float(current):.2f}")
    ax.set_xlabel("threshold")
    ax.set_ylabel("value")
    ax.set_ylim(-0.02, 1.02)
    ax.grid(alpha=0.3)
    ax.legend(fontsize="small")
    return ax


def strip_plot(values_by_group: Mapping[str, Any], ax=None, *, jitter: float = 0.12, seed: int = 0,
               show_mean: bool = True, ylabel: str | None = None):
    """Every value as a dot (jittered sideways), one column per group, with the group mean.

    NaN values (undefined cases, e.g. Dice of two empty masks) cannot be drawn; their number is
    added to the group's tick label, so they stay visible.

    Parameters
    ----------
    values_by_group : dict of str to array_like
        Group name -> per-case values.
    ax : matplotlib Axes, optional
    jitter : float
        Half-width of the sideways jitter (seeded, so the picture is reproducible).
    seed : int
    show_mean : bool
        Draw a black bar at each group's mean (NaN ignored).
    ylabel : str, optional

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> ax = strip_plot({"model A": [0.9, 0.8, float("nan")], "model B": [0.7, 0.95]})
    >>> [t.get_text() for t in ax.get_xticklabels()]
    ['model A\\n(1 NaN)', 'model B']
    """
    if not isinstance(values_by_group, Mapping) or not values_by_group:
        raise TypeError("values_by_group must be a non-empty dict of group name -> values")
    if jitter < 0:
        raise ValueError(f"jitter must be >= 0, got {jitter}")
    rng = np.random.default_rng(seed)
    ax = _new_axes(ax, figsize=(1.6 + 1.2 * len(values_by_group), 3.8))
    ticks = []
    for i, (name, vals) in enumerate(values_by_group.items()):
        v = np.asarray(vals, dtype=float).ravel()
        finite = v[~np.isnan(v)]
        n_nan = v.size - finite.size
        color = palette.SERIES[i % len(palette.SERIES)]
        x = i + rng.uniform(-jitter, jitter, finite.size)
        ax.scatter(x, finite, s=22, color=color, alpha=0.8, edgecolors="none", label=str(name))
        if show_mean and finite.size:
            ax.hlines(finite.mean(), i - 0.3, i + 0.3, color="#000000", lw=2)
        ticks.append(f"{name}\n({n_nan} NaN)" if n_nan else str(name))
    ax.set_xticks(range(len(ticks)), ticks)
    ax.set_xlim(-0.6, len(ticks) - 0.4)
    if ylabel:
        ax.set_ylabel(ylabel)
    ax.grid(axis="y", alpha=0.3)
    return ax
