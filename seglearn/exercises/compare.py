"""Compare a learner's answer with an expected value, and describe the answer without the expectation.

:func:`compare` returns ``(ok, detail)``. ``detail`` describes only what the learner gave ("0.5",
"None (did you forget `return`?)", "an array of shape (3,) in which 2 of 3 entries are not
correct"); it never contains the expected value, so it is safe to show.
"""
from __future__ import annotations

import math
import numbers
from typing import Any

import numpy as np

__all__ = ["is_placeholder", "describe", "format_number", "compare", "expected_kind", "explains_itself"]

# compare() details that already say what is wrong (as opposed to a bare value such as "0.5").
_EXPLAINING = (", where ", "which is not ", "which does not ", " in which ", " without the key ", "forget `return`")


def explains_itself(detail: str) -> bool:
    """Whether a :func:`compare` detail already says what is wrong (else it is just the learner's value)."""
    return any(marker in detail for marker in _EXPLAINING)


def is_placeholder(answer: Any) -> bool:
    """True for the "not attempted" placeholders ``...`` and ``None``."""
    return answer is Ellipsis or answer is None


def format_number(x: float) -> str:
    """A learner's number as they would print it (6 significant digits, ``nan``, ``inf``)."""
    if isinstance(x, (int, np.integer)) and not isinstance(x, (bool, np.bool_)):
        return str(int(x))
    x = float(x)
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return f"{x:.6g}"


def _is_bool(x: Any) -> bool:
    return isinstance(x, (bool, np.bool_))


def _is_real_scalar(x: Any) -> bool:
    if _is_bool(x):
        return False
    if isinstance(x, numbers.Real) or (isinstance(x, np.generic) and np.issubdtype(type(x), np.number)
                                        and not np.iscomplexobj(x)):
        return True
    return isinstance(x, np.ndarray) and x.ndim == 0 and x.dtype.kind in "iuf"


def describe(x: Any) -> str:
    """Short description of any object, e.g. ``"the string '0.8'"`` or ``"an array of shape (3,) and dtype int64"``."""
    if x is None:
        return "None"
    if x is Ellipsis:
        return "... (the placeholder)"
    if _is_bool(x):
        return f"{bool(x)} (a bool)"
    if _is_real_scalar(x):
        return format_number(x.item() if isinstance(x, np.ndarray) else x)
    if isinstance(x, str):
        shown = x if len(x) <= 40 else x[:37] + "..."
        return f"the string {shown!r}"
    if isinstance(x, np.ndarray):
        return f"an array of shape {x.shape} and dtype {x.dtype}"
    if isinstance(x, (list, tuple)):
        return f"a {type(x).__name__} of {len(x)} item{'s' if len(x) != 1 else ''}"
    if callable(x):
        return f"a {'function' if hasattr(x, '__code__') else 'callable'}"
    return f"a {type(x).__name__} object"


def expected_kind(expected: Any) -> str:
    """Which comparison applies: ``bool``, ``number``, ``text``, ``array``, ``sequence``, ``dict`` or ``other``."""
    if _is_bool(expected):
        return "bool"
    if _is_real_scalar(expected):
        return "number"
    if isinstance(expected, str):
        return "text"
    if isinstance(expected, np.ndarray):
        return "array"
    if isinstance(expected, (list, tuple)):
        return "sequence"
    if isinstance(expected, dict):
        return "dict"
    return "other"


def _numbers_close(a: float, e: float, atol: float, rtol: float) -> bool:
    if math.isnan(e) or math.isnan(a):
        return math.isnan(e) and math.isnan(a)
    if math.isinf(e) or math.isinf(a):
        return a == e
    return abs(a - e) <= atol + rtol * abs(e)


def _none_detail(returned: bool) -> str:
    return "None (did you forget `return`?)" if returned else "None"


