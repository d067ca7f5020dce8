"""Benchmark: overlap and multi-class metrics against the read-both floor and naive NumPy.

Run ``python benchmarks/metrics.py`` (``--quick``: smaller volumes and fewer repeats, a few
seconds). For every workload it prints seglearn's time next to baselines measured in the same run,
as ratios:

* floor: reading both arrays once, ``np.count_nonzero(a); np.count_nonzero(b)`` - no correct
  implementation can avoid reading the inputs;
* naive: straightforward NumPy, ``tp = count_nonzero(a & b); fp = count_nonzero(a & ~b); ...``
  (full-size temporaries), and for label maps one such one-vs-rest pass per class.

Each repeat runs floor, seglearn and naive back to back, and the ratios are medians over repeats
of the per-repeat ratios, which keeps them meaningful when a shared machine gets slower or faster
during the run; "(CPU)" is the same ratio of process CPU times (not counting time spent waiting for
a core, which the wall clock includes on a busy machine; tiny 2-D times are below its resolution). Times printed are medians. Peak extra memory is traced with ``tracemalloc`` during
one seglearn call and shown relative to the size of the two inputs. Afterwards the surface-distance
benchmark (``benchmarks/surface.py``) runs too, so one command measures everything.

Targets (issue 2): all binary overlap metrics of one case from one pass <= 1.5x the floor at 256^3
and 512^3; per-class Dice of a 4-label 256^3 map <= 3x the floor; extra memory <= ~4x the inputs.
"""
from __future__ import annotations

import argparse
import datetime
import importlib.util
import os
import platform
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Any, Callable

import numpy as np

HERE = Path(__file__).resolve().parent
try:
    import seglearn.metrics as sm
except ImportError:  # run from a checkout without installing
    sys.path.insert(0, str(HERE.parent))
    import seglearn.metrics as sm


# ------------------------------------------------------------------------------------------
# workloads
# ------------------------------------------------------------------------------------------
def ellipsoid(shape: tuple[int, ...], centre: tuple[float, ...], radii: tuple[float, ...]) -> np.ndarray:
    """Boolean ellipse/ellipsoid, built slice by slice (little memory even at 512^3)."""
    out = np.zeros(shape, dtype=bool)
    if len(shape) == 2:
        y, x = np.ogrid[:shape[0], :shape[1]]
        out[:] = ((y - centre[0]) / radii[0]) ** 2 + ((x - centre[1]) / radii[1]) ** 2 <= 1
        return out
    y, x = np.ogrid[:shape[1], :shape[2]]
    inplane = ((y - centre[1]) / radii[1]) ** 2 + ((x - centre[2]) / radii[2]) ** 2
    for z in range(shape[0]):
        dz = ((z - centre[0]) / radii[0]) ** 2
        if dz <= 1:
            out[z] = inplane <= 1 - dz
    return out


def disk_pair(n: int = 512) -> tuple[np.ndarray, np.ndarray]:
    """2-D: a disk and a prediction of it shifted by a few pixels and slightly too large."""
    ref = ellipsoid((n, n), (n / 2, n / 2), (0.2 * n, 0.2 * n))
    pred = ellipsoid((n, n), (n / 2 + 3, n / 2 - 2), (0.21 * n, 0.205 * n))
    return pred, ref


def ellipsoid_pair(n: int) -> tuple[np.ndarray, np.ndarray]:
    """3-D: an ellipsoid (about 6% of the volume) and a shifted, reshaped prediction of it."""
    c = n / 2
    ref = ellipsoid((n, n, n), (c, c, c), (0.30 * n, 0.25 * n, 0.20 * n))
    pred = ellipsoid((n, n, n), (c + 0.02 * n, c, c - 0.02 * n), (0.28 * n, 0.27 * n, 0.20 * n))
    return pred, ref


def dense_pair(n: int) -> tuple[np.ndarray, np.ndarray]:
    """Worst case for the chunk shortcuts: independent random masks, half foreground everywhere."""
    rng = np.random.default_rng(0)
    return rng.random((n, n, n), dtype=np.float32) < 0.5, rng.random((n, n, n), dtype=np.float32) < 0.5


