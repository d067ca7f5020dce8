"""``MaskPainter``: paint a segmentation mask over an image, in the browser, synced to NumPy.

The widget is an `anywidget <https://anywidget.dev>`_: its JavaScript (``painter.js``, an ES
module shipped in this package, no build step) paints into its own array of mask pixels and
sends that array to Python as raw bytes at the end of each stroke (and, throttled, while
dragging). Python sees :attr:`MaskPainter.mask` as a boolean NumPy array that can be read,
assigned (the canvas redraws) and observed.
"""
from __future__ import annotations

import traceback
from pathlib import Path
from typing import Any, Callable

import anywidget
import numpy as np
import traitlets

from .. import palette
from ..metrics import as_mask

__all__ = ["MaskPainter", "MaskTrait", "image_to_grey"]

_HERE = Path(__file__).parent
#: Largest side (in CSS pixels) the canvas gets by default.
_DEFAULT_DISPLAY_PX = 448
MAX_BRUSH = 25


def image_to_grey(image: Any, name: str = "image") -> np.ndarray:
    """Convert a 2-D image to ``uint8`` grey levels for display.

    Images with values in [0, 1] (the course's convention) keep their absolute contrast
    (``0 -> 0``, ``1 -> 255``); other ranges are stretched from their minimum to their maximum.

    Parameters
    ----------
    image : array_like
        A 2-D array of bool or real numbers, all finite.
    name : str
        The argument's name, used in error messages.

    Returns
    -------
    numpy.ndarray
        ``uint8`` array of the same shape.

    Examples
    --------
    >>> image_to_grey([[0.0, 0.5], [1.0, 0.25]]).tolist()
    [[0, 128], [255, 64]]
    """
    if isinstance(image, (str, bytes)) or image is None:
        raise TypeError(f"{name} must be a 2-D array of numbers, got {type(image).__name__}")
    arr = np.asarray(image)
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"{name} must be a 2-D array of numbers (bool, integer or float), got dtype {arr.dtype}")
    if arr.ndim != 2:
        hint = " (pick one slice of a volume, e.g. image[k])" if arr.ndim == 3 else ""
        raise ValueError(f"{name} must be a 2-D array, got shape {arr.shape}{hint}")
    if arr.size == 0:
        raise ValueError(f"{name} must not be empty, got shape {arr.shape}")
    arr = arr.astype(np.float64)
    if not np.isfinite(arr).all():
        raise ValueError(f"{name} contains NaN or infinite values; expected finite numbers")
    lo, hi = float(arr.min()), float(arr.max())
    if lo < 0.0 or hi > 1.0:
        arr = (arr - lo) / (hi - lo) if hi > lo else np.zeros_like(arr)
    return np.rint(arr * 255.0).astype(np.uint8)


class MaskTrait(traitlets.TraitType):
    """A 2-D boolean mask with the owner's ``(height, width)`` shape, synced as raw bytes.

    Accepts a bool array (or 0/1 numbers) of the right shape, or - the browser's path - a
    ``bytes``/``memoryview`` of ``height * width`` bytes. The stored value is a read-only
    C-contiguous bool array (copy it to modify, then assign it back).
    """

    info_text = "a 2-D boolean mask with the image's shape"

    def validate(self, obj: Any, value: Any) -> np.ndarray:
        return obj._coerce_mask(value, self.name)


def _mask_to_json(value: np.ndarray | None, widget: Any) -> bytes | None:
    return None if value is None else value.view(np.uint8).tobytes()


_BROWSER_ERROR = "The browser sent a mask Python cannot use"


def _mask_from_json(value: Any, widget: Any) -> Any:
    """Browser -> Python. Binary comm buffers arrive as ``memoryview`` (a plain ``Bytes`` trait
    would reject them, and the error would only reach JupyterLab's log console). A payload that
    does not fit is refused *visibly*: the message appears in the widget."""
    if value is None:
        return value
    try:
        mask = widget._coerce_mask(value, "mask from the browser")
    except (TypeError, ValueError) as exc:
        widget.error = f"{_BROWSER_ERROR}: {exc}"
        return widget.mask
    if widget.error.startswith(_BROWSER_ERROR):
        widget.error = ""
    return mask


def _bytes_from_json(value: Any, widget: Any) -> bytes:
    return value.tobytes() if isinstance(value, memoryview) else value


