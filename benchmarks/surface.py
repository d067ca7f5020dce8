"""Benchmark: HD, HD95, ASSD and NSD of one case from one ``surface_distances`` call.

Run ``python benchmarks/surface.py`` (``--quick`` for smaller volumes, a few seconds). For each
workload it prints seglearn's time next to two baselines measured in the same run:

* floor: reading both masks once (``np.count_nonzero(pred); np.count_nonzero(ref)``);
* naive: a MedPy-style implementation - surfaces by full-array ``binary_erosion``, a full-array
  Euclidean distance transform per direction, no cropping, recomputed for each of the four metrics
  (as four separate library calls do).

Times are the best wall-clock time of several repeats (the naive baseline runs once on 3-D
volumes); seglearn's best CPU (process) time is shown too, since on a shared machine the wall
clock also counts time spent waiting for a core. The peak of
memory traced by ``tracemalloc`` during the seglearn call is printed relative to the input size.
Targets (issue 2): <= 0.3 s on 256^3, <= 5 ms on 512 x 512, extra peak memory <= ~4x the inputs.
"""
from __future__ import annotations

import argparse
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Any, Callable

import numpy as np
from scipy import ndimage

try:
    from seglearn.metrics.surface import surface_distances
except ImportError:  # run from a checkout without installing
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from seglearn.metrics.surface import surface_distances

TOLERANCE = 1.0


# ------------------------------------------------------------------------------------------
# workloads
# ------------------------------------------------------------------------------------------
def _perturbed_ellipsoid(shape: tuple[int, ...], centre: tuple[float, ...], radii: tuple[float, ...],
                         waves: list[tuple[int, float]]) -> np.ndarray:
    """An ellipsoid (ellipse in 2-D) whose radius is modulated by smooth random waves.

    ``waves``: (seed, relative amplitude) pairs; each seed draws four products of sines with
    random frequencies (2-6 per unit radius) and phases.
    """
    grids = np.ogrid[tuple(slice(0, n) for n in shape)]
    u = [((g - c) / r).astype(np.float32) for g, c, r in zip(grids, centre, radii)]
    radius = np.sqrt(sum(x * x for x in u))
    wobble = np.zeros((), np.float32)
    for seed, amplitude in waves:
        rng = np.random.default_rng(seed)
        for _ in range(4):
            k = rng.uniform(2.0, 6.0, len(shape))
            phase = rng.uniform(0.0, 2 * np.pi, len(shape))
            term = np.full((), amplitude / 4, np.float32)
            for x, ki, pi in zip(u, k, phase):
                term = term * np.sin(ki * x + pi).astype(np.float32)
            wobble = wobble + term
    return radius <= 1.0 + wobble


def ellipsoid_pair(n: int) -> tuple[np.ndarray, np.ndarray]:
    """A reference ellipsoid with a wavy boundary, and a prediction of it: shifted by about one
    voxel, with an extra boundary error of a few voxels and a false-positive blob far away
    (about 1.6 M foreground voxels each at n = 256)."""
    shape = (n, n, n)
    c = n / 2
    radii = (0.3125 * n, 0.28125 * n, 0.2578 * n)  # (80, 72, 66) at n = 256
    ref = _perturbed_ellipsoid(shape, (c, c, c), radii, [(1, 0.08)])
    pred = _perturbed_ellipsoid(shape, (c + 1, c - 1, c + 1), radii, [(1, 0.08), (2, 0.04)])
    pred |= _perturbed_ellipsoid(shape, (0.12 * n, 0.16 * n, 0.78 * n), (0.03 * n,) * 3, [])
    return pred, ref


def disk_pair(n: int = 512) -> tuple[np.ndarray, np.ndarray]:
    """2-D: a wavy disk and a prediction of it (shifted, extra boundary error, a false-positive speck)."""
    c = n / 2
    radii = (0.2 * n, 0.22 * n)
    ref = _perturbed_ellipsoid((n, n), (c, c), radii, [(3, 0.08)])
    pred = _perturbed_ellipsoid((n, n), (c + 2, c - 1), radii, [(3, 0.08), (4, 0.04)])
    pred[int(0.1 * n):int(0.1 * n) + 3, int(0.85 * n):int(0.85 * n) + 3] = True
    return pred, ref


# ------------------------------------------------------------------------------------------
# the three contenders
# ------------------------------------------------------------------------------------------
def seglearn_four(pred: np.ndarray, ref: np.ndarray, spacing: tuple[float, ...]) -> dict[str, float]:
    sd = surface_distances(pred, ref, spacing=spacing)
    return {"hd": sd.hd, "hd95": sd.hd95, "assd": sd.assd, "nsd": sd.nsd(TOLERANCE)}


def floor(pred: np.ndarray, ref: np.ndarray, spacing: tuple[float, ...]) -> None:
    np.count_nonzero(pred)
    np.count_nonzero(ref)


def _naive_directed(pred: np.ndarray, ref: np.ndarray, spacing: tuple[float, ...]) -> tuple[np.ndarray, np.ndarray]:
    """MedPy's ``__surface_distances`` pattern, both directions: no crop, full-size EDTs."""
    border_p = pred ^ ndimage.binary_erosion(pred, border_value=0)
    border_r = ref ^ ndimage.binary_erosion(ref, border_value=0)
    d_pr = ndimage.distance_transform_edt(~border_r, sampling=spacing)[border_p]
    d_rp = ndimage.distance_transform_edt(~border_p, sampling=spacing)[border_r]
    return d_pr, d_rp


