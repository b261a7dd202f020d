"""Find a project's Glue job scripts and Athena DDL, whatever their names and folders.

Scripts are recognised by content (they import awsglue and make a GlueContext), so
`Step Trainer Trusted to ML Curated.py` counts and a helper module does not. DDL is any
`CREATE EXTERNAL TABLE` statement in a .sql/.ddl/.hql/.txt/.rtf file; a file may hold
several. DDL saved as RTF (TextEdit's default) is read for the SQL inside, and a table name
with an unquoted hyphenated database (`stedi-db.customer_landing`, which Athena's editor
runs) is read as that database. A statement that does not parse is reported and skipped,
never fatal.
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
    from_rtf: bool = False

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
    """The project's regular files. Never a FIFO or device (opening one would hang or read
    forever), nor a link leading out of the project (a cloned repository can hold one to
    the grader's own files)."""
    inside = project.resolve()
    for root, dirs, names in os.walk(project):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith("."))
        for name in sorted(names):
            path = Path(root) / name
            if path.is_symlink() and not path.resolve().is_relative_to(inside):
                continue
            if path.is_file():
                yield path


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


# RTF groups whose text is not document text (font and colour tables, metadata, pictures).
RTF_SKIP = {"fonttbl", "colortbl", "stylesheet", "info", "pict", "header", "footer",
            "expandedcolortbl", "listtable", "listoverridetable", "generator"}  # fmt: skip
RTF_TOKEN = re.compile(
    r"\\([a-zA-Z]+)(-?\d+)? ?|\\'([0-9a-fA-F]{2})|\\([^a-zA-Z])|([{}])|([^\\{}\r\n]+)|[\r\n]"
)
RTF_BREAKS = {"par": "\n", "line": "\n", "tab": "\t", "cell": "\t", "row": "\n"}
SMART_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


def is_rtf(text: str) -> bool:
    return text.lstrip().startswith("{\\rtf")


def rtf_text(rtf: str) -> str:
    """The plain text of an RTF document: control words stripped, `\\par` a line break,
    escapes decoded; the typographic quotes a word processor puts in SQL made straight."""
    out: list[str] = []
    skipping: list[bool] = [False]  # per open group: is its text skipped
    fresh = False  # just after `{`: the group's first control word may name a destination
    fallback = 0  # characters after \\uN that stand in for it in older readers: dropped
    for word, arg, hexa, symbol, brace, text in RTF_TOKEN.findall(rtf):
        if fallback and (hexa or text):
            fallback -= 1
            if hexa:
                continue
            text = text[1:]
        if brace == "{":
            skipping.append(skipping[-1])
            fresh = True
            continue
        if brace == "}":
            if len(skipping) > 1:
                skipping.pop()
            fresh = False
            continue
        if symbol == "*" and fresh:
            skipping[-1] = True
        if word and fresh and word in RTF_SKIP:
            skipping[-1] = True
        fresh = False
        if skipping[-1]:
            continue
        if word:
            if word in RTF_BREAKS:
                out.append(RTF_BREAKS[word])
            elif word == "u" and arg:
                out.append(chr(int(arg) % 65536))
                fallback = 1
        elif hexa:
            out.append(bytes([int(hexa, 16)]).decode("cp1252", errors="replace"))
        elif symbol in ("\\", "{", "}"):
            out.append(symbol)
        elif symbol == "~":
            out.append(" ")
        elif symbol in ("\n", "\r"):
            out.append("\n")  # a backslash before a line break is \par
        elif text:
            out.append(text)
    return "".join(out).translate(SMART_QUOTES)


# `CREATE EXTERNAL TABLE [IF NOT EXISTS] stedi-db.customer_landing`: the unquoted name.
CREATE_NAME = re.compile(
    r"(create\s+external\s+table\s+(?:if\s+not\s+exists\s+)?)([A-Za-z0-9_.-]*-[A-Za-z0-9_.-]*)",
    re.IGNORECASE,
)


def quote_hyphenated_name(statement: str) -> str:
    """Backquote each part of an unquoted hyphenated table name, as Athena's editor reads it."""
    return CREATE_NAME.sub(
        lambda m: m.group(1) + ".".join(f"`{p}`" if p else p for p in m.group(2).split(".")),
        statement,
        count=1,
    )


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
        from_rtf = is_rtf(text)
        if from_rtf:
            text = rtf_text(text)
        if not CREATE.search(text):
            continue
        for statement in _statements(text):
            try:
                database, table_input = table_input_from_ddl(quote_hyphenated_name(statement))
            except (LakehouseError, Exception) as exc:  # sqlglot raises many kinds
                reason = str(exc).splitlines()[0][:160] if str(exc) else type(exc).__name__
                skipped.append(Skipped(path, reason))
                continue
            database, name = qualified(database, table_input["Name"])
            table_input = {**table_input, "Name": name}
            tables.append(DdlTable(path, database, name, table_input, from_rtf))
    return tables, skipped
