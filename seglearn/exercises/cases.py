"""Ready-made test cases for functions of two masks, ``f(pred, ref)``.

:func:`mask_cases` covers what learners' metric functions typically get wrong: empty masks
(0/0), a prediction or reference alone being empty, uint8 instead of bool masks, 3-D volumes,
non-square images and perfect / disjoint overlap. Every array is small and deterministic.
"""
from __future__ import annotations

import numpy as np

from .questions import Case

__all__ = ["mask_cases", "example_masks"]


def example_masks(shape: tuple[int, ...] = (8, 10)) -> tuple[np.ndarray, np.ndarray]:
    """A typical overlapping ``(pred, ref)`` pair: a square reference and a shifted, larger prediction.

    Examples
    --------
    >>> pred, ref = example_masks()
    >>> pred.shape, ref.dtype
    ((8, 10), dtype('bool'))
    """
    ref = np.zeros(shape, bool)
    pred = np.zeros(shape, bool)
    ref[tuple(slice(1, max(2, s // 2 + 1)) for s in shape)] = True
    pred[tuple(slice(2, max(3, s // 2 + 3)) for s in shape)] = True
    return pred, ref


def mask_cases(*, empty: bool = True, uint8: bool = True, volume: bool = True) -> list[Case]:
    """Standard named cases for a function ``f(pred, ref)`` of two masks.

    Parameters
    ----------
    empty : bool, default True
        Include "both masks empty", "empty prediction" and "empty reference".
    uint8 : bool, default True
        Include masks given as uint8 0/1 arrays instead of bool.
    volume : bool, default True
        Include a 3-D case.

    Returns
    -------
    list of Case

    Examples
    --------
    >>> [c.name for c in mask_cases()][:3]
    ['typical overlap', 'perfect match', 'no overlap at all']
    """
    pred, ref = example_masks()
    disjoint = np.zeros_like(ref)
    disjoint[-2:, -3:] = True
    tall_pred, tall_ref = example_masks((12, 5))
    cases = [
        Case("typical overlap", (pred, ref)),
        Case("perfect match", (ref.copy(), ref.copy())),
        Case("no overlap at all", (disjoint, ref)),
        Case("non-square image", (tall_pred, tall_ref)),
        Case("prediction larger than the reference", (pred | ref, ref)),
    ]
    if empty:
        zeros = np.zeros_like(ref)
        cases += [
            Case("both masks empty", (zeros, zeros.copy()),
                 hint="both masks are empty: what does the formula give, and what does seglearn.metrics return?"),
            Case("empty prediction", (zeros, ref)),
            Case("empty reference", (pred, zeros.copy())),
        ]
    if uint8:
        cases.append(Case("uint8 masks (0/1) instead of bool", (pred.astype(np.uint8), ref.astype(np.uint8)),
                          hint="with uint8, 0 - 1 wraps around to 255 and ~1 is 254: convert with .astype(bool) first"))
    if volume:
        vpred, vref = example_masks((4, 6, 5))
        cases.append(Case("3-D volume", (vpred, vref)))
    return cases
