"""Classroom tools: student copies, an answer key and a read-only HTML version of the course.

Command line (registered with :mod:`seglearn.cli`)::

    seglearn student-copy SRC DEST     # solutions replaced by placeholders, outputs cleared
    seglearn answer-key SRC OUT        # every exercise with its solution and expected result (.md or .html)
    seglearn export-html SRC OUT       # executed course as HTML pages + index.html

SRC is a notebook or a folder of notebooks (``.ipynb_checkpoints`` and, by default, the
``teaching/`` folder are skipped). A solution cell is any cell tagged ``solution``; the question
it answers is read from its ``ex.qN.check(...)`` call (see ``notebooks/README.md``).
nbformat and nbconvert come with JupyterLab and are imported only when a command runs.
"""
from __future__ import annotations

import argparse
import contextlib
import html
import os
import re
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Sequence

from .cli import subcommand

__all__ = ["ClassroomError", "StripReport", "student_copy", "answer_key", "export_html",
           "find_notebooks", "SOLUTION_TAG"]

SOLUTION_TAG = "solution"
PLACEHOLDER_TAG = "solution-removed"
DEFAULT_EXCLUDE = ("teaching",)
#: Files inside excluded folders that learners should still get in a student copy.
LEARNER_HANDOUTS = ("teaching/cheat-sheet.md",)
_SKIP_PARTS = {".ipynb_checkpoints", "__pycache__", ".git"}
_CHECK_RE = re.compile(r"\b(\w+)\.(\w+)\.check\(")
_LESSON_RE = re.compile(r"\blesson\(\s*[\"']?(\d{1,2})")


class ClassroomError(ValueError):
    """A classroom command cannot run as asked (bad paths, would overwrite the source, ...)."""


# -- finding notebooks and exercises --------------------------------------------------------------
def _skipped(rel: Path, exclude: Sequence[str]) -> bool:
    return any(part in _SKIP_PARTS or part in exclude for part in rel.parts[:-1]) or rel.name in _SKIP_PARTS


def find_notebooks(src: str | os.PathLike[str], *, exclude: Sequence[str] = DEFAULT_EXCLUDE) -> list[Path]:
    """The notebooks in ``src`` (a notebook or a folder, searched recursively), sorted.

    Examples
    --------
    >>> find_notebooks("notebooks")  # doctest: +SKIP
    [PosixPath('notebooks/00_start_here.ipynb'), ...]
    """
    src = Path(src)
    if src.is_file():
        if src.suffix != ".ipynb":
            raise ClassroomError(f"SRC must be a .ipynb notebook or a folder of notebooks, got {src}")
        return [src]
    if not src.is_dir():
        raise ClassroomError(f"SRC {src} does not exist")
    return sorted(p for p in src.rglob("*.ipynb") if not _skipped(p.relative_to(src), exclude))


def _tags(cell: Any) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []) or [])


def is_solution(cell: Any) -> bool:
    """Whether a cell is a solution cell (tagged ``solution``)."""
    return SOLUTION_TAG in _tags(cell)


def _question_of(source: str) -> tuple[str, str] | None:
    """``("ex", "q1")`` from the last ``ex.q1.check(`` in a cell, or None."""
    matches = _CHECK_RE.findall(source)
    return matches[-1] if matches else None


def _lesson_id_of(nb: Any, path: Path) -> str | None:
    for cell in nb.cells:
        if cell.cell_type == "code":
            match = _LESSON_RE.search(cell.source)
            if match:
                return f"{int(match.group(1)):02d}"
    match = re.match(r"(\d{1,2})(?!\d)", path.name)
    return f"{int(match.group(1)):02d}" if match else None


def _title_of(nb: Any, path: Path) -> str:
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return path.stem


def _read(path: Path) -> Any:
    import nbformat

    try:
        return nbformat.read(path, as_version=4)
    except Exception as exc:
        raise ClassroomError(f"cannot read notebook {path}: {type(exc).__name__}: {exc}") from exc


