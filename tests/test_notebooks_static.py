"""Static checks for every lesson notebook (``notebooks/NN_*.ipynb``), without executing anything.

The promises a lesson makes to a learner and to CI:

* committed clean: no outputs, no execution counts, no saved widget state; kernelspec ``python3``;
* numbering and titles match the course map in the README *and* in lesson 00 (same numbers, titles,
  files and times), and every lesson file is on the map;
* every lesson states learning objectives, an estimated time and key points;
* every exercise has a hidden solution cell (tagged ``solution``, ``metadata.jupyter.source_hidden``)
  that ends by calling the question's check, so executing the notebook in CI proves the solution;
* from lesson 01 on, at least four checked exercises;
* every question defined in ``seglearn.exercises`` for a lesson is used in that lesson, and the lesson
  uses no question that does not exist;
* relative links between notebooks (and to other repository files) resolve.

The notebooks themselves are executed by nbval (``pytest --nbval-lax``), not here.
"""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
LESSONS = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))

MAP_ROW = re.compile(
    r"^\|\s*(?P<num>\d\d)\s*\|\s*\[(?P<title>[^\]]+)\]\((?P<href>[^)\s]+\.ipynb)\)\s*\|\s*(?P<minutes>\d+)\s*min\s*\|",
    re.M,
)
# ``ex.q1.check(...)``: the exercises object can have any name; question ids are identifiers.
CHECK_CALL = re.compile(r"\b(?P<obj>[A-Za-z_]\w*)\.(?P<q>[A-Za-z_]\w*)\.check\(")
LESSON_CALL = re.compile(r"""exercises\.lesson\(\s*["'](?P<num>\d\d)["']\s*\)""")
MD_LINK = re.compile(r"\]\((?P<target>[^)\s]+)(?:\s+\"[^\"]*\")?\)")
HTML_LINK = re.compile(r"""href=["'](?P<target>[^"']+)["']""")


def _read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def _number(path: Path) -> str:
    return path.name[:2]


def _course_map(text: str) -> list[dict[str, str]]:
    return [m.groupdict() for m in MAP_ROW.finditer(text)]


def _readme_map() -> list[dict[str, str]]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- course-map:start -->(.*?)<!-- course-map:end -->", readme, re.S)
    assert block, "README.md has no <!-- course-map:start --> ... <!-- course-map:end --> block"
    rows = _course_map(block.group(1))
    assert rows, "the README course-map block has no '| NN | [Title](notebooks/NN_slug.ipynb) | M min |' rows"
    return rows


def _markdown(nb: nbformat.NotebookNode) -> str:
    return "\n\n".join(c.source for c in nb.cells if c.cell_type == "markdown")


def _is_solution(cell: nbformat.NotebookNode) -> bool:
    return "solution" in cell.get("metadata", {}).get("tags", [])


def _title(nb: nbformat.NotebookNode) -> str:
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            m = re.search(r"^#\s+(.+)$", cell.source, re.M)
            if m:
                return m.group(1).strip()
    return ""


def _normalise(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def _minutes(nb: nbformat.NotebookNode) -> int | None:
    m = re.search(r"estimated time[^0-9\n]{0,40}(\d+)\s*min", _markdown(nb), re.I)
    return int(m.group(1)) if m else None


def _checked_questions(nb: nbformat.NotebookNode, *, solutions: bool) -> set[str]:
    """Question ids whose ``.check(`` is called in solution cells (or in the other code cells)."""
    found = set()
    for cell in nb.cells:
        if cell.cell_type == "code" and _is_solution(cell) == solutions:
            found |= {m.group("q") for m in CHECK_CALL.finditer(cell.source)}
    return found


def _last_statement(source: str) -> str:
    lines = [l for l in source.splitlines() if l.strip() and not l.strip().startswith("#")]
    return lines[-1] if lines else ""


def _defined_questions(number: str) -> list[str]:
    exercises = pytest.importorskip("seglearn.exercises")
    ex = exercises.lesson(number)
    return list(ex.questions)


lesson_ids = [p.name for p in LESSONS]


def test_there_are_lessons():
    assert LESSONS, "no notebooks/NN_*.ipynb found"


@pytest.mark.parametrize("path", LESSONS, ids=lesson_ids)
def test_committed_without_outputs_and_with_python3_kernel(path):
    nb = _read(path)
    nbformat.validate(nb)
    spec = nb.metadata.get("kernelspec", {})
    assert spec.get("name") == "python3", f"{path.name}: kernelspec name must be 'python3', got {spec!r}"
    assert spec.get("language", "python") == "python"
    assert "widgets" not in nb.metadata, f"{path.name}: saved widget state in metadata; clear it before committing"
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{path.name}: cell {i} has committed outputs"
            assert cell.execution_count is None, f"{path.name}: cell {i} has an execution count"


@pytest.mark.parametrize("path", LESSONS, ids=lesson_ids)
def test_code_cells_are_valid_python(path):
    from IPython.core.inputtransformer2 import TransformerManager

    transform = TransformerManager().transform_cell  # turns %magics into Python, as the kernel does
    for i, cell in enumerate(_read(path).cells):
        if cell.cell_type == "code":
            try:
                compile(transform(cell.source), f"{path.name} cell {i}", "exec")
            except SyntaxError as exc:
                pytest.fail(f"{path.name}: cell {i} is not valid Python: {exc}")


@pytest.mark.parametrize("path", LESSONS, ids=lesson_ids)
def test_lesson_has_objectives_time_and_key_points(path):
    text = _markdown(_read(path))
    assert re.search(r"^#+\s*(learning )?objectives", text, re.I | re.M), f"{path.name}: no 'Learning objectives' heading"
    assert re.search(r"estimated time", text, re.I), f"{path.name}: no 'Estimated time'"
    assert re.search(r"^#+\s*key points", text, re.I | re.M), f"{path.name}: no 'Key points' heading"


def test_every_lesson_is_on_the_readme_map_and_every_map_entry_exists():
    rows = _readme_map()
    numbers = [r["num"] for r in rows]
    assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers), f"course map out of order: {numbers}"
    on_map = {(ROOT / r["href"]).resolve() for r in rows}
    for row in rows:
        target = (ROOT / row["href"]).resolve()
        assert target.is_file(), f"README course map links to a missing lesson: {row['href']}"
        assert target.name.startswith(row["num"] + "_"), f"map row {row['num']} links to {target.name}"
    missing = [p.name for p in LESSONS if p.resolve() not in on_map]
    assert not missing, f"lessons not on the README course map: {missing}"


