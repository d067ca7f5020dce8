"""A small simulated cohort for dataset-level lessons (aggregation, empty cases, leakage, overfitting).

16 "patients" x 6 axial slices. Every patient is the MNI template brain, made different by a
seeded shift, flip, intensity gain, bias field and noise level (so slices of one patient look
alike, as real scans do), with 0-3 ellipsoidal synthetic lesions whose references are exact.
Three simulated models of different character segment every slice.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Sequence

import numpy as np
from scipy import ndimage

from . import _files
from ._catalog import MNI_LICENCE, MNI_SOURCE
from ._synth import Lesion, insert_lesions, lesion_union, signed_distance_per_slice, smooth_noise

N_PATIENTS = 16
SLICES_PER_PATIENT = 6
SLICE_STEP = 1  # consecutive shipped axial slices (4 mm apart)
SPACING = (2.0, 2.0)  # in-plane mm after 2x2 block averaging
SLICE_THICKNESS_MM = 4.0
HEALTHY = ("P04", "P09", "P13", "P16")
#: patients "model_c" was trained on are all the others: it memorised them.
MODEL_C_TEST = ("P03", "P08", "P13", "P15")
SEED = 2024

MODELS = {
    "model_a": "cautious: clean, slightly tight outlines, few false alarms, misses most small lesions",
    "model_b": "eager: finds nearly everything but outlines generously and raises false alarms",
    "model_c": ("overfitted: near-perfect on the 12 patients it was trained on (split == 'train'), "
                "clearly worse on the 4 it never saw (split == 'test')"),
}
FEATURE_NAMES = ("mean_intensity", "std_intensity", "bright_fraction", "noise_level", "brain_area_cm2")


@dataclass(frozen=True, repr=False, eq=False)
class Cohort:
    """Per-slice arrays of a small simulated cohort, with patient ids and three models' outputs.

    Axis 0 of every array is the slice; slices are grouped by patient, in order. Use the patient
    ids to aggregate per patient and to split by patient (never by slice: slices of one patient
    are near-duplicates, so a slice split leaks).

    Attributes
    ----------
    images : float32 array (n_slices, 97, 78)
        Intensities in [0, 1].
    references : bool array (n_slices, 97, 78)
        Lesion masks, exact by construction; all False on slices without lesion.
    patient_ids : str array (n_slices,)
        ``"P01"`` ... ``"P16"``; patients ``HEALTHY`` = P04, P09, P13, P16 have no lesion at all.
    slice_positions : int array (n_slices,)
        Position of the slice inside its patient, 0 (lowest) to 5.
    predictions : dict of str to bool array (n_slices, 97, 78)
        ``"model_a"``, ``"model_b"``, ``"model_c"``: ``probabilities[m] >= 0.5``.
    probabilities : dict of str to float32 array (n_slices, 97, 78)
        Each model's probability map.
    models : dict of str to str
        What each model is like.
    split : str array (n_slices,)
        ``"train"`` or ``"test"``: the patient-level split ``model_c`` was trained with.
    features : float32 array (n_slices, 5)
        Simple per-slice features (columns named by ``feature_names``) for training a tiny
        slice classifier ("does this slice contain a lesion?", target :attr:`has_lesion`).
    feature_names : tuple of str
        ``mean_intensity``, ``std_intensity``, ``bright_fraction`` (share of brain pixels brighter
        than 0.9: lesions are bright), ``noise_level`` (std of the high-pass residual),
        ``brain_area_cm2``.
    spacing : tuple of float
        In-plane pixel size in mm (2.0, 2.0); slices are ``slice_thickness`` = 4 mm apart.
    description, source, licence : str

    Examples
    --------
    >>> import seglearn.data as sd, seglearn.metrics as sm
    >>> cohort = sd.load_cohort()
    >>> cohort.images.shape
    (96, 97, 78)
    >>> counts = sm.confusion_counts(cohort.predictions["model_a"], cohort.references, per_case=True)
    >>> len(counts)  # one ConfusionCounts per slice
    96
    >>> train, test = cohort.split_by_patient(test_fraction=0.25, seed=0)
    >>> set(cohort.patient_ids[train]) & set(cohort.patient_ids[test])
    set()
    """

    images: np.ndarray
    references: np.ndarray
    patient_ids: np.ndarray
    slice_positions: np.ndarray
    predictions: dict[str, np.ndarray]
    probabilities: dict[str, np.ndarray]
    split: np.ndarray
    features: np.ndarray
    feature_names: tuple[str, ...] = FEATURE_NAMES
    models: dict[str, str] = field(default_factory=lambda: dict(MODELS))
    spacing: tuple[float, ...] = SPACING
    slice_thickness: float = SLICE_THICKNESS_MM
    description: str = ("16 simulated patients x 6 axial brain MRI slices with 0-3 synthetic lesions each; "
                        "3 simulated models")
    source: str = MNI_SOURCE
    licence: str = MNI_LICENCE

    # ------------------------------------------------------------------ views
    def __len__(self) -> int:
        return int(self.images.shape[0])

    @property
    def n_slices(self) -> int:
        return len(self)

    @property
    def patients(self) -> list[str]:
        """The patient ids, each once, in order."""
        return list(dict.fromkeys(self.patient_ids.tolist()))

    @property
    def has_lesion(self) -> np.ndarray:
        """Bool per slice: does the reference contain any lesion pixel?"""
        return self.references.reshape(len(self), -1).any(axis=1)

    def patient_index(self, patient_id: str) -> np.ndarray:
        """Indices of the slices of one patient."""
        idx = np.flatnonzero(self.patient_ids == patient_id)
        if idx.size == 0:
            raise ValueError(f"unknown patient_id {patient_id!r}; known: {', '.join(self.patients)}")
        return idx

    def select(self, index: Sequence[int] | np.ndarray) -> "Cohort":
        """A new cohort with only the given slices (integer indices or a bool mask); arrays are copies."""
        idx = np.asarray(index)
        if idx.dtype == bool:
            if idx.shape != (len(self),):
                raise ValueError(f"a boolean index must have shape ({len(self)},), got {idx.shape}")
            idx = np.flatnonzero(idx)
        elif idx.dtype.kind not in "iu":
            raise TypeError(f"index must be integers or booleans, got dtype {idx.dtype}")
        take = lambda a: np.array(a[idx], copy=True)  # noqa: E731
        return replace(self, images=take(self.images), references=take(self.references),
                       patient_ids=take(self.patient_ids), slice_positions=take(self.slice_positions),
                       predictions={k: take(v) for k, v in self.predictions.items()},
                       probabilities={k: take(v) for k, v in self.probabilities.items()},
                       split=take(self.split), features=take(self.features))

    def patient(self, patient_id: str) -> "Cohort":
        """The slices of one patient (a volume of 6 slices) as a new cohort."""
        return self.select(self.patient_index(patient_id))

    # ------------------------------------------------------------------ splits
    def split_by_patient(self, test_fraction: float = 0.25, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
        """Slice indices ``(train, test)`` with whole patients on one side only (the honest way)."""
        rng = np.random.default_rng(_check_split(test_fraction, seed))
        patients = np.array(self.patients)
        n_test = max(1, int(round(test_fraction * patients.size)))
        test_patients = rng.choice(patients, size=n_test, replace=False)
        is_test = np.isin(self.patient_ids, test_patients)
        return np.flatnonzero(~is_test), np.flatnonzero(is_test)

    def split_by_slice(self, test_fraction: float = 0.25, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
        """Slice indices ``(train, test)`` drawn slice by slice (leaks: a patient lands on both sides)."""
        rng = np.random.default_rng(_check_split(test_fraction, seed))
        order = rng.permutation(len(self))
        n_test = max(1, int(round(test_fraction * len(self))))
        return np.sort(order[n_test:]), np.sort(order[:n_test])

    # ------------------------------------------------------------------ display
    def summary(self) -> str:
        lesion_patients = sorted({p for p, h in zip(self.patient_ids, self.has_lesion) if h})
        lines = [
            f"Cohort: {self.description}",
            f"  images       {self.images.shape} float32, spacing {self.spacing} mm, slices "
            f"{self.slice_thickness:g} mm apart",
            f"  patients     {len(self.patients)} ({len(lesion_patients)} with lesions); "
            f"{int(self.has_lesion.sum())} of {len(self)} slices contain a lesion",
            f"  models       " + "; ".join(f"{k} ({v.split(':')[0]})" for k, v in self.models.items()),
            f"  features     {', '.join(self.feature_names)}",
            f"  split        model_c trained on {int((self.split == 'train').sum())} slices, "
            f"tested on {int((self.split == 'test').sum())}",
            f"  source       {self.source}",
        ]
        return "\n".join(lines)

    def __repr__(self) -> str:
        return self.summary()

    def _repr_pretty_(self, printer, cycle) -> None:
        printer.text(self.summary())


def _check_split(test_fraction: float, seed: int) -> int:
    if not isinstance(test_fraction, (int, float)) or not 0 < test_fraction < 1:
        raise ValueError(f"test_fraction must be a number strictly between 0 and 1, got {test_fraction!r}")
    if not isinstance(seed, (int, np.integer)):
        raise TypeError(f"seed must be an int, got {type(seed).__name__}")
    return int(seed)


# ---------------------------------------------------------------------- building
def _block_mean2(stack: np.ndarray) -> np.ndarray:
    n, h, w = stack.shape
    return stack[:, : h // 2 * 2, : w // 2 * 2].reshape(n, h // 2, 2, w // 2, 2).mean(axis=(2, 4))


def _patient_lesions(rng: np.random.Generator, body: np.ndarray) -> list[Lesion]:
    """1-3 ellipsoids (slice, row, col) inside the brain: one medium/large, the others small."""
    n = int(rng.integers(1, 4))
    eroded = ndimage.binary_erosion(body, structure=np.ones((1, 3, 3)), iterations=8)
    lesions = []
    for i in range(n):
        lo, hi = (2, 4) if i == 0 else (1, body.shape[0] - 1)
        inside = np.argwhere(eroded[lo:hi]) + [lo, 0, 0]
        z, r, c = inside[int(rng.integers(inside.shape[0]))]
        if i == 0:  # spans 3-5 of the 6 slices
            radii = (float(rng.uniform(1.6, 2.6)), float(rng.uniform(4.5, 8.0)), float(rng.uniform(4.0, 7.0)))
        else:
            radii = (float(rng.uniform(0.5, 0.9)), float(rng.uniform(1.4, 2.4)), float(rng.uniform(1.4, 2.4)))
        lesions.append(Lesion((float(z), float(r), float(c)), radii, float(rng.uniform(-40, 40))))
    return lesions


def _probability(sd: np.ndarray, noise: np.ndarray, offset: float, scale: float) -> np.ndarray:
    logit = (-(np.clip(sd, -60, 60) + noise) + offset) / scale
    return 1.0 / (1.0 + np.exp(-logit))


def _blobs(shape: tuple[int, ...], body: np.ndarray, rng: np.random.Generator, n: int, peak: tuple[float, float],
           sigma: float = 1.6) -> np.ndarray:
    """``n`` faint Gaussian blobs at random brain pixels, each slice independent (axis 0 not blurred)."""
    heat = np.zeros(shape)
    idx = np.flatnonzero(body.ravel())
    if n and idx.size:
        picks = rng.choice(idx, size=n, replace=False)
        heat.ravel()[picks] = rng.uniform(*peak, size=n)
        heat = ndimage.gaussian_filter(heat, (0, sigma, sigma)) * (2 * np.pi * sigma ** 2)
    return np.clip(heat, 0, 1)


def _features(images: np.ndarray, brain: np.ndarray) -> np.ndarray:
    n = images.shape[0]
    count = brain.reshape(n, -1).sum(axis=1).astype(np.float64)
    inside = np.where(brain, images, 0.0)
    mean = inside.reshape(n, -1).sum(axis=1) / count
    std = np.sqrt(np.where(brain, (images - mean[:, None, None]) ** 2, 0).reshape(n, -1).sum(axis=1) / count)
    bright = (brain & (images > 0.9)).reshape(n, -1).sum(axis=1) / count
    resid = images - ndimage.gaussian_filter(images, (0, 1.0, 1.0))
    noise = np.sqrt(np.where(brain, resid ** 2, 0).reshape(n, -1).sum(axis=1) / count)
    area = count * SPACING[0] * SPACING[1] / 100.0
    return np.stack([mean, std, bright, noise, area], axis=1).astype(np.float32)


def build_cohort() -> Cohort:
    """A fresh copy of the (cached) cohort."""
    _files.load_arrays("mni_icbm152_2009a.npz")  # verifies the file (raises a clear error) every time
    cached = _build_cohort_cached()
    return cached.select(np.arange(len(cached)))


@lru_cache(maxsize=1)
def _build_cohort_cached() -> Cohort:
    t1 = _files.load_arrays("mni_icbm152_2009a.npz")["axial_t1"]
    template = _block_mean2(t1.astype(np.float64) / 255.0)  # (21, 97, 78)
    rng = np.random.default_rng(SEED)
    shape = (SLICES_PER_PATIENT,) + template.shape[1:]
    images, refs, pids, positions = [], [], [], []
    for p in range(1, N_PATIENTS + 1):
        pid = f"P{p:02d}"
        start = int(rng.integers(3, template.shape[0] - SLICES_PER_PATIENT - 2))
        block = template[start:start + SLICES_PER_PATIENT]
        dy, dx = (int(v) for v in rng.integers(-3, 4, size=2))
        block = np.roll(block, (dy, dx), axis=(1, 2))  # the crop's margin is background: nothing wraps
        if rng.random() < 0.5:
            block = block[:, :, ::-1]
        brain = block > 0.05
        bias = 1.0 + 0.08 * smooth_noise(shape[1:], 12.0, rng)
        gain = rng.uniform(0.72, 1.0)
        block = np.clip(gain * block * bias, 0, 1) ** rng.uniform(0.85, 1.15)
        lesions = [] if pid in HEALTHY else _patient_lesions(rng, brain)
        ref = lesion_union(lesions, shape) & brain
        block = insert_lesions(block, ref, float(rng.uniform(0.95, 1.0)), int(rng.integers(1 << 30)),
                               blur=(0, 0.7, 0.7)).astype(np.float64)
        sigma_noise = rng.uniform(0.005, 0.08)
        block = np.where(brain, block + sigma_noise * rng.standard_normal(shape), block)
        images.append(np.clip(block, 0, 1))
        refs.append(ref)
        pids += [pid] * SLICES_PER_PATIENT
        positions += list(range(SLICES_PER_PATIENT))
    image = np.concatenate(images).astype(np.float32)
    reference = np.concatenate(refs)
    patient_ids = np.array(pids)
    brain = image > 0.05
    split = np.where(np.isin(patient_ids, MODEL_C_TEST), "test", "train")

    sd = signed_distance_per_slice(reference)
    wobble = lambda s: smooth_noise(image.shape, (0, 2.5, 2.5), rng) * s  # noqa: E731
    # per-slice lesion size, to let the cautious model miss small lesions
    labels, n = ndimage.label(reference, structure=np.array([[[0] * 3] * 3, [[0, 1, 0], [1, 1, 1], [0, 1, 0]],
                                                              [[0] * 3] * 3]))
    sizes = np.bincount(labels.ravel())
    small = (sizes <= 20)[labels] & reference
    small_zone = ndimage.binary_dilation(small, structure=np.ones((1, 3, 3)), iterations=3)

    prob_a = _probability(sd, wobble(0.6), -0.7, 0.8)
    prob_a = np.where(small_zone, prob_a * 0.35, prob_a)
    prob_b = _probability(sd, wobble(0.9), 1.8, 1.1)
    prob_b = np.maximum(prob_b, _blobs(image.shape, brain, rng, 40, (0.55, 0.95)))
    test = (split == "test")[:, None, None]
    prob_c_train = _probability(sd, wobble(0.25), 0.0, 0.5)
    ragged = wobble(1.0) + smooth_noise(image.shape, (0, 0.8, 0.8), rng) * 1.6
    prob_c_test = _probability(np.roll(sd, 2, axis=2), ragged, -0.5, 0.9)
    prob_c_test = np.where(small_zone, prob_c_test * 0.3, prob_c_test)
    prob_c_test = np.maximum(prob_c_test, _blobs(image.shape, brain & test, rng, 12, (0.55, 0.9)))
    prob_c = np.where(test, prob_c_test, prob_c_train)
    probabilities = {k: np.where(brain | reference, v, 0.0).astype(np.float32)
                     for k, v in (("model_a", prob_a), ("model_b", prob_b), ("model_c", prob_c))}
    predictions = {k: v >= 0.5 for k, v in probabilities.items()}
    return Cohort(images=image, references=reference, patient_ids=patient_ids,
                  slice_positions=np.array(positions, dtype=np.int64), predictions=predictions,
                  probabilities=probabilities, split=split, features=_features(image, brain))