# -- student copy ---------------------------------------------------------------------------------
@dataclass
class StripReport:
    """What :func:`student_copy` did to one notebook."""

    source: Path
    dest: Path
    removed: list[str] = field(default_factory=list)   # question names (or "cell N") of removed solutions
    cleared_outputs: int = 0                            # code cells whose outputs were cleared

    def line(self) -> str:
        what = (f"removed {len(self.removed)} solution cell{'s' if len(self.removed) != 1 else ''}"
                + (f" ({', '.join(self.removed)})" if self.removed else ""))
        return f"{self.source.name} -> {self.dest}: {what}; cleared the outputs of {self.cleared_outputs} cells"


def _placeholder(cell: Any, index: int) -> tuple[Any, str]:
    from nbformat.v4 import new_code_cell, new_markdown_cell

    meta = {"tags": [PLACEHOLDER_TAG]}
    if cell.cell_type != "code":
        return (new_markdown_cell("*Solution removed: discuss it with your neighbour or your teacher.*",
                                  metadata=meta), f"cell {index}")
    found = _question_of(cell.source)
    if found:
        var, name = found
        text = f"# Solution removed: try the exercise above, then {var}.{name}.hint()"
        return new_code_cell(text, metadata=meta), name
    return (new_code_cell("# Solution removed: try the exercise above, then ask for a hint (ex.qN.hint())",
                          metadata=meta), f"cell {index}")


def strip_notebook(nb: Any) -> tuple[Any, list[str], int]:
    """Student version of a notebook node: ``(new_nb, removed question names, cleared output count)``."""
    import copy

    nb = copy.deepcopy(nb)
    removed, cleared, cells = [], 0, []
    for index, cell in enumerate(nb.cells):
        if is_solution(cell):
            new, name = _placeholder(cell, index)
            removed.append(name)
            cells.append(new)
            continue
        if cell.cell_type == "code":
            if cell.get("outputs"):
                cleared += 1
            cell.outputs = []
            cell.execution_count = None
            cell.get("metadata", {}).pop("execution", None)
        cells.append(cell)
    nb.cells = cells
    nb.metadata.pop("widgets", None)  # saved widget state belongs to the cleared outputs
    return nb, removed, cleared


def _inside(child: Path, parent: Path) -> bool:
    try:
        child.relative_to(parent)
        return True
    except ValueError:
        return False


def student_copy(src: str | os.PathLike[str], dest: str | os.PathLike[str], *, force: bool = False,
                 exclude: Sequence[str] = DEFAULT_EXCLUDE) -> list[StripReport]:
    """Write student copies: solution cells replaced by placeholders, outputs cleared.

    Parameters
    ----------
    src : path
        A notebook or a folder. For a folder every file is copied (notebooks stripped), except
        ``.ipynb_checkpoints``, ``__pycache__`` and the folders named in ``exclude`` (but the
        learner handouts in :data:`LEARNER_HANDOUTS`, i.e. the metric cheat sheet, are kept).
    dest : path
        A notebook path (when ``src`` is a notebook) or a folder.
    force : bool
        Allow writing into an existing non-empty folder or over an existing file (never the source).
    exclude : sequence of str
        Folder names to leave out (default: ``teaching``).

    Returns
    -------
    list of StripReport
        One per notebook.

    Raises
    ------
    ClassroomError
        If ``dest`` is the source, inside the source folder, or exists (without ``force``).

    Examples
    --------
    >>> for r in student_copy("notebooks", "/tmp/student"):  # doctest: +SKIP
    ...     print(r.line())
    """
    import nbformat

    src_path, dest_path = Path(src), Path(dest)
    if not src_path.exists():
        raise ClassroomError(f"SRC {src_path} does not exist")
    src_res, dest_res = src_path.resolve(), dest_path.resolve()
    plan: list[tuple[Path, Path]] = []
    if src_path.is_file():
        find_notebooks(src_path)  # validates the suffix
        if dest_path.is_dir() or dest_path.suffix != ".ipynb":
            target = dest_path / src_path.name
        else:
            target = dest_path
        plan.append((src_path, target))
    else:
        if dest_path.suffix == ".ipynb":
            raise ClassroomError(f"SRC {src_path} is a folder, so DEST must be a folder, not {dest_path}")
        if dest_res == src_res or _inside(dest_res, src_res):
            raise ClassroomError(f"refusing to write into the source folder: DEST {dest_path} is inside SRC {src_path}")
        if dest_path.is_dir() and any(dest_path.iterdir()) and not force:
            raise ClassroomError(f"DEST {dest_path} is not empty; use --force to write into it anyway")
        for file in sorted(src_path.rglob("*")):
            rel = file.relative_to(src_path)
            if file.is_file() and (not _skipped(rel, exclude) or rel.as_posix() in LEARNER_HANDOUTS):
                plan.append((file, dest_path / rel))
    for source, target in plan:
        if target.resolve() == source.resolve():
            raise ClassroomError(f"refusing to overwrite the source notebook {source}")
        if target.exists() and not force:
            raise ClassroomError(f"{target} exists; use --force to overwrite it")
    reports = []
    for source, target in plan:
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.suffix != ".ipynb":
            shutil.copy2(source, target)
            continue
        nb, removed, cleared = strip_notebook(_read(source))
        left = [i for i, c in enumerate(nb.cells) if is_solution(c)]
        if left:  # pragma: no cover - strip_notebook replaces every one
            raise ClassroomError(f"{source}: solution cells {left} were not removed")
        nbformat.write(nb, target)
        reports.append(StripReport(source, target, removed, cleared))
    return reports


