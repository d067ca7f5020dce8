"""Exercises for lesson 01 (masks and the confusion matrix).

q1 count false positives by eye (value), q2 write the four counts (function), q3 which outcome a
pixel is (choice), q4 paint a prediction with no misses (drawing), q5 which count padding
changes (choice). Every expected value comes from :mod:`seglearn.metrics`.
"""
from __future__ import annotations

import numpy as np

from .. import metrics as sm
from .cases import mask_cases
from .questions import ChoiceQuestion, DrawingQuestion, FunctionQuestion, ValueQuestion, at_least, at_most

TITLE = "Masks and the confusion matrix"
CASE = "brain_tumour"

#: The toy masks written out in the notebook (the reference, and a prediction shifted one pixel
#: to the right plus one stray pixel).
REF_TOY = np.array([
    [0, 0, 0, 0, 0, 0, 0, 0],
    [0, 0, 1, 1, 1, 0, 0, 0],
    [0, 1, 1, 1, 1, 1, 0, 0],
    [0, 1, 1, 1, 1, 1, 0, 0],
    [0, 0, 1, 1, 1, 0, 0, 0],
    [0, 0, 0, 0, 0, 0, 0, 0],
], dtype=bool)
PRED_TOY = np.array([
    [0, 0, 0, 0, 0, 0, 0, 0],
    [0, 0, 0, 1, 1, 1, 0, 0],
    [0, 0, 1, 1, 1, 1, 1, 0],
    [0, 0, 1, 1, 1, 1, 1, 0],
    [0, 0, 0, 1, 1, 1, 0, 0],
    [0, 0, 0, 0, 0, 0, 1, 0],
], dtype=bool)


def four_counts(pred, ref) -> tuple[int, int, int, int]:
    """``(tp, fp, fn, tn)`` as plain ints, from :func:`seglearn.metrics.confusion_counts`."""
    c = sm.confusion_counts(pred, ref)
    return int(c.tp), int(c.fp), int(c.fn), int(c.tn)


def _toy_counts() -> dict[str, int]:
    return dict(zip(["tp", "fp", "fn", "tn"], four_counts(PRED_TOY, REF_TOY)))


def _reference():
    from ..data import load_case

    return load_case(CASE).reference


def _grown_reference():
    from scipy import ndimage

    return ndimage.binary_dilation(_reference(), iterations=3)


_OUTCOMES = {"TP": "true positive (green): predicted lesion, reference lesion",
             "FP": "false positive (orange): predicted lesion, reference background",
             "FN": "false negative (blue): predicted background, reference lesion",
             "TN": "true negative (no colour): predicted background, reference background"}

QUESTIONS = [
    ValueQuestion(
        "Count by eye: how many pixels of the toy prediction `pred_toy` are false positives "
        "(predicted lesion where `ref_toy` has none)?",
        answer=lambda: _toy_counts()["fp"],
        mistakes=[(lambda: _toy_counts()["fn"], "That is the number of misses (FN): lesion in the reference, "
                   "background in the prediction. False positives are the other way round."),
                  (lambda: _toy_counts()["fp"] - 1, "Close: did you forget the stray pixel in the bottom row?"),
                  (lambda: _toy_counts()["tp"], "That is the number of hits (TP), where both masks say lesion.")],
        hints=["A false positive is 1 in `pred_toy` and 0 in `ref_toy`. Go row by row.",
               "The prediction is the reference shifted one pixel right: each lesion row gains one pixel on "
               "its right edge. Add the stray pixel in the last row."],
        solution=("# Row 1: column 5; rows 2 and 3: column 6; row 4: column 5; row 5: the stray pixel at column 6.\n"
                  "n_false_positives = int((pred_toy & ~ref_toy).sum())\n"
                  "assert ex.q1.check(n_false_positives)"),
        explanation="Shifting a shape creates false positives on one side and misses on the other.",
    ),
    FunctionQuestion(
        "Write `my_counts(pred, ref)` returning the four counts `(tp, fp, fn, tn)` as integers, using NumPy "
        "logical operators (&, ~) and .sum().",
        reference=four_counts,
        cases=lambda: mask_cases(),
        hints=["TP is `(pred & ref).sum()`. FP: predicted but not in the reference, `pred & ~ref`. "
               "Work out FN and TN the same way.",
               "Convert the inputs first: `pred = np.asarray(pred).astype(bool)`; with 0/1 integers, `~1` is -2, "
               "not False. Return a tuple `(tp, fp, fn, tn)` of `int(...)` values."],
        solution=("def my_counts(pred, ref):\n"
                  "    pred = np.asarray(pred).astype(bool)   # 0/1 integers become False/True\n"
                  "    ref = np.asarray(ref).astype(bool)\n"
                  "    tp = int((pred & ref).sum())\n"
                  "    fp = int((pred & ~ref).sum())\n"
                  "    fn = int((~pred & ref).sum())\n"
                  "    tn = int((~pred & ~ref).sum())\n"
                  "    return tp, fp, fn, tn\n\n"
                  "assert ex.q2.check(my_counts)"),
        explanation="Every pixel falls in exactly one of the four boxes, so tp + fp + fn + tn = pred.size.",
    ),
    ChoiceQuestion(
        "The toy pixel at row 2, column 1 is lesion in `ref_toy` and background in `pred_toy`. Which outcome "
        "is it (and so which colour does the overlay give it)?",
        options=_OUTCOMES,
        answer="FN",
        explanations={
            "TP": "A true positive needs the prediction to say lesion too; here the model said background.",
            "FP": "A false positive is a false alarm: the model says lesion where the reference has none. "
                  "Here it is the other way round.",
            "TN": "A true negative is background in both masks; the reference has lesion here.",
        },
        hints=["'Positive/negative' is what the model said; 'true/false' is whether the reference agrees.",
               "The model said negative (background) and the reference disagrees."],
        explanation="The model missed a lesion pixel: a false negative, coloured blue.",
    ),
    DrawingQuestion(
        "Paint a prediction with no false negatives (FN = 0: it covers every lesion pixel) but at least "
        "50 false positives.",
        reference=_reference,
        criteria=[at_most("fn", 0), at_least("fp", 50)],
        example=_grown_reference,
        hints=["No misses means every pixel inside the yellow reference outline must be painted.",
               "Paint a closed loop a few pixels outside the reference outline and press Fill: the ring between the loop and the outline is all false positives."],
        solution=("# Grow the reference by a few pixels in every direction: every lesion pixel is covered (FN = 0)\n"
                  "# and the extra ring is all false positives.\n"
                  "from scipy import ndimage\n\n"
                  "grown = ndimage.binary_dilation(case.reference, iterations=3)\n"
                  "drawing.mask = grown          # the panel now shows this prediction\n"
                  "assert ex.q4.check(drawing.mask)"),
        explanation="A model can always reach zero misses by predicting more: recall is cheap, "
                    "false alarms are the price (lesson 03).",
    ),
    ChoiceQuestion(
        "You pad the scan with a wide border of background on every side (and pad both masks with False). "
        "Which of the four counts changes?",
        options={"TP": "TP", "FP": "FP", "FN": "FN", "TN": "TN"},
        answer="TN",
        explanations={
            "TP": "The new pixels are False in the prediction, so none of them can be a hit.",
            "FP": "The new pixels are False in the prediction: the model raises no alarm there.",
            "FN": "The new pixels are False in the reference: there is no lesion to miss there.",
        },
        hints=["What are the new pixels in the prediction, and in the reference?",
               "Both masks are False on the padding: which box holds pixels that are False in both?"],
        explanation="Only TN grows: the amount of background depends on the field of view, not on the model.",
    ),
]
