"""``MetricsPanel``: a :class:`MaskPainter` beside a live readout of every overlap metric."""
from __future__ import annotations

import time
from typing import Any, Callable

import ipywidgets as widgets
import numpy as np

from ..metrics import ConfusionCounts, confusion_counts, hausdorff_distance
from .painter import MaskPainter
from .readout import DEFAULT_SCORES, READOUT_CSS, confusion_table, error_box, scores_table

__all__ = ["MetricsPanel"]


class MetricsPanel(widgets.HBox):
    """Paint a prediction and watch Dice, IoU, precision, recall, specificity, accuracy and the
    confusion table update after every stroke.

    Every number comes from :func:`seglearn.metrics.confusion_counts` (and, with ``hd95=True``,
    :func:`seglearn.metrics.hausdorff_distance`). Errors are shown in the readout.

    Parameters
    ----------
    image : array_like
        2-D grey image.
    reference : array_like of bool
        Reference mask, same shape.
    mask : array_like of bool, optional
        Starting prediction (e.g. ``case.predictions["good"]``); default empty.
    brush : int, default 3
        Brush diameter in pixels.
    hd95 : bool, default False
        Also show the 95th-percentile Hausdorff distance
        (:func:`seglearn.metrics.hausdorff_distance`; slower than the overlap metrics on large masks).
    spacing : sequence of float, optional
        Pixel spacing for HD95 (mm); default 1 pixel.
    **painter_kwargs
        Passed on to :class:`MaskPainter` (``zoom``, ``show_outcome`` ...).

    Attributes
    ----------
    painter : MaskPainter
    readout : ipywidgets.HTML
        The live readout (CSS class ``seglearn-metrics``).
    counts : ConfusionCounts
        Counts of the current mask against the reference.
    scores : dict
        ``counts.metrics()`` plus ``hd95`` when enabled.
    last_update_ms : float
        Time the last update took in Python (milliseconds).

    Examples
    --------
    >>> import numpy as np
    >>> ref = np.zeros((32, 32), bool); ref[8:24, 8:24] = True
    >>> pred = np.zeros((32, 32), bool); pred[8:24, 12:28] = True
    >>> panel = MetricsPanel(np.zeros((32, 32)), ref, mask=pred)
    >>> panel.counts
    ConfusionCounts(tp=192, fp=64, fn=64, tn=704)
    >>> round(panel.scores["dice"], 3)
    0.75
    """

    def __init__(self, image: Any, reference: Any, mask: Any = None, *, brush: int = 3, hd95: bool = False,
                 spacing: Any = None, **painter_kwargs: Any) -> None:
        if reference is None:
            raise TypeError("reference must be a boolean mask of the image's shape, got None "
                            "(MetricsPanel compares your mask with it; use MaskPainter to paint without one)")
        painter_kwargs.setdefault("show_outcome", True)
        self.painter = MaskPainter(image, reference, mask=mask, brush=brush, **painter_kwargs)
        self.readout = widgets.HTML(layout=widgets.Layout(margin="0 0 0 12px"))
        self.readout.add_class("seglearn-metrics")
        self.hd95 = bool(hd95)
        self.spacing = spacing
        self.counts: ConfusionCounts | None = None
        self.scores: dict[str, Any] = {}
        self.last_update_ms = float("nan")
        self._callbacks: list[Callable] = []
        super().__init__([self.painter, self.readout],
                         layout=widgets.Layout(flex_flow="row wrap", align_items="flex-start"))
        self.add_class("seglearn-metrics-panel")
        self.painter.observe(self._on_mask, names="mask")
        self.update()

    # -- the mask, as on the painter ------------------------------------------------------------
    @property
    def mask(self) -> np.ndarray:
        """The current prediction (bool array); assigning redraws and updates the readout."""
        return self.painter.mask

    @mask.setter
    def mask(self, value: Any) -> None:
        self.painter.mask = value

    @property
    def reference(self) -> np.ndarray:
        """The reference mask."""
        return self.painter.reference

    def on_update(self, callback: Callable[["MetricsPanel"], Any]) -> None:
        """Call ``callback(panel)`` after every readout update; errors are shown in the readout."""
        if not callable(callback):
            raise TypeError(f"callback must be callable, got {type(callback).__name__}")
        self._callbacks.append(callback)

    # -- updating --------------------------------------------------------------------------------
    def _on_mask(self, change: dict) -> None:
        self.update()

    def update(self) -> None:
        """Recompute every number from the current mask and redraw the readout."""
        start = time.perf_counter()
        html = READOUT_CSS
        try:
            counts = confusion_counts(self.painter.mask, self.painter.reference)
            scores = counts.metrics()
            if self.hd95:
                scores["hd95"] = self._hd95()
            self.counts, self.scores = counts, scores
            html = self._html(counts, scores)
            for callback in self._callbacks:
                callback(self)
        except Exception as exc:  # noqa: BLE001 - shown to the learner, never lost in a log
            html += error_box(f"{type(exc).__name__}: {exc}")
        self.readout.value = html
        self.last_update_ms = (time.perf_counter() - start) * 1000.0

    def _hd95(self) -> float:
        return float(hausdorff_distance(self.painter.mask, self.painter.reference, percentile=95,
                                        spacing=self.spacing))

    def _html(self, counts: ConfusionCounts, scores: dict) -> str:
        names = dict(DEFAULT_SCORES)
        if self.hd95:
            names["hd95"] = "HD95" + (" (mm)" if self.spacing is not None else " (px)")
        note = ""
        if self.hd95 and scores.get("hd95") != scores.get("hd95"):  # NaN
            note = ('<div class="seglearn-note">HD95 is undefined while either mask is empty '
                    "(there is no surface to measure from).</div>")
        return (
            READOUT_CSS
            + scores_table(scores, names)
            + confusion_table(counts)
            + f'<div class="seglearn-note">predicted pixels: <span class="seglearn-painted">{counts.pred_positive}'
            f'</span> · reference pixels: <span class="seglearn-reference-count">{counts.ref_positive}</span></div>'
            + note
        )
