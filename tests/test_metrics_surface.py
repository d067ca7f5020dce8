"""Tests for seglearn.metrics.surface: HD, HD95, ASSD, NSD and the shared distance sets.

Reference values from other libraries are quoted with their source; where a library defines the
metric differently (pooled HD95, area-weighted surfels) the test shows both numbers and why.
"""
from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from hypothesis.extra import numpy as hnp
from scipy import ndimage
from scipy.spatial.distance import cdist

from seglearn.metrics.surface import (
    SurfaceDistances,
    _distances,
    average_surface_distance,
    hausdorff_distance,
    normalized_surface_dice,
    surface_distances,
)

SQRT2 = math.sqrt(2.0)


def square(shape, rows, cols):
    m = np.zeros(shape, bool)
    m[rows[0]:rows[1], cols[0]:cols[1]] = True
    return m


def ball(radius, centre, shape=(99, 99, 99), spacing=(1.0, 1.0, 1.0)):
    """Voxels whose physical position (index * spacing) is within ``radius`` of ``centre``.

    The construction of MONAI's ``create_spherical_seg_3d`` test helper (tests/test_hausdorff_distance.py):
    coordinates are scaled by the spacing before the centre is subtracted.
    """
    grids = np.ogrid[tuple(slice(0, n) for n in shape)]
    d2 = sum((g * s - c) ** 2 for g, s, c in zip(grids, spacing, centre))
    return d2 <= radius * radius


