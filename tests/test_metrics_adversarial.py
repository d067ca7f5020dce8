"""Adversarial inputs for seglearn.metrics (review R1): odd memory layouts, singleton axes,
exact thresholds, empty/full masks, and brute-force cross-checks. Each test guards a defect that
was found and fixed, or pins a documented policy against an independent computation."""
from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from scipy import ndimage

import seglearn.metrics as sm


# ------------------------------------------------------------------------------------------
# independent reference implementations (written here, not imported from the package)
# ------------------------------------------------------------------------------------------
def brute_surface_distances(pred, ref, spacing):
    """All-pairs surface distances; surface = mask & ~erosion (border 0) after dropping length-1 axes."""
    keep = [ax for ax, n in enumerate(pred.shape) if n > 1] or [pred.ndim - 1]
    shape = tuple(pred.shape[ax] for ax in keep)
    pred, ref = pred.reshape(shape), ref.reshape(shape)
    sp = np.array([spacing[ax] for ax in keep], dtype=float)

    def surface_points(m):
        return np.argwhere(m & ~ndimage.binary_erosion(m, border_value=0)) * sp

    a, b = surface_points(pred), surface_points(ref)
    d = np.sqrt(((a[:, None, :] - b[None, :, :]) ** 2).sum(-1))
    return d.min(axis=1), d.min(axis=0)


def _masks(shape, seed, p_fg=0.4):
    rng = np.random.default_rng(seed)
    return rng.random(shape) < p_fg, rng.random(shape) < p_fg


# ------------------------------------------------------------------------------------------
# surface distances
# ------------------------------------------------------------------------------------------
def test_singleton_axis_does_not_change_surface_distances():
    ref = np.zeros((10, 12), bool); ref[2:7, 3:9] = True
    pred = np.zeros_like(ref); pred[3:8, 2:8] = True
    flat = sm.surface_distances(pred, ref, spacing=(0.7, 0.9))
    for axis in (0, 1, 2):
        p3, r3 = np.expand_dims(pred, axis), np.expand_dims(ref, axis)
        spacing = list((0.7, 0.9)); spacing.insert(axis, 3.0)
        stacked = sm.surface_distances(p3, r3, spacing=spacing)
        assert stacked.n_pred_surface == flat.n_pred_surface == 18
        np.testing.assert_array_equal(stacked.pred_to_ref, flat.pred_to_ref)
        np.testing.assert_array_equal(stacked.ref_to_pred, flat.ref_to_pred)
        np.testing.assert_array_equal(np.delete(stacked.pred_points, axis, axis=1), flat.pred_points)
        assert (stacked.pred_points[:, axis] == 0).all()
        assert stacked.shape == p3.shape
        assert sm.average_surface_distance(p3, r3, spacing=spacing) == flat.assd
        assert sm.hausdorff_distance(p3, r3, percentile=95, spacing=spacing) == flat.hd95
        assert sm.normalized_surface_dice(p3, r3, tolerance=0, spacing=spacing) == flat.nsd(0)


def test_single_voxel_images():
    one = np.ones((1, 1, 1), bool)
    sd = sm.surface_distances(one, one)
    assert (sd.hd, sd.assd, sd.nsd(0)) == (0.0, 0.0, 1.0)
    assert sd.pred_points.tolist() == [[0, 0, 0]]
    assert math.isnan(sm.hausdorff_distance(~one, ~one))
    assert sm.hausdorff_distance(~one, one, one_empty="diagonal", spacing=(2, 3, 6)) == 7.0


@settings(max_examples=150, deadline=None)
@given(shape=st.lists(st.integers(1, 7), min_size=1, max_size=3),
       seed=st.integers(0, 2**32 - 1),
       spacing_choice=st.lists(st.sampled_from([0.25, 1.0, 2.5, 9.0]), min_size=3, max_size=3))
