"""Input validation shared by every metric.

Every public metric funnels its arrays through the helpers here, so that bad input always gets
the same clear message: the argument's name, what was expected and what was received. The
helpers return arrays that the fast paths can use without further checks (C-contiguous bool for
masks, integer for label maps).
"""
from __future__ import annotations

import math
import numbers
from typing import Any, Sequence

import numpy as np

__all__ = [
    "as_mask",
    "as_mask_pair",
    "as_labels",
    "as_spacing",
    "check_empty_value",
    "check_same_shape",
]


def _describe(arr: np.ndarray) -> str:
    return f"array of shape {arr.shape} and dtype {arr.dtype}"


def _as_array(x: Any, name: str) -> np.ndarray:
    """Convert ``x`` to an ndarray, rejecting dtypes that cannot be a mask or an image."""
    if isinstance(x, (str, bytes)):
        raise TypeError(f"{name} must be an array-like of numbers, got {type(x).__name__} {x!r:.40}")
    if x is None:
        raise TypeError(f"{name} must be an array-like of numbers, got None")
    try:
        arr = np.asarray(x)
    except ValueError as exc:  # ragged nested lists
        raise ValueError(f"{name} must be a rectangular array (all rows the same length): {exc}") from None
    if arr.dtype.kind in "OUSVMm" or arr.dtype.kind == "c":
        kind = {"O": "object", "U": "str", "S": "bytes", "V": "void/structured", "M": "datetime",
                "m": "timedelta", "c": "complex"}[arr.dtype.kind]
        raise TypeError(
            f"{name} must be a numeric array (bool, integer or real float), got dtype {arr.dtype} ({kind})"
        )
    if arr.size == 0:
        raise ValueError(f"{name} must not be empty, got an array of shape {arr.shape} with no elements")
    if arr.ndim == 0:
        raise ValueError(f"{name} must be an image (at least 1-D), got a scalar {arr.item()!r}")
    return arr


def _check_finite(arr: np.ndarray, name: str) -> None:
    if arr.dtype.kind == "f" and not np.isfinite(arr).all():
        n_nan = int(np.isnan(arr).sum())
        n_inf = int(np.isinf(arr).sum())
        raise ValueError(f"{name} contains {n_nan} NaN and {n_inf} infinite values; expected finite numbers")


