"""The four kinds of self-check question.

* :class:`ValueQuestion` - a number (with tolerance), an array, a True/False, or one of a few named options.
* :class:`FunctionQuestion` - a function the learner writes, run on named test :class:`Case` s whose
  expected results come from a reference function in :mod:`seglearn.metrics`.
* :class:`ChoiceQuestion` - a multiple-choice concept question; every wrong option explains the
  misconception it reveals.
* :class:`DrawingQuestion` - a mask painted in a ``MaskPainter`` (or any boolean array), judged by
  :class:`Criterion` s on its metrics against a reference.

Each question has ``check(answer)``, ``hint(n=None)``, ``solution()`` (what learners call) and
``evaluate(answer)`` (the same judgement without display or progress, for tests and tools).
Feedback never contains the expected value; learner code is called, never ``eval``-ed.
"""
from __future__ import annotations

import copy
import math
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Mapping, Sequence

import numpy as np

from . import progress_store as _progress
from .compare import compare, describe, explains_itself, format_number, is_placeholder
from .render import CORRECT, HINT, INCORRECT, INFO, NOT_ATTEMPTED, QUESTION, SOLUTION, Message, Result

__all__ = [
    "Question", "ValueQuestion", "FunctionQuestion", "ChoiceQuestion", "DrawingQuestion",
    "Case", "Criterion", "at_least", "at_most",
]

_MISSING = object()


def _resolve(value: Any) -> Any:
    """Values may be given lazily as a zero-argument callable (so importing a lesson is cheap)."""
    return value() if callable(value) and not isinstance(value, type) else value


