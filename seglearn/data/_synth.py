"""Synthetic lesions with exact references, and simulated model outputs named for their failure.

Everything here is seeded and vectorised: the same call always gives the same arrays.

Geometry convention: coordinates are pixel (voxel) indices in NumPy axis order, ``(row, col)`` in
2-D and ``(slice, row, col)`` in 3-D; a pixel belongs to a lesion when its centre satisfies the
ellipse (ellipsoid) inequality of :meth:`Lesion.mask`. That inequality *is* the reference.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
from scipy import ndimage

__all__ = ["Lesion", "lesion_union", "insert_lesions", "signed_distance", "smooth_noise",
           "simulate_predictions", "simulate_probability", "simulate_raters", "FAILURES"]

#: Simulated prediction names -> what failure they show.
FAILURES = {
    "good": "a good prediction: the outline wobbles by about a pixel",
    "over": "over-segmentation: every outline pushed about 3 pixels outwards",
    "under": "under-segmentation: every outline pulled about 2 pixels inwards (tiny lesions vanish)",
    "shifted": "right shape, wrong place: the good prediction shifted by a few pixels",
    "ragged": "ragged boundary: right place and size, noisy outline",
    "stray_speck": "the good prediction plus one small false-positive speck far from any lesion",
    "missed_small": "the good prediction with the small lesions missed",
    "all_background": "predicts healthy everywhere (an empty mask)",
}


@dataclass(frozen=True)
class Lesion:
    """An elliptical (2-D) or ellipsoidal (3-D) synthetic lesion.

    Parameters
    ----------
    center : tuple of float
        Centre in pixel coordinates, NumPy axis order.
    radii : tuple of float
        Semi-axes in pixels along the (rotated) axes.
    angle : float
        Rotation in degrees of the last two axes (row, col), counter-clockwise as displayed.

    Examples
    --------
    >>> int(Lesion((10, 10), (3, 3)).mask((21, 21)).sum())
    29
    """

    center: tuple[float, ...]
    radii: tuple[float, ...]
    angle: float = 0.0

    def mask(self, shape: tuple[int, ...]) -> np.ndarray:
        """Boolean mask of the pixels whose centres lie inside the lesion (the exact reference)."""
        if len(shape) != len(self.center) or len(self.radii) != len(self.center):
            raise ValueError(f"lesion of dimension {len(self.center)} does not fit an image of shape {shape}")
        grids = np.ogrid[tuple(slice(0, n) for n in shape)]
        offsets = [g - c for g, c in zip(grids, self.center)]
        theta = np.deg2rad(self.angle)
        row, col = offsets[-2], offsets[-1]
        # rotate the (row, col) offsets into the lesion's own axes (row axis points down)
        u = np.cos(theta) * row + np.sin(theta) * col
        v = -np.sin(theta) * row + np.cos(theta) * col
        total = (u / self.radii[-2]) ** 2 + (v / self.radii[-1]) ** 2
        for off, r in zip(offsets[:-2], self.radii[:-2]):
            total = total + (off / r) ** 2
        return np.ascontiguousarray(np.broadcast_to(total <= 1.0, shape))

    @property
    def area(self) -> float:
        """Analytic area (2-D) or volume (3-D) in pixels."""
        r = np.prod(self.radii)
        return float(np.pi * r if len(self.radii) == 2 else 4.0 / 3.0 * np.pi * r)


def lesion_union(lesions: tuple[Lesion, ...] | list[Lesion], shape: tuple[int, ...]) -> np.ndarray:
    """Union of the lesions' masks (all False when there are none)."""
    out = np.zeros(shape, dtype=bool)
    for lesion in lesions:
        out |= lesion.mask(shape)
    return out


def smooth_noise(shape: tuple[int, ...], sigma: float, rng: np.random.Generator) -> np.ndarray:
    """Gaussian-smoothed white noise rescaled to unit standard deviation."""
    noise = ndimage.gaussian_filter(rng.standard_normal(shape, dtype=np.float32), sigma, mode="reflect")
    return noise / np.float32(max(float(noise.std()), 1e-12))


