"""Interactive widgets of the course (anywidget + ipywidgets; they also run in Voila).

- :class:`MaskPainter` - paint a mask over an image; ``painter.mask`` is a NumPy bool array.
- :class:`MetricsPanel` - a painter beside a live readout of every overlap metric.
- :class:`ThresholdExplorer` - threshold a probability map; PR curve and Dice vs threshold.
- :class:`ImbalanceDemo` - the accuracy paradox: shrink the lesion and watch accuracy stay high.

Every number shown comes from :mod:`seglearn.metrics`; every colour from :mod:`seglearn.palette`.
"""
from .imbalance import ImbalanceDemo
from .painter import MaskPainter, image_to_grey
from .panels import MetricsPanel
from .threshold import ThresholdExplorer

__all__ = ["MaskPainter", "MetricsPanel", "ThresholdExplorer", "ImbalanceDemo", "image_to_grey"]
