"""``ThresholdExplorer``: threshold a probability map and watch precision, recall and Dice move."""
from __future__ import annotations

import time
from typing import Any

import ipywidgets as widgets
import numpy as np

from ..metrics import as_mask, confusion_counts, threshold_sweep
from .curves import CurvePlot
from .painter import MaskPainter
from .readout import READOUT_CSS, confusion_table, error_box, format_value, scores_table

__all__ = ["ThresholdExplorer", "THRESHOLD_GRID"]

#: The thresholds of the slider and of the curves: 0.00, 0.01, ..., 1.00 (exact 2-decimal floats).
THRESHOLD_GRID = np.round(np.linspace(0.0, 1.0, 101), 2)
_SCORES = {"precision": "Precision", "recall": "Recall", "dice": "Dice", "iou": "IoU",
           "specificity": "Specificity", "accuracy": "Accuracy"}


def _as_probability(probability: Any) -> np.ndarray:
    if isinstance(probability, (str, bytes)) or probability is None:
        raise TypeError(f"probability must be a 2-D array of numbers in [0, 1], got {type(probability).__name__}")
    prob = np.asarray(probability)
    if prob.dtype.kind not in "iuf":
        raise TypeError(f"probability must be a 2-D array of numbers in [0, 1], got dtype {prob.dtype}")
    if prob.ndim != 2:
        raise ValueError(f"probability must be a 2-D array, got shape {prob.shape}")
    # Keep float maps in their own dtype: thresholds are compared in the map's precision, exactly as
    # seglearn.metrics does (a float32 0.7 must count at threshold 0.70).
    prob = prob if prob.dtype.kind == "f" else prob.astype(np.float64)
    if not np.isfinite(prob).all() or prob.min() < 0 or prob.max() > 1:
        raise ValueError("probability must hold finite values in [0, 1], got range "
                         f"[{np.nanmin(prob):.4g}, {np.nanmax(prob):.4g}]")
    return prob


