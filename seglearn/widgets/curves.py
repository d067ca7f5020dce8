"""``CurvePlot``: a precision-recall curve and Dice vs threshold with a moving operating point."""
from __future__ import annotations

import math
from pathlib import Path
from typing import Any, Sequence

import anywidget
import traitlets

from .. import palette

__all__ = ["CurvePlot"]


def _json_floats(values: Sequence[float]) -> list[float | None]:
    """Floats for JSON: NaN (an undefined metric) becomes ``None`` (a gap in the curve)."""
    return [None if not math.isfinite(float(v)) else float(v) for v in values]


class CurvePlot(anywidget.AnyWidget):
    """Two small canvases: precision vs recall, and Dice vs threshold, with the point at ``threshold``.

    Drawn in the browser from the curves' arrays; moving ``threshold`` (e.g. linked to a slider
    with :func:`ipywidgets.jslink`) moves the point without a round trip to the kernel.

    Parameters
    ----------
    thresholds, precision, recall, dice : sequence of float
        The sweep (same length; NaN = undefined, drawn as a gap).
    threshold : float
        Current threshold; the point sits at the nearest swept threshold.

    Examples
    --------
    >>> plot = CurvePlot([0.0, 0.5, 1.0], [0.1, 0.6, float("nan")], [1.0, 0.7, 0.0], [0.2, 0.65, 0.0], 0.5)
    >>> plot.precision
    [0.1, 0.6, None]
    """

    _esm = Path(__file__).parent / "curves.js"

    thresholds = traitlets.List(traitlets.Float()).tag(sync=True)
    precision = traitlets.List().tag(sync=True)
    recall = traitlets.List().tag(sync=True)
    dice = traitlets.List().tag(sync=True)
    threshold = traitlets.Float(0.5).tag(sync=True)
    colors = traitlets.Dict().tag(sync=True)

    def __init__(self, thresholds: Sequence[float], precision: Sequence[float], recall: Sequence[float],
                 dice: Sequence[float], threshold: float = 0.5, **kwargs: Any) -> None:
        lengths = {len(thresholds), len(precision), len(recall), len(dice)}
        if len(lengths) != 1:
            raise ValueError("thresholds, precision, recall and dice must have the same length, got lengths "
                             f"{len(thresholds)}, {len(precision)}, {len(recall)}, {len(dice)}")
        super().__init__(thresholds=[float(t) for t in thresholds], precision=_json_floats(precision),
                         recall=_json_floats(recall), dice=_json_floats(dice), threshold=float(threshold),
                         colors={"curve": palette.SERIES[0], "current": palette.PREDICTION}, **kwargs)
        self.add_class("seglearn-curves")