class Question:
    """Base class: prompt, progressive hints, a solution, and the check/hint/solution API.

    Parameters
    ----------
    prompt : str
        What is asked, in one or two sentences (shown by ``repr(question)`` and in the answer key).
    hints : sequence of str
        At least one hint, from gentle to nearly-the-answer. ``hint()`` shows the next one.
    solution : str
        The solution, usually the code of the hidden solution cell (shown by ``solution()``).
    explanation : str, optional
        Why the right answer is right; shown with a correct result.
    name : str, optional
        Attribute name in the lesson (default ``q1``, ``q2``, ... by position).
    """

    kind = "question"

    def __init__(self, prompt: str, *, hints: Sequence[str], solution: str | None,
                 explanation: str | None = None, name: str | None = None) -> None:
        if not isinstance(prompt, str) or not prompt.strip():
            raise ValueError("prompt must be a non-empty string saying what is asked")
        if isinstance(hints, str):
            hints = [hints]
        hints = list(hints or [])
        if not hints or not all(isinstance(h, str) and h.strip() for h in hints):
            raise ValueError(f"hints must be a list of at least one non-empty string, got {hints!r}")
        if solution is not None and (not isinstance(solution, str) or not solution.strip()):
            raise ValueError("solution must be a non-empty string (usually the solution cell's code)")
        if name is not None and not (isinstance(name, str) and name.isidentifier()):
            raise ValueError(f"name must be a Python identifier such as 'q1', got {name!r}")
        self.prompt = prompt.strip()
        self.hints = hints
        self.solution_text = solution.strip("\n") if solution else None
        self.explanation = explanation
        self.name = name
        self.lesson_id: str | None = None
        self._next_hint = 1

    # -- binding to a lesson ---------------------------------------------------------------
    def _bind(self, lesson_id: str, name: str) -> None:
        self.lesson_id = lesson_id
        self.name = name

    @property
    def label(self) -> str:
        """``"lesson 02, q1"`` (or just the name when not part of a lesson)."""
        name = self.name or "question"
        return f"lesson {self.lesson_id}, {name}" if self.lesson_id else name

    # -- what subclasses implement ----------------------------------------------------------
    def _judge(self, answer: Any) -> tuple[str, list[str]]:
        """Return ``(outcome, feedback lines)``; must not reveal the expected value."""
        raise NotImplementedError

    def correct_answer(self) -> Any:
        """An answer that passes (the expected value, the reference function, ...); for tests and tools."""
        raise NotImplementedError

    def expected_text(self) -> str:
        """The expected result in words, for the teacher's answer key (reveals the answer)."""
        raise NotImplementedError

    # -- the learner's API ------------------------------------------------------------------
    def evaluate(self, answer: Any) -> Result:
        """Judge ``answer`` without displaying anything or recording progress."""
        try:
            outcome, lines = self._judge(answer)
        except Exception as exc:  # a bug in a question must still give readable feedback
            outcome, lines = INCORRECT, [f"The check itself failed ({type(exc).__name__}: {exc}). "
                                         "Please tell your teacher."]
        if outcome == CORRECT and self.explanation:
            lines = lines + [self.explanation]
        return Result(outcome, self.label, lines)

    def check(self, answer: Any = _MISSING) -> Result:
        """Check ``answer``: show correct / incorrect / not attempted, record progress, return the result.

        The result is truthy only when correct, so solution cells can say ``assert ex.q1.check(x)``;
        a plain ``ex.q1.check(...)`` never raises, whatever the answer.
        """
        if answer is _MISSING:
            answer = None
        result = self.evaluate(answer)
        if self.lesson_id is not None:
            _progress.record(self.lesson_id, self.name or "?", outcome=result.outcome)
        return result.show()

    def hint(self, n: int | None = None) -> Message:
        """Show hint ``n`` (1-based); without ``n`` show the next hint each time it is called."""
        total = len(self.hints)
        if n is None:
            n = self._next_hint
            self._next_hint = min(self._next_hint + 1, total)
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or not 1 <= n <= total:
            msg = Message(INFO, self.label, [f"There {'is' if total == 1 else 'are'} {total} "
                                             f"hint{'s' if total != 1 else ''}: use hint(1) to hint({total})."])
            return msg.show()
        n = int(n)
        self._next_hint = min(max(self._next_hint, n + 1), total)
        if self.lesson_id is not None:
            _progress.record(self.lesson_id, self.name or "?", hint=n)
        more = f" (hint({n + 1}) gives another)" if n < total else ""
        return Message(HINT, f"{self.label}, hint {n} of {total}", [self.hints[n - 1] + more]).show()

    def solution(self) -> Message:
        """Show the solution (and record that it was viewed)."""
        if self.lesson_id is not None:
            _progress.record(self.lesson_id, self.name or "?", solution_viewed=True)
        return Message(SOLUTION, self.label, [], code=self.solution_text or "").show()

    def describe(self) -> Message:
        """The question itself (prompt and, for choices, the options)."""
        return Message(QUESTION, self.label, self._describe_lines())

    def _describe_lines(self) -> list[str]:
        return [self.prompt, "Check your answer with .check(answer); ask for a hint with .hint()."]

    def __repr__(self) -> str:
        return self.describe().text()

    def _repr_html_(self) -> str:
        return self.describe()._repr_html_()


def _not_attempted(what: str = "Replace the placeholder (...) with your answer, then run the cell again.") -> tuple[str, list[str]]:
    return NOT_ATTEMPTED, [what]


