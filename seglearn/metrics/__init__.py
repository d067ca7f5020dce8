"""Segmentation metrics with explicit definitions and edge-case policies.

Everything derives from one validated confusion-count core (:func:`confusion_counts`).
Arguments are always ``(pred, ref)``: the prediction first, the reference ("ground truth") second.
"""
from ._validation import as_mask, as_labels, as_spacing
from .confusion import ConfusionCounts, confusion_counts
from .overlap import (
    accuracy,
    balanced_accuracy,
    dice,
    f_beta,
    iou,
    mcc,
    npv,
    overlap_metrics,
    precision,
    recall,
    soft_dice,
    specificity,
    volume_similarity,
)

__all__ = [
    "ConfusionCounts", "confusion_counts",
    "dice", "iou", "precision", "recall", "specificity", "npv", "accuracy", "balanced_accuracy",
    "f_beta", "mcc", "volume_similarity", "overlap_metrics", "soft_dice",
    "as_mask", "as_labels", "as_spacing",
]