# -- answer key -----------------------------------------------------------------------------------
@contextlib.contextmanager
def _lesson_search(folder: Path) -> Iterator[None]:
    """Let :func:`seglearn.exercises.lesson` also find ``lesson_NN.py`` files in ``folder``."""
    from .exercises.core import LESSON_PATH_VAR

    old = os.environ.get(LESSON_PATH_VAR)
    os.environ[LESSON_PATH_VAR] = os.pathsep.join([str(folder)] + ([old] if old else []))
    try:
        yield
    finally:
        if old is None:
            os.environ.pop(LESSON_PATH_VAR, None)
        else:
            os.environ[LESSON_PATH_VAR] = old


def _fence(text: str, lang: str = "") -> str:
    ticks = "```"
    while ticks in text:
        ticks += "`"
    return f"{ticks}{lang}\n{text.rstrip()}\n{ticks}"


def _quote(text: str) -> str:
    return "\n".join("> " + line if line else ">" for line in text.strip().splitlines())


def _task_text(markdown: str) -> str:
    """The exercise statement: from the cell's last heading on (prose before it belongs to the lesson)."""
    lines = markdown.strip().splitlines()
    heads, fenced = [], False
    for i, line in enumerate(lines):
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        elif not fenced and re.match(r"#{1,6} ", line):
            heads.append(i)
    return "\n".join(lines[heads[-1]:]) if heads else markdown.strip()


def _question_block(name: str, question: Any, *, task: str | None, exercise: str | None,
                    solution_code: str | None) -> list[str]:
    out = [f"### {name} ({question.kind if question is not None else 'unknown question'})", ""]
    if question is not None:
        out += [question.prompt, ""]
    if task:
        out += ["Task in the notebook:", "", _quote(_task_text(task)), ""]
    if exercise:
        out += ["Exercise cell:", "", _fence(exercise, "python"), ""]
    code = solution_code or (question.solution_text if question is not None else None)
    if code:
        out += ["Solution:", "", _fence(code, "python"), ""]
    if question is not None:
        try:
            expected = question.expected_text()
        except Exception as exc:  # e.g. data missing on this machine: still write the key
            expected = f"(could not compute: {type(exc).__name__}: {exc})"
        out += ["Expected result:", "", _fence(expected), ""]
        if getattr(question, "kind", "") == "choice":
            wrong = [f"- ({k}) {question.options[k]} — {question.explanations[k]}"
                     for k in question.options if k not in question.answers]
            out += ["Why the other options are wrong:", ""] + wrong + [""]
        out += ["Hints:", ""] + [f"{i}. {h}" for i, h in enumerate(question.hints, 1)] + [""]
    return out