def naive_four(pred: np.ndarray, ref: np.ndarray, spacing: tuple[float, ...]) -> dict[str, float]:
    """Four metric calls, each recomputing borders and distance transforms (same definitions)."""
    a, b = _naive_directed(pred, ref, spacing)
    hd = max(a.max(), b.max())
    a, b = _naive_directed(pred, ref, spacing)
    hd95 = max(np.percentile(a, 95), np.percentile(b, 95))
    a, b = _naive_directed(pred, ref, spacing)
    assd = np.concatenate([a, b]).mean()
    a, b = _naive_directed(pred, ref, spacing)
    nsd = (np.count_nonzero(a <= TOLERANCE) + np.count_nonzero(b <= TOLERANCE)) / (a.size + b.size)
    return {"hd": float(hd), "hd95": float(hd95), "assd": float(assd), "nsd": float(nsd)}


def _best_time(fn: Callable[..., Any], args: tuple, repeats: int) -> tuple[float, float, Any]:
    """Best wall-clock and best CPU (process) time over ``repeats`` runs, and the last result.

    On a shared machine the wall clock includes waiting for a core; the process time does not.
    """
    best_wall = best_cpu = float("inf")
    out = None
    for _ in range(repeats):
        w0, c0 = time.perf_counter(), time.process_time()
        out = fn(*args)
        best_cpu = min(best_cpu, time.process_time() - c0)
        best_wall = min(best_wall, time.perf_counter() - w0)
    return best_wall, best_cpu, out


def _peak_extra_memory(pred: np.ndarray, ref: np.ndarray, spacing: tuple[float, ...]) -> float:
    tracemalloc.start()
    tracemalloc.reset_peak()
    seglearn_four(pred, ref, spacing)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / (pred.nbytes + ref.nbytes)


# ------------------------------------------------------------------------------------------
def run(quick: bool = False) -> list[dict[str, Any]]:
    """Measure every workload; return one dict per workload (times in seconds)."""
    n3 = 128 if quick else 256
    pair3 = ellipsoid_pair(n3)
    pair2 = disk_pair(512)
    workloads = [
        ("2D 512x512 disks", pair2, (1.0, 1.0), 50 if quick else 200, 3),
        (f"3D {n3}^3 ellipsoids (1,1,1)", pair3, (1.0, 1.0, 1.0), 3 if quick else 5, 1),
        (f"3D {n3}^3 ellipsoids (0.7,0.7,2.5)", pair3, (0.7, 0.7, 2.5), 3 if quick else 5, 1),
    ]
    results = []
    for name, (pred, ref), spacing, repeats, naive_repeats in workloads:
        t_seg, cpu_seg, values = _best_time(seglearn_four, (pred, ref, spacing), repeats)
        t_floor, _, _ = _best_time(floor, (pred, ref, spacing), max(repeats, 5))
        t_naive, _, naive_values = _best_time(naive_four, (pred, ref, spacing), naive_repeats)
        agree = all(np.isclose(values[k], naive_values[k], rtol=1e-9) for k in values)
        results.append({
            "workload": name, "seglearn": t_seg, "seglearn_cpu": cpu_seg, "floor": t_floor, "naive": t_naive,
            "memory": _peak_extra_memory(pred, ref, spacing), "agree": agree,
            "foreground": (int(np.count_nonzero(pred)), int(np.count_nonzero(ref))), **values,
        })
    return results


def _format_time(t: float) -> str:
    return f"{t * 1e3:8.1f} ms" if t < 1 else f"{t:8.2f} s "


def main(argv: list[str] | None = None, *, quick: bool | None = None) -> list[dict[str, Any]]:
    """Run the surface-distance benchmark and print one line per workload.

    ``quick`` overrides the command line; otherwise ``--quick`` is read from ``argv`` (default
    ``sys.argv``), ignoring options meant for a calling script such as ``benchmarks/metrics.py``.
    Returns the measured rows (times in seconds).
    """
    if quick is None:
        parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
        parser.add_argument("--quick", action="store_true", help="128^3 instead of 256^3, fewer repeats")
        quick = parser.parse_known_args(argv)[0].quick
    results = run(quick=quick)
    print("Surface distances: HD + HD95 + ASSD + NSD(1.0) of one case "
          "(seglearn: one surface_distances call; naive: MedPy-style, four calls)")
    print(f"{'workload':36s} {'seglearn':>11s} {'(CPU)':>11s} {'floor':>11s} {'naive':>11s} "
          f"{'x floor':>8s} {'naive/seglearn':>15s} {'peak mem/inputs':>16s}  values agree")
    for r in results:
        print(f"{r['workload']:36s} {_format_time(r['seglearn'])} {_format_time(r['seglearn_cpu'])} "
              f"{_format_time(r['floor'])} "
              f"{_format_time(r['naive'])} {r['seglearn'] / r['floor']:8.1f} "
              f"{r['naive'] / r['seglearn']:15.1f} {r['memory']:16.2f}  {'yes' if r['agree'] else 'NO'}")
    for r in results:
        print(f"  {r['workload']}: foreground {r['foreground']}, HD {r['hd']:.3f}, HD95 {r['hd95']:.3f}, "
              f"ASSD {r['assd']:.4f}, NSD@{TOLERANCE:g} {r['nsd']:.4f}")
    return results


if __name__ == "__main__":
    main()