# =============================================================================================
# hand-worked examples
# =============================================================================================
class TestHandWorked:
    def test_squares_shifted_by_one_pixel(self):
        # ref: 3x3 square rows 1-3, cols 1-3; pred: the same square one column to the right.
        # Surfaces: the 8 border pixels of each square (the centre pixel is interior).
        # pred -> ref: (1,2),(1,3),(3,2),(3,3) lie on both surfaces -> 0;
        #              (2,2) (ref interior), (1,4),(2,4),(3,4) are one column from the ref border -> 1.
        # ref -> pred by symmetry: four 0s and four 1s.
        ref = square((5, 7), (1, 4), (1, 4))
        pred = square((5, 7), (1, 4), (2, 5))
        sd = surface_distances(pred, ref)
        assert sorted(sd.pred_to_ref) == [0, 0, 0, 0, 1, 1, 1, 1]
        assert sorted(sd.ref_to_pred) == [0, 0, 0, 0, 1, 1, 1, 1]
        assert sd.hd == 1.0
        assert sd.hd95 == 1.0
        assert sd.assd == 8 / 16                      # (4*1 + 4*1) / (8 + 8)
        assert sd.nsd(1.0) == 1.0
        assert sd.nsd(0.0) == 8 / 16                  # only the 8 shared surface pixels
        assert normalized_surface_dice(pred, ref, tolerance=0.5) == 0.5

    def test_nested_squares_pooled_vs_max_directed_and_assd_variants(self):
        # ref: 3x3 square rows/cols 2-4 (surface: 8 pixels); pred: 5x5 square rows/cols 1-5 (16 pixels).
        # pred -> ref: 12 edge pixels at distance 1, 4 corners at sqrt(2) (diagonal to ref's corners).
        # ref -> pred: all 8 at distance 1.
        ref = square((7, 7), (2, 5), (2, 5))
        pred = square((7, 7), (1, 6), (1, 6))
        sd = surface_distances(pred, ref)
        assert sorted(sd.pred_to_ref) == pytest.approx([1.0] * 12 + [SQRT2] * 4)
        assert list(sd.ref_to_pred) == [1.0] * 8
        assert sd.hd == pytest.approx(SQRT2)
        # pooled ASSD: (12*1 + 4*sqrt2 + 8*1) / (16 + 8) = (20 + 5.65685) / 24 = 1.069036
        assert sd.assd == pytest.approx((20 + 4 * SQRT2) / 24)
        assert average_surface_distance(pred, ref) == pytest.approx(1.0690355937)
        # mean of the directed means: ((12 + 4*sqrt2)/16 + 8/8) / 2 = (1.103553 + 1) / 2 = 1.051777
        mom = sd.average_surface_distance(method="mean_of_means")
        assert mom == pytest.approx(((12 + 4 * SQRT2) / 16 + 1.0) / 2)
        assert mom != pytest.approx(sd.assd)          # they differ when surface sizes differ
        # 80th percentile. max_directed: pred->ref sorted, rank 0.8*15 = 12 -> sqrt2 (ranks 12..15);
        # ref->pred -> 1; max = sqrt2. pooled: 24 values, rank 0.8*23 = 18.4 between two 1s -> 1.
        assert sd.hausdorff(80) == pytest.approx(SQRT2)
        assert sd.hausdorff(80, method="pooled") == 1.0
        # NSD: within 1.0 -> 12 + 8 of 24; within sqrt2 -> all.
        assert sd.nsd(1.0) == pytest.approx(20 / 24)
        assert sd.nsd(SQRT2) == 1.0                   # exactly tau counts (rounding slack)

    def test_anisotropic_spur(self):
        # ref: 3x3 square rows/cols 1-3; pred adds a spur pixel (4,2). Spacing (2.0, 0.5).
        # pred surface: the spur plus the square border minus (3,2), which is now interior -> 8.
        # spur (4,2) -> ref (3,2): one row = 2.0 (vs (3,1): sqrt(4 + 0.25)).
        # ref (3,2) is not on pred's surface -> nearest (3,1) or (3,3): one column = 0.5.
        ref = square((6, 6), (1, 4), (1, 4))
        pred = ref.copy()
        pred[4, 2] = True
        sd = surface_distances(pred, ref, spacing=(2.0, 0.5))
        assert sorted(sd.pred_to_ref) == [0] * 7 + [2.0]
        assert sorted(sd.ref_to_pred) == [0] * 7 + [0.5]
        assert sd.hd == 2.0
        assert sd.directed_hausdorff() == (2.0, 0.5)
        assert sd.assd == pytest.approx(2.5 / 16)
        assert sd.nsd(1.0) == 15 / 16                 # all but the spur
        assert sd.nsd(2.0) == 1.0
        # The spacing is in NumPy axis order: swapping it changes the answer.
        assert hausdorff_distance(pred, ref, spacing=(0.5, 2.0)) == 0.5

    def test_surface_touching_the_image_border(self):
        # The image border counts as background. A full 3x4 mask: only (1,1) and (1,2) have all
        # four neighbours inside the mask -> 12 - 2 = 10 surface pixels.
        full = np.ones((3, 4), bool)
        assert surface_distances(full, full).n_pred_surface == 10
        # Remove (1,1): the 11 remaining pixels are all surface ((1,2) now touches the hole).
        # pred -> ref: (1,2) is not on ref's surface; nearest ref surface pixel (0,2) -> 1.
        # ref -> pred: all 10 ref surface pixels are pred surface pixels -> 0.
        holed = full.copy()
        holed[1, 1] = False
        sd = surface_distances(holed, full)
        assert sd.n_pred_surface == 11
        assert sorted(sd.pred_to_ref) == [0.0] * 10 + [1.0]
        assert list(sd.ref_to_pred) == [0.0] * 10

    def test_one_dimensional(self):
        # 1-D: ref [2, 5) -> surface {2, 4}; pred [2, 8) -> surface {2, 7}.
        ref = np.zeros(9, bool)
        ref[2:5] = True
        pred = np.zeros(9, bool)
        pred[2:8] = True
        sd = surface_distances(pred, ref)
        assert list(sd.pred_to_ref) == [0.0, 3.0]     # 7 -> 4
        assert list(sd.ref_to_pred) == [0.0, 2.0]     # 4 -> 2
        assert sd.hausdorff(95) == pytest.approx(2.85)  # max(0 + 0.95*3, 0 + 0.95*2)
        assert sd.hausdorff(50, method="pooled") == 1.0  # sorted 0,0,2,3: rank 1.5 -> 1.0
        np.testing.assert_array_equal(sd.pred_points, [[2], [7]])

    def test_points_are_image_indices(self):
        ref = square((20, 20), (10, 12), (13, 15))
        pred = square((20, 20), (3, 4), (5, 6))
        sd = surface_distances(pred, ref)
        np.testing.assert_array_equal(sd.pred_points, [[3, 5]])
        np.testing.assert_array_equal(sd.ref_points, [[10, 13], [10, 14], [11, 13], [11, 14]])
        # (3,5) -> (10,13): sqrt(49 + 64)
        assert sd.pred_to_ref[0] == pytest.approx(math.sqrt(113))

    def test_result_is_immutable(self):
        sd = surface_distances(square((5, 5), (1, 3), (1, 3)), square((5, 5), (2, 4), (2, 4)))
        with pytest.raises(ValueError):
            sd.pred_to_ref[0] = 5.0
        with pytest.raises(ValueError):
            sd.ref_points[0, 0] = 5
        with pytest.raises(AttributeError):
            sd.spacing = (2.0, 2.0)  # type: ignore[misc]

    def test_accepts_lists_and_uint8(self):
        pred = [[0, 1, 1], [0, 1, 1], [0, 0, 0]]
        ref = np.array([[1, 1, 0], [1, 1, 0], [0, 0, 0]], dtype=np.uint8)
        assert hausdorff_distance(pred, ref) == 1.0

    def test_metrics_dict(self):
        ref = square((7, 7), (2, 5), (2, 5))
        pred = square((7, 7), (1, 6), (1, 6))
        sd = surface_distances(pred, ref)
        m = sd.metrics(tolerance=1.0)
        assert m == {"hd": sd.hd, "hd95": sd.hd95, "assd": sd.assd, "nsd": sd.nsd(1.0)}
        assert "nsd" not in sd.metrics()


