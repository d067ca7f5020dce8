"""Aggregation over cases: hand-worked statistics, undefined-case policies, grouping, pooled counts."""
from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from seglearn.metrics import ConfusionCounts, confusion_counts, dice
from seglearn.metrics.aggregate import Aggregate, CountsAggregate, aggregate, aggregate_counts, metric_from_counts

NAN = float("nan")


# -- hand-worked ---------------------------------------------------------------------------------

def test_hand_worked_statistics_and_the_three_policies():
    values = [0.9, 0.8, NAN, 0.7]
    ex = aggregate(values, empty="exclude", name="Dice")
    # defined: 0.9, 0.8, 0.7 -> mean 0.8, sample std sqrt((0.01 + 0 + 0.01) / 2) = 0.1,
    # quartiles (linear): 0.75, 0.8, 0.85
    assert (ex.n, ex.n_cases, ex.n_undefined, ex.undefined) == (3, 4, 1, (2,))
    assert (ex.mean, ex.std, ex.median, ex.q1, ex.q3, ex.iqr, ex.min, ex.max) == pytest.approx(
        (0.8, 0.1, 0.8, 0.75, 0.85, 0.1, 0.7, 0.9))
    assert ex.treatment == "1 undefined case (NaN; index 2) excluded from the statistics"
    fill = aggregate(values, empty=0.0)
    # 0.9, 0.8, 0.0, 0.7 -> mean 2.4/4 = 0.6, median (0.7+0.8)/2 = 0.75, min 0
    assert (fill.n, fill.mean, fill.median, fill.min) == pytest.approx((4, 0.6, 0.75, 0.0))
    assert fill.treatment.endswith("filled with 0")
    rep = aggregate(values)                                   # default "report": NaN propagates
    assert all(math.isnan(getattr(rep, k)) for k in ("mean", "std", "median", "q1", "q3", "min", "max"))
    assert rep.n_undefined == 1 and "propagated" in rep.treatment and "empty='exclude'" in rep.treatment
    clean = aggregate([0.5, 0.7])
    assert clean.mean == pytest.approx(0.6) and clean.treatment == "no undefined cases"


def test_quantiles():
    a = aggregate(np.arange(11) / 10)             # 0.0, 0.1, ..., 1.0
    assert a.quantile(0.9) == pytest.approx(0.9)
    np.testing.assert_allclose(a.quantile([0.05, 0.5]), [0.05, 0.5])
    assert math.isnan(aggregate([0.1, NAN]).quantile(0.5))
    with pytest.raises(ValueError, match=r"q must be a quantile \(or quantiles\) in \[0, 1\], got 95"):
        a.quantile(95)


def test_std_ddof_and_tiny_inputs():
    # population std of [1, 3] is 1; sample std is sqrt(2)
    assert aggregate([1, 3], ddof=0).std == 1.0
    assert aggregate([1, 3]).std == pytest.approx(math.sqrt(2))
    one = aggregate([0.4])
    assert one.mean == 0.4 and math.isnan(one.std) and one.iqr == 0.0    # no warning, NaN std
    none_left = aggregate([NAN, NAN], empty="exclude")
    assert none_left.n == 0 and math.isnan(none_left.mean)
    assert aggregate([True, False, True, True]).mean == 0.75            # detection rate from booleans


def test_per_slice_vs_per_patient():
    # patient A: 4 slices at 0.9; patient B: 1 slice at 0.1
    dice_per_slice = [0.9, 0.9, 0.9, 0.9, 0.1]
    patients = ["A", "A", "A", "A", "B"]
    assert aggregate(dice_per_slice).mean == pytest.approx(3.7 / 5)     # 0.74: patient A counted 4 times
    per_patient = aggregate(dice_per_slice, groups=patients)
    assert per_patient.mean == pytest.approx(0.5)                       # (0.9 + 0.1) / 2
    assert (per_patient.level, per_patient.n, per_patient.n_cases, per_patient.group_ids) == ("group", 2, 5, ("A", "B"))
    np.testing.assert_allclose(per_patient.values, [0.9, 0.1])
    assert "over 2 groups (5 cases)" in repr(per_patient)


def test_groups_with_undefined_cases():
    values = [0.8, NAN, NAN, NAN, 0.6]
    groups = [1, 1, 2, 2, 3]
    ex = aggregate(values, groups=groups, empty="exclude")
    # group 1: mean of the defined 0.8; group 2: nothing defined -> left out; group 3: 0.6
    assert (ex.n, ex.mean, ex.group_ids, ex.n_undefined, ex.n_groups_undefined) == (2, pytest.approx(0.7), (1, 3), 3, 1)
    assert "1 group(s) with no defined case left out" in ex.treatment
    filled = aggregate(values, groups=groups, empty=0.0)
    # group 1: (0.8 + 0) / 2 = 0.4; group 2: 0; group 3: 0.6 -> mean 1.0 / 3
    np.testing.assert_allclose(filled.values, [0.4, 0.0, 0.6])
    assert math.isnan(aggregate(values, groups=groups).mean)


