"""Exercises for lesson 06 (Evaluating a model honestly).

q1 how many slices have an undefined Dice (value), q2 the per-patient mean Dice (value), q3 write a
macro Dice over foreground classes (function), q4 why a slice split scores higher (choice), q5 the
inter-rater agreement that caps any model (value), q6 what a reviewer expects in a report
(choice, several answers). Every expected value comes from :mod:`seglearn.metrics`.
"""
from __future__ import annotations

import itertools

import numpy as np

from .. import metrics as sm
from .questions import Case, ChoiceQuestion, FunctionQuestion, ValueQuestion

TITLE = "Evaluating a model honestly"
RATER_CASE = "brain_small_lesions"


def _cohort():
    from ..data import load_cohort

    return load_cohort()


def _slice_counts(model: str):
    cohort = _cohort()
    return sm.confusion_counts(cohort.predictions[model], cohort.references, per_case=True), cohort.patient_ids


def _n_undefined(model: str) -> int:
    counts, _ = _slice_counts(model)
    return int(np.isnan(counts.dice()).sum())


def _n_empty_reference_slices() -> int:
    cohort = _cohort()
    return int((~cohort.has_lesion).sum())


def _per_patient(model: str) -> float:
    counts, patients = _slice_counts(model)
    return sm.aggregate_counts(counts, "dice", groups=patients, empty="exclude").per_group.mean


def _slice_mean(model: str) -> float:
    counts, _ = _slice_counts(model)
    return sm.aggregate(counts.dice(), empty="exclude").mean


def _pooled(model: str) -> float:
    counts, _ = _slice_counts(model)
    return float(counts.sum().dice())


def _inter_rater() -> float:
    from ..data import load_case

    raters = load_case(RATER_CASE).raters
    return float(np.mean([sm.dice(raters[a], raters[b]) for a, b in itertools.combinations(sorted(raters), 2)]))


def _macro_reference(pred, ref):
    return sm.per_class("dice", pred, ref, average="macro")


def label_cases() -> list[Case]:
    """Label-map pairs for q3: two and three foreground classes, a class missing from both, 3-D."""
    ref = np.zeros((8, 10), int)
    ref[1:5, 1:5] = 1
    ref[5:8, 6:10] = 2
    pred = np.zeros_like(ref)
    pred[1:5, 2:6] = 1
    pred[4:8, 6:9] = 2
    three_ref = ref.copy()
    three_ref[0, 8:10] = 3
    three_pred = pred.copy()
    three_pred[0:2, 8:10] = 3
    only_one = np.where(ref == 2, 0, ref)
    vol_ref = np.stack([ref, ref])
    vol_pred = np.stack([pred, np.roll(pred, 1, axis=1)])
    return [
        Case("two classes", (pred, ref)),
        Case("perfect prediction", (ref.copy(), ref.copy())),
        Case("three classes, one tiny", (three_pred, three_ref)),
        Case("class 2 predicted but absent from the reference", (pred, only_one),
             hint="class 2 is absent from the reference but predicted: its Dice is 0, and it counts"),
        Case("a 3-D label volume", (vol_pred, vol_ref)),
    ]


