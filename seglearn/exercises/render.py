"""How feedback looks: coloured HTML in JupyterLab, stable plain text everywhere else.

Every message the exercises show (a check result, a hint, a solution, a progress table) is a
:class:`Message`. In a Jupyter kernel it is displayed at once (so ``check`` works anywhere in a
cell, even inside a loop); the object is also returned, and displaying it a second time (when it
is the cell's last expression) is a no-op. Outside IPython nothing is printed: ``print(msg)`` or
``repr(msg)`` gives the plain text.
"""
from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Iterable, Sequence

from .. import palette

__all__ = ["Message", "Result", "Table", "show", "CORRECT", "INCORRECT", "NOT_ATTEMPTED", "HINT", "SOLUTION", "INFO",
           "PROGRESS", "QUESTION"]

# Outcomes (also the strings stored in the progress file).
CORRECT = "correct"
INCORRECT = "incorrect"
NOT_ATTEMPTED = "not attempted"
# Other message kinds.
HINT = "hint"
SOLUTION = "solution"
INFO = "info"
PROGRESS = "progress"
QUESTION = "question"

# kind -> (symbol, label, colour). Colours from seglearn.palette (colour-blind safe).
_STYLE = {
    CORRECT: ("✓", "Correct", palette.TP),
    INCORRECT: ("✗", "Incorrect", palette.FP),
    NOT_ATTEMPTED: ("○", "Not attempted", "#888888"),
    HINT: ("?", "Hint", palette.FN),
    SOLUTION: ("★", "Solution", palette.PREDICTION),
    INFO: ("i", "", "#888888"),
    PROGRESS: ("▤", "Progress", "#888888"),
    QUESTION: ("✎", "Question", palette.FN),
}


def _in_ipython() -> bool:
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython ships with JupyterLab
        return False
    return get_ipython() is not None


def show(obj: object) -> None:
    """Display ``obj`` in a Jupyter/IPython session; do nothing elsewhere."""
    if _in_ipython():
        from IPython.display import display

        display(obj)


@dataclass(frozen=True)
class Table:
    """A small table shown inside a :class:`Message` (rows of strings)."""

    header: Sequence[str]
    rows: Sequence[Sequence[str]]

    def text(self) -> str:
        cols = [list(self.header)] + [list(r) for r in self.rows]
        widths = [max(len(str(c[i])) for c in cols) for i in range(len(self.header))]
        fmt = lambda r: "  ".join(str(v).ljust(w) for v, w in zip(r, widths)).rstrip()  # noqa: E731
        lines = [fmt(self.header), "  ".join("-" * w for w in widths)]
        lines += [fmt(r) for r in self.rows]
        return "\n".join(lines)

    def html(self) -> str:
        head = "".join(f"<th style='text-align:left;padding:2px 10px 2px 0'>{html.escape(str(h))}</th>"
                       for h in self.header)
        body = "".join("<tr>" + "".join(f"<td style='padding:2px 10px 2px 0'>{html.escape(str(v))}</td>"
                                        for v in row) + "</tr>" for row in self.rows)
        return f"<table style='border-collapse:collapse;margin-top:4px'><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


@dataclass
class Message:
    """One piece of feedback: a kind, a title, lines of text, optional code and an optional table.

    Parameters
    ----------
    kind : str
        One of ``"correct"``, ``"incorrect"``, ``"not attempted"``, ``"hint"``, ``"solution"``, ``"info"``.
    title : str
        Short heading, e.g. ``"q1"`` or ``"q1, hint 1 of 2"``.
    lines : list of str
        The body; each line is plain text (escaped in HTML).
    code : str, optional
        Code shown verbatim (solutions).
    table : Table, optional
        A table shown after the lines (progress reports).

    Examples
    --------
    >>> print(Message("correct", "q1", ["Well done."]))
    ✓ Correct (q1): Well done.
    """

    kind: str
    title: str
    lines: list[str] = field(default_factory=list)
    code: str | None = None
    table: Table | None = None
    _shown: bool = field(default=False, init=False, repr=False, compare=False)

    # -- plain text -------------------------------------------------------------------------
    def text(self) -> str:
        symbol, label, _ = _STYLE.get(self.kind, _STYLE[INFO])
        head = f"{symbol} {label} ({self.title})" if label else f"{symbol} {self.title}"
        lines = list(self.lines)
        if len(lines) == 1 and self.code is None and self.table is None:
            return f"{head}: {lines[0]}"
        parts = [head + (":" if lines or self.code or self.table else "")]
        parts += [f"  {line}" for line in lines]
        if self.code is not None:
            parts += ["    " + c for c in self.code.rstrip("\n").splitlines()]
        if self.table is not None:
            parts += ["  " + t for t in self.table.text().splitlines()]
        return "\n".join(parts)

    def __str__(self) -> str:
        return self.text()

    def __repr__(self) -> str:
        return self.text()

    # -- HTML -------------------------------------------------------------------------------
    def _repr_html_(self) -> str:
        symbol, label, colour = _STYLE.get(self.kind, _STYLE[INFO])
        head = f"{symbol} {label}" if label else symbol
        body = "".join(f"<div>{html.escape(line)}</div>" for line in self.lines)
        if self.code is not None:
            body += ("<pre style='margin:4px 0;padding:4px 8px;background:rgba(127,127,127,0.12)'>"
                     f"{html.escape(self.code.rstrip())}</pre>")
        if self.table is not None:
            body += self.table.html()
        return (f"<div class='seglearn-feedback seglearn-{self.kind.replace(' ', '-')}' "
                f"style='border-left:6px solid {colour};padding:4px 10px;margin:4px 0;"
                f"background:{colour}1a'>"
                f"<b style='color:{colour}'>{html.escape(head)}</b> "
                f"<span style='opacity:0.8'>({html.escape(self.title)})</span>{body}</div>")

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, str]:
        return {"text/plain": self.text(), "text/html": self._repr_html_()}

    # -- display once -----------------------------------------------------------------------
    def show(self) -> "Message":
        """Display now (in IPython) and remember that it was shown; returns ``self``."""
        if _in_ipython():
            from IPython.display import display

            display(self._repr_mimebundle_(), raw=True)
            self._shown = True
        return self

    def _ipython_display_(self) -> None:
        # Called when the object is a cell's last expression: skip if check() already showed it.
        if not self._shown:
            self.show()


def bullet(items: Iterable[str]) -> list[str]:
    """Lines prefixed with a bullet."""
    return [f"• {item}" for item in items]


@dataclass(repr=False)
class Result(Message):
    """The outcome of ``check``: a :class:`Message` whose truth value is "correct".

    ``assert ex.q1.check(answer)`` therefore fails exactly when the answer is wrong or missing,
    while a plain ``ex.q1.check(answer)`` never raises.

    Examples
    --------
    >>> r = Result("not attempted", "q1", ["Replace ... with your answer."])
    >>> bool(r), r.attempted
    (False, False)
    """

    @property
    def outcome(self) -> str:
        """``"correct"``, ``"incorrect"`` or ``"not attempted"``."""
        return self.kind

    @property
    def correct(self) -> bool:
        return self.kind == CORRECT

    @property
    def attempted(self) -> bool:
        return self.kind != NOT_ATTEMPTED

    def __bool__(self) -> bool:
        return self.kind == CORRECT