def test_surface_distances_match_brute_force(shape, seed, spacing_choice):
    pred, ref = _masks(tuple(shape), seed)
    spacing = tuple(spacing_choice[: len(shape)])
    sd = sm.surface_distances(pred, ref, spacing=spacing)
    if not pred.any() or not ref.any():
        assert math.isnan(sd.hd)
        return
    d_pr, d_rp = brute_surface_distances(pred, ref, spacing)
    np.testing.assert_allclose(np.sort(sd.pred_to_ref), np.sort(d_pr), rtol=1e-12)
    np.testing.assert_allclose(np.sort(sd.ref_to_pred), np.sort(d_rp), rtol=1e-12)
    assert sd.hausdorff(0) == pytest.approx(max(d_pr.min(), d_rp.min()))
    assert sd.hd == pytest.approx(max(d_pr.max(), d_rp.max()))


def test_surface_distances_ignore_memory_layout():
    pred, ref = _masks((9, 11, 8), 3)
    expected = sm.surface_distances(pred, ref, spacing=(2.0, 0.5, 1.0))
    layouts = [
        (np.asfortranarray(pred), np.asfortranarray(ref)),
        (pred[::-1][::-1], ref[::-1][::-1]),                       # negative-stride views
        (np.ascontiguousarray(pred[::-1])[::-1], np.ascontiguousarray(ref[::-1])[::-1]),
        (pred.astype(np.uint16), ref.astype(np.int64)),
        (pred.astype(np.uint8).view(bool), ref.view(np.uint8).view(bool)),
    ]
    for p, r in layouts:
        got = sm.surface_distances(p, r, spacing=(2.0, 0.5, 1.0))
        np.testing.assert_array_equal(got.pred_to_ref, expected.pred_to_ref)
        np.testing.assert_array_equal(got.ref_to_pred, expected.ref_to_pred)


def test_anisotropic_spacing_against_brute_force():
    pred, ref = _masks((6, 30, 30), 11, p_fg=0.02)
    ref[2, 5:20, 5:20] = True
    spacing = (50.0, 0.1, 0.3)
    sd = sm.surface_distances(pred, ref, spacing=spacing)
    d_pr, d_rp = brute_surface_distances(pred, ref, spacing)
    np.testing.assert_allclose(np.sort(sd.pred_to_ref), np.sort(d_pr), rtol=1e-12)
    np.testing.assert_allclose(np.sort(sd.ref_to_pred), np.sort(d_rp), rtol=1e-12)


# ------------------------------------------------------------------------------------------
# thresholds
# ------------------------------------------------------------------------------------------
def test_threshold_type_does_not_change_binarisation():
    """A float32 map thresholded at 0.7 gives the same mask for 0.7, np.float64(0.7) and
    np.linspace(0, 1, 11)[7] (= 0.7000000000000001), and threshold_sweep agrees with each."""
    prob = np.array([np.float32(0.7), np.float32(0.3), 0.9], dtype=np.float32)
    ref = np.array([1, 0, 1], bool)
    grid = np.linspace(0, 1, 11)
    sweep = sm.threshold_sweep(prob, ref, grid)
    for k, t in enumerate(grid):
        for threshold in (t, float(t), np.float32(t)):
            counts = sm.confusion_counts(prob, ref, threshold=threshold)
            assert counts == sweep.counts[k], (t, type(threshold))
    assert sm.confusion_counts(prob, ref, threshold=np.float64(0.7)).tp == 2


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_threshold_equal_to_a_pixel_value_includes_it(dtype):
    prob = np.array([0.25, 0.5, 0.75, 1.0], dtype=dtype)
    ref = np.array([0, 1, 1, 1], bool)
    for value in prob:
        expected = int(np.count_nonzero(prob >= value))
        for threshold in (value, float(value), np.float64(value)):
            c = sm.confusion_counts(prob, ref, threshold=threshold)
            assert c.tp + c.fp == expected
    sweep = sm.threshold_sweep(prob, ref)
    np.testing.assert_array_equal(sweep.tp + sweep.fp, [4, 3, 2, 1])


