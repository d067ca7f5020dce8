#!/usr/bin/env python3
"""Regenerate the real-image files under ``data/`` bit for bit.

Only the *real* pixels are shipped; every synthetic lesion, simulated prediction, rater outline and
the cohort are made at load time by seeded code in :mod:`seglearn.data` (exact and reproducible).

Two files are written:

``mni_icbm152_2009a.npz``
    Axial and coronal slices and one small 3-D sub-volume of the MNI ICBM152 2009a symmetric T1
    template with its grey- and white-matter probability maps, as shipped in the ``nilearn`` wheel
    (``nilearn/datasets/data/mni_icbm152_{t1,gm,wm}_tal_nlin_sym_09a_converted.nii.gz``).
    Needs ``nilearn`` (only to find those files; it is never imported) and ``nibabel`` - both only
    for regeneration, never at run time. Install them into a throwaway place, e.g.::

        pip install --no-deps --target /tmp/nl nilearn nibabel
        PYTHONPATH=/tmp/nl python scripts/make_data.py

``skimage_images.npz``
    Crops of images that scikit-image ships inside its wheel (no download): the retina fundus
    photograph (green channel), the microaneurysm crop, the immunohistochemistry slide and the
    Shepp-Logan phantom.

The ``.npz`` files are written uncompressed with fixed zip timestamps, so the same inputs give the
same bytes (``python scripts/make_data.py --check`` compares against the shipped files).

Usage::

    python scripts/make_data.py [--out DIR] [--only mni|skimage] [--check]
"""
from __future__ import annotations

import argparse
import hashlib
import importlib.util
import io
import sys
import zipfile
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
DATA_DIR = REPO / "data"

MNI_FILE = "mni_icbm152_2009a.npz"
SKIMAGE_FILE = "skimage_images.npz"

# Crop of the 197 x 233 x 189 template grid (voxel indices x, y, z; 1 mm isotropic, RAS) that
# contains the whole brain with a small margin.
MNI_X = (20, 176)
MNI_Y = (20, 214)
MNI_Z = (0, 160)
AXIAL_Z = tuple(range(40, 121, 4))  # 21 axial slices, inferior -> superior
CORONAL_Y = (90, 110, 130)  # 3 coronal slices, posterior -> anterior
# 3-D sub-volume (voxel index ranges x, y, z) around the lateral ventricles.
VOLUME_X = (66, 130)
VOLUME_Y = (90, 154)
VOLUME_Z = (62, 110)


