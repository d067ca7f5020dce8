"""Tests for seglearn.exercises: every question kind, feedback that never leaks the answer,
learner code that misbehaves, hints/solutions of every lesson module, and saved progress."""
from __future__ import annotations

import ast
import functools
import json
import math
import re
import warnings
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

import seglearn.exercises as exercises
import seglearn.metrics as sm
from seglearn.exercises import (Case, ChoiceQuestion, Criterion, DrawingQuestion, FunctionQuestion,
                                ProgressWarning, ValueQuestion, at_least, at_most, example_masks,
                                mask_cases)
from seglearn.exercises import core, progress_store as progress_mod
from seglearn.exercises.compare import compare

FIXTURES = Path(__file__).parent / "fixtures" / "exercises"
PACKAGE_LESSONS = exercises.available_lessons()  # discovered, so lessons added later are covered


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch):
    """Progress in a tmp file, the fixture lesson (90) findable, warnings state fresh."""
    monkeypatch.setenv("SEGLEARN_PROGRESS_FILE", str(tmp_path / "progress.json"))
    monkeypatch.setenv("SEGLEARN_LESSON_PATH", str(FIXTURES))
    progress_mod._warned.clear()
    progress_mod._memory.clear()
    yield tmp_path


@pytest.fixture
def fixture_lesson():
    return exercises.lesson("90")


PRED, REF = example_masks()


def dice_question(**kw):
    return FunctionQuestion("Write my_dice(pred, ref).", reference=sm.dice, cases=mask_cases(),
                            hints=["2TP / (2TP + FP + FN)", "np.sum(pred & ref)"], solution="def my_dice(p, r): ...", **kw)


def number_question(**kw):
    kw.setdefault("tolerance", 1e-3)
    return ValueQuestion("Dice of PRED vs REF?", answer=lambda: sm.dice(PRED, REF),
                         hints=["Use sm.dice."], solution="sm.dice(PRED, REF)", **kw)


# ---------------------------------------------------------------------------------------------
# value questions
def test_number_right_wrong_not_attempted():
    q = number_question()
    expected = sm.dice(PRED, REF)
    assert q.evaluate(expected).outcome == "correct"
    assert q.evaluate(expected + 0.0009).outcome == "correct"        # inside the tolerance
    assert q.evaluate(np.float32(expected)).outcome == "correct"
    assert q.evaluate(np.array(expected)).outcome == "correct"      # 0-d array
    assert q.evaluate(expected + 0.002).outcome == "incorrect"      # outside it
    assert q.evaluate(0.9).outcome == "incorrect"
    assert q.evaluate(...).outcome == "not attempted"
    assert q.evaluate(None).outcome == "not attempted"


def test_number_wrong_types_are_explained():
    q = number_question()
    assert "where a number is expected" in q.evaluate("0.48").text()
    assert "a bool" in q.evaluate(True).text()
    assert "single number" in q.evaluate(np.array([0.48])).text()
    assert "not a function" in q.evaluate(sm.dice).text()


def test_known_mistake_gets_its_own_message():
    q = number_question(mistakes={lambda: sm.iou(PRED, REF): "That is IoU, not Dice."})
    result = q.evaluate(sm.iou(PRED, REF))
    assert result.outcome == "incorrect" and "That is IoU, not Dice." in result.lines


def test_nan_answer_matches_only_nan():
    q = ValueQuestion("Dice of two empty masks?", answer=lambda: sm.dice(np.zeros(4, bool), np.zeros(4, bool)),
                      hints=["0/0"], solution="nan")
    assert q.evaluate(float("nan")).outcome == "correct"
    assert q.evaluate(1.0).outcome == "incorrect"


def test_array_answers():
    expected = sm.confusion_counts(PRED, REF).matrix()
    q = ValueQuestion("Confusion matrix?", answer=expected, hints=["h"], solution="s")
    assert q.evaluate(expected.tolist()).outcome == "correct"       # a typed list is fine for values
    assert q.evaluate(np.asarray(expected)).outcome == "correct"
    wrong_shape = q.evaluate([1, 2, 3, 4])
    assert wrong_shape.outcome == "incorrect" and "not the expected shape" in wrong_shape.text()
    wrong = q.evaluate(np.asarray(expected) + np.eye(2, dtype=int))
    assert "2 of 4 entries are not correct" in wrong.text()
    assert q.evaluate(...).outcome == "not attempted"