# =============================================================================================
# empty masks: the documented policy table
# =============================================================================================
class TestEmptyPolicy:
    ref = square((10, 12), (2, 5), (3, 9))
    nothing = np.zeros((10, 12), bool)

    def test_both_empty_default_nan(self):
        sd = surface_distances(self.nothing, self.nothing)
        assert sd.pred_empty and sd.ref_empty
        assert math.isnan(sd.hd) and math.isnan(sd.hd95) and math.isnan(sd.assd)
        assert math.isnan(sd.nsd(1.0))

    def test_both_empty_explicit(self):
        # Metrics Reloaded returns 0 distances and NSD 1 for two empty masks (test_distance_empty).
        assert hausdorff_distance(self.nothing, self.nothing, empty=0.0) == 0.0
        assert average_surface_distance(self.nothing, self.nothing, empty=0.0) == 0.0
        assert normalized_surface_dice(self.nothing, self.nothing, tolerance=1, empty=1.0) == 1.0
        # one_empty does not apply to two empty masks
        assert math.isnan(hausdorff_distance(self.nothing, self.nothing, one_empty=99.0))

    @pytest.mark.parametrize("which", ["pred", "ref"])
    def test_one_empty(self, which):
        pred, ref = (self.nothing, self.ref) if which == "pred" else (self.ref, self.nothing)
        sd = surface_distances(pred, ref)
        assert math.isnan(sd.hd) and math.isnan(sd.hd95) and math.isnan(sd.assd)
        assert sd.nsd(1.0) == 0.0                      # well defined: nothing within tolerance
        assert sd.hausdorff(95, one_empty=float("inf")) == math.inf
        assert sd.average_surface_distance(one_empty=373.13) == 373.13
        # "diagonal": sqrt((10*2)^2 + (12*1)^2) for spacing (2, 1)
        assert hausdorff_distance(pred, ref, spacing=(2, 1), one_empty="diagonal") == pytest.approx(
            math.sqrt(20**2 + 12**2))
        # empty= is for two empty masks only
        assert math.isnan(hausdorff_distance(pred, ref, empty=0.0))
        # the non-empty side's distances are +inf, the empty side has none
        directed = sd.pred_to_ref if which == "ref" else sd.ref_to_pred
        assert np.isinf(directed).all() and directed.size == 18 - 4

    def test_brats_diagonal(self):
        # BraTS fills undefined HD95 with the volume diagonal: 373.13 mm for 240 x 240 x 155 at 1 mm.
        sd = SurfaceDistances(np.zeros(0), np.full(3, np.inf), np.zeros((0, 3), np.int64),
                              np.zeros((3, 3), np.int64), (1.0, 1.0, 1.0), (240, 240, 155))
        assert sd.hausdorff(95, one_empty="diagonal") == pytest.approx(373.13, abs=0.005)

    def test_no_runtime_warning(self):
        import warnings
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            for p, r in [(self.nothing, self.nothing), (self.nothing, self.ref), (self.ref, self.nothing)]:
                sd = surface_distances(p, r)
                sd.metrics(tolerance=1.0)
                sd.directed_hausdorff(95)
                sd.average_surface_distance(method="mean_of_means")


# =============================================================================================
# published reference values
# =============================================================================================
class TestMonaiSpheres:
    """MONAI tests/test_hausdorff_distance.py (Project-MONAI/MONAI), euclidean, ``directed=False``.

    MONAI uses the same surface (``binary_erosion`` with border value 0), voxel-centre distances and
    the max of the two directed percentiles, so the values agree to float precision.
    """

    @pytest.mark.parametrize("pred_args, ref_args, spacing, percentile, expected", [
        ((20, (49, 49, 49)), (20, (49, 49, 49)), None, 100, 0.0),
        ((20, (20, 20, 20)), (20, (19, 19, 19)), None, 100, 1.7320508075688772),
        ((33, (19, 33, 22)), (33, (20, 33, 22)), None, 100, 1.0),
        ((20, (20, 33, 22)), (40, (20, 33, 22)), None, 100, 20.223748416156685),
        ((20, (20, 33, 22)), (40, (20, 33, 22)), None, 95, 20.09975124224178),
        ((20, (20, 20, 20)), (20, (19, 19, 19)), (0.85, 1.2, 0.9), 100, 2.2671568),
        ((15, (20, 33, 22)), (30, (20, 33, 22)), (0.85, 1.2, 0.9), 100, 15.62594),
    ])
    def test_values(self, pred_args, ref_args, spacing, percentile, expected):
        sp = spacing or (1.0, 1.0, 1.0)
        pred = ball(*pred_args, spacing=sp)
        ref = ball(*ref_args, spacing=sp)
        got = hausdorff_distance(pred, ref, percentile=percentile, spacing=spacing)
        assert got == pytest.approx(expected, rel=1e-6)

    def test_one_empty_is_inf_in_monai(self):
        # MONAI expects inf when pred or gt has no foreground; ours is NaN unless asked for inf.
        ref = ball(40, (20, 33, 22))
        nothing = np.zeros_like(ref)
        assert math.isnan(hausdorff_distance(nothing, ref))
        assert hausdorff_distance(nothing, ref, one_empty=float("inf")) == math.inf
        assert hausdorff_distance(ref, nothing, percentile=95, one_empty=float("inf")) == math.inf


