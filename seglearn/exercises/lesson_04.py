"""Exercises for lesson 04 (the accuracy paradox).

q1 accuracy of the empty prediction (value), q2 the largest lesion for which the empty model
scores >= 99% accuracy (value), q3 the "98% accuracy, 12% recall" self-check (choice), q4 the
right metric for three scenarios (value).
"""
from __future__ import annotations

import numpy as np

from .. import metrics as sm
from .questions import ChoiceQuestion, ValueQuestion

TITLE = "The accuracy paradox"
CASE = "brain_coronal_tumour"
IMAGE_SIZE = 128
RADII = np.arange(3, 41)


def lesion_image(radius: int, size: int = IMAGE_SIZE) -> np.ndarray:
    """A ``size`` x ``size`` image with one centred round lesion (as in the notebook)."""
    from skimage.draw import disk

    mask = np.zeros((size, size), bool)
    mask[disk((size // 2, size // 2), radius)] = True
    return mask


def _reference():
    from ..data import load_case

    return load_case(CASE).reference


def _empty_accuracy() -> float:
    ref = _reference()
    return float(sm.accuracy(np.zeros_like(ref), ref))


def _largest_fooling_radius() -> int:
    refs = np.stack([lesion_image(r) for r in RADII])
    acc = sm.accuracy(np.zeros_like(refs), refs, per_case=True)
    return int(RADII[acc >= 0.99].max())


QUESTIONS = [
    ValueQuestion(
        "Without a metric function: what is the accuracy, on this scan, of a model that predicts background "
        "everywhere?",
        answer=_empty_accuracy,
        tolerance=1e-4,
        mistakes=[(lambda: float(_reference().mean()),
                   "That is the fraction of lesion pixels (the prevalence): exactly the pixels this model gets WRONG."),
                  (0.0, "The model is wrong on the lesion, but right on every background pixel, and those are most "
                        "of the image.")],
        hints=["The empty model is right on every background pixel (TN) and wrong on every lesion pixel (FN).",
               "Accuracy = (number of background pixels) / (all pixels) = 1 − ref.mean()."],
        solution=("# The empty prediction is right on every background pixel (TN) and wrong on every lesion pixel (FN).\n"
                  "accuracy_of_empty = 1 - ref.mean()\n"
                  "assert ex.q1.check(accuracy_of_empty)"),
        explanation="Accuracy of predicting nothing = 1 − prevalence: near 1 whenever the lesion is small.",
    ),
    ValueQuestion(
        "In the 128 x 128 synthetic images, what is the largest lesion radius (from `radii`) for which the "
        "all-background model scores at least 99% accuracy?",
        answer=_largest_fooling_radius,
        mistakes=[(lambda: _largest_fooling_radius() + 1,
                   "At that radius the lesion covers more than 1% of the image, so accuracy is just below 0.99.")],
        hints=["`empty_counts.accuracy()` gives one accuracy per radius in `radii`; keep those ≥ 0.99.",
               "`radii[empty_counts.accuracy() >= 0.99].max()`; 99% accuracy means the lesion covers at most 1% "
               "of the 16,384 pixels."],
        solution=("fooled = empty_counts.accuracy() >= 0.99\n"
                  "largest_radius = int(radii[fooled].max())\n"
                  "print(f\"radius {largest_radius}: lesion = {prevalences[fooled].max():.2%} of the image\")\n"
                  "assert ex.q2.check(largest_radius)"),
        explanation="Below about 1% prevalence, '99% accurate' is guaranteed for a model that finds nothing.",
    ),
    ChoiceQuestion(
        "Your model has 98% accuracy but 12% recall on tumour pixels. Is it good for production? Why not?",
        options={"a": "Yes: 98% accuracy is excellent, above the usual 95% bar.",
                 "b": "No: accuracy is inflated by the huge background; 12% recall means it misses almost all "
                      "tumour pixels, which is dangerous.",
                 "c": "Yes, as long as precision is also high.",
                 "d": "No, because accuracy should be at least 99.9% for medical use."},
        answer="b",
        explanations={
            "a": "When ~2% of the pixels are tumour, predicting 'healthy' everywhere already scores ~98%: this "
                 "accuracy says nothing about the tumour.",
            "c": "High precision only means its few marks are right; with 12% recall it still misses 88% of the tumour.",
            "d": "No accuracy threshold fixes this: a model that finds nothing gets 99.9% on a 0.1% lesion. "
                 "The problem is the metric, not the bar.",
        },
        hints=["How much accuracy does a model get that predicts 'healthy' everywhere, when 2% of pixels are tumour?",
               "Recall 12%: what fraction of the tumour pixels does the model miss?"],
        explanation="Accuracy is inflated by the background; 12% recall misses 88% of the tumour pixels, which is "
                    "dangerous. Judge it on recall and Dice, never on accuracy.",
    ),
    ValueQuestion(
        "Choose a metric for each scenario (triage of brain bleeds; liver volume outlines; night-time alerts "
        "that page a radiologist), as a tuple of three names from 'accuracy', 'recall', 'precision', 'dice', "
        "'specificity'.",
        answer=("recall", "dice", "precision"),
        hints=["Ask for each scenario: which error is expensive, a miss, a false alarm, or both?",
               "A missed bleed is fatal (misses matter); a volume needs the outline right on both sides (an "
               "overlap score); false pages wear people out (false alarms matter). Accuracy is never the answer."],
        solution='choices = ("recall", "dice", "precision")\nassert ex.q4.check(choices)',
        explanation="Misses → recall; both errors on the outline → Dice; false alarms → precision.",
    ),
]
