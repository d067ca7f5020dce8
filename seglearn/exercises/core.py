"""Lessons: find the lesson modules, load their questions, report progress.

A lesson module is ``seglearn/exercises/lesson_NN.py`` (``NN`` = the notebook's two-digit number)
that defines::

    TITLE = "Dice and IoU"
    QUESTIONS = [ValueQuestion(...), FunctionQuestion(...), ChoiceQuestion(...), DrawingQuestion(...)]

Questions are named ``q1``, ``q2``, ... by position unless given ``name=``. Extra lesson folders
(for a teacher's own lessons, or test fixtures) can be listed in the environment variable
``SEGLEARN_LESSON_PATH`` (separated like ``PATH``); their ``lesson_NN.py`` files are found too,
and so are ``lesson_NN.py`` files in the current directory (the notebook's folder in Jupyter).
A lesson number that exists in the package always comes from the package.
"""
from __future__ import annotations

import importlib
import importlib.util
import os
import pkgutil
import re
import sys
import zlib
from pathlib import Path
from types import ModuleType
from typing import Any, Iterator

from . import progress_store as _progress
from .questions import Question
from .render import CORRECT, INCORRECT, NOT_ATTEMPTED, PROGRESS, QUESTION, Message, Table

__all__ = ["Lesson", "lesson", "available_lessons", "progress", "verify", "LESSON_PATH_VAR"]

LESSON_PATH_VAR = "SEGLEARN_LESSON_PATH"
_MODULE_RE = re.compile(r"^lesson_(\d{2})$")
_cache: dict[str, "Lesson"] = {}


def normalise_lesson_id(lesson_id: Any) -> str:
    """``2``, ``"2"``, ``"02"``, ``"lesson_02"``, ``"02_dice_and_iou.ipynb"`` -> ``"02"``.

    Examples
    --------
    >>> normalise_lesson_id("02_dice_and_iou.ipynb"), normalise_lesson_id(3)
    ('02', '03')
    """
    if isinstance(lesson_id, bool):
        raise TypeError("lesson must be a lesson number such as '02'")
    if isinstance(lesson_id, int):
        if not 0 <= lesson_id <= 99:
            raise ValueError(f"lesson number must be between 0 and 99, got {lesson_id}")
        return f"{lesson_id:02d}"
    if isinstance(lesson_id, str):
        match = re.search(r"(\d+)", Path(lesson_id).name)
        if match and int(match.group(1)) <= 99:
            return f"{int(match.group(1)):02d}"
    raise ValueError(f"lesson must be a lesson number such as '02' (or a notebook name "
                     f"'02_dice_and_iou.ipynb'), got {lesson_id!r}")


def _extra_dirs() -> list[Path]:
    """Folders searched after the package: ``SEGLEARN_LESSON_PATH``, then the current directory."""
    value = os.environ.get(LESSON_PATH_VAR, "")
    dirs = [Path(p).expanduser() for p in value.split(os.pathsep) if p.strip()]
    return dirs + [Path.cwd()]


def _sources() -> dict[str, tuple[str, Path | None]]:
    """lesson id -> (module name, file path for extra-path modules or None for package modules)."""
    found: dict[str, tuple[str, Path | None]] = {}
    package_dir = Path(__file__).resolve().parent
    for info in pkgutil.iter_modules([str(package_dir)]):
        match = _MODULE_RE.match(info.name)
        if match:
            found[match.group(1)] = (f"{__package__}.{info.name}", None)
    for folder in _extra_dirs():
        for file in sorted(folder.glob("lesson_[0-9][0-9].py")):
            lesson_id = _MODULE_RE.match(file.stem).group(1)
            found.setdefault(lesson_id, (f"seglearn_extra_lessons.{file.stem}_{zlib.crc32(str(folder).encode()):08x}", file))
    return found


def available_lessons() -> list[str]:
    """Ids (``"00"``, ``"02"``, ...) of every lesson module that exists, sorted.

    Examples
    --------
    >>> isinstance(available_lessons(), list)
    True
    """
    return sorted(_sources())