def as_mask(x: Any, name: str = "mask", *, threshold: float | None = None) -> np.ndarray:
    """Return ``x`` as a C-contiguous boolean mask, or raise a clear error.

    Parameters
    ----------
    x : array_like
        A binary mask (bool, or numbers that are all 0 or 1), or - when ``threshold`` is given -
        a map of scores such as probabilities.
    name : str
        The argument's name, used in error messages.
    threshold : float, optional
        When given, ``x`` is binarised as ``x >= threshold``. Without it, values other than 0 and 1
        are an error (a 0..255 image or a probability map must not be silently binarised).

    Returns
    -------
    numpy.ndarray of bool
        No copy is made when ``x`` is already a contiguous bool array (or a 0/1 ``uint8``/``int8``
        array, which is viewed as bool).

    Examples
    --------
    >>> as_mask([[0, 1], [1, 1]], "pred")
    array([[False,  True],
           [ True,  True]])
    >>> as_mask([0.2, 0.7], "pred", threshold=0.5)
    array([False,  True])
    """
    arr = _as_array(x, name)
    if threshold is not None:
        if isinstance(threshold, (bool, np.bool_)) or not isinstance(threshold, numbers.Real) or not _finite(threshold):
            raise TypeError(f"threshold must be a finite real number, got {threshold!r:.60}")
        if arr.dtype == bool:
            raise TypeError(
                f"{name} is already a boolean mask; threshold= applies to score or probability maps only"
            )
        _check_finite(arr, name)
        with np.errstate(over="ignore"):  # a threshold beyond float16's range compares correctly anyway
            if arr.dtype.kind == "f":
                # Compare in the map's own dtype, as NumPy does for a Python float, whatever the
                # threshold's type: np.float64(0.7) and 0.7 must binarise a float32 map alike
                # (and agree with threshold_sweep, which compares in the same dtype).
                threshold = arr.dtype.type(threshold)
            return np.ascontiguousarray(arr >= threshold)
    if arr.dtype == bool:
        return np.ascontiguousarray(_canonical_bool(arr))
    _check_finite(arr, name)
    if arr.dtype.itemsize == 1 and arr.dtype.kind in "ui":
        # uint8/int8 holding 0/1 are bitwise identical to bool: view, don't copy.
        lo, hi = (0, int(arr.max())) if arr.dtype.kind == "u" else (int(arr.min()), int(arr.max()))
        if lo >= 0 and hi <= 1:
            return np.ascontiguousarray(arr).view(bool)
    else:
        lo, hi = arr.min(), arr.max()
        if lo >= 0 and hi <= 1 and (arr.dtype.kind in "ui" or np.all((arr == 0) | (arr == 1))):
            return np.ascontiguousarray(arr != 0)
    values = np.unique(arr)
    shown = ", ".join(repr(v.item()) for v in values[:5]) + (", ..." if values.size > 5 else "")
    hint = ""
    if arr.dtype.kind == "f" and values.min() >= 0 and values.max() <= 1:
        hint = " It looks like a probability map: pass threshold= (e.g. threshold=0.5) to binarise it."
    elif values.max() == 255 and values.min() >= 0:
        hint = " It looks like a 0..255 image: convert it first, e.g. mask > 127."
    elif arr.dtype.kind in "iu":
        hint = " For a multi-class label map use the per-class metrics (confusion_matrix, per_class)."
    raise ValueError(
        f"{name} must be a binary mask with values 0/1 or False/True, got values {{{shown}}} "
        f"({values.size} distinct) in an {_describe(arr)}.{hint}"
    )


def _finite(x: numbers.Real) -> bool:
    try:
        return math.isfinite(x)
    except OverflowError:   # an int too large for a float (e.g. 10**400)
        return False


def _canonical_bool(arr: np.ndarray) -> np.ndarray:
    """Make sure every byte of a bool array is 0 or 1.

    NumPy only creates canonical bools, but a bool *view* of other memory (``uint8_array.view(bool)``,
    ``np.frombuffer(..., dtype=bool)``) can hold other bytes; the word-wise counting kernel of
    :func:`seglearn.metrics.confusion_counts` relies on 0/1 bytes, so such views are checked (one
    pass) and normalised when needed. Arrays owned by NumPy as bool are trusted without a pass here;
    the counting kernel itself notices other bytes in those (``np.fromfile(..., dtype=bool)`` of a
    0/255 file, ``np.load`` of a saved view) and recounts them as nonzero = True.
    """
    base = arr.base
    while base is not None:
        if not isinstance(base, np.ndarray) or base.dtype != np.bool_:
            if arr.view(np.uint8).max() > 1:
                return arr.view(np.uint8) != 0
            return arr
        base = base.base
    return arr


def check_same_shape(a: np.ndarray, b: np.ndarray, names: tuple[str, str] = ("pred", "ref")) -> None:
    """Raise ``ValueError`` unless ``a`` and ``b`` have the same shape.

    Examples
    --------
    >>> check_same_shape(np.zeros((2, 3)), np.zeros((3, 2)))
    Traceback (most recent call last):
    ...
    ValueError: pred and ref must have the same shape, got pred.shape=(2, 3) and ref.shape=(3, 2)
    """
    if a.shape != b.shape:
        raise ValueError(
            f"{names[0]} and {names[1]} must have the same shape, got {names[0]}.shape={a.shape} "
            f"and {names[1]}.shape={b.shape}"
        )


