"""Exercises for lesson 03 (precision, recall and thresholds).

q1 precision and recall by hand (value), q2 the threshold reaching recall >= 0.95 with the best
precision (value, from :func:`seglearn.metrics.threshold_sweep`), q3 pick beta for screening
(value), q4 a radiotherapy scenario (choice).
"""
from __future__ import annotations

import numpy as np

from .. import metrics as sm
from .questions import ChoiceQuestion, ValueQuestion

TITLE = "Precision, recall and thresholds"
CASE = "brain_tumour"
#: The counts given in exercise 1.
COUNTS = sm.ConfusionCounts(tp=120, fp=30, fn=80, tn=30_770)
TARGET_RECALL = 0.95
#: The thresholds the notebook sweeps: 0.00, 0.01, ..., 1.00.
THRESHOLDS = np.round(np.linspace(0.0, 1.0, 101), 2)


def _sweep():
    from ..data import load_case

    case = load_case(CASE)
    return sm.threshold_sweep(case.probability, case.reference, THRESHOLDS)


def _screening_threshold() -> float:
    return _sweep().best("precision", min_recall=TARGET_RECALL).threshold


QUESTIONS = [
    ValueQuestion(
        f"A prediction has TP = {COUNTS.tp}, FP = {COUNTS.fp}, FN = {COUNTS.fn}, TN = {COUNTS.tn:,}. "
        "Give (precision, recall).",
        answer=lambda: (COUNTS.precision(), COUNTS.recall()),
        tolerance=0.005,
        mistakes=[(lambda: (COUNTS.recall(), COUNTS.precision()),
                   "You swapped them: precision divides by what the model marked (TP + FP), recall by the real "
                   "lesion (TP + FN)."),
                  (lambda: (COUNTS.precision(), COUNTS.specificity()),
                   "The second number looks like specificity (TN / (TN + FP)); recall is TP / (TP + FN).")],
        hints=["Precision = TP / (TP + FP); recall = TP / (TP + FN). TN is not needed for either.",
               f"precision = {COUNTS.tp} / ({COUNTS.tp} + {COUNTS.fp}); recall = {COUNTS.tp} / ({COUNTS.tp} + {COUNTS.fn}). "
               "Answer with a tuple: (precision, recall)."],
        solution=(f"tp, fp, fn = {COUNTS.tp}, {COUNTS.fp}, {COUNTS.fn}   # TN is not needed\n"
                  "precision_and_recall = (tp / (tp + fp), tp / (tp + fn))\n"
                  "assert ex.q1.check(precision_and_recall)"),
        explanation="Few false alarms (precision 0.8) but many misses (recall 0.6): a timid prediction.",
    ),
    ValueQuestion(
        "Among the thresholds of `sweep` with recall ≥ 0.95, which one gives the best precision?",
        answer=_screening_threshold,
        tolerance=0.005,
        mistakes=[(lambda: _sweep().best("dice").threshold,
                   "That is the threshold with the best Dice; its recall is below 0.95."),
                  (0.5, "0.5 is the default threshold; check its recall: is it at least 0.95?")],
        hints=["First keep only the thresholds whose recall is at least 0.95: `ok = sweep.recall >= 0.95`.",
               "Among those, take the one with the highest precision: `sweep.precision[ok].max()`, then find its "
               "threshold in `sweep.thresholds[ok]` (or use `sweep.best(\"precision\", min_recall=0.95)`)."],
        solution=("ok = sweep.recall >= 0.95                                   # thresholds that meet the target\n"
                  "best_precision = sweep.precision[ok].max()\n"
                  "chosen_threshold = float(sweep.thresholds[ok & (sweep.precision == best_precision)].max())\n"
                  "print(f\"threshold {chosen_threshold:.2f}: precision {best_precision:.3f}\")\n"
                  "assert ex.q2.check(chosen_threshold)"),
        explanation="A target recall fixes the lowest acceptable threshold region; within it, pick the best precision.",
    ),
    ValueQuestion(
        "Screening for lung nodules, every mark reviewed by a radiologist, a miss may be a missed cancer: "
        "which beta do you use for F-beta: 0.5, 1 or 2?",
        answer=2,
        mistakes=[(1, "β = 1 (F1, Dice) weighs misses and false alarms equally, but here a miss costs more."),
                  (0.5, "β < 1 leans towards precision (few false alarms); this task fears misses.")],
        hints=["β > 1 weighs recall more, β < 1 weighs precision more.",
               "A missed nodule is worse than a false alarm the radiologist dismisses: weigh recall."],
        solution="beta = 2   # misses cost more than false alarms a radiologist removes: weight recall\nassert ex.q3.check(beta)",
        explanation="F2 counts recall four times (β²) as much as precision.",
    ),
    ChoiceQuestion(
        "Radiotherapy planning next to the optic nerve: the team wants to lower the threshold from 0.5 to 0.2 "
        "'because recall is what matters in medicine'. Which answer is best?",
        options={"a": "Yes: recall always matters most in medicine, so a lower threshold is always safer.",
                 "b": "No: here false positives irradiate healthy tissue such as the optic nerve, so precision "
                      "matters as much as recall; choose the threshold with both errors (and the clinicians) in view.",
                 "c": "It makes no difference: Dice is what is reported, and the threshold does not change Dice.",
                 "d": "No: always keep 0.5, because the probabilities are calibrated at 0.5."},
        answer="b",
        explanations={
            "a": "Recall matters most when a false alarm is cheap (a doctor reviews it). Here every false positive "
                 "pixel receives radiation: false alarms harm the patient.",
            "c": "The threshold changes the mask, so it changes every overlap score, Dice included (see the sweep).",
            "d": "0.5 is a convention, not a law; the right threshold depends on the costs of both errors.",
        },
        hints=["What happens to a false-positive pixel in radiotherapy?",
               "Which error is expensive depends on what the mask is used for."],
        explanation="Which error is worse is decided by the clinical use, before looking at the scores.",
    ),
]