class TestMetricsReloaded:
    """Project-MONAI/MetricsReloaded test/test_metrics/test_pairwise_measures.py."""

    def test_stray_reference_pixel_hd_vs_hd95(self):
        # test_hd: the pitfalls paper's outlier example (Reinke et al., Nat Methods 2024, "HD95 was
        # designed to deal with spatial outliers"; MR's variable f20). A stray reference pixel at
        # (1,1) and a 3x3 square both masks share. Expected by MR: HD 11.31, HD95 6.79.
        ref = np.zeros((14, 14), bool)
        ref[1, 1] = True
        ref[9:12, 9:12] = True
        pred = np.zeros((14, 14), bool)
        pred[9:12, 9:12] = True
        sd = surface_distances(pred, ref)
        # ref -> pred: 8 square-border pixels at 0, the stray pixel at 8*sqrt(2) = 11.3137 from (9,9).
        assert sd.hd == pytest.approx(11.31, abs=0.01)
        # HD95 (max of directed): 9 values, rank 0.95*8 = 7.6 -> 0 + 0.6 * 11.3137 = 6.788
        assert sd.hd95 == pytest.approx(6.79, abs=0.01)
        # MedPy's pooled HD95 on the same masks: 17 values (16 zeros), rank 0.95*16 = 15.2
        # -> 0.2 * 11.3137 = 2.263. The pooled definition dilutes the outlier with the other
        # direction's zeros: a different number for the same masks.
        assert sd.hausdorff(95, method="pooled") == pytest.approx(0.2 * 8 * SQRT2)

    def test_figure_10_cross_assd_masd_nsd(self):
        # "Figure 10 for distance metrics": a 5x5 square and the same square with a cross through it.
        ref = np.zeros((11, 11), bool)
        ref[3:8, 3:8] = True
        pred = ref.copy()
        pred[5, 1:10] = True
        pred[1:10, 5] = True
        sd = surface_distances(pred, ref)
        assert sd.assd == pytest.approx(0.44, abs=0.01)                               # test_assd
        assert sd.average_surface_distance(method="mean_of_means") == pytest.approx(0.425, abs=0.001)  # test_masd
        assert sd.nsd(1) == pytest.approx(0.89, abs=0.01)                             # test_nsd
        assert sd.nsd(2) == pytest.approx(1.0, abs=0.01)                              # test_nsd2

    def test_both_empty_is_zero_in_mr(self):
        # test_distance_empty: MR returns (0, 0, 0, 0) for two empty 14x14 masks; ours with empty=0.
        nothing = np.zeros((14, 14))
        assert math.isnan(hausdorff_distance(nothing, nothing))
        assert hausdorff_distance(nothing, nothing, empty=0.0) == 0.0
        assert average_surface_distance(nothing, nothing, empty=0.0) == 0.0