def as_mask_pair(pred: Any, ref: Any, *, threshold: float | None = None,
                 names: tuple[str, str] = ("pred", "ref")) -> tuple[np.ndarray, np.ndarray]:
    """Validate a (prediction, reference) pair of masks; ``threshold`` applies to ``pred`` only.

    Examples
    --------
    >>> p, r = as_mask_pair([0.2, 0.9], [0, 1], threshold=0.5)
    >>> p, r
    (array([False,  True]), array([False,  True]))
    """
    p = as_mask(pred, names[0], threshold=threshold)
    r = as_mask(ref, names[1])
    check_same_shape(p, r, names)
    return p, r


def as_labels(x: Any, name: str = "labels") -> np.ndarray:
    """Return ``x`` as an integer label map (bool and integral floats are accepted).

    Parameters
    ----------
    x : array_like
        A label map: integers (any range, negative allowed), bool, or floats holding integers.
    name : str
        The argument's name, used in error messages.

    Examples
    --------
    >>> as_labels([[0, 2], [1, 2]])
    array([[0, 2],
           [1, 2]])
    >>> as_labels([0.0, 3.0]).dtype
    dtype('int64')
    """
    arr = _as_array(x, name)
    if arr.dtype == bool:
        return arr.astype(np.uint8)
    if arr.dtype.kind in "iu":
        return arr
    _check_finite(arr, name)
    if np.abs(arr).max() >= 2.0 ** 63:   # would not fit int64 (and the cast would warn)
        raise ValueError(
            f"{name} must be an integer label map with values below 2**63 in magnitude, got values up to "
            f"{float(np.abs(arr).max())!r} in an {_describe(arr)}"
        )
    as_int = arr.astype(np.int64)
    if not np.array_equal(as_int, arr):
        raise ValueError(
            f"{name} must be an integer label map, got non-integer values in an {_describe(arr)}"
        )
    return as_int


def as_spacing(spacing: Sequence[float] | float | None, ndim: int, name: str = "spacing") -> tuple[float, ...]:
    """Validate voxel spacing (NumPy axis order); ``None`` means 1 along every axis.

    Parameters
    ----------
    spacing : sequence of float, float or None
        One positive, finite spacing per axis, in NumPy axis order (for a ``(z, y, x)`` volume:
        ``(dz, dy, dx)``). A single number applies to every axis.
    ndim : int
        Number of image axes.

    Examples
    --------
    >>> as_spacing(None, 3)
    (1.0, 1.0, 1.0)
    >>> as_spacing((2.5, 0.7, 0.7), 3)
    (2.5, 0.7, 0.7)
    """
    if spacing is None:
        return (1.0,) * ndim
    if isinstance(spacing, numbers.Real) and not isinstance(spacing, (bool, np.bool_)):
        spacing = (float(spacing),) * ndim
    try:
        values = tuple(float(s) for s in spacing)  # type: ignore[union-attr]
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a sequence of {ndim} positive numbers, got {spacing!r}") from None
    if len(values) != ndim:
        raise ValueError(
            f"{name} must have one value per image axis ({ndim} for {ndim}-D masks, in NumPy axis order), "
            f"got {len(values)}: {spacing!r}"
        )
    if not all(math.isfinite(v) and v > 0 for v in values):
        raise ValueError(f"{name} values must be finite and positive, got {spacing!r}")
    return values


def check_empty_value(empty: Any, name: str = "empty") -> float:
    """Validate the value returned for an undefined (0/0) metric: a real number or NaN.

    Examples
    --------
    >>> check_empty_value(1)
    1.0
    >>> check_empty_value("one")
    Traceback (most recent call last):
    ...
    TypeError: empty must be a number or NaN (e.g. empty=float('nan') or empty=1.0), got 'one'
    """
    if type(empty) is float:   # fast path (the default NaN and most explicit values)
        return empty
    if isinstance(empty, (bool, np.bool_)) or not isinstance(empty, numbers.Real):
        raise TypeError(f"{name} must be a number or NaN (e.g. empty=float('nan') or empty=1.0), got {empty!r}")
    return float(empty)
