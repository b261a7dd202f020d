"""Find a project's Glue job scripts and Athena DDL, whatever their names and folders.

Scripts are recognised by content (they import awsglue and make a GlueContext), so
`Step Trainer Trusted to ML Curated.py` counts and a helper module does not. DDL is any
`CREATE EXTERNAL TABLE` statement in a .sql/.ddl/.hql/.txt/.rtf file; a file may hold
several. A statement that does not parse is reported and skipped, never fatal.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from localglue.scripts import is_glue_script

SKIP_DIRS = {".git", ".venv", "venv", "node_modules", "__pycache__", ".ipynb_checkpoints"}
DDL_SUFFIXES = {".sql", ".ddl", ".hql", ".txt", ".rtf"}
CREATE = re.compile(r"create\s+external\s+table", re.IGNORECASE)


@dataclass
class DdlTable:
    file: Path
    database: str | None
    name: str
    table_input: dict

    @property
    def location(self) -> str:
        return self.table_input["StorageDescriptor"]["Location"]

    @property
    def columns(self) -> list[str]:
        return [c["Name"] for c in self.table_input["StorageDescriptor"]["Columns"]]


@dataclass
class Skipped:
    file: Path
    reason: str


def _files(project: Path):
    for root, dirs, names in os.walk(project):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith("."))
        for name in sorted(names):
            yield Path(root) / name


def find_scripts(project: Path) -> list[Path]:
    found = []
    for path in _files(project):
        if path.suffix != ".py":
            continue
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        if is_glue_script(text):
            found.append(path)
    return found


def _statements(text: str) -> list[str]:
    """Each CREATE EXTERNAL TABLE statement: from its CREATE to the next `;` or CREATE."""
    starts = [m.start() for m in CREATE.finditer(text)]
    out = []
    for i, start in enumerate(starts):
        end = starts[i + 1] if i + 1 < len(starts) else len(text)
        chunk = text[start:end]
        semicolon = chunk.find(";")
        out.append(chunk[: semicolon + 1] if semicolon >= 0 else chunk)
    return out


def qualified(database: str | None, name: str) -> tuple[str | None, str]:
    """Athena's "Generate table DDL" writes `db.table` inside ONE pair of backticks; Athena
    (Hive) reads that as table `table` in database `db`, and so must the grade."""
    if database is None and "." in name:
        database, name = name.split(".", 1)
    return database, name


def find_ddl(project: Path) -> tuple[list[DdlTable], list[Skipped]]:
    from localglue.crawler import table_input_from_ddl
    from localglue.errors import LakehouseError

    tables, skipped = [], []
    for path in _files(project):
        if path.suffix.lower() not in DDL_SUFFIXES:
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        if not CREATE.search(text):
            continue
        if text.lstrip().startswith("{\\rtf"):
            skipped.append(Skipped(path, "an RTF document, not plain SQL: save it as plain text"))
            continue
        for statement in _statements(text):
            try:
                database, table_input = table_input_from_ddl(statement)
            except (LakehouseError, Exception) as exc:  # sqlglot raises many kinds
                reason = str(exc).splitlines()[0][:160] if str(exc) else type(exc).__name__
                skipped.append(Skipped(path, reason))
                continue
            database, name = qualified(database, table_input["Name"])
            tables.append(DdlTable(path, database, name, {**table_input, "Name": name}))
    return tables, skipped