def answer_key_markdown(src: str | os.PathLike[str], *, exclude: Sequence[str] = DEFAULT_EXCLUDE) -> str:
    """The answer key as Markdown text (see :func:`answer_key`)."""
    from . import exercises

    notebooks = find_notebooks(src, exclude=exclude)
    if not notebooks:
        raise ClassroomError(f"no notebooks found in {src}")
    out = ["# seglearn answer key", "",
           "For teachers: every exercise of the course with its solution and expected result. "
           "Do not hand this to learners.", ""]
    for path in notebooks:
        nb = _read(path)
        lesson_id = _lesson_id_of(nb, path)
        les, problem = None, None
        if lesson_id is not None:
            with _lesson_search(path.parent):
                try:
                    les = exercises.lesson(lesson_id)
                except Exception as exc:
                    problem = f"{type(exc).__name__}: {exc}"
        solution_cells = [i for i, c in enumerate(nb.cells) if is_solution(c)]
        if not solution_cells and les is None:
            continue
        out += [f"## {_title_of(nb, path)} (`{path.name}`)", ""]
        if problem:
            out += [f"*Exercises of lesson {lesson_id} could not be loaded: {problem}*", ""]
        covered = set()
        for i in solution_cells:
            cell = nb.cells[i]
            found = _question_of(cell.source)
            name = found[1] if found else f"cell {i}"
            question = les.questions.get(name) if (les is not None and found) else None
            covered.add(name)
            exercise_i = next((j for j in range(i - 1, -1, -1)
                               if nb.cells[j].cell_type == "code" and not is_solution(nb.cells[j])), None)
            task_i = next((j for j in range((exercise_i if exercise_i is not None else i) - 1, -1, -1)
                           if nb.cells[j].cell_type == "markdown"), None)
            out += _question_block(name, question,
                                   task=nb.cells[task_i].source if task_i is not None else None,
                                   exercise=nb.cells[exercise_i].source if exercise_i is not None else None,
                                   solution_code=cell.source)
        if les is not None:
            for name, question in les.questions.items():
                if name not in covered:
                    block = _question_block(name, question, task=None, exercise=None, solution_code=None)
                    out += block[:2] + ["*(This question has no solution cell in the notebook.)*", ""] + block[2:]
    return "\n".join(out).rstrip() + "\n"