def test_bool_mask_answer_must_be_bool():
    q = ValueQuestion("Which pixels are false positives?", answer=lambda: PRED & ~REF, hints=["h"], solution="s")
    assert q.evaluate(PRED & ~REF).outcome == "correct"
    result = q.evaluate((PRED & ~REF).astype(np.uint8))
    assert result.outcome == "incorrect" and "boolean" in result.text()


def test_choice_among_options():
    q = ValueQuestion("Which is better?", answer="good", options=["good", "over"], hints=["h"], solution="s")
    assert q.evaluate(" Good ").outcome == "correct"
    assert q.evaluate("over").outcome == "incorrect"
    outside = q.evaluate("great")
    assert outside.outcome == "incorrect" and "not one of the options" in outside.text()
    assert q.evaluate(...).outcome == "not attempted"
    with pytest.raises(ValueError, match="one of options"):
        ValueQuestion("x", answer="bad", options=["good"], hints=["h"], solution="s")


def test_bool_value():
    q = ValueQuestion("Is accuracy high here?", answer=True, hints=["h"], solution="s")
    assert q.evaluate(True).outcome == "correct"
    assert q.evaluate(np.bool_(True)).outcome == "correct"
    assert q.evaluate(False).outcome == "incorrect"
    assert "True or False" in q.evaluate(1).text()


# ---------------------------------------------------------------------------------------------
# function questions
def test_function_right_wrong_not_attempted():
    q = dice_question()
    assert q.evaluate(sm.dice).outcome == "correct"

    def naive(pred, ref):
        pred, ref = np.asarray(pred, bool), np.asarray(ref, bool)
        return 2 * np.sum(pred & ref) / (pred.sum() + ref.sum() + 1e-9)   # 0 instead of NaN when empty

    wrong = q.evaluate(naive)
    assert wrong.outcome == "incorrect"
    assert any(line.startswith("✗ both masks empty: your function returned 0") for line in wrong.lines)

    def stub(pred, ref):
        raise NotImplementedError

    assert q.evaluate(stub).outcome == "not attempted"
    assert q.evaluate(...).outcome == "not attempted"
    assert q.evaluate(None).outcome == "not attempted"


def test_failing_case_is_named_with_the_value_returned():
    q = FunctionQuestion("Dice, 1.0 when both are empty", reference=functools.partial(sm.dice, empty=1.0),
                         cases=mask_cases, hints=["h"], solution="s")
    result = q.evaluate(sm.dice)   # returns NaN on the both-empty case
    assert "✗ both masks empty: your function returned nan" in result.text()
    assert "9 of 10 test cases pass" in result.text()


def test_learner_exception_is_feedback_not_a_crash():
    def only_2d(pred, ref):
        if np.ndim(pred) != 2:
            raise ValueError("I only do 2-D")
        return sm.dice(pred, ref)

    result = dice_question().evaluate(only_2d)
    assert result.outcome == "incorrect"
    assert "3-D volume: your function raised ValueError: I only do 2-D" in result.text()

    def broken(pred, ref):
        return 1 / 0

    assert "every case: your function raised ZeroDivisionError" in dice_question().evaluate(broken).text()


def test_uint8_case_is_named():
    def bool_only(pred, ref):
        return sm.dice(pred, ref) if pred.dtype == bool else 0.25

    result = dice_question().evaluate(bool_only)
    assert "uint8 masks (0/1) instead of bool: your function returned 0.25" in result.text()


@pytest.mark.parametrize("returned, phrase", [
    ("0.5", "the string '0.5', where a number is expected"),
    (None, "None (did you forget `return`?)"),
    ([0.5], "a list of 1 item, where a single number is expected"),
    (np.array([0.5]), "single number"),
])
def test_wrong_return_type_is_reported(returned, phrase):
    result = dice_question().evaluate(lambda pred, ref: returned)
    assert result.outcome == "incorrect" and phrase in result.text()