def save_npz_deterministic(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """Write an uncompressed ``.npz`` whose bytes depend only on the arrays (no timestamps)."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as zf:
        for name in sorted(arrays):
            buf = io.BytesIO()
            np.lib.format.write_array(buf, np.ascontiguousarray(arrays[name]), version=(1, 0), allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_STORED
            info.create_system = 3
            info.external_attr = 0o644 << 16
            zf.writestr(info, buf.getvalue())


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --------------------------------------------------------------------------- MNI ICBM152 2009a
def nilearn_template_dir() -> Path:
    """Folder of the ICBM152 files inside an installed nilearn (found without importing it)."""
    spec = importlib.util.find_spec("nilearn")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("nilearn is needed to regenerate the MNI slices: "
                                  "pip install --no-deps --target /tmp/nl nilearn nibabel")
    return Path(list(spec.submodule_search_locations)[0]) / "datasets" / "data"


def _axial(vol: np.ndarray, z: int) -> np.ndarray:
    """Axial slice in radiological display order: rows anterior -> posterior, columns patient right -> left."""
    x0, x1 = MNI_X
    y0, y1 = MNI_Y
    return vol[x0:x1, y0:y1, z].T[::-1, ::-1]


def _coronal(vol: np.ndarray, y: int) -> np.ndarray:
    """Coronal slice: rows superior -> inferior, columns patient right -> left."""
    x0, x1 = MNI_X
    z0, z1 = MNI_Z
    return vol[x0:x1, y, z0:z1].T[::-1, ::-1]


def _volume(vol: np.ndarray) -> np.ndarray:
    """Sub-volume in (z, y, x) order: axis 0 inferior -> superior, each [k] an axial slice as in `_axial`."""
    (x0, x1), (y0, y1), (z0, z1) = VOLUME_X, VOLUME_Y, VOLUME_Z
    return vol[x0:x1, y0:y1, z0:z1].transpose(2, 1, 0)[:, ::-1, ::-1]


def make_mni(out: Path) -> Path:
    import nibabel as nib

    src = nilearn_template_dir()
    arrays: dict[str, np.ndarray] = {}
    for tissue in ("t1", "gm", "wm"):
        img = nib.load(src / f"mni_icbm152_{tissue}_tal_nlin_sym_09a_converted.nii.gz")
        if img.shape != (197, 233, 189) or not np.allclose(img.header.get_zooms()[:3], 1.0):
            raise ValueError(f"unexpected ICBM152 {tissue} grid {img.shape} {img.header.get_zooms()}")
        vol = np.asarray(img.dataobj)
        if vol.dtype != np.uint8:
            raise ValueError(f"expected uint8 voxels in the {tissue} template, got {vol.dtype}")
        arrays[f"axial_{tissue}"] = np.stack([_axial(vol, z) for z in AXIAL_Z])
        arrays[f"coronal_{tissue}"] = np.stack([_coronal(vol, y) for y in CORONAL_Y])
        arrays[f"volume_{tissue}"] = _volume(vol)
    arrays["axial_z"] = np.asarray(AXIAL_Z, dtype=np.int16)
    arrays["coronal_y"] = np.asarray(CORONAL_Y, dtype=np.int16)
    arrays["spacing_mm"] = np.asarray([1.0, 1.0, 1.0], dtype=np.float64)
    path = out / MNI_FILE
    save_npz_deterministic(path, arrays)
    return path


# --------------------------------------------------------------------------- scikit-image images
def _block_mean(img: np.ndarray, factor: int) -> np.ndarray:
    """Integer block mean (exact, rounds half up) of a 2-D uint8 image."""
    h, w = (img.shape[0] // factor) * factor, (img.shape[1] // factor) * factor
    blocks = img[:h, :w].astype(np.uint32).reshape(h // factor, factor, w // factor, factor)
    n = factor * factor
    return ((blocks.sum(axis=(1, 3)) + n // 2) // n).astype(np.uint8)


def make_skimage(out: Path) -> Path:
    import skimage.data

    retina = skimage.data.retina()  # (1411, 1411, 3) uint8
    arrays = {
        # green channel (best contrast for fundus lesions), fundus disc cropped, 4x4 block mean
        "retina_green": _block_mean(retina[8:1400, 8:1400, 1], 4),  # (348, 348)
        "microaneurysms": skimage.data.microaneurysms().astype(np.uint8),  # (102, 102)
        "ihc_rgb": skimage.data.immunohistochemistry()[128:384, 128:384].copy(),  # (256, 256, 3)
        # the phantom is piecewise constant (values k/255): store as exact uint8
        "shepp_logan": np.rint(skimage.data.shepp_logan_phantom() * 255).astype(np.uint8),  # (400, 400)
    }
    path = out / SKIMAGE_FILE
    save_npz_deterministic(path, arrays)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DATA_DIR, help="output folder (default: data/)")
    parser.add_argument("--only", choices=("mni", "skimage"), help="regenerate one file only")
    parser.add_argument("--check", action="store_true",
                        help="write into a temporary folder and compare with the shipped files")
    args = parser.parse_args(argv)
    makers = {"mni": make_mni, "skimage": make_skimage}
    chosen = [args.only] if args.only else list(makers)
    if args.check:
        import tempfile

        ok = True
        with tempfile.TemporaryDirectory() as tmp:
            for key in chosen:
                path = makers[key](Path(tmp))
                shipped = DATA_DIR / path.name
                same = shipped.is_file() and shipped.read_bytes() == path.read_bytes()
                ok &= same
                print(f"{'same' if same else 'DIFFERENT'}: {path.name}")
        return 0 if ok else 1
    args.out.mkdir(parents=True, exist_ok=True)
    for key in chosen:
        path = makers[key](args.out)
        print(f"{path.name}  {path.stat().st_size} bytes  sha256 {sha256(path)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