# ----------------------------------------------------------------------------------------------
class ValueQuestion(Question):
    """A value the learner computes: a number (with tolerance), an array, a bool, or one of ``options``.

    Parameters
    ----------
    prompt : str
        What to compute.
    answer : object or callable
        The expected value, or a zero-argument callable that computes it with :mod:`seglearn.metrics`
        (evaluated on first use, so importing the lesson stays fast).
    tolerance : float, default 1e-6
        Absolute tolerance for numbers and float arrays (use e.g. ``0.005`` for "two decimals").
    options : sequence of str, optional
        The allowed answers when the answer is one of a few names (e.g. case names); an answer
        outside them is reported as such. Compared without regard to case or surrounding spaces.
    mistakes : mapping or sequence of (value, message) pairs, optional
        Known wrong answers (values or callables) and the misconception each reveals, e.g.
        ``{lambda: sm.iou(p, r): "That is IoU, not Dice."}``. Numbers match within ``tolerance``.
    hints, solution, explanation, name
        See :class:`Question`.

    Examples
    --------
    >>> q = ValueQuestion("What is 2 + 2?", answer=4, hints=["Count."], solution="4")
    >>> q.evaluate(4).outcome, q.evaluate(5).outcome, q.evaluate(...).outcome
    ('correct', 'incorrect', 'not attempted')
    """

    kind = "value"

    def __init__(self, prompt: str, answer: Any, *, tolerance: float = 1e-6,
                 options: Sequence[str] | None = None,
                 mistakes: Mapping[Any, str] | Sequence[tuple[Any, str]] | None = None,
                 hints: Sequence[str], solution: str, explanation: str | None = None,
                 name: str | None = None) -> None:
        super().__init__(prompt, hints=hints, solution=solution, explanation=explanation, name=name)
        if answer is None or answer is Ellipsis:
            raise ValueError("answer must be the expected value (or a callable computing it), not None/...")
        if not (isinstance(tolerance, (int, float)) and tolerance >= 0 and not isinstance(tolerance, bool)):
            raise ValueError(f"tolerance must be a non-negative number, got {tolerance!r}")
        self._answer = answer
        self._expected: Any = _MISSING
        self.tolerance = float(tolerance)
        self.options = [str(o) for o in options] if options is not None else None
        if isinstance(mistakes, Mapping):
            mistakes = list(mistakes.items())
        self.mistakes = list(mistakes or [])
        if self.options is not None and not callable(answer):
            if not isinstance(answer, str) or answer.strip().casefold() not in {o.casefold() for o in self.options}:
                raise ValueError(f"answer {answer!r} must be one of options {self.options}")

    @property
    def expected(self) -> Any:
        """The expected value (computed once)."""
        if self._expected is _MISSING:
            value = _resolve(self._answer)
            if isinstance(value, np.generic):
                value = value.item()
            self._expected = value
        return self._expected

    def correct_answer(self) -> Any:
        return self.expected

    def expected_text(self) -> str:
        e = self.expected
        if isinstance(e, float):
            text = repr(e)
        elif isinstance(e, np.ndarray):
            text = np.array2string(e, precision=6, threshold=50)
        else:
            text = repr(e)
        tol = f" (accepted within ±{self.tolerance:g})" if isinstance(e, (float, np.ndarray)) and self.tolerance else ""
        return text + tol

    def _describe_lines(self) -> list[str]:
        lines = [self.prompt]
        if self.options:
            lines.append("Answer with one of: " + ", ".join(repr(o) for o in self.options))
        return lines + ["Check your answer with .check(answer); ask for a hint with .hint()."]

    def _judge(self, answer: Any) -> tuple[str, list[str]]:
        if is_placeholder(answer):
            return _not_attempted()
        if callable(answer) and not isinstance(answer, np.ndarray):
            return INCORRECT, [f"You gave {describe(answer)}; this question wants a value, "
                               "not a function. Call your function and pass its result."]
        expected = self.expected
        if self.options is not None and isinstance(answer, str):
            normalised = answer.strip().casefold()
            if normalised not in {o.casefold() for o in self.options}:
                return INCORRECT, [f"{answer.strip()!r} is not one of the options: "
                                   + ", ".join(repr(o) for o in self.options) + "."]
        ok, detail = compare(answer, expected, atol=self.tolerance)
        if ok:
            return CORRECT, ["Well done."]
        for value, message in self.mistakes:
            try:
                if compare(answer, _resolve(value), atol=self.tolerance)[0]:
                    return INCORRECT, [f"You gave {detail}, which is not correct.", message]
            except Exception:
                continue
        if explains_itself(detail):
            return INCORRECT, [f"You gave {detail}."]
        return INCORRECT, [f"You gave {detail}, which is not correct."]


