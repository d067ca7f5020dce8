"""Exercises for lesson 05 (Beyond overlap: boundaries, lesions and empty masks).

q1 a Hausdorff distance in millimetres (value; the spacing trap), q2 write HD95 from the two
directed distance sets (function), q3 which metrics a stray speck explodes (choice), q4 how many
lesions a high-Dice prediction misses (value), q5 what to report for an empty case (choice),
q6 paint a high-Dice prediction with a huge Hausdorff distance (drawing). Every expected value
comes from :mod:`seglearn.metrics`.
"""
from __future__ import annotations

import numpy as np

from .. import metrics as sm
from .questions import Case, ChoiceQuestion, Criterion, DrawingQuestion, FunctionQuestion, ValueQuestion, at_least

TITLE = "Beyond overlap"
SPACING_CASE = "phantom_ventricles"     # 0.5 mm pixels
LESION_CASE = "retina_exudates"         # five exudates, large to tiny
DRAWING_CASE = "brain_tumour"
MIN_HD_MM = 30.0
MIN_DICE = 0.9


def _case(name: str):
    from ..data import load_case

    return load_case(name)


def _hd_shifted(spacing=True) -> float:
    case = _case(SPACING_CASE)
    return sm.hausdorff_distance(case.predictions["shifted"], case.reference,
                              spacing=case.spacing if spacing else None)


def _missed_lesions() -> int:
    case = _case(LESION_CASE)
    return int(sm.lesion_detection(case.predictions["missed_small"], case.reference).fn)


def hd95_cases() -> list[Case]:
    """Mask pairs for q2: typical, perfect, one stray pixel, anisotropic spacing, one or both empty."""
    ref = np.zeros((30, 30), bool)
    ref[5:20, 5:20] = True
    shifted = np.roll(ref, 2, axis=1)
    speck = ref.copy()
    speck[27, 27] = True
    grown = np.zeros_like(ref)
    grown[4:22, 5:21] = True
    empty = np.zeros_like(ref)
    vol_ref = np.zeros((6, 12, 12), bool)
    vol_ref[1:5, 3:9, 3:9] = True
    vol_pred = np.roll(vol_ref, 1, axis=0)
    return [
        Case("a shifted square", (shifted, ref)),
        Case("perfect match", (ref.copy(), ref.copy())),
        Case("one stray pixel far away", (speck, ref),
             hint="one stray pixel is less than 5 % of the ~57 prediction surface pixels: the percentile "
                  "ignores it (HD would not)"),
        Case("an over-segmentation", (grown, ref)),
        Case("anisotropic pixels (3 mm x 0.5 mm)", (shifted, ref), {"spacing": (3.0, 0.5)},
             hint="pass spacing on to sm.surface_distances"),
        Case("3-D volume with 4 mm slices", (vol_pred, vol_ref), {"spacing": (4.0, 1.0, 1.0)}),
        Case("empty prediction", (empty, ref), hint="one surface is empty: return float('nan')"),
        Case("both masks empty", (empty, empty.copy()), hint="no surfaces at all: return float('nan')"),
    ]


def _reference_hd95(pred, ref, spacing=None):
    return sm.hausdorff_distance(pred, ref, percentile=95, spacing=spacing)


