"""The teacher's kit (``notebooks/teaching/``) says true things.

* The cheat sheet's formulas, parsed from its tables, give the same numbers as ``seglearn.metrics``
  on an example (overlap formulas are evaluated from the four counts; the boundary-metric
  definitions are mirrored on the surface distances).
* Every ``seglearn COMMAND`` the teaching docs mention exists in the command-line parser.
* Relative links (and their ``#anchors``) in the teaching docs and the README's teachers section resolve.
* The cheat sheet stays one printable page.
"""
from __future__ import annotations

import math
import re
from pathlib import Path
from urllib.parse import unquote

import numpy as np
import pytest

import seglearn.metrics as sm

ROOT = Path(__file__).resolve().parents[1]
TEACHING = ROOT / "notebooks" / "teaching"
DOCS = sorted(TEACHING.glob("*.md"))
CHEAT_SHEET = TEACHING / "cheat-sheet.md"

MD_LINK = re.compile(r"\]\((?P<target>[^)\s]+)\)")


def _table(text: str, heading: str) -> list[dict[str, str]]:
    """Rows of the first Markdown table after ``## heading`` as dicts keyed by the header cells."""
    section = re.search(rf"^##\s+{re.escape(heading)}.*?$(?P<body>.*?)(?=^##\s|\Z)", text, re.M | re.S)
    assert section, f"cheat sheet has no '## {heading}' section"
    lines = [l for l in section.group("body").splitlines() if l.startswith("|")]
    cells = [[c.strip() for c in l.strip().strip("|").split("|")] for l in lines]
    header, rows = cells[0], [r for r in cells[2:]]
    return [dict(zip(header, r)) for r in rows]


def _code(cell: str) -> str:
    m = re.search(r"`([^`]+)`", cell)
    assert m, f"no `code` formula in table cell {cell!r}"
    return m.group(1)


def _evaluate(formula: str, counts: sm.ConfusionCounts) -> float:
    """Evaluate a cheat-sheet formula written with TP, FP, FN, TN, ·, sqrt and abs."""
    expr = formula.replace("·", "*").replace("−", "-").replace("β", "beta")
    assert re.fullmatch(r"[A-Za-z0-9_+\-*/(). ]+", expr), f"unexpected characters in formula {formula!r}"
    names = {"TP": counts.tp, "FP": counts.fp, "FN": counts.fn, "TN": counts.tn, "sqrt": math.sqrt, "abs": abs}
    return float(eval(expr, {"__builtins__": {}}, names))  # noqa: S307 - our own document, restricted names


# Metric name in the cheat sheet -> the seglearn function it documents.
OVERLAP = {
    "Dice (F1)": sm.dice,
    "IoU (Jaccard)": sm.iou,
    "Precision (PPV)": sm.precision,
    "Recall (sensitivity)": sm.recall,
    "Specificity": sm.specificity,
    "Accuracy": sm.accuracy,
    "Balanced accuracy": sm.balanced_accuracy,
    "F-beta (β = 2)": lambda p, r: sm.f_beta(p, r, 2),
    "MCC": sm.mcc,
    "Volume similarity": sm.volume_similarity,
}