# ----------------------------------------------------------------------------------------------
@dataclass
class Case:
    """One named test case for a :class:`FunctionQuestion`.

    Parameters
    ----------
    name : str
        Shown in feedback: "both masks empty: your function returned nan".
    args : tuple
        Positional arguments passed to the learner's function (and the reference).
    kwargs : dict, optional
        Keyword arguments passed to both.
    hint : str, optional
        Shown when this case fails (e.g. "When both masks are empty, Dice is 0/0.").
    expected : object, optional
        Override the reference function's result (rarely needed: prefer the reference).

    Examples
    --------
    >>> import numpy as np
    >>> Case("both masks empty", (np.zeros((4, 4), bool), np.zeros((4, 4), bool))).name
    'both masks empty'
    """

    name: str
    args: tuple = ()
    kwargs: dict = field(default_factory=dict)
    hint: str | None = None
    expected: Any = _MISSING

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise ValueError("Case name must be a non-empty string describing the case")
        if not isinstance(self.args, tuple):
            raise TypeError(f"Case args must be a tuple of positional arguments, got {type(self.args).__name__}")


def _snapshot(value: Any) -> Any:
    try:
        return copy.deepcopy(value)
    except Exception:
        return value


def _same(a: Any, b: Any) -> bool:
    """Whether an argument is unchanged (arrays: same dtype, shape and values, NaN-aware)."""
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        if not (isinstance(a, np.ndarray) and isinstance(b, np.ndarray)):
            return False
        if a.dtype != b.dtype or a.shape != b.shape:
            return False
        return bool(np.array_equal(a, b, equal_nan=a.dtype.kind in "fc"))
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return type(a) is type(b) and len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    try:
        return bool(a == b) or (isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b))
    except Exception:
        return True