def compare(answer: Any, expected: Any, *, atol: float = 1e-6, rtol: float = 1e-9,
            strict_arrays: bool = False, case_sensitive: bool = False,
            returned: bool = False) -> tuple[bool, str]:
    """Compare ``answer`` with ``expected``.

    Parameters
    ----------
    answer, expected
        The learner's value and the right one.
    atol, rtol : float
        Tolerance for numbers: ``|answer - expected| <= atol + rtol * |expected|``; NaN matches NaN.
    strict_arrays : bool
        If True an array answer must be a NumPy array (lists are reported as the wrong type).
    case_sensitive : bool
        Whether text answers must match in case (surrounding spaces are always ignored).
    returned : bool
        Word the details for a function's return value ("None (did you forget `return`?)").

    Returns
    -------
    (bool, str)
        Whether the answer is right, and a description of the answer that does not reveal ``expected``.

    Examples
    --------
    >>> compare(0.5, 0.75)
    (False, '0.5')
    >>> compare("0.75", 0.75)
    (False, "the string '0.75', where a number is expected")
    """
    kind = expected_kind(expected)
    if answer is None and kind != "other":
        return False, _none_detail(returned)
    if kind == "bool":
        if _is_bool(answer):
            return bool(answer) == bool(expected), str(bool(answer))
        return False, f"{describe(answer)}, where True or False is expected"
    if kind == "number":
        if isinstance(answer, np.ndarray) and answer.ndim == 0 and answer.dtype.kind in "iuf":
            answer = answer.item()
        if not _is_real_scalar(answer):
            what = "a single number" if isinstance(answer, (np.ndarray, list, tuple)) else "a number"
            return False, f"{describe(answer)}, where {what} is expected"
        e = expected.item() if isinstance(expected, np.ndarray) else expected
        return _numbers_close(float(answer), float(e), atol, rtol), format_number(answer)
    if kind == "text":
        if not isinstance(answer, str):
            return False, f"{describe(answer)}, where text (a string) is expected"
        a, e = answer.strip(), expected.strip()
        if not case_sensitive:
            a, e = a.casefold(), e.casefold()
        return a == e, repr(answer.strip())
    if kind == "array":
        return _compare_array(answer, expected, atol, rtol, strict_arrays)
    if kind == "sequence":
        if not isinstance(answer, (list, tuple, np.ndarray)):
            return False, f"{describe(answer)}, where a {type(expected).__name__} of {len(expected)} items is expected"
        if len(answer) != len(expected):
            return False, f"{describe(answer)}, which does not have the expected number of items"
        for i, (a, e) in enumerate(zip(answer, expected)):
            ok, detail = compare(a, e, atol=atol, rtol=rtol, strict_arrays=strict_arrays,
                                 case_sensitive=case_sensitive)
            if not ok:
                return False, f"{describe(answer)} whose item {i} is {detail}"
        return True, describe(answer)
    if kind == "dict":
        if not isinstance(answer, dict):
            return False, f"{describe(answer)}, where a dict is expected"
        missing = [k for k in expected if k not in answer]
        if missing:
            return False, f"a dict without the key {missing[0]!r}"
        for key, e in expected.items():
            ok, detail = compare(answer[key], e, atol=atol, rtol=rtol, strict_arrays=strict_arrays,
                                 case_sensitive=case_sensitive)
            if not ok:
                return False, f"a dict whose value for {key!r} is {detail}"
        return True, describe(answer)
    try:
        same = bool(answer == expected)
    except Exception:  # e.g. ambiguous truth value of an array compared with a custom object
        same = False
    return same, describe(answer)


def _compare_array(answer: Any, expected: np.ndarray, atol: float, rtol: float,
                   strict: bool) -> tuple[bool, str]:
    if isinstance(answer, np.ndarray):
        arr = answer
    elif isinstance(answer, (list, tuple)) and not strict:
        try:
            arr = np.asarray(answer)
        except ValueError:
            return False, f"{describe(answer)} with rows of different lengths, where an array is expected"
    else:
        return False, f"{describe(answer)}, where a NumPy array is expected"
    if arr.dtype.kind not in "biuf":
        return False, f"an array of dtype {arr.dtype}, where an array of numbers is expected"
    if expected.dtype.kind == "b" and arr.dtype.kind != "b":
        return False, f"an array of dtype {arr.dtype}, where a boolean (True/False) mask is expected"
    if arr.shape != expected.shape:
        return False, f"an array of shape {arr.shape}, which is not the expected shape"
    if expected.dtype.kind in "biu" and arr.dtype.kind in "biu":
        wrong = arr != expected
    else:
        a = arr.astype(float)
        e = expected.astype(float)
        with np.errstate(invalid="ignore"):
            close = np.isclose(a, e, atol=atol, rtol=rtol, equal_nan=True)
        wrong = ~close
    n_wrong = int(np.count_nonzero(wrong))
    if n_wrong:
        return False, (f"an array of shape {arr.shape} in which {n_wrong} of {arr.size} "
                       f"entries {'is' if n_wrong == 1 else 'are'} not correct")
    return True, describe(arr)
