"""The shipped files under ``data/``: where they are, their checksums, and verified loading.

Only the real pixels are shipped (see ``data/README.md``); they are regenerated bit for bit by
``scripts/make_data.py``. Every file is checked against its SHA-256 the first time it is read in
a session, and a missing or corrupt file raises :class:`DataFileError` naming the file.
"""
from __future__ import annotations

import hashlib
import os
import sys
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Mapping

import numpy as np

def _default_data_dir(repo: Path | None = None, prefix: str | None = None) -> Path:
    """The repository's ``data/`` (source checkout, editable install), else the copy a regular
    ``pip install`` puts in ``<prefix>/share/seglearn/data`` (see pyproject's data-files)."""
    repo = repo or Path(__file__).resolve().parents[2] / "data"
    installed = Path(prefix or sys.prefix) / "share" / "seglearn" / "data"
    return repo if (repo / "README.md").is_file() or not installed.is_dir() else installed


#: Folder of the shipped files (the repository's ``data/``). Set the environment variable
#: ``SEGLEARN_DATA_DIR`` to use another copy.
DATA_DIR = Path(os.environ.get("SEGLEARN_DATA_DIR") or _default_data_dir())

#: file name -> (size in bytes, sha256). Must match data/README.md (a test checks it).
FILES: Mapping[str, tuple[int, str]] = MappingProxyType({
    "mni_icbm152_2009a.npz": (2723948, "5ed46b0cba2a9480968d32be3dd499a554bff81553598c5eb91ef1ca6d809ee4"),
    "skimage_images.npz": (489074, "b85e8b8ff17a9020151c6aa01ebdac81bd3a1d13097cce1514fb29430cb83460"),
})

_FIX = ("restore it with `git checkout -- data/` from a clone of the course, or regenerate it with "
        "`python scripts/make_data.py` (see data/README.md)")


class DataFileError(OSError):
    """A shipped data file is missing, has the wrong size or the wrong checksum."""


def data_dir() -> Path:
    """The folder the sample files are read from (``DATA_DIR``)."""
    return Path(DATA_DIR)


def file_path(name: str) -> Path:
    if name not in FILES:
        raise ValueError(f"unknown data file {name!r}; known files: {', '.join(sorted(FILES))}")
    return data_dir() / name


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def check_file(name: str) -> Path:
    """Return the path of ``name`` after checking that it exists and that its checksum matches.

    Raises
    ------
    DataFileError
        When the file is missing or its size or SHA-256 differs from the shipped one.
    """
    path = file_path(name)
    size, digest = FILES[name]
    if not path.is_file():
        raise DataFileError(f"sample data file {name!r} is missing (looked for {path}); {_FIX}")
    actual_size = path.stat().st_size
    if actual_size != size:
        raise DataFileError(f"sample data file {name!r} is corrupt: {actual_size} bytes instead of {size} "
                            f"({path}); {_FIX}")
    actual = sha256_of(path)
    if actual != digest:
        raise DataFileError(f"sample data file {name!r} is corrupt: sha256 {actual[:12]}... instead of "
                            f"{digest[:12]}... ({path}); {_FIX}")
    return path


@lru_cache(maxsize=8)
def _load_verified(path_str: str, mtime_ns: int, size: int, name: str) -> Mapping[str, np.ndarray]:
    path = check_file(name)
    try:
        with np.load(path, allow_pickle=False) as npz:
            arrays = {key: npz[key] for key in npz.files}
    except Exception as exc:  # a checksum-valid file cannot fail, but be explicit if it does
        raise DataFileError(f"sample data file {name!r} could not be read ({exc}); {_FIX}") from exc
    for arr in arrays.values():
        arr.setflags(write=False)  # the cache is shared: callers get copies
    return MappingProxyType(arrays)


def load_arrays(name: str) -> Mapping[str, np.ndarray]:
    """Read-only arrays of a verified ``.npz`` file (cached; copy before changing them)."""
    path = file_path(name)
    try:
        stat = path.stat()
    except FileNotFoundError:
        check_file(name)  # raises the clear error
        raise
    return _load_verified(str(path), stat.st_mtime_ns, stat.st_size, name)


def verify() -> str:
    """Check every shipped file; return a one-line summary or raise :class:`DataFileError`."""
    total = 0
    for name in FILES:
        check_file(name)
        total += FILES[name][0]
    return f"{len(FILES)} files verified ({total / 1e6:.1f} MB) in {data_dir()}"
