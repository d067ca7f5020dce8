"""Segmentation metrics with explicit definitions and edge-case policies.

Everything derives from one validated confusion-count core (:func:`confusion_counts`).
Arguments are always ``(pred, ref)``: the prediction first, the reference ("ground truth") second.

- overlap (binary): :func:`dice`, :func:`iou`, :func:`precision`, :func:`recall`, ... and
  :func:`overlap_metrics` for all of them from one counting pass;
- multi-class: :func:`confusion_matrix`, :func:`per_class_counts`, :func:`per_class`;
- boundaries: :func:`surface_distances`, :func:`hausdorff_distance`,
  :func:`average_surface_distance`, :func:`normalized_surface_dice`;
- lesions: :func:`lesion_detection`; thresholds: :func:`threshold_sweep`;
- many cases: :func:`aggregate`, :func:`aggregate_counts`.
"""
from ._validation import as_labels, as_mask, as_spacing
from .aggregate import Aggregate, CountsAggregate, aggregate, aggregate_counts, metric_from_counts
from .confusion import ConfusionCounts, confusion_counts
from .lesions import LesionDetection, PredictedComponent, ReferenceLesion, lesion_detection
from .multiclass import PER_CLASS_METRICS, confusion_matrix, per_class, per_class_counts
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
from .surface import (
    SurfaceDistances,
    average_surface_distance,
    hausdorff_distance,
    normalized_surface_dice,
    surface_distances,
)
from .sweep import SweepPoint, ThresholdSweep, threshold_sweep

__all__ = [
    "ConfusionCounts", "confusion_counts",
    "dice", "iou", "precision", "recall", "specificity", "npv", "accuracy", "balanced_accuracy",
    "f_beta", "mcc", "volume_similarity", "overlap_metrics", "soft_dice",
    "confusion_matrix", "per_class_counts", "per_class", "PER_CLASS_METRICS",
    "SurfaceDistances", "surface_distances", "hausdorff_distance", "average_surface_distance",
    "normalized_surface_dice",
    "lesion_detection", "LesionDetection", "ReferenceLesion", "PredictedComponent",
    "threshold_sweep", "ThresholdSweep", "SweepPoint",
    "aggregate", "aggregate_counts", "Aggregate", "CountsAggregate", "metric_from_counts",
    "as_mask", "as_labels", "as_spacing",
]