class TestDeepMind:
    """google-deepmind/surface-distance, surface_distance_test.py (commit 1f805ce).

    DeepMind places surface elements (surfels) on voxel *corners* and weights each distance by the
    surfel's area, and measures between surfel positions. seglearn (like MedPy, MONAI without
    subvoxels and Metrics Reloaded) counts surface *voxels* and measures between voxel centres.
    HD and HD95 often agree; ASSD and NSD differ. Each test shows both numbers.
    """

    def test_two_pixels_two_mm_apart_2d(self):
        # DM test_on_2_pixels_2mm_away (2-D): gt[50,70], pred[50,72], spacing (2, 1).
        gt = np.zeros((128, 128), bool)
        gt[50, 70] = True
        pred = np.zeros((128, 128), bool)
        pred[50, 72] = True
        sd = surface_distances(pred, gt, spacing=(2, 1))
        # DM: HD 2.0, HD95 2.0, ASD (1.5, 1.5), surface Dice at 1 mm 0.5.
        assert sd.hd == 2.0 and sd.hd95 == 2.0
        # Ours: one surface voxel each, 2 columns * 1 mm apart -> ASSD 2.0, NSD(1 mm) 0.0.
        # DM's surfels lie on the pixel edges: the facing edges are 1 mm apart, the far ones 2 mm
        # (its expected distances [1, 1, 2, 2]), hence its mean 1.5 and surface Dice 0.5.
        assert sd.assd == 2.0
        assert sd.nsd(1.0) == 0.0

    def test_two_pixels_two_mm_apart_3d(self):
        # DM SurfaceDistance3DTest.test_on_2_pixels_2mm_away: spacing (3, 2, 1).
        gt = np.zeros((128, 128, 128), bool)
        gt[50, 60, 70] = True
        pred = np.zeros((128, 128, 128), bool)
        pred[50, 60, 72] = True
        sd = surface_distances(pred, gt, spacing=(3, 2, 1))
        assert (sd.hd, sd.hd95) == (2.0, 2.0)        # DM: 2.0, 2.0
        assert (sd.assd, sd.nsd(1.0)) == (2.0, 0.0)  # DM: ASD (1.5, 1.5), surface Dice 0.5

    def test_two_cubes_shifted_by_one_voxel(self):
        # DM test_two_cubes_shifted_by_one_pixel: gt[0:50], pred[0:51] in 100^3, spacing (2, 1, 1).
        # DM expects HD 2.0, HD95 2.0, ASD (gt->pred 0.322, pred->gt 0.339), surface Dice@1mm 0.836.
        gt = np.zeros((100, 100, 100), bool)
        gt[0:50] = True
        pred = np.zeros((100, 100, 100), bool)
        pred[0:51] = True
        sd = surface_distances(pred, gt, spacing=(2, 1, 1))
        assert sd.hd == 2.0 and sd.hd95 == 2.0       # agrees with DM
        # Ours by hand. Surfaces (image border = background):
        #   gt: 50*100*100 - 48*98*98 = 39008 voxels; pred: 51*100*100 - 49*98*98 = 39404 voxels.
        assert (sd.n_ref_surface, sd.n_pred_surface) == (39008, 39404)
        # gt -> pred: gt's top face (slice 49) interior 98x98 is not pred surface. Its ring of
        #   98^2 - 96^2 = 388 voxels is 1 mm (one column) from pred's side faces; the other
        #   96^2 = 9216 are 2 mm (one slice) from pred's slice 50. All other gt surface voxels: 0.
        # pred -> gt: pred's slice 50 (100*100 = 10000 voxels) is 2 mm from gt's slice 49.
        assert np.count_nonzero(sd.ref_to_pred == 1.0) == 388
        assert np.count_nonzero(sd.ref_to_pred == 2.0) == 9216
        assert np.count_nonzero(sd.pred_to_ref == 2.0) == 10000
        # ASSD = (388*1 + 9216*2 + 10000*2) / (39008 + 39404) = 38820 / 78412 = 0.4951
        assert sd.assd == pytest.approx(38820 / 78412)
        # NSD(1 mm) = (39008 - 9216 + 39404 - 10000) / 78412 = 59196 / 78412 = 0.7549
        assert sd.nsd(1.0) == pytest.approx(59196 / 78412)
        # DM weights each surfel by its area: faces normal to axis 0 have area 1x1 = 1 mm^2, side
        # faces 2x1 = 2 mm^2. The 2-mm errors sit on the small top faces, the exact matches on the
        # large side faces, so DM's weighted NSD (0.836) is higher than our voxel count (0.755),
        # and its per-direction ASDs (0.322, 0.339) are lower than our 0.495.
        dm_surface_dice, dm_asd = 0.836, (0.322, 0.339)
        assert sd.nsd(1.0) < dm_surface_dice
        assert sd.assd > max(dm_asd)

    def test_empty_masks(self):
        # DM: one empty -> HD inf, surface Dice 0.0; both empty -> HD inf, surface Dice NaN.
        gt = np.zeros((128, 128), bool)
        gt[50, 60] = True
        nothing = np.zeros_like(gt)
        assert normalized_surface_dice(nothing, gt, tolerance=1, spacing=(3, 2)) == 0.0
        assert normalized_surface_dice(gt, nothing, tolerance=1, spacing=(3, 2)) == 0.0
        assert math.isnan(normalized_surface_dice(nothing, nothing, tolerance=1, spacing=(3, 2)))
        assert hausdorff_distance(nothing, gt, spacing=(3, 2), one_empty=math.inf) == math.inf
        # Both empty: DM says inf, we say NaN by default (0/0 is undefined, not infinitely bad).
        assert math.isnan(hausdorff_distance(nothing, nothing, spacing=(3, 2)))


# =============================================================================================
# independent oracle and the two distance back ends
# =============================================================================================
def oracle(pred, ref, spacing):
    """Brute force: erosion-based surfaces (border = background) and all-pairs distances."""
    sp = np.asarray(spacing, float)

    def surf(m):
        return np.argwhere(m & ~ndimage.binary_erosion(m, border_value=0)) * sp

    sp_, sr = surf(pred), surf(ref)
    d = cdist(sp_, sr)
    return d.min(axis=1), d.min(axis=0)


