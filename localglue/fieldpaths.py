"""Field paths as Glue writes them: 'a.`b.c`.d' names nested fields; back-ticks quote dots."""

from __future__ import annotations

from pyspark.sql import Column
from pyspark.sql import functions as F


def split_path(path: str) -> list[str]:
    """'a.`b.c`.d' -> ['a', 'b.c', 'd']: dots separate levels unless back-ticked."""
    parts, buf, quoted = [], [], False
    for ch in path:
        if ch == "`":
            quoted = not quoted
        elif ch == "." and not quoted:
            parts.append("".join(buf))
            buf = []
        else:
            buf.append(ch)
    parts.append("".join(buf))
    return [p for p in parts if p != ""] or [path]


def quote(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


def _col(*parts: str) -> Column:
    c = F.col(quote(parts[0]))
    for p in parts[1:]:
        c = c.getField(p)
    return c