def label_map_pair(n: int) -> tuple[np.ndarray, np.ndarray]:
    """A 4-label uint8 map (0 background; 1 a large organ; 2 a structure inside it; 3 a separate
    structure) and a prediction with shifted and resized structures."""
    def labels(shift: float, grow: float) -> np.ndarray:
        m = np.zeros((n, n, n), dtype=np.uint8)
        m[ellipsoid((n, n, n), (0.5 * n + shift, 0.47 * n, 0.5 * n), (0.27 * n * grow, 0.23 * n, 0.21 * n))] = 1
        m[ellipsoid((n, n, n), (0.5 * n + shift, 0.49 * n, 0.53 * n), (0.12 * n, 0.11 * n * grow, 0.10 * n))] = 2
        m[ellipsoid((n, n, n), (0.5 * n, 0.74 * n + shift, 0.23 * n), (0.16 * n, 0.12 * n, 0.10 * n * grow))] = 3
        return m
    return labels(0.012 * n, 1.04), labels(0.0, 1.0)


# ------------------------------------------------------------------------------------------
# contenders
# ------------------------------------------------------------------------------------------
def floor(a: np.ndarray, b: np.ndarray) -> None:
    np.count_nonzero(a)
    np.count_nonzero(b)


def seglearn_overlap(a: np.ndarray, b: np.ndarray) -> dict[str, Any]:
    return sm.overlap_metrics(a, b)


def naive_overlap(a: np.ndarray, b: np.ndarray) -> dict[str, Any]:
    tp = int(np.count_nonzero(a & b))
    fp = int(np.count_nonzero(a & ~b))
    fn = int(np.count_nonzero(~a & b))
    tn = a.size - tp - fp - fn
    return sm.ConfusionCounts(tp, fp, fn, tn).metrics()


def seglearn_per_class_dice(a: np.ndarray, b: np.ndarray) -> dict[int, float]:
    return sm.per_class("dice", a, b)


def naive_per_class_dice(a: np.ndarray, b: np.ndarray) -> dict[int, float]:
    out = {}
    for k in (1, 2, 3):
        pk, rk = a == k, b == k
        tp = int(np.count_nonzero(pk & rk))
        out[k] = 2 * tp / (int(np.count_nonzero(pk)) + int(np.count_nonzero(rk)))
    return out


