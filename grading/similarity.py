"""Submissions whose job scripts are the same once what Glue Studio or the account chose is
normalised: a hint for the grader that two projects may share their work.

Normalised away: Glue Studio's node ids (`AmazonS3_node1685634512345`, `S3bucket_node1`,
`DataSource0`: numbered by first appearance, so a copy with renamed nodes still matches),
transformation_ctx names, bucket names, database names (keyword arguments, and `db.` before a
table in the SQL), comments, blank lines, whitespace and quote style. What is left is what the
learner built: the nodes, their order, the SQL, the columns, the formats.

A hint, not proof: the rubric's starter steps make many single scripts alike (a landing-to-
trusted Filter node comes out the same for everyone), which is why only submissions whose
whole set of scripts matches are grouped; and copies that were edited (a renamed column, one
more node, a draft script left beside them) are not found.
"""

from __future__ import annotations

import ast
import hashlib
import io
import re
import string
import tokenize
from pathlib import Path

NODE_ID = re.compile(r"\b(?:\w*?_?node\d+|DataSource\d+|Transform\d+|DataSink\d+)\b", re.I)
BUCKET = re.compile(r"\bs3[an]?://[^/\s'\"]+", re.I)
DATABASE_KEYWORDS = {"database", "catalogdatabase", "name_space", "catalog_database"}
CTX_KEYWORDS = {"transformation_ctx"}


def normalise(text: str) -> str:
    """The script as tokens, with the names Studio and the account chose replaced."""
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return _by_lines(text)
    databases = _databases(tokens)
    nodes: dict[str, str] = {}
    out: list[str] = []
    previous: list[str] = []  # the last two significant tokens, to see `keyword =`
    for tok in tokens:
        kind, value = tok.type, tok.string
        if kind in (tokenize.COMMENT, tokenize.NL, tokenize.ENCODING, tokenize.ENDMARKER):
            continue
        if kind == tokenize.NEWLINE:
            out.append("\n")
            continue
        if kind == tokenize.INDENT:
            out.append("<indent>")
            continue
        if kind == tokenize.DEDENT:
            out.append("<dedent>")
            continue
        if kind == tokenize.STRING:
            keyword = previous[-2].lower() if len(previous) == 2 and previous[1] in "=:" else ""
            value = _string(value, keyword, databases, nodes)
        elif kind == tokenize.NAME:
            value = NODE_ID.sub(lambda m: _node(m.group(), nodes), value)
        out.append(value)
        previous = [*previous, tok.string.strip("'\"")][-2:]
    return " ".join(out).replace(" \n ", "\n")


def _node(name: str, nodes: dict[str, str]) -> str:
    return nodes.setdefault(name, f"node_{len(nodes) + 1}")


def _databases(tokens) -> set[str]:
    """Database names the script gives as `database="x"`, `catalogDatabase="x"`, ..."""
    found = set()
    for a, b, c in zip(tokens, tokens[1:], tokens[2:], strict=False):
        name = a.string.strip("'\"").lower()
        if name in DATABASE_KEYWORDS and b.string in "=:" and c.type == tokenize.STRING:
            value = _literal(c.string)
            if isinstance(value, str) and value:
                found.add(value)
    return found


def _literal(token: str):
    try:
        return ast.literal_eval(token)
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return None  # an f-string or a broken literal: kept as written


def _string(token: str, keyword: str, databases: set[str], nodes: dict[str, str]) -> str:
    value = _literal(token)
    if not isinstance(value, str):
        return token
    if keyword in DATABASE_KEYWORDS:
        return repr("<database>")
    if keyword in CTX_KEYWORDS:
        return repr("<ctx>")
    value = BUCKET.sub("s3://<bucket>", value)
    value = NODE_ID.sub(lambda m: _node(m.group(), nodes), value)
    for db in sorted(databases, key=len, reverse=True):  # `stedi.customer_trusted` in SQL
        value = re.sub(rf"(?<![\w.`]){re.escape(db)}(?=`?\.)", "<database>", value)
    return repr(" ".join(value.split()) if _is_sql_like(value) else value)


def _is_sql_like(value: str) -> bool:
    """SQL text (whitespace in it is layout, not meaning)."""
    return bool(re.search(r"\bselect\b", value, re.I)) and any(
        c in value for c in string.whitespace
    )


def _by_lines(text: str) -> str:
    """For a script that does not tokenize: comments and blank lines out, spaces collapsed."""
    nodes: dict[str, str] = {}
    lines = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            line = BUCKET.sub("s3://<bucket>", line)
            lines.append(" ".join(NODE_ID.sub(lambda m: _node(m.group(), nodes), line).split()))
    return "\n".join(lines)


def script_key(path: Path) -> str:
    text = path.read_text(encoding="utf-8", errors="replace")
    return hashlib.sha256(normalise(text).encode()).hexdigest()[:16]


def submission_keys(scripts: list[Path]) -> list[str]:
    """The submission's scripts as a sorted set of keys (file names and folders ignored; a
    script copied into two folders counts once)."""
    return sorted({script_key(p) for p in scripts})


def groups(keys: dict[str, list[str]]) -> list[list[str]]:
    """Submissions with the same non-empty set of scripts, two or more per group, each group
    sorted, the groups in the order of their first member."""
    by_set: dict[tuple[str, ...], list[str]] = {}
    for name, scripts in keys.items():
        if scripts:
            by_set.setdefault(tuple(scripts), []).append(name)
    return sorted((sorted(g) for g in by_set.values() if len(g) > 1), key=lambda g: g[0])
