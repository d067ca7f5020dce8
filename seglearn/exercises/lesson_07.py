"""Exercises for lesson 07 (Capstone: choose a model for a clinic).

q1 match each model to its failure mode (choice), q2 which metrics the evaluation needs (choice,
several answers), q3 model_c's per-patient Dice on the held-out patients (value), q4 model_b's
false-positive lesions per held-out patient (value), q5 the model to recommend for screening and
q6 for lesion-volume monitoring (values among the model names). Numbers come from
:mod:`seglearn.metrics` on :func:`seglearn.data.load_cohort`.
"""
from __future__ import annotations

import numpy as np

from .. import metrics as sm
from .questions import ChoiceQuestion, ValueQuestion

TITLE = "Capstone"
MODELS = ["model_a", "model_b", "model_c"]


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
]
