"""Exercises for lesson 07 (Capstone: choose a model for a clinic).

q1 match each model to its failure mode (choice), q2 which metrics the evaluation needs (choice,
several answers), q3 model_c's per-patient Dice on the held-out patients (value), q4 model_b's
false-positive lesions per held-out patient (value), q5 the model to recommend for screening and
q6 for lesion-volume monitoring (values among the model names), q7 paint a prediction that passes
screening but fails monitoring (drawing), q8 write ``patient_dice`` for the clinic's repeatable
evaluation (function). Numbers come from :mod:`seglearn.metrics` on
:func:`seglearn.data.load_cohort`.
"""
from __future__ import annotations

import numpy as np

from .. import metrics as sm
from .questions import Case, ChoiceQuestion, Criterion, DrawingQuestion, FunctionQuestion, ValueQuestion, at_most

TITLE = "Capstone"
MODELS = ["model_a", "model_b", "model_c"]
DRAWING_PATIENT, DRAWING_SLICE = "P03", 4    # one large and one small lesion
MAX_DRAWING_DICE = 0.5


def held_out():
    """The patients no model was trained on (``cohort.split == "test"``)."""
    from ..data import load_cohort

    cohort = load_cohort()
    return cohort.select(cohort.split == "test")


def _per_patient_dice(model: str, cohort=None) -> float:
    cohort = held_out() if cohort is None else cohort
    counts = sm.confusion_counts(cohort.predictions[model], cohort.references, per_case=True)
    return sm.aggregate_counts(counts, "dice", groups=cohort.patient_ids, empty="exclude").per_group.mean


def _training_dice(model: str) -> float:
    from ..data import load_cohort

    cohort = load_cohort()
    return _per_patient_dice(model, cohort.select(cohort.split == "train"))


def _false_positive_lesions_per_patient(model: str) -> float:
    cohort = held_out()
    fps = [sm.lesion_detection(cohort.patient(p).predictions[model], cohort.patient(p).references).fp
           for p in cohort.patients]
    return float(np.mean(fps))


def _drawing_slice():
    volume = held_out().patient(DRAWING_PATIENT)
    return volume.images[DRAWING_SLICE], volume.references[DRAWING_SLICE]


class LesionDrawingQuestion(DrawingQuestion):
    """A drawing question whose criteria also see lesion-wise detection ("lesion_recall", "lesion_fp")."""

    def metrics_of(self, mask: np.ndarray) -> dict[str, float]:
        values = super().metrics_of(mask)
        detection = sm.lesion_detection(mask, self.reference)
        values.update(lesion_recall=detection.recall, lesion_fp=int(detection.fp))
        return values


def _dabs_example() -> np.ndarray:
    """A 3 x 3 dab on the centroid of every reference lesion (clipped to the lesion)."""
    _, ref = _drawing_slice()
    dabs = np.zeros_like(ref)
    for lesion in sm.lesion_detection(ref, ref).table:
        row, col = (int(round(x)) for x in lesion["centroid"])
        dabs[row - 1:row + 2, col - 1:col + 2] = True
    return dabs & ref


def patient_dice_reference(pred_stack, ref_stack, patient_ids) -> dict:
    """Per-patient Dice ``{patient id: Dice of the patient's summed counts}`` (NaN: nothing to find, nothing found).

    Examples
    --------
    >>> ref = np.zeros((3, 4, 4), bool); ref[0, :2, :2] = True
    >>> patient_dice_reference(ref, ref, ["P1", "P1", "P2"])
    {'P1': 1.0, 'P2': nan}
    """
    counts = sm.confusion_counts(pred_stack, ref_stack, per_case=True)
    summary = sm.aggregate_counts(counts, "dice", groups=patient_ids)
    return dict(zip(summary.group_ids, summary.group_counts.dice().tolist()))


def _stack(*slices: np.ndarray) -> np.ndarray:
    return np.stack(slices)