def insert_lesions(image: np.ndarray, reference: np.ndarray, intensity: float, seed: int,
                   blur: float | tuple[float, ...] = 0.8, texture: float = 0.06) -> np.ndarray:
    """Paint lesions into ``image`` (float in [0, 1]) with a soft edge and a little texture."""
    if not reference.any():
        return image.astype(np.float32)
    rng = np.random.default_rng(seed)
    soft = ndimage.gaussian_filter(reference.astype(np.float64), blur)
    tissue = intensity * (1.0 + texture * smooth_noise(image.shape, 1.5, rng))
    out = image * (1.0 - soft) + tissue * soft
    return np.clip(out, 0.0, 1.0).astype(np.float32)


def signed_distance(mask: np.ndarray, sampling: tuple[float, ...] | None = None) -> np.ndarray:
    """Signed distance in pixels to the mask boundary: negative inside, positive outside.

    Thresholding at 0 (``signed_distance(m) < 0``) gives back ``m`` exactly. ``sampling`` weighs
    the axes (e.g. ``(1e3, 1, 1)`` for independent slices of a stack).
    """
    if not mask.any():
        return np.full(mask.shape, np.inf)
    if mask.all():
        return np.full(mask.shape, -np.inf)
    outside = ndimage.distance_transform_edt(~mask, sampling=sampling)
    inside = ndimage.distance_transform_edt(mask, sampling=sampling)
    return np.where(mask, 0.5 - inside, outside - 0.5)


def signed_distance_per_slice(stack: np.ndarray) -> np.ndarray:
    """:func:`signed_distance` of each 2-D slice of a stack (``inf`` on slices without any mask)."""
    out = np.full(stack.shape, np.inf)
    for k in np.flatnonzero(stack.reshape(stack.shape[0], -1).any(axis=1)):
        out[k] = signed_distance(stack[k])
    return out


def _shift(mask: np.ndarray, offset: tuple[int, ...]) -> np.ndarray:
    """Shift a mask by whole pixels, filling with False (no wrap-around)."""
    out = np.zeros_like(mask)
    src, dst = [], []
    for n, k in zip(mask.shape, offset):
        src.append(slice(max(0, -k), n - max(0, k)))
        dst.append(slice(max(0, k), n - max(0, -k)))
    out[tuple(dst)] = mask[tuple(src)]
    return out


def _far_speck(reference: np.ndarray, body: np.ndarray, radius: float) -> np.ndarray:
    """A small disk (ball) inside ``body`` as far as possible from the reference."""
    dist = ndimage.distance_transform_edt(~reference) if reference.any() else np.ones(reference.shape)
    margin = ndimage.binary_erosion(body, iterations=int(np.ceil(radius)) + 2)
    if not margin.any():
        margin = body if body.any() else np.ones(reference.shape, bool)
    score = np.where(margin, dist, -1.0)
    if not reference.any():  # no lesion: put the speck off-centre but inside the body
        score = np.where(margin, ndimage.distance_transform_edt(margin), -1.0)
    center = np.unravel_index(int(np.argmax(score)), reference.shape)
    return Lesion(tuple(float(c) for c in center), (radius,) * reference.ndim).mask(reference.shape)


def _small_components(reference: np.ndarray, max_size: int) -> np.ndarray:
    labels, n = ndimage.label(reference)
    if n == 0:
        return np.zeros_like(reference)
    sizes = np.bincount(labels.ravel())
    small = sizes <= max_size
    small[0] = False
    return small[labels]