def seglearn_confusion_matrix(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return sm.confusion_matrix(a, b)


def naive_confusion_matrix(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """scikit-learn's approach: one bincount over ``ref * K + pred`` (full-size int64 index)."""
    return np.bincount(b.ravel().astype(np.int64) * 4 + a.ravel(), minlength=16).reshape(4, 4)


# ------------------------------------------------------------------------------------------
def _time(fn: Callable[..., Any], a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """(wall-clock, CPU) seconds of one call. On a shared machine the wall clock also counts time
    spent waiting for a core; the process CPU time does not."""
    w0, c0 = time.perf_counter(), time.process_time()
    fn(a, b)
    return time.perf_counter() - w0, time.process_time() - c0


def measure(ours: Callable, naive: Callable, a: np.ndarray, b: np.ndarray, repeats: int) -> dict[str, float]:
    """Interleaved repeats; medians of the times and of the per-repeat ratios (wall and CPU)."""
    ours(a, b)  # warm up (imports, first-touch of buffers)
    rows = []
    for _ in range(repeats):
        rows.append([*_time(floor, a, b), *_time(ours, a, b), *_time(naive, a, b)])
    t = np.array(rows)  # columns: floor wall/cpu, ours wall/cpu, naive wall/cpu
    with np.errstate(divide="ignore", invalid="ignore"):
        cpu_ratio = float(np.nanmedian(t[:, 3] / t[:, 1])) if np.all(t[:, 1] > 0) else float("nan")
    return {"floor": float(np.median(t[:, 0])), "seglearn": float(np.median(t[:, 2])),
            "naive": float(np.median(t[:, 4])), "x_floor": float(np.median(t[:, 2] / t[:, 0])),
            "x_floor_cpu": cpu_ratio, "naive_x_floor": float(np.median(t[:, 4] / t[:, 0]))}


def peak_memory(fn: Callable, a: np.ndarray, b: np.ndarray) -> float:
    """Peak memory traced during ``fn(a, b)``, relative to the size of both inputs."""
    tracemalloc.start()
    tracemalloc.reset_peak()
    fn(a, b)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / (a.nbytes + b.nbytes)


def run(quick: bool = False) -> list[dict[str, Any]]:
    """Measure every workload; return one row per workload (times in seconds)."""
    n3 = 128 if quick else 256
    big = 256 if quick else 512
    reps = 5 if quick else 15
    rows = []

    def add(name: str, ours: Callable, naive: Callable, pair: tuple[np.ndarray, np.ndarray], repeats: int,
            check: Callable[[Any, Any], bool], memory: bool = False) -> None:
        a, b = pair
        row = {"workload": name, **measure(ours, naive, a, b, repeats)}
        row["agree"] = check(ours(a, b), naive(a, b))
        row["memory"] = peak_memory(ours, a, b) if memory else None
        rows.append(row)

    def same_metrics(x: dict, y: dict) -> bool:
        return all(np.isclose(x[k], y[k], equal_nan=True) for k in y)

    add("2D 512x512 disks: all overlap metrics", seglearn_overlap, naive_overlap, disk_pair(512), 200 if not quick else 50,
        same_metrics)
    pair = ellipsoid_pair(n3)
    add(f"3D {n3}^3 ellipsoids: all overlap metrics", seglearn_overlap, naive_overlap, pair, reps, same_metrics,
        memory=True)
    del pair
    pair = dense_pair(n3)
    add(f"3D {n3}^3 random 50% masks (worst case)", seglearn_overlap, naive_overlap, pair, max(3, reps // 2),
        same_metrics)
    del pair
    pair = ellipsoid_pair(big)
    add(f"3D {big}^3 ellipsoids: all overlap metrics", seglearn_overlap, naive_overlap, pair, max(3, reps // 3),
        same_metrics)
    del pair
    pair = label_map_pair(n3)
    add(f"3D {n3}^3 4-label map: per-class Dice", seglearn_per_class_dice, naive_per_class_dice, pair, reps,
        lambda x, y: all(np.isclose(x[k], y[k]) for k in y), memory=True)
    add(f"3D {n3}^3 4-label map: confusion matrix", seglearn_confusion_matrix, naive_confusion_matrix, pair,
        max(3, reps // 2), lambda x, y: np.array_equal(x, y))
    return rows


def _ms(t: float) -> str:
    return f"{t * 1e3:9.2f} ms"


def main(argv: list[str] | None = None) -> list[dict[str, Any]]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller volumes (128^3, 256^3), fewer repeats")
    parser.add_argument("--no-surface", action="store_true", help="skip benchmarks/surface.py")
    args = parser.parse_args(argv)
    print(f"seglearn metrics benchmark - {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC, "
          f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
          f"NumPy {np.__version__}")
    print("Overlap / multi-class (median of interleaved repeats; ratios are medians of per-repeat ratios)")
    print(f"{'workload':46s} {'seglearn':>12s} {'floor':>12s} {'naive':>12s} {'x floor':>8s} {'(CPU)':>6s} "
          f"{'naive x floor':>14s} {'peak mem/inputs':>16s}  agree")
    rows = run(quick=args.quick)
    for r in rows:
        mem = f"{r['memory']:16.2f}" if r["memory"] is not None else f"{'':16s}"
        print(f"{r['workload']:46s} {_ms(r['seglearn'])} {_ms(r['floor'])} {_ms(r['naive'])} "
              f"{r['x_floor']:8.2f} {r['x_floor_cpu']:6.2f} {r['naive_x_floor']:14.2f} {mem}  "
              f"{'yes' if r['agree'] else 'NO'}")
    surface = HERE / "surface.py"
    if surface.exists() and not args.no_surface:
        print()
        spec = importlib.util.spec_from_file_location("seglearn_benchmark_surface", surface)
        module = importlib.util.module_from_spec(spec)
        assert spec.loader is not None
        spec.loader.exec_module(module)
        entry = getattr(module, "main", None) or getattr(module, "run")
        try:
            entry(quick=args.quick)
        except TypeError:
            entry()
    return rows


if __name__ == "__main__":
    main()