def _mask_sync(**extra: Any) -> dict[str, Any]:
    return {"sync": True, "to_json": _mask_to_json, "from_json": _mask_from_json, **extra}


class MaskPainter(anywidget.AnyWidget):
    """Paint a binary mask over a grey image; the mask is a NumPy array in Python.

    The canvas shows the image with the reference outline (yellow) and the painted mask
    (reddish purple), or - with "TP/FP/FN colours" - every pixel's outcome (colours from
    :mod:`seglearn.palette`). Tools: paint / erase with a round brush, fill the regions enclosed
    by a painted outline, undo / redo, clear.

    Parameters
    ----------
    image : array_like
        2-D grey image (values in [0, 1] are shown as they are; other ranges are stretched).
    reference : array_like of bool, optional
        Reference mask of the image's shape: drawn as an outline and used for TP/FP/FN colours.
    mask : array_like of bool, optional
        Starting mask (e.g. one of a case's simulated predictions), so a notebook computes the
        same numbers with no browser attached. Default: empty.
    brush : int, default 3
        Brush diameter in mask pixels (1 paints single pixels), 1 to 25.
    zoom : int, optional
        CSS pixels per mask pixel. Default: the largest whole number that keeps the canvas within
        about 448 px.
    editable : bool, default True
        False shows the picture without tools (used by :class:`ThresholdExplorer`).
    show_reference, show_outcome : bool
        Initial state of the two overlay toggles.

    Attributes
    ----------
    mask : numpy.ndarray of bool
        The painted mask (read-only view; assign a new array to change it).
    reference : numpy.ndarray of bool or None
    error : str
        Message shown in the widget (set when a callback registered with
        :meth:`on_mask_change` raises); empty when all is well.

    Examples
    --------
    >>> import numpy as np
    >>> image = np.zeros((64, 64))
    >>> reference = np.zeros((64, 64), bool); reference[20:40, 20:40] = True
    >>> painter = MaskPainter(image, reference, mask=reference)
    >>> int(painter.mask.sum())
    400
    >>> painter.mask = np.zeros((64, 64), bool)      # redraws the canvas
    >>> int(painter.mask.sum())
    0
    """

    _esm = _HERE / "painter.js"
    _css = _HERE / "painter.css"

    width = traitlets.Int(1, read_only=True).tag(sync=True)
    height = traitlets.Int(1, read_only=True).tag(sync=True)
    _image = traitlets.Bytes(b"").tag(sync=True, from_json=_bytes_from_json)
    reference = MaskTrait(None, allow_none=True).tag(**_mask_sync())
    # No echo: the browser already holds the mask it sent; echoing 256 KB back would only cost time.
    mask = MaskTrait(None, allow_none=False).tag(**_mask_sync(echo_update=False))
    brush = traitlets.Int(3).tag(sync=True)
    mode = traitlets.Unicode("paint").tag(sync=True)
    zoom = traitlets.Int(1).tag(sync=True)
    editable = traitlets.Bool(True).tag(sync=True)
    show_reference = traitlets.Bool(True).tag(sync=True)
    show_outcome = traitlets.Bool(False).tag(sync=True)
    colors = traitlets.Dict().tag(sync=True)
    error = traitlets.Unicode("").tag(sync=True)

    def __init__(self, image: Any, reference: Any = None, mask: Any = None, brush: int = 3, *,
                 zoom: int | None = None, editable: bool = True, show_reference: bool = True,
                 show_outcome: bool = False, **kwargs: Any) -> None:
        grey = image_to_grey(image, "image")
        height, width = grey.shape
        if zoom is None:
            zoom = min(64, max(1, _DEFAULT_DISPLAY_PX // max(height, width)))
        # Shape traits first: the mask traits validate against them.
        self.set_trait("height", height)
        self.set_trait("width", width)
        super().__init__(
            _image=grey.tobytes(),
            reference=reference,
            mask=np.zeros((height, width), bool) if mask is None else mask,
            brush=brush,
            zoom=zoom,
            editable=editable,
            show_reference=show_reference,
            show_outcome=show_outcome,
            colors={"tp": palette.TP, "fp": palette.FP, "fn": palette.FN,
                    "reference": palette.REFERENCE, "prediction": palette.PREDICTION},
            **kwargs,
        )
        self.add_class("seglearn-painter")

    # -- validation ---------------------------------------------------------------------------
    @property
    def shape(self) -> tuple[int, int]:
        """``(height, width)`` of the image and of every mask."""
        return (self.height, self.width)

    def _coerce_mask(self, value: Any, name: str) -> np.ndarray:
        shape = self.shape
        if isinstance(value, (bytes, bytearray, memoryview)):
            raw = np.frombuffer(value, dtype=np.uint8)
            if raw.size != shape[0] * shape[1]:
                raise ValueError(
                    f"{name} must hold {shape[0] * shape[1]} bytes (one per pixel of a {shape[0]}x{shape[1]} "
                    f"image), got {raw.size} bytes"
                )
            arr = raw.reshape(shape) != 0
        else:
            arr = as_mask(value, name)
            if arr.shape != shape:
                raise ValueError(f"{name} must have the image's shape {shape}, got shape {arr.shape}")
            arr = np.array(arr, dtype=bool, order="C", copy=True)
        arr.setflags(write=False)
        return arr

    @traitlets.validate("brush")
    def _valid_brush(self, proposal: Any) -> int:
        value = proposal["value"]
        if not 1 <= value <= MAX_BRUSH:
            raise ValueError(f"brush must be a whole number of pixels from 1 to {MAX_BRUSH}, got {value}")
        return value

    @traitlets.validate("mode")
    def _valid_mode(self, proposal: Any) -> str:
        if proposal["value"] not in ("paint", "erase"):
            raise ValueError(f"mode must be 'paint' or 'erase', got {proposal['value']!r}")
        return proposal["value"]

    @traitlets.validate("zoom")
    def _valid_zoom(self, proposal: Any) -> int:
        if not 1 <= proposal["value"] <= 64:
            raise ValueError(f"zoom must be a whole number of CSS pixels per mask pixel from 1 to 64, "
                             f"got {proposal['value']}")
        return proposal["value"]

    # -- conveniences -------------------------------------------------------------------------
    @property
    def image(self) -> np.ndarray:
        """The displayed image as ``uint8`` grey levels (read-only)."""
        arr = np.frombuffer(self._image, dtype=np.uint8).reshape(self.shape)
        return arr

    def clear(self) -> None:
        """Erase the whole mask."""
        self.mask = np.zeros(self.shape, bool)

    def fill_holes(self) -> None:
        """Fill every region enclosed by the mask (what the "Fill" button does in the browser)."""
        from scipy.ndimage import binary_fill_holes

        self.mask = binary_fill_holes(self.mask)

    def on_mask_change(self, callback: Callable[[np.ndarray], Any], *, call_now: bool = False) -> Callable:
        """Call ``callback(mask)`` after every change of the mask (each stroke, each assignment).

        Errors raised by ``callback`` are shown in the widget (and kept in :attr:`error`)
        instead of disappearing into JupyterLab's log console; the next successful call clears
        the message.

        Parameters
        ----------
        callback : callable
            Receives the new mask (read-only bool array).
        call_now : bool, default False
            Also call it once immediately with the current mask.

        Returns
        -------
        callable
            The observer handler; pass it to ``painter.unobserve(handler, names="mask")`` to stop.

        Examples
        --------
        >>> import numpy as np
        >>> painter = MaskPainter(np.zeros((8, 8)))
        >>> sizes = []
        >>> handler = painter.on_mask_change(lambda m: sizes.append(int(m.sum())))
        >>> painter.mask = np.ones((8, 8), bool)
        >>> sizes
        [64]
        """
        if not callable(callback):
            raise TypeError(f"callback must be callable, got {type(callback).__name__}")

        def handler(change: dict) -> None:
            self.run_safely(callback, change["new"])

        self.observe(handler, names="mask")
        if call_now:
            self.run_safely(callback, self.mask)
        return handler

    def run_safely(self, fn: Callable, *args: Any) -> Any:
        """Run ``fn(*args)``; show an exception in the widget instead of raising it."""
        try:
            result = fn(*args)
        except Exception as exc:  # noqa: BLE001 - shown to the learner, never swallowed silently
            frames = traceback.extract_tb(exc.__traceback__)
            where = f" (in {frames[-1].name}, line {frames[-1].lineno})" if frames else ""
            self.error = f"{type(exc).__name__}: {exc}{where}"
            return None
        if self.error:
            self.error = ""
        return result