def test_array_returning_function_must_return_the_right_array():
    q = FunctionQuestion("false_positives(pred, ref)", reference=lambda p, r: np.asarray(p, bool) & ~np.asarray(r, bool),
                         cases=mask_cases(uint8=False), hints=["h"], solution="s")
    assert q.evaluate(lambda p, r: p & ~r).outcome == "correct"
    assert "where a NumPy array is expected" in q.evaluate(lambda p, r: (p & ~r).tolist()).text()
    assert "boolean" in q.evaluate(lambda p, r: (p & ~r).astype(int)).text()
    assert "entries are not correct" in q.evaluate(lambda p, r: p & r).text()


def test_mutating_the_inputs_is_detected():
    def mutating(pred, ref):
        value = sm.dice(pred, ref)
        pred[...] = False
        return value

    result = dice_question().evaluate(mutating)
    assert result.outcome == "incorrect"
    assert "changed its input 'pred'" in result.text()

    def mutating_ref_dtype_only(pred, ref):   # in-place changes of ref in one case only
        if ref.ndim == 3:
            ref |= True
        return sm.dice(pred, ref)

    assert "3-D volume: your function changed its input 'ref'" in dice_question().evaluate(mutating_ref_dtype_only).text()


def test_cases_do_not_leak_between_learner_calls():
    seen = []

    def recorder(pred, ref):
        seen.append(int(np.count_nonzero(pred)))
        pred[...] = True                      # mutates its copy; the next check must get fresh data
        return sm.dice(pred, ref)

    q = dice_question()
    q.evaluate(recorder)
    first = list(seen)
    seen.clear()
    q.evaluate(recorder)
    assert seen == first and q.evaluate(sm.dice).outcome == "correct"


def test_passing_something_that_is_not_a_function():
    assert "pass your function itself" in dice_question().evaluate(0.5).text()


def test_expected_values_come_from_the_reference():
    q = dice_question()
    assert [case.name for case in q.cases] == [c.name for c in mask_cases()]
    for case, value in zip(q.cases, q.expected_results()):
        want = sm.dice(*case.args)
        assert (math.isnan(value) and math.isnan(want)) or value == want


def test_case_validation():
    with pytest.raises(ValueError):
        Case("", (1, 2))
    with pytest.raises(TypeError, match="tuple"):
        Case("x", [1, 2])


# ---------------------------------------------------------------------------------------------
# choice questions
def choice_question(**kw):
    return ChoiceQuestion("Why is accuracy high?", {"a": "Background dominates", "b": "It ignores FP", "c": "Luck"},
                          answer=kw.pop("answer", "a"),
                          explanations=kw.pop("explanations", {"b": "FP are counted.", "c": "It is systematic."}),
                          hints=["Count the pixels."], **kw)


def test_choice_right_wrong_not_attempted():
    q = choice_question()
    assert q.evaluate("a").outcome == "correct"
    assert q.evaluate("(A)").outcome == "correct"
    wrong = q.evaluate("b")
    assert wrong.outcome == "incorrect" and wrong.lines == ["(b) is not right: FP are counted."]
    assert q.evaluate("c").lines == ["(c) is not right: It is systematic."]
    assert q.evaluate(...).outcome == "not attempted"
    assert q.evaluate("").outcome == "not attempted"
    assert "not one of the options" in q.evaluate("d").text()
    assert "option's letter" in q.evaluate(1).text()


def test_choice_every_wrong_option_needs_an_explanation():
    with pytest.raises(ValueError, match="missing: \\['c'\\]"):
        choice_question(explanations={"b": "FP are counted."})


def test_choice_with_several_answers():
    q = choice_question(answer=["a", "c"], explanations={"b": "FP are counted."})
    assert q.evaluate(["c", "a"]).outcome == "correct"
    for typed in ("a, c", "c a", "ac", "A and C"):
        assert q.evaluate(typed).outcome == "correct", typed
    assert "(b) is not right" in q.evaluate("a,b").text()
    partial = q.evaluate("a")
    assert partial.outcome == "incorrect" and "incomplete" in partial.text()
    assert "(b) is not right" in q.evaluate(["a", "b"]).text()