class FunctionQuestion(Question):
    """A function the learner writes, run on named test cases.

    Expected results come from ``reference`` (a function of :mod:`seglearn.metrics`, possibly
    wrapped with :func:`functools.partial`), so there is one source of truth for every metric.

    Parameters
    ----------
    prompt : str
        What to write, including the signature, e.g. ``"Write dice(pred, ref) ..."``.
    reference : callable
        The correct implementation, called with each case's arguments.
    cases : sequence of Case, or a callable returning them
        The test cases, usually including edge cases (see :func:`seglearn.exercises.mask_cases`).
    tolerance : float, default 1e-6
        Absolute tolerance for numeric results.
    hints, solution, explanation, name
        See :class:`Question`.

    Notes
    -----
    A learner function that raises ``NotImplementedError`` counts as not attempted. Any other
    exception is reported with the failing case. Each case gets fresh copies of its arguments and
    a function that modifies them is reported ("your function changed its argument pred").
    Arrays must come back as NumPy arrays of the right shape (and bool when a mask is expected).

    Examples
    --------
    >>> import seglearn.metrics as sm
    >>> from seglearn.exercises import mask_cases
    >>> q = FunctionQuestion("Write dice(pred, ref).", reference=sm.dice, cases=mask_cases(),
    ...                      hints=["2TP / (2TP + FP + FN)"], solution="def dice(pred, ref): ...")
    >>> q.evaluate(sm.dice).outcome
    'correct'
    """

    kind = "function"

    def __init__(self, prompt: str, reference: Callable[..., Any],
                 cases: Sequence[Case] | Callable[[], Sequence[Case]], *, tolerance: float = 1e-6,
                 hints: Sequence[str], solution: str, explanation: str | None = None,
                 name: str | None = None) -> None:
        super().__init__(prompt, hints=hints, solution=solution, explanation=explanation, name=name)
        if not callable(reference):
            raise TypeError(f"reference must be a function (from seglearn.metrics), got {type(reference).__name__}")
        self.reference = reference
        self._cases_source = cases
        self._cases: list[Case] | None = None
        self._expected: list[Any] | None = None
        self.tolerance = float(tolerance)

    @property
    def cases(self) -> list[Case]:
        """The test cases (built on first use)."""
        if self._cases is None:
            cases = self._cases_source() if callable(self._cases_source) else self._cases_source
            cases = list(cases)
            if not cases or not all(isinstance(c, Case) for c in cases):
                raise ValueError(f"{self.label}: cases must be a non-empty list of Case objects")
            self._cases = cases
        return self._cases

    def expected_results(self) -> list[Any]:
        """The reference's result for every case (computed once, from pristine copies)."""
        if self._expected is None:
            results = []
            for case in self.cases:
                if case.expected is not _MISSING:
                    results.append(case.expected)
                else:
                    value = self.reference(*_snapshot(case.args), **_snapshot(case.kwargs))
                    results.append(value.item() if isinstance(value, np.generic) else value)
            self._expected = results
        return self._expected

    def correct_answer(self) -> Callable[..., Any]:
        return self.reference

    def expected_text(self) -> str:
        lines = []
        for case, value in zip(self.cases, self.expected_results()):
            shown = (np.array2string(value, threshold=20) if isinstance(value, np.ndarray)
                     else format_number(value) if isinstance(value, (int, float)) and not isinstance(value, bool)
                     else repr(value))
            lines.append(f"{case.name}: {shown}")
        return "\n".join(lines)

    def _judge(self, answer: Any) -> tuple[str, list[str]]:
        if is_placeholder(answer):
            return _not_attempted("Write your function in place of the placeholder, then run the cell again.")
        if not callable(answer) or isinstance(answer, type):
            return INCORRECT, [f"You gave {describe(answer)}; pass your function itself "
                               "(its name without parentheses), e.g. check(my_function)."]
        expected = self.expected_results()
        passed, failures = [], []
        for case, want in zip(self.cases, expected):
            args, kwargs = _snapshot(case.args), _snapshot(case.kwargs)
            pristine_args, pristine_kwargs = _snapshot(case.args), _snapshot(case.kwargs)
            try:
                got = answer(*args, **kwargs)
            except NotImplementedError:
                return _not_attempted("Your function still raises NotImplementedError: "
                                      "replace that line with your code.")
            except Exception as exc:  # learner code: report, never crash
                failures.append(self._fail(case, f"your function raised {type(exc).__name__}: {exc}"))
                continue
            changed = [_argument_name(answer, i) for i, (a, p) in enumerate(zip(args, pristine_args))
                       if not _same(a, p)]
            changed += [k for k in kwargs if not _same(kwargs[k], pristine_kwargs[k])]
            if changed:
                failures.append(self._fail(case, "your function changed its input "
                                           + ", ".join(changed)
                                           + " (work on a copy, e.g. np.asarray(x, bool), instead of modifying it)"))
                continue
            if isinstance(got, np.generic):
                got = got.item()
            ok, detail = compare(got, want, atol=self.tolerance, strict_arrays=True, returned=True)
            if ok:
                passed.append(case.name)
            else:
                failures.append(self._fail(case, f"your function returned {detail}"))
        total = len(self.cases)
        if not failures:
            return CORRECT, [f"All {total} test cases pass."]
        lines = [f"{len(passed)} of {total} test cases pass."]
        # Group cases that fail the same way, so "returned None" is said once, not ten times.
        groups: dict[str, list[Case]] = {}
        for case, what in failures:
            groups.setdefault(what, []).append(case)
        for what, cases in groups.items():
            if len(cases) == total:
                where = "every case"
            elif len(cases) <= 3:
                where = ", ".join(c.name for c in cases)
            else:
                where = ", ".join(c.name for c in cases[:2]) + f" and {len(cases) - 2} more cases"
            hint = next((c.hint for c in cases if c.hint), None)
            lines.append(f"✗ {where}: {what}" + (f" (hint: {hint})" if hint else ""))
        return INCORRECT, lines

    @staticmethod
    def _fail(case: Case, what: str) -> tuple[Case, str]:
        return case, what