@pytest.mark.parametrize("path", LESSONS, ids=lesson_ids)
def test_title_and_time_match_the_course_map(path):
    row = {r["num"]: r for r in _readme_map()}.get(_number(path))
    assert row, f"{path.name} is not on the README course map"
    nb = _read(path)
    title = _title(nb)
    assert _number(path) in title, f"{path.name}: the title {title!r} does not show the lesson number"
    assert _normalise(row["title"]) in _normalise(title), (
        f"{path.name}: title {title!r} does not match the course map title {row['title']!r}")
    minutes = _minutes(nb)
    assert minutes == int(row["minutes"]), (
        f"{path.name}: 'Estimated time' says {minutes} min, the course map says {row['minutes']} min")


def test_course_map_in_lesson_00_matches_the_readme():
    start = NOTEBOOKS / "00_start_here.ipynb"
    assert start.is_file()
    in_00 = _course_map(_markdown(_read(start)))
    key = lambda rows: [(r["num"], r["title"], Path(r["href"]).name, r["minutes"]) for r in rows]
    assert key(in_00) == key(_readme_map()), "the course map in 00_start_here.ipynb differs from the README's"
    for row in in_00:
        assert (NOTEBOOKS / row["href"]).resolve() == (ROOT / "notebooks" / Path(row["href"]).name).resolve(), (
            f"00_start_here.ipynb: map links are relative to notebooks/, got {row['href']!r}")


@pytest.mark.parametrize("path", LESSONS, ids=lesson_ids)
def test_solution_cells_are_hidden_and_end_by_calling_a_check(path):
    nb = _read(path)
    for i, cell in enumerate(nb.cells):
        if not _is_solution(cell):
            continue
        assert cell.cell_type == "code", f"{path.name}: cell {i} tagged 'solution' is not a code cell"
        assert cell.metadata.get("jupyter", {}).get("source_hidden") is True, (
            f"{path.name}: solution cell {i} is not hidden (metadata.jupyter.source_hidden)")
        last = _last_statement(cell.source)
        assert re.match(r"assert\s", last) and CHECK_CALL.search(last), (
            f"{path.name}: solution cell {i} must end with an asserted check (assert ex.qN.check(...)), "
            f"so CI fails when the solution is wrong; it ends with {last!r}")


@pytest.mark.parametrize("path", LESSONS, ids=lesson_ids)
def test_each_solution_cell_directly_follows_its_exercise_cell(path):
    cells = _read(path).cells
    for i, cell in enumerate(cells):
        if not _is_solution(cell):
            continue
        solved = {m.group("q") for m in CHECK_CALL.finditer(cell.source)}
        before = cells[i - 1] if i else None
        asked = set() if before is None or before.cell_type != "code" or _is_solution(before) else {
            m.group("q") for m in CHECK_CALL.finditer(before.source)}
        assert solved & asked, (f"{path.name}: solution cell {i} ({sorted(solved)}) must come directly after the "
                                f"exercise cell that calls the same check")


@pytest.mark.parametrize("path", LESSONS, ids=lesson_ids)
def test_every_exercise_has_a_solution_cell(path):
    nb = _read(path)
    asked = _checked_questions(nb, solutions=False)
    solved = _checked_questions(nb, solutions=True)
    assert asked <= solved, f"{path.name}: exercises without a hidden solution cell: {sorted(asked - solved)}"
    if _number(path) != "00":
        assert len(solved) >= 4, f"{path.name}: {len(solved)} checked exercises, a lesson needs at least 4"
    else:
        assert len(solved) >= 1, f"{path.name}: lesson 00 needs its first tiny exercise"


@pytest.mark.parametrize("path", LESSONS, ids=lesson_ids)
def test_lesson_uses_exactly_its_own_questions(path):
    nb = _read(path)
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    lessons_used = {m.group("num") for m in LESSON_CALL.finditer(code)}
    assert lessons_used == {_number(path)}, (
        f"{path.name}: loads exercises for lessons {sorted(lessons_used)}, expected only {_number(path)!r}")
    defined = _defined_questions(_number(path))
    solved = _checked_questions(nb, solutions=True)
    assert set(defined) <= solved, f"{path.name}: questions defined but never used: {sorted(set(defined) - solved)}"
    assert solved <= set(defined), f"{path.name}: checks questions that do not exist: {sorted(solved - set(defined))}"


@pytest.mark.parametrize("path", LESSONS, ids=lesson_ids)
def test_relative_links_resolve(path):
    text = _markdown(_read(path))
    targets = [m.group("target") for m in MD_LINK.finditer(text)] + [m.group("target") for m in HTML_LINK.finditer(text)]
    broken = []
    for target in targets:
        if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I) or target.startswith("#"):
            continue  # absolute URL (https:, mailto:) or in-page anchor
        file_part = unquote(target.split("#", 1)[0].split("?", 1)[0])
        if file_part and not (path.parent / file_part).exists():
            broken.append(target)
    assert not broken, f"{path.name}: links that do not resolve: {broken}"