def test_choice_solution_is_generated():
    q = choice_question(explanation="TN dominate.")
    assert "(a) Background dominates" in q.solution_text and "TN dominate." in q.solution_text


# ---------------------------------------------------------------------------------------------
# drawing questions
def drawing_question(**kw):
    return DrawingQuestion("Paint Dice ≥ 0.5 but recall ≤ 0.6", reference=REF,
                           criteria=[at_least("dice", 0.5), at_most("recall", 0.6)],
                           hints=["Half the reference."], solution="painter.mask = ...", **kw)


def half_reference():
    mask = np.zeros_like(REF)
    rows = np.flatnonzero(REF.any(axis=1))
    mask[rows[: len(rows) // 2]] = REF[rows[: len(rows) // 2]]
    return mask


def test_drawing_right_wrong_not_attempted():
    q = drawing_question()
    painter = SimpleNamespace(mask=half_reference())        # anything with .mask, like MaskPainter
    right = q.evaluate(painter)
    assert right.outcome == "correct"
    assert right.lines == [f"✓ Dice ≥ 0.5 (yours: {sm.dice(half_reference(), REF):.6g})",
                           f"✓ recall ≤ 0.6 (yours: {sm.recall(half_reference(), REF):.6g})"]
    assert q.evaluate(half_reference()).outcome == "correct"   # a plain array works too
    wrong = q.evaluate(REF.copy())
    assert wrong.outcome == "incorrect" and "✗ recall ≤ 0.6 (yours: 1)" in wrong.lines
    assert q.evaluate(None).outcome == "not attempted"
    assert q.evaluate(SimpleNamespace(mask=None)).outcome == "not attempted"
    assert q.evaluate(np.zeros_like(REF)).outcome == "not attempted"      # nothing painted yet


def test_drawing_bad_masks():
    q = drawing_question()
    assert "shape" in q.evaluate(np.ones((3, 3), bool)).text()
    assert "0/1" in q.evaluate(np.full(REF.shape, 2, np.uint8)).text()
    assert q.evaluate(half_reference().astype(np.uint8)).outcome == "correct"
    undefined = DrawingQuestion("precision ≥ 0.5", reference=REF, criteria=[at_least("precision", 0.5)],
                                allow_empty=True, hints=["h"], solution="s").evaluate(np.zeros_like(REF))
    assert undefined.outcome == "incorrect" and "undefined" in undefined.text()


def test_drawing_custom_criterion():
    q = DrawingQuestion("At most 5 false positives", reference=REF,
                        criteria=[Criterion("at most 5 FP", lambda m: m["fp"] <= 5, metric="fp")],
                        hints=["h"], solution="s")
    assert q.evaluate(REF).outcome == "correct"
    assert "yours: " in q.evaluate(np.ones_like(REF)).text()


# ---------------------------------------------------------------------------------------------
# result objects, display, hints, solutions
def test_result_truthiness_for_assert_in_solution_cells(capsys):
    q = number_question()
    assert q.check(sm.dice(PRED, REF))
    assert not q.check(...)          # a placeholder never raises
    assert not q.check(0.1)
    assert capsys.readouterr().out == ""   # outside IPython nothing is printed


def test_three_outcomes_have_distinct_text_and_html():
    q = number_question()
    results = [q.evaluate(sm.dice(PRED, REF)), q.evaluate(0.1), q.evaluate(...)]
    texts = [r.text() for r in results]
    assert [t[:2] for t in texts] == ["✓ ", "✗ ", "○ "]
    assert texts[0].startswith("✓ Correct") and texts[1].startswith("✗ Incorrect") and texts[2].startswith("○ Not attempted")
    htmls = [r._repr_html_() for r in results]
    assert len({re.search(r"border-left:6px solid (#\w+)", h).group(1) for h in htmls}) == 3
    assert all(repr(r) == r.text() for r in results)


def test_learner_text_is_escaped_in_html():
    html = number_question().evaluate("<script>alert(1)</script>")._repr_html_()
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_hints_are_progressive():
    q = dice_question()
    assert "hint 1 of 2" in q.hint().title and q.hint().title.endswith("hint 2 of 2")
    assert q.hint().title.endswith("hint 2 of 2")        # stays at the last one
    assert q.hint(1).lines[0].startswith("2TP / (2TP + FP + FN)")
    assert "hint(2) gives another" in q.hint(1).lines[0]
    assert "There are 2 hints" in q.hint(5).text()
    assert "There are 2 hints" in q.hint(0).text()


def test_solution_shows_the_code():
    msg = dice_question().solution()
    assert msg.code == "def my_dice(p, r): ..." and "def my_dice(p, r): ..." in msg.text()


def test_questions_need_hints_and_solutions():
    with pytest.raises(ValueError, match="hints"):
        ValueQuestion("x", answer=1, hints=[], solution="s")
    with pytest.raises(ValueError, match="solution"):
        ValueQuestion("x", answer=1, hints=["h"], solution="")
    with pytest.raises(ValueError, match="prompt"):
        ValueQuestion("", answer=1, hints=["h"], solution="s")


def test_question_describes_itself():
    text = repr(choice_question())
    assert "Why is accuracy high?" in text and "(b) It ignores FP" in text


# ---------------------------------------------------------------------------------------------
# lessons
def test_lesson_access(fixture_lesson):
    ex = fixture_lesson
    assert ex is exercises.lesson(90) is exercises.lesson("90_fixture.ipynb")
    assert [q.kind for q in ex] == ["value", "function", "choice", "drawing", "value", "value"]
    assert ex.q1.label == "lesson 90, q1" and "q4" in dir(ex)
    with pytest.raises(AttributeError, match="has no question 'q9'"):
        ex.q9
    with pytest.raises(ValueError, match="no exercises for lesson '77'"):
        exercises.lesson("77")
    with pytest.raises(ValueError):
        exercises.lesson("dice")


def test_lesson_module_validation():
    bad = SimpleNamespace(__name__="lesson_91", TITLE="t", QUESTIONS=[number_question(name="a"), number_question(name="a")])
    with pytest.raises(ValueError, match="two questions are named 'a'"):
        core.Lesson.from_module(bad)
    with pytest.raises(TypeError, match="QUESTIONS"):
        core.Lesson.from_module(SimpleNamespace(__name__="lesson_92", TITLE="t"))
    with pytest.raises(TypeError, match="not a Question"):
        core.Lesson.from_module(SimpleNamespace(__name__="lesson_93", TITLE="t", QUESTIONS=[42]))


def test_verify_counts_lessons_and_questions():
    ids = exercises.available_lessons()
    assert "90" in ids and set(PACKAGE_LESSONS) <= set(ids)
    n_questions = sum(len(exercises.lesson(i)) for i in ids)
    assert exercises.verify() == f"{len(ids)} lessons, {n_questions} questions load"


def _all_lessons():
    return PACKAGE_LESSONS + ["90"]


@pytest.mark.parametrize("lesson_id", _all_lessons())
def test_every_question_has_hints_a_solution_and_accepts_its_own_answer(lesson_id):
    ex = exercises.lesson(lesson_id)
    assert ex.title and len(ex) >= 1
    for name, q in ex.questions.items():
        assert q.hints and all(h.strip() for h in q.hints), f"{lesson_id} {name}: no hints"
        assert q.solution_text and q.solution_text.strip(), f"{lesson_id} {name}: no solution"
        assert q.solution().code.strip()
        assert q.evaluate(...).outcome == "not attempted", f"{lesson_id} {name}: ... is not 'not attempted'"
        answer = q.correct_answer()
        if answer is not None:   # drawing questions without an example cannot prove themselves here
            result = q.evaluate(answer)
            assert result.outcome == "correct", f"{lesson_id} {name}: its own answer fails: {result.text()}"
        assert q.expected_text()


# ---------------------------------------------------------------------------------------------
# no feedback message reveals the expected value
def _formats(value: float) -> set[str]:
    """Common ways to print a number; only distinctive ones (a bare 0 or 1 occurs in any text)."""
    if not isinstance(value, float) or not math.isfinite(value) or value == int(value):
        return set()
    out = {repr(value), str(value), f"{value:.6g}", f"{value:.5f}", f"{value:.4f}", f"{value:.3f}",
           f"{value:.2f}", f"{value:.1%}", f"{value:.0%}", f"{value:.2g}", f"{value:.3g}"}
    return {s for s in out if len(s.strip("0.-%")) >= 2}


def _wrong_answers(q):
    if isinstance(q, FunctionQuestion):
        def constant(*a, **k):
            return 7.123

        def raises(*a, **k):
            raise RuntimeError("boom")

        return [constant, raises, lambda *a, **k: None, lambda *a, **k: "text", lambda *a, **k: [1.0, 2.0]]
    if isinstance(q, ValueQuestion):
        e = q.expected
        wrong = ["zzz", True, [1.0, 2.0], {"a": 1}]
        if isinstance(e, (int, float)) and not isinstance(e, bool):
            wrong += [e + 7.25 if math.isfinite(e) else 7.25, -3.5]
        if isinstance(e, np.ndarray):
            wrong += [np.asarray(e) + 7, np.zeros((1,) + np.shape(e))]
        if isinstance(e, str) and q.options:
            wrong += [o for o in q.options if o.casefold() != e.casefold()]
        # known mistakes trigger the author's own messages: those must not reveal the answer either
        wrong += [value() if callable(value) else value for value, _ in q.mistakes]
        return wrong
    return []


def _expected_strings(q) -> set[str]:
    if isinstance(q, FunctionQuestion):
        values = q.expected_results()
    elif isinstance(q, ValueQuestion):
        values = [q.expected]
    else:
        return set()
    strings = set()
    for v in values:
        for x in (np.ravel(v) if isinstance(v, np.ndarray) and v.dtype.kind == "f" else [v]):
            strings |= _formats(float(x)) if isinstance(x, (float, np.floating)) else set()
        if isinstance(v, str) and len(v) >= 3 and not getattr(q, "options", None):
            strings.add(v)   # (with options the right answer is one of the listed, public options)
    return strings


@pytest.mark.parametrize("lesson_id", _all_lessons())
def test_no_feedback_leaks_the_expected_value(lesson_id):
    for name, q in exercises.lesson(lesson_id).questions.items():
        secrets = _expected_strings(q)
        if isinstance(q, ChoiceQuestion):
            secrets = {q.options[k] for k in q.answers if len(q.options[k]) >= 12}
            answers = [k for k in q.options if k not in q.answers]
        else:
            answers = _wrong_answers(q)
        for answer in answers:
            result = q.evaluate(answer)
            assert result.outcome == "incorrect", f"{lesson_id} {name}: {answer!r} was not judged incorrect"
            body = "\n".join(result.lines)
            leaked = sorted(s for s in secrets if s in body)
            assert not leaked, f"{lesson_id} {name}: feedback for {answer!r} reveals {leaked}: {body}"


def test_the_leak_test_covers_mistake_messages():
    q = number_question(mistakes={0.25: f"Close, but the answer is {sm.dice(PRED, REF):.2f}."})
    body = "\n".join(q.evaluate(0.25).lines)
    assert any(s in body for s in _expected_strings(q)) and 0.25 in _wrong_answers(q)


def test_the_leak_test_would_catch_a_leak():
    class Leaky(ValueQuestion):
        def _judge(self, answer):
            return "incorrect", [f"Expected {self.expected:.2f}"]

    q = Leaky("x", answer=0.4821, hints=["h"], solution="s")
    body = "\n".join(q.evaluate(7.0).lines)
    assert any(s in body for s in _expected_strings(q))


def test_no_eval_or_exec_in_the_framework():
    package = Path(exercises.__file__).parent
    for path in package.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        calls = {node.func.id for node in ast.walk(tree) if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)}
        assert not calls & {"eval", "exec", "compile"}, f"{path.name} calls eval/exec"
    # a string that looks like code is just a (wrong) string
    assert "where a number is expected" in number_question().evaluate("__import__('os').getcwd()").text()


def test_compare_details_never_contain_the_expectation():
    assert compare(0.5, 0.75) == (False, "0.5")
    assert compare([1, 2], np.array([1, 3])) == (False, "an array of shape (2,) in which 1 of 2 entries is not correct")
    assert compare(None, 0.75, returned=True) == (False, "None (did you forget `return`?)")


# ---------------------------------------------------------------------------------------------
# progress
def test_progress_survives_a_kernel_restart(isolated, fixture_lesson):
    ex = fixture_lesson
    ex.q1.check(0.1)
    ex.q1.check(sm.dice(PRED, REF))
    ex.q1.check(0.2)                       # a later wrong answer keeps the best outcome
    ex.q2.hint()
    ex.q3.solution()
    progress_mod._memory.clear()           # "restart": only the file remains
    data = json.loads((isolated / "progress.json").read_text())
    q1 = data["lessons"]["90"]["q1"]
    assert q1["status"] == "correct" and q1["checks"] == 3
    assert data["lessons"]["90"]["q2"]["hints"] == 1
    assert data["lessons"]["90"]["q3"]["solution_viewed"] is True
    table = ex.progress().text()
    assert "1 of 6 questions correct" in table
    assert re.search(r"q1\s+value\s+✓ correct\s+3", table)
    assert re.search(r"q2\s+function\s+○ not attempted\s+0\s+1/2", table)
    overview = exercises.progress().text()
    assert re.search(r"90\s+Fixture lesson\s+1/6", overview)


def test_a_fresh_run_writes_no_file(isolated, fixture_lesson):
    fixture_lesson.q1.check(...)
    assert not (isolated / "progress.json").exists()


def test_corrupt_progress_file_warns_and_recovers(isolated, fixture_lesson):
    path = isolated / "progress.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.warns(ProgressWarning, match="not valid JSON"):
        table = fixture_lesson.progress().text()
    assert "0 of 6 questions correct" in table
    assert (isolated / "progress.json.corrupt").read_text() == "{not json"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert fixture_lesson.q1.check(sm.dice(PRED, REF))
    assert json.loads(path.read_text())["lessons"]["90"]["q1"]["status"] == "correct"


def test_wrongly_shaped_progress_file_warns(isolated, fixture_lesson):
    (isolated / "progress.json").write_text(json.dumps({"lessons": [1, 2]}), encoding="utf-8")
    with pytest.warns(ProgressWarning, match="not in the expected format"):
        assert fixture_lesson.q1.check(sm.dice(PRED, REF))


def test_unwritable_progress_file_warns_and_keeps_progress_in_memory(isolated, monkeypatch, fixture_lesson):
    blocker = isolated / "a-file"
    blocker.write_text("x")
    monkeypatch.setenv("SEGLEARN_PROGRESS_FILE", str(blocker / "progress.json"))   # parent is a file
    with pytest.warns(ProgressWarning, match="cannot save progress"):
        result = fixture_lesson.q1.check(sm.dice(PRED, REF))
    assert result                                    # the check itself is unaffected
    assert "1 of 6 questions correct" in fixture_lesson.progress().text()


def test_progress_can_be_switched_off(isolated, monkeypatch, fixture_lesson):
    monkeypatch.setenv("SEGLEARN_PROGRESS_FILE", "")
    assert exercises.progress_path() is None
    fixture_lesson.q1.check(sm.dice(PRED, REF))
    assert list(isolated.iterdir()) == []
    assert "memory only" in exercises.progress().text()


def test_default_location(monkeypatch):
    monkeypatch.delenv("SEGLEARN_PROGRESS_FILE")
    monkeypatch.delenv("PYTEST_CURRENT_TEST", raising=False)
    assert exercises.progress_path() == Path("~/.seglearn/progress.json").expanduser()
    monkeypatch.setenv("PYTEST_CURRENT_TEST", "x")        # the test suite never writes there
    assert exercises.progress_path() is None


def test_drawing_question_reads_a_real_mask_painter():
    widgets = pytest.importorskip("seglearn.widgets")
    painter = widgets.MaskPainter(REF.astype(np.float32), reference=REF)
    q = drawing_question()
    assert q.evaluate(painter).outcome == "not attempted"          # nothing painted yet
    painter.mask = half_reference()
    assert q.evaluate(painter).outcome == "correct"
    painter.mask = REF
    assert q.evaluate(painter).outcome == "incorrect"
