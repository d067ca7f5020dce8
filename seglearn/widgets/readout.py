"""HTML for the live metrics readouts (numbers always come from :mod:`seglearn.metrics`)."""
from __future__ import annotations

import html
import math
from typing import Any, Mapping

from .. import palette
from ..metrics import ConfusionCounts

__all__ = ["format_value", "scores_table", "confusion_table", "error_box", "READOUT_CSS"]

#: Metric keys of ``ConfusionCounts.metrics()`` shown by default, with their display names.
DEFAULT_SCORES = {
    "dice": "Dice",
    "iou": "IoU",
    "precision": "Precision",
    "recall": "Recall",
    "specificity": "Specificity",
    "accuracy": "Accuracy",
}

READOUT_CSS = """<style>
.seglearn-metrics table { border-collapse: collapse; margin: 2px 0 6px 0; font-size: 13px; }
.seglearn-metrics th, .seglearn-metrics td { padding: 1px 8px; text-align: right; border-bottom: 1px solid var(--jp-border-color2, #ddd); }
.seglearn-metrics th { text-align: left; font-weight: 600; }
.seglearn-metrics .seglearn-confusion td { min-width: 4.5em; }
.seglearn-metrics .seglearn-note { color: var(--jp-ui-font-color2, #555); font-size: 12px; }
.seglearn-metrics .seglearn-error { color: #a00; background: #fee; border: 1px solid #d88; padding: 4px 6px;
  white-space: pre-wrap; }
</style>"""


def format_value(value: Any, digits: int = 3) -> str:
    """A metric value for display: ``0.812``, or ``undefined`` for NaN (0/0), ``inf`` kept.

    Examples
    --------
    >>> format_value(0.81234), format_value(float("nan")), format_value(7)
    ('0.812', 'undefined', '7')
    """
    if value is None:
        return "-"
    if isinstance(value, (int,)) and not isinstance(value, bool):
        return str(value)
    value = float(value)
    if math.isnan(value):
        return "undefined"
    if math.isinf(value):
        return "inf"
    return f"{value:.{digits}f}"


def scores_table(values: Mapping[str, Any], names: Mapping[str, str] | None = None,
                 css_class: str = "seglearn-scores") -> str:
    """Two-column HTML table ``name | value``; each row carries ``data-metric="key"``."""
    names = names or {k: k for k in values}
    rows = "".join(
        f'<tr data-metric="{html.escape(key)}"><th>{html.escape(names.get(key, key))}</th>'
        f"<td>{format_value(values[key])}</td></tr>"
        for key in names if key in values
    )
    return f'<table class="{css_class}">{rows}</table>'


def confusion_table(counts: ConfusionCounts) -> str:
    """The 2x2 confusion table (rows: reference, columns: prediction), outcome-coloured cells."""
    def cell(key: str, value: int, colour: str | None) -> str:
        style = f' style="border-left: 4px solid {colour}"' if colour else ""
        return f'<td class="seglearn-{key}" data-count="{int(value)}"{style}>{key.upper()} {int(value)}</td>'

    return (
        '<table class="seglearn-confusion">'
        "<tr><th></th><th>predicted 0</th><th>predicted 1</th></tr>"
        f"<tr><th>reference 0</th>{cell('tn', counts.tn, None)}{cell('fp', counts.fp, palette.FP)}</tr>"
        f"<tr><th>reference 1</th>{cell('fn', counts.fn, palette.FN)}{cell('tp', counts.tp, palette.TP)}</tr>"
        "</table>"
    )


def error_box(message: str) -> str:
    """A visible error message for the learner."""
    return f'<div class="seglearn-error">{html.escape(message)}</div>'
