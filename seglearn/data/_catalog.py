"""The catalogue of sample cases: which real image, which synthetic lesions, which predictions.

Each entry is a small recipe; :func:`build_case` turns it into a fresh :class:`Case`.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from . import _files
from ._case import Case
from ._synth import (FAILURES, Lesion, insert_lesions, lesion_union, simulate_predictions,
                     simulate_probability, simulate_raters)

MNI_SOURCE = ("MNI ICBM152 2009a nonlinear symmetric T1 template (Fonov et al. 2009, 2011), "
              "from the nilearn wheel; see data/README.md")
MNI_LICENCE = ("MNI ICBM152 licence: free to use, copy, modify and distribute with the copyright "
               "notice of L. Collins, Montreal Neurological Institute (full text in data/README.md)")
RETINA_SOURCE = ("scikit-image `data.retina()`: fundus photograph of a normal left eye "
                 "(M. Häggström, Wikimedia Commons), green channel")
RETINA_LICENCE = "CC0 1.0 (public domain dedication)"
MICRO_SOURCE = ("scikit-image `data.microaneurysms()`: green-channel crop of 07_dr.JPG from the "
                "High-Resolution Fundus (HRF) Image Database (Budai et al. 2013)")
MICRO_LICENCE = "CC0 (no copyright restrictions, given by the owner A. Maier)"
PHANTOM_SOURCE = "scikit-image `data.shepp_logan_phantom()` (Shepp & Logan 1974)"
PHANTOM_LICENCE = "public domain (a mathematical phantom; shipped with scikit-image, BSD-3-Clause)"

EXACT = "exact by construction (synthetic lesions)"

ALL_FAILURES = tuple(FAILURES)
NO_SMALL = tuple(k for k in FAILURES if k != "missed_small")


@dataclass(frozen=True)
class Recipe:
    """How to build one case (internal)."""

    description: str
    image: Callable[[], tuple[np.ndarray, np.ndarray, tuple[float, ...]]]  # -> image, body, spacing
    source: str
    licence: str
    lesions: tuple[Lesion, ...] = ()
    lesion_intensity: float = 0.95  # bright, like a contrast-enhancing lesion on T1
    reference: Callable[[], np.ndarray] | None = None  # non-synthetic reference
    reference_origin: str = EXACT
    predictions: tuple[str, ...] = ALL_FAILURES
    probability: bool = True
    raters: bool = False
    seed: int = 0
    small_size: int = 60
    shift: tuple[int, ...] | None = None


# --------------------------------------------------------------------------- real images
def _mni() -> dict:
    return _files.load_arrays("mni_icbm152_2009a.npz")


def _skimage() -> dict:
    return _files.load_arrays("skimage_images.npz")


def _axial_index(z: int) -> int:
    zs = list(_mni()["axial_z"])
    if z not in zs:
        raise ValueError(f"axial slice z={z} is not shipped; shipped: {zs}")
    return zs.index(z)


def brain_axial(z: int, tissue: str = "t1") -> np.ndarray:
    """Axial template slice at voxel index ``z`` (72 is z = 0 mm) as float32 in [0, 1]."""
    return (_mni()[f"axial_{tissue}"][_axial_index(z)] / np.float32(255)).astype(np.float32)


def _brain_axial_image(z: int):
    def make():
        img = brain_axial(z)
        return img, img > 0.05, (1.0, 1.0)
    return make


def _brain_coronal_image(i: int):
    def make():
        img = (_mni()["coronal_t1"][i] / np.float32(255)).astype(np.float32)
        return img, img > 0.05, (1.0, 1.0)
    return make


def _brain_volume_image():
    img = (_mni()["volume_t1"] / np.float32(255)).astype(np.float32)
    return img, img > 0.05, (1.0, 1.0, 1.0)


def _white_matter_reference(z: int) -> Callable[[], np.ndarray]:
    return lambda: brain_axial(z, "wm") >= 0.5


def _retina_image():
    img = (_skimage()["retina_green"] / np.float32(255)).astype(np.float32)
    return img, img > 0.08, (0.04, 0.04)


def _micro_image():
    img = (_skimage()["microaneurysms"] / np.float32(255)).astype(np.float32)
    return img, np.ones(img.shape, bool), (0.01, 0.01)


#: Seed points (row, col) of the two microaneurysms visible in the crop, chosen by eye.
MICRO_SEEDS = ((22, 16), (71, 49))


def _micro_reference() -> np.ndarray:
    """Pixels at least 25 grey levels darker than their 15 x 15 median, connected to a seed point."""
    from scipy import ndimage

    raw = _skimage()["microaneurysms"].astype(np.int16)
    dark = (ndimage.median_filter(raw, size=15) - raw) >= 25
    labels, _ = ndimage.label(dark)
    keep = [labels[r, c] for r, c in MICRO_SEEDS]
    if 0 in keep:
        raise ValueError("microaneurysm seed point is not dark: the shipped image changed")
    return np.isin(labels, keep)


def _phantom_image():
    img = (_skimage()["shepp_logan"] / np.float32(255)).astype(np.float32)
    return img, img > 0, (0.5, 0.5)


def _phantom_reference() -> np.ndarray:
    from scipy import ndimage

    raw = _skimage()["shepp_logan"]
    head = ndimage.binary_fill_holes(raw > 0)
    return head & (raw == 0)


# --------------------------------------------------------------------------- the catalogue
CATALOGUE: dict[str, Recipe] = {
    "brain_tumour": Recipe(
        description="axial brain MRI (T1, z = +12 mm) with one large and two small synthetic lesions",
        image=_brain_axial_image(84), source=MNI_SOURCE, licence=MNI_LICENCE,
        lesions=(Lesion((78.0, 104.0), (19.0, 14.0), 25.0), Lesion((140.0, 48.0), (3.2, 3.2)),
                 Lesion((52.0, 58.0), (2.6, 3.0))),
        raters=True, seed=101),
    "brain_small_lesions": Recipe(
        description="axial brain MRI (T1, z = +28 mm) with seven small synthetic lesions, like MS plaques",
        image=_brain_axial_image(100), source=MNI_SOURCE, licence=MNI_LICENCE,
        lesions=(Lesion((60.0, 50.0), (3.5, 2.5), 30.0), Lesion((75.0, 108.0), (2.5, 2.5)),
                 Lesion((100.0, 40.0), (4.0, 3.0), -20.0), Lesion((112.0, 112.0), (2.0, 2.0)),
                 Lesion((130.0, 60.0), (3.0, 3.0)), Lesion((138.0, 98.0), (2.5, 4.0), 10.0),
                 Lesion((90.0, 76.0), (1.6, 1.6))),
        predictions=("good", "over", "under", "stray_speck", "missed_small", "all_background"),
        small_size=22, raters=True, seed=202),
    "brain_thin_lesion": Recipe(
        description="axial brain MRI (T1, z = +4 mm) with one thin, elongated synthetic lesion",
        image=_brain_axial_image(76), source=MNI_SOURCE, licence=MNI_LICENCE,
        lesions=(Lesion((95.0, 70.0), (1.8, 24.0), 35.0),),
        predictions=("good", "over", "under", "shifted", "ragged", "stray_speck", "all_background"),
        seed=303),
    "brain_healthy": Recipe(
        description="axial brain MRI (T1, z = +16 mm) with no lesion: the reference is empty",
        image=_brain_axial_image(88), source=MNI_SOURCE, licence=MNI_LICENCE,
        predictions=("good", "stray_speck", "all_background"), seed=404),
    "brain_white_matter": Recipe(
        description="axial brain MRI (T1, z = +12 mm); the reference is the white matter",
        image=_brain_axial_image(84), source=MNI_SOURCE, licence=MNI_LICENCE,
        reference=_white_matter_reference(84),
        reference_origin="template white-matter probability >= 0.5 (a tissue map, not a human outline)",
        predictions=("good", "over", "under", "shifted", "ragged", "all_background"), seed=505),
    "brain_coronal_tumour": Recipe(
        description="coronal brain MRI (T1, y = -16 mm) with one medium synthetic lesion",
        image=_brain_coronal_image(1), source=MNI_SOURCE, licence=MNI_LICENCE,
        lesions=(Lesion((62.0, 52.0), (11.0, 8.0), -15.0),),
        predictions=NO_SMALL, seed=606),
    "brain_volume": Recipe(
        description="3-D brain MRI block (48 x 64 x 64 voxels of 1 mm) with one ellipsoidal synthetic lesion",
        image=_brain_volume_image, source=MNI_SOURCE, licence=MNI_LICENCE,
        lesions=(Lesion((24.0, 30.0, 40.0), (7.0, 10.0, 8.0), 20.0),),
        predictions=("good", "over", "under", "shifted", "stray_speck", "all_background"), seed=707),
    "retina_exudates": Recipe(
        description="retinal fundus photograph (green channel) with synthetic bright exudates, large to tiny",
        image=_retina_image, source=RETINA_SOURCE, licence=RETINA_LICENCE,
        lesions=(Lesion((200.0, 230.0), (13.0, 19.0), 20.0), Lesion((150.0, 250.0), (3.0, 4.0)),
                 Lesion((240.0, 190.0), (2.5, 2.5)), Lesion((120.0, 200.0), (2.0, 3.0), 45.0),
                 Lesion((215.0, 275.0), (1.6, 1.6))),
        lesion_intensity=0.85, raters=True, seed=808),
    "retina_microaneurysms": Recipe(
        description="retina crop (green channel) with two real microaneurysms: tiny objects",
        image=_micro_image, source=MICRO_SOURCE, licence=MICRO_LICENCE, reference=_micro_reference,
        reference_origin=("rule-based, not an expert: pixels >= 25 grey levels darker than their "
                          "15 x 15 median background, connected to the two dots seen by eye"),
        predictions=("good", "over", "shifted", "stray_speck", "missed_small", "all_background"),
        small_size=10, shift=(1, 1), raters=True, seed=1010),
    "phantom_ventricles": Recipe(
        description="Shepp-Logan head phantom; the reference is its two dark ellipses",
        image=_phantom_image, source=PHANTOM_SOURCE, licence=PHANTOM_LICENCE,
        reference=_phantom_reference,
        reference_origin="exact: the phantom's own piecewise-constant regions",
        predictions=NO_SMALL, shift=(10, 6), seed=909),
}


def build_case(name: str) -> Case:
    """Build a fresh :class:`Case` from its recipe."""
    recipe = CATALOGUE[name]
    image, body, spacing = recipe.image()
    image = np.array(image, dtype=np.float32, copy=True)
    if recipe.reference is not None:
        reference = np.array(recipe.reference(), dtype=bool, copy=True)
    else:
        reference = lesion_union(recipe.lesions, image.shape)
        image = insert_lesions(image, reference, recipe.lesion_intensity, recipe.seed)
    body = np.asarray(body, dtype=bool) | reference
    predictions = simulate_predictions(reference, body, recipe.seed + 1, recipe.predictions,
                                       small_size=recipe.small_size, shift=recipe.shift)
    probability = (simulate_probability(reference, body, recipe.seed + 2, small_size=recipe.small_size)
                   if recipe.probability else None)
    raters = simulate_raters(reference, recipe.seed + 3, small_size=recipe.small_size) if recipe.raters else {}
    return Case(name=name, image=image, reference=reference, spacing=tuple(float(s) for s in spacing),
                predictions=predictions, probability=probability, raters=raters,
                description=recipe.description, source=recipe.source, licence=recipe.licence,
                reference_origin=recipe.reference_origin, lesions=tuple(recipe.lesions))