def _argument_name(func: Callable[..., Any], index: int) -> str:
    code = getattr(func, "__code__", None)
    if code is not None and index < code.co_argcount:
        return repr(code.co_varnames[index])
    return f"argument {index + 1}"


# ----------------------------------------------------------------------------------------------
class ChoiceQuestion(Question):
    """A multiple-choice concept question; every wrong option carries its own explanation.

    Parameters
    ----------
    prompt : str
        The question.
    options : mapping of str to str
        Option key (``"a"``, ``"b"``, ...) to option text, in display order.
    answer : str or collection of str
        The right key, or all right keys when several options must be chosen together.
    explanations : mapping of str to str
        For EVERY wrong option: the misconception it reveals (checked when the lesson loads).
    explanation : str, optional
        Why the right answer is right (shown when correct).
    hints : sequence of str
        See :class:`Question`.
    solution : str, optional
        Defaults to the right option(s) with ``explanation``.

    Examples
    --------
    >>> q = ChoiceQuestion("Which metric ignores true negatives?", {"a": "Dice", "b": "accuracy"},
    ...                    answer="a", explanations={"b": "Accuracy counts TN: background dominates."},
    ...                    hints=["Look at the formulas."])
    >>> q.evaluate("b").lines[-1]
    '(b) is not right: Accuracy counts TN: background dominates.'
    """

    kind = "choice"

    def __init__(self, prompt: str, options: Mapping[str, str], answer: str | Iterable[str], *,
                 explanations: Mapping[str, str], hints: Sequence[str], solution: str | None = None,
                 explanation: str | None = None, name: str | None = None) -> None:
        super().__init__(prompt, hints=hints, solution=solution or "(generated)", explanation=explanation, name=name)
        if not isinstance(options, Mapping) or len(options) < 2:
            raise ValueError("options must be a dict of at least two {key: text} entries")
        self.options = {str(k).strip().casefold(): str(v) for k, v in options.items()}
        keys = {answer} if isinstance(answer, str) else set(answer)
        self.answers = {str(k).strip().casefold() for k in keys}
        unknown = self.answers - set(self.options)
        if not self.answers or unknown:
            raise ValueError(f"answer must name option keys among {sorted(self.options)}, got {answer!r}")
        self.explanations = {str(k).strip().casefold(): v for k, v in explanations.items()}
        missing = [k for k in self.options if k not in self.answers and not self.explanations.get(k, "").strip()]
        if missing:
            raise ValueError(f"every wrong option needs an explanation of its misconception; missing: {missing}")
        if solution is None:
            right = "; ".join(f"({k}) {self.options[k]}" for k in self.options if k in self.answers)
            self.solution_text = f"Answer: {right}." + (f"\n{explanation}" if explanation else "")

    def correct_answer(self) -> str | list[str]:
        keys = [k for k in self.options if k in self.answers]
        return keys[0] if len(keys) == 1 else keys

    def expected_text(self) -> str:
        return ", ".join(f"({k}) {self.options[k]}" for k in self.options if k in self.answers)

    def _describe_lines(self) -> list[str]:
        lines = [self.prompt] + [f"({k}) {v}" for k, v in self.options.items()]
        many = len(self.answers) > 1
        lines.append("Choose " + ("all options that apply, e.g. .check(['a', 'c'])" if many
                                  else "one option, e.g. .check('a')") + "; ask for a hint with .hint().")
        return lines

    def _judge(self, answer: Any) -> tuple[str, list[str]]:
        if is_placeholder(answer) or (isinstance(answer, str) and not answer.strip()):
            return _not_attempted("Replace the placeholder with the letter of your choice, e.g. 'a'.")
        if isinstance(answer, str):
            chosen = [answer]
            text = answer.strip().casefold()
            if text not in self.options:   # "a, c", "a c" or "ac" for several options
                parts = [p for p in re.split(r"[\s,;/+&]+|\band\b", text) if p]
                if len(parts) == 1 and len(text) > 1 and all(ch in self.options for ch in text):
                    parts = list(text)
                if len(parts) > 1:
                    chosen = parts
        elif isinstance(answer, (list, tuple, set, frozenset)) and all(isinstance(a, str) for a in answer):
            chosen = list(answer)
        else:
            return INCORRECT, [f"You gave {describe(answer)}; answer with the option's letter as a string, e.g. 'a'."]
        keys = [c.strip().strip("()").casefold() for c in chosen]
        unknown = [k for k in keys if k not in self.options]
        if unknown:
            return INCORRECT, [f"{unknown[0]!r} is not one of the options " + ", ".join(self.options) + "."]
        picked = set(keys)
        if picked == self.answers:
            return CORRECT, ["Right."]
        lines = []
        for key in self.options:
            if key in picked and key not in self.answers:
                lines.append(f"({key}) is not right: {self.explanations[key]}")
        if not lines:  # only right options picked, but not all of them
            lines.append("What you chose is right, but incomplete: more than one option applies.")
        elif len(self.answers) > 1 and not (self.answers - picked):
            lines.append("(The other options you chose are right.)")
        return INCORRECT, lines


