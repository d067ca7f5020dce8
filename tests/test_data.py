"""Tests of seglearn.data: shipped files, cases, simulated failures, cohort, integrity, offline."""
from __future__ import annotations

import hashlib
import importlib.util
import re
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import seglearn.data as sd
import seglearn.metrics as sm
from seglearn.data import _files

REPO = Path(__file__).resolve().parents[1]
CASES = sd.list_cases()
#: objects of a few pixels: every metric is harsher on them (that is what these cases teach)
TINY = {"retina_microaneurysms"}


@pytest.fixture(scope="module")
def cases():
    return {name: sd.load_case(name) for name in CASES}


@pytest.fixture(scope="module")
def cohort():
    return sd.load_cohort()


def _lesion_recall(pred, ref):
    return sm.lesion_detection(pred, ref).recall


# ---------------------------------------------------------------- files and checksums
def test_shipped_files_match_checksums_and_sizes():
    for name, (size, digest) in _files.FILES.items():
        path = REPO / "data" / name
        assert path.stat().st_size == size
        assert hashlib.sha256(path.read_bytes()).hexdigest() == digest
    assert "verified" in sd.verify()


def test_data_folder_is_small_and_documented():
    data = REPO / "data"
    total = sum(p.stat().st_size for p in data.rglob("*") if p.is_file())
    assert total <= 20 * 1024 * 1024
    readme = (data / "README.md").read_text(encoding="utf-8")
    for name, (size, digest) in _files.FILES.items():
        assert name in readme and digest in readme and str(size) in readme
    assert "Louis Collins" in readme  # the MNI licence notice is kept
    shipped = {p.name for p in data.iterdir() if p.is_file()} - {"README.md"}
    assert shipped == set(_files.FILES)


def test_npz_files_load_without_pickle():
    for name in _files.FILES:
        with np.load(REPO / "data" / name, allow_pickle=False) as npz:
            for key in npz.files:
                assert npz[key].dtype != object


@pytest.fixture
def tmp_data(tmp_path, monkeypatch):
    for name in _files.FILES:
        shutil.copy(REPO / "data" / name, tmp_path / name)
    monkeypatch.setattr(_files, "DATA_DIR", tmp_path)
    return tmp_path


def test_missing_file_gives_clear_error(tmp_data):
    (tmp_data / "mni_icbm152_2009a.npz").unlink()
    with pytest.raises(sd.DataFileError, match=r"'mni_icbm152_2009a\.npz' is missing.*make_data\.py"):
        sd.load_case("brain_tumour")
    with pytest.raises(sd.DataFileError, match="mni_icbm152_2009a.npz"):
        sd.load_cohort()
    with pytest.raises(sd.DataFileError, match="mni_icbm152_2009a.npz"):
        sd.verify()