QUESTIONS = [
    ValueQuestion(
        "For how many of the cohort's 96 slices is model_b's Dice undefined (NaN)?",
        answer=lambda: _n_undefined("model_b"),
        mistakes=[(_n_empty_reference_slices,
                   "That is the number of slices without a lesion. On some of them model_b raises a false alarm: "
                   "Dice is then 0, not undefined.")],
        hints=["Dice is undefined when both masks are empty (0/0); seglearn returns NaN.",
               "counts = sm.confusion_counts(cohort.predictions['model_b'], cohort.references, per_case=True); "
               "then count np.isnan(counts.dice())."],
        solution=("counts_b = sm.confusion_counts(cohort.predictions['model_b'], cohort.references, per_case=True)\n"
                  "n_undefined_b = int(np.isnan(counts_b.dice()).sum())\n"
                  "ex.q1.check(n_undefined_b)"),
        explanation="Undefined slices are the healthy slices where the model stayed silent: correct, but not a "
                    "Dice value. Report their number; never let them vanish inside a mean.",
    ),
    ValueQuestion(
        "What is model_a's per-patient mean Dice: the Dice of each patient's whole volume (summed counts), "
        "averaged over the patients that have a defined Dice?",
        answer=lambda: _per_patient("model_a"),
        tolerance=1e-3,
        mistakes=[(lambda: _slice_mean("model_a"), "That is the mean over slices. Group the slices by patient first."),
                  (lambda: _pooled("model_a"), "That is the pooled Dice of all slices together (one big volume). "
                                               "Compute one Dice per patient, then average.")],
        hints=["sm.aggregate_counts(counts, 'dice', groups=cohort.patient_ids, empty='exclude')",
               "Its .per_group.mean is the per-patient mean (healthy patients with no prediction are undefined "
               "and excluded)."],
        solution=("counts_a = sm.confusion_counts(cohort.predictions['model_a'], cohort.references, per_case=True)\n"
                  "by_patient = sm.aggregate_counts(counts_a, 'dice', groups=cohort.patient_ids, empty='exclude')\n"
                  "ex.q2.check(by_patient.per_group.mean)"),
        explanation="Patients, not slices, are the independent units: a patient with many slices must not count more.",
    ),
    FunctionQuestion(
        "Write `macro_dice(pred, ref)` for label maps: the Dice of every foreground class (labels > 0 found in "
        "either map), averaged with equal weight per class. Use `sm.dice` for each class.",
        reference=_macro_reference,
        cases=label_cases,
        tolerance=1e-9,
        hints=["The classes: np.union1d(np.unique(pred), np.unique(ref)), without 0.",
               "For each class c: sm.dice(pred == c, ref == c); return float(np.mean(values))."],
        solution=("def macro_dice(pred, ref):\n"
                  "    classes = [c for c in np.union1d(np.unique(pred), np.unique(ref)) if c != 0]\n"
                  "    return float(np.mean([sm.dice(pred == c, ref == c) for c in classes]))\n\n"
                  "ex.q3.check(macro_dice)"),
        explanation="Macro averaging gives a tiny class as much weight as a huge one; leaving out the background "
                    "stops the easiest class from inflating the average.",
    ),
    ChoiceQuestion(
        "The tiny nearest-neighbour model scores clearly higher when the test slices are drawn at random than "
        "when whole patients are held out. Why?",
        options={"a": "Random slices are an easier, more representative test set.",
                 "b": "Slices of one patient are near-duplicates: with a slice split the model meets the test "
                      "patients in training and recognises them, instead of recognising lesions.",
                 "c": "The patient split has fewer test slices, so its estimate is biased downwards.",
                 "d": "The nearest-neighbour model overfits only on the patient split."},
        answer="b",
        explanations={
            "a": "Both test sets are drawn from the same cohort; what differs is whether the test patients were "
                 "also seen in training.",
            "c": "Both splits hold out a quarter of the slices; the size is not the difference.",
            "d": "The model is the same in both; only the slice split lets it look up a sibling slice of the same "
                 "patient.",
        },
        hints=["Which training slice is nearest to a test slice in the slice split?",
               "Features like noise level and brain area identify the *patient*, not the lesion."],
        explanation="Leakage: a patient on both sides of the split lets the model recognise the patient. Split by "
                    "patient (and by hospital or scanner when you claim generalisation to them).",
    ),
    ValueQuestion(
        "The brain_small_lesions case was outlined by three raters. What is their mean pairwise Dice "
        "(rater_a vs rater_b, rater_a vs rater_c, rater_b vs rater_c)?",
        answer=_inter_rater,
        tolerance=1e-3,
        hints=["itertools.combinations(sorted(case.raters), 2) gives the three pairs.",
               "np.mean([sm.dice(case.raters[a], case.raters[b]) for a, b in pairs])"],
        solution=("small = load_case('brain_small_lesions')\n"
                  "pairs = list(itertools.combinations(sorted(small.raters), 2))\n"
                  "inter_rater = float(np.mean([sm.dice(small.raters[a], small.raters[b]) for a, b in pairs]))\n"
                  "ex.q5.check(inter_rater)"),
        explanation="When experts agree only this well, a model scored against one of them cannot be expected to do "
                    "much better: differences below the inter-rater spread are not meaningful.",
    ),
    ChoiceQuestion(
        "You submit a lesion-segmentation paper. Which belong in the results section? (Choose all that apply.)",
        options={"a": "An overlap metric (Dice) per patient, with every patient shown (e.g. a strip plot)",
                 "b": "Pixel accuracy, because it is the highest number",
                 "c": "A boundary metric in millimetres (HD95 or NSD at a stated tolerance), with its definition",
                 "d": "Lesion-wise detection (recall, precision or F1, false positives per patient)",
                 "e": "Only the mean Dice, with undefined cases dropped to keep the table clean"},
        answer=["a", "c", "d"],
        explanations={
            "b": "Accuracy is inflated by the background (lesson 04): it tells a reviewer nothing.",
            "e": "A mean hides failures, and dropping undefined cases silently changes the number: report how many "
                 "there were and how you treated them.",
        },
        hints=["Think of the blind spots from lessons 04 and 05: background, boundaries, small lesions.",
               "Three options survive: overlap per patient, a boundary metric, lesion-wise detection."],
        explanation="Overlap + boundary + detection, per patient with every point shown, and the handling of "
                    "undefined cases stated: that is what Metrics Reloaded and reviewers expect.",
    ),
]
