"""seglearn: learn to evaluate medical image segmentation.

The package behind the seglearn course: trustworthy metrics (:mod:`seglearn.metrics`), sample
cases (:mod:`seglearn.data`), pictures (:mod:`seglearn.viz`), drawing widgets
(:mod:`seglearn.widgets`) and self-check exercises (:mod:`seglearn.exercises`).
"""
from __future__ import annotations

try:
    from importlib.metadata import PackageNotFoundError, version as _version

    __version__ = _version("seglearn")
except Exception:  # pragma: no cover - running from a source tree without installing
    __version__ = "0.0.0+unknown"

from . import metrics
from .setup_check import check_setup

__all__ = ["__version__", "metrics", "check_setup"]
