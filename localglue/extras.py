"""Which pip extra of this installation would bring a missing module: one line, not a traceback.

A runtime-only install (`pip install stedi-lakehouse`) runs Glue scripts; validation, the AWS
path and grading each come with an extra. When a command imports a module of an extra that is
not installed, the entry points turn the ModuleNotFoundError into
"... needs the 'validation' extra: pip install 'stedi-lakehouse[validation]'". The extras and
their requirements are read from the installed distribution's own metadata, never listed here.
"""

from __future__ import annotations

import re
from importlib import metadata

from localglue.errors import LakehouseError

# Modules whose distribution is named otherwise and is pulled in by a listed one.
PROVIDED_BY = {"botocore": "boto3", "yaml": "pyyaml"}
_REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")
_EXTRA = re.compile(r"""extra\s*==\s*["']([^"']+)["']""")


class MissingExtra(LakehouseError):
    """A command needs an optional part of the install (exit 2: install the extra)."""


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _own_distribution() -> metadata.Distribution | None:
    names = metadata.packages_distributions().get(__name__.split(".")[0], [])
    for name in names:
        try:
            return metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
    return None


def extra_for(module: str, prefer: str | None = None) -> tuple[str, str] | None:
    """(distribution, extra) whose extra requires the top-level `module`, or None."""
    dist = _own_distribution()
    if dist is None or not module:
        return None
    top = module.split(".")[0]
    wanted = _canonical(PROVIDED_BY.get(top, top))
    found = []
    for requirement in dist.requires or []:
        name, _, marker = requirement.partition(";")
        match, extra = _REQUIREMENT.match(name), _EXTRA.search(marker)
        if match and extra and _canonical(match.group(1)) == wanted:
            found.append(extra.group(1))
    if not found:
        return None
    own = _canonical(dist.metadata["Name"])
    # The command's own extra if it is one of them, else the narrowest: never the dev bundle.
    found.sort(key=lambda extra: (extra != prefer, extra == "dev", extra))
    return own, found[0]


def missing_extra(
    exc: ModuleNotFoundError, what: str, prefer: str | None = None
) -> MissingExtra | None:
    """The one-line error for `what` (e.g. "lakehouse grade"), or None if no extra has it."""
    found = extra_for(exc.name or "", prefer)
    if found is None:
        return None
    dist, extra = found
    return MissingExtra(
        f"{what} needs the {extra!r} extra ({exc.name} is not installed): "
        f"pip install '{dist}[{extra}]'"
    )