spacings = st.floats(0.25, 4.0, allow_nan=False)


@st.composite
def mask_pairs(draw, min_fg=1):
    shape = draw(st.sampled_from([(7,), (6, 8), (9, 5), (4, 5, 6), (3, 3, 7)]))
    pred = draw(hnp.arrays(bool, shape))
    ref = draw(hnp.arrays(bool, shape))
    if min_fg:
        pred.flat[draw(st.integers(0, pred.size - 1))] = True
        ref.flat[draw(st.integers(0, ref.size - 1))] = True
    spacing = tuple(draw(spacings) for _ in shape)
    return pred, ref, spacing


class TestAgainstOracle:
    @settings(max_examples=80, deadline=None)
    @given(mask_pairs())
    def test_distances_match_brute_force(self, pair):
        pred, ref, spacing = pair
        sd = surface_distances(pred, ref, spacing=spacing)
        d_pr, d_rp = oracle(pred, ref, spacing)
        np.testing.assert_allclose(sd.pred_to_ref, d_pr, rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(sd.ref_to_pred, d_rp, rtol=1e-12, atol=1e-12)

    @settings(max_examples=60, deadline=None)
    @given(mask_pairs())
    def test_distance_back_ends_agree(self, pair):
        # neighbourhood probe + KD-tree (default), KD-tree alone, and the EDT of the crop
        pred, ref, spacing = pair
        edt = _distances(pred, ref, spacing, method="edt")
        for method in (None, "kdtree", "kdtree_only"):
            for a, b in zip(_distances(pred, ref, spacing, method=method), edt):
                np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)

    @pytest.mark.parametrize("spacing", [(1.0, 1.0), (0.3, 2.0), (5.0, 0.05), (0.01, 1.0)])
    def test_probe_bound_is_exact_for_far_and_near_points(self, spacing):
        # distances just inside, at and beyond the probed box must all match the KD-tree alone
        rng = np.random.default_rng(1)
        pred = rng.random((30, 30)) < 0.03
        ref = rng.random((30, 30)) < 0.03
        a = _distances(pred, ref, spacing, method="kdtree")
        b = _distances(pred, ref, spacing, method="kdtree_only")
        np.testing.assert_allclose(a[0], b[0], rtol=1e-12)
        np.testing.assert_allclose(a[1], b[1], rtol=1e-12)

    def test_edt_route_for_leftover_voxels(self, monkeypatch):
        # Speckle on the left, speckle on the right: the probe resolves nothing. With the switch
        # lowered to 0 the automatic route answers the leftovers with the crop's EDT; same numbers.
        import seglearn.metrics.surface as surface_module
        rng = np.random.default_rng(0)
        pred = np.zeros((40, 40), bool)
        ref = np.zeros((40, 40), bool)
        pred[:, :12] = rng.random((40, 12)) < 0.5
        ref[:, 28:] = rng.random((40, 12)) < 0.5
        kd = _distances(pred, ref, (1.0, 1.5), method="kdtree_only")
        calls = []
        real_edt = surface_module.ndimage.distance_transform_edt
        monkeypatch.setattr(surface_module, "_EDT_FRACTION", 0.0)
        monkeypatch.setattr(surface_module.ndimage, "distance_transform_edt",
                            lambda *a, **k: calls.append(1) or real_edt(*a, **k))
        auto = _distances(pred, ref, (1.0, 1.5))
        assert len(calls) == 2
        for a, b in zip(auto, kd):
            np.testing.assert_allclose(a, b, rtol=1e-12)

    def test_position_in_a_larger_image_does_not_matter(self):
        # cropping is an implementation detail: the same objects anywhere in a bigger image
        pred = square((8, 8), (1, 5), (2, 7))
        ref = square((8, 8), (2, 7), (1, 4))
        big_p = np.zeros((30, 40), bool)
        big_r = np.zeros((30, 40), bool)
        big_p[11:19, 23:31] = pred
        big_r[11:19, 23:31] = ref
        a = surface_distances(pred, ref, spacing=(1.2, 0.8))
        b = surface_distances(big_p, big_r, spacing=(1.2, 0.8))
        np.testing.assert_allclose(a.pred_to_ref, b.pred_to_ref)
        np.testing.assert_array_equal(a.pred_points + [11, 23], b.pred_points)