class BoundaryDrawingQuestion(DrawingQuestion):
    """A drawing question whose criteria also see the Hausdorff distance ("hd", "hd95", in mm)."""

    def __init__(self, *args, spacing=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.spacing = spacing

    def metrics_of(self, mask: np.ndarray) -> dict[str, float]:
        values = super().metrics_of(mask)
        sd = sm.surface_distances(mask, self.reference, spacing=self.spacing)
        values.update(hd=sd.hd, hd95=sd.hd95)
        return values


def _speck_example() -> np.ndarray:
    case = _case(DRAWING_CASE)
    return case.predictions["stray_speck"]


QUESTIONS = [
    ValueQuestion(
        "The phantom's pixels are 0.5 mm wide. What is the Hausdorff distance of its 'shifted' prediction, "
        "in millimetres?",
        answer=lambda: _hd_shifted(spacing=True),
        tolerance=0.01,
        mistakes=[(lambda: _hd_shifted(spacing=False),
                   "That is the distance in pixels: without spacing= seglearn counts pixels. Pass "
                   "spacing=case.spacing to get millimetres.")],
        hints=["sm.hausdorff_distance(pred, ref, spacing=...) - prediction first.",
               "The case knows its pixel size: case.spacing (NumPy axis order, in mm)."],
        solution=("phantom = load_case('phantom_ventricles')\n"
                  "hd_mm = sm.hausdorff_distance(phantom.predictions['shifted'], phantom.reference,\n"
                  "                              spacing=phantom.spacing)\n"
                  "ex.q1.check(hd_mm)"),
        explanation="Distances need the voxel size. Without it you report pixels, which mean nothing across scanners.",
    ),
    FunctionQuestion(
        "Write `my_hd95(pred, ref, spacing=None)`: the larger of the two directed 95th percentiles of the "
        "surface distances (use `sm.surface_distances` for the distances); NaN when a mask is empty.",
        reference=_reference_hd95,
        cases=hd95_cases,
        tolerance=1e-9,
        hints=["sd = sm.surface_distances(pred, ref, spacing=spacing) gives sd.pred_to_ref and sd.ref_to_pred.",
               "np.percentile(sd.pred_to_ref, 95) and the same for sd.ref_to_pred; return the larger one. "
               "When either array is empty (a mask without foreground), return float('nan') first."],
        solution=("def my_hd95(pred, ref, spacing=None):\n"
                  "    sd = sm.surface_distances(pred, ref, spacing=spacing)\n"
                  "    if sd.pred_to_ref.size == 0 or sd.ref_to_pred.size == 0:\n"
                  "        return float('nan')             # a mask without surface: undefined\n"
                  "    return float(max(np.percentile(sd.pred_to_ref, 95),\n"
                  "                     np.percentile(sd.ref_to_pred, 95)))\n\n"
                  "ex.q2.check(my_hd95)"),
        explanation="This is MONAI's and Metrics Reloaded's HD95. MedPy pools both directions before taking the "
                    "percentile, which can give a very different number.",
    ),
    ChoiceQuestion(
        "A prediction of a large organ is perfect except for one stray 2-pixel speck 60 mm away. Which "
        "metrics change a lot?",
        options={"a": "Dice and IoU",
                 "b": "the Hausdorff distance (HD)",
                 "c": "HD95 and NSD",
                 "d": "none: two pixels cannot matter"},
        answer="b",
        explanations={
            "a": "Two false-positive pixels out of thousands barely move Dice or IoU: overlap counts pixels, "
                 "not where they are.",
            "c": "On a large organ the speck is far less than 5 % of the surface, so HD95 ignores it; NSD loses "
                 "only those few surface pixels.",
            "d": "HD is the single worst distance: one speck sets it.",
        },
        hints=["Which metric is the *maximum* of the surface distances?",
               "Percentiles and averages dilute a few bad points; the maximum does not."],
        explanation="HD is the worst surface distance, so one speck sets it. HD95 resists outliers that are less "
                    "than 5 % of the surface - on a small structure even a speck can exceed that.",
    ),
    ValueQuestion(
        "In the retina case, the 'missed_small' prediction still has a Dice above 0.8. How many of the "
        "reference lesions does it miss?",
        answer=_missed_lesions,
        mistakes=[(0, "Dice is high, but look at the lesions one by one: sm.lesion_detection(pred, ref).fn.")],
        hints=["sm.lesion_detection(pred, ref) matches connected components; .fn counts the missed lesions.",
               "retina = load_case('retina_exudates'); "
               "sm.lesion_detection(retina.predictions['missed_small'], retina.reference).fn"],
        solution=("retina = load_case('retina_exudates')\n"
                  "detection = sm.lesion_detection(retina.predictions['missed_small'], retina.reference)\n"
                  "ex.q4.check(detection.fn)"),
        explanation="Voxel Dice is dominated by the largest lesion; each missed small lesion is a missed finding.",
    ),
    ChoiceQuestion(
        "A healthy patient: the reference is empty and the model predicts nothing. What should your "
        "evaluation report for this case?",
        options={"a": "Dice = 1, because the model is right",
                 "b": "Dice = 0, because nothing overlaps",
                 "c": "Dice is undefined (0/0): report the case as correct-negative and count it, not a number "
                      "averaged in silently",
                 "d": "drop the case: it has no lesion"},
        answer="c",
        explanations={
            "a": "A convention some libraries use; averaged in, it rewards a model for predicting nothing and "
                 "lifts the mean as the share of healthy cases grows.",
            "b": "A convention some libraries use; it punishes a correct empty prediction.",
            "d": "Dropping it hides exactly the cases where a model may raise false alarms; report how many there were.",
        },
        hints=["Write Dice as a fraction of counts. What are TP, FP and FN here?",
               "2·0 / (2·0 + 0 + 0) = 0/0. seglearn returns NaN; what do you do with NaN in a mean?"],
        explanation="0/0 has no value. Keep it visible (NaN), report the number of such cases and judge them with "
                    "a case-level measure (false-alarm rate) instead.",
    ),
    BoundaryDrawingQuestion(
        f"Paint a prediction of the brain tumour with Dice ≥ {MIN_DICE} but a Hausdorff distance of at least "
        f"{MIN_HD_MM:g} mm.",
        reference=lambda: _case(DRAWING_CASE).reference,
        spacing=(1.0, 1.0),
        criteria=[at_least("dice", MIN_DICE), Criterion(f"HD ≥ {MIN_HD_MM:g} mm", lambda m: m["hd"] >= MIN_HD_MM, "hd")],
        example=_speck_example,
        hints=["Start from the good outline the painter shows; what single small change moves the worst "
               "distance a lot but Dice hardly at all?",
               "Paint one small dab far away from every lesion (e.g. near the edge of the brain)."],
        solution=("speck = np.zeros_like(tumour.reference)\n"
                  "speck[20:23, 20:23] = True                     # a 3 x 3 speck far from every lesion\n"
                  "panel.mask = tumour.predictions['good'] | speck\n"
                  "print(f\"Dice {sm.dice(panel.mask, tumour.reference):.3f}, \"\n"
                  "      f\"HD {sm.hausdorff_distance(panel.mask, tumour.reference, spacing=tumour.spacing):.1f} mm\")\n"
                  "ex.q6.check(panel)"),
        explanation="Nine false-positive pixels cost almost no Dice, but they set the Hausdorff distance.",
    ),
]
