"""Exercises for lesson 02 (Dice and IoU).

q1 implement Dice and q2 IoU (functions, edge cases from :func:`mask_cases`), q3 convert Dice to
IoU (value), q4 do averages keep the ranking (choice), q5 which of two predictions scores higher
(value), q6 paint towards a target Dice (drawing). Expected values come from :mod:`seglearn.metrics`.
"""
from __future__ import annotations

import numpy as np

from .. import metrics as sm
from .cases import mask_cases
from .questions import ChoiceQuestion, DrawingQuestion, FunctionQuestion, ValueQuestion, at_least, at_most

TITLE = "Dice and IoU"
CASE = "brain_tumour"
DICE_TO_CONVERT = 0.8


def disc(radius: int, canvas: int = 128) -> np.ndarray:
    """A centred disc mask of ``radius`` pixels (as drawn in the notebook)."""
    from skimage.draw import disk

    mask = np.zeros((canvas, canvas), bool)
    mask[disk((canvas // 2, canvas // 2), radius)] = True
    return mask


def _shifted_dice(radius: int, shift: int) -> float:
    ref = disc(radius)
    return float(sm.dice(np.roll(ref, shift, axis=1), ref))


def _higher() -> str:
    return "large" if _shifted_dice(30, 3) > _shifted_dice(5, 1) else "small"


def _reference():
    from ..data import load_case

    return load_case(CASE).reference


def _target_example():
    ref = _reference()
    for shift in range(1, 40):
        candidate = np.roll(ref, shift, axis=1)
        if 0.70 <= sm.dice(candidate, ref) <= 0.80:
            return candidate
    raise RuntimeError("no shift gives a Dice between 0.7 and 0.8")  # pragma: no cover


def _iou_from_dice(d: float) -> float:
    # Build two masks with exactly this Dice and let seglearn.metrics compute their IoU:
    # reference of 2n pixels, prediction sharing tp = d * 2n of them and as many others.
    n = 1000
    tp = int(round(d * n))
    ref = np.zeros(2 * n, bool)
    ref[:n] = True
    pred = np.zeros(2 * n, bool)
    pred[:tp] = True
    pred[n:n + (n - tp)] = True
    return float(sm.iou(pred, ref))


QUESTIONS = [
    FunctionQuestion(
        "Write `my_dice(pred, ref)` = 2TP / (2TP + FP + FN) with NumPy only; return float('nan') when both "
        "masks are empty.",
        reference=sm.dice,
        cases=lambda: mask_cases(),
        hints=["2TP + FP + FN is simply the number of predicted pixels plus the number of reference pixels: "
               "`pred.sum() + ref.sum()`.",
               "Convert with `np.asarray(x).astype(bool)` first (0/1 integer masks), compute the denominator, and "
               "`return float('nan')` when it is 0; otherwise `return float(2 * tp / denominator)`."],
        solution=("def my_dice(pred, ref):\n"
                  "    pred = np.asarray(pred).astype(bool)\n"
                  "    ref = np.asarray(ref).astype(bool)\n"
                  "    tp = np.sum(pred & ref)\n"
                  "    denominator = pred.sum() + ref.sum()      # = 2TP + FP + FN\n"
                  "    if denominator == 0:\n"
                  "        return float(\"nan\")                   # both empty: undefined\n"
                  "    return float(2 * tp / denominator)\n\n"
                  "assert ex.q1.check(my_dice)"),
        explanation="Dice ignores TN, and 0/0 (both masks empty) stays visible as NaN instead of a made-up 0 or 1.",
    ),
    FunctionQuestion(
        "Write `my_iou(pred, ref)` = TP / (TP + FP + FN) with NumPy only; return float('nan') when both masks "
        "are empty.",
        reference=sm.iou,
        cases=lambda: mask_cases(),
        hints=["TP + FP + FN is the union of the two masks: `(pred | ref).sum()`.",
               "Convert to bool first; `union = np.sum(pred | ref)`; nan when the union is 0, else "
               "`float(np.sum(pred & ref) / union)`."],
        solution=("def my_iou(pred, ref):\n"
                  "    pred = np.asarray(pred).astype(bool)\n"
                  "    ref = np.asarray(ref).astype(bool)\n"
                  "    union = np.sum(pred | ref)                # = TP + FP + FN\n"
                  "    if union == 0:\n"
                  "        return float(\"nan\")\n"
                  "    return float(np.sum(pred & ref) / union)\n\n"
                  "assert ex.q2.check(my_iou)"),
        explanation="Intersection over union: the share of everything either mask claims that both agree on.",
    ),
    ValueQuestion(
        "A case has Dice 0.8. What is its IoU?",
        answer=lambda: _iou_from_dice(DICE_TO_CONVERT),
        tolerance=0.002,
        mistakes=[(DICE_TO_CONVERT, "IoU equals Dice only at 0 and 1; in between IoU is lower."),
                  (lambda: 2 * DICE_TO_CONVERT / (1 + DICE_TO_CONVERT),
                   "That formula goes the other way (IoU to Dice); it gives a number above 0.8, but IoU is never "
                   "above Dice.")],
        hints=["IoU = D / (2 − D).", "0.8 / (2 − 0.8) = 0.8 / 1.2."],
        solution=("dice_value = 0.8\n"
                  "iou_for_dice_08 = dice_value / (2 - dice_value)\n"
                  "assert ex.q3.check(iou_for_dice_08)"),
        explanation="IoU = D / (2 − D) holds case by case; never apply it to a mean Dice.",
    ),
    ChoiceQuestion(
        "Model A has a higher mean Dice than model B on the same test set. Which statement is true?",
        options={"a": "A necessarily has a higher mean IoU too, because IoU is an increasing function of Dice.",
                 "b": "A's mean IoU is higher only if A also wins on every single case; otherwise it can be lower.",
                 "c": "A's mean IoU can be lower than B's, because averaging and the bent D → IoU curve do not commute.",
                 "d": "Mean IoU always reverses the mean-Dice ranking."},
        answer="c",
        explanations={
            "a": "True for a single case, but not for averages: the notebook's models A and B are a counterexample.",
            "b": "Not so: a model can have the higher mean IoU while losing some cases. The point is that mean "
                 "Dice and mean IoU can disagree, even though per case they never do.",
            "d": "Usually the two means agree; they *can* disagree, they do not always.",
        },
        hints=["Look back at models A and B in the notebook.",
               "The mean of f(D) is not f(mean of D) when f is curved."],
        explanation="Averages over a dataset can rank models differently for Dice and IoU; say which one you average.",
    ),
    ValueQuestion(
        "Which has the higher Dice: a disc of radius 30 shifted by 3 pixels ('large'), or a disc of radius 5 "
        "shifted by 1 pixel ('small')?",
        answer=_higher,
        options=["large", "small"],
        hints=["Relative to its size, which shift is bigger: 3 of 30 or 1 of 5?",
               "Dice divides by the mask sizes, so the same error costs small structures more. "
               "Check with `sm.dice(np.roll(m, shift, axis=1), m)`."],
        solution=("large, small = disc(30), disc(5)\n"
                  "d_large = sm.dice(np.roll(large, 3, axis=1), large)\n"
                  "d_small = sm.dice(np.roll(small, 1, axis=1), small)\n"
                  "print(f\"large lesion, 3-pixel shift: Dice {d_large:.3f}; small lesion, 1-pixel shift: Dice {d_small:.3f}\")\n"
                  "higher = \"large\" if d_large > d_small else \"small\"\n"
                  "assert ex.q5.check(higher)"),
        explanation="A 1-pixel shift is 20% of a radius of 5 pixels; 3 pixels are only 10% of a radius of 30.",
    ),
    DrawingQuestion(
        "Paint a prediction whose Dice lies between 0.70 and 0.80.",
        reference=_reference,
        criteria=[at_least("dice", 0.70), at_most("dice", 0.80)],
        example=_target_example,
        hints=["Start from a good outline and erase part of it, or paint the lesion and then a ring around it.",
               "Too high? Erase a slice of the lesion or paint outside it. Too low? Fill in more of the lesion."],
        solution=("# Shift the reference sideways, one pixel more each time, until Dice falls into the target range.\n"
                  "for shift in range(1, 40):\n"
                  "    candidate = np.roll(case.reference, shift, axis=1)\n"
                  "    if 0.70 <= sm.dice(candidate, case.reference) <= 0.80:\n"
                  "        break\n"
                  "drawing.mask = candidate\n"
                  "print(f\"shift {shift} px: Dice {sm.dice(drawing.mask, case.reference):.3f}\")\n"
                  "assert ex.q6.check(drawing.mask)"),
        explanation="Very different masks can share one Dice: a single number hides where the errors are.",
    ),
]