def _import(module_name: str, path: Path | None) -> ModuleType:
    if path is None:
        return importlib.import_module(module_name)
    if module_name in sys.modules:
        return sys.modules[module_name]
    spec = importlib.util.spec_from_file_location(module_name, path)
    if spec is None or spec.loader is None:  # pragma: no cover - a .py file always has a loader
        raise ImportError(f"cannot load lesson module {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[module_name]
        raise
    return module


class Lesson:
    """The questions of one lesson: ``ex.q1``, ``ex.q2``, ..., plus :meth:`progress`.

    Obtain it with :func:`lesson` (``ex = seglearn.exercises.lesson("02")``).

    Parameters
    ----------
    lesson_id : str
        Two-digit lesson number.
    title : str
        Lesson title.
    questions : list of Question
        In order; named by their ``name`` or ``q1``, ``q2``, ... by position.
    """

    def __init__(self, lesson_id: str, title: str, questions: list[Question]) -> None:
        self.id = lesson_id
        self.title = title
        self._questions: dict[str, Question] = {}
        for position, question in enumerate(questions, start=1):
            if not isinstance(question, Question):
                raise TypeError(f"lesson {lesson_id}: QUESTIONS[{position - 1}] is a "
                                f"{type(question).__name__}, not a Question")
            name = question.name if question.name and question.lesson_id in (None, lesson_id) else f"q{position}"
            if question.lesson_id not in (None, lesson_id):
                raise ValueError(f"lesson {lesson_id}: question {name} already belongs to lesson {question.lesson_id}")
            if name in self._questions or name in _RESERVED:
                raise ValueError(f"lesson {lesson_id}: two questions are named {name!r} (or the name is reserved)")
            if not question.hints or not question.solution_text:
                raise ValueError(f"lesson {lesson_id}: question {name} needs hints and a solution")
            question._bind(lesson_id, name)
            self._questions[name] = question

    @classmethod
    def from_module(cls, module: ModuleType, lesson_id: str | None = None) -> "Lesson":
        """Build a lesson from a module defining ``TITLE`` and ``QUESTIONS``."""
        if lesson_id is None:
            lesson_id = normalise_lesson_id(module.__name__.rsplit(".", 1)[-1])
        questions = getattr(module, "QUESTIONS", None)
        if not isinstance(questions, (list, tuple)):
            raise TypeError(f"lesson module {module.__name__} must define QUESTIONS = [...] (a list of questions)")
        title = getattr(module, "TITLE", None)
        if not isinstance(title, str) or not title.strip():
            raise TypeError(f"lesson module {module.__name__} must define TITLE = '...' (the lesson title)")
        return cls(lesson_id, title.strip(), list(questions))

    # -- access ------------------------------------------------------------------------------
    @property
    def questions(self) -> dict[str, Question]:
        """Name -> question, in order."""
        return dict(self._questions)

    def __getattr__(self, name: str) -> Question:
        questions = self.__dict__.get("_questions", {})
        if name in questions:
            return questions[name]
        raise AttributeError(f"lesson {self.__dict__.get('id', '?')} has no question {name!r}; "
                             f"it has {', '.join(questions) or 'no questions'}")

    def __dir__(self) -> list[str]:
        return sorted(set(super().__dir__()) | set(self._questions))

    def __iter__(self) -> Iterator[Question]:
        return iter(self._questions.values())

    def __len__(self) -> int:
        return len(self._questions)

    # -- display -----------------------------------------------------------------------------
    def describe(self) -> Message:
        lines = [f"{name}: {q.prompt.splitlines()[0]}" for name, q in self._questions.items()]
        return Message(QUESTION, f"lesson {self.id}: {self.title}", lines)

    def __repr__(self) -> str:
        return self.describe().text()

    def _repr_html_(self) -> str:
        return self.describe()._repr_html_()

    def progress(self) -> Message:
        """A table of this lesson's questions: status, checks, hints seen, solution viewed.

        Examples
        --------
        >>> ex = lesson("02")            # doctest: +SKIP
        >>> ex.progress()                # doctest: +SKIP
        """
        data = _progress.load()
        rows, done = [], 0
        for name, q in self._questions.items():
            state = _progress.question_state(data, self.id, name)
            done += state["status"] == CORRECT
            rows.append([name, q.kind, _STATUS_TEXT[state["status"]], str(state["checks"]),
                         f"{state['hints']}/{len(q.hints)}", "yes" if state["solution_viewed"] else "no"])
        table = Table(["question", "kind", "status", "checks", "hints seen", "solution seen"], rows)
        return Message(PROGRESS, f"lesson {self.id}: {self.title}",
                       [f"{done} of {len(self._questions)} questions correct."], table=table)


_RESERVED = {"id", "title", "questions", "progress", "describe", "from_module"}
_STATUS_TEXT = {CORRECT: "✓ correct", INCORRECT: "✗ not yet", NOT_ATTEMPTED: "○ not attempted"}


def lesson(lesson_id: Any) -> Lesson:
    """The exercises of one lesson.

    Parameters
    ----------
    lesson_id : str, int or module
        ``"02"``, ``2``, ``"02_dice_and_iou"`` or a lesson module object.

    Returns
    -------
    Lesson
        With attributes ``q1``, ``q2``, ... and :meth:`Lesson.progress`.

    Examples
    --------
    >>> import seglearn.exercises as exercises
    >>> ex = exercises.lesson("02")          # doctest: +SKIP
    >>> ex.q1.check(0.75)                    # doctest: +SKIP
    >>> ex.q1.hint()                         # doctest: +SKIP
    """
    if isinstance(lesson_id, ModuleType):
        key = f"module:{lesson_id.__name__}"
        if key not in _cache:
            _cache[key] = Lesson.from_module(lesson_id)
        return _cache[key]
    lid = normalise_lesson_id(lesson_id)
    sources = _sources()
    if lid not in sources:
        have = ", ".join(sorted(sources)) or "none"
        raise ValueError(f"there are no exercises for lesson {lid!r} (lessons with exercises: {have})")
    module_name, path = sources[lid]
    key = f"{module_name}:{path}"
    if key not in _cache:
        _cache[key] = Lesson.from_module(_import(module_name, path), lid)
    return _cache[key]


def progress() -> Message:
    """A per-lesson table of progress over every lesson (from the progress file).

    Examples
    --------
    >>> import seglearn.exercises as exercises
    >>> exercises.progress()                 # doctest: +SKIP
    """
    data = _progress.load()
    rows, total_done, total = [], 0, 0
    for lid in available_lessons():
        try:
            les = lesson(lid)
        except Exception as exc:  # one broken lesson must not hide the others
            rows.append([lid, f"(cannot load: {type(exc).__name__})", "", "", "", ""])
            continue
        states = [_progress.question_state(data, lid, name) for name in les.questions]
        done = sum(s["status"] == CORRECT for s in states)
        tried = sum(s["status"] == INCORRECT for s in states)
        total_done += done
        total += len(states)
        rows.append([lid, les.title, f"{done}/{len(states)}", str(tried),
                     str(sum(s["hints"] for s in states)), str(sum(s["solution_viewed"] for s in states))])
    table = Table(["lesson", "title", "correct", "not yet", "hints seen", "solutions seen"], rows)
    where = _progress.progress_path()
    return Message(PROGRESS, "all lessons", [f"{total_done} of {total} questions correct "
                                          f"(saved in {where if where else 'memory only'})."], table=table)


def verify() -> str:
    """Load every lesson module and check its questions; used by ``seglearn check-setup``.

    Returns
    -------
    str
        e.g. ``"8 lessons, 37 questions load"``.

    Raises
    ------
    Exception
        The first lesson that fails to load, with its id in the message.

    Examples
    --------
    >>> import seglearn.exercises as exercises
    >>> exercises.verify()                   # doctest: +SKIP
    '8 lessons, 37 questions load'
    """
    ids = available_lessons()
    n_questions = 0
    for lid in ids:
        try:
            n_questions += len(lesson(lid))
        except Exception as exc:
            raise RuntimeError(f"lesson {lid}: {type(exc).__name__}: {exc}") from exc
    return f"{len(ids)} lesson{'s' if len(ids) != 1 else ''}, {n_questions} question{'s' if n_questions != 1 else ''} load"