def _example_masks(seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[:48, :64]
    ref = (yy - 24) ** 2 + (xx - 30) ** 2 < 12 ** 2
    pred = ((yy - 26) ** 2 + (xx - 34) ** 2 < 11 ** 2) ^ (rng.random(ref.shape) < 0.03)
    return pred, ref


def test_cheat_sheet_lists_every_overlap_metric_once():
    rows = _table(CHEAT_SHEET.read_text(encoding="utf-8"), "Overlap metrics")
    assert sorted(r["Metric"] for r in rows) == sorted(OVERLAP)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_cheat_sheet_overlap_formulas_match_seglearn(seed):
    pred, ref = _example_masks(seed)
    counts = sm.confusion_counts(pred, ref)
    assert min(counts.tp, counts.fp, counts.fn, counts.tn) > 0  # every term of every formula matters
    for row in _table(CHEAT_SHEET.read_text(encoding="utf-8"), "Overlap metrics"):
        expected = OVERLAP[row["Metric"]](pred, ref)
        got = _evaluate(_code(row["Formula"]), counts)
        assert got == pytest.approx(expected, rel=1e-12), f"{row['Metric']}: cheat sheet {got}, seglearn {expected}"


# Boundary metrics: the cheat sheet states each definition in words; the test mirrors the words on the
# two directed distance lists and compares with seglearn's functions.
BOUNDARY = {
    "Hausdorff (HD)": (
        lambda a, b, sp: max(a.max(), b.max()),
        lambda p, r, sp: sm.hausdorff_distance(p, r, spacing=sp)),
    "HD95": (
        lambda a, b, sp: max(np.percentile(a, 95), np.percentile(b, 95)),
        lambda p, r, sp: sm.hausdorff_distance(p, r, percentile=95, spacing=sp)),
    "ASSD": (
        lambda a, b, sp: np.concatenate([a, b]).mean(),
        lambda p, r, sp: sm.average_surface_distance(p, r, spacing=sp)),
    "NSD at τ mm": (
        lambda a, b, sp: (np.sum(a <= 2.0) + np.sum(b <= 2.0)) / (a.size + b.size),
        lambda p, r, sp: sm.normalized_surface_dice(p, r, tolerance=2.0, spacing=sp)),
}


def test_cheat_sheet_lists_every_boundary_metric_once():
    rows = _table(CHEAT_SHEET.read_text(encoding="utf-8"), "Boundary metrics")
    assert sorted(r["Metric"] for r in rows) == sorted(BOUNDARY)


@pytest.mark.parametrize("spacing", [(1.0, 1.0), (3.0, 0.5)])
def test_cheat_sheet_boundary_definitions_match_seglearn(spacing):
    yy, xx = np.mgrid[:48, :64]
    ref = (yy - 24) ** 2 + (xx - 30) ** 2 < 12 ** 2
    pred = (yy - 26) ** 2 + (xx - 33) ** 2 < 11 ** 2
    pred[2, 60] = True                      # a stray speck, so HD, HD95 and the mean all differ
    sd = sm.surface_distances(pred, ref, spacing=spacing)
    a, b = sd.pred_to_ref, sd.ref_to_pred
    assert a.size and b.size and a.max() > 2 * np.percentile(a, 95)
    for name, (definition, seglearn_value) in BOUNDARY.items():
        assert definition(a, b, spacing) == pytest.approx(seglearn_value(pred, ref, spacing), rel=1e-12), name


def test_a_wrong_formula_would_be_caught():
    pred, ref = _example_masks(0)
    counts = sm.confusion_counts(pred, ref)
    assert _evaluate("TP / (TP + FP + FN + TN)", counts) != pytest.approx(sm.dice(pred, ref))


def test_cheat_sheet_is_one_printable_page():
    text = CHEAT_SHEET.read_text(encoding="utf-8")
    assert text.startswith("# "), "the cheat sheet starts with one title"
    assert len(text.splitlines()) <= 60, "the cheat sheet no longer fits one printed page"
    assert not re.search(r"<(script|style|iframe)", text), "plain Markdown only (renders in JupyterLab and prints)"


# --- lesson times ---------------------------------------------------------------------------------

TIME_ROW = re.compile(r"^\|\s*(?P<num>\d\d)\s*\|\s*\[[^\]]+\]\([^)]*?(?P=num)_[^)]+\.ipynb\)\s*\|\s*(?P<min>\d+)\s*min", re.M)


def test_instructor_guide_lesson_times_match_the_readme_course_map():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    course_map = re.search(r"<!-- course-map:start -->(.*?)<!-- course-map:end -->", readme, re.S).group(1)
    expected = {m["num"]: m["min"] for m in TIME_ROW.finditer(course_map)}
    guide = {m["num"]: m["min"] for m in TIME_ROW.finditer((TEACHING / "instructor-guide.md").read_text(encoding="utf-8"))}
    assert expected and guide == expected


# --- commands -------------------------------------------------------------------------------------

COMMAND = re.compile(r"`seglearn (?P<name>[a-z][a-z-]*)")


def _cli_commands() -> set[str]:
    from seglearn.cli import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    return set(sub.choices)


def test_documented_commands_exist_in_the_cli():
    documented = {m.group("name") for doc in DOCS for m in COMMAND.finditer(doc.read_text(encoding="utf-8"))}
    assert {"student-copy", "answer-key", "export-html", "check-setup"} <= documented
    missing = documented - _cli_commands()
    assert not missing, f"the teaching docs mention commands the CLI does not have: {sorted(missing)}"


# --- links ----------------------------------------------------------------------------------------

def _anchors(markdown: str) -> set[str]:
    """GitHub/JupyterLab-style heading anchors of a Markdown file."""
    out = set()
    for heading in re.findall(r"^#+\s+(.+?)\s*$", markdown, re.M):
        slug = re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")
        out.add(slug)
    return out


def _broken_links(source: Path, text: str) -> list[str]:
    broken = []
    for target in (m.group("target") for m in MD_LINK.finditer(text)):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I):
            continue  # absolute URL
        file_part, _, anchor = unquote(target).partition("#")
        path = (source.parent / file_part) if file_part else source
        if not path.exists():
            broken.append(target)
        elif anchor and path.suffix == ".md" and anchor not in _anchors(path.read_text(encoding="utf-8")):
            broken.append(target)
    return broken


@pytest.mark.parametrize("doc", DOCS, ids=[d.name for d in DOCS])
def test_links_in_teaching_docs_resolve(doc):
    assert not _broken_links(doc, doc.read_text(encoding="utf-8"))


def test_readme_links_the_teachers_kit():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- section:teachers.*?-->(.*?)(?:<!-- /section:teachers -->|\n## )", readme, re.S)
    assert block, "README.md has no teachers section"
    links = {m.group("target") for m in MD_LINK.finditer(block.group(1))}
    for doc in ("instructor-guide.md", "cheat-sheet.md", "serving.md"):
        assert f"notebooks/teaching/{doc}" in links, f"README teachers section does not link {doc}"
    assert not _broken_links(ROOT / "README.md", block.group(1))


def test_link_checker_catches_a_broken_link(tmp_path):
    doc = tmp_path / "a.md"
    doc.write_text("# Title\n[ok](#title) [bad](missing.md) [bad anchor](#nope)\n", encoding="utf-8")
    assert _broken_links(doc, doc.read_text(encoding="utf-8")) == ["missing.md", "#nope"]