@pytest.mark.parametrize("how", ["flip", "truncate"])
def test_corrupt_file_gives_clear_error(tmp_data, how):
    path = tmp_data / "skimage_images.npz"
    raw = bytearray(path.read_bytes())
    if how == "flip":
        raw[len(raw) // 2] ^= 0xFF
    else:
        raw = raw[:-100]
    path.write_bytes(bytes(raw))
    with pytest.raises(sd.DataFileError, match=r"'skimage_images\.npz' is corrupt"):
        sd.load_case("retina_exudates")
    # the brain cases use the other file and still load
    assert sd.load_case("brain_healthy").image.shape == (194, 156)


def test_no_network_is_touched(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("seglearn.data tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    _files._load_verified.cache_clear()
    for name in CASES:
        sd.load_case(name)
    sd.load_cohort()
    sd.verify()


@pytest.mark.slow
def test_regeneration_reproduces_skimage_file_bit_for_bit(tmp_path):
    script = REPO / "scripts" / "make_data.py"
    subprocess.run([sys.executable, str(script), "--only", "skimage", "--out", str(tmp_path)], check=True,
                   capture_output=True)
    assert (tmp_path / "skimage_images.npz").read_bytes() == (REPO / "data" / "skimage_images.npz").read_bytes()


@pytest.mark.slow
@pytest.mark.skipif(importlib.util.find_spec("nilearn") is None or importlib.util.find_spec("nibabel") is None,
                    reason="nilearn and nibabel are needed to regenerate the MNI slices (not runtime dependencies)")
def test_regeneration_reproduces_mni_file_bit_for_bit(tmp_path):
    script = REPO / "scripts" / "make_data.py"
    subprocess.run([sys.executable, str(script), "--only", "mni", "--out", str(tmp_path)], check=True,
                   capture_output=True)
    assert (tmp_path / "mni_icbm152_2009a.npz").read_bytes() == (REPO / "data" / "mni_icbm152_2009a.npz").read_bytes()


# ---------------------------------------------------------------- cases
EXPECTED_SHAPES = {
    "brain_tumour": (194, 156), "brain_small_lesions": (194, 156), "brain_thin_lesion": (194, 156),
    "brain_healthy": (194, 156), "brain_white_matter": (194, 156), "brain_coronal_tumour": (160, 156),
    "brain_volume": (48, 64, 64), "retina_exudates": (348, 348), "retina_microaneurysms": (102, 102),
    "phantom_ventricles": (400, 400),
}


EXPECTED_SPACING = {name: (1.0,) * len(shape) for name, shape in EXPECTED_SHAPES.items() if name.startswith("brain")}
EXPECTED_SPACING.update({"retina_exudates": (0.04, 0.04), "retina_microaneurysms": (0.01, 0.01),
                         "phantom_ventricles": (0.5, 0.5)})


def test_every_case_is_listed_with_expected_shape():
    assert set(CASES) == set(EXPECTED_SHAPES)
    assert len(CASES) == len(set(CASES))


@pytest.mark.parametrize("name", CASES)
def test_case_contract(cases, name):
    case = cases[name]
    assert case.name == name
    assert case.image.shape == EXPECTED_SHAPES[name]
    assert case.image.dtype == np.float32
    assert case.image.min() >= 0.0 and case.image.max() <= 1.0
    assert case.reference.dtype == bool and case.reference.shape == case.image.shape
    assert isinstance(case.spacing, tuple) and len(case.spacing) == case.image.ndim
    assert all(isinstance(s, float) and s > 0 for s in case.spacing)
    assert case.spacing == EXPECTED_SPACING[name]
    assert set(case.predictions) <= set(sd.FAILURES) and "all_background" in case.predictions
    assert tuple(case.predictions) == sd.PREDICTIONS[name]
    for key, mask in {**case.predictions, **case.raters}.items():
        assert mask.dtype == bool and mask.shape == case.image.shape, key
    if case.probability is not None:
        assert case.probability.dtype == np.float32 and case.probability.shape == case.image.shape
        assert 0.0 <= case.probability.min() and case.probability.max() <= 1.0
    for text in (case.description, case.source, case.licence, case.reference_origin):
        assert isinstance(text, str) and len(text) > 10
    shown = repr(case)
    assert name in shown and case.description in shown and "predictions" in shown and "\n" in shown


def test_load_case_returns_fresh_arrays():
    first = sd.load_case("brain_tumour")
    first.image[:] = 0
    first.reference[:] = True
    first.predictions["good"][:] = False
    first.raters["rater_a"][:] = False
    second = sd.load_case("brain_tumour")
    assert second.image.max() > 0.5
    assert not second.reference.all()
    assert second.predictions["good"].any() and second.raters["rater_a"].any()
    assert np.shares_memory(first.image, second.image) is False


def test_loading_is_deterministic():
    a, b = sd.load_case("retina_exudates"), sd.load_case("retina_exudates")
    assert np.array_equal(a.image, b.image) and np.array_equal(a.probability, b.probability)
    for key in a.predictions:
        assert np.array_equal(a.predictions[key], b.predictions[key])


def test_unknown_case_name():
    with pytest.raises(ValueError, match="unknown case 'brain'.*brain_tumour"):
        sd.load_case("brain")
    with pytest.raises(TypeError, match="name must be"):
        sd.load_case(3)


def _ellipse_reference(shape, lesions):
    """The analytic definition, written out independently of Lesion.mask."""
    coords = np.indices(shape).astype(float)
    out = np.zeros(shape, bool)
    for les in lesions:
        d = [coords[i] - les.center[i] for i in range(len(shape))]
        t = np.radians(les.angle)
        u = d[-2] * np.cos(t) + d[-1] * np.sin(t)
        v = -d[-2] * np.sin(t) + d[-1] * np.cos(t)
        q = (u / les.radii[-2]) ** 2 + (v / les.radii[-1]) ** 2
        if len(shape) == 3:
            q = q + (d[0] / les.radii[0]) ** 2
        out |= q <= 1
    return out


@pytest.mark.parametrize("name", [n for n in CASES if sd.load_case(n).lesions])
def test_synthetic_reference_equals_analytic_definition(cases, name):
    case = cases[name]
    assert np.array_equal(case.reference, _ellipse_reference(case.image.shape, case.lesions))
    # area of each lesion close to pi * a * b (pixel-centre sampling of an ellipse)
    for les in case.lesions:
        n = les.mask(case.image.shape).sum()
        assert abs(n - les.area) <= 2.5 * np.sqrt(les.area) + 4


def test_healthy_case_has_empty_reference(cases):
    case = cases["brain_healthy"]
    assert not case.reference.any()
    assert np.isnan(sm.dice(case.predictions["good"], case.reference))
    assert sm.dice(case.predictions["good"], case.reference, empty=1.0) == 1.0
    assert case.predictions["stray_speck"].sum() > 0  # a false alarm on a healthy scan


def test_white_matter_reference_is_template_threshold(cases):
    from seglearn.data._catalog import brain_axial

    assert np.array_equal(cases["brain_white_matter"].reference, brain_axial(84, "wm") >= 0.5)


def test_phantom_reference_is_exact_region(cases):
    case = cases["phantom_ventricles"]
    assert np.all(case.image[case.reference] == 0.0)
    from scipy import ndimage

    labels, n = ndimage.label(case.reference)
    assert n == 2


def test_thin_lesion_is_thin_and_long(cases):
    case = cases["brain_thin_lesion"]
    (les,) = case.lesions
    assert max(les.radii) / min(les.radii) > 10


def test_small_lesions_case_has_many_small_objects(cases):
    from scipy import ndimage

    labels, n = ndimage.label(cases["brain_small_lesions"].reference)
    sizes = np.bincount(labels.ravel())[1:]
    assert n >= 6 and sizes.max() <= 60


# ---------------------------------------------------------------- each prediction shows its failure
LESION_CASES = [n for n in CASES if n not in ("brain_healthy",)]


@pytest.mark.parametrize("name", LESION_CASES)
def test_good_is_good(cases, name):
    case = cases[name]
    good = sm.dice(case.predictions["good"], case.reference)
    # a one-pixel wobble costs small and tiny objects much more Dice (what those cases teach)
    floor = 0.6 if name in TINY else 0.75 if name in ("brain_small_lesions", "brain_thin_lesion") else 0.85
    assert good >= floor
    others = [sm.dice(mask, case.reference) for key, mask in case.predictions.items() if key != "good"]
    assert good >= max(others)  # every named failure scores at most as well as the good prediction


@pytest.mark.parametrize("name", [n for n in LESION_CASES if {"over", "under"} <= set(sd.PREDICTIONS[n])])
def test_over_and_under_segmentation(cases, name):
    case = cases[name]
    over = sm.confusion_counts(case.predictions["over"], case.reference)
    under = sm.confusion_counts(case.predictions["under"], case.reference)
    good = sm.confusion_counts(case.predictions["good"], case.reference)
    # a few pixels matter less on big objects (phantom) than on small ones: margins of 0.05
    assert over.recall() >= 0.97 and over.precision() < good.precision() - 0.05
    assert under.precision() >= 0.97 and under.recall() < good.recall() - 0.05
    assert case.predictions["over"].sum() > case.reference.sum() > case.predictions["under"].sum()


@pytest.mark.parametrize("name", [n for n in LESION_CASES if "shifted" in sd.PREDICTIONS[n]])
def test_shifted_keeps_size_but_loses_overlap(cases, name):
    case = cases[name]
    shifted, good = case.predictions["shifted"], case.predictions["good"]
    assert abs(int(shifted.sum()) - int(good.sum())) <= 0.05 * good.sum()
    assert sm.dice(shifted, case.reference) < sm.dice(good, case.reference) - 0.05


@pytest.mark.parametrize("name", [n for n in LESION_CASES if "ragged" in sd.PREDICTIONS[n]])
def test_ragged_boundary_is_longer(cases, name):
    case = cases[name]
    from scipy import ndimage

    def boundary(m):
        return int((m & ~ndimage.binary_erosion(m)).sum())

    assert boundary(case.predictions["ragged"]) > 1.15 * boundary(case.predictions["good"])
    assert sm.dice(case.predictions["ragged"], case.reference) < sm.dice(case.predictions["good"], case.reference)


@pytest.mark.parametrize("name", [n for n in CASES if "stray_speck" in sd.PREDICTIONS[n]])
def test_stray_speck_is_far_and_small(cases, name):
    case = cases[name]
    speck = case.predictions["stray_speck"] & ~case.predictions["good"]
    assert 0 < speck.sum() <= 40
    if case.reference.any():
        d_good = sm.dice(case.predictions["good"], case.reference)
        if name not in TINY:
            assert sm.dice(case.predictions["stray_speck"], case.reference) > d_good - 0.06
        hd_good = sm.hausdorff_distance(case.predictions["good"], case.reference, spacing=case.spacing)
        hd_speck = sm.hausdorff_distance(case.predictions["stray_speck"], case.reference, spacing=case.spacing)
        assert hd_speck > 3 * hd_good


@pytest.mark.parametrize("name", [n for n in CASES if "missed_small" in sd.PREDICTIONS[n]])
def test_missed_small_lowers_lesion_recall_but_not_dice(cases, name):
    case = cases[name]
    missed = case.predictions["missed_small"]
    assert _lesion_recall(missed, case.reference) < 1.0
    assert _lesion_recall(case.predictions["good"], case.reference) == 1.0
    if name not in TINY | {"brain_small_lesions"}:  # with one big lesion, Dice barely notices
        assert sm.dice(missed, case.reference) >= 0.85


@pytest.mark.parametrize("name", [n for n in CASES if n not in ("brain_white_matter", "phantom_ventricles")])
def test_all_background_accuracy_paradox(cases, name):
    case = cases[name]
    counts = sm.confusion_counts(case.predictions["all_background"], case.reference)
    assert not case.predictions["all_background"].any()
    assert counts.accuracy() >= 0.95
    if case.reference.any():
        assert counts.recall() == 0.0


@pytest.mark.parametrize("name", [n for n in LESION_CASES if sd.load_case(n).probability is not None])
def test_probability_has_precision_recall_tradeoff(cases, name):
    case = cases[name]
    prob = case.probability
    low = sm.confusion_counts(prob >= 0.2, case.reference)
    mid = sm.confusion_counts(prob >= 0.5, case.reference)
    high = sm.confusion_counts(prob >= 0.8, case.reference)
    assert low.recall() >= mid.recall() >= high.recall()
    assert low.recall() > high.recall()
    assert high.precision() > low.precision()
    if name not in TINY:  # calibrated-looking: 0.5 is a sensible threshold
        assert mid.dice() >= 0.55
    sweep = sm.threshold_sweep(prob, case.reference, thresholds=np.linspace(0.05, 0.95, 19))
    assert np.nanmax(sweep.dice) >= 0.6


def test_probability_small_lesions_found_only_at_low_threshold(cases):
    case = cases["brain_small_lesions"]
    assert _lesion_recall(case.probability >= 0.2, case.reference) > _lesion_recall(case.probability >= 0.7,
                                                                                       case.reference)


@pytest.mark.parametrize("name", [n for n in CASES if sd.load_case(n).raters])
def test_raters_differ_like_humans(cases, name):
    case = cases[name]
    assert len(case.raters) in (2, 3)
    dices = [sm.dice(r, case.reference) for r in case.raters.values()]
    assert all((0.4 if name in TINY else 0.6) <= d < 1.0 for d in dices)
    a, b = case.raters["rater_a"], case.raters["rater_b"]
    assert a.sum() > case.reference.sum() > b.sum()  # generous vs tight
    assert sm.dice(a, b) < 0.97


# ---------------------------------------------------------------- cohort
def test_cohort_structure(cohort):
    n = len(cohort)
    assert n == 96 and cohort.images.shape == (96, 97, 78)
    assert cohort.images.dtype == np.float32 and cohort.references.dtype == bool
    assert cohort.patient_ids.shape == (n,) and len(cohort.patients) == 16
    assert set(cohort.models) == set(cohort.predictions) == set(cohort.probabilities) == {"model_a", "model_b",
                                                                                        "model_c"}
    for m in cohort.models:
        assert cohort.predictions[m].shape == cohort.references.shape
        assert np.array_equal(cohort.predictions[m], cohort.probabilities[m] >= 0.5)
    assert cohort.features.shape == (n, len(cohort.feature_names))
    assert np.isfinite(cohort.features).all()
    assert set(np.unique(cohort.split)) == {"train", "test"}
    assert "16" in repr(cohort) and "model_c" in repr(cohort)


def test_cohort_patients_without_lesions(cohort):
    empty = [p for p in cohort.patients if not cohort.patient(p).references.any()]
    assert 2 <= len(empty) <= 6
    assert 0 < cohort.has_lesion.mean() < 1
    # the split is per patient
    for p in cohort.patients:
        assert len(set(cohort.split[cohort.patient_index(p)])) == 1


def test_cohort_per_case_vs_pooled_differ(cohort):
    counts = sm.confusion_counts(cohort.predictions["model_b"], cohort.references, per_case=True)
    per_slice = counts.dice()
    assert np.isnan(per_slice).sum() > 0  # empty slices: undefined per-case Dice
    assert abs(np.nanmean(per_slice) - counts.sum().dice()) > 0.05


def test_cohort_models_have_different_character(cohort):
    ref = cohort.references
    a = sm.confusion_counts(cohort.predictions["model_a"], ref)
    b = sm.confusion_counts(cohort.predictions["model_b"], ref)
    assert a.precision() > b.precision() + 0.2
    assert b.recall() > a.recall() + 0.2


def test_cohort_model_c_overfits(cohort):
    ref = cohort.references
    train, test = cohort.split == "train", cohort.split == "test"
    c = cohort.predictions["model_c"]
    assert sm.dice(c[train], ref[train]) >= 0.95
    assert sm.dice(c[test], ref[test]) <= sm.dice(c[train], ref[train]) - 0.2


def test_cohort_splits(cohort):
    train, test = cohort.split_by_patient(0.25, seed=1)
    assert not set(cohort.patient_ids[train]) & set(cohort.patient_ids[test])
    assert len(train) + len(test) == len(cohort)
    train_s, test_s = cohort.split_by_slice(0.25, seed=1)
    assert set(cohort.patient_ids[train_s]) & set(cohort.patient_ids[test_s])  # leaks
    with pytest.raises(ValueError, match="test_fraction"):
        cohort.split_by_patient(1.5)


def test_cohort_slice_split_leaks(cohort):
    """A 1-nearest-neighbour slice classifier looks better with a slice split than a patient split."""
    x = cohort.features.astype(float)
    x = (x - x.mean(0)) / x.std(0)
    y = cohort.has_lesion

    def accuracy(train, test):
        d = ((x[test][:, None] - x[train][None]) ** 2).sum(-1)
        return (y[train][d.argmin(1)] == y[test]).mean()

    by_slice = np.mean([accuracy(*cohort.split_by_slice(0.25, seed=s)) for s in range(8)])
    by_patient = np.mean([accuracy(*cohort.split_by_patient(0.25, seed=s)) for s in range(8)])
    assert by_slice > by_patient + 0.1


def test_cohort_is_fresh_and_selectable(cohort):
    first = sd.load_cohort()
    first.images[:] = 0
    first.predictions["model_a"][:] = True
    again = sd.load_cohort()
    assert again.images.max() > 0.5 and not again.predictions["model_a"].all()
    p = again.patient("P04")
    assert len(p) == 6 and set(p.patient_ids) == {"P04"}
    assert len(again.select(again.has_lesion)) == int(again.has_lesion.sum())
    with pytest.raises(ValueError, match="unknown patient_id"):
        again.patient("P99")


def test_cohort_lesions_inside_brain_and_exact(cohort):
    from seglearn.data import _cohort

    assert np.all(cohort.images[cohort.references] > 0.5)  # lesions are bright
    assert set(_cohort.HEALTHY) == {p for p in cohort.patients if not cohort.patient(p).references.any()}


# ---------------------------------------------------------------- docs and CLI
def test_describe_and_cli_list_cases(capsys):
    text = sd.describe_cases()
    for name in CASES:
        assert re.search(rf"^{name}\s", text, re.M)
    from seglearn.cli import main

    assert main(["list-cases"]) == 0
    out = capsys.readouterr().out
    assert all(name in out for name in CASES)


def test_lesion_geometry_validation():
    lesion = sd.Lesion((5.0, 5.0), (2.0, 3.0))
    with pytest.raises(ValueError, match="does not fit"):
        lesion.mask((10, 10, 10))
    assert lesion.mask((11, 11)).sum() == pytest.approx(lesion.area, abs=6)


def test_data_is_found_in_a_checkout_and_after_a_regular_pip_install(tmp_path):
    # A source checkout (or editable install) reads the repository's data/; a regular wheel install
    # has no repository beside the package and reads <prefix>/share/seglearn/data instead.
    repo = tmp_path / "repo" / "data"
    installed = tmp_path / "prefix" / "share" / "seglearn" / "data"
    installed.mkdir(parents=True)
    assert _files._default_data_dir(repo, str(tmp_path / "prefix")) == installed
    repo.mkdir(parents=True)
    (repo / "README.md").write_text("shipped data")
    assert _files._default_data_dir(repo, str(tmp_path / "prefix")) == repo
