"""Sample cases for the course: real images, exact references, simulated model outputs, a cohort.

Everything works offline. Only the real pixels are shipped (``data/``, checked by SHA-256 on first
use); synthetic lesions, simulated predictions, rater outlines and the cohort are made by seeded
code at load time, so they are exact and identical on every machine. Every call returns new
arrays: a learner who edits one case cannot corrupt another.

Examples
--------
>>> import seglearn.data as sd
>>> sd.list_cases()[:3]
['brain_tumour', 'brain_small_lesions', 'brain_thin_lesion']
>>> case = sd.load_case("brain_tumour")
>>> case.image.shape, case.image.dtype, case.spacing
((194, 156), dtype('float32'), (1.0, 1.0))
>>> sorted(case.predictions)[:3]
['all_background', 'good', 'missed_small']
"""
from __future__ import annotations

from ._case import Case
from ._cohort import Cohort, MODELS, build_cohort
from ._catalog import CATALOGUE, build_case
from ._files import DataFileError, verify
from ._synth import FAILURES, Lesion

__all__ = ["Case", "Lesion", "DataFileError", "FAILURES", "PREDICTIONS", "list_cases", "load_case",
           "describe_cases", "load_cohort", "Cohort", "MODELS", "verify"]

#: case name -> the prediction names it has.
PREDICTIONS = {name: recipe.predictions for name, recipe in CATALOGUE.items()}


def list_cases() -> list[str]:
    """Names of the sample cases, in a sensible teaching order.

    Examples
    --------
    >>> "brain_healthy" in list_cases()
    True
    """
    return list(CATALOGUE)


def load_case(name: str) -> Case:
    """Load one sample case (fresh arrays every call).

    Parameters
    ----------
    name : str
        One of :func:`list_cases`.

    Returns
    -------
    Case
        With ``image`` (float32 in [0, 1]), ``reference`` (bool), ``spacing`` (mm, NumPy axis
        order), ``predictions`` (dict of bool masks named for their failure), ``probability``
        (float32 or None), ``raters`` (dict, maybe empty), ``description``, ``source``, ``licence``.

    Raises
    ------
    ValueError
        For an unknown name (the message lists the known ones).
    DataFileError
        When a shipped file is missing or corrupt (the message names the file and the fix).

    Examples
    --------
    >>> case = load_case("brain_healthy")
    >>> bool(case.reference.any())
    False
    """
    if not isinstance(name, str):
        raise TypeError(f"name must be a case name (str), got {type(name).__name__}")
    if name not in CATALOGUE:
        raise ValueError(f"unknown case {name!r}; choose one of: {', '.join(CATALOGUE)}")
    return build_case(name)


def describe_cases() -> str:
    """One line per case: its name and what it shows.

    Examples
    --------
    >>> print(describe_cases().splitlines()[0])  # doctest: +ELLIPSIS
    brain_tumour ...
    """
    width = max(map(len, CATALOGUE))
    return "\n".join(f"{name:<{width}}  {recipe.description}" for name, recipe in CATALOGUE.items())


def load_cohort() -> Cohort:
    """Load the simulated cohort: 16 patients x 6 axial slices, exact lesion masks, 3 models.

    Returns
    -------
    Cohort
        Per-slice arrays (axis 0 = slice): ``images`` (float32), ``references`` (bool),
        ``patient_ids`` (``"P01"``..``"P16"``), ``slice_positions``, ``predictions`` and
        ``probabilities`` of ``"model_a"`` (cautious), ``"model_b"`` (eager), ``"model_c"``
        (overfitted; see ``split``), ``features`` + ``feature_names`` for a tiny slice
        classifier, and helpers ``patient(id)``, ``select(idx)``, ``split_by_patient()``,
        ``split_by_slice()`` (the leaky way). See :class:`Cohort`.

    Examples
    --------
    >>> cohort = load_cohort()
    >>> len(cohort.patients), len(cohort)
    (16, 96)
    >>> bool(cohort.patient("P04").references.any())  # a patient without lesions
    False
    """
    return build_cohort()


def _register_cli() -> None:
    try:
        from ..cli import subcommand
    except ImportError:  # pragma: no cover - cli is part of the package
        return

    @subcommand("list-cases", "list the sample cases and what each one shows")
    def _list_cases(args) -> int:
        print(describe_cases())
        return 0


_register_cli()