def test_constant_probability_sweep():
    prob = np.full((4, 4), 0.5, np.float32)
    ref = np.zeros((4, 4), bool); ref[0] = True
    sweep = sm.threshold_sweep(prob, ref)
    assert sweep.thresholds.tolist() == [0.5]
    assert (sweep.tp[0], sweep.fp[0]) == (4, 12)
    assert sweep.average_precision() == pytest.approx(0.25)
    grid = sm.threshold_sweep(prob, ref, [0.0, 0.5, 0.6])
    np.testing.assert_array_equal(grid.tp, [4, 4, 0])
    assert math.isnan(grid.precision[2]) and grid.recall[2] == 0.0


# ------------------------------------------------------------------------------------------
# confusion counts and the multi-class matrix
# ------------------------------------------------------------------------------------------
def _brute_counts(pred, ref):
    p, r = np.asarray(pred) != 0, np.asarray(ref) != 0
    return (int((p & r).sum()), int((p & ~r).sum()), int((~p & r).sum()), int((~p & ~r).sum()))


def _brute_matrix(pred, ref, labels):
    p, r = np.asarray(pred).ravel().tolist(), np.asarray(ref).ravel().tolist()
    index = {v: i for i, v in enumerate(labels)}
    out = np.zeros((len(labels), len(labels)), dtype=np.int64)
    for a, b in zip(r, p):
        out[index[a], index[b]] += 1
    return out


def test_bool_views_of_arbitrary_bytes_count_every_nonzero_byte():
    rng = np.random.default_rng(5)
    n = (1 << 19) * 3 + 13                 # the word-wise kernel plus a ragged tail
    u = rng.integers(0, 256, n).astype(np.uint8)
    v = rng.integers(0, 256, n).astype(np.uint8)
    counts = sm.confusion_counts(u.view(bool), v.view(bool))
    assert (counts.tp, counts.fp, counts.fn, counts.tn) == _brute_counts(u, v)
    strided = sm.confusion_counts(u.view(bool)[1::3], v.view(bool)[1::3])
    assert (strided.tp, strided.fp, strided.fn, strided.tn) == _brute_counts(u[1::3], v[1::3])
    buffer = np.frombuffer(u[:1001].tobytes(), dtype=bool)
    assert sm.confusion_counts(buffer, buffer).tp == int(np.count_nonzero(u[:1001]))


def test_counts_ignore_layout_and_integer_dtype():
    rng = np.random.default_rng(6)
    p, r = rng.random((3, 700, 800)) < 0.3, rng.random((3, 700, 800)) < 0.5
    expected = sm.confusion_counts(p, r)
    assert (expected.tp, expected.fp, expected.fn, expected.tn) == _brute_counts(p, r)
    for pp, rr in [(np.asfortranarray(p), np.asfortranarray(r)), (p[:, ::-1, ::-1], r[:, ::-1, ::-1]),
                   (p.astype(np.int64), r.astype(np.uint16)), (p.astype(np.float32), r.astype(np.int8))]:
        assert sm.confusion_counts(pp, rr) == expected
    per_case = sm.confusion_counts(p, r, per_case=True)
    assert per_case.sum() == expected
    single = sm.confusion_counts(p[:1], r[:1], per_case=True)
    assert single.tp.shape == (1,) and int(single.tp[0]) == _brute_counts(p[0], r[0])[0]


@pytest.mark.parametrize("bad", [np.array([0, 2], np.uint8), np.array([-1, 0]), np.array([0.5, 1.0]),
                                 np.array([0, 255], np.uint8), np.array([np.nan, 1.0])])
def test_non_binary_masks_are_refused_with_the_argument_name(bad):
    with pytest.raises(ValueError, match="pred"):
        sm.dice(bad, np.ones(bad.shape, bool))


