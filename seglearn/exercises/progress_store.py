"""Remember each learner's progress across kernel restarts in one small JSON file.

Location: the file named by the environment variable ``SEGLEARN_PROGRESS_FILE`` if it is set
(set it to an empty string or ``off`` to keep progress in memory only), else
``~/.seglearn/progress.json`` (under pytest, e.g. nbval running the lessons, the default is
memory only, so running the tests never changes a learner's file). The file holds, per lesson and question, the best outcome so far,
the number of checks, how many hints were shown and whether the solution was shown::

    {"version": 1, "lessons": {"02": {"q1": {"status": "correct", "checks": 3,
                                               "hints": 1, "solution_viewed": false,
                                               "updated": "2026-11-27T14:00:00+00:00"}}}}

A missing file is normal; a corrupt or unwritable file produces a :class:`ProgressWarning` and is
otherwise ignored (progress is then kept in memory until the kernel restarts). It never raises.
"""
from __future__ import annotations

import json
import os
import tempfile
import warnings
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from .render import CORRECT, INCORRECT, NOT_ATTEMPTED

__all__ = ["ENV_VAR", "ProgressWarning", "progress_path", "load", "record", "question_state"]

ENV_VAR = "SEGLEARN_PROGRESS_FILE"
DEFAULT_PATH = Path("~/.seglearn/progress.json")
_RANK = {NOT_ATTEMPTED: 0, INCORRECT: 1, CORRECT: 2}

# In-memory copies per path (key "" when saving is off): used while the file cannot be read or written.
_memory: dict[str, dict[str, Any]] = {}
_warned: set[tuple[str, str]] = set()


class ProgressWarning(UserWarning):
    """The progress file could not be read or written; progress is kept in memory only."""


def progress_path() -> Path | None:
    """Where progress is stored now (``None`` when saving is switched off).

    Examples
    --------
    >>> import os
    >>> os.environ["SEGLEARN_PROGRESS_FILE"] = "/tmp/my-progress.json"
    >>> str(progress_path())
    '/tmp/my-progress.json'
    >>> del os.environ["SEGLEARN_PROGRESS_FILE"]
    """
    value = os.environ.get(ENV_VAR)
    if value is None:
        if os.environ.get("PYTEST_CURRENT_TEST"):  # running the test suite must not touch a learner's file
            return None
        return DEFAULT_PATH.expanduser()
    if value.strip().lower() in ("", "off", "none", "0"):
        return None
    return Path(value).expanduser()


def _warn(path: Path, problem: str, message: str) -> None:
    key = (str(path), problem)
    if key in _warned:
        return
    _warned.add(key)
    warnings.warn(message, ProgressWarning, stacklevel=4)


def _valid(data: Any) -> bool:
    return (isinstance(data, dict) and isinstance(data.get("lessons"), dict)
            and all(isinstance(v, dict) and all(isinstance(q, dict) for q in v.values())
                    for v in data["lessons"].values()))


def load() -> dict[str, Any]:
    """The stored progress (``{"version": 1, "lessons": {...}}``); never raises."""
    path = progress_path()
    key = "" if path is None else str(path)
    if path is None:
        return _memory.setdefault(key, _fresh())
    try:
        text = path.read_text(encoding="utf-8")
    except (FileNotFoundError, NotADirectoryError):
        return _memory.get(key) or _fresh()
    except OSError as exc:
        _warn(path, "read", f"cannot read the progress file {path} ({type(exc).__name__}: {exc}); "
                            f"progress is kept in memory only. Set {ENV_VAR} to another file.")
        return _memory.setdefault(key, _fresh())
    try:
        data = json.loads(text)
    except ValueError as exc:
        data = None
        reason = f"not valid JSON: {exc}"
    else:
        reason = "not in the expected format"
    if not _valid(data):
        backup = path.with_name(path.name + ".corrupt")
        try:
            os.replace(path, backup)
            kept = f"the damaged file was moved to {backup}"
        except OSError:
            kept = "the damaged file was left in place"
        _warn(path, "corrupt", f"the progress file {path} is {reason}; starting afresh ({kept}).")
        return _memory.setdefault(key, _fresh())
    return data


def _fresh() -> dict[str, Any]:
    return {"version": 1, "lessons": {}}


def _save(data: dict[str, Any]) -> None:
    path = progress_path()
    if path is None:
        _memory[""] = data
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".progress-", suffix=".json", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(data, fh, indent=1, sort_keys=True)
            os.replace(tmp, path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
        _memory.pop(str(path), None)
    except OSError as exc:
        _memory[str(path)] = data
        _warn(path, "write", f"cannot save progress to {path} ({type(exc).__name__}: {exc}); "
                             f"progress is kept in memory until the kernel restarts. "
                             f"Set {ENV_VAR} to a writable file.")


def question_state(data: dict[str, Any], lesson_id: str, question: str) -> dict[str, Any]:
    """The stored state of one question (defaults when it was never touched)."""
    state = data.get("lessons", {}).get(lesson_id, {}).get(question, {})
    status = state.get("status", NOT_ATTEMPTED)
    return {
        "status": status if status in _RANK else NOT_ATTEMPTED,
        "checks": int(state.get("checks", 0)) if isinstance(state.get("checks", 0), int) else 0,
        "hints": int(state.get("hints", 0)) if isinstance(state.get("hints", 0), int) else 0,
        "solution_viewed": bool(state.get("solution_viewed", False)),
    }


def record(lesson_id: str, question: str, *, outcome: str | None = None, hint: int | None = None,
           solution_viewed: bool = False) -> None:
    """Record a check outcome, a shown hint (its 1-based number) or a shown solution; never raises."""
    if outcome == NOT_ATTEMPTED and hint is None and not solution_viewed:
        return  # nothing learnt: running a fresh notebook top to bottom writes no file
    try:
        data = load()
        lessons = data.setdefault("lessons", {})
        state = lessons.setdefault(lesson_id, {}).setdefault(question, {})
        if outcome is not None:
            old = state.get("status", NOT_ATTEMPTED)
            if _RANK.get(outcome, 0) >= _RANK.get(old, 0):
                state["status"] = outcome
            if outcome != NOT_ATTEMPTED:
                state["checks"] = int(state.get("checks", 0)) + 1
        if hint is not None:
            state["hints"] = max(int(state.get("hints", 0)), hint)
        if solution_viewed:
            state["solution_viewed"] = True
        state["updated"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
        data["version"] = 1
        _save(data)
    except Exception as exc:  # progress must never break an exercise
        warnings.warn(f"could not record progress ({type(exc).__name__}: {exc})", ProgressWarning, stacklevel=3)