class ThresholdExplorer(widgets.VBox):
    """A threshold slider over a probability map, with its consequences shown four ways.

    - the thresholded mask (``probability >= threshold``) over the image, TP/FP/FN coloured;
    - the precision-recall curve with the current operating point;
    - Dice vs threshold with the current threshold marked;
    - a readout (class ``seglearn-metrics``) of every metric and the confusion table.

    A "target recall" box plus button jumps to the highest threshold whose recall reaches the
    target (:meth:`seglearn.metrics.ThresholdSweep.threshold_for_recall`). Every number comes from
    :mod:`seglearn.metrics`.

    Parameters
    ----------
    probability : array_like
        2-D map of foreground probabilities in [0, 1].
    reference : array_like of bool
        Reference mask, same shape.
    image : array_like, optional
        Image to show under the overlay; default: the probability map itself.
    threshold : float, default 0.5
        Starting threshold (rounded to the slider's 0.01 grid).

    Attributes
    ----------
    slider : ipywidgets.FloatSlider
    sweep : ThresholdSweep
        Precision, recall and Dice at every slider position (``THRESHOLD_GRID``).
    counts : ConfusionCounts
        Counts at the current threshold.
    readout : ipywidgets.HTML

    Examples
    --------
    >>> import numpy as np
    >>> ref = np.zeros((32, 32), bool); ref[8:24, 8:24] = True
    >>> prob = np.where(ref, 0.8, 0.1); prob[0, 0] = 0.9
    >>> ex = ThresholdExplorer(prob, ref)
    >>> ex.counts
    ConfusionCounts(tp=256, fp=1, fn=0, tn=767)
    >>> ex.threshold = 0.85
    >>> ex.counts.tp, ex.counts.fp
    (0, 1)
    >>> ex.jump_to_recall(1.0)
    0.8
    """

    def __init__(self, probability: Any, reference: Any, image: Any = None, *, threshold: float = 0.5,
                 zoom: int | None = None) -> None:
        self.probability = _as_probability(probability)
        ref = as_mask(reference, "reference")
        if ref.shape != self.probability.shape:
            raise ValueError(f"reference must have the probability map's shape {self.probability.shape}, "
                             f"got {ref.shape}")
        self.reference = ref
        self.sweep = threshold_sweep(self.probability, ref, THRESHOLD_GRID)
        threshold = float(np.clip(round(float(threshold), 2), 0.0, 1.0))
        mask = as_mask(self.probability, "probability", threshold=threshold)
        self.counts = confusion_counts(mask, ref)
        self.last_update_ms = float("nan")

        self.painter = MaskPainter(self.probability if image is None else image, ref, mask=mask,
                                   editable=False, show_outcome=True, zoom=zoom)
        self.slider = widgets.FloatSlider(value=threshold, min=0.0, max=1.0, step=0.01, readout_format=".2f",
                                          description="threshold", continuous_update=True,
                                          layout=widgets.Layout(width="420px"))
        self.slider.add_class("seglearn-threshold-slider")
        self.curves = CurvePlot(self.sweep.thresholds, self.sweep.precision, self.sweep.recall, self.sweep.dice,
                                threshold)
        # The curves' point follows the slider in the browser, without a kernel round trip.
        self._link = widgets.jslink((self.slider, "value"), (self.curves, "threshold"))
        self.target = widgets.BoundedFloatText(value=0.9, min=0.0, max=1.0, step=0.05, description="target recall",
                                               layout=widgets.Layout(width="200px"))
        self.jump_button = widgets.Button(description="highest threshold reaching it",
                                          layout=widgets.Layout(width="auto"))
        self.jump_button.add_class("seglearn-jump")
        self.message = widgets.HTML()
        self.readout = widgets.HTML()
        self.readout.add_class("seglearn-metrics")

        self.slider.observe(self._on_slider, names="value")
        self.jump_button.on_click(self._on_jump)
        controls = widgets.HBox([self.slider, self.target, self.jump_button],
                                layout=widgets.Layout(flex_flow="row wrap", align_items="center"))
        body = widgets.HBox([self.painter, widgets.VBox([self.curves, self.readout])],
                            layout=widgets.Layout(flex_flow="row wrap", align_items="flex-start"))
        super().__init__([controls, self.message, body])
        self.add_class("seglearn-threshold-explorer")
        self._update()

    @property
    def threshold(self) -> float:
        """The current threshold (setting it moves the slider)."""
        return float(self.slider.value)

    @threshold.setter
    def threshold(self, value: float) -> None:
        self.slider.value = value

    def jump_to_recall(self, target: float) -> float:
        """Move to the highest threshold whose recall is at least ``target``; return it."""
        point = self.sweep.threshold_for_recall(target)
        self.slider.value = float(point.threshold)
        return float(point.threshold)

    def _on_jump(self, _button: Any) -> None:
        try:
            t = self.jump_to_recall(self.target.value)
            self.message.value = (f'<span class="seglearn-note">Recall &ge; {format_value(self.target.value, 2)} '
                                  f"first reached at threshold {t:.2f}.</span>")
        except Exception as exc:  # noqa: BLE001 - shown to the learner
            self.message.value = READOUT_CSS + error_box(f"{type(exc).__name__}: {exc}")

    def _on_slider(self, _change: dict) -> None:
        self._update()

    def _update(self) -> None:
        start = time.perf_counter()
        html = READOUT_CSS
        try:
            t = self.threshold
            mask = as_mask(self.probability, "probability", threshold=t)   # threshold once, count that mask
            self.counts = confusion_counts(mask, self.reference)
            self.painter.mask = mask
            self.curves.threshold = t
            html += (f'<div>threshold <b class="seglearn-threshold-value">{t:.2f}</b>: '
                     f'predicted pixels <span class="seglearn-painted">{self.counts.pred_positive}</span></div>'
                     + scores_table(self.counts.metrics(), _SCORES) + confusion_table(self.counts))
        except Exception as exc:  # noqa: BLE001 - shown to the learner
            html += error_box(f"{type(exc).__name__}: {exc}")
        self.readout.value = html
        self.last_update_ms = (time.perf_counter() - start) * 1000.0