def test_empty_and_full_masks_follow_the_documented_policy():
    e = np.zeros((3, 3), bool)
    f = ~e
    nan = math.nan
    table = {  # README "What exactly we compute"
        (0, 0): dict(dice=nan, iou=nan, precision=nan, recall=nan, specificity=1, npv=1, accuracy=1,
                     balanced_accuracy=nan, mcc=nan, volume_similarity=nan),
        (0, 1): dict(dice=0, iou=0, precision=nan, recall=0, specificity=nan, npv=0, accuracy=0,
                     balanced_accuracy=nan, mcc=nan, volume_similarity=0),
        (1, 0): dict(dice=0, iou=0, precision=0, recall=nan, specificity=0, npv=nan, accuracy=0,
                     balanced_accuracy=nan, mcc=nan, volume_similarity=0),
        (1, 1): dict(dice=1, iou=1, precision=1, recall=1, specificity=nan, npv=nan, accuracy=1,
                     balanced_accuracy=nan, mcc=nan, volume_similarity=1),
    }
    for (p_full, r_full), expected in table.items():
        got = sm.overlap_metrics(f if p_full else e, f if r_full else e)
        for name, value in expected.items():
            assert (math.isnan(got[name]) if math.isnan(value) else got[name] == value), (p_full, r_full, name)
    assert sm.normalized_surface_dice(e, f, tolerance=5) == 0.0
    assert math.isnan(sm.normalized_surface_dice(e, e, tolerance=5))
    assert sm.hausdorff_distance(f, f) == 0.0 and sm.normalized_surface_dice(f, f, tolerance=0) == 1.0


