"""Aggregating a metric over many cases, honestly.

Three choices change a reported mean more than most model improvements do, so seglearn makes
each one explicit and prints it next to the number:

1. **Undefined cases.** Dice of an empty prediction on an empty reference is 0/0 (NaN by default
   in seglearn). ``empty="report"`` (default) lets NaN propagate into every statistic, exactly as
   ``np.mean`` would, and says how many cases were undefined and which: you then decide.
   ``empty="exclude"`` leaves them out (nnU-Net's ``nanmean``, MONAI's ``ignore_empty``);
   a number fills them in (Metrics Reloaded's worst-case fill: 0 for Dice, the image diagonal for
   HD95).
2. **Unit of analysis.** Slices of one patient are not independent cases: ``groups=`` (patient
   ids) averages within each patient first, then over patients (Reinke et al., Nat Methods 2024,
   Fig. 6b).
3. **Mean of ratios vs ratio of sums.** :func:`aggregate_counts` reports both the per-case
   (macro) mean and the pooled (micro) value computed from summed counts; they differ whenever
   cases differ in size.
"""
from __future__ import annotations

import math
import numbers
from dataclasses import dataclass, replace
from typing import Any, Sequence, Union

import numpy as np

from ._validation import _as_array
from .confusion import NAN, ConfusionCounts, _ratio

__all__ = ["aggregate", "aggregate_counts", "Aggregate", "CountsAggregate", "metric_from_counts"]

METRIC_NAMES = ("dice", "iou", "precision", "recall", "specificity", "npv", "accuracy", "balanced_accuracy",
                "mcc", "volume_similarity", "f_beta")

EmptyPolicy = Union[str, float]


def metric_from_counts(counts: ConfusionCounts, name: str, *, beta: float | None = None,
                       empty: float = NAN) -> Any:
    """Evaluate a :class:`~seglearn.metrics.ConfusionCounts` metric by name.

    Parameters
    ----------
    counts : ConfusionCounts
        Single-case or per-case counts.
    name : str
        One of ``"dice", "iou", "precision", "recall", "specificity", "npv", "accuracy",
        "balanced_accuracy", "mcc", "volume_similarity", "f_beta"``.
    beta : float, optional
        Required for ``"f_beta"`` (and only allowed there).
    empty : float, default NaN
        The 0/0 value (``accuracy`` is never undefined and ignores it).

    Examples
    --------
    >>> metric_from_counts(ConfusionCounts(tp=3, fp=1, fn=2, tn=10), "dice")   # 6 / 9
    0.6666666666666666
    """
    if name not in METRIC_NAMES:
        raise ValueError(f"metric must be one of {METRIC_NAMES}, got {name!r}")
    if name == "f_beta":
        if beta is None:
            raise ValueError("metric='f_beta' needs beta=, e.g. beta=2 to weigh recall more")
        return counts.f_beta(beta, empty=empty)
    if beta is not None:
        raise ValueError(f"beta= only applies to metric='f_beta', not {name!r}")
    if name == "accuracy":
        return counts.accuracy()
    return getattr(counts, name)(empty=empty)


def _check_policy(empty: Any) -> EmptyPolicy:
    if isinstance(empty, str):
        if empty in ("report", "exclude"):
            return empty
    elif isinstance(empty, numbers.Real) and not isinstance(empty, (bool, np.bool_)) and math.isfinite(empty):
        return float(empty)
    raise ValueError(
        "empty must be 'report' (NaN propagates, undefined cases are listed), 'exclude' (leave undefined "
        f"cases out) or a finite number to fill them with (e.g. 0.0, the worst Dice); got {empty!r}"
    )


def _as_values(values: Any) -> np.ndarray:
    arr = _as_array(values, "values")
    if arr.ndim != 1:
        raise ValueError(f"values must be 1-D (one value per case), got an array of shape {arr.shape}")
    arr = arr.astype(np.float64)
    n_inf = int(np.isinf(arr).sum())
    if n_inf:
        raise ValueError(
            f"values contains {n_inf} infinite values; replace them with a finite worst case (e.g. the image "
            "diagonal for a Hausdorff distance) or NaN (undefined) before aggregating"
        )
    return arr


