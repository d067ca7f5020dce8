"""The one colour palette of seglearn (Okabe-Ito, colour-blind safe).

Figures (:mod:`seglearn.viz`) and widgets (:mod:`seglearn.widgets`) take their colours from here,
so a true positive is the same green in a plot, a painter and a legend.
"""
from __future__ import annotations

#: Outcome of a pixel: prediction vs reference.
TP = "#009E73"  # bluish green: found lesion
FP = "#D55E00"  # vermillion: false alarm
FN = "#56B4E9"  # sky blue: missed lesion
#: Outlines.
REFERENCE = "#F0E442"  # yellow: the reference outline
PREDICTION = "#CC79A7"  # reddish purple: the prediction outline
#: Extra colours for curves (models, raters).
SERIES = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000")

OUTCOME_COLORS = {"tp": TP, "fp": FP, "fn": FN}
OUTCOME_LABELS = {"tp": "TP (found)", "fp": "FP (false alarm)", "fn": "FN (missed)"}


def hex_to_rgb(color: str) -> tuple[int, int, int]:
    """``'#009E73'`` -> ``(0, 158, 115)``."""
    color = color.lstrip("#")
    return tuple(int(color[i:i + 2], 16) for i in (0, 2, 4))  # type: ignore[return-value]