def test_counts_per_case_vs_pooled():
    big = ConfusionCounts(tp=90, fp=10, fn=10, tn=890)      # Dice 180 / 200 = 0.9
    small = ConfusionCounts(tp=0, fp=2, fn=2, tn=996)       # Dice 0 / 4 = 0
    empty_case = ConfusionCounts(tp=0, fp=0, fn=0, tn=1000)  # Dice 0/0: undefined
    agg = aggregate_counts([big, small, empty_case], empty="exclude")
    assert isinstance(agg, CountsAggregate)
    assert agg.per_case.mean == pytest.approx(0.45)            # (0.9 + 0) / 2, the empty case excluded
    assert agg.per_case.n_undefined == 1
    assert agg.pooled == pytest.approx(180 / 204)               # 2*90 / (2*90 + 12 + 12)
    assert agg.pooled_counts == ConfusionCounts(90, 12, 12, 2886)     # exact sums; tn 890 + 996 + 1000
    assert agg.per_group is None
    # the empty case as a worst-case failure instead: (0.9 + 0 + 0) / 3
    assert aggregate_counts([big, small, empty_case], empty=0.0).per_case.mean == pytest.approx(0.3)
    assert aggregate_counts([big, small], "recall").pooled == pytest.approx(90 / 102)
    assert aggregate_counts([big, small], "f_beta", beta=1).pooled == pytest.approx(180 / 204)


def test_counts_grouped_by_patient_pool_within_the_patient():
    rng = np.random.default_rng(11)
    ref = rng.random((6, 10, 10)) < 0.3
    pred = ref ^ (rng.random((6, 10, 10)) < 0.1)
    ref[5] = pred[5] = False                                    # slice 5: empty in both
    patients = np.array([7, 7, 7, 3, 3, 3])
    agg = aggregate_counts(confusion_counts(pred, ref, per_case=True), groups=patients)
    assert agg.group_ids == (3, 7)
    # a patient's value is the Dice of the patient's whole volume, not the mean of its slices
    expected = [dice(pred[patients == g], ref[patients == g]) for g in (3, 7)]
    np.testing.assert_allclose(agg.per_group.values, expected)
    assert agg.per_group.n_undefined == 0 and agg.per_case.n_undefined == 1
    assert math.isnan(agg.per_case.mean)                        # "report": the empty slice propagates
    assert agg.pooled == pytest.approx(dice(pred, ref))
    text = repr(agg)
    assert "per case" in text and "per group" in text and "pooled" in text
    assert "| per group |" in agg.to_markdown()


# -- properties ----------------------------------------------------------------------------------

finite = st.floats(-1e6, 1e6, allow_nan=False)


@settings(max_examples=100, deadline=None)
@given(arrays(np.float64, st.integers(1, 60), elements=finite))
def test_matches_numpy_without_nan(v):
    a = aggregate(v)
    assert a.mean == pytest.approx(np.mean(v), rel=1e-12, abs=1e-9)
    assert a.median == np.median(v) and a.min == v.min() and a.max == v.max()
    assert (a.q1, a.q3) == tuple(np.quantile(v, [0.25, 0.75]))
    if v.size > 1:
        assert a.std == pytest.approx(np.std(v, ddof=1), rel=1e-9, abs=1e-9)
    for policy in ("exclude", 0.0):
        assert aggregate(v, empty=policy).mean == a.mean