@pytest.mark.parametrize("dtype", [np.uint8, np.int8, np.uint16, np.int16, np.int32, np.uint32, np.int64, np.uint64])
@pytest.mark.parametrize("n", [7, 300_001])
def test_confusion_matrix_extreme_label_values(dtype, n):
    info = np.iinfo(dtype)
    rng = np.random.default_rng(n)
    values = np.array(sorted({int(info.min), 0, 7, int(info.max) - 1, int(info.max)}), dtype=dtype)
    p, r = rng.choice(values, n), rng.choice(values, n)
    r[: n // 2] = p[: n // 2]
    got = sm.confusion_matrix(p, r)
    present = sorted(set(p.tolist()) | set(r.tolist()))
    np.testing.assert_array_equal(got, _brute_matrix(p, r, present))


def test_confusion_matrix_never_merges_huge_labels_of_mixed_signedness():
    # int64 and uint64 maps: NumPy would mix them as float64, where 2**62 + 1 == 2**62
    pred = np.array([2**62 + 1, 2**62, -1], dtype=np.int64)
    ref = np.array([2**62, 2**62, 0], dtype=np.uint64)
    labels = [-1, 0, 2**62, 2**62 + 1]
    np.testing.assert_array_equal(sm.confusion_matrix(pred, ref), _brute_matrix(pred, ref, labels))
    assert sm.per_class("dice", pred, ref) == {-1: 0.0, 2**62: pytest.approx(2 / 3), 2**62 + 1: 0.0}
    huge = np.array([0, 2**63 + 5], dtype=np.uint64)
    np.testing.assert_array_equal(sm.confusion_matrix(huge, np.array([0, 3], np.int8)),
                                  [[1, 0, 0], [0, 0, 1], [0, 0, 0]])
    with pytest.raises(ValueError, match="negative labels"):
        sm.confusion_matrix(huge, np.array([-1, 3], np.int8))


def test_huge_labels_argument_is_exact_or_refused():
    pred = np.array([2**63 - 1, 0, 5], dtype=np.uint64)
    ref = np.array([2**64 - 1, 0, 5], dtype=np.uint64)
    labels = np.array([0, 5, 2**63 - 1, 2**64 - 1], dtype=np.uint64)
    np.testing.assert_array_equal(sm.confusion_matrix(pred, ref, labels=labels),
                                  _brute_matrix(pred, ref, labels.tolist()))
    with pytest.raises(ValueError, match="2\\*\\*53"):   # a list of such ints becomes float64 in NumPy
        sm.confusion_matrix(pred, ref, labels=[0, 5, 2**63 - 1, 2**64 - 1])


def test_float_label_map_out_of_int64_range_is_refused_without_warning():
    with pytest.raises(ValueError, match="pred must be an integer label map"):
        sm.confusion_matrix([1e300, 2.0], [2.0, 2.0])


_SCORE_DTYPES = [np.float16, np.float32, np.float64, np.uint8, np.int16, np.uint16]


@settings(max_examples=120, deadline=None)
@given(data=st.data(), dtype=st.sampled_from(_SCORE_DTYPES))
def test_sweep_and_threshold_agree_with_a_brute_force_comparison(data, dtype):
    """threshold_sweep, confusion_counts(threshold=) and `prob >= t` in prob's dtype agree for
    thresholds of any type, including values equal to pixels and values outside the dtype's range."""
    if np.dtype(dtype).kind == "f":
        elements = st.floats(-2.0, 2.0, width=np.finfo(dtype).bits)
    else:
        info = np.iinfo(dtype)
        elements = st.integers(int(info.min), int(info.max))
    prob = data.draw(hnp.arrays(dtype, st.integers(1, 40), elements=elements))
    ref = data.draw(hnp.arrays(bool, prob.shape))
    pixel_values = [float(v) for v in prob[:5]]
    extra = data.draw(st.lists(st.floats(-1e6, 1e6), max_size=4))
    thresholds = pixel_values + extra + [0.7, np.linspace(0, 1, 11)[7]]
    sweep = sm.threshold_sweep(prob, ref, thresholds)
    for k, t in enumerate(thresholds):
        with np.errstate(over="ignore"):   # a threshold beyond float16's range becomes inf
            pred = prob >= (prob.dtype.type(t) if prob.dtype.kind == "f" else t)
        expected = _brute_counts(pred, ref)
        for threshold in (t, np.float64(t)):
            c = sm.confusion_counts(prob, ref, threshold=threshold)
            assert (c.tp, c.fp, c.fn, c.tn) == expected
        assert (sweep.tp[k], sweep.fp[k], sweep.fn[k], sweep.tn[k]) == expected


def test_threshold_too_large_for_a_float_is_a_clear_error():
    with pytest.raises(TypeError, match="threshold must be a finite real number"):
        sm.dice([0.1, 0.9], [0, 1], threshold=10**400)


# ------------------------------------------------------------------------------------------
# lesions and aggregation
# ------------------------------------------------------------------------------------------
def test_lesion_detection_empty_and_full_masks():
    e = np.zeros((5, 6), bool)
    f = ~e
    expected = {  # (tp, fp, fn, recall, precision, f1); README: empty only with no lesion on either side
        (0, 0): (0, 0, 0, nan := math.nan, nan, nan),
        (0, 1): (0, 0, 1, 0.0, nan, 0.0),
        (1, 0): (0, 1, 0, nan, 0.0, 0.0),
        (1, 1): (1, 0, 0, 1.0, 1.0, 1.0),
    }
    for (p_full, r_full), want in expected.items():
        res = sm.lesion_detection(f if p_full else e, f if r_full else e)
        got = (res.tp, res.fp, res.fn, res.recall, res.precision, res.f1)
        for g, w in zip(got, want):
            assert (math.isnan(g) if math.isnan(w) else g == w), ((p_full, r_full), got)


def test_lesion_detection_touching_lesions_and_merged_components():
    ref = np.zeros((6, 6), bool)
    ref[0:2, 0:2] = True
    ref[2:4, 2:4] = True                       # touches the first lesion at a corner only
    assert sm.lesion_detection(ref, ref).n_ref == 1
    assert sm.lesion_detection(ref, ref, connectivity=1).n_ref == 2
    ref = np.zeros((1, 9), bool); ref[0, 1:3] = True; ref[0, 5:8] = True
    pred = np.zeros_like(ref); pred[0, 1:8] = True   # one component over both lesions
    one = sm.lesion_detection(pred, ref)
    assert (one.tp, one.fp, one.fn) == (1, 0, 1)
    assert [lesion.matched for lesion in one.lesions] == [(), (1,)]   # IoU 2/7 < 3/7
    many = sm.lesion_detection(pred, ref, matching="many-to-many")
    assert (many.tp, many.fp, many.fn) == (2, 0, 0)
    squeezed = sm.lesion_detection(pred[0], ref[0])
    assert (squeezed.tp, squeezed.fp, squeezed.fn) == (1, 0, 1)


def test_lesion_detection_ignores_orientation_and_layout():
    rng = np.random.default_rng(9)
    pred, ref = rng.random((20, 30)) < 0.2, rng.random((20, 30)) < 0.2
    base = sm.lesion_detection(pred, ref)
    flipped = sm.lesion_detection(np.asfortranarray(pred)[::-1, ::-1], np.asfortranarray(ref)[::-1, ::-1])
    assert (base.tp, base.fp, base.fn) == (flipped.tp, flipped.fp, flipped.fn)
    prob = pred.astype(np.float32) * np.float32(0.7)
    thresholded = sm.lesion_detection(prob, ref, threshold=0.7)
    assert (base.tp, base.fp, base.fn) == (thresholded.tp, thresholded.fp, thresholded.fn)


@pytest.mark.parametrize("policy", ["report", "exclude", 0.0])
def test_aggregate_all_nan(policy):
    agg = sm.aggregate([math.nan] * 3, empty=policy)
    assert agg.n_undefined == 3 and agg.n_cases == 3
    if policy == 0.0:
        assert (agg.mean, agg.median, agg.n) == (0.0, 0.0, 3)
    else:
        assert math.isnan(agg.mean) and math.isnan(agg.median) and math.isnan(agg.quantile(0.5))
        assert agg.n == (0 if policy == "exclude" else 3)
    assert "3 undefined cases" in agg.treatment
    assert agg.to_markdown() and repr(agg)
    grouped = sm.aggregate([math.nan, math.nan, 1.0], empty="exclude", groups=["a", "a", "b"])
    assert (grouped.mean, grouped.n, grouped.group_ids, grouped.n_groups_undefined) == (1.0, 1, ("b",), 1)


def test_extreme_anisotropy_against_brute_force():
    # spacing ratio 1e5 (e.g. mm and 10 µm mixed up): exact, and no longer a per-voxel shrinking loop
    ref = np.zeros((5, 40), bool); ref[1:4, 5:30] = True
    pred = np.zeros_like(ref); pred[2:5, 8:33] = True; pred[0, 39] = True
    for spacing in [(1000.0, 0.01), (0.01, 1000.0)]:
        sd = sm.surface_distances(pred, ref, spacing=spacing)
        d_pr, d_rp = brute_surface_distances(pred, ref, spacing)
        np.testing.assert_allclose(np.sort(sd.pred_to_ref), np.sort(d_pr), rtol=1e-12)
        np.testing.assert_allclose(np.sort(sd.ref_to_pred), np.sort(d_rp), rtol=1e-12)


def test_percentile_and_tolerance_extremes():
    ref = np.zeros((8, 8), bool); ref[2:5, 2:5] = True
    pred = np.zeros_like(ref); pred[3:7, 3:7] = True
    sd = sm.surface_distances(pred, ref)
    d_pr, d_rp = brute_surface_distances(pred, ref, (1.0, 1.0))
    both = np.concatenate([d_pr, d_rp])
    assert sd.hausdorff(0) == max(d_pr.min(), d_rp.min())
    assert sd.hausdorff(0, method="pooled") == both.min()
    assert sd.hausdorff(100) == sd.hausdorff(100, method="pooled") == both.max()
    assert sd.nsd(0) == np.count_nonzero(both == 0) / both.size == 0.2
    assert sd.nsd(math.sqrt(2)) == np.count_nonzero(both <= math.sqrt(2) + 1e-12) / both.size
    empty = np.zeros_like(ref)
    from_empty, to_empty = sm.surface_distances(empty, ref).directed_hausdorff()
    assert math.isnan(from_empty) and to_empty == math.inf
    assert sm.hausdorff_distance(empty, ref, method="pooled", one_empty=math.inf) == math.inf


def test_f_beta_extremes():
    pred, ref = [1, 1, 0, 0], [1, 0, 1, 1]          # precision 1/2, recall 1/3
    assert sm.f_beta(pred, ref, 1e100) == pytest.approx(1 / 3)
    assert sm.f_beta(pred, ref, 1e-100) == pytest.approx(1 / 2)
    with pytest.raises(ValueError, match="beta"):
        sm.f_beta(pred, ref, 1e200)               # beta**2 overflows: a clear error, not OverflowError
    zeros = np.zeros(3, bool)
    assert math.isnan(sm.f_beta(zeros, zeros, 2)) and sm.f_beta(zeros, ~zeros, 2) == 0.0


def _brute_lesions_many_to_many(pred, ref, connectivity):
    from skimage.measure import label   # an independent labeller

    lr, lp = label(ref, connectivity=connectivity), label(pred, connectivity=connectivity)
    n_ref, n_pred = int(lr.max()), int(lp.max())
    detected = sum(1 for i in range(1, n_ref + 1) if (pred & (lr == i)).any())
    correct = sum(1 for j in range(1, n_pred + 1) if (ref & (lp == j)).any())
    return detected, n_ref - detected, n_pred - correct


@settings(max_examples=60, deadline=None)
@given(shape=st.lists(st.integers(1, 9), min_size=1, max_size=3), seed=st.integers(0, 2**32 - 1),
       data=st.data())
def test_lesion_detection_many_to_many_matches_brute_force(shape, seed, data):
    pred, ref = _masks(tuple(shape), seed, p_fg=0.3)
    connectivity = data.draw(st.integers(1, len(shape)))
    res = sm.lesion_detection(pred, ref, connectivity=connectivity, matching="many-to-many")
    assert (res.tp, res.fn, res.fp) == _brute_lesions_many_to_many(pred, ref, connectivity)
    one = sm.lesion_detection(pred, ref, connectivity=connectivity)
    assert one.tp + one.fn == res.n_ref and one.tp + one.fp == res.n_pred and one.tp <= res.tp


def test_aggregate_groups_of_mixed_kinds_are_refused_not_merged():
    with pytest.raises(TypeError, match="one kind"):
        sm.aggregate([0.2, 0.9], groups=[1, "1"])      # NumPy would turn both into the string "1"
    assert sm.aggregate([0.2, 0.9], groups=["1", "1"]).n == 1
    assert sm.aggregate([0.2, 0.9], groups=np.array(["a", "b"])).n == 2


def test_bool_arrays_holding_other_bytes_count_as_nonzero(tmp_path):
    """np.fromfile(..., dtype=bool) of a 0/255 mask file or np.load of a saved bool view gives a
    NumPy-owned bool array whose bytes are not 0/1; NumPy itself treats them as True."""
    rng = np.random.default_rng(12)
    shape = (96, 96, 96)                                  # large enough for the word-wise kernel
    pred_bytes = (rng.random(shape) < 0.3).astype(np.uint8) * np.uint8(255)
    ref_bytes = (rng.random(shape) < 0.3).astype(np.uint8) * np.uint8(2)
    pred_bytes.tofile(tmp_path / "pred.raw")
    np.save(tmp_path / "ref.npy", ref_bytes.view(bool))
    pred = np.fromfile(tmp_path / "pred.raw", dtype=bool).reshape(shape)
    ref = np.load(tmp_path / "ref.npy")
    assert pred.view(np.uint8).max() == 255 and ref.view(np.uint8).max() == 2
    counts = sm.confusion_counts(pred, ref)
    assert (counts.tp, counts.fp, counts.fn, counts.tn) == _brute_counts(pred_bytes, ref_bytes)
    assert sm.dice(pred, ref) == sm.dice(pred_bytes != 0, ref_bytes != 0)
    assert sm.confusion_counts(pred.copy(), ref[::-1].copy()) == sm.confusion_counts(pred_bytes != 0, ref_bytes[::-1] != 0)