# =============================================================================================
# properties
# =============================================================================================
class TestProperties:
    @settings(max_examples=60, deadline=None)
    @given(mask_pairs())
    def test_symmetry(self, pair):
        pred, ref, spacing = pair
        a = surface_distances(pred, ref, spacing=spacing)
        b = surface_distances(ref, pred, spacing=spacing)
        assert a.hd == b.hd
        assert a.hd95 == pytest.approx(b.hd95)
        assert a.hausdorff(95, method="pooled") == pytest.approx(b.hausdorff(95, method="pooled"))
        assert a.assd == pytest.approx(b.assd)
        assert a.nsd(1.0) == pytest.approx(b.nsd(1.0))

    @settings(max_examples=60, deadline=None)
    @given(mask_pairs(), st.floats(0, 100))
    def test_ranges(self, pair, q):
        pred, ref, spacing = pair
        sd = surface_distances(pred, ref, spacing=spacing)
        assert sd.hd >= sd.hd95 >= 0.0
        assert sd.hd >= sd.hausdorff(q) >= 0.0
        assert sd.hd >= sd.hausdorff(q, method="pooled") >= 0.0
        assert sd.hd >= sd.assd >= 0.0
        assert sd.hausdorff(q) == max(sd.directed_hausdorff(q))

    @settings(max_examples=40, deadline=None)
    @given(mask_pairs(min_fg=1))
    def test_identical_masks(self, pair):
        pred, _, spacing = pair
        sd = surface_distances(pred, pred, spacing=spacing)
        assert sd.hd == sd.hd95 == sd.assd == 0.0
        assert sd.nsd(0.0) == 1.0

    @settings(max_examples=60, deadline=None)
    @given(mask_pairs(), st.sampled_from([0.5, 2.0, 3.0, 0.1]))
    def test_uniform_spacing_scales_all_distances(self, pair, factor):
        pred, ref, spacing = pair
        a = surface_distances(pred, ref, spacing=spacing)
        b = surface_distances(pred, ref, spacing=tuple(factor * s for s in spacing))
        np.testing.assert_allclose(b.pred_to_ref, factor * a.pred_to_ref, rtol=1e-12)
        assert b.hd == pytest.approx(factor * a.hd)
        assert b.hd95 == pytest.approx(factor * a.hd95)
        assert b.assd == pytest.approx(factor * a.assd)
        assert b.nsd(factor * 1.5) == pytest.approx(a.nsd(1.5))

    @settings(max_examples=60, deadline=None)
    @given(mask_pairs(), st.data())
    def test_flip_and_transpose_invariance(self, pair, data):
        pred, ref, spacing = pair
        axes = tuple(data.draw(st.permutations(range(pred.ndim))))
        flip = tuple(i for i in range(pred.ndim) if data.draw(st.booleans(), label=f"flip{i}"))
        tp, tr = np.transpose(pred, axes), np.transpose(ref, axes)
        if flip:
            tp, tr = np.flip(tp, flip), np.flip(tr, flip)
        a = surface_distances(pred, ref, spacing=spacing)
        b = surface_distances(tp, tr, spacing=tuple(spacing[i] for i in axes))
        np.testing.assert_allclose(np.sort(a.pred_to_ref), np.sort(b.pred_to_ref), rtol=1e-12)
        np.testing.assert_allclose(np.sort(a.ref_to_pred), np.sort(b.ref_to_pred), rtol=1e-12)
        assert b.hd == pytest.approx(a.hd)
        assert b.hd95 == pytest.approx(a.hd95)
        assert b.assd == pytest.approx(a.assd)
        assert b.nsd(1.0) == pytest.approx(a.nsd(1.0))

    @settings(max_examples=60, deadline=None)
    @given(mask_pairs(min_fg=0), st.lists(st.floats(0, 20), min_size=2, max_size=6))
    def test_nsd_in_unit_interval_and_monotone(self, pair, taus):
        pred, ref, spacing = pair
        sd = surface_distances(pred, ref, spacing=spacing)
        values = [sd.nsd(t, empty=1.0) for t in sorted(taus)]
        assert all(0.0 <= v <= 1.0 for v in values)
        assert values == sorted(values)

    @settings(max_examples=40, deadline=None)
    @given(mask_pairs())
    def test_functions_equal_methods(self, pair):
        pred, ref, spacing = pair
        sd = surface_distances(pred, ref, spacing=spacing)
        assert hausdorff_distance(pred, ref, spacing=spacing) == sd.hd
        assert hausdorff_distance(pred, ref, percentile=95, spacing=spacing) == sd.hd95
        assert average_surface_distance(pred, ref, spacing=spacing) == sd.assd
        assert normalized_surface_dice(pred, ref, tolerance=2.0, spacing=spacing) == sd.nsd(2.0)