# ----------------------------------------------------------------------------------------------
_METRIC_NAMES = {"dice": "Dice", "iou": "IoU", "precision": "precision", "recall": "recall",
                 "specificity": "specificity", "npv": "NPV", "accuracy": "accuracy",
                 "balanced_accuracy": "balanced accuracy", "mcc": "MCC",
                 "volume_similarity": "volume similarity", "tp": "TP", "fp": "FP", "fn": "FN",
                 "tn": "TN", "painted": "painted pixels"}


@dataclass(frozen=True)
class Criterion:
    """One condition on the metrics of a painted mask.

    Parameters
    ----------
    label : str
        Shown to the learner, e.g. ``"Dice ≥ 0.8"`` (it is part of the task, so it may name numbers).
    test : callable
        ``test(metrics) -> bool`` where ``metrics`` is ``confusion_counts(mask, reference).metrics()``
        plus ``tp``, ``fp``, ``fn``, ``tn`` and ``painted`` (number of painted pixels).
    metric : str, optional
        Key whose value is shown next to the criterion ("yours: 0.72").

    Examples
    --------
    >>> Criterion("more than 10 pixels", lambda m: m["painted"] > 10, metric="painted").label
    'more than 10 pixels'
    """

    label: str
    test: Callable[[Mapping[str, float]], bool]
    metric: str | None = None


def at_least(metric: str, value: float) -> Criterion:
    """Criterion ``metric >= value``, e.g. ``at_least("dice", 0.8)``."""
    return Criterion(f"{_METRIC_NAMES.get(metric, metric)} ≥ {value:g}", lambda m: m[metric] >= value, metric)


def at_most(metric: str, value: float) -> Criterion:
    """Criterion ``metric <= value``, e.g. ``at_most("recall", 0.6)``."""
    return Criterion(f"{_METRIC_NAMES.get(metric, metric)} ≤ {value:g}", lambda m: m[metric] <= value, metric)


