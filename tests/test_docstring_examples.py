"""Every docstring example in the package runs and prints what it says (numpydoc Examples are
documentation that learners copy, so they must stay true)."""
from __future__ import annotations

import doctest
import importlib
import pkgutil

import matplotlib
import pytest

import seglearn

matplotlib.use("Agg")

MODULES = sorted(m.name for m in pkgutil.walk_packages(seglearn.__path__, "seglearn.")
                 if not m.name.endswith("__main__"))
# Modules whose public functions must carry runnable examples (the metrics are the contract).
MUST_HAVE_EXAMPLES = {n for n in MODULES if n.startswith("seglearn.metrics.")}


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name, monkeypatch, tmp_path):
    monkeypatch.setenv("SEGLEARN_PROGRESS_FILE", str(tmp_path / "progress.json"))
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS, verbose=False)
    assert result.failed == 0, f"{result.failed} failing docstring example(s) in {name}"
    if name in MUST_HAVE_EXAMPLES:
        assert result.attempted > 0, f"{name} has no docstring examples"