def patient_dice_cases() -> list[Case]:
    """Slice stacks for q8: two patients, a healthy one, a false alarm, interleaved and integer ids, uint8, real data."""
    empty = np.zeros((8, 8), bool)
    big = empty.copy()
    big[1:7, 1:7] = True                                  # 36 pixels
    big_pred = np.roll(big, 1, axis=1)                    # 30 of 36 right
    sliver = empty.copy()
    sliver[3, 3:5] = True                                 # 2 pixels
    sliver_pred = empty.copy()
    sliver_pred[3, 5] = True                              # missed: slice Dice 0
    speck = empty.copy()
    speck[6, 6] = True
    # patient A: a big lesion, a sliver (missed) and an empty slice; patient B: one big lesion
    preds = _stack(big_pred, sliver_pred, empty, big.copy(), empty)
    refs = _stack(big, sliver, empty, big.copy(), empty)
    ids = ["A", "A", "A", "B", "B"]
    test = held_out()
    return [
        Case("two patients, 2-3 slices each", (preds, refs, ids),
             hint="pool the counts of all a patient's slices, then take one Dice (not the mean of slice Dice)"),
        Case("a single patient", (preds[:3], refs[:3], ids[:3])),
        Case("a healthy patient, nothing predicted", (_stack(big_pred, empty, empty), _stack(big, empty, empty),
                                                      ["A", "H", "H"]),
             hint="a patient with nothing to find and nothing predicted has Dice 0/0: keep it as float('nan'), "
                  "neither 0 nor 1, and do not drop the patient"),
        Case("a healthy patient with a false alarm", (_stack(big_pred, speck, empty), _stack(big, empty, empty),
                                                      ["A", "H", "H"])),
        Case("slices of two patients interleaved", (preds[[0, 3, 1, 4, 2]], refs[[0, 3, 1, 4, 2]],
                                                     ["A", "B", "A", "B", "A"]),
             hint="group slices by their id, wherever they are in the stack"),
        Case("integer patient ids", (preds, refs, [7, 7, 7, 3, 3])),
        Case("uint8 masks (0/1) instead of bool", (preds.astype(np.uint8), refs.astype(np.uint8), ids),
             hint="masks may come as 0/1 integers: with uint8, ~1 is 254 and 0 - 1 is 255; convert with "
                  "np.asarray(x, bool) first (sm.confusion_counts does it for you)"),
        Case("the held-out patients, model_c", (test.predictions["model_c"], test.references, test.patient_ids)),
    ]


