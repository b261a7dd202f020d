"""Where the project's data folders are: sql/, expectations/, studio_jobs/ and iam/.

They live at the top of the repository, where learners and graders edit them. A checkout
(and an editable install, `make venv`) reads those very folders, so an edit applies at once;
a wheel (`pip install .`) carries copies as package data under stedi/_data/ (setup.py maps
them there), found through importlib.resources. No module computes a path from its own
`__file__`: an installed copy has no repository around it.
"""

from __future__ import annotations

import functools
import os
from importlib import resources
from pathlib import Path

from localglue.errors import LakehouseError

DATA_FOLDERS = ("expectations", "iam", "sql", "studio_jobs")
PACKAGED = "_data"  # stedi/_data/<folder> in a wheel


@functools.cache
def _package_dir() -> Path:
    return Path(os.fspath(resources.files("stedi")))


def data_dir(name: str) -> Path:
    """The folder `name` (one of DATA_FOLDERS): the wheel's copy, else the checkout's own."""
    if name not in DATA_FOLDERS:
        raise ValueError(f"{name!r} is not a data folder; known: {', '.join(DATA_FOLDERS)}")
    packaged = _package_dir() / PACKAGED / name
    if packaged.is_dir():
        return packaged
    here = checkout()
    if here is None:
        raise LakehouseError(
            f"the {name}/ folder is missing from this installation of stedi-lakehouse "
            f"(looked in {packaged}); reinstall it (`pip install --force-reinstall .`)"
        )
    return here / name


def checkout() -> Path | None:
    """The source checkout these modules run from (an editable install), or None (a wheel)."""
    root = _package_dir().parent
    return root if (root / "pyproject.toml").is_file() and (root / "sql").is_dir() else None


def project_root() -> Path:
    """The folder whose lake/ and reports/ the notebooks open: the checkout, else the
    working directory (where `python -m lakehouse demo` of an installed copy writes them)."""
    return checkout() or Path.cwd()