# =============================================================================================
# bad input
# =============================================================================================
class TestBadInput:
    a = square((6, 6), (1, 4), (1, 4))
    b = square((6, 6), (2, 5), (2, 5))

    @pytest.mark.parametrize("spacing, exc, msg", [
        ((1.0,), ValueError, r"spacing must have one value per image axis \(2 for 2-D masks"),
        ((1.0, 1.0, 1.0), ValueError, r"spacing must have one value per image axis"),
        ((1.0, 0.0), ValueError, r"spacing values must be finite and positive"),
        ((1.0, -2.0), ValueError, r"spacing values must be finite and positive"),
        ((1.0, float("nan")), ValueError, r"spacing values must be finite and positive"),
        ("ab", TypeError, r"spacing must be a sequence of 2 positive numbers"),
    ])
    def test_spacing(self, spacing, exc, msg):
        with pytest.raises(exc, match=msg):
            surface_distances(self.a, self.b, spacing=spacing)
        with pytest.raises(exc, match=msg):
            hausdorff_distance(self.a, self.b, spacing=spacing)

    @pytest.mark.parametrize("tol, exc, msg", [
        (-1.0, ValueError, r"tolerance must be finite and non-negative"),
        (float("inf"), ValueError, r"tolerance must be finite and non-negative"),
        (float("nan"), ValueError, r"tolerance must be finite and non-negative"),
        ("1", TypeError, r"tolerance must be a non-negative number"),
        (None, TypeError, r"tolerance must be a non-negative number"),
        (True, TypeError, r"tolerance must be a non-negative number"),
    ])
    def test_tolerance(self, tol, exc, msg):
        with pytest.raises(exc, match=msg):
            normalized_surface_dice(self.a, self.b, tolerance=tol)
        with pytest.raises(exc, match=msg):
            surface_distances(self.a, self.b).nsd(tol)

    def test_tolerance_is_required(self):
        with pytest.raises(TypeError, match="tolerance"):
            normalized_surface_dice(self.a, self.b)  # type: ignore[call-arg]

    @pytest.mark.parametrize("q, exc, msg", [
        (-1, ValueError, r"percentile must be between 0 and 100 \(e.g. 95 for HD95\), got -1"),
        (100.5, ValueError, r"percentile must be between 0 and 100"),
        (float("nan"), ValueError, r"percentile must be between 0 and 100"),
        (0.95 * 1j, TypeError, r"percentile must be a number between 0 and 100"),
        ("95", TypeError, r"percentile must be a number between 0 and 100"),
    ])
    def test_percentile(self, q, exc, msg):
        with pytest.raises(exc, match=msg):
            hausdorff_distance(self.a, self.b, percentile=q)
        with pytest.raises(exc, match=msg):
            surface_distances(self.a, self.b).directed_hausdorff(q)

    def test_shape_mismatch(self):
        with pytest.raises(ValueError, match=r"pred and ref must have the same shape, got pred.shape=\(6, 6\) "
                                             r"and ref.shape=\(6, 7\)"):
            hausdorff_distance(self.a, np.zeros((6, 7), bool))

    def test_non_binary_mask(self):
        with pytest.raises(ValueError, match=r"ref must be a binary mask .* pass threshold="):
            average_surface_distance(self.a, self.b * 0.7)
        with pytest.raises(ValueError, match=r"pred must be a binary mask .* 0..255 image"):
            normalized_surface_dice(self.a.astype(np.uint8) * 255, self.b, tolerance=1)

    def test_method(self):
        with pytest.raises(ValueError, match=r"method must be one of 'max_directed', 'pooled', got 'mean'"):
            hausdorff_distance(self.a, self.b, method="mean")
        with pytest.raises(ValueError, match=r"method must be one of 'pooled', 'mean_of_means'"):
            average_surface_distance(self.a, self.b, method="max_directed")

    def test_empty_values(self):
        with pytest.raises(TypeError, match=r"empty must be a number or NaN"):
            hausdorff_distance(self.a, self.b, empty="nan")
        with pytest.raises(TypeError, match=r"one_empty must be a number or NaN"):
            hausdorff_distance(self.a, self.b, one_empty=None)
        with pytest.raises(ValueError, match=r"one_empty must be a number, NaN or 'diagonal', got 'diag'"):
            average_surface_distance(self.a, self.b, one_empty="diag")
        with pytest.raises(TypeError, match=r"empty must be a number or NaN"):
            normalized_surface_dice(self.a, self.b, tolerance=1, empty=None)


def test_constructed_result_is_read_only_copy():
    d = np.array([0.0, 1.0])
    sd = SurfaceDistances(d, np.zeros(1), np.zeros((2, 2), np.int64), np.zeros((1, 2), np.int64),
                          [1, 2], [5, 5])
    d[0] = 9.0                                   # the caller's array is not shared
    assert sd.pred_to_ref[0] == 0.0 and not sd.pred_to_ref.flags.writeable
    assert sd.spacing == (1.0, 2.0) and sd.shape == (5, 5)
    assert sd.hd == 1.0
    with pytest.raises(ValueError, match="one row per distance"):
        SurfaceDistances(d, np.zeros(1), np.zeros((3, 2)), np.zeros((1, 2)), (1, 1), (5, 5))