QUESTIONS = [
    ChoiceQuestion(
        "Look at the held-out pictures. Which description matches the three models' failure modes?",
        options={"a": "model_a misses lesions but draws clean outlines; model_b outlines generously and raises false "
                      "alarms; model_c draws shifted, ragged outlines and raises false alarms",
                 "b": "model_a raises false alarms; model_b misses lesions; model_c is near-perfect",
                 "c": "all three fail the same way: they over-segment every lesion",
                 "d": "model_a draws shifted outlines; model_b misses lesions; model_c raises no false alarms"},
        answer="a",
        explanations={
            "b": "Look again at the vermillion (false-positive) pixels: which model has them away from every lesion?",
            "c": "Compare the sky-blue (missed) pixels: one model leaves whole small lesions blue.",
            "d": "model_c is the one whose outlines sit beside the lesion, and it has false alarms.",
        },
        hints=["Sky blue = missed, vermillion = false alarm. Which model leaves whole lesions sky blue?",
               "model_c was near-perfect on its training patients; these patients are new to it."],
        explanation="Three different failure modes, three different metrics to see them: lesion recall, false "
                    "positives per patient, and a boundary metric.",
    ),
    ChoiceQuestion(
        "The clinic wants to flag follow-up scans with lesions for a radiologist. Which of these must your "
        "evaluation report? (Choose all that apply.)",
        options={"a": "lesion-wise recall (how many lesions were found)",
                 "b": "false-positive lesions per patient (how many alarms a radiologist must dismiss)",
                 "c": "pixel accuracy",
                 "d": "the Dice the vendor measured on its own training patients",
                 "e": "Dice per patient, every patient shown"},
        answer=["a", "b", "e"],
        explanations={
            "c": "Background dominates every scan: accuracy is near 1 for every model (lesson 04).",
            "d": "A training score says nothing about new patients (lesson 06: overfitting).",
        },
        hints=["A flagging task is about *lesions*: found ones and false alarms.",
               "Keep an overlap metric per patient for the outlines; drop the numbers that cannot fail."],
        explanation="Detection (found lesions, false alarms per patient) decides a flagging task; per-patient Dice "
                    "shows how well the outlines fit.",
    ),
    ValueQuestion(
        "What is model_c's per-patient mean Dice on the held-out patients (undefined patients excluded)?",
        answer=lambda: _per_patient_dice("model_c"),
        tolerance=1e-3,
        mistakes=[(lambda: _training_dice("model_c"),
                   "That is its score on the patients it was trained on - the vendor's number. Use the held-out "
                   "patients only.")],
        hints=["counts = sm.confusion_counts(test.predictions['model_c'], test.references, per_case=True)",
               "sm.aggregate_counts(counts, 'dice', groups=test.patient_ids, empty='exclude').per_group.mean"],
        solution=("counts_c = sm.confusion_counts(test.predictions['model_c'], test.references, per_case=True)\n"
                  "dice_c = sm.aggregate_counts(counts_c, 'dice', groups=test.patient_ids, empty='exclude').per_group.mean\n"
                  "ex.q3.check(dice_c)"),
        explanation="Far below the vendor's training-set figure: only held-out patients tell you what a model does "
                    "for new patients.",
    ),
    ValueQuestion(
        "How many false-positive lesions per held-out patient does model_b produce (mean over the 4 patients, "
        "lesion-wise detection on each patient's volume)?",
        answer=lambda: _false_positive_lesions_per_patient("model_b"),
        tolerance=1e-6,
        hints=["sm.lesion_detection(volume.predictions['model_b'], volume.references).fp for each "
               "volume = test.patient(pid).",
               "np.mean([sm.lesion_detection(test.patient(p).predictions['model_b'], "
               "test.patient(p).references).fp for p in test.patients])"],
        solution=("fp_b = np.mean([sm.lesion_detection(test.patient(p).predictions['model_b'],\n"
                  "                                    test.patient(p).references).fp for p in test.patients])\n"
                  "ex.q4.check(fp_b)"),
        explanation="Each false alarm costs a radiologist a look. Whether that price is acceptable is a clinical "
                    "decision; your job is to state it in the units the clinic understands.",
    ),
    ValueQuestion(
        "Scenario 1, screening: every flagged scan is read by a radiologist anyway, and a missed lesion delays "
        "treatment. Which model do you recommend?",
        answer="model_b",
        options=MODELS,
        mistakes=[("model_a", "model_a has the cleanest outlines, but it misses lesions: the one error this task "
                              "cannot afford."),
                  ("model_c", "model_c misses lesions *and* raises the most false alarms on new patients; its high "
                              "training score is overfitting.")],
        hints=["Which column of your table matters most when a miss is the worst outcome?",
               "Highest lesion-wise recall on held-out patients; the false alarms are dismissed by the radiologist."],
        solution=("recommend_screening = 'model_b'   # found every held-out lesion; its false alarms cost review time\n"
                  "ex.q5.check(recommend_screening)"),
        explanation="Recall first: model_b found every held-out lesion. Its false alarms cost reading time; say how "
                    "many per patient in the recommendation.",
    ),
    ValueQuestion(
        "Scenario 2, monitoring: the lesions are already known and marked; the clinic wants accurate lesion "
        "outlines to track their volume over time, and false alarms would corrupt the volume. Which model?",
        answer="model_a",
        options=MODELS,
        mistakes=[("model_b", "model_b's generous outlines and false alarms inflate every volume."),
                  ("model_c", "model_c's outlines are shifted and ragged on new patients.")],
        hints=["Here the outline and the absence of false alarms matter, not finding new lesions.",
               "Highest per-patient Dice and no false-positive lesions on held-out patients."],
        solution=("recommend_monitoring = 'model_a'   # best outlines, no false alarms; its misses matter less here\n"
                  "ex.q6.check(recommend_monitoring)"),
        explanation="The best model depends on the task: choose the metrics from the clinical question, then the model.",
    ),
    LesionDrawingQuestion(
        f"Paint a prediction on patient {DRAWING_PATIENT}, slice {DRAWING_SLICE} that a screening check "
        f"passes and a monitoring check fails: every lesion found, no false alarm, but Dice ≤ {MAX_DRAWING_DICE:g}.",
        reference=lambda: _drawing_slice()[1],
        criteria=[Criterion("every lesion found (lesion recall = 1)", lambda m: m["lesion_recall"] == 1.0,
                            "lesion_recall"),
                  Criterion("no false-alarm lesion", lambda m: m["lesion_fp"] == 0, "lesion_fp"),
                  at_most("dice", MAX_DRAWING_DICE)],
        example=_dabs_example,
        hints=["A lesion counts as found when your prediction touches it at all (any overlap).",
               "Paint one small dab inside each of the two lesions (the small one is easy to miss), nothing "
               "else: both found, most pixels missed."],
        solution=("dabs = np.zeros_like(lesions)\n"
                  "for lesion in sm.lesion_detection(lesions, lesions).table:     # the reference's own lesions\n"
                  "    row, col = (int(round(x)) for x in lesion['centroid'])\n"
                  "    dabs[row - 1:row + 2, col - 1:col + 2] = True             # a 3 x 3 dab on each centre\n"
                  "panel.mask = dabs & lesions\n"
                  "ex.q7.check(panel)"),
        explanation="Perfect for screening, useless for monitoring: a radiologist is sent to both lesions, but no "
                    "volume can be measured from two dabs. Which metric decides depends on the use.",
    ),
    FunctionQuestion(
        "Write `patient_dice(pred_stack, ref_stack, patient_ids)`: for slice stacks (one slice per row) and one "
        "patient id per slice, return `{patient_id: Dice}` with each patient's Dice computed from the summed "
        "counts of its slices, and float('nan') for a patient with nothing to find and nothing predicted.",
        reference=patient_dice_reference,
        cases=patient_dice_cases,
        tolerance=1e-9,
        hints=["Pool first: a patient's Dice comes from the sum of its slices' TP, FP and FN, not from the mean "
               "of its slice Dice (a missed sliver or an empty slice would distort that mean).",
               "counts = sm.confusion_counts(pred_stack, ref_stack, per_case=True) has one entry per slice; "
               "counts[ids == pid].sum() pools one patient, and its .dice() is NaN when the patient is empty.",
               "ids = np.asarray(patient_ids); return {pid.item(): counts[ids == pid].sum().dice() "
               "for pid in np.unique(ids)}"],
        solution=("def patient_dice(pred_stack, ref_stack, patient_ids):\n"
                  "    counts = sm.confusion_counts(pred_stack, ref_stack, per_case=True)   # one entry per slice\n"
                  "    ids = np.asarray(patient_ids)\n"
                  "    return {pid.item(): counts[ids == pid].sum().dice()              # pool, then one Dice\n"
                  "            for pid in np.unique(ids)}\n\n"
                  "ex.q8.check(patient_dice)"),
        explanation="This is what sm.aggregate_counts(counts, 'dice', groups=patient_ids) does per group. A healthy "
                    "patient stays in the result as NaN, so the report can count it instead of hiding it.",
    ),
]
