"""Self-check exercises: immediate feedback in the notebook, no grading server.

In a lesson notebook::

    import seglearn.exercises as exercises
    ex = exercises.lesson("02")
    ex.q1.check(my_answer)     # ✓ correct / ✗ incorrect / ○ not attempted (never raises)
    ex.q1.hint()               # the next hint; ex.q1.hint(2) for hint 2
    ex.q1.solution()           # the solution
    ex.progress()              # this lesson's table; exercises.progress() for every lesson

Lesson authors declare questions in ``seglearn/exercises/lesson_NN.py``::

    TITLE = "Dice and IoU"
    QUESTIONS = [ValueQuestion(...), FunctionQuestion(...), ChoiceQuestion(...), DrawingQuestion(...)]

See ``notebooks/README.md`` for the full convention. Progress is saved in the file named by
``SEGLEARN_PROGRESS_FILE`` (default ``~/.seglearn/progress.json``).
"""
from __future__ import annotations

from .cases import example_masks, mask_cases
from .core import LESSON_PATH_VAR, Lesson, available_lessons, lesson, progress, verify
from .progress_store import ENV_VAR as PROGRESS_FILE_VAR, ProgressWarning, progress_path
from .questions import (
    Case,
    ChoiceQuestion,
    Criterion,
    DrawingQuestion,
    FunctionQuestion,
    Question,
    ValueQuestion,
    at_least,
    at_most,
)
from .render import Message, Result

__all__ = [
    "lesson", "progress", "verify", "available_lessons", "Lesson",
    "Question", "ValueQuestion", "FunctionQuestion", "ChoiceQuestion", "DrawingQuestion",
    "Case", "Criterion", "at_least", "at_most", "mask_cases", "example_masks",
    "Result", "Message", "ProgressWarning", "progress_path", "PROGRESS_FILE_VAR", "LESSON_PATH_VAR",
]