@settings(max_examples=100, deadline=None)
@given(arrays(np.float64, st.integers(1, 60), elements=st.one_of(st.floats(0, 1), st.just(NAN))))
def test_exclude_is_nanmean_and_fill_is_mean_of_filled(v):
    n_nan = int(np.isnan(v).sum())
    ex = aggregate(v, empty="exclude")
    assert ex.n_undefined == n_nan and ex.n == v.size - n_nan
    if ex.n:
        assert ex.mean == pytest.approx(np.mean(v[~np.isnan(v)]))
    assert aggregate(v, empty=0.0).mean == pytest.approx(np.mean(np.nan_to_num(v, nan=0.0)))
    assert math.isnan(aggregate(v).mean) == bool(n_nan)


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_grouping_is_order_free_and_singletons_change_nothing(data):
    v = data.draw(arrays(np.float64, st.integers(1, 30), elements=st.floats(0, 1)))
    groups = data.draw(arrays(np.int64, v.shape, elements=st.integers(0, 4)))
    perm = np.random.default_rng(0).permutation(v.size)
    a, b = aggregate(v, groups=groups), aggregate(v[perm], groups=groups[perm])
    np.testing.assert_allclose(a.values, b.values)
    assert a.group_ids == b.group_ids
    assert aggregate(v, groups=np.arange(v.size)).mean == pytest.approx(aggregate(v).mean)


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_pooled_equals_dice_of_concatenated_masks(data):
    n_cases = data.draw(st.integers(1, 6))
    preds = [data.draw(arrays(bool, data.draw(st.integers(1, 40)))) for _ in range(n_cases)]
    refs = [data.draw(arrays(bool, p.shape)) for p in preds]
    counts = [confusion_counts(p, r) for p, r in zip(preds, refs)]
    agg = aggregate_counts(counts)
    np.testing.assert_equal(agg.pooled, dice(np.concatenate(preds), np.concatenate(refs)))
    per_case = np.array([c.dice() for c in counts])
    np.testing.assert_equal(agg.per_case.mean, np.mean(per_case) if not np.isnan(per_case).any() else NAN)


# -- immutability, display -------------------------------------------------------------------------

def test_results_are_immutable_and_render():
    a = aggregate([0.9, NAN, 0.7], empty="exclude", name="Dice")
    assert isinstance(a, Aggregate)
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.mean = 1.0  # type: ignore[misc]
    with pytest.raises(ValueError, match="read-only"):
        a.values[0] = 0
    md = a.to_markdown()
    assert "| Dice | |" in md and "| n | 2 cases of 3 |" in md and "excluded" in md
    assert repr(a).startswith("Aggregate(Dice over 2 of 3 cases: mean 0.8")
    assert a.as_dict()["n_undefined"] == 1


def test_metric_from_counts():
    c = ConfusionCounts(tp=3, fp=1, fn=2, tn=10)
    assert metric_from_counts(c, "dice") == pytest.approx(6 / 9)
    assert metric_from_counts(c, "accuracy") == pytest.approx(13 / 16)
    assert metric_from_counts(ConfusionCounts(0, 0, 0, 5), "dice", empty=1.0) == 1.0


# -- bad input -----------------------------------------------------------------------------------

def test_bad_input_messages():
    with pytest.raises(ValueError, match=r"values must be 1-D \(one value per case\), got an array of shape \(2, 2\)"):
        aggregate([[0.1, 0.2], [0.3, 0.4]])
    with pytest.raises(ValueError, match=r"values contains 1 infinite values; replace them"):
        aggregate([0.1, np.inf])
    with pytest.raises(TypeError, match=r"values must be a numeric array"):
        aggregate(["0.1", "0.2"])
    with pytest.raises(ValueError, match=r"values must not be empty"):
        aggregate([])
    for bad in ("ignore", True, NAN, np.inf, None):
        with pytest.raises(ValueError, match=r"empty must be 'report' .*, 'exclude' .* or a finite number"):
            aggregate([0.1], empty=bad)
    with pytest.raises(ValueError, match=r"groups must be 1-D with one id per case \(3 cases\), got shape \(2,\)"):
        aggregate([0.1, 0.2, 0.3], groups=[1, 2])
    with pytest.raises(ValueError, match=r"groups contains NaN"):
        aggregate([0.1, 0.2], groups=[1.0, NAN])
    with pytest.raises(TypeError, match=r"groups must be a sequence with one group id per case"):
        aggregate([0.1, 0.2], groups="ab")
    with pytest.raises(ValueError, match=r"ddof must be a non-negative integer"):
        aggregate([0.1, 0.2], ddof=-1)
    single = ConfusionCounts(1, 0, 0, 1)
    with pytest.raises(ValueError, match=r"counts must hold one count per case .* got single-case counts"):
        aggregate_counts(single)
    with pytest.raises(TypeError, match=r"counts must be single-case ConfusionCounts, got float"):
        aggregate_counts([single, 0.5])
    with pytest.raises(TypeError, match=r"counts must be a per-case ConfusionCounts or a sequence"):
        aggregate_counts(3)
    with pytest.raises(ValueError, match=r"counts must not be empty"):
        aggregate_counts([])
    with pytest.raises(ValueError, match=r"metric must be one of .* got 'hd95'"):
        aggregate_counts([single], "hd95")
    with pytest.raises(ValueError, match=r"metric='f_beta' needs beta="):
        aggregate_counts([single], "f_beta")