class DrawingQuestion(Question):
    """A mask the learner paints (``MaskPainter``) or builds, judged by criteria on its metrics.

    Parameters
    ----------
    prompt : str
        The task, stating the criteria, e.g. "Paint a prediction with Dice ≥ 0.8 but recall ≤ 0.6".
    reference : array or callable
        The reference mask (or a zero-argument callable returning it, e.g. from ``seglearn.data``).
    criteria : sequence of Criterion
        All must hold; build them with :func:`at_least`, :func:`at_most` or :class:`Criterion`.
    example : callable, optional
        Zero-argument callable returning a mask that satisfies the criteria (lets the tests prove
        the task is solvable).
    allow_empty : bool, default False
        Whether an empty mask is a real answer (otherwise it counts as not attempted).
    hints, solution, explanation, name
        See :class:`Question`.

    Examples
    --------
    >>> import numpy as np
    >>> ref = np.zeros((10, 10), bool); ref[2:8, 2:8] = True
    >>> q = DrawingQuestion("Paint a mask with recall ≤ 0.5.", reference=ref,
    ...                     criteria=[at_most("recall", 0.5)], hints=["Paint less."], solution="...")
    >>> mask = np.zeros_like(ref); mask[2:4, 2:8] = True
    >>> q.evaluate(mask).outcome
    'correct'
    """

    kind = "drawing"

    def __init__(self, prompt: str, reference: Any, criteria: Sequence[Criterion], *,
                 hints: Sequence[str], solution: str, example: Callable[[], Any] | None = None,
                 allow_empty: bool = False, explanation: str | None = None, name: str | None = None) -> None:
        super().__init__(prompt, hints=hints, solution=solution, explanation=explanation, name=name)
        criteria = list(criteria)
        if not criteria or not all(isinstance(c, Criterion) for c in criteria):
            raise ValueError("criteria must be a non-empty list of Criterion (use at_least/at_most)")
        self._reference_source = reference
        self._reference: np.ndarray | None = None
        self.criteria = criteria
        self.example = example
        self.allow_empty = allow_empty

    @property
    def reference(self) -> np.ndarray:
        if self._reference is None:
            from ..metrics import as_mask

            self._reference = as_mask(_resolve(self._reference_source), "reference")
        return self._reference

    def correct_answer(self) -> Any:
        return None if self.example is None else _resolve(self.example)

    def expected_text(self) -> str:
        return "A mask with " + " and ".join(c.label for c in self.criteria)

    def metrics_of(self, mask: np.ndarray) -> dict[str, float]:
        """The values the criteria see for ``mask`` (from :mod:`seglearn.metrics`)."""
        from ..metrics import confusion_counts

        counts = confusion_counts(mask, self.reference)
        values = dict(counts.metrics())
        values.update(tp=int(counts.tp), fp=int(counts.fp), fn=int(counts.fn), tn=int(counts.tn),
                      painted=int(np.count_nonzero(mask)))
        return values

    def _judge(self, answer: Any) -> tuple[str, list[str]]:
        if is_placeholder(answer):
            return _not_attempted("Paint in the widget (or build a mask), then pass it to check().")
        mask = getattr(answer, "mask", answer)
        if is_placeholder(mask):
            return _not_attempted("The painter has no mask yet: paint something, then check again.")
        mask = np.asarray(mask) if isinstance(mask, (list, tuple)) else mask
        if not isinstance(mask, np.ndarray):
            return INCORRECT, [f"You gave {describe(answer)}; pass the painter (or a boolean mask array)."]
        if mask.dtype.kind not in "biu" or (mask.dtype.kind != "b" and not np.isin(mask, (0, 1)).all()):
            return INCORRECT, [f"Your mask has dtype {mask.dtype} with values other than 0/1; a boolean mask is expected."]
        mask = mask.astype(bool)
        if mask.shape != self.reference.shape:
            return INCORRECT, [f"Your mask has shape {mask.shape} but the image has shape {self.reference.shape}."]
        if not mask.any() and not self.allow_empty:
            return _not_attempted("Your mask is empty: paint something, then check again.")
        values = self.metrics_of(mask)
        lines, ok = [], True
        for crit in self.criteria:
            try:
                good = bool(crit.test(values))
            except Exception:
                good = False
            ok &= good
            yours = ""
            if crit.metric is not None and crit.metric in values:
                v = values[crit.metric]
                yours = f" (yours: {format_number(v)}{', undefined' if isinstance(v, float) and math.isnan(v) else ''})"
            lines.append(f"{'✓' if good else '✗'} {crit.label}{yours}")
        return (CORRECT if ok else INCORRECT), lines
