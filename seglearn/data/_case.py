"""The :class:`Case` object returned by :func:`seglearn.data.load_case`."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ._synth import Lesion


@dataclass(frozen=True, repr=False, eq=False)
class Case:
    """One sample case: an image, its reference, and simulated model outputs.

    Every :func:`~seglearn.data.load_case` call builds new arrays, so changing them (for example
    painting into ``case.reference``) never affects another case or a later load.

    Attributes
    ----------
    name : str
        The case's name, as in :func:`~seglearn.data.list_cases`.
    image : numpy.ndarray of float32
        Intensities scaled to [0, 1]; 2-D ``(rows, cols)`` or 3-D ``(slices, rows, cols)``.
    reference : numpy.ndarray of bool
        The reference mask ("ground truth"), same shape as ``image``. May be all False (a healthy case).
    spacing : tuple of float
        Pixel (voxel) size in millimetres, one value per axis in NumPy axis order.
    predictions : dict of str to bool array
        Simulated model outputs named for the failure they show (``"good"``, ``"over"``, ``"under"``,
        ``"shifted"``, ``"ragged"``, ``"stray_speck"``, ``"missed_small"``, ``"all_background"``);
        each case has the ones that make sense for it (see :data:`seglearn.data.PREDICTIONS`).
    probability : numpy.ndarray of float32 or None
        A simulated probability map in [0, 1] (threshold it to get a mask), or None.
    raters : dict of str to bool array
        Outlines by simulated human raters (``"rater_a"``, ...), empty when the case has none.
    description : str
        What the case shows, in a sentence or two.
    source : str
        Where the image comes from.
    licence : str
        The image's licence.
    reference_origin : str
        How the reference was made (e.g. "exact by construction").
    lesions : tuple of Lesion
        The analytic synthetic lesions (empty when the reference is not synthetic).
    """

    name: str
    image: np.ndarray
    reference: np.ndarray
    spacing: tuple[float, ...]
    predictions: dict[str, np.ndarray]
    probability: np.ndarray | None
    raters: dict[str, np.ndarray]
    description: str
    source: str
    licence: str
    reference_origin: str = ""
    lesions: tuple[Lesion, ...] = field(default_factory=tuple)

    @property
    def ndim(self) -> int:
        """2 for a slice, 3 for a volume."""
        return self.image.ndim

    @property
    def shape(self) -> tuple[int, ...]:
        return self.image.shape

    def summary(self) -> str:
        """The multi-line text shown by ``repr(case)``."""
        ref = self.reference
        n_objects = _count_objects(ref)
        frac = 100.0 * ref.mean()
        spacing = ", ".join(f"{s:g}" for s in self.spacing)
        lines = [
            f"Case {self.name!r}: {self.description}",
            f"  image        {self.image.shape} {self.image.dtype}, spacing ({spacing}) mm",
            (f"  reference    {n_objects} object{'s' if n_objects != 1 else ''}, {int(ref.sum())} px "
             f"({frac:.1f}% of the image); {self.reference_origin}" if ref.any()
             else f"  reference    empty (no lesion); {self.reference_origin}"),
            f"  predictions  {', '.join(self.predictions) or '-'}",
            f"  probability  {'yes' if self.probability is not None else 'no'}",
            f"  raters       {', '.join(self.raters) or '-'}",
            f"  source       {self.source}",
            f"  licence      {self.licence}",
        ]
        return "\n".join(lines)

    def __repr__(self) -> str:
        return self.summary()

    def _repr_pretty_(self, printer, cycle) -> None:  # IPython
        printer.text(self.summary())


def _count_objects(mask: np.ndarray) -> int:
    from scipy import ndimage

    return int(ndimage.label(mask)[1]) if mask.any() else 0