def _as_groups(groups: Any, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Return (sorted unique group ids, index of each case's group)."""
    if isinstance(groups, (str, bytes)):
        raise TypeError(f"groups must be a sequence with one group id per case, got {type(groups).__name__}")
    g = np.asarray(groups)
    if g.ndim != 1 or g.shape[0] != n:
        raise ValueError(f"groups must be 1-D with one id per case ({n} cases), got shape {g.shape}")
    if g.dtype.kind == "f" and np.isnan(g).any():
        raise ValueError("groups contains NaN; every case needs a group id")
    if g.dtype.kind in "US" and not isinstance(groups, np.ndarray) \
            and not all(isinstance(x, (str, bytes)) for x in groups):
        # np.asarray([1, "1"]) makes both "1": two patients would silently become one
        raise TypeError("groups must hold comparable ids of one kind (all numbers or all strings), "
                        f"got a mix such as {list(groups)[:4]!r}")
    try:
        ids, inverse = np.unique(g, return_inverse=True)
    except TypeError:
        raise TypeError("groups must hold comparable ids of one kind (all numbers or all strings)") from None
    return ids, inverse.reshape(-1)


def _readonly(a: np.ndarray) -> np.ndarray:
    a = np.array(a, dtype=np.float64)
    a.setflags(write=False)
    return a


def _stat(x: float) -> str:
    return "nan" if math.isnan(x) else f"{x:.4g}"


@dataclass(frozen=True, eq=False)
class Aggregate:
    """Summary statistics of one metric over many cases (or groups), with the undefined-case policy.

    Attributes
    ----------
    mean, std, median, q1, q3, iqr, min, max : float
        Statistics of :attr:`values`. ``std`` uses ``ddof`` (default 1, the sample standard
        deviation; NaN when fewer than ``ddof + 1`` values). Quartiles use NumPy's default
        ("linear", Hyndman & Fan type 7). All NaN when ``empty="report"`` and a case is
        undefined, or when no value is left.
    n : int
        Number of values the statistics are computed over (cases, or groups when grouped).
    n_cases : int
        Number of input cases.
    n_undefined : int
        Input cases whose value was NaN (undefined, e.g. Dice of two empty masks).
    undefined : tuple of int
        Their indices.
    policy : str or float
        ``"report"``, ``"exclude"`` or the fill value.
    treatment : str
        What was done with the undefined cases, in words.
    level : {"case", "group"}
        Whether :attr:`values` are cases or per-group means.
    values : numpy.ndarray
        The values the statistics were computed over (read-only; after filling or excluding).
    group_ids : tuple or None
        Group ids in the order of :attr:`values` when grouped.
    n_groups_undefined : int
        Groups whose value was undefined (all their cases undefined under ``"exclude"``).
    name : str
        Metric name for display.
    """

    mean: float
    std: float
    median: float
    q1: float
    q3: float
    iqr: float
    min: float
    max: float
    n: int
    n_cases: int
    n_undefined: int
    undefined: tuple[int, ...]
    policy: EmptyPolicy
    treatment: str
    level: str
    values: np.ndarray
    group_ids: tuple[Any, ...] | None
    n_groups_undefined: int
    ddof: int
    name: str

    def quantile(self, q: Any) -> Any:
        """Any quantile(s) of :attr:`values` (NumPy's "linear" method), e.g. ``a.quantile(0.95)``.

        NaN when a value is undefined (``empty="report"``) or no value is left.
        """
        qs = np.asarray(q, dtype=np.float64)
        if qs.size == 0 or not np.all((qs >= 0) & (qs <= 1)):
            raise ValueError(f"q must be a quantile (or quantiles) in [0, 1], got {q!r}")
        if self.values.size == 0 or np.isnan(self.values).any():
            out = np.full(qs.shape, NAN)
        else:
            out = np.quantile(self.values, qs)
        return float(out) if out.ndim == 0 else out

    def as_dict(self) -> dict[str, Any]:
        """The statistics and counts as a plain dict."""
        keys = ("name", "mean", "std", "median", "q1", "q3", "iqr", "min", "max", "n", "n_cases",
                "n_undefined", "policy", "treatment", "level")
        return {k: getattr(self, k) for k in keys}

    def _unit(self) -> str:
        unit = "group" if self.level == "group" else "case"
        return unit if self.n == 1 else unit + "s"

    def describe(self) -> str:
        """One line: n, mean ± std, median [IQR], range."""
        of = f"{self.n} {self._unit()}"
        if self.level == "group":
            of += f" ({self.n_cases} cases)"
        elif self.n != self.n_cases:
            of = f"{self.n} of {self.n_cases} cases"
        return (f"{self.name} over {of}: mean {_stat(self.mean)} ± {_stat(self.std)} (std), median "
                f"{_stat(self.median)} [IQR {_stat(self.q1)}–{_stat(self.q3)}], range {_stat(self.min)}–{_stat(self.max)}")

    def __repr__(self) -> str:
        return f"Aggregate({self.describe()}; {self.treatment})"

    def to_markdown(self) -> str:
        """A two-column Markdown table with the undefined-case treatment underneath."""
        n_text = f"{self.n} {self._unit()}" + (f" ({self.n_cases} cases)" if self.level == "group" else
                                               f" of {self.n_cases}" if self.n != self.n_cases else "")
        rows = [("n", n_text), ("mean ± std", f"{_stat(self.mean)} ± {_stat(self.std)}"),
                ("median [IQR]", f"{_stat(self.median)} [{_stat(self.q1)}, {_stat(self.q3)}]"),
                ("min – max", f"{_stat(self.min)} – {_stat(self.max)}"),
                ("undefined cases", f"{self.n_undefined}")]
        lines = [f"| {self.name} | |", "|---|---:|"] + [f"| {k} | {v} |" for k, v in rows]
        return "\n".join(lines) + f"\n\n*{self.treatment}*"

    def _repr_markdown_(self) -> str:
        return self.to_markdown()


def _summarise(v: np.ndarray, ddof: int) -> dict[str, float]:
    nan = dict.fromkeys(("mean", "std", "median", "q1", "q3", "iqr", "min", "max"), NAN)
    if v.size == 0 or np.isnan(v).any():
        return nan
    q1, q3 = (float(q) for q in np.quantile(v, [0.25, 0.75]))
    median = float(np.median(v))  # np.median, not quantile(0.5): they can differ in the last bit
    std = float(np.std(v, ddof=ddof)) if v.size > ddof else NAN
    return {"mean": float(np.mean(v)), "std": std, "median": median, "q1": q1, "q3": q3, "iqr": q3 - q1,
            "min": float(v.min()), "max": float(v.max())}


def _treatment(policy: EmptyPolicy, n_undefined: int, undefined: Sequence[int], unit_note: str = "",
               unit: str = "case") -> str:
    if n_undefined == 0:
        return f"no undefined {unit}s"
    shown = ", ".join(map(str, undefined[:10])) + (", ..." if len(undefined) > 10 else "")
    head = f"{n_undefined} undefined {unit}{'s' if n_undefined != 1 else ''} (NaN; index {shown})"
    if policy == "report":
        return (f"{head} propagated: the statistics are NaN. Choose empty='exclude' to leave them out "
                "or empty=<number> to count them with a worst-case value")
    if policy == "exclude":
        return f"{head} excluded from the statistics{unit_note}"
    return f"{head} filled with {policy:g}"


def _check_ddof(ddof: Any) -> int:
    if isinstance(ddof, (bool, np.bool_)) or not isinstance(ddof, numbers.Integral) or ddof < 0:
        raise ValueError(f"ddof must be a non-negative integer, got {ddof!r}")
    return int(ddof)


def _group_means(v: np.ndarray, inverse: np.ndarray, n_groups: int, policy: EmptyPolicy) -> np.ndarray:
    """Per-group mean; under 'exclude' NaN cases are left out (a group of only NaN stays NaN)."""
    defined = ~np.isnan(v)
    if policy == "exclude":
        sums = np.bincount(inverse[defined], weights=v[defined], minlength=n_groups)
        counts = np.bincount(inverse[defined], minlength=n_groups)
    else:  # 'report' (NaN propagates through the sum) or already filled
        sums = np.bincount(inverse, weights=v, minlength=n_groups)
        counts = np.bincount(inverse, minlength=n_groups)
    return np.asarray(_ratio(sums, counts, NAN), dtype=np.float64)


def aggregate(values: Any, *, empty: EmptyPolicy = "report", groups: Any = None, ddof: int = 1,
              name: str = "value") -> Aggregate:
    """Mean, spread, quartiles and range of a metric over cases, with the undefined-case policy.

    Parameters
    ----------
    values : array_like, 1-D
        One value per case; NaN marks an undefined case (e.g. Dice of two empty masks).
        Infinite values are rejected (replace them with a finite worst case first).
    empty : {"report", "exclude"} or float, default "report"
        ``"report"``: NaN propagates into every statistic (as with ``np.mean``) and the result lists
        the undefined cases, so that no policy is chosen silently. ``"exclude"``: statistics over
        the defined cases only. A number: undefined cases take that value (e.g. 0.0, the worst
        Dice). Whatever the choice, ``n_undefined`` and ``treatment`` report it.
    groups : array_like, optional
        One group id per case (e.g. patient id for slices). Each group's cases are averaged first
        (after the ``empty`` treatment; under ``"exclude"`` a group whose cases are all undefined is
        itself undefined and left out), then the statistics are taken over groups.
    ddof : int, default 1
        Delta degrees of freedom of ``std`` (1: sample standard deviation).
    name : str, default "value"
        Metric name shown in the repr and tables.

    Returns
    -------
    Aggregate
        ``.mean .std .median .q1 .q3 .iqr .min .max .n .n_undefined .treatment``, ``.to_markdown()``.

    Examples
    --------
    >>> a = aggregate([0.9, 0.8, float("nan"), 0.7], empty="exclude", name="Dice")
    >>> round(a.mean, 6), a.n, a.n_undefined
    (0.8, 3, 1)
    >>> a.treatment
    '1 undefined case (NaN; index 2) excluded from the statistics'
    >>> round(aggregate([0.9, 0.8, float("nan"), 0.7], empty=0.0).mean, 6)   # (0.9+0.8+0+0.7)/4
    0.6
    >>> aggregate([0.9, float("nan")]).mean                                    # 'report': NaN, listed
    nan

    Slices of two patients: per-slice mean vs per-patient mean.

    >>> dice = [0.9, 0.9, 0.9, 0.9, 0.1]            # patient A: 4 slices, patient B: 1 slice
    >>> round(aggregate(dice).mean, 6), aggregate(dice, groups=["A"] * 4 + ["B"]).mean
    (0.74, 0.5)
    """
    v = _as_values(values)
    policy = _check_policy(empty)
    ddof = _check_ddof(ddof)
    undefined_mask = np.isnan(v)
    undefined = tuple(int(i) for i in np.flatnonzero(undefined_mask))
    n_cases = int(v.size)
    if isinstance(policy, float):
        v = np.where(undefined_mask, policy, v)

    level, group_ids, n_groups_undefined, unit_note = "case", None, 0, ""
    if groups is not None:
        ids, inverse = _as_groups(groups, n_cases)
        v = _group_means(v, inverse, ids.size, policy)
        level, group_ids = "group", tuple(i.item() if hasattr(i, "item") else i for i in ids)
        if policy == "exclude":
            n_groups_undefined = int(np.isnan(v).sum())
            if n_groups_undefined:
                unit_note = f"; {n_groups_undefined} group(s) with no defined case left out"
    if policy == "exclude":
        keep = ~np.isnan(v)
        v = v[keep]
        if group_ids is not None:
            group_ids = tuple(g for g, k in zip(group_ids, keep) if k)
    stats = _summarise(v, ddof)
    return Aggregate(**stats, n=int(v.size), n_cases=n_cases, n_undefined=len(undefined), undefined=undefined,
                     policy=policy, treatment=_treatment(policy, len(undefined), undefined, unit_note), level=level,
                     values=_readonly(v), group_ids=group_ids, n_groups_undefined=n_groups_undefined, ddof=ddof,
                     name=name)


@dataclass(frozen=True, eq=False)
class CountsAggregate:
    """Per-case (macro), per-group and pooled (micro) values of one metric; see :func:`aggregate_counts`.

    Attributes
    ----------
    metric : str
        The metric name.
    per_case : Aggregate
        Statistics of the metric computed on each case.
    per_group : Aggregate or None
        Statistics over groups, each group's value computed from its summed counts (e.g. the 3-D
        Dice of a patient from the counts of its slices); ``None`` without ``groups``. Its
        ``n_undefined`` and ``undefined`` count groups (a group is undefined only when the metric
        of its summed counts is 0/0, e.g. a patient with no foreground at all).
    pooled : float
        The metric of all counts summed (micro average: every voxel of every case weighs the same).
    case_counts, pooled_counts : ConfusionCounts
        The per-case counts and their exact sum.
    group_counts : ConfusionCounts or None
        Per-group summed counts, in the order of ``per_group.group_ids`` before exclusion.
    group_ids : tuple or None
        Sorted group ids of ``group_counts``.
    """

    metric: str
    per_case: Aggregate
    per_group: Aggregate | None
    pooled: float
    case_counts: ConfusionCounts
    pooled_counts: ConfusionCounts
    group_counts: ConfusionCounts | None
    group_ids: tuple[Any, ...] | None

    def __repr__(self) -> str:
        lines = [f"CountsAggregate({self.metric})",
                 f"  per case  : {self.per_case.describe()}; {self.per_case.treatment}"]
        if self.per_group is not None:
            lines.append(f"  per group : {self.per_group.describe()}; {self.per_group.treatment}")
        lines.append(f"  pooled    : {_stat(self.pooled)} (micro: {self.metric} of the summed counts of all "
                     f"{self.per_case.n_cases} cases)")
        return "\n".join(lines)

    def to_markdown(self) -> str:
        """A Markdown table comparing the per-case, per-group and pooled values."""
        def row(label: str, a: Aggregate) -> str:
            return (f"| {label} | {a.n} | {_stat(a.mean)} | {_stat(a.std)} | {_stat(a.median)} | "
                    f"{_stat(a.q1)}–{_stat(a.q3)} | {a.n_undefined} |")
        lines = [f"| {self.metric} | n | mean | std | median | IQR | undefined |", "|---|---:|---:|---:|---:|---:|---:|",
                 row("per case (macro)", self.per_case)]
        if self.per_group is not None:
            lines.append(row("per group", self.per_group))
        lines.append(f"| pooled (micro) | {self.per_case.n_cases} | {_stat(self.pooled)} | | | | |")
        notes = [f"per case: {self.per_case.treatment}"]
        if self.per_group is not None:
            notes.append(f"per group: {self.per_group.treatment}")
        return "\n".join(lines) + "\n\n" + "  \n".join(f"*{n}*" for n in notes)

    def _repr_markdown_(self) -> str:
        return self.to_markdown()


def _as_case_counts(counts: Any) -> ConfusionCounts:
    if isinstance(counts, ConfusionCounts):
        if np.ndim(counts.tp) != 1:
            raise ValueError("counts must hold one count per case (1-D arrays, e.g. from "
                             "confusion_counts(pred, ref, per_case=True)), got single-case counts")
        return counts
    if isinstance(counts, (str, bytes)) or not hasattr(counts, "__iter__"):
        raise TypeError(f"counts must be a per-case ConfusionCounts or a sequence of ConfusionCounts, "
                        f"got {type(counts).__name__}")
    items = list(counts)
    if not items:
        raise ValueError("counts must not be empty: aggregate needs at least one case")
    bad = [type(c).__name__ for c in items if not isinstance(c, ConfusionCounts) or np.ndim(c.tp) != 0]
    if bad:
        raise TypeError(f"counts must be single-case ConfusionCounts, got {bad[0]} (or per-case counts) in the sequence")
    fields = ("tp", "fp", "fn", "tn")
    return ConfusionCounts(*(np.array([getattr(c, f) for c in items], dtype=np.int64) for f in fields))


def aggregate_counts(counts: Any, metric: str = "dice", *, empty: EmptyPolicy = "report", groups: Any = None,
                     beta: float | None = None, ddof: int = 1) -> CountsAggregate:
    """A metric over many cases three ways: per case (macro), per group, and pooled (micro).

    Parameters
    ----------
    counts : ConfusionCounts or sequence of ConfusionCounts
        Per-case counts: ``confusion_counts(pred, ref, per_case=True)`` or a list of single-case
        counts.
    metric : str, default "dice"
        A :class:`~seglearn.metrics.ConfusionCounts` metric name (see :func:`metric_from_counts`).
    empty : {"report", "exclude"} or float, default "report"
        Treatment of undefined (0/0) per-case and per-group values, as in :func:`aggregate`. A
        number is also returned for the pooled value in the rare case that it is 0/0 (every case
        empty); otherwise that is NaN.
    groups : array_like, optional
        One group id per case (e.g. patient id of each slice). A group's value is the metric of
        its **summed counts**, i.e. of the whole volume, not the mean of its slices.
    beta : float, optional
        For ``metric="f_beta"``.
    ddof : int, default 1
        For the standard deviations.

    Returns
    -------
    CountsAggregate
        ``.per_case`` and ``.per_group`` (:class:`Aggregate`), ``.pooled`` (float).

    Examples
    --------
    A large case with Dice 0.9 and a small one with Dice 0.0:

    >>> big = ConfusionCounts(tp=90, fp=10, fn=10, tn=890)      # 180 / 200 = 0.9
    >>> small = ConfusionCounts(tp=0, fp=2, fn=2, tn=996)       # 0 / 4 = 0
    >>> agg = aggregate_counts([big, small])
    >>> round(agg.per_case.mean, 6), round(agg.pooled, 6)       # (0.9 + 0) / 2;  180 / 204
    (0.45, 0.882353)
    """
    c = _as_case_counts(counts)
    policy = _check_policy(empty)
    ddof = _check_ddof(ddof)
    per_case_values = np.asarray(metric_from_counts(c, metric, beta=beta, empty=NAN), dtype=np.float64).reshape(-1)
    per_case = aggregate(per_case_values, empty=policy, ddof=ddof, name=metric)
    pooled_counts = c.sum()
    pooled_empty = policy if isinstance(policy, float) else NAN
    pooled = float(metric_from_counts(pooled_counts, metric, beta=beta, empty=pooled_empty))

    per_group = group_counts = group_ids = None
    if groups is not None:
        ids, inverse = _as_groups(groups, len(c))
        sums = []
        for f in ("tp", "fp", "fn", "tn"):
            s = np.zeros(ids.size, dtype=np.int64)
            np.add.at(s, inverse, np.asarray(getattr(c, f), dtype=np.int64))  # exact integer sums
            sums.append(s)
        group_counts = ConfusionCounts(*sums)
        group_values = np.asarray(metric_from_counts(group_counts, metric, beta=beta, empty=NAN),
                                  dtype=np.float64).reshape(-1)
        group_ids = tuple(i.item() if hasattr(i, "item") else i for i in ids)
        # Statistics over groups; "undefined" now counts groups (all of whose voxels were empty).
        per_group = aggregate(group_values, empty=policy, ddof=ddof, name=metric)
        kept = group_ids if policy != "exclude" else tuple(
            g for g, v in zip(group_ids, group_values) if not math.isnan(v))
        per_group = replace(per_group, level="group", group_ids=kept, n_cases=len(c),
                            n_groups_undefined=per_group.n_undefined,
                            treatment=_treatment(policy, per_group.n_undefined, per_group.undefined, unit="group"))
    return CountsAggregate(metric=metric, per_case=per_case, per_group=per_group, pooled=pooled,
                           case_counts=c, pooled_counts=pooled_counts, group_counts=group_counts,
                           group_ids=group_ids)