def simulate_predictions(reference: np.ndarray, body: np.ndarray, seed: int, keys: tuple[str, ...],
                         small_size: int = 60, shift: tuple[int, ...] | None = None) -> dict[str, np.ndarray]:
    """Simulated predictions of ``reference``, one per failure name in ``keys`` (see :data:`FAILURES`).

    Parameters
    ----------
    reference : bool array
    body : bool array
        Where tissue is (the stray speck is placed inside it).
    seed : int
    keys : tuple of str
        Which predictions to make (subset of :data:`FAILURES`).
    small_size : int
        Lesions with at most this many pixels count as "small" for ``missed_small``.
    shift : tuple of int, optional
        Offset of ``shifted`` in pixels (default 4 pixels down, 3 right; 2-D) or (2, 3, 3) in 3-D.
    """
    unknown = set(keys) - set(FAILURES)
    if unknown:
        raise ValueError(f"unknown prediction names {sorted(unknown)}; known: {list(FAILURES)}")
    rng = np.random.default_rng(seed)
    sd = signed_distance(reference)
    wobble = smooth_noise(reference.shape, 3.0, rng)
    fine = smooth_noise(reference.shape, 1.0, rng)
    good = (sd + 0.7 * wobble) < 0.0
    makers: dict[str, Callable[[], np.ndarray]] = {
        "good": lambda: good,
        "over": lambda: (sd + 0.7 * wobble) < 3.0,
        "under": lambda: (sd + 0.5 * wobble) < -2.0,
        "shifted": lambda: _shift(good, shift or ((4, 3) if reference.ndim == 2 else (2, 3, 3))),
        "ragged": lambda: (sd + 0.7 * wobble + 2.0 * fine) < 0.0,
        "stray_speck": lambda: good | _far_speck(reference, body, 2.0 if reference.ndim == 2 else 1.5),
        "missed_small": lambda: good & ~ndimage.binary_dilation(_small_components(reference, small_size),
                                                                  iterations=3),
        "all_background": lambda: np.zeros(reference.shape, dtype=bool),
    }
    return {key: np.ascontiguousarray(makers[key](), dtype=bool) for key in keys}


def simulate_probability(reference: np.ndarray, body: np.ndarray, seed: int, small_size: int = 60,
                         n_false_alarms: int = 3) -> np.ndarray:
    """A calibrated-looking probability map with a precision/recall trade-off across thresholds.

    Large lesions get confident, slightly blurred probabilities; small lesions only reach about
    0.35-0.6 (found only at low thresholds); a few faint false-alarm blobs (peak 0.3-0.65) sit in
    the tissue, so lowering the threshold buys recall with false positives.
    """
    rng = np.random.default_rng(seed)
    sd = np.clip(signed_distance(reference), -50, 50)
    logit = -(sd + 0.8 * smooth_noise(reference.shape, 3.0, rng)) / 1.3 + 0.3
    prob = 1.0 / (1.0 + np.exp(-logit))
    small = _small_components(reference, small_size)
    if small.any():
        labels, n = ndimage.label(ndimage.binary_dilation(small, iterations=2))
        peaks = np.concatenate([[1.0], rng.uniform(0.35, 0.6, n)])
        prob = np.where(labels > 0, prob * peaks[labels], prob)
    candidates = body & (sd > 12)
    if n_false_alarms and candidates.any():
        idx = np.flatnonzero(candidates.ravel())
        picks = rng.choice(idx, size=min(n_false_alarms, idx.size), replace=False)
        heat = np.zeros(reference.shape)
        heat.ravel()[picks] = 1.0
        heat = ndimage.gaussian_filter(heat, 2.5)
        heat /= heat.max()
        prob = np.maximum(prob, heat * rng.uniform(0.3, 0.65))
    speckle = 0.03 * np.abs(smooth_noise(reference.shape, 1.0, rng))
    prob = np.clip(prob + np.where(body, speckle, 0.0), 0.0, 1.0)
    return prob.astype(np.float32)


def simulate_raters(reference: np.ndarray, seed: int, small_size: int = 60) -> dict[str, np.ndarray]:
    """Three plausible human outlines of ``reference`` that disagree the way raters do.

    ``rater_a`` draws generously (about 1 px outside), ``rater_b`` tightly (about 1 px inside),
    ``rater_c`` follows the edge with a shakier hand and overlooks the smallest lesion.
    """
    rng = np.random.default_rng(seed)
    sd = signed_distance(reference)
    out = {
        "rater_a": (sd + 0.5 * smooth_noise(reference.shape, 4.0, rng)) < 1.0,
        "rater_b": (sd + 0.5 * smooth_noise(reference.shape, 4.0, rng)) < -0.7,
        "rater_c": (sd + 1.0 * smooth_noise(reference.shape, 2.0, rng)) < 0.3,
    }
    labels, n = ndimage.label(reference)
    if n > 1:
        sizes = np.bincount(labels.ravel())[1:]
        smallest = labels == (int(np.argmin(sizes)) + 1)
        if sizes.min() <= small_size:
            out["rater_c"] &= ~ndimage.binary_dilation(smallest, iterations=3)
    return {k: np.ascontiguousarray(v) for k, v in out.items()}
