"""Exercises for lesson 00 (start here): one tiny value question to try the self-check."""
from __future__ import annotations

import numpy as np

from .questions import ValueQuestion

TITLE = "Start here"

#: The 5 x 5 mask drawn in the notebook (1 = True).
MASK = np.array([
    [0, 0, 0, 0, 0],
    [0, 1, 1, 0, 0],
    [0, 1, 1, 1, 0],
    [0, 0, 1, 0, 0],
    [0, 0, 0, 0, 0],
], dtype=bool)

QUESTIONS = [
    ValueQuestion(
        "How many pixels of the 5 x 5 `mask` are True?",
        answer=lambda: int(np.count_nonzero(MASK)),
        mistakes=[(25, "That is the number of all pixels (5 x 5); count only the True (yellow) ones."),
                  (19, "That is the number of False pixels; the question asks for the True ones.")],
        hints=["Count the yellow squares in the picture, row by row.",
               "In NumPy, True counts as 1 and False as 0, so `mask.sum()` counts the True pixels."],
        solution="n_true = int(mask.sum())  # True counts as 1, False as 0\nassert ex.q1.check(n_true)",
        explanation="`mask.sum()` counts the True pixels: the size of the structure in pixels.",
    ),
]
