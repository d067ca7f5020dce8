"""Tests for seglearn.classroom: student copies, answer keys and the HTML export."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

import seglearn.exercises as exercises
from seglearn import classroom
from seglearn.classroom import ClassroomError, answer_key, export_html, student_copy
from seglearn.cli import main

FIXTURES = Path(__file__).parent / "fixtures" / "exercises"
NOTEBOOK = FIXTURES / "90_fixture.ipynb"
LESSONS = Path(__file__).resolve().parents[1] / "notebooks"


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch):
    monkeypatch.setenv("SEGLEARN_PROGRESS_FILE", str(tmp_path / "progress.json"))
    monkeypatch.setenv("SEGLEARN_LESSON_PATH", str(FIXTURES))


@pytest.fixture
def course(tmp_path):
    """A copy of the fixture course, with some stored outputs and folders that must be skipped."""
    src = tmp_path / "course"
    shutil.copytree(FIXTURES, src, ignore=shutil.ignore_patterns("__pycache__"))
    nb = nbformat.read(src / NOTEBOOK.name, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = [new_output("stream", name="stdout", text="old output\n")]
            cell.execution_count = 3
    nbformat.write(nb, src / NOTEBOOK.name)
    (src / ".ipynb_checkpoints").mkdir()
    shutil.copy(src / NOTEBOOK.name, src / ".ipynb_checkpoints" / "90_fixture-checkpoint.ipynb")
    (src / "teaching").mkdir()
    (src / "teaching" / "guide.md").write_text("for teachers only")
    return src


def _solution_cells(nb):
    return [c for c in nb.cells if "solution" in c.metadata.get("tags", [])]


# ---------------------------------------------------------------------------------------------
# student copy
def test_student_copy_removes_every_solution_and_keeps_the_rest(course, tmp_path):
    reports = student_copy(course, tmp_path / "student")
    assert [r.removed for r in reports] == [["q1", "q2", "q3", "q4", "q5", "q6"]]
    original = nbformat.read(course / NOTEBOOK.name, as_version=4)
    copy = nbformat.read(tmp_path / "student" / NOTEBOOK.name, as_version=4)
    nbformat.validate(copy)
    assert reports[0].cleared_outputs == sum(c.cell_type == "code" and not _solution_cells_has(c) for c in original.cells)
    assert not _solution_cells(copy)
    copy_lines = {line.strip() for c in copy.cells for line in c.source.splitlines()}
    exercise_lines = {line.strip() for c in original.cells if not _solution_cells_has(c) for line in c.source.splitlines()}
    for cell in _solution_cells(original):
        solution_only = {line.strip() for line in cell.source.splitlines() if line.strip()} - exercise_lines
        assert solution_only and not solution_only & copy_lines, f"solution code left: {solution_only & copy_lines}"
    all_source = "\n".join(c.source for c in copy.cells)
    assert "assert ex." not in all_source
    assert len(copy.cells) == len(original.cells)
    for before, after in zip(original.cells, copy.cells):
        if "solution" in before.metadata.get("tags", []):
            assert after.metadata["tags"] == ["solution-removed"]
            assert re.fullmatch(r"# Solution removed: try the exercise above, then ex\.q\d\.hint\(\)", after.source)
        else:
            assert (after.cell_type, after.source, after.metadata) == (before.cell_type, before.source, before.metadata)
            if after.cell_type == "code":
                assert after.outputs == [] and after.execution_count is None
    copied = sorted(p.relative_to(tmp_path / "student").as_posix() for p in (tmp_path / "student").rglob("*") if p.is_file())
    assert copied == ["90_fixture.ipynb", "lesson_90.py", "make_notebook.py"]   # no checkpoints, no teaching/


def _solution_cells_has(cell):
    return "solution" in cell.metadata.get("tags", [])


def test_student_copy_runs_top_to_bottom_under_nbval(course, tmp_path):
    student_copy(course, tmp_path / "student")
    (tmp_path / "pytest.ini").write_text("[pytest]\n")       # keep the repository's pytest settings out
    env = {**os.environ, "SEGLEARN_PROGRESS_FILE": ""}
    env.pop("SEGLEARN_LESSON_PATH")                           # lesson_90.py is found next to the notebook
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval-lax",
                           "--nbval-current-env", "-c", str(tmp_path / "pytest.ini"),
                           str(tmp_path / "student" / NOTEBOOK.name)],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    n_code = sum(c.cell_type == "code" for c in nbformat.read(NOTEBOOK, as_version=4).cells)
    assert f"{n_code} passed" in proc.stdout


def test_student_copy_of_one_notebook(tmp_path):
    reports = student_copy(NOTEBOOK, tmp_path / "out")           # a folder that does not exist yet
    assert reports[0].dest == tmp_path / "out" / NOTEBOOK.name
    student_copy(NOTEBOOK, tmp_path / "renamed.ipynb")
    assert not _solution_cells(nbformat.read(tmp_path / "renamed.ipynb", as_version=4))


def test_student_copy_never_touches_the_source(course, tmp_path):
    before = (course / NOTEBOOK.name).read_bytes()
    with pytest.raises(ClassroomError, match="overwrite the source"):
        student_copy(course / NOTEBOOK.name, course / NOTEBOOK.name)
    with pytest.raises(ClassroomError, match="overwrite the source"):
        student_copy(course / NOTEBOOK.name, course)                 # DEST folder = where SRC lives
    with pytest.raises(ClassroomError, match="into the source folder"):
        student_copy(course, course)
    with pytest.raises(ClassroomError, match="into the source folder"):
        student_copy(course, course / "student")
    with pytest.raises(ClassroomError, match="must be a folder"):
        student_copy(course, tmp_path / "x.ipynb")
    with pytest.raises(ClassroomError, match="does not exist"):
        student_copy(tmp_path / "nothing", tmp_path / "y")
    assert (course / NOTEBOOK.name).read_bytes() == before
    assert not (course / "student").exists()


def test_student_copy_refuses_a_non_empty_destination_without_force(course, tmp_path):
    dest = tmp_path / "student"
    dest.mkdir()
    (dest / "mine.txt").write_text("keep me")
    with pytest.raises(ClassroomError, match="not empty"):
        student_copy(course, dest)
    student_copy(course, dest, force=True)
    assert (dest / "mine.txt").read_text() == "keep me" and (dest / NOTEBOOK.name).exists()


def test_student_copy_command_reports_what_it_stripped(course, tmp_path, capsys):
    assert main(["student-copy", str(course), str(tmp_path / "student")]) == 0
    out = capsys.readouterr().out
    assert "90_fixture.ipynb" in out and "removed 6 solution cells (q1, q2, q3, q4, q5, q6)" in out
    assert main(["student-copy", str(course), str(course)]) == 2
    assert "error: refusing to write into the source folder" in capsys.readouterr().err


def test_markdown_solution_cells_are_replaced_too(tmp_path):
    nb = new_notebook(cells=[new_markdown_cell("Discuss."),
                             new_markdown_cell("The answer is 42.", metadata={"tags": ["solution"]})])
    nbformat.write(nb, tmp_path / "n.ipynb")
    student_copy(tmp_path / "n.ipynb", tmp_path / "s.ipynb")
    copy = nbformat.read(tmp_path / "s.ipynb", as_version=4)
    assert "42" not in copy.cells[1].source and copy.cells[1].cell_type == "markdown"


# ---------------------------------------------------------------------------------------------
# answer key
def test_answer_key_contains_every_exercise(tmp_path):
    path = answer_key(FIXTURES, tmp_path / "key.md")
    text = path.read_text()
    ex = exercises.lesson("90")
    assert "## Fixture lesson 90 (`90_fixture.ipynb`)" in text
    for name, q in ex.questions.items():
        assert f"### {name} ({q.kind})" in text
        assert q.prompt in text
        assert q.expected_text() in text                    # here revealing the answer is the point
        for hint in q.hints:
            assert hint in text
    for cell in _solution_cells(nbformat.read(NOTEBOOK, as_version=4)):
        assert cell.source in text
    assert repr(ex.q1.expected) in text
    assert "(b) Accuracy ignores false positives. — Accuracy counts every false positive" in text


def test_answer_key_task_starts_at_the_exercise_heading():
    assert classroom._task_text("Prose about the lesson.\n\n### Exercise 4\n\nDo this.") == "### Exercise 4\n\nDo this."
    assert classroom._task_text("**Exercise q1.** Do that.") == "**Exercise q1.** Do that."
    fenced = "### Exercise 2\n\n```python\n# not a heading\n```"
    assert classroom._task_text(fenced) == fenced


def test_answer_key_lists_questions_without_a_solution_cell(tmp_path):
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nb.cells = [c for c in nb.cells if "ex.q6" not in c.source]
    nbformat.write(nb, tmp_path / "90_fixture.ipynb")
    text = answer_key(tmp_path / "90_fixture.ipynb", tmp_path / "key.md").read_text()
    assert "### q6 (value)" in text and "no solution cell in the notebook" in text


def test_answer_key_as_html(tmp_path, capsys):
    assert main(["answer-key", str(FIXTURES), str(tmp_path / "key.html")]) == 0
    html = (tmp_path / "key.html").read_text()
    assert html.startswith("<!DOCTYPE html>") and "<h3" in html and "q6 (value)" in html
    assert "```" not in html


@pytest.mark.skipif(not list(LESSONS.glob("[0-9][0-9]_*.ipynb")), reason="no lesson notebooks yet")
def test_answer_key_of_the_course_covers_every_solution_cell(tmp_path):
    text = answer_key(LESSONS, tmp_path / "key.md").read_text()
    sections = re.split(r"^## ", text, flags=re.M)
    for path in sorted(LESSONS.glob("[0-9][0-9]_*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        solutions = _solution_cells(nb)
        if not solutions:
            continue
        section = next(s for s in sections if f"(`{path.name}`)" in s.splitlines()[0])
        assert "could not be loaded" not in section, section[:500]
        for cell in solutions:
            name = re.findall(r"\b\w+\.(\w+)\.check\(", cell.source)[-1]
            assert f"### {name} (" in section and cell.source in section


# ---------------------------------------------------------------------------------------------
# HTML export
def test_export_html_writes_one_page_per_notebook_and_an_index(tmp_path):
    src = tmp_path / "course"
    src.mkdir()
    shutil.copy(NOTEBOOK, src)
    shutil.copy(FIXTURES / "lesson_90.py", src)
    intro = new_notebook(cells=[new_markdown_cell("# Welcome\n\nStart with [the fixture](90_fixture.ipynb)."),
                                new_code_cell("print(6 * 7)")])
    intro.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    nbformat.write(intro, src / "00_welcome.ipynb")
    pages = export_html(src, tmp_path / "site", timeout=60)
    assert [p.name for p in pages] == ["00_welcome.html", "90_fixture.html", "index.html"]
    index = (tmp_path / "site" / "index.html").read_text()
    assert 'href="00_welcome.html">Welcome' in index and 'href="90_fixture.html">Fixture lesson 90' in index
    welcome = (tmp_path / "site" / "00_welcome.html").read_text()
    assert "42" in welcome and 'href="90_fixture.html"' in welcome          # executed; link points at the page
    page = (tmp_path / "site" / "90_fixture.html").read_text()
    assert "assert ex.q1.check" not in page and "Exercise q1" in page        # solutions left out
    # every check shows its feedback exactly once: 6 exercise cells + the progress table
    assert len(re.findall(r"class=[\"']seglearn-feedback ", page)) == 7
    assert page.count("seglearn-not-attempted") == 6
    assert not (tmp_path / "progress.json").exists()                          # exporting records no progress


def test_export_html_reports_a_failing_notebook(tmp_path):
    nb = new_notebook(cells=[new_code_cell("1 / 0")])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    nbformat.write(nb, tmp_path / "broken.ipynb")
    with pytest.raises(ClassroomError, match="broken.ipynb: a cell failed"):
        export_html(tmp_path / "broken.ipynb", tmp_path / "site", timeout=60)
    with pytest.raises(ClassroomError, match="must not be the notebook folder"):
        export_html(tmp_path, tmp_path)


def test_widget_outputs_get_a_note():
    nb = new_notebook(cells=[new_code_cell("painter", outputs=[new_output(
        "execute_result", data={"text/plain": "MaskPainter(brush=3)", classroom._WIDGET_MIME: {"model_id": "x"}},
        execution_count=1)])])
    assert classroom._note_widgets(nb) == 1
    assert "Interactive MaskPainter" in nb.cells[0].outputs[1]["data"]["text/plain"]


def test_links_to_notebooks_become_links_to_pages():
    text = "[a](02_dice.ipynb) [b](02_dice.ipynb#q1) [c](https://x.org/other.ipynb) [d](missing.ipynb)"
    assert classroom._link_pages(text, {"02_dice.ipynb"}) == (
        "[a](02_dice.html) [b](02_dice.html#q1) [c](https://x.org/other.ipynb) [d](missing.ipynb)")


def test_commands_are_registered():
    from seglearn.cli import SUBCOMMANDS, build_parser

    build_parser()
    assert {"student-copy", "answer-key", "export-html"} <= set(SUBCOMMANDS)


@pytest.mark.slow
def test_student_copies_of_the_lessons_run_under_nbval(tmp_path):
    assert len(list(LESSONS.glob("[0-9][0-9]_*.ipynb"))) >= 8
    student_copy(LESSONS, tmp_path / "student")
    for path in (tmp_path / "student").glob("*.ipynb"):
        assert not _solution_cells(nbformat.read(path, as_version=4))
    teaching = sorted(p.name for p in (tmp_path / "student" / "teaching").iterdir())
    assert teaching == ["cheat-sheet.md"]          # learners get the cheat sheet, not the instructor guide
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval-lax",
                           "--nbval-current-env", "-c", str(tmp_path / "pytest.ini"), str(tmp_path / "student")],
                          cwd=tmp_path, env={**os.environ, "SEGLEARN_PROGRESS_FILE": ""},
                          capture_output=True, text=True, timeout=1200)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]


def test_fixture_notebook_matches_its_builder():
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_fixture_notebook", FIXTURES / "make_notebook.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    built, committed = module.build(), nbformat.read(NOTEBOOK, as_version=4)
    assert [(c.cell_type, c.source, c.metadata) for c in built.cells] == \
           [(c.cell_type, c.source, c.metadata) for c in committed.cells]
    assert all(not c.get("outputs") for c in committed.cells)
    assert committed.metadata.kernelspec.name == "python3"


@pytest.mark.slow
def test_export_html_command_renders_the_whole_course_one_page_per_lesson(tmp_path):
    """The documented teacher command, on the real course: every lesson executes and gets a page."""
    lessons = sorted(p.stem for p in LESSONS.glob("[0-9][0-9]_*.ipynb"))
    assert len(lessons) >= 8
    proc = subprocess.run([sys.executable, "-m", "seglearn", "export-html", str(LESSONS), str(tmp_path / "site")],
                          cwd=tmp_path, env={**os.environ, "SEGLEARN_PROGRESS_FILE": "", "MPLBACKEND": "Agg"},
                          capture_output=True, text=True, timeout=1200)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    site = tmp_path / "site"
    for stem in lessons:
        page = (site / f"{stem}.html").read_text()
        assert "Key points" in page or "Key Points" in page, stem              # the whole lesson, to its end
        assert "Traceback" not in page, stem
    index = (site / "index.html").read_text()
    assert all(f'href="{stem}.html"' in index for stem in lessons)
    assert not (site / "teaching").exists() or not list((site / "teaching").glob("*.html"))