_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>body{{font-family:system-ui,sans-serif;max-width:60em;margin:2em auto;padding:0 1em;line-height:1.5}}
pre{{background:#f4f4f4;padding:.6em;overflow-x:auto}} blockquote{{border-left:4px solid #ccc;margin:0;padding-left:1em;color:#444}}
a{{color:#0072B2}}</style></head><body>
{body}
</body></html>
"""


def _markdown_to_html(text: str) -> str:
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    return markdown2html_mistune(text)


def answer_key(src: str | os.PathLike[str], out: str | os.PathLike[str], *,
               exclude: Sequence[str] = DEFAULT_EXCLUDE) -> Path:
    """Write one readable document with every exercise, its solution and its expected result.

    Parameters
    ----------
    src : path
        A notebook or a folder of notebooks.
    out : path
        The document; HTML if it ends in ``.html``/``.htm``, else Markdown.

    Returns
    -------
    Path
        ``out``.

    Examples
    --------
    >>> answer_key("notebooks", "answer_key.md")  # doctest: +SKIP
    """
    out_path = Path(out)
    src_path = Path(src)
    if out_path.suffix == ".ipynb":
        raise ClassroomError(f"OUT must be a .md or .html file, not a notebook: {out_path}")
    if src_path.is_file() and out_path.resolve() == src_path.resolve():
        raise ClassroomError("refusing to overwrite the source notebook")
    text = answer_key_markdown(src_path, exclude=exclude)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    if out_path.suffix.lower() in (".html", ".htm"):
        out_path.write_text(_PAGE.format(title="seglearn answer key", body=_markdown_to_html(text)), encoding="utf-8")
    else:
        out_path.write_text(text, encoding="utf-8")
    return out_path


# -- HTML export ----------------------------------------------------------------------------------
@contextlib.contextmanager
def _environment(**values: str) -> Iterator[None]:
    old = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def _link_pages(source: str, names: set[str]) -> str:
    """Point Markdown links to sibling notebooks at their HTML pages."""
    def repl(match: re.Match[str]) -> str:
        target = match.group(1)
        return f"({target[:-6]}.html{match.group(2) or ''})" if Path(target).name in names else match.group(0)

    return re.sub(r"\(([^()\s]+?\.ipynb)(#[^()\s]*)?\)", repl, source)


_WIDGET_MIME = "application/vnd.jupyter.widget-view+json"


def _note_widgets(nb: Any) -> int:
    """After each widget output, add a note that the static page cannot run it; returns how many."""
    from nbformat.v4 import new_output

    count = 0
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        outputs = []
        for output in cell.get("outputs", []):
            outputs.append(output)
            data = output.get("data", {})
            if _WIDGET_MIME in data:
                count += 1
                match = re.match(r"\s*(\w+)\(", str(data.get("text/plain", "")))
                name = match.group(1) if match else "widget"
                text = f"[Interactive {name}: open this notebook in JupyterLab to use it.]"
                outputs.append(new_output("display_data", data={
                    "text/plain": text,
                    "text/html": ("<div class='seglearn-widget-note' style='border:1px dashed #888;padding:6px 10px;"
                                  f"color:#555'>&#9998; Interactive <b>{html.escape(name)}</b>: open this notebook "
                                  "in JupyterLab to paint and explore; this read-only page cannot run it.</div>")}))
        cell.outputs = outputs
    return count


def export_html(src: str | os.PathLike[str], out: str | os.PathLike[str], *, timeout: int = 120,
                with_solutions: bool = False, allow_errors: bool = False,
                exclude: Sequence[str] = DEFAULT_EXCLUDE, kernel_name: str = "python3") -> list[Path]:
    """Execute the notebooks and write a read-only HTML page for each, plus ``index.html``.

    Parameters
    ----------
    src : path
        A notebook or a folder of notebooks.
    out : path
        Output folder (created). Pages keep the notebooks' relative paths, ``.html`` instead of ``.ipynb``.
    timeout : int
        Per-cell time limit in seconds.
    with_solutions : bool
        Keep solution cells (by default they run, so later cells work, but are left out of the pages).
        Widgets cannot run in a static page: each gets a note pointing to JupyterLab.
    allow_errors : bool
        Keep going when a cell raises (the error appears on the page) instead of failing.

    Returns
    -------
    list of Path
        The pages, then ``index.html``.

    Examples
    --------
    >>> export_html("notebooks", "site")  # doctest: +SKIP
    """
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import CellExecutionError, ExecutePreprocessor

    src_path, out_path = Path(src), Path(out)
    notebooks = find_notebooks(src_path, exclude=exclude)
    if not notebooks:
        raise ClassroomError(f"no notebooks found in {src_path}")
    root = src_path if src_path.is_dir() else src_path.parent
    if out_path.resolve() == root.resolve():
        raise ClassroomError("OUT must not be the notebook folder itself; choose e.g. site/")
    names = {p.name for p in notebooks}
    exporter = HTMLExporter(template_name="lab")
    pages: list[tuple[Path, str]] = []
    for path in notebooks:
        nb = _read(path)
        for cell in nb.cells:
            if cell.cell_type == "markdown":
                cell.source = _link_pages(cell.source, names)
        executor = ExecutePreprocessor(timeout=timeout, kernel_name=kernel_name, allow_errors=allow_errors)
        # Learners' progress must not change because a teacher exported the course.
        with _environment(SEGLEARN_PROGRESS_FILE="", MPLBACKEND="Agg"):
            try:
                executor.preprocess(nb, {"metadata": {"path": str(path.parent.resolve())}})
            except CellExecutionError as exc:
                raise ClassroomError(f"{path}: a cell failed while executing:\n{exc}") from None
        _note_widgets(nb)
        if not with_solutions:
            nb.cells = [c for c in nb.cells if not is_solution(c)]
            for number, cell in enumerate((c for c in nb.cells if c.cell_type == "code"), start=1):
                cell.execution_count = number   # no gaps where the solutions were
                for output in cell.get("outputs", []):
                    if output.get("output_type") == "execute_result":
                        output["execution_count"] = number
        body, _ = exporter.from_notebook_node(nb)
        rel = path.relative_to(root).with_suffix(".html")
        target = out_path / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(body, encoding="utf-8")
        pages.append((rel, _title_of(nb, path)))
    items = "\n".join(f"<li><a href=\"{html.escape(rel.as_posix())}\">{html.escape(title)}</a>"
                      f" <small>({html.escape(rel.with_suffix('.ipynb').name)})</small></li>"
                      for rel, title in pages)
    index = out_path / "index.html"
    index.write_text(_PAGE.format(title="seglearn course", body=(
        "<h1>seglearn: learn to evaluate medical image segmentation</h1>"
        "<p>A read-only version of the executed course. To try the exercises and widgets, "
        "open the notebooks in JupyterLab.</p>" f"<ol>\n{items}\n</ol>")), encoding="utf-8")
    return [out_path / rel for rel, _ in pages] + [index]


# -- command line ---------------------------------------------------------------------------------
def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--exclude", action="append", metavar="FOLDER",
                        help=f"folder name to leave out (repeatable; default: {', '.join(DEFAULT_EXCLUDE)})")


def _exclude(args: argparse.Namespace) -> tuple[str, ...]:
    return tuple(args.exclude) if args.exclude else DEFAULT_EXCLUDE


def _fail(command: str, exc: Exception) -> int:
    print(f"seglearn {command}: error: {exc}", file=sys.stderr)
    return 2


def _student_copy_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("src", metavar="SRC", help="a notebook or a folder of notebooks")
    parser.add_argument("dest", metavar="DEST", help="where to write the student version (notebook or folder)")
    parser.add_argument("--force", action="store_true", help="write into a non-empty DEST / overwrite files there")
    _common(parser)


@subcommand("student-copy", "write student copies: solution cells replaced by placeholders, outputs cleared",
            _student_copy_args)
def _run_student_copy(args: argparse.Namespace) -> int:
    try:
        reports = student_copy(args.src, args.dest, force=args.force, exclude=_exclude(args))
    except (ClassroomError, OSError) as exc:
        return _fail("student-copy", exc)
    for report in reports:
        print(report.line())
    total = sum(len(r.removed) for r in reports)
    print(f"Done: {len(reports)} notebook{'s' if len(reports) != 1 else ''}, {total} solution cells removed.")
    return 0


def _answer_key_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("src", metavar="SRC", help="a notebook or a folder of notebooks")
    parser.add_argument("out", metavar="OUT", help="the answer key: .md (Markdown) or .html")
    _common(parser)


@subcommand("answer-key", "write the teacher's answer key: every exercise, its solution and expected result",
            _answer_key_args)
def _run_answer_key(args: argparse.Namespace) -> int:
    try:
        path = answer_key(args.src, args.out, exclude=_exclude(args))
    except (ClassroomError, OSError) as exc:
        return _fail("answer-key", exc)
    print(f"Wrote the answer key to {path}")
    return 0


def _export_html_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("src", metavar="SRC", help="a notebook or a folder of notebooks")
    parser.add_argument("out", metavar="OUT", help="output folder for the HTML pages and index.html")
    parser.add_argument("--timeout", type=int, default=120, help="per-cell time limit in seconds (default 120)")
    parser.add_argument("--with-solutions", action="store_true", help="keep the solution cells in the pages")
    parser.add_argument("--allow-errors", action="store_true", help="keep going when a cell raises")
    _common(parser)


@subcommand("export-html", "execute the notebooks and write a read-only HTML version with an index page",
            _export_html_args)
def _run_export_html(args: argparse.Namespace) -> int:
    try:
        pages = export_html(args.src, args.out, timeout=args.timeout, with_solutions=args.with_solutions,
                            allow_errors=args.allow_errors, exclude=_exclude(args))
    except (ClassroomError, OSError) as exc:
        return _fail("export-html", exc)
    print(f"Wrote {len(pages) - 1} pages and {pages[-1]}")
    return 0
